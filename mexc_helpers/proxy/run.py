"""``mexc-lab proxy``: mitmproxy in reverse mode on this machine, spot on one port and futures on another, with the
diagnosing addon (:mod:`mexc_helpers.proxy.addon`). A bot changes only its base URL.

Reverse mode needs no certificate: the bot speaks plain http to the proxy on loopback, the proxy speaks https to
MEXC. The request is forwarded as it arrived (its bytes, its headers in their order); only ``Host`` names the
upstream, as any reverse proxy must. HTTP/2 to the upstream is off, so header names keep their case.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ..extras import MissingExtra, require
from ..protocol.urls import (
    check_base_url,
    class_network_opted_in,
    futures_base_url_for,
    is_loopback,
    resolve_base_url,
)

ADDON_SCRIPT = Path(__file__).with_name("mitmdump_script.py")


class ProxySetupError(ValueError):
    """The proxy cannot start as asked; the message says why in one line."""


@dataclass(frozen=True)
class ProxyPlan:
    """Where the proxy listens and where it forwards: checked before anything starts."""

    host: str
    port: int
    futures_port: int
    upstream: str
    futures_upstream: str

    @property
    def modes(self) -> list[str]:
        """mitmproxy's ``--mode`` values: one reverse proxy per API."""
        return [f"reverse:{self.upstream}@{self.port}", f"reverse:{self.futures_upstream}@{self.futures_port}"]

    def banner(self, secret_env: str, secret_set: bool) -> list[str]:
        here = f"http://{'127.0.0.1' if self.host in ('127.0.0.1', 'localhost') else self.host}"
        secret = (
            f"the secret from {secret_env} (never printed): refusals are diagnosed and their causes proven"
            if secret_set
            else f"{secret_env} is not set: refusals are shown, their causes cannot be proven"
        )
        return [
            f"mexc-lab proxy: spot {here}:{self.port} -> {self.upstream}, "
            f"futures {here}:{self.futures_port} -> {self.futures_upstream}",
            secret,
            f"point your bot's base URL at {here}:{self.port} (futures: {here}:{self.futures_port}); "
            "Ctrl-C prints a summary",
        ]


def plan(
    *,
    host: str,
    port: int,
    futures_port: int,
    upstream: str,
    futures_upstream: str | None,
    class_network: bool,
) -> ProxyPlan:
    """Check the listening address and the upstreams (the kit's one plain-http policy); ProxySetupError if wrong."""
    if port == futures_port:
        raise ProxySetupError(f"--port and --futures-port are both {port}: give each API its own port")
    try:
        spot = check_base_url(upstream, class_network=class_network)
        futures = check_base_url(futures_upstream or futures_base_url_for(spot), class_network=class_network)
    except ValueError as error:
        raise ProxySetupError(str(error)) from None
    for name, url in (("--upstream", spot), ("--futures-upstream", futures)):
        parts = urlsplit(url)
        if parts.path not in ("", "/"):
            raise ProxySetupError(f"{name} {url} has a path: give just scheme, host and port")
        if is_loopback(url) and parts.port in (port, futures_port):
            raise ProxySetupError(
                f"{name} {url} is this proxy itself (is MEXC_BASE_URL or MEXC_LAB_URL pointing at the proxy?)"
            )
    return ProxyPlan(host, port, futures_port, spot, futures)


def listening_warning(host: str) -> str | None:
    """One line when the proxy listens beyond this machine: anyone who reaches it can send through it."""
    if host in ("127.0.0.1", "localhost", "::1"):
        return None
    return (
        f"warning: listening on {host}, not only this machine: anyone who can reach it can send requests through it "
        "and read the diagnoses (use --host 127.0.0.1 unless you mean it)"
    )


def serve(plan: ProxyPlan, *, secret_env: str, json_lines: bool, har: str | None, only_failures: bool) -> int:
    """Run the proxy until Ctrl-C (or SIGTERM); the addon prints a line per request and the summary at the end."""
    require("mitmproxy", "proxy", "mexc-lab proxy")
    return asyncio.run(_serve(plan, secret_env, json_lines, har or "", only_failures))


async def _serve(plan: ProxyPlan, secret_env: str, json_lines: bool, har: str, only_failures: bool) -> int:
    from mitmproxy import master as mitmproxy_master
    from mitmproxy import options
    from mitmproxy.addons import core, errorcheck, next_layer, proxyserver, tlsconfig

    from .addon import DiagnosingProxy

    settings = options.Options(listen_host=plan.host, mode=plan.modes)
    master = mitmproxy_master.Master(settings, with_termlog=True)
    # Only the addons a reverse proxy needs, then the doctor: mitmdump loads some thirty, each called on every
    # request (without them, the added median at 20 connections fell from 32 to 20 ms in benchmarks/bench_proxy.py).
    addon = DiagnosingProxy(banner=lambda secret_set: plan.banner(secret_env, secret_set))
    master.addons.add(
        core.Core(), proxyserver.Proxyserver(), next_layer.NextLayer(), tlsconfig.TlsConfig(), errorcheck.ErrorCheck()
    )
    master.addons.add(addon)
    settings.update(
        http2=False,  # HTTP/1.1 to the upstream: header names keep their case, as the bot wrote them
        connection_strategy="lazy",  # read the request first: an upstream that is down gets a 502, not a reset
        termlog_verbosity="error",
        mexc_secret_env=secret_env,
        mexc_json=json_lines,
        mexc_only_failures=only_failures,
        mexc_har=har,
    )
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):  # Windows: Ctrl-C still raises KeyboardInterrupt
            loop.add_signal_handler(signum, master.shutdown)
    await master.run()
    return 0


def add_arguments(parser) -> None:
    """``mexc-lab proxy``'s options (the command line lives beside what it runs)."""
    parser.add_argument("--port", type=int, default=8080, help="spot: the port your bot's base URL points at")
    parser.add_argument("--futures-port", type=int, default=8081, help="futures: its own port (default 8081)")
    parser.add_argument("--host", default="127.0.0.1", help="where to listen (default: this machine only)")
    parser.add_argument(
        "--upstream",
        metavar="URL",
        help="where spot requests go (default: MEXC_LAB_URL or MEXC_BASE_URL if set, else https://api.mexc.com)",
    )
    parser.add_argument(
        "--futures-upstream",
        metavar="URL",
        help="where futures requests go (default: https://contract.mexc.com with MEXC, else the spot upstream)",
    )
    parser.add_argument(
        "--secret-env", default="MEXC_SECRET_KEY", metavar="NAME", help="the variable holding the secret"
    )
    parser.add_argument("--json", action="store_true", help="one JSON object per line on stdout per request")
    parser.add_argument("--har", metavar="FILE", help="record the session as HAR, keys and signatures masked")
    parser.add_argument("--only-failures", action="store_true", help="show refused requests only")
    parser.add_argument("--addon-path", action="store_true", help="print the addon's path for `mitmdump -s` and exit")


def command(args) -> int:
    """``mexc-lab proxy``: check the plan, then serve until Ctrl-C. Errors are one line on stderr (exit 2)."""
    if args.addon_path:
        print(ADDON_SCRIPT)
        return 0
    try:
        for name in ("port", "futures_port"):
            if not 1 <= getattr(args, name) <= 65535:
                raise ProxySetupError(f"--{name.replace('_', '-')} must be a port from 1 to 65535")
        chosen = plan(
            host=args.host,
            port=args.port,
            futures_port=args.futures_port,
            upstream=resolve_base_url(args.upstream, os.environ),
            futures_upstream=args.futures_upstream,
            class_network=class_network_opted_in(os.environ),
        )
        for option, port in (("--port", chosen.port), ("--futures-port", chosen.futures_port)):
            _check_free(chosen.host, port, option)
        warning = listening_warning(args.host)
        if warning:
            print(warning, file=sys.stderr)
        return serve(
            chosen, secret_env=args.secret_env, json_lines=args.json, har=args.har, only_failures=args.only_failures
        )
    except (ValueError, MissingExtra, OSError) as error:
        print(f"error: {str(error).splitlines()[0]}", file=sys.stderr)
        return 2


def _check_free(host: str, port: int, option: str) -> None:
    """ProxySetupError (one line) if ``port`` is taken on ``host``, before mitmproxy says it in its own words."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as asyncio binds: a TIME_WAIT is no conflict
        try:
            probe.bind((host, port))
        except OSError as error:
            raise ProxySetupError(
                f"cannot listen on {host}:{port} ({error.strerror}): choose another {option}"
            ) from None
