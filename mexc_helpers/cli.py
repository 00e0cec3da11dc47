"""The command line: ``mexc-lab`` (or ``python -m mexc_helpers``) ``serve | sign | check | doctor | probe``.

It is the top layer: it only parses arguments, calls the package and prints one-line errors (exit
2) for anything a user can fix: bad input, a missing key, a refused URL, a missing extra.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import pathlib
import shlex
import signal
import sys
import threading

from . import __version__
from .client import MexcClient, ServerTimeError, base_url_from_env, credentials_from_env, fetch_server_time
from .doctor import diagnose, diagnose_all
from .extras import MissingExtra
from .probe import EXPERIMENTS, run_probe
from .probe.run import DEFAULT_SPACING_S, SYNC_SAMPLES
from .protocol.signing import DOCS_API_KEY, DOCS_SECRET_KEY, sign_futures, sign_spot
from .protocol.urls import CLASS_NETWORK_VARIABLE, futures_base_url_for
from .proxy.run import add_arguments as add_proxy_arguments
from .proxy.run import command as run_proxy
from .server.classroom import (
    check_handouts_folder,
    default_keys_path,
    issue_keys,
    new_instructor_token,
    reachable_addresses,
    read_keys_csv,
    read_token,
    serve_class,
    token_path,
    write_handouts,
    write_keys_csv,
    write_token,
)
from .server.exchange import LocalExchange
from .server.log import request_line


def _stop_on_sigterm() -> None:
    def stop(*_):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)


def _class_keys(args: argparse.Namespace):
    """(keys, absolute keys path, token, new keys?) for ``serve --class``; ValueError says what to pass."""
    if args.keys_in:
        path = pathlib.Path(args.keys_in).resolve()
        keys = read_keys_csv(path)
        if args.class_size and args.class_size != len(keys):
            raise ValueError(f"{path} holds {len(keys)} students, not {args.class_size}: drop N to restart that class")
        return keys, path, read_token(path) or new_instructor_token(), False
    if not args.class_size:
        raise ValueError("--class needs N, the number of students, or --keys-in FILE to restart a class")
    path = pathlib.Path(args.keys_out or default_keys_path()).expanduser().resolve()
    if path.exists() or token_path(path).exists():
        raise ValueError(
            f"{path} exists: restart that class with --keys-in {path}, or give a new class another --keys-out"
        )
    return issue_keys(args.class_size), path, new_instructor_token(), True


def _this_command() -> str:
    """How the user ran the kit's command, so a printed command works as given (no virtualenv need be active)."""
    if pathlib.Path(sys.argv[0]).name == "mexc-lab":
        return shlex.quote(sys.argv[0])
    return f"{shlex.quote(sys.executable)} -m mexc_helpers"


def _students_url(args, server) -> tuple[str, str]:
    """The address students reach (never 0.0.0.0) and a few words on who can reach it."""
    addresses = reachable_addresses(args.host)
    if addresses and addresses[0].startswith("127."):
        where = "loopback: only this machine can reach it (--host 0.0.0.0 serves a room)"
    elif addresses:
        others = f"; its other addresses: {', '.join(addresses[1:])}" if len(addresses) > 1 else ""
        where = f"this machine on the network{others}"
    else:
        addresses, where = ["127.0.0.1"], "no network address found: only this machine can reach it"
    return f"http://{addresses[0]}:{server.effective_port}", where


def _class_startup(args, server, keys, path) -> str:
    """The start-up message: where students and the instructor point, with the absolute keys path."""
    url, where = _students_url(args, server)
    port = server.effective_port
    variables = f"MEXC_LAB_URL={url} {CLASS_NETWORK_VARIABLE}=1"
    return "\n".join(
        [
            f"MEXC Signature Lab class exchange for {len(keys)} students, listening on {args.host}:{port}",
            f"  address for students: {url} ({where})",
            f"  keys to hand out: {path} (student, api_key, secret_key; one row per student; readable by you only)",
            f"  restart after a crash, same keys: {_this_command()} serve --class --keys-in {path} --host {args.host} "
            f"--port {port}",
            f"  students: export {variables} MEXC_API_KEY=<api_key> MEXC_SECRET_KEY=<secret_key>",
            f"  instructor token: in {token_path(path)} (readable by you only; the dashboard reads it there)",
            f"  instructor: export {variables} MEXC_CLASS_KEYS={path}",
            "    then open notebooks/instructor/class_dashboard.ipynb",
        ]
    )


def _serve_class(args: argparse.Namespace) -> int:
    try:
        keys, path, token, new = _class_keys(args)
        if args.handouts:
            check_handouts_folder(args.handouts, keys)  # refused before anything is served or written
        server = serve_class(keys, args.host, args.port, args.threads, token=token, on_request=_printer(args))
    except (ValueError, OSError, MissingExtra) as error:
        return _fail(str(error))
    if new:
        write_keys_csv(path, keys)
    write_token(path, token)
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # "task queue depth" is routine with a class
    print(_class_startup(args, server, keys, path), flush=True)
    if args.handouts:
        try:
            folder = write_handouts(args.handouts, keys, _students_url(args, server)[0])
        except (ValueError, OSError) as error:
            server.close()
            return _fail(str(error))
        print(f"  hand-outs: {folder}/<student>.env and <student>.txt, one slip each (readable by you only)")
    print("Press Ctrl-C to stop.", flush=True)
    _stop_on_sigterm()
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
    print("stopped.", flush=True)
    return 0


def _printer(args: argparse.Namespace):
    """One line per request the exchange answers (method, path, verdict, the rule of a refusal), unless --quiet."""
    if args.quiet:
        return None
    lock = threading.Lock()  # the class server answers from many threads: one whole line at a time

    def print_line(entry) -> None:
        with lock:
            print(request_line(entry), flush=True)

    return print_line


def _serve(args: argparse.Namespace) -> int:
    if args.class_size is not None or args.keys_in:
        return _serve_class(args)
    if args.handouts:
        return _fail("--handouts needs --class N (or --keys-in FILE): the slips hold a class's keys")
    exchange = LocalExchange(
        host=args.host, port=args.port, clock_offset_ms=args.clock_offset_ms, on_request=_printer(args)
    )
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


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def _doctor(args: argparse.Namespace) -> int:
    request = sys.stdin.buffer.read() if args.request == "-" else args.request  # bytes: binary input is detected
    secret = None
    if args.secret_env:
        secret = os.environ.get(args.secret_env)
        if not secret:
            return _fail(
                f"the environment variable {args.secret_env} is not set or empty: export it, or drop "
                "--secret-env to diagnose without the secret"
            )
    server_time = args.server_time
    try:
        if args.live and server_time is None:
            server_time = fetch_server_time(base_url_from_env())
        if args.all:
            diagnosis = diagnose_all(request, secret, server_time=server_time)
        else:
            diagnosis = diagnose(request, secret, server_time=server_time, body=args.body)
    except ServerTimeError as error:
        return _fail(f"{error}: pass --server-time MS")
    except ValueError as error:
        return _fail(str(error).splitlines()[0])
    print(json.dumps(diagnosis.to_dict()) if args.json else diagnosis)
    return 0


def _sign(args: argparse.Namespace) -> int:
    try:
        api_key, secret = credentials_from_env()
        params = []
        for item in args.params:
            name, sep, value = item.partition("=")
            if not sep or not name:
                raise ValueError(f"parameter {item!r} is not name=value")
            params.append((name, value))
        if args.futures:
            payload = dict(params) if args.method == "POST" else params
            base_url = futures_base_url_for(base_url_from_env(args.base_url))
            signed = sign_futures(
                args.method,
                args.path,
                payload,
                api_key=api_key,
                secret=secret,
                request_time=args.timestamp,
                base_url=base_url,
            )
        else:
            signed = sign_spot(
                args.method,
                args.path,
                params,
                api_key=api_key,
                secret=secret,
                timestamp=args.timestamp,
                recv_window=args.recv_window,
                base_url=base_url_from_env(args.base_url),
            )
    except (ValueError, MissingExtra) as error:
        return _fail(str(error))
    print(signed.to_curl())
    return 0


def _check(args: argparse.Namespace) -> int:
    try:
        client = MexcClient.from_env(base_url=args.base_url)
    except (ValueError, MissingExtra) as error:
        return _fail(str(error))
    print(f"checking {client.base_url} with key {client.api_key[:4]}...{client.api_key[-3:]} (no order is placed)")
    report = client.check()
    print(report)
    return 0 if report.passed else 1


def _probe(args: argparse.Namespace) -> int:
    try:
        api_key, secret = credentials_from_env()
        if not args.spacing >= 0:
            raise ValueError(f"--spacing must be 0 or more seconds, not {args.spacing}")
        base_url = base_url_from_env(args.base_url)
        sent = sum(len(experiment.steps) for experiment in EXPERIMENTS) + SYNC_SAMPLES
        print(
            f"probing {base_url} (futures: {futures_base_url_for(base_url)}): {len(EXPERIMENTS)} experiments, "
            f"{sent} requests {args.spacing:g} s apart; read-only endpoints and test orders only",
            flush=True,
        )
        report = run_probe(
            api_key, secret, base_url, spacing=args.spacing, on_result=lambda result: print(result.line(), flush=True)
        )
        print(report.summary())
        if args.json:
            with open(args.json, "w", encoding="utf-8") as file:
                json.dump(report.to_dict(secrets=(api_key, secret)), file, indent=2, ensure_ascii=False)
            print(f"report written to {args.json} (no key, secret or signature in it): attach it to an issue")
    except (ValueError, OSError, MissingExtra) as error:
        return _fail(str(error).splitlines()[0])
    return report.exit_code


class _Parser(argparse.ArgumentParser):
    """argparse, with its complaints in one line (exit 2), like every other error of the command."""

    def error(self, message: str):
        hint = " (put -- before a REQUEST that starts with '-')" if "unrecognized arguments: -" in message else ""
        self.exit(2, f"error: {message}{hint}: see '{self.prog} --help'\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="mexc-lab",
        description="MEXC Signature Lab: sign, serve, check and diagnose MEXC API requests "
        "(also runs as python -m mexc_helpers).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    serve = commands.add_parser(
        "serve",
        help="run the local exchange (MEXC's rules, shows its work)",
        description="Run the local exchange until Ctrl-C. It verifies signatures exactly as MEXC does and "
        "accepts the public example key pair from MEXC's docs.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument(
        "--quiet", action="store_true", help="do not print a line per request (the log stays at /lab/log)"
    )
    serve.add_argument("--port", type=int, default=8080, help="port to listen on; 0 picks a free one (default: 8080)")
    serve.add_argument(
        "--clock-offset-ms",
        type=int,
        default=0,
        metavar="N",
        help="shift the exchange's clock by N ms, to rehearse clock drift (default: 0)",
    )
    serve.add_argument(
        "--class",
        dest="class_size",
        type=int,
        nargs="?",
        const=0,
        metavar="N",
        help="classroom mode: issue N key pairs and serve them all with waitress (the [class] extra)",
    )
    serve.add_argument(
        "--keys-out",
        metavar="FILE",
        help="with --class N: write the keys here as CSV, mode 0600 (default: ~/.local/share/mexc-lab/keys.csv)",
    )
    serve.add_argument(
        "--keys-in", metavar="FILE", help="with --class: restart a class with the keys it handed out (its keys.csv)"
    )
    serve.add_argument("--threads", type=int, default=8, help="with --class: worker threads (default: 8)")
    serve.add_argument(
        "--handouts",
        metavar="DIR",
        help="with --class: write a slip per student into DIR (<student>.env and .txt, mode 0600, never overwritten)",
    )
    serve.set_defaults(run=_serve)
    doctor = commands.add_parser(
        "doctor",
        help="diagnose a failing signed request and prove its cause",
        description="Diagnose a signed MEXC request in whatever form you have it: a ccxt verbose log, a curl "
        "command, raw HTTP, a HAR file, Copy as fetch / PowerShell, httpie, a request config, a URL or a query "
        "string (REQUEST '-' reads stdin, e.g. < bot.log). With the secret it proves which client bug produced "
        "the signature; without it, it reports what can be seen and says 'unchecked', never 'ok'. Exits 0 whether or "
        "not the request was broken, 2 for input it cannot use.",
    )
    doctor.add_argument("request", metavar="REQUEST", help="the request, or - to read it from stdin")
    doctor.add_argument("--json", action="store_true", help='print {"verdict": ok|fail|unchecked, "causes", ...}')
    doctor.add_argument(
        "--secret-env", metavar="NAME", help="read the secret from this environment variable (it is never printed)"
    )
    doctor.add_argument("--server-time", type=int, metavar="MS", help="the server time, in ms, to judge the timestamp")
    doctor.add_argument("--body", metavar="TEXT", help="the request body, when REQUEST does not carry it")
    doctor.add_argument(
        "--all",
        action="store_true",
        help="diagnose every request in REQUEST (a bot's ccxt log, a HAR file): one result each and a summary; "
        'with --json, {"diagnoses": [...], "summary": {cause: count}}',
    )
    doctor.add_argument(
        "--live",
        action="store_true",
        help="ask the exchange's public /api/v3/time for the server time: MEXC, or MEXC_LAB_URL / MEXC_BASE_URL "
        "(the secret stays here)",
    )
    doctor.set_defaults(run=_doctor)
    sign = commands.add_parser(
        "sign",
        help="print a correctly signed curl command",
        description="Sign a request with MEXC_API_KEY / MEXC_SECRET_KEY (environment or .env; never arguments) and "
        "print it as a curl command. Example: sign -X POST /api/v3/order/test symbol=BTCUSDT side=BUY type=MARKET "
        "quantity=0.001",
    )
    sign.add_argument("path", metavar="PATH", help="the endpoint path, like /api/v3/account")
    sign.add_argument("params", metavar="NAME=VALUE", nargs="*", help="parameters, in the order to send them")
    sign.add_argument("-X", "--method", default="GET", type=str.upper, help="HTTP method (default: GET)")
    sign.add_argument("--futures", action="store_true", help="sign for the futures (contract) API")
    sign.add_argument(
        "--base-url", help="the exchange (default: MEXC_LAB_URL, else MEXC_BASE_URL, else MEXC's own hosts)"
    )
    sign.add_argument("--timestamp", type=int, metavar="MS", help="timestamp / Request-Time in ms (default: now)")
    sign.add_argument("--recv-window", type=int, metavar="MS", help="recvWindow in ms (spot only)")
    sign.set_defaults(run=_sign)
    check = commands.add_parser(
        "check",
        help="the safe live check: server time, account (read-only), a test order (never placed)",
        description="Check your keys, clock and signing against MEXC (or MEXC_LAB_URL) without placing an order. "
        "Keys come from MEXC_API_KEY / MEXC_SECRET_KEY or .env. Exits 0 on pass, 1 on fail, 2 if keys are missing.",
    )
    check.add_argument(
        "--base-url", help="the exchange (default: MEXC_LAB_URL, else MEXC_BASE_URL, else https://api.mexc.com)"
    )
    check.set_defaults(run=_check)
    probe = commands.add_parser(
        "probe",
        help="ask MEXC what its docs leave open: a fixed list of small experiments, compared with the kit's rules",
        description="Send a fixed list of small experiments (about 40 requests: read-only endpoints and test orders, "
        "never an order, a cancel, a withdrawal or a transfer) signed with MEXC_API_KEY / MEXC_SECRET_KEY "
        "(environment or .env), and compare each answer with the local exchange's prediction: agree, disagree or "
        "inconclusive. Exits 0 if none disagree, 1 if some do, 2 for a usage or keys error.",
    )
    probe.add_argument(
        "--base-url", help="the exchange (default: MEXC_LAB_URL, else MEXC_BASE_URL, else https://api.mexc.com)"
    )
    probe.add_argument(
        "--spacing",
        type=float,
        default=DEFAULT_SPACING_S,
        metavar="S",
        help=f"seconds between two requests, to stay far under MEXC's rate limits (default: {DEFAULT_SPACING_S})",
    )
    probe.add_argument(
        "--json", metavar="FILE", help="also write the report as JSON (no key, secret or signature in it)"
    )
    probe.set_defaults(run=_probe)
    proxy = commands.add_parser(
        "proxy",
        help="run your bot through the doctor: forward to MEXC, diagnose each refusal ([proxy] extra)",
    )
    add_proxy_arguments(proxy)
    proxy.set_defaults(run=run_proxy)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except BrokenPipeError:  # `mexc-lab doctor ... | head`: the reader has what it wanted; end quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # Python's own flush at exit would hit the closed pipe again
        return 0
