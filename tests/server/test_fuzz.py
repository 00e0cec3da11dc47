"""Fuzzing: nothing a client sends makes the exchange, the doctor or the CLI crash, hang or answer out of contract.

What is fuzzed, and the property each test asserts:

* The exchange's WSGI app, in process, driven with PEP 3333 environs built by hand from raw bytes (more
  than 10,000 cases in all): any method, a real route or any path (percent escapes, control bytes, very
  long), any query bytes (decoded latin-1, as a server hands them over), any headers (the key, time and
  signature headers with hostile values, Content-Length that does not match the body, chunked input), any
  body (binary, "1E+1000000", 5000-digit integers, NaN, Infinity, "[[[[...", Unicode digits like "²" and
  "١٢٣"). Beside raw bytes, *correctly signed* spot and futures requests whose parameter values are
  hostile, so that the business code (orders, open orders, cancels) runs after the signature is accepted.
  Property of every answer: it comes within STALL_S seconds; its status is below 500; its body is strict
  JSON (no NaN or Infinity tokens, UTF-8); a success is any JSON for spot and ``{"success": true, "code":
  0, "data": ...}`` for futures (paths under /api/v1/); anything else is MEXC's error envelope, spot
  ``{"code", "msg"}`` or futures ``{"success": false, "code", "message"}``, with a code from CODES and that
  code's HTTP status. After each signed hostile request, the open orders (spot and futures) and the
  request log of its key still answer 200 with JSON: a stored hostile order must not break later answers.
  After each test, correctly signed requests with the docs key still answer 200 / success.

  The app runs in one forked worker process per module (one ExchangeApp on a frozen clock), so a request
  that stalls (``int(Decimal("1E+1000000"))`` takes tens of seconds) is cut off after STALL_S + 1 s and
  reported, instead of holding the whole run while Hypothesis shrinks it. The worker sends back what the
  app logged while answering, so a 500's traceback is in the failure message.

* The embedded server (LocalExchange, werkzeug on 127.0.0.1) over a real socket: raw request lines
  (garbage methods, targets with spaces and control bytes, HTTP/9.9, missing CRLFs), raw header blocks and
  bodies shorter or longer than Content-Length, always sent whole (then SHUT_WR), so no case waits on a
  read timeout. Property: an answer or a close within WIRE_TIMEOUT_S; for a target under /api/, no 5xx and
  a JSON body with a documented code; afterwards a good signed request still gets 200.

* diagnose(): any text or bytes (curl commands, URLs, query strings, JSON, signature=<64 hex> fragments,
  huge numbers, Unicode digits in the time fields, NUL bytes, up to ~100 KB), with and without the secret
  and the server time. Property: a Diagnosis that renders (str, to_dict as strict JSON, the fixed request
  as curl), or a ValueError (UnusableInput, a refused secret) whose message is one non-empty line; never
  another exception; each call within STALL_S (run in the worker too).

* The CLI, in process: ``doctor --json TEXT``, ``doctor TEXT --server-time MS`` and ``doctor --json -``
  with TEXT on stdin. Property: exit 0 with a report (JSON with verdict/causes/findings, or text starting
  ``ok:``/``fail:``), or exit 2 with exactly one line ``error: ...`` on stderr; never a traceback.

FUZZ_SCALE=10 multiplies every case count for a longer hunt than the suite's.
"""

from __future__ import annotations

import io
import itertools
import json
import logging
import multiprocessing
import os
import re
import socket
import sys
import time
import traceback
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from mexc_helpers import cli
from mexc_helpers.doctor import Diagnosis, diagnose
from mexc_helpers.protocol.codes import CODES
from mexc_helpers.protocol.digest import hmac_sha256_hex
from mexc_helpers.protocol.encoding import canonical_query
from mexc_helpers.protocol.signing import SignedRequest, sign_futures, sign_spot, spot_signature
from mexc_helpers.server.app import OPEN_ORDERS_PATH, ROUTES, ExchangeApp
from mexc_helpers.server.exchange import LocalExchange
from tests.conftest import DOCS_KEY, DOCS_SECRET, NOW, FrozenClock

# A hang guard, not a speed test (speed is measured in benchmarks/): a stall (a million-digit int) takes tens of
# seconds, while a loaded 2-core machine running the suite in parallel can take seconds for an honest call.
STALL_S = 10.0
pytestmark = pytest.mark.slow  # a fuzzing hunt: `make test` and CI run it, `make test-fast` does not
WIRE_TIMEOUT_S = 5.0
# The suite's share of each fuzzing budget; FUZZ_SCALE=1 runs the full budgets (CI does: .ci/run).
SCALE = float(os.environ.get("FUZZ_SCALE", "0.1"))
LOCAL = "http://localhost"


def cases(count: int):
    return settings(
        max_examples=max(1, int(count * SCALE)),
        deadline=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
            HealthCheck.function_scoped_fixture,
        ],
    )


# --- the exchange under test, in a worker process --------------------------------------------------

APP = ExchangeApp({DOCS_KEY: DOCS_SECRET}, clock=lambda: NOW)


@dataclass(frozen=True)
class Raw:
    """One request as a WSGI server hands it to the app: PATH_INFO and QUERY_STRING are latin-1 text."""

    method: str
    path: str
    query: str = ""
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    chunked: bool = False  # wsgi.input_terminated, as werkzeug sets it for Transfer-Encoding: chunked

    def __repr__(self) -> str:
        def cut(value, limit=300):
            text = repr(value)
            return text if len(text) <= limit else f"{text[:limit]}...<{len(value)} long>"

        return (
            f"Raw(method={cut(self.method)}, path={cut(self.path)}, query={cut(self.query)}, "
            f"headers={cut(self.headers, 600)}, body={cut(self.body)}, chunked={self.chunked})"
        )


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str
    body: bytes
    logged: str  # what the package logged while answering: the traceback of a 500


class _Captured(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(self.format(record))


CAPTURED = _Captured()


def environ_for(request: Raw) -> dict:
    environ = {
        "REQUEST_METHOD": request.method,
        "SCRIPT_NAME": "",
        "PATH_INFO": request.path,
        "QUERY_STRING": request.query,
        "REQUEST_URI": f"{request.path}?{request.query}" if request.query else request.path,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(request.body),
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    if request.body:
        environ["CONTENT_LENGTH"] = str(len(request.body))
    if request.chunked:
        environ["wsgi.input_terminated"] = True
    for name, value in request.headers:
        key = name.upper().replace("-", "_")
        if key not in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            key = f"HTTP_{key}"
            value = f"{environ[key]},{value}" if key in environ else value
        environ[key] = value
    return environ


def call_app(request: Raw) -> Answer:
    """Runs in the worker: one request through the module's app, as a WSGI server would run it."""
    CAPTURED.lines.clear()
    started, chunks = [], []

    def start_response(status, headers, exc_info=None):
        started.append((status, headers))
        return chunks.append

    iterable = APP(environ_for(request), start_response)
    try:
        chunks.extend(iterable)
    finally:
        getattr(iterable, "close", lambda: None)()
    status, headers = started[-1]
    content_type = next((value for name, value in headers if name.lower() == "content-type"), "")
    return Answer(int(status.split()[0]), content_type, b"".join(chunks), "\n".join(CAPTURED.lines))


def call_with_key(api_key: str, requests: tuple[Raw, ...]) -> list[tuple[Answer, float]]:
    """Runs in the worker: register the key (docs secret), then answer each request in turn, timing each."""
    APP.add_key(api_key, DOCS_SECRET)
    results = []
    for request in requests:
        start = time.perf_counter()
        results.append((call_app(request), time.perf_counter() - start))
    return results


def _serve(connection) -> None:
    """The worker: run (function, args) messages until the pipe closes; answer (kind, value, seconds)."""
    package_logger = logging.getLogger("mexc_helpers")
    package_logger.handlers[:] = [CAPTURED]
    package_logger.propagate = False
    while True:
        try:
            function, args = connection.recv()
        except (EOFError, OSError):
            return
        start = time.perf_counter()
        try:
            outcome = ("returned", function(*args))
        except BaseException:  # reported to the parent, which fails the case with it
            outcome = ("raised", traceback.format_exc())
        connection.send((*outcome, time.perf_counter() - start))


class Lab:
    """The module's ExchangeApp (and the doctor) in a forked worker that is replaced when a call stalls.

    Without fork (Windows), calls run in this process: same properties, but a stall is not cut off.
    """

    def __init__(self):
        self._forking = "fork" in multiprocessing.get_all_start_methods()
        self._process = None
        if self._forking:
            self._start()
        else:
            logging.getLogger("mexc_helpers").addHandler(CAPTURED)

    def _start(self) -> None:
        context = multiprocessing.get_context("fork")
        self._connection, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(child,), daemon=True, name="fuzz-lab")
        self._process.start()
        child.close()

    def _stop(self) -> None:
        self._connection.close()
        self._process.kill()
        self._process.join()

    def close(self) -> None:
        if self._forking:
            self._stop()
        else:
            logging.getLogger("mexc_helpers").removeHandler(CAPTURED)

    def run(self, function, *args):
        """``function(*args)`` in the worker: (its result, seconds taken)."""
        if not self._forking:
            start = time.perf_counter()
            return function(*args), time.perf_counter() - start
        self._connection.send((function, args))
        if not self._connection.poll(STALL_S + 1):
            self._stop()
            self._start()  # a fresh copy of the module's app: the stalled one is gone
            shown = repr(args)
            raise AssertionError(
                f"stall: {function.__name__}{shown[:2000]} did not return within {STALL_S + 1} s (killed)"
            )
        kind, value, seconds = self._connection.recv()
        if kind == "raised":
            raise AssertionError(f"{function.__name__} raised in the worker:\n{value}")
        return value, seconds

    def call(self, request: Raw) -> tuple[Answer, float]:
        return self.run(call_app, request)


@pytest.fixture(scope="module")
def lab():
    worker = Lab()
    yield worker
    worker.close()


_fresh_keys = itertools.count(1)


def fresh_key() -> str:
    """A key no case used before (call_with_key registers it): each case's orders and log entries are its own."""
    return f"mx0fuzz{next(_fresh_keys):011d}"


# --- what every answer must be ---------------------------------------------------------------------


def _refuse_constant(token: str):
    raise ValueError(f"{token} is not JSON")


def strict_json(body: bytes):
    """The body as JSON, refusing what json.loads lets through: NaN, Infinity, bytes that are not UTF-8."""
    return json.loads(body.decode("utf-8"), parse_constant=_refuse_constant)


def assert_documented(request: Raw, answer: Answer, seconds: float) -> object:
    """An answer within STALL_S, below 500, in strict JSON, in MEXC's envelope; returns the payload."""
    where = f"{request!r}\n -> HTTP {answer.status} {answer.body[:400]!r}\n{answer.logged}"
    assert seconds < STALL_S, f"took {seconds:.2f} s: {where}"
    assert answer.status < 500, where
    assert answer.content_type.startswith("application/json"), where
    if request.method == "HEAD":  # the answer to HEAD has no body
        assert answer.body == b"", where
        return None
    try:
        payload = strict_json(answer.body)
    except ValueError as error:
        raise AssertionError(f"not strict JSON ({error}): {where}") from None
    futures = request.path.startswith("/api/v1/")
    failed = isinstance(payload, dict) and payload.get("success") is False
    if answer.status == 200 and not failed:
        if futures:
            assert isinstance(payload, dict) and payload.get("success") is True, where
            assert payload.get("code") == 0 and "data" in payload, where
        return payload
    assert isinstance(payload, dict), where
    if futures:
        assert set(payload) == {"success", "code", "message"} and payload["success"] is False, where
        message = payload["message"]
    else:
        assert set(payload) == {"code", "msg"}, where
        message = payload["msg"]
    assert payload["code"] in CODES, f"undocumented code: {where}"
    assert isinstance(message, str) and message, where
    assert answer.status == CODES[payload["code"]].http_status, f"status is not the code's: {where}"
    return payload


def raw_from_signed(signed: SignedRequest) -> Raw:
    parts = urlsplit(signed.url)
    return Raw(signed.method, parts.path, parts.query, tuple(signed.headers.items()), (signed.body or "").encode())


def assert_read_ok(request: Raw, answer: Answer, seconds: float, why: str) -> object:
    """A good signed read: 200 (and success for futures), besides everything assert_documented asks."""
    payload = assert_documented(request, answer, seconds)
    assert answer.status == 200, f"{why}: {request!r} -> {answer.status} {answer.body[:400]!r}\n{answer.logged}"
    if request.path.startswith("/api/v1/"):
        assert payload["success"] is True, f"{why}: {payload}"
    return payload


def key_reads(api_key: str) -> tuple[Raw, ...]:
    """The key's open orders (spot, futures) and its request log, correctly signed."""
    spot = dict(api_key=api_key, secret=DOCS_SECRET, timestamp=NOW, base_url=LOCAL)
    futures = dict(api_key=api_key, secret=DOCS_SECRET, request_time=NOW, base_url=LOCAL)
    return (
        raw_from_signed(sign_spot("GET", "/api/v3/openOrders", {}, **spot)),
        raw_from_signed(sign_futures("GET", OPEN_ORDERS_PATH, {}, **futures)),
        raw_from_signed(sign_spot("GET", "/lab/log", {}, **spot)),
    )


def assert_hostile_then_reads(lab: Lab, request: Raw, api_key: str) -> None:
    """The hostile request gets a documented answer; then the key's reads still answer 200 (nothing stored broke)."""
    reads = key_reads(api_key)
    results, _ = lab.run(call_with_key, api_key, (request, *reads))
    assert_documented(request, *results[0])
    for read, (answer, seconds) in zip(reads, results[1:], strict=True):
        assert_read_ok(read, answer, seconds, f"after {request!r}")


def assert_still_serving(lab: Lab) -> None:
    """Good signed requests with the docs key, after a whole test's hostile ones."""
    spot = dict(api_key=DOCS_KEY, secret=DOCS_SECRET, timestamp=NOW, base_url=LOCAL)
    futures = dict(api_key=DOCS_KEY, secret=DOCS_SECRET, request_time=NOW, base_url=LOCAL)
    reads = (
        raw_from_signed(sign_spot("GET", "/api/v3/account", {}, **spot)),
        raw_from_signed(sign_futures("GET", OPEN_ORDERS_PATH, {}, **futures)),
        Raw("GET", "/api/v3/ping"),
        *key_reads(DOCS_KEY),
    )
    for read in reads:
        payload = assert_read_ok(read, *lab.call(read), "after the fuzzing")
        if read.path == "/api/v3/account":
            assert payload["balances"], payload


# --- hostile values -------------------------------------------------------------------------------


def repeated(text: str, count: int):
    """``text * count``, drawn lazily: a strategy holding a 5000-character literal makes Hypothesis's reprs huge."""
    return st.just(count).map(lambda times: text * times)


HUGE = st.one_of(
    st.sampled_from(["1E+1000000", "1e-1000000", "1E+999999", "-1E+1000000", "1E+4300", "0E-1000000"]),
    repeated("9", 5000),
    repeated("1", 5000),
)
ODD_NUMBERS = [
    "NaN",
    "nan",
    "sNaN",
    "-NaN",
    "Infinity",
    "-Infinity",
    "inf",
    "1e400",
    "-0",
    "0",
    "²",
    "١٢٣",
    "１２３",
    "1_000",
    "0x1A",
    " 1",
    "1 ",
    "+1",
    "1.",
    ".1",
    "1e",
    "--1",
    "",
    "0.000000000000000000000000000000001",
]
HOSTILE_NUMBERS = st.one_of(
    HUGE,
    st.sampled_from(ODD_NUMBERS),
    st.integers(1, 6000).map(lambda n: "9" * n),
    st.builds(
        lambda sign, mantissa, exponent: f"{sign}{mantissa}E{exponent:+d}",
        st.sampled_from(["", "-", "+"]),
        st.sampled_from(["1", "9.99", "0", "123456789"]),
        st.integers(-1_100_000, 1_100_000),
    ),
    st.floats().map(repr),
    st.integers().map(str),
    st.text(st.characters(categories=["Nd", "No", "Nl"]), min_size=1, max_size=8),
)
# Raw JSON number tokens, unquoted: Python's json reads NaN and Infinity, and 5000 digits are past int()'s limit.
JSON_NUMBER_TOKENS = st.one_of(
    st.sampled_from(["1E+1000000", "1e-1000000", "1E+999999", "NaN", "Infinity", "-Infinity", "1e400", "-0"]),
    st.integers(1, 6000).map(lambda n: "9" * n),
    st.builds(lambda m, e: f"{m}e{e:+d}", st.integers(-9, 9), st.integers(-1_100_000, 1_100_000)),
    st.integers().map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
)
BAD_ESCAPES = ["%", "%G1", "%FF%FE", "%00", "%2", "%u00e9", "%%", "+", "%C3", "%E2%82", "%ED%A0%80"]
TIME_VALUES = st.one_of(
    st.just(str(NOW)),
    st.integers(NOW - 100_000, NOW + 100_000).map(str),
    st.sampled_from(["²", "١٢٣", "1" * 17, "", "-1", "1e12", f" {NOW}", f"{NOW} ", f"+{NOW}", f"{NOW}.0"]),
    repeated("1", 5000),
    HOSTILE_NUMBERS,
)
WORDS = st.text(max_size=12)
PARAM_NAMES = st.one_of(
    st.sampled_from(
        ["symbol", "side", "type", "quantity", "price", "quoteOrderQty", "timestamp", "recvWindow", "signature"]
    ),
    st.sampled_from(["orderId", "origClientOrderId", "newClientOrderId", "vol", "a", "", "=", "&"]),
    WORDS,
)
PARAM_VALUES = st.one_of(
    HOSTILE_NUMBERS,
    TIME_VALUES,
    st.sampled_from(["BTCUSDT", "BTC_USDT", "BUY", "SELL", "LIMIT", "MARKET", "0.001", "64000"]),
    repeated("x", 5000),
    WORDS,
)
HEX64 = st.text("0123456789abcdef", min_size=64, max_size=64)
# Numbers at the edges of what an order may hold: accepted orders get stored, and later answers serialize them.
EDGE_NUMBERS = st.one_of(
    st.sampled_from(["1e30", "1E+30", "1e-30", "1E-30", "999999999999999999999999999999", "1e29", "0.000001", "1E+1"]),
    st.sampled_from(["64000.123456789", "0.01", "1.0000000000000000000000000001", "5E-324", "1.7976931348623157e308"]),
    st.floats(min_value=1e-30, max_value=1e30).map(repr),
    st.integers(1, 10**30).map(str),
)
EDGE_TEXT = st.one_of(st.text(max_size=70), st.sampled_from(["\u2028", "\x00", "é" * 64, "</script>", '"', "\\"]))


def mostly(value, otherwise, odds: int = 3):
    """``value`` about ``odds`` times in ``odds + 1``, else a draw from ``otherwise`` (one_of draws branches evenly)."""
    return st.integers(0, odds).flatmap(lambda roll: st.just(value) if roll else otherwise)


def latin1(data: bytes) -> str:
    return data.decode("latin-1")


# --- raw WSGI requests ------------------------------------------------------------------------------

ROUTE_PATHS = sorted({path.replace("<symbol>", "BTC_USDT") for _, path, _ in ROUTES})
METHODS = st.one_of(
    st.sampled_from(["GET", "POST", "DELETE", "PUT", "HEAD"]),
    st.sampled_from(["OPTIONS", "PATCH", "TRACE", "CONNECT", "get", "Post", ""]),
    st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_!#", min_size=1, max_size=10),
    st.binary(max_size=10).map(latin1),
)
PATHS = st.one_of(
    st.sampled_from(ROUTE_PATHS),
    st.sampled_from(ROUTE_PATHS),
    st.tuples(
        st.sampled_from(ROUTE_PATHS),
        st.sampled_from(["/", "//", "/.", "/..", "%2F", "/%00", "\x00", ";x", "/x", "\xff", "?", "\r\n", " "]),
    ).map("".join),
    st.tuples(st.sampled_from(["/api/v3/", "/api/v1/", "/api/v1/private/", OPEN_ORDERS_PATH + "/"]), st.binary()).map(
        lambda parts: parts[0] + latin1(parts[1])
    ),
    st.binary(max_size=64).map(lambda data: "/" + latin1(data)),
    st.builds(
        lambda path, count, filler: path + filler * count,
        st.sampled_from(ROUTE_PATHS),
        st.integers(1000, 70_000),
        st.sampled_from(["a", "/", "%", "\xff"]),
    ),
)


QUERY_STYLES = st.sampled_from(["quoted", "quoted", "quoted", "raw", "raw", *BAD_ESCAPES])


@st.composite
def query_strings(draw) -> str:
    """Query bytes: anything, or name=value pairs with bad escapes, hostile values, duplicates, a signature."""
    kind = draw(st.integers(0, 4))
    if kind == 0:
        return latin1(draw(st.binary(max_size=300)))
    if kind == 1:
        return f"a={'1' * draw(st.integers(1000, 100_000))}"
    pieces = []
    for name, value, style in draw(st.lists(st.tuples(PARAM_NAMES, PARAM_VALUES, QUERY_STYLES), max_size=5)):
        if style == "quoted":
            pieces.append(f"{quote(name, safe='')}={quote(value, safe='')}")
        elif style == "raw":
            pieces.append(latin1(f"{name}={value}".encode()))
        else:
            pieces.append(f"{quote(name, safe='')}={style}")
    if kind == 4:
        pieces.append(f"signature={draw(HEX64)}")
    return draw(st.sampled_from(["&", "&", "&&", ";"])).join(pieces)


HEADER_NAMES = st.one_of(
    st.sampled_from(["X-MEXC-APIKEY", "ApiKey", "Request-Time", "Recv-Window", "Signature", "Content-Type"]),
    st.sampled_from(["Content-Length", "Transfer-Encoding", "Host", "Authorization", "Expect", "x-mexc-apikey"]),
    st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_", min_size=1, max_size=16),
    st.binary(min_size=1, max_size=16).map(latin1),
)
HEADER_VALUES = st.one_of(
    st.sampled_from([DOCS_KEY, DOCS_KEY, "mx0unknownKey123", "not a key!", str(NOW), "0" * 64, "a" * 64, "²", "١٢٣"]),
    st.sampled_from(["application/json", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]),
    st.sampled_from(["text/plain; charset=utf-16", "chunked", "-1", "abc", "99999999999999999999", "0", "Bearer x"]),
    st.sampled_from([" ", "", "\t", DOCS_KEY + " ", "\x00", "\xff" * 20]),
    repeated("1", 5000),
    HOSTILE_NUMBERS,
    HEX64,
    st.binary(max_size=100).map(latin1),
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=10,
)


@st.composite
def json_bodies(draw) -> bytes:
    """JSON-ish bodies: random JSON (NaN included), objects with raw hostile number tokens, deep nesting."""
    kind = draw(st.integers(0, 3))
    if kind == 0:
        return json.dumps(draw(JSON_VALUES)).encode()
    if kind == 1:
        fields = draw(st.lists(st.tuples(PARAM_NAMES, JSON_NUMBER_TOKENS), min_size=1, max_size=6))
        return ("{" + ",".join(f"{json.dumps(name)}:{token}" for name, token in fields) + "}").encode()
    depth = draw(st.integers(1, 100_000))
    opener = draw(st.sampled_from(["[", '{"a":', '{"symbol":[']))
    closed = draw(st.booleans()) and opener == "["
    return (opener * depth + ("]" * depth if closed else "")).encode()


BODIES = st.one_of(
    st.just(b""),
    st.binary(max_size=500),
    HOSTILE_NUMBERS.map(str.encode),
    json_bodies(),
    json_bodies(),
    query_strings().map(lambda text: text.encode("latin-1")),
    st.one_of(  # rarely: just under or over the 1 MiB limit
        st.binary(max_size=100),
        st.binary(max_size=100),
        st.binary(max_size=100),
        st.integers(1_000_000, 1_100_000).map(lambda size: b"a" * size),
    ),
)


@st.composite
def raw_requests(draw) -> Raw:
    headers = draw(st.lists(st.tuples(HEADER_NAMES, HEADER_VALUES), max_size=5))
    if draw(st.booleans()):  # a request that gets past the key checks more often
        name = draw(st.sampled_from(["X-MEXC-APIKEY", "ApiKey"]))
        headers.append((name, DOCS_KEY))
    body = draw(BODIES)
    if draw(st.integers(0, 3)) == 0:  # a Content-Length that does not match the body
        length = draw(st.one_of(st.integers(0, 2 * len(body) + 10), st.sampled_from([-1, 10**20, 2**31])))
        headers.append(("Content-Length", str(length)))
    return Raw(draw(METHODS), draw(PATHS), draw(query_strings()), tuple(headers), body, draw(st.booleans()))


def test_raw_requests_get_a_documented_json_answer_in_time(lab):
    @cases(5000)
    @given(raw_requests())
    @example(Raw("POST", "/api/v1/private/order/submit", "", (("ApiKey", DOCS_KEY),), b"1E+1000000"))
    @example(Raw("POST", "/api/v1/private/order/submit", "", (("ApiKey", DOCS_KEY),), b"[" * 100_000))
    @example(Raw("GET", "/api/v3/account", f"timestamp=²&signature={'0' * 64}", (("X-MEXC-APIKEY", DOCS_KEY),)))
    @example(Raw("GET", "/api/v3/account", "recvWindow=" + "1" * 5000, (("X-MEXC-APIKEY", DOCS_KEY),)))
    @example(Raw("GET", "/api/v1/private/account/assets", "", (("ApiKey", DOCS_KEY), ("Request-Time", "١٢٣"))))
    @example(Raw("POST", "/api/v3/order/test", "", (("Content-Length", "10"),), b"abc"))
    @example(Raw("POST", "/api/v1/private/order/submit", "", (), b"{}", chunked=True))
    def fuzz(request):
        assert_documented(request, *lab.call(request))

    fuzz()
    assert_still_serving(lab)


# --- correctly signed requests with hostile values --------------------------------------------------

SPOT_SIGNED = [(method, path) for method, path, endpoint in ROUTES if endpoint.startswith("spot:")]
SPOT_ORDERS = [("POST", "/api/v3/order"), ("POST", "/api/v3/order/test")]  # where the order's numbers are read
VALID_SPOT_ORDER = {"symbol": "BTCUSDT", "side": "BUY", "type": "LIMIT", "quantity": "0.001", "price": "64000"}
SPOT_ORDER_FIELDS = ["symbol", "side", "type", "quantity", "price", "quoteOrderQty", "newClientOrderId", "orderId"]


@dataclass(frozen=True)
class SpotCase:
    """A spot request to sign: parameters in the query and (form) body, in the order sent."""

    method: str
    path: str
    query: tuple[tuple[str, str], ...]
    body: tuple[tuple[str, str], ...] = ()


@st.composite
def spot_cases(draw) -> SpotCase:
    method, path = draw(st.one_of(st.sampled_from(SPOT_ORDERS), st.sampled_from(SPOT_SIGNED)))
    params = dict(VALID_SPOT_ORDER)
    if draw(st.booleans()):
        params["type"] = draw(st.sampled_from(["MARKET", "LIMIT_MAKER"]))
    for name in draw(st.lists(st.sampled_from(SPOT_ORDER_FIELDS), max_size=4, unique=True)):
        params[name] = draw(st.one_of(PARAM_VALUES, EDGE_NUMBERS, EDGE_TEXT))
    for name in draw(st.lists(st.sampled_from(sorted(params)), max_size=2, unique=True)):
        del params[name]
    pairs = list(params.items()) + draw(st.lists(st.tuples(PARAM_NAMES, PARAM_VALUES), max_size=2))
    pairs = [(name, value) for name, value in pairs if name != "signature"]
    window = draw(mostly(None, st.one_of(st.integers(0, 70_000).map(str), HOSTILE_NUMBERS)))
    pairs += [] if window is None else [("recvWindow", window)]
    pairs.append(("timestamp", draw(mostly(str(NOW), TIME_VALUES))))
    split = draw(st.integers(0, len(pairs))) if method != "GET" and draw(st.booleans()) else len(pairs)
    return SpotCase(method, path, tuple(pairs[:split]), tuple(pairs[split:]))


def signed_spot_raw(case: SpotCase, api_key: str) -> Raw:
    """The case signed as MEXC verifies it: HMAC of the canonical query + canonical form body, in the query."""
    query, body = canonical_query(case.query), canonical_query(case.body)
    signature = spot_signature(DOCS_SECRET, query + body)
    headers = [("X-MEXC-APIKEY", api_key)]
    if case.body:
        headers.append(("Content-Type", "application/x-www-form-urlencoded"))
    query = f"{query}&signature={signature}" if query else f"signature={signature}"
    return Raw(case.method, case.path, latin1(query.encode()), tuple(headers), body.encode())


def test_signed_spot_requests_with_hostile_values_are_answered_and_leave_the_key_usable(lab):
    @cases(2500)
    @given(spot_cases())
    @example(SpotCase("POST", "/api/v3/order", tuple({**VALID_SPOT_ORDER, "quantity": "1E+1000000"}.items())))
    @example(SpotCase("POST", "/api/v3/order", tuple({**VALID_SPOT_ORDER, "price": "NaN"}.items())))
    @example(SpotCase("POST", "/api/v3/order/test", (("timestamp", "²"),)))
    @example(SpotCase("GET", "/api/v3/account", (("recvWindow", "1" * 5000), ("timestamp", str(NOW)))))
    @example(SpotCase("GET", "/api/v3/account", (("timestamp", "9" * 5000),)))
    def fuzz(case):
        api_key = fresh_key()
        assert_hostile_then_reads(lab, signed_spot_raw(case, api_key), api_key)

    fuzz()
    assert_still_serving(lab)


ORDER_PATH = "/api/v1/private/order/submit"
FUTURES_SIGNED = [(m, p.replace("<symbol>", "{symbol}")) for m, p, e in ROUTES if e.startswith("futures:")]
VALID_FUTURES_ORDER = {"symbol": '"BTC_USDT"', "price": "64000", "vol": "1", "side": "1", "type": "1", "openType": "1"}
FUTURES_ORDER_FIELDS = ["symbol", "price", "vol", "side", "type", "openType", "externalOid", "leverage"]
JSON_TOKENS = st.one_of(
    JSON_NUMBER_TOKENS,
    PARAM_VALUES.map(json.dumps),
    JSON_VALUES.map(json.dumps),  # null, booleans, lists, objects, NaN and Infinity as Python's json writes them
    st.sampled_from(['["BTC_USDT"]', '{"symbol":"BTC_USDT"}', "[1]", "[]", "{}", "true", "null"]),
    st.integers(1, 5000).map(lambda depth: "[" * depth + "]" * depth),
)


EDGE_TOKENS = st.one_of(EDGE_TEXT.map(json.dumps), st.sampled_from(['"\\ud800"', '"\\u0000"', '"\\udcff\\ud800"']))


@dataclass(frozen=True)
class FuturesCase:
    """A futures request to sign: the body sent (POST) or the query pairs (GET), the time headers as sent."""

    method: str
    path: str
    query: tuple[tuple[str, str], ...] = ()
    body: str = ""
    request_time: str = str(NOW)
    recv_window: str | None = None


@st.composite
def futures_cases(draw) -> FuturesCase:
    method, path = draw(st.one_of(st.just(("POST", ORDER_PATH)), st.sampled_from(FUTURES_SIGNED)))
    if "{symbol}" in path:
        symbol = draw(st.one_of(st.sampled_from(["BTC_USDT", "ETH_USDT"]), PARAM_VALUES))
        path = path.format(symbol=latin1(symbol.encode()))  # PATH_INFO: the decoded path, UTF-8 bytes as latin-1
    query, body = (), ""
    if path.endswith("/submit"):
        fields = dict(VALID_FUTURES_ORDER)
        for name in draw(st.lists(st.sampled_from(FUTURES_ORDER_FIELDS), max_size=4, unique=True)):
            fields[name] = draw(st.one_of(JSON_TOKENS, EDGE_NUMBERS, EDGE_NUMBERS.map(json.dumps), EDGE_TOKENS))
        for name in draw(st.lists(st.sampled_from(sorted(fields)), max_size=2, unique=True)):
            del fields[name]
        items = list(fields.items())
        if items and draw(st.integers(0, 5)) == 0:  # a key sent twice in the JSON text
            items.append((items[0][0], draw(JSON_TOKENS)))
        body = "{" + ",".join(f"{json.dumps(name)}:{token}" for name, token in items) + "}"
    elif path.endswith("/cancel"):
        ids = draw(st.lists(st.one_of(JSON_TOKENS, st.integers(0, 10**25).map(str)), max_size=60))
        body = draw(st.sampled_from(["[{}]", "{{{}}}", "{}"])).format(",".join(ids))
    else:
        query = tuple(draw(st.lists(st.tuples(PARAM_NAMES, PARAM_VALUES), max_size=5)))
    request_time = draw(mostly(str(NOW), TIME_VALUES))
    recv_window = draw(mostly(None, st.one_of(st.integers(0, 70).map(str), HOSTILE_NUMBERS)))
    return FuturesCase(method, path, query, body, request_time, recv_window)


def signed_futures_raw(case: FuturesCase, api_key: str) -> Raw:
    """The case signed as MEXC verifies it: HMAC of key + Request-Time + (raw body, or sorted canonical query)."""
    if case.method == "POST":
        param_string, query = case.body, ""
    else:
        param_string = query = canonical_query(sorted(case.query))
    signature = hmac_sha256_hex(DOCS_SECRET, f"{api_key}{case.request_time}{param_string}")
    headers = [("ApiKey", api_key), ("Request-Time", case.request_time), ("Signature", signature)]
    headers.append(("Content-Type", "application/json"))
    if case.recv_window is not None:
        headers.append(("Recv-Window", case.recv_window))
    return Raw(case.method, case.path, latin1(query.encode()), tuple(headers), case.body.encode())


def futures_order(**tokens) -> str:
    return "{" + ",".join(f'"{name}":{token}' for name, token in {**VALID_FUTURES_ORDER, **tokens}.items()) + "}"


def test_signed_futures_requests_with_hostile_values_are_answered_and_leave_the_key_usable(lab):
    @cases(2500)
    @given(futures_cases())
    @example(FuturesCase("POST", ORDER_PATH, body=futures_order(price='"1E+999999"', type='"1E+1000000"')))
    @example(FuturesCase("POST", ORDER_PATH, body=futures_order(price="1E+999999")))
    @example(FuturesCase("POST", ORDER_PATH, body=futures_order(vol="NaN")))
    @example(FuturesCase("POST", ORDER_PATH, body=futures_order(openType='"1E+4299"')))
    @example(FuturesCase("POST", ORDER_PATH, body=futures_order(price="9" * 5000)))
    @example(FuturesCase("POST", "/api/v1/private/order/cancel", body="[1E+1000000]"))
    @example(FuturesCase("GET", OPEN_ORDERS_PATH, request_time="²"))
    @example(FuturesCase("GET", OPEN_ORDERS_PATH, recv_window="1" * 5000))
    def fuzz(case):
        api_key = fresh_key()
        assert_hostile_then_reads(lab, signed_futures_raw(case, api_key), api_key)

    fuzz()
    assert_still_serving(lab)


# --- the embedded server, over a socket ----------------------------------------------------------------

WIRE_TARGETS = st.one_of(
    st.tuples(st.sampled_from(ROUTE_PATHS), st.sampled_from(["", "?"]), query_strings()).map(
        lambda parts: "".join(parts).encode("latin-1")
    ),
    st.tuples(st.sampled_from([b"/api/v3/", b"/api/v1/", b"/"]), st.binary(max_size=60)).map(b"".join),
    st.sampled_from(
        [b"*", b"", b"http://127.0.0.1/api/v3/ping", b"//api/v3/ping", b"/api/v3/ping#x", b"/api/v3/ping "]
    ),
    st.builds(lambda count: b"/api/v3/account?a=" + b"1" * count, st.integers(60_000, 70_000)),
)
WIRE_VERSIONS = st.one_of(
    st.sampled_from([b"HTTP/1.1", b"HTTP/1.1", b"HTTP/1.0", b"HTTP/9.9", b"HTTP/2.0", b"HTTP/0.9", b"HTTP/1", b""]),
    st.sampled_from(
        [b"HTTP/1.1.1", b"http/1.1", b"HTTP/01.1", b"HTTP/1.99999999999999999999", b"HTTP/", b"HTTP/1.1 x"]
    ),
    st.binary(max_size=10),
)
WIRE_HEADER_LINES = st.one_of(
    st.tuples(HEADER_NAMES, HEADER_VALUES).map(lambda pair: f"{pair[0]}: {pair[1]}".encode()),
    st.sampled_from([b"Transfer-Encoding: chunked", b"Expect: 100-continue", b"Host: x", b" folded", b":", b"NoColon"]),
    st.integers(-1, 400).map(lambda length: b"Content-Length: %d" % length),
    st.binary(max_size=40),
)


@st.composite
def wire_requests(draw) -> bytes:
    method = draw(st.one_of(st.sampled_from([b"GET", b"POST", b"HEAD", b"DELETE", b"get", b"G\x00T"]), st.binary()))
    separator = draw(st.sampled_from([b" ", b" ", b"  ", b"\t"]))
    line = separator.join(part for part in (method, draw(WIRE_TARGETS), draw(WIRE_VERSIONS)) if part)
    end = draw(st.sampled_from([b"\r\n", b"\r\n", b"\n", b"\r", b""]))
    headers = draw(st.lists(WIRE_HEADER_LINES, max_size=6))
    if draw(st.integers(0, 9)) == 0:
        headers += [b"X-Many: 1"] * draw(st.integers(90, 110))
    if draw(st.booleans()):
        headers.append(b"X-MEXC-APIKEY: " + DOCS_KEY.encode())
    body = draw(st.one_of(st.binary(max_size=300), json_bodies().map(lambda data: data[:20_000])))
    head = b"".join(header + end for header in headers)
    return line + end + head + (end if draw(st.integers(0, 5)) else b"") + body


def exchange_roundtrip(port: int, data: bytes) -> tuple[bytes, float]:
    """Send ``data`` whole, close our side, read until the server closes: (what came back, seconds)."""
    start = time.perf_counter()
    received = b""
    with socket.create_connection(("127.0.0.1", port), timeout=WIRE_TIMEOUT_S) as sock:
        try:
            sock.sendall(data)
            sock.shutdown(socket.SHUT_WR)
        except OSError:  # the server answered and closed before reading everything: allowed
            pass
        try:
            while chunk := sock.recv(65536):
                received += chunk
        except ConnectionResetError:
            pass
        except TimeoutError:
            raise AssertionError(f"no answer nor close within {WIRE_TIMEOUT_S} s for {data[:300]!r}") from None
    return received, time.perf_counter() - start


_STATUS_LINE = re.compile(rb"HTTP/\d\.\d (\d{3})[^\r\n]*\r?\n")
_API_TARGET = re.compile(rb"[^ \t]*[ \t]+(?:[a-zA-Z][a-zA-Z0-9+.-]*://[^/ ]*)?/api/")


def wire_answer(received: bytes) -> tuple[int | None, bytes]:
    """(status, body) of the final answer (after any 100 Continue); status None for an HTTP/0.9 bare body."""
    while True:
        match = _STATUS_LINE.match(received)
        if match is None:
            return None, received
        head, _, rest = received[match.end() :].partition(b"\r\n\r\n")
        status = int(match.group(1))
        if status >= 200 or not rest.startswith(b"HTTP/"):
            return status, rest
        received = rest


def assert_wire_answer(data: bytes, received: bytes, seconds: float) -> None:
    """Within WIRE_TIMEOUT_S; for a target under /api/, no 5xx and a strict JSON body with a documented code."""
    where = f"{data[:300]!r} -> {received[:400]!r}"
    assert seconds < WIRE_TIMEOUT_S, where
    if not received or not _API_TARGET.match(data.split(b"\n", 1)[0]):
        return  # closed without an answer (allowed), or not a path under /api/
    status, body = wire_answer(received)
    assert status is None or status < 500, where
    if not body:  # HEAD
        return
    try:
        payload = strict_json(body)
    except ValueError as error:
        raise AssertionError(f"not strict JSON ({error}): {where}") from None
    if status is None:  # an HTTP/0.9 answer, without a status line: an error shows in its code
        failed = isinstance(payload, dict) and payload.get("code", 0) != 0 and payload.get("success") is not True
    else:
        failed = status != 200
    if failed:
        code = payload.get("code") if isinstance(payload, dict) else None
        assert code in CODES and CODES[code].http_status < 500, f"undocumented or 5xx code: {where}"


def test_the_embedded_server_answers_raw_bytes_and_keeps_serving():
    with LocalExchange(clock=FrozenClock(NOW)) as exchange:
        good = sign_spot(
            "GET",
            "/api/v3/account",
            {},
            api_key=DOCS_KEY,
            secret=DOCS_SECRET,
            timestamp=NOW,
            base_url=exchange.base_url,
        )

        @cases(500)
        @given(wire_requests())
        @example(b"GET /api/v3/ping HTTP/9.9\r\n\r\n")
        @example(b"POST /api/v3/order/test HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc")
        @example(b"POST /api/v3/order/test HTTP/1.1\r\nContent-Length: 3\r\n\r\nabcdefgh")
        @example(b"GET /a b c HTTP/1.1\r\n\r\n")
        def fuzz(data):
            assert_wire_answer(data, *exchange_roundtrip(exchange.port, data))
            answer = good.send(timeout=WIRE_TIMEOUT_S)
            assert answer.status_code == 200, f"after {data[:300]!r}: {answer.status_code} {answer.text[:300]}"

        fuzz()


# --- the doctor -------------------------------------------------------------------------------------------

DOCTOR_BASES = [
    "https://api.mexc.com",
    "https://contract.mexc.com",
    "http://127.0.0.1:8080",
    "https://",
    "ftp://api.mexc.com",
    "",
    "https://api.mexc.com:99999",
    "http://[::1",
    "https://user@api.mexc.com",
]
DOCTOR_PATHS = ROUTE_PATHS + ["", "/", "/api/v3/order?"]


@st.composite
def pasted_queries(draw) -> str:
    pieces = []
    for name, value in draw(st.lists(st.tuples(PARAM_NAMES, PARAM_VALUES), max_size=8)):
        pieces.append(draw(st.sampled_from([f"{name}={value}", f"{quote(name, safe='')}={quote(value, safe='')}"])))
    if draw(st.integers(0, 9)) == 0:
        pieces.append(draw(st.sampled_from(BAD_ESCAPES)))
    if draw(st.integers(0, 3)):
        pieces.insert(draw(st.integers(0, len(pieces))), f"signature={draw(HEX64)}")
    return draw(st.sampled_from(["&", "&", "&&", "&amp;"])).join(pieces)


URLS = st.builds(
    lambda base, path, query: f"{base}{path}?{query}",
    st.sampled_from(DOCTOR_BASES),
    st.sampled_from(DOCTOR_PATHS),
    pasted_queries(),
)
CURL_HEADERS = st.one_of(
    st.sampled_from(["X-MEXC-APIKEY", "ApiKey", "Request-Time", "Recv-Window", "Signature", "Content-Type"]),
    WORDS,
)


@st.composite
def curl_commands(draw) -> str:
    words = ["curl"]
    for _ in range(draw(st.integers(0, 8))):
        kind = draw(st.integers(0, 6))
        if kind == 0:
            words += ["-X", draw(st.sampled_from(["GET", "POST", "DELETE", "PUT", "get", "BREW", ""]))]
        elif kind == 1:
            value = draw(st.one_of(st.just(DOCS_KEY), TIME_VALUES, HEX64, PARAM_VALUES))
            words += [draw(st.sampled_from(["-H", "--header"])), f"{draw(CURL_HEADERS)}: {value}"]
        elif kind == 2:
            option = draw(st.sampled_from(["--data-raw", "-d", "--data", "--json", "--data-binary"]))
            body = draw(st.one_of(json_bodies().map(lambda data: data[:20_000].decode()), pasted_queries(), WORDS))
            words += [option, body]
        elif kind in (3, 4):
            words.append(draw(URLS))
        elif kind == 5:
            words += [draw(st.sampled_from(["--url", "--compressed", "-s", "-H", "-X", "--json", "-", "--"]))]
        else:
            words.append(draw(WORDS))
    quoting = draw(st.sampled_from(["shell", "shell", "double", "raw", "unbalanced"]))
    if quoting == "shell":
        words = [words[0]] + [f"'{word}'" if "'" not in word else f'"{word}"' for word in words[1:]]
    elif quoting == "double":
        words = [words[0]] + [f'"{word}"' for word in words[1:]]
    elif quoting == "unbalanced":
        words.append(draw(st.sampled_from(["'", '"', "\\"])))
    return draw(st.sampled_from([" ", " ", " \\\n  ", "\t"])).join(words)


@st.composite
def long_inputs(draw, most: int) -> str:
    size = draw(st.integers(1000, most))
    signature = f"signature={draw(HEX64)}"
    kind = draw(st.integers(0, 5))
    if kind == 0:  # thousands of parameters
        return "&".join(f"p{index}=1" for index in range(size // 6)) + f"&timestamp={NOW}&{signature}"
    if kind == 1:
        return f"https://api.mexc.com/api/v3/order?timestamp={'1' * size}&{signature}"
    if kind == 2:
        return f"curl 'https://contract.mexc.com{ORDER_PATH}' -H 'Signature: {'0' * 64}' --data-raw '{'[' * size}'"
    if kind == 3:
        return draw(st.sampled_from(["[", "{", "9", "a=1&", "curl ", "-H x ", "\x00", "'"])) * (size // 4)
    if kind == 4:
        return f"quantity={'9' * size}&timestamp={NOW}&{signature}"
    return f"curl -X POST 'https://api.mexc.com/api/v3/order?{signature}' -d '{'a=1&' * (size // 4)}'"


ANY_TEXT = st.text(st.characters(), max_size=300)


@st.composite
def pasted_texts(draw, most: int = 100_000) -> str:
    """What a user might paste: curl, URLs, query strings, JSON, long inputs, any text; sometimes mangled."""
    text = draw(
        st.one_of(
            curl_commands(),
            curl_commands(),
            URLS,
            pasted_queries(),
            PARAM_VALUES,
            json_bodies().map(lambda data: data[:most].decode()),
            st.dictionaries(PARAM_NAMES, PARAM_VALUES, max_size=5).map(json.dumps),
            long_inputs(most),
            ANY_TEXT,
        )
    )
    mangle = draw(st.integers(0, 7))
    if mangle == 0 and text:  # cut short
        text = text[: draw(st.integers(0, len(text) - 1))]
    elif mangle == 1:  # a NUL, a control character, a lone surrogate (argv's surrogateescape) or a non-ASCII digit
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(["\x00", "\x1b", "\udcff", "\ud800", "²", "\u2028", "\r"])) + text[at:]
    elif mangle == 2:
        text = draw(st.sampled_from([" ", "\n", "\t", "\ufeff"])) + text + draw(st.sampled_from(["", "\n", " ..."]))
    return text


def pasted_bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


DOCTOR_REQUESTS = st.one_of(
    pasted_texts(),
    pasted_texts(),
    pasted_texts().map(pasted_bytes),
    st.binary(max_size=300),
)
SECRETS = st.one_of(
    st.none(),
    st.just(DOCS_SECRET),
    st.just(DOCS_SECRET),
    st.sampled_from([DOCS_SECRET + "\n", " " + DOCS_SECRET, "", " ", "x", "秘密", "\x00"]),
    repeated("x", 5000),
)
SERVER_TIMES = st.one_of(st.none(), st.just(NOW), st.integers(1_500_000_000_000, 2_000_000_000_000))


def diagnose_outcome(request, secret, server_time, body, api_key):
    """Runs in the worker: diagnose, then render the diagnosis as the CLI and the notebooks do."""
    try:
        diagnosis = diagnose(request, secret, server_time=server_time, body=body, api_key=api_key)
    except ValueError as error:  # UnusableInput, or a refused secret
        return "refused", type(error).__name__, str(error)
    if not isinstance(diagnosis, Diagnosis):
        return "other", type(diagnosis).__name__, repr(diagnosis)[:300]
    fixed = diagnosis.fixed_request.to_curl() if diagnosis.fixed_request is not None else None
    return "diagnosis", json.dumps(diagnosis.to_dict(), allow_nan=False), str(diagnosis), fixed


def assert_a_diagnosis_or_one_line(outcome, seconds, given_input) -> None:
    where = f"for {given_input!r:.1000}: {outcome!r:.2000}"
    assert seconds < STALL_S, f"took {seconds:.2f} s {where}"
    assert outcome[0] in ("diagnosis", "refused"), where
    if outcome[0] == "refused":
        message = outcome[2]
        assert message.strip(), f"empty message {where}"
        assert "\n" not in message and "\r" not in message, f"not one line {where}"
        return
    report = json.loads(outcome[1])
    assert report["verdict"] in ("ok", "fail", "unchecked"), where
    assert report["verdict"] != "ok" or report["signature_checked"], f"ok without checking the signature {where}"
    assert report["causes"] and all(isinstance(cause, str) for cause in report["causes"]), where
    assert (report["verdict"] == "ok") == (report["causes"] == ["ok"]), where
    assert report["code"] == 0 or report["code"] in CODES, where
    for finding in report["findings"]:
        assert {"cause", "evidence", "fix", "proven"} <= set(finding) and finding["fix"], where
    assert outcome[2].startswith(f"{report['verdict']}:"), where


API_KEYS = st.one_of(st.none(), st.none(), st.just(DOCS_KEY), WORDS)
SEED_SIGNATURE = f"signature={'0' * 64}"


def test_diagnose_reads_any_input_into_a_diagnosis_or_a_one_line_refusal(lab):
    @cases(2500)
    @given(DOCTOR_REQUESTS, SECRETS, SERVER_TIMES, st.one_of(st.none(), st.none(), pasted_texts(20_000)), API_KEYS)
    @example(f"https://api.mexc.com/api/v3/order?timestamp=²&{SEED_SIGNATURE}", DOCS_SECRET, NOW, None, None)
    @example(f"timestamp={'1' * 5000}&recvWindow=١٢٣&{SEED_SIGNATURE}", DOCS_SECRET, NOW, None, None)
    @example(f"curl {LOCAL}{ORDER_PATH} -H 'Request-Time: ²' -H 'Signature: {'0' * 64}'", None, None, None, None)
    @example("&".join(f"p{i}=1" for i in range(15_000)) + f"&{SEED_SIGNATURE}", DOCS_SECRET, NOW, None, None)
    def fuzz(request, secret, server_time, body, api_key):
        outcome, seconds = lab.run(diagnose_outcome, request, secret, server_time, body, api_key)
        assert_a_diagnosis_or_one_line(outcome, seconds, (request, secret, server_time, body, api_key))

    fuzz()


# --- the CLI ------------------------------------------------------------------------------------------------


class _Stdin:
    def __init__(self, data: bytes):
        self.buffer = io.BytesIO(data)


def run_cli(argv, stdin: bytes, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", _Stdin(stdin))
    capsys.readouterr()
    start = time.perf_counter()
    try:
        code = cli.main(argv)
    except SystemExit as exit_:  # argparse's own exits
        code = exit_.code
    seconds = time.perf_counter() - start
    out, err = capsys.readouterr()
    return code, out, err, seconds


def assert_cli_contract(argv, result, json_output: bool) -> None:
    code, out, err, seconds = result
    where = f"{argv!r:.1000} -> exit {code}\nstdout: {out[:1000]!r}\nstderr: {err[:1000]!r}"
    assert seconds < STALL_S, f"took {seconds:.2f} s: {where}"
    assert code in (0, 2), where
    if code == 2:
        assert err.count("\n") == 1 and err.endswith("\n") and "\r" not in err, f"not one line on stderr: {where}"
        assert err.startswith("error: ") and err[len("error: ") :].strip(), where
        assert out == "", where
        return
    assert err == "", where
    if json_output:
        report = json.loads(out)
        assert isinstance(report, dict) and {"verdict", "causes", "findings"} <= set(report), where
    else:
        assert out.startswith(("ok:", "fail:", "unchecked:")), where


def test_the_doctor_command_ends_in_a_report_or_one_error_line(capsys, monkeypatch):
    @cases(300)
    @given(pasted_texts(20_000), st.one_of(st.none(), st.binary(max_size=200)))
    @example("-", None)
    @example("-x", None)
    @example(f"timestamp=²&signature={'0' * 64}", None)
    @example("\udcff", b"\xff\xfe")
    def fuzz(text, binary):
        stdin = pasted_bytes(text) if binary is None else binary
        for argv, as_json in (
            (["doctor", "--json", text], True),
            (["doctor", text, "--server-time", str(NOW)], False),
            (["doctor", "--json", "-"], True),
        ):
            assert_cli_contract(argv, run_cli(argv, stdin, capsys, monkeypatch), as_json)

    fuzz()
