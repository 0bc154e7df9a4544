"""python -m casebook_async.sandbox --port 8080: serve a seeded sandbox on loopback until Ctrl-C.

``--port 0 --latency 0.02`` serves on a free port with 20 ms injected per request: a stand-in for a remote
server in its own process (scripts/bench.py reads the "Casebook sandbox at <url>" line for the port)."""

from __future__ import annotations

import argparse
import sys

import anyio

from .faults import Faults
from .sandbox import Sandbox


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m casebook_async.sandbox", description=__doc__)
    parser.add_argument("--port", type=int, default=8080, help="0 picks a free port")
    parser.add_argument("--host", default="127.0.0.1", help="loopback only, unless you mean it")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--people", type=int, default=100)
    parser.add_argument("--providers", type=int, default=10)
    parser.add_argument("--cases", type=int, default=20)
    parser.add_argument("--notes", type=int, default=20)
    parser.add_argument("--users", type=int, default=5)
    parser.add_argument("--units-of-work", type=int, default=5)
    parser.add_argument("--client-id", default="sandbox-client")
    parser.add_argument("--client-secret", default="sandbox-secret")
    parser.add_argument("--token-lifetime", type=float, default=3600.0)
    parser.add_argument("--rate-limit", type=float, default=None, help="requests per second per token")
    parser.add_argument("--no-s3", action="store_true", help="no presigned uploads (skips moto)")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every request")
    parser.add_argument("--jitter", type=float, default=0.0, help="plus uniform [0, jitter) seconds")
    parser.add_argument(
        "--commit-latency",
        type=float,
        default=0.0,
        help="writes commit up to this many seconds after they are stamped (late-visible changes)",
    )
    parser.add_argument("--fault-seed", type=int, default=0, help="seed of the jitter stream")
    return parser.parse_args(argv)


async def serve(args: argparse.Namespace) -> None:
    sandbox = Sandbox(
        seed=args.seed,
        faults=Faults(
            latency=args.latency,
            jitter=args.jitter,
            commit_latency=args.commit_latency,
            seed=args.fault_seed,
        ),
        token_lifetime=args.token_lifetime,
        rate_limit=args.rate_limit,
        s3=not args.no_s3,
    )
    sandbox.seed_data(
        people=args.people,
        providers=args.providers,
        cases=args.cases,
        notes=args.notes,
        users=args.users,
        units_of_work=args.units_of_work,
    )
    app = sandbox.register_application(client_id=args.client_id, client_secret=args.client_secret)
    async with sandbox, sandbox.serve(port=args.port, host=args.host) as base_url:
        print(f"Casebook sandbox at {base_url}", flush=True)
        print(f"  client_id:     {app.client_id}", flush=True)
        print(f"  client_secret: {app.client_secret}  (a sandbox credential, not a real secret)", flush=True)
        print(f"  token:         POST {base_url}/oauth/token (grant_type=client_credentials)", flush=True)
        await anyio.sleep_forever()


def main(argv: list[str] | None = None) -> int:
    try:
        anyio.run(serve, parse_args(argv))
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
