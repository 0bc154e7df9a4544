# Every target bootstraps its own environment from a fresh clone: only python3 (3.11+) is needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv
DEPS := $(VENV)/.deps
STAMP := $(VENV)/.installed
# jsonapi-client, the peer of benchmark (5), lives in its own venv: it is not our dependency, and its
# aiohttp/requests/jsonschema pins stay out of the environment we test in.
PEER_VENV := .venv-peer
PEER := $(PEER_VENV)/.deps
LOWEST_VENV := .venv-lowest

.PHONY: test test-lowest lint typecheck pytest generate check-generated update-spec spec-diff lock clean demo bench soak

# Pinned third-party dependencies (requirements/dev.txt is compiled from pyproject.toml by `make lock`),
# installed by uv, itself pinned there.
$(DEPS): requirements/dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check $$(grep '^uv==' requirements/dev.txt)
	$(UV) pip install --quiet --python $(BIN)/python -r requirements/dev.txt
	touch $(DEPS)

# The project itself, editable, generated client included.
$(STAMP): $(DEPS) pyproject.toml
	$(UV) pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $(STAMP)

# pytest also validates every spec document and checks that generated/ is fresh against spec/.
test: lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@# .github/workflows; actionlint runs the shell steps through shellcheck (on PATH from .venv). The files
	@# are named: without them actionlint looks for a git repository, which an unpacked sdist is not.
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/actionlint $(wildcard .github/workflows/*.yml .github/workflows/*.yaml)

typecheck: $(STAMP)
	$(BIN)/mypy

check-generated: $(DEPS)
	$(BIN)/python scripts/generate.py --check

pytest: $(STAMP)
	$(BIN)/pytest

# The suite on the lowest versions pyproject allows: every direct dependency (runtime, extras and the
# test group) at its floor by uv's lowest-direct resolution, in a venv of its own. Left out: the tests
# that need the dev group's tools (generator, spec tools and validation, schemathesis, the third-party
# JSON:API server, benchmarks, the wheel build, actionlint): they test our tooling or a peer, not a floor.
# A new test that needs a dev-group tool is added here.
LOWEST_SKIP := tests/spec tests/generated/test_generation.py tests/generated/test_new_resource.py \
	tests/sandbox/test_schemathesis.py tests/thirdparty tests/test_bench_smoke.py tests/test_packaging.py \
	tests/test_workflows.py
test-lowest: $(DEPS)
	rm -rf $(LOWEST_VENV)
	$(UV) venv --quiet --python $(BIN)/python $(LOWEST_VENV)
	$(UV) pip install --quiet --python $(LOWEST_VENV)/bin/python --resolution lowest-direct \
		-e '.[sandbox,cli,trio,otel,http2]' --group test
	$(LOWEST_VENV)/bin/pytest -p no:cacheprovider $(addprefix --ignore=,$(LOWEST_SKIP))

generate: $(DEPS)
	$(BIN)/python scripts/generate.py

# Fetch the upstream documents named in spec/upstream.toml from SwaggerHub into spec/ (SWAGGERHUB_URL
# overrides the registry, SWAGGERHUB_API_KEY authenticates), then print the change report. Offline it
# fails and changes nothing. Then: make spec-diff, make generate, make test.
update-spec: $(DEPS)
	$(BIN)/python scripts/update_spec.py

# What changed in spec/ since SPEC_BASE (a git revision, default HEAD), each change breaking or not;
# fails on a breaking change not acknowledged in spec/breaking-changes.toml. Report: build/spec-report.md.
SPEC_BASE ?= HEAD
spec-diff: $(DEPS)
	$(BIN)/python scripts/spec_diff.py --base $(SPEC_BASE) --report build/spec-report.md --json build/spec-report.json

# The main job end to end on the embedded sandbox: seed, export, bulk import, upload, provider, assignment.
demo: $(STAMP)
	$(BIN)/python -m casebook_async demo

# Bulk sync at 20 000 records x 3 seeds under ~10 % mixed faults, token expiry, cancel + resume, then 50
# change-feed runs with writers and late commits; audited, then a table of figures. Each seed is bounded
# by --limit seconds.
soak: $(STAMP)
	$(BIN)/python scripts/soak.py --records 20000 --seeds 1 2 3 --limit 300

$(PEER): requirements/bench-peer.txt
	$(PYTHON) -m venv $(PEER_VENV)
	$(PEER_VENV)/bin/python -m pip install --quiet -r requirements/bench-peer.txt
	touch $(PEER)

# Benchmarks (ratios against baselines measured in the same run): table on stdout, JSON in bench-results/.
bench: $(STAMP) $(PEER)
	$(BIN)/python scripts/bench.py --peer-python $(PEER_VENV)/bin/python $(BENCH_ARGS)

# Re-pin requirements/dev.txt (the extras and the dev group) after changing dependencies in pyproject.toml.
lock: $(DEPS)
	$(UV) pip compile pyproject.toml --all-extras --group dev --python-version 3.11 --quiet -o requirements/dev.txt
	$(UV) pip compile requirements/bench-peer.in --python-version 3.11 --quiet -o requirements/bench-peer.txt

clean:
	rm -rf $(VENV) $(PEER_VENV) $(LOWEST_VENV) .pytest_cache .mypy_cache .ruff_cache
