"""python -m casebook_async.sandbox --port 8080: serve a seeded sandbox on loopback until Ctrl-C.

``--port 0 --latency 0.02`` serves on a free port with 20 ms injected per request: a stand-in for a remote
server in its own process (scripts/bench.py reads the "Casebook sandbox at <url>" line for the port)."""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn

import anyio

from .conventions import PRESETS
from .faults import Faults
from .sandbox import Sandbox

EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports a process stopped by Ctrl-C


def port(text: str) -> int:
    value = int(text)
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{value} is not a TCP port (0-65535)")
    return value


def count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"{value} is negative")
    return value


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, not argparse's usage block and then the error
        self.exit(2, f"{self.prog}: error: {message} (--help lists the options)\n")


def build_parser(prog: str | None = None) -> Parser:
    parser = Parser(
        prog=prog or "python -m casebook_async.sandbox",
        description=__doc__,
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--port", type=port, default=8080, help="TCP port; 0 picks a free one")
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (loopback, unless you mean it)"
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the generated data")
    for name, default in SEEDED.items():
        flag = "--" + name.replace("_", "-")
        parser.add_argument(flag, type=count, default=default, help=f"{name.replace('_', ' ')} to seed")
    parser.add_argument(
        "--client-id", default="sandbox-client", help="client id of the registered application"
    )
    parser.add_argument("--client-secret", default="sandbox-secret", help="its client secret")
    parser.add_argument("--token-lifetime", type=float, default=3600.0, help="seconds an access token lives")
    parser.add_argument("--rate-limit", type=float, default=None, help="requests per second per token")
    parser.add_argument("--no-s3", action="store_true", help="no presigned uploads (skips moto)")
    parser.add_argument(
        "--http2",
        action="store_true",
        help="serve HTTP/2 (prior knowledge) and HTTP/1.1 on one port with hypercorn (pip install hypercorn)",
    )
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every request")
    parser.add_argument("--jitter", type=float, default=0.0, help="plus uniform [0, jitter) seconds")
    parser.add_argument(
        "--commit-latency",
        type=float,
        default=0.0,
        help="writes commit up to this many seconds after they are stamped (late-visible changes)",
    )
    parser.add_argument("--fault-seed", type=int, default=0, help="seed of the jitter stream")
    parser.add_argument(
        "--conventions",
        choices=sorted(PRESETS),
        default="casebook",
        help="how the server speaks JSON:API where Casebook's docs are silent (paging, links, meta, foreign "
        "keys): Casebook as documented, or a stack found in the wild (casebook_async.sandbox.Conventions)",
    )
    return parser


SEEDED = {"people": 100, "providers": 10, "cases": 20, "notes": 20, "users": 5, "units_of_work": 5}


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
        conventions=args.conventions,
    )
    sandbox.seed_data(**{name: getattr(args, name) for name in SEEDED})
    app = sandbox.register_application(client_id=args.client_id, client_secret=args.client_secret)
    async with sandbox, sandbox.serve(port=args.port, host=args.host, http2=args.http2) as base_url:
        print(f"Casebook sandbox at {base_url}", flush=True)
        if args.conventions != "casebook":
            print(f"  conventions:   {args.conventions}", flush=True)
        print(f"  client_id:     {app.client_id}", flush=True)
        print(f"  client_secret: {app.client_secret}  (a sandbox credential, not a real secret)", flush=True)
        print(f"  token:         POST {base_url}/oauth/token (grant_type=client_credentials)", flush=True)
        await anyio.sleep_forever()


def main(argv: list[str] | None = None, prog: str | None = None) -> int:
    """Serve until Ctrl-C (exit 130); a port that cannot be listened on is one line and exit 1."""
    args = build_parser(prog).parse_args(argv)
    try:
        anyio.run(serve, args)
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
        return EXIT_INTERRUPTED
    except ModuleNotFoundError as exc:
        if exc.name != "hypercorn":
            raise
        print("error: --http2 needs hypercorn: pip install hypercorn", file=sys.stderr)
        return 1
    except OSError as exc:  # at startup that is the listening socket: the S3 server starts on first use
        print(f"error: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
