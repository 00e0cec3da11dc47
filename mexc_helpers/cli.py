"""The command line: ``python -m mexc_helpers serve`` (more commands arrive with the client and doctor)."""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from .exchange import DOCS_API_KEY, DOCS_SECRET_KEY, LocalExchange


def _serve(args: argparse.Namespace) -> int:
    exchange = LocalExchange(host=args.host, port=args.port, clock_offset_ms=args.clock_offset_ms)
    try:
        exchange.start()
    except OSError as exc:
        print(f"error: {exc.strerror}", file=sys.stderr)
        return 2
    print(f"MEXC Signature Lab local exchange on {exchange.base_url}", flush=True)
    print(f"  spot V3:  {exchange.base_url}/api/v3/...   futures: {exchange.base_url}/api/v1/...")
    print(f"  api key:  {DOCS_API_KEY}")
    print(f"  secret:   {DOCS_SECRET_KEY}   (the public example pair from MEXC's docs)")
    print(f"  clock offset: {exchange.clock_offset_ms} ms")
    print("Press Ctrl-C to stop.", flush=True)
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    try:
        while not stopped.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        exchange.stop()
    print("stopped.", flush=True)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m mexc_helpers",
        description="MEXC Signature Lab: sign, serve and check MEXC API requests.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    serve = commands.add_parser(
        "serve",
        help="run the local exchange (MEXC's rules, shows its work)",
        description="Run the local exchange until Ctrl-C. It verifies signatures exactly as MEXC does and "
        "accepts the public example key pair from MEXC's docs.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8080, help="port to listen on; 0 picks a free one (default: 8080)")
    serve.add_argument(
        "--clock-offset-ms",
        type=int,
        default=0,
        metavar="N",
        help="shift the exchange's clock by N ms, to rehearse clock drift (default: 0)",
    )
    serve.set_defaults(run=_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)
