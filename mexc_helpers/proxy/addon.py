"""The diagnosing proxy as a mitmproxy addon: every request and answer pass through unchanged; a refused one is
diagnosed by the doctor exactly as it went over the wire.

``mexc-lab proxy`` loads it into mitmproxy in reverse mode; ``mitmdump -s <mexc-lab proxy --addon-path>`` loads it
into a mitmproxy the user already runs. Either way the options are mitmproxy's (``--set mexc_json=true``):
``mexc_secret_env`` (the variable that holds the secret: it is read from the environment only, never printed,
logged or recorded), ``mexc_json``, ``mexc_only_failures``, ``mexc_har``.

The answer goes back to the bot at once: the diagnosis runs on a worker thread after it, so a slow chain search
never delays a bot, and its line is printed when it is done. Ctrl-C waits for the diagnoses still running, then
prints the summary.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..client import ServerClock, ServerTimeError
from ..doctor import UnusableInput, diagnose
from ..protocol.endpoints import FUTURES_BASE_URL, SPOT_BASE_URL
from ..protocol.envelope import read_answer
from ..protocol.errors import signature_passed
from ..protocol.signing import SignedRequest
from .har import write_masked_har

SECRET_VARIABLE = "MEXC_SECRET_KEY"
CLOCK_RESYNC_S = 60.0  # the server's clock is asked again after this long: a drifting machine stays judged right
CLOCK_TIMEOUT_S = 2.0  # per call: a refusal's diagnosis waits at most 3 x this for the time


@dataclass
class Forwarded:
    """One request the proxy forwarded and the answer it passed back."""

    method: str
    path: str  # without the query: the query holds the signature
    status: int
    code: int | None  # MEXC's code (0: accepted); None when the answer is not MEXC's envelope
    elapsed_ms: float
    request: SignedRequest | None = None  # as sent, for the doctor: read only for a refused request

    @property
    def refused(self) -> bool:
        return self.code is not None and not signature_passed(self.code)


class DiagnosingProxy:
    """mitmproxy hooks: ``response`` and ``error`` show each forwarded request, ``done`` prints the summary."""

    def __init__(self, out=None, err=None, banner: Callable[[bool], list[str]] | None = None):
        self.out, self.err = out, err
        self.banner = banner  # lines printed once the proxy listens, told whether the secret is set
        self.secret: str | None = None
        self.json_lines = False
        self.only_failures = False
        self.har_path = ""
        self.counts: Counter[str] = Counter()
        self.causes: Counter[str] = Counter()
        self.flows: list = []
        self._clocks: dict[str, tuple[ServerClock, float]] = {}
        self._lock = threading.Lock()
        self._clock_lock = threading.Lock()
        self._workers = ThreadPoolExecutor(max_workers=2, thread_name_prefix="mexc-doctor")

    def __repr__(self) -> str:
        return f"<DiagnosingProxy secret={'***' if self.secret else None} json={self.json_lines}>"

    # --- mitmproxy's hooks ------------------------------------------------------------------------------

    def load(self, loader) -> None:
        loader.add_option("mexc_secret_env", str, SECRET_VARIABLE, "The environment variable holding the secret.")
        loader.add_option("mexc_json", bool, False, "One JSON object per line on stdout per request.")
        loader.add_option("mexc_only_failures", bool, False, "Show refused requests only.")
        loader.add_option("mexc_har", str, "", "Record the session as HAR here, keys and signatures masked.")

    def configure(self, updated) -> None:
        from mitmproxy import ctx

        options = ctx.options
        self.secret = os.environ.get(options.mexc_secret_env) or None
        self.json_lines, self.only_failures, self.har_path = (
            options.mexc_json,
            options.mexc_only_failures,
            options.mexc_har,
        )

    def running(self) -> None:
        """The servers listen now: a bot may connect from here on."""
        for line in self.banner(self.secret is not None) if self.banner else ():
            self._print(line, to_err=self.json_lines)

    def response(self, flow) -> None:
        try:
            seen = _forwarded(flow)
            if seen.refused:
                seen.request = _as_sent(flow.request)
        except Exception as error:  # never a traceback, never a stopped proxy: the bot has its answer anyway
            self._print(f"{flow.request.method} {flow.request.path.split('?', 1)[0]}: not read ({error!r:.80})", True)
            return
        if self.har_path:
            self.flows.append(flow)
        if seen.refused:
            self._workers.submit(self._diagnose_and_show, seen, _time_base(flow.request))
        else:
            self._show(seen, None)

    def error(self, flow) -> None:
        """The upstream could not be reached: mitmproxy answers the bot 502; one line says why."""
        if flow.response is not None or flow.error is None:
            return
        request = flow.request
        record = {"method": request.method, "path": request.path.split("?", 1)[0], "status": 502, "code": None}
        record["error"] = f"the upstream {_upstream(request)} did not answer: {flow.error.msg}"
        line = (
            json.dumps(record) if self.json_lines else f"{record['method']} {record['path']} -> 502: {record['error']}"
        )
        with self._lock:
            self.counts["upstream errors"] += 1
            self._print(line)

    def done(self) -> None:
        self._workers.shutdown(wait=True)
        if self.har_path:
            write_masked_har(self.flows, self.har_path)
        self._print(self.summary(), to_err=self.json_lines)

    # --- what it shows ----------------------------------------------------------------------------------

    def summary(self) -> str:
        """One line for Ctrl-C: requests, refused, and each proven cause with its count."""
        counted = ", ".join(f"{cause} x{count}" for cause, count in self.causes.most_common())
        errors = self.counts["upstream errors"]
        line = f"{self.counts['requests']} requests, {self.counts['refused']} refused"
        return line + (f", {errors} upstream errors" if errors else "") + (f"; causes: {counted}" if counted else "")

    def _diagnose_and_show(self, seen: Forwarded, time_base: str) -> None:
        try:
            diagnosis = diagnose(seen.request.to_http(), self.secret, server_time=self._server_time(time_base))
        except UnusableInput as error:  # nothing the doctor can judge (no signature at all, ...)
            diagnosis = str(error).splitlines()[0]
        except Exception as error:  # a bot's request must never stop the proxy
            diagnosis = f"the doctor could not read this request ({type(error).__name__})"
        self._show(seen, diagnosis)

    def _server_time(self, base_url: str) -> int | None:
        """The upstream's time now, from a clock synced at most CLOCK_RESYNC_S ago; None if it cannot be read."""
        with self._clock_lock:  # one sync at a time: the workers share the clock
            clock, synced = self._clocks.get(base_url, (None, -CLOCK_RESYNC_S))
            if time.monotonic() - synced <= CLOCK_RESYNC_S:
                return clock.now() if clock is not None else None  # None: it could not be read; asked again later
            try:
                clock = ServerClock(base_url, samples=3, timeout=CLOCK_TIMEOUT_S)
                clock.sync()
            except (ServerTimeError, OSError, ValueError):
                clock = None
            self._clocks[base_url] = (clock, time.monotonic())
            return clock.now() if clock is not None else None

    def _show(self, seen: Forwarded, diagnosis) -> None:
        record = {"method": seen.method, "path": seen.path, "status": seen.status, "code": seen.code}
        record["elapsed_ms"] = seen.elapsed_ms
        lines = []
        if diagnosis is None:
            record |= {"diagnosed": False, "causes": []}
        elif isinstance(diagnosis, str):
            record |= {"diagnosed": False, "causes": [], "note": diagnosis}
            lines = [diagnosis]
        else:
            found = diagnosis.to_dict()
            record = {**found, **record, "predicted_code": found["code"], "diagnosed": True}
            lines = diagnosis.brief()
        with self._lock:
            self.counts["requests"] += 1
            if seen.refused:
                self.counts["refused"] += 1
                self.causes.update(record["causes"])
            if self.only_failures and not seen.refused:
                return
            if self.json_lines:
                self._print(json.dumps(record))
            else:
                answer = "accepted" if seen.code == 0 else f"{seen.code if seen.code is not None else 'not MEXC'}"
                head = f"{seen.method} {seen.path} -> {seen.status} {answer} ({seen.elapsed_ms:g} ms)"
                self._print("\n".join([head, *(f"    {line}" for line in lines)]))

    def _print(self, text: str, to_err: bool = False) -> None:
        stream = (self.err or sys.stderr) if to_err else (self.out or sys.stdout)
        print(text, file=stream, flush=True)


def _as_sent(request) -> SignedRequest:
    """The request exactly as the bot sent it (its headers in their order, its body's bytes), for the doctor."""
    headers = {name: value for name, value in request.headers.items(multi=True) if name.lower() != "host"}
    body = request.raw_content.decode("utf-8", "replace") if request.raw_content else None
    url = _upstream(request) + request.path
    return SignedRequest(request.method, url, headers, body)


def _forwarded(flow) -> Forwarded:
    request, response = flow.request, flow.response
    answer = read_answer(response.status_code, response.get_text(strict=False) or "")
    code = answer.code if answer.code is not None else (0 if 200 <= response.status_code < 300 else None)
    return Forwarded(
        method=request.method,
        path=request.path.split("?", 1)[0],
        status=response.status_code,
        code=code,
        elapsed_ms=round((response.timestamp_end - request.timestamp_start) * 1000, 1),
    )


def _upstream(request) -> str:
    return f"{request.scheme}://{request.pretty_host}:{request.port}"


def _time_base(request) -> str:
    """Where to ask the server's time for this request: its upstream, or MEXC's spot host for MEXC's futures host
    (one company clock; the futures host has no /api/v3/time). The local and class exchanges serve both."""
    return SPOT_BASE_URL if request.pretty_host == urlsplit(FUTURES_BASE_URL).hostname else _upstream(request)
