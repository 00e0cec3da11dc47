"""Talking to an exchange over HTTP: MEXC itself, or a local or class exchange, with the fixes built in.

- :class:`MexcClient` signs with the kit's signer, keeps its timestamps on the server's clock
  (:class:`ServerClock`), re-syncs once and retries when MEXC answers 700003, and raises
  :class:`MexcAPIError` with MEXC's code, message and the kit's explanation. It never places a real
  order on the live exchange unless told ``allow_live_orders=True``, and never shows the secret in
  a repr, a log line, an exception or a URL.
- :func:`fetch_server_time`: the one way the kit reads ``/api/v3/time``.
- :class:`RemoteExchange`: a class exchange seen from a student's notebook (what the labs use); the
  rest of class mode (the setup's check, exercise reports, the class's statistics) is in
  :mod:`mexc_helpers.classmode`.
- Base URLs resolve through :mod:`mexc_helpers.protocol.urls`, the one plain-http policy:
  ``MEXC_LAB_URL`` (or ``MEXC_BASE_URL``), plain http only to this machine or, with
  ``MEXC_CLASS_NETWORK=1``, to a class exchange.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import requests

from .extras import require
from .protocol.clock import DEFAULT_RECV_WINDOW_MS, now_ms, parse_ms
from .protocol.envelope import read_answer
from .protocol.errors import MexcAPIError, signature_passed
from .protocol.signing import SignedRequest, check_api_key, check_secret, sign_futures, sign_spot
from .protocol.urls import LAB_URL_VARIABLE, futures_base_url_for, may_be_live, resolve_base_url
from .protocol.verify import LogEntry

TIME_PATH = "/api/v3/time"


class LabSetupError(ValueError):
    """A class-mode setup problem (a missing variable, a refused URL): shown in a notebook as one line."""

    def _render_traceback_(self) -> list[str]:  # IPython shows this instead of a traceback
        return [f"{type(self).__name__}: {self}"]


class ServerTimeError(ValueError):
    """The server time could not be read; the message says from where and why, in one line, ``reason`` why alone."""

    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.reason = reason


def fetch_server_time(base_url: str, session: requests.Session | None = None, timeout: float = 10.0) -> int:
    """The exchange's clock in ms, from its public ``/api/v3/time`` (no key, no secret sent).

    Raises :class:`ServerTimeError` for a network error or an answer that is not ``{"serverTime": ms}``.
    """
    url = f"{base_url.rstrip('/')}{TIME_PATH}"
    not_an_exchange = f'it answered, but not {{"serverTime": <ms>}} at {TIME_PATH}: is this the address of an exchange?'
    try:
        answer = SignedRequest("GET", url).send(session, timeout).json()
    except (requests.RequestException, ValueError) as error:
        name = type(error).__name__
        if isinstance(error, requests.Timeout):
            reason = f"no answer within {timeout:g} s ({name})"
        elif isinstance(error, requests.ConnectionError):
            reason = f"nothing answers there ({name}): is it running, and is this its address?"
        else:
            reason = not_an_exchange
        raise ServerTimeError(f"cannot read the server time from {url} ({name})", reason) from None
    server_time = parse_ms(str(answer.get("serverTime", ""))) if isinstance(answer, dict) else None
    if server_time is None:
        raise ServerTimeError(f'{url} did not answer {{"serverTime": <ms>}}', not_an_exchange)
    return server_time


def credentials_from_env(dotenv_path: str | None = ".env") -> tuple[str, str]:
    """(api_key, secret) from MEXC_API_KEY / MEXC_SECRET_KEY; a .env file fills in what is not already set.

    Keys belong in the environment or a git-ignored .env, never in code, arguments or notebooks.
    Reading a .env file needs the ``[env]`` extra (python-dotenv).
    """
    if dotenv_path and os.path.exists(dotenv_path):
        dotenv = require("dotenv", "env", f"reading {dotenv_path}")
        dotenv.load_dotenv(dotenv_path, override=False)
    missing = [name for name in ("MEXC_API_KEY", "MEXC_SECRET_KEY") if not os.environ.get(name)]
    if missing:
        raise ValueError(f"{' and '.join(missing)} not set: export them or put them in a .env file (see .env.example)")
    return os.environ["MEXC_API_KEY"].strip(), os.environ["MEXC_SECRET_KEY"].strip()


def base_url_from_env(explicit: str | None = None) -> str:
    """The exchange to talk to (explicit, MEXC_LAB_URL, MEXC_BASE_URL, else MEXC), under the plain-http policy."""
    return resolve_base_url(explicit, os.environ)


@dataclass
class ServerClock:
    """Estimate how far the server's clock is from yours, and give timestamps on the server's clock.

    It asks ``/api/v3/time`` several times and trusts the sample with the smallest round trip (the
    least delayed by the network), assuming the server read its clock halfway through that round
    trip. Then ``now()`` is local time plus that offset: sign with it and 700003 goes away.
    ``clock`` is this machine's clock, a callable returning ms.
    """

    base_url: str
    samples: int = 5
    clock: object = now_ms
    session: object = None
    timeout: float = 10.0  # seconds per /api/v3/time call
    offset_ms: int | None = None
    history: list[ClockSample] = field(default_factory=list)

    def sync(self) -> int:
        """Take fresh samples and return the estimated offset (server minus local, in ms)."""
        session = self.session or requests.Session()
        taken = []
        for _ in range(self.samples):
            sent = self.clock()
            server = fetch_server_time(self.base_url, session, self.timeout)
            taken.append(ClockSample(sent, self.clock(), server))
        self.history = taken
        self.offset_ms = min(taken, key=lambda sample: sample.round_trip_ms).offset_ms
        return self.offset_ms

    def now(self) -> int:
        """A timestamp on the server's clock (syncs first if it never did)."""
        if self.offset_ms is None:
            self.sync()
        return self.clock() + self.offset_ms


@dataclass(frozen=True)
class ClockSample:
    """One ``/api/v3/time`` call: local time when sent and received, and the server's answer."""

    sent_ms: int
    received_ms: int
    server_ms: int

    @property
    def round_trip_ms(self) -> int:
        return self.received_ms - self.sent_ms

    @property
    def offset_ms(self) -> int:
        """Server time minus local time, assuming the server answered halfway through the round trip."""
        return self.server_ms - (self.sent_ms + self.round_trip_ms // 2)


@dataclass
class CheckReport:
    """The safe live check: each step, whether it passed, and what it found."""

    steps: list[tuple[str, bool, str]] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return bool(self.steps) and all(ok for _, ok, _ in self.steps)

    def add(self, name: str, ok: bool, detail: str) -> bool:
        self.steps.append((name, ok, detail))
        return ok

    def __str__(self) -> str:
        lines = [f"{'PASS' if ok else 'FAIL'}  {name}: {detail}" for name, ok, detail in self.steps]
        lines.append(
            "all checks passed: your keys and signing work (no order was placed)"
            if self.passed
            else "check failed: see the first FAIL above"
        )
        return "\n".join(lines)


class MexcClient:
    """Signed calls to MEXC's spot V3 and futures APIs, or to a (class) local exchange."""

    def __init__(
        self,
        api_key: str,
        secret: str,
        base_url: str | None = None,
        recv_window: int = DEFAULT_RECV_WINDOW_MS,
        sync_clock: bool = True,
        *,
        futures_base_url: str | None = None,
        allow_live_orders: bool = False,
        session: requests.Session | None = None,
        clock=now_ms,
        timeout: float = 10.0,
    ):
        self.api_key = check_api_key(api_key)
        self._secret = check_secret(secret)
        self.base_url = base_url_from_env(base_url)
        self.futures_base_url = base_url_from_env(futures_base_url or futures_base_url_for(self.base_url))
        self.recv_window = recv_window
        self.allow_live_orders = allow_live_orders
        self.session = session or requests.Session()
        self.timeout = timeout
        self.clock = clock
        self.server_clock = ServerClock(self.base_url, clock=clock, session=self.session) if sync_clock else None

    @classmethod
    def from_env(cls, dotenv_path: str | None = ".env", **kwargs) -> MexcClient:
        """Build a client from MEXC_API_KEY / MEXC_SECRET_KEY (and MEXC_LAB_URL), reading a git-ignored .env too."""
        return cls(*credentials_from_env(dotenv_path), **kwargs)

    @property
    def is_live(self) -> bool:
        """True unless the client surely talks to a lab exchange (this machine, or a class one over plain http)."""
        return may_be_live(self.base_url)

    def __repr__(self) -> str:
        return (
            f"MexcClient(api_key={self.api_key[:4]}...{self.api_key[-3:]!s}, secret='***', "
            f"base_url={self.base_url!r}, sync_clock={self.server_clock is not None})"
        )

    # --- plumbing ----------------------------------------------------------------------------

    def _answer(self, response: requests.Response):
        answer = read_answer(response.status_code, response.text)
        if answer.code is None and 200 <= response.status_code < 300:
            raise MexcAPIError(response.status_code, f"not JSON: {response.text[:80]!r}", response.status_code)
        if answer.code is None:
            raise MexcAPIError(response.status_code, response.reason or "HTTP error", response.status_code)
        if not answer.accepted:
            raise MexcAPIError(answer.code, answer.message, response.status_code)
        return answer.data

    def _now(self) -> int:
        return self.server_clock.now() if self.server_clock is not None else self.clock()

    def _spot(self, method: str, path: str, params: dict | None = None):
        """A signed spot call; on 700003 it re-syncs the clock once and retries."""
        for attempt in (1, 2):
            signed = sign_spot(
                method,
                path,
                {k: v for k, v in (params or {}).items() if v is not None},
                api_key=self.api_key,
                secret=self._secret,
                timestamp=self._now(),
                recv_window=self.recv_window,
                base_url=self.base_url,
            )
            try:
                return self._answer(signed.send(self.session, timeout=self.timeout))
            except MexcAPIError as error:
                if error.code != 700003 or attempt == 2 or self.server_clock is None:
                    raise
                self.server_clock.sync()
        raise AssertionError("unreachable")

    def _futures(self, method: str, path: str, params=None):
        signed = sign_futures(
            method,
            path,
            params,
            api_key=self.api_key,
            secret=self._secret,
            request_time=self._now(),
            base_url=self.futures_base_url,
        )
        return self._answer(signed.send(self.session, timeout=self.timeout))

    # --- the API -------------------------------------------------------------------------------

    def time(self) -> int:
        """The server's time in ms (public, unsigned)."""
        return fetch_server_time(self.base_url, self.session, self.timeout)

    def account(self) -> dict:
        """Balances and permissions (read-only)."""
        return self._spot("GET", "/api/v3/account")

    def test_order(self, symbol: str, side: str, type: str, quantity=None, price=None, **extra) -> dict:
        """Validate a signed order without placing it (POST /api/v3/order/test): safe on the live exchange."""
        params = {"symbol": symbol, "side": side, "type": type, "quantity": quantity, "price": price, **extra}
        return self._spot("POST", "/api/v3/order/test", params)

    def place_order(self, symbol: str, side: str, type: str, quantity=None, price=None, **extra) -> dict:
        """Place a real order. Refused on the live exchange unless the client has ``allow_live_orders=True``."""
        if self.is_live and not self.allow_live_orders:
            raise PermissionError(
                "refusing to place a real order on the live exchange: pass allow_live_orders=True "
                "to MexcClient, or use test_order() to check a request safely"
            )
        params = {"symbol": symbol, "side": side, "type": type, "quantity": quantity, "price": price, **extra}
        return self._spot("POST", "/api/v3/order", params)

    def cancel_order(self, symbol: str, order_id: str | None = None, client_order_id: str | None = None) -> dict:
        """Cancel one open order by orderId or origClientOrderId."""
        return self._spot(
            "DELETE", "/api/v3/order", {"symbol": symbol, "orderId": order_id, "origClientOrderId": client_order_id}
        )

    def open_orders(self, symbol: str | None = None) -> list:
        """Open spot orders, for one symbol or all."""
        return self._spot("GET", "/api/v3/openOrders", {"symbol": symbol})

    def assets(self) -> list:
        """Futures account assets (GET /api/v1/private/account/assets)."""
        return self._futures("GET", "/api/v1/private/account/assets")

    def check(self) -> CheckReport:
        """The safe live check: server time and clock offset, account (read-only), and a test order.

        It proves that the keys, the clock and the signing work without placing any order.
        """
        report = CheckReport()
        try:
            server = self.time()
            offset = server - self.clock()
            report.add("server time", True, f"{server}; this machine's clock is {-offset:+d} ms off")
        except ServerTimeError as error:
            report.add("server time", False, str(error))
            return report
        for name, call in (
            ("account (read-only)", self.account),
            (
                "signed test order (not placed)",
                lambda: self.test_order("BTCUSDT", "BUY", "LIMIT", quantity="0.0002", price="30000"),
            ),
        ):
            try:
                call()
                report.add(name, True, "accepted")
            except MexcAPIError as error:
                if not signature_passed(error.code):
                    report.add(name, False, str(error))
                    return report
                # Signature and time were accepted; the exchange refused the order itself (size, symbol...).
                report.add(name, True, f"signature accepted (the order itself was refused: {error.code} {error.msg})")
            except requests.RequestException as error:
                report.add(name, False, f"network error: {type(error).__name__}")
                return report
        return report


def log_entry(record: dict) -> LogEntry:
    """A :class:`LogEntry` from one record of ``/lab/log``, leaving out the fields it does not hold (``headers``)."""
    return LogEntry(**{name: value for name, value in record.items() if name in LogEntry.__dataclass_fields__})


class _RemoteLog:
    """The class exchange's view of this key's requests, read from ``/lab/log``."""

    def __init__(self, exchange: RemoteExchange):
        self._exchange = exchange

    def entries(self) -> list[LogEntry]:
        """This key's last requests, oldest first (``/lab/log`` answers only a request signed with the key's secret);
        ``entry.demo`` tells a lab widget's request from the student's own."""
        return [log_entry(record) for record in self.records()]

    def records(self) -> list[dict]:
        """This key's last requests as ``/lab/log`` served them (JSON objects, with any field a newer exchange adds,
        such as ``headers``: the headers its rules read)."""
        exchange = self._exchange
        signed = sign_spot(
            "GET",
            "/lab/log",
            {},
            api_key=exchange.api_key,
            secret=exchange.secret,
            timestamp=exchange.server_clock.now(),
            base_url=exchange.base_url,
        )
        response = signed.send(exchange.session, timeout=10)
        answer = read_answer(response.status_code, response.text)
        if not isinstance(answer.data, list):  # a refusal: the exchange would not show this key's log
            raise MexcAPIError(answer.code, answer.message, response.status_code)
        return answer.data

    @property
    def last(self) -> LogEntry | None:
        """The last request the exchange saw from this key."""
        entries = self.entries()
        return entries[-1] if entries else None


class RemoteExchange:
    """A class exchange seen from a student's notebook: the same attributes the labs use on a LocalExchange."""

    running = True

    def __init__(self, base_url: str, api_key: str, secret: str):
        self.base_url = base_url_from_env(base_url)
        self.api_key, self._secret = check_api_key(api_key), check_secret(secret)
        self.session = requests.Session()
        self.server_clock = ServerClock(self.base_url, session=self.session)  # to sign /lab/log reads
        self.log = _RemoteLog(self)

    @classmethod
    def from_env(cls) -> RemoteExchange:
        """MEXC_LAB_URL with MEXC_API_KEY / MEXC_SECRET_KEY (the row of keys.csv the instructor handed out).

        Anything missing or refused is a one-line :class:`LabSetupError` saying what to set.
        """
        url = os.environ.get(LAB_URL_VARIABLE, "")
        try:
            return cls(base_url_from_env(), *credentials_from_env())
        except ValueError as error:
            raise LabSetupError(
                f"{LAB_URL_VARIABLE}={url} asks for the class exchange, but {error}; set the variables "
                "from docs/workshop.md (the row of keys.csv your instructor handed you), then restart the kernel"
            ) from None

    @property
    def secret(self) -> str:
        return self._secret

    def server_time(self) -> int:
        return fetch_server_time(self.base_url, self.session)

    def __repr__(self) -> str:
        return f"<RemoteExchange {self.base_url} api_key={self.api_key!r} secret='***'>"
