"""Benchmark suite: every figure is a ratio against a baseline measured in the same run (medians).

    .venv/bin/python scripts/bench.py [--runs 3] [--json bench-results/latest.json] [--quick]

Sandboxes run as separate processes on loopback (python -m casebook_async.sandbox --port 0 --latency ...),
so server CPU does not compete with the client in one process. jsonapi-client (the peer of (5)) is not a
dependency: it runs under --peer-python / $JSONAPI_CLIENT_PYTHON, or this interpreter if it has it
(`make bench` installs it into .venv-peer from requirements/bench-peer.txt and passes --peer-python).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import shlex
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bench_bulk
import bench_cpu
import bench_decoding
import bench_http2
import bench_import
import bench_listing
import bench_memory
import bench_sync
from bench_server import Server, fetch_token, response_stall


@dataclass(frozen=True)
class Sizes:
    records: int = 10_000  # (1), (2), (4) memory baseline, (5)
    stream_records: int = 100_000  # (4) memory
    latency: float = 0.020  # (1), (5)
    slow_latency: float = 0.100  # (2): what a service in another region sees
    concurrency: int = 10  # (1)
    cpu_requests: int = 2_000  # (4) CPU/request in-process
    cpu_requests_loopback: int = 600  # (4) CPU/request, separate process
    cpu_workers_loopback: int = 10  # calls in flight there (wall time; CPU per call is what is measured)
    bulk_records: int = 5_000  # (4)
    bulk_sequential_records: int = 200  # (4) baseline subset
    bulk_concurrency: int = 16
    bulk_latency: float = 0.020
    feed_records: int = 1_000_000  # (6) against `records` (the small server)
    export_concurrency: int = 8  # (7), on the listing server
    adaptive_records: int = 2_000  # (8)
    adaptive_latency: float = 0.005


QUICK = Sizes(
    records=300, stream_records=1_000, latency=0.002, slow_latency=0.004, cpu_requests=20,
    cpu_requests_loopback=20,
    bulk_records=64, bulk_sequential_records=16, bulk_latency=0.002,
    feed_records=3_000, adaptive_records=200, adaptive_latency=0.0,
)  # fmt: skip


@dataclass
class Row:
    name: str
    ratio: float
    detail: str
    target: str = ""
    met: bool | None = None


def median(values: list[float]) -> float:
    return statistics.median(values)


def peer_python(explicit: str | None) -> tuple[str | None, str]:
    """The interpreter for jsonapi-client, or None and why not."""
    if explicit or os.environ.get("JSONAPI_CLIENT_PYTHON"):
        return explicit or os.environ["JSONAPI_CLIENT_PYTHON"], ""
    if importlib.util.find_spec("jsonapi_client") is not None:
        return sys.executable, ""
    return None, (
        "jsonapi-client is not in this interpreter and is not a dependency; `make bench` installs it into "
        ".venv-peer (requirements/bench-peer.txt) and passes --peer-python .venv-peer/bin/python"
    )


def spread(values: list[float]) -> str:
    return f"runs {min(values):.2f}-{max(values):.2f}x"


def section_listing(
    s: Sizes, runs: int, server: Server, slow: Server, peer: str | None, why_not: str
) -> list[Row]:
    """(1) CPU-bound listing against the raw-httpx floor, (2) latency-bound listing against its bound."""
    url, token = server.base_url, fetch_token(server.base_url)
    ours, ours_cpu, read, peers, floor = [], [], [], [], []
    for _ in range(runs):  # interleaved, so drift in machine load hits every mode alike
        wall, cpu, count = bench_listing.run_ours(url, s.concurrency)
        ours.append(wall)
        ours_cpu.append(cpu)
        read_wall, _, read_count = bench_listing.run_ours(url, s.concurrency, read=True)
        read.append(read_wall)
        floor_wall, floor_count = bench_listing.run_raw_floor(url, token, s.concurrency, s.records)
        floor.append(floor_wall)
        if {count, read_count, floor_count} != {s.records}:
            raise RuntimeError(f"listing: expected {s.records}, got {count}, {read_count}, {floor_count}")
        if peer is not None:
            result = bench_listing.peer_jsonapi_client(peer, url, token)
            if result["records"] != s.records:
                raise RuntimeError(f"jsonapi-client listed {result['records']} records")
            peers.append(result["wall"])
    slow_url = slow.base_url
    slow_ours = []
    for _ in range(runs):
        wall, _, count = bench_listing.run_ours(slow_url, s.concurrency)
        slow_ours.append(wall)
        if count != s.records:
            raise RuntimeError(f"listing at {s.slow_latency}: ours listed {count}")
    # Latency-bound (~100 requests one after another): one run tells it; more would add ~10 s each.
    generated, _, generated_count = bench_listing.run_generated(slow_url, fetch_token(slow_url))
    if generated_count != s.records:
        raise RuntimeError(f"listing: the generated client listed {generated_count}")
    pages = -(-s.records // bench_listing.PAGE_SIZE)
    bound = bench_listing.latency_bound(s.records, s.concurrency, s.latency)
    slow_bound = bench_listing.latency_bound(s.records, s.concurrency, s.slow_latency, first_page=True)
    ms, slow_ms = f"{s.latency * 1000:g} ms", f"{s.slow_latency * 1000:g} ms"
    rows = [
        Row(
            f"(1) CPU-bound: list {s.records}, page 100, {ms}, c={s.concurrency}: ours / raw httpx floor",
            median(ours) / median(floor),
            f"ours {median(ours):.3f} s ({median(ours_cpu):.3f} s CPU), floor {median(floor):.3f} s "
            f"(raw httpx at c={s.concurrency}, JSON only, page count known: no first round trip); "
            f"{spread([o / f for o, f in zip(ours, floor, strict=True)])}",
            "<= 1.25x",
            median(ours) / median(floor) <= 1.25,
        ),
        Row(
            "(1) context: the same, the consumer reading every record's attributes / floor",
            median(read) / median(floor),
            f"{median(read):.3f} s: attributes are parsed when first read "
            f"({spread([r / f for r, f in zip(read, floor, strict=True)])})",
        ),
        Row(
            f"(1) context: raw httpx floor / latency bound ceil({pages}/{s.concurrency}) x {ms}",
            median(floor) / bound,
            f"bound {bound:.2f} s: above 1, the floor is client CPU, not latency",
        ),
        Row(
            f"(2) latency-bound, {slow_ms}: ours / (ceil({pages}/{s.concurrency}) + first page) x {slow_ms}",
            median(slow_ours) / slow_bound,
            f"ours {median(slow_ours):.3f} s, bound {slow_bound:.2f} s; "
            f"{spread([w / slow_bound for w in slow_ours])}",
            "<= 1.15x",
            median(slow_ours) / slow_bound <= 1.15,
        ),
        Row(
            f"(2) same listing: the generated client, page after page / ours c={s.concurrency}",
            generated / median(slow_ours),
            f"generated {generated:.2f} s (one run), ours {median(slow_ours):.3f} s",
            ">= 8x",
            generated / median(slow_ours) >= 8,
        ),
    ]
    if peer is not None:
        rows.append(
            Row(
                f"(5) list {s.records} at {ms}: jsonapi-client asyncio (links.next) / ours",
                median(peers) / median(ours),
                f"jsonapi-client {median(peers):.2f} s, ours {median(ours):.2f} s",
            )
        )
    else:
        rows.append(Row("(5) jsonapi-client", float("nan"), f"skipped: {why_not}"))
    return rows


def section_decoding(server: Server) -> list[Row]:
    us = {k: v * 1e6 for k, v in bench_decoding.run(server.base_url).items()}
    ratio = us["ours"] / us["json"]
    return [
        Row(
            "(3) decode a 100-person page, CPU per record: ours / json.loads alone",
            ratio,
            f"json.loads {us['json']:.2f} us, ours {us['ours']:.2f} us (records lazy: attributes parsed when "
            f"read), ours reading every record's attributes {us['ours_read']:.2f} us "
            f"({us['ours_read'] / us['json']:.2f}x), generated from_dict {us['generated']:.2f} us "
            f"({us['generated'] / us['json']:.2f}x)",
            "<= 1.5x",
            ratio <= 1.5,
        )
    ]


def section_cpu(s: Sizes, runs: int, server: Server) -> list[Row]:
    loop = {
        k: median(v)
        for k, v in bench_cpu.run_out_of_process(
            server.base_url, s.cpu_requests_loopback, runs, s.cpu_workers_loopback
        ).items()
    }
    # In-process rounds are short, and subtracting the sandbox's share amplifies their noise: 3x the rounds,
    # and the fastest of them (noise only ever adds CPU; medians of these swung 0.97-1.69x run to run).
    rounds = 3 * runs
    local = {k: min(v) for k, v in bench_cpu.run_in_process(s.cpu_requests, rounds).items()}
    asgi = local["asgi_only"]
    us = 1e6
    client = {k: local[k] - asgi for k in ("facade", "raw_httpx", "raw_httpx_typed")}
    return [
        Row(
            "(4) CPU/request, sandbox in another process: facade / raw httpx",
            loop["facade"] / loop["raw_httpx"],
            f"facade {loop['facade'] * us:.0f} us, raw {loop['raw_httpx'] * us:.0f} us "
            f"(raw + generated model {loop['raw_httpx_typed'] * us:.0f} us); loopback syscalls in both",
            "<= 1.15x",
            loop["facade"] / loop["raw_httpx"] <= 1.15,
        ),
        Row(
            "(4) CPU/request, in-process sandbox minus raw-ASGI: facade / raw httpx",
            client["facade"] / client["raw_httpx"],
            f"facade {client['facade'] * us:.0f} us, raw {client['raw_httpx'] * us:.0f} us "
            f"(sandbox-only {asgi * us:.0f} us subtracted; fastest of {rounds} rounds)",
            "<= 1.15x",
            client["facade"] / client["raw_httpx"] <= 1.15,
        ),
        Row(
            "(4) same, vs raw httpx + generated model (typed result)",
            client["facade"] / client["raw_httpx_typed"],
            f"raw + model {client['raw_httpx_typed'] * us:.0f} us",
        ),
    ]


def section_memory(s: Sizes, runs: int, big: Server, small: Server) -> list[Row]:
    peaks: dict[int, list[float]] = {s.records: [], s.stream_records: []}
    for _ in range(runs):
        for server, n in ((small, s.records), (big, s.stream_records)):
            peak, count = bench_memory.run(server.base_url)
            if count != n:
                raise RuntimeError(f"streamed {count} of {n}")
            peaks[n].append(peak)
    small_peak, big_peak = median(peaks[s.records]), median(peaks[s.stream_records])
    return [
        Row(
            f"(4) streaming peak memory: {s.stream_records} / {s.records} records",
            big_peak / small_peak,
            f"tracemalloc peak {big_peak / 2**20:.1f} MiB vs {small_peak / 2**20:.1f} MiB",
            "~1 (flat; <= 1.5)",
            big_peak / small_peak <= 1.5,
        )
    ]


def section_bulk(s: Sizes, runs: int, server: Server) -> list[Row]:
    concurrent, sequential = [], []
    for run in range(runs):
        concurrent.append(bench_bulk.run(server.base_url, s.bulk_records, s.bulk_concurrency, f"c{run}"))
        sequential.append(bench_bulk.run(server.base_url, s.bulk_sequential_records, 1, f"s{run}"))
    ratio = median(concurrent) / median(sequential)
    return [
        Row(
            f"(4) bulk_create, {s.bulk_latency * 1000:g} ms: c={s.bulk_concurrency} / one at a time (rec/s)",
            ratio,
            f"{median(concurrent):.0f}/s ({s.bulk_records} records) vs {median(sequential):.0f}/s "
            f"(baseline timed on {s.bulk_sequential_records} records: throughput compared)",
            ">= 10x",
            ratio >= 10,
        )
    ]


def section_sync(s: Sizes, runs: int, listing: Server, small: Server, million: Server) -> list[Row]:
    """(6) change feed memory, (7) partitioned export vs offset listing, (8) bulk upsert under 429s."""
    mib = 2**20
    feeds = {}
    for n, server in ((s.records, small), (s.feed_records, million)):  # one run each: a peak, not a time
        feeds[n] = bench_sync.run_feed(server.base_url)
        if feeds[n]["records"] != n:
            raise RuntimeError(f"change feed delivered {feeds[n]['records']} of {n}")
    big, few = feeds[s.feed_records], feeds[s.records]
    offset, partitioned = [], []
    for _ in range(runs):  # interleaved in each run
        offset_wall, partition_wall, offset_n, partition_n = bench_sync.run_exports(
            listing.base_url, s.export_concurrency
        )
        if offset_n != s.records or partition_n != s.records:
            raise RuntimeError(f"exports: offset {offset_n}, partitioned {partition_n} of {s.records}")
        offset.append(offset_wall)
        partitioned.append(partition_wall)
    throughput = median(offset) / median(partitioned)  # same record count: a ratio of rates
    adaptive = bench_sync.run_adaptive(s.adaptive_records, s.adaptive_latency)
    exact = adaptive.throttled == adaptive.server_429
    shrank = adaptive.min_window < adaptive.start_window
    return [
        Row(
            f"(6) change feed peak RSS: {s.feed_records} / {s.records} records",
            big["peak"] / few["peak"],
            f"{big['peak'] / mib:.0f} MiB vs {few['peak'] / mib:.0f} MiB (above the process's start: "
            f"{(big['peak'] - big['baseline']) / mib:.1f} vs "
            f"{(few['peak'] - few['baseline']) / mib:.1f} MiB); "
            f"{big['records'] / big['seconds']:.0f} records/s, sandbox in another process",
            "<= 1.5x",
            big["peak"] / few["peak"] <= 1.5,
        ),
        Row(
            f"(7) consistent export c={s.export_concurrency}, {s.latency * 1000:g} ms: "
            "partitioned / offset listing (rec/s)",
            throughput,
            f"partitioned {s.records / median(partitioned):.0f}/s, offset {s.records / median(offset):.0f}/s "
            f"({s.records} records)",
            ">= 0.8x",
            throughput >= 0.8,
        ),
        Row(
            "(8) bulk_upsert defaults, 5 % 429s: report.throttled / server's 429s",
            adaptive.throttled / max(1, adaptive.server_429),
            f"{adaptive.throttled} vs {adaptive.server_429}; window {adaptive.start_window} -> min "
            f"{adaptive.min_window}, final {adaptive.final_window} ({adaptive.decreases} decreases); "
            f"{adaptive.records} records, all written: {adaptive.ok}",
            "= 1, shrinks",
            exact and shrank and adaptive.ok,
        ),
    ]


def section_http2(s: Sizes, runs: int, server: Server) -> list[Row]:
    m = bench_http2.run(server.base_url, s.concurrency, runs, s.records)
    return [
        Row(
            f"(10) list {s.records}, page 100, {s.latency * 1000:g} ms, c={s.concurrency}, hypercorn: "
            "HTTP/2 / HTTP/1.1 (rec/s)",
            m["http1"] / m["http2"],
            f"HTTP/2 {s.records / m['http2']:.0f}/s on one connection ({m['http2_cpu']:.2f} s client CPU), "
            f"HTTP/1.1 {s.records / m['http1']:.0f}/s on {s.concurrency} ({m['http1_cpu']:.2f} s)",
        )
    ]


def section_import(runs: int) -> list[Row]:
    times, target = max(10, runs), bench_import.TARGET_SECONDS
    ours, httpx = bench_import.run(times)
    core = bench_import.run_core(times)
    rows = [
        Row(
            f"(9) import casebook_async / import httpx, fresh interpreters (median of {times})",
            ours / httpx,
            f"casebook_async {ours:.3f} s (target <= {target} s), httpx {httpx:.3f} s; this environment "
            "(all extras: httpx imports rich and click for its own CLI)",
            f"<= {target} s",
            ours <= target,
        )
    ]
    if isinstance(core, str):
        rows.append(Row("(9) the same, core install only", float("nan"), f"skipped: {core}"))
    else:
        rows.append(
            Row(
                "(9) the same, core install only (httpx, attrs, anyio: no extra)",
                core[0] / core[1],
                f"casebook_async {core[0]:.3f} s (target <= {target} s), httpx {core[1]:.3f} s",
                f"<= {target} s",
                core[0] <= target,
            )
        )
    return rows


def render(rows: list[Row], command: str) -> str:
    width = max(len(r.name) for r in rows)
    lines = [f"$ {command}", f"{'benchmark':<{width}}  {'ratio':>7}  {'target':<18} met", "-" * (width + 36)]
    for r in rows:
        met = "" if r.met is None else ("yes" if r.met else "NO")
        ratio = "   -   " if r.ratio != r.ratio else f"{r.ratio:6.2f}x"
        lines.append(f"{r.name:<{width}}  {ratio:>7}  {r.target:<18} {met}")
        lines.append(f"{'':<{width}}    {r.detail}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3, help="repetitions; figures are medians")
    parser.add_argument("--json", type=Path, default=Path("bench-results/latest.json"))
    parser.add_argument("--quick", action="store_true", help="tiny sizes (smoke test; figures meaningless)")
    parser.add_argument("--peer-python", help="interpreter with jsonapi-client installed (for (5))")
    args = parser.parse_args()
    command = shlex.join([Path(sys.executable).name, *sys.argv])
    sizes = QUICK if args.quick else Sizes()
    peer, why_not = peer_python(args.peer_python)
    started = time.perf_counter()

    servers = {
        "listing": Server(sizes.records, sizes.latency),
        "slow": Server(sizes.records, sizes.slow_latency),
        "small": Server(sizes.records, 0.0),
        "big": Server(sizes.stream_records, 0.0),
        "bulk": Server(0, sizes.bulk_latency),
        "http2": Server(sizes.records, sizes.latency, http2=True),
        "million": Server(sizes.feed_records, 0.0),
    }
    try:
        for server in servers.values():
            server.start()  # they seed in parallel
        for server in servers.values():
            server.wait(timeout=900)  # seeding a million records takes a minute or two
        stall = response_stall(servers["small"].base_url, fetch_token(servers["small"].base_url))
        rows = section_listing(sizes, args.runs, servers["listing"], servers["slow"], peer, why_not)
        rows += section_decoding(servers["small"])
        rows += section_cpu(sizes, args.runs, servers["small"])
        rows += section_memory(sizes, args.runs, servers["big"], servers["small"])
        rows += section_bulk(sizes, args.runs, servers["bulk"])
        rows += section_sync(sizes, args.runs, servers["listing"], servers["small"], servers["million"])
        rows += section_http2(sizes, args.runs, servers["http2"])
        rows += section_import(args.runs)
    finally:
        for server in servers.values():
            server.stop()

    rows.sort(key=lambda row: int(row.name[1 : row.name.index(")")]))  # by section, each keeping its order
    elapsed = time.perf_counter() - started
    print(render(rows, command))
    print(
        f"server response time without injected latency: {stall * 1000:.1f} ms"
        + (
            " -- the sandbox stalls each response (Nagle + delayed ACK on loopback): figures with"
            " latency include it"
            if stall > 0.02
            else ""
        )
    )
    print(
        f"medians of {args.runs} runs; {elapsed:.0f} s total; "
        f"{os.cpu_count()} CPUs; Python {platform.python_version()}"
    )
    args.json.parent.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {
        "command": command,
        "finished": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "seconds": elapsed,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "runs": args.runs,
        "server_response_stall_seconds": stall,
        "sizes": sizes.__dict__,
        "rows": [r.__dict__ | {"ratio": None if r.ratio != r.ratio else r.ratio} for r in rows],
    }
    args.json.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
