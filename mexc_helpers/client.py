"""A small client for MEXC (or the kit's local exchange), with the fixes built in.

It signs with the kit's signer, keeps its timestamps on the server's clock (:class:`ServerClock`),
re-syncs once and retries when MEXC answers 700003, and raises :class:`MexcAPIError` with MEXC's
code, message and the kit's explanation. Guards: it never places a real order on the live exchange
unless told ``allow_live_orders=True``, refuses plain ``http://`` to any host but this machine, and
never shows the secret in a repr, a log line, an exception or a URL.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import requests

from .clock import DEFAULT_RECV_WINDOW_MS, ServerClock, now_ms
from .errors import MexcAPIError
from .signing import CONTRACT_BASE_URL, SPOT_BASE_URL, check_api_key, check_secret, sign_contract, sign_spot

# Codes that mean the key, the signature or the clock is wrong (as opposed to the order itself).
AUTH_CODES = frozenset((400, 401, 402, 406, 513, 602, 10072, 700001, 700002, 700003, 700004, 700005, 700006, 700007))
LIVE_SPOT_URL = SPOT_BASE_URL
LIVE_CONTRACT_URL = CONTRACT_BASE_URL


def is_loopback(base_url: str) -> bool:
    """True for http(s)://127.x.x.x, ::1 or localhost: this machine, where plain http is fine."""
    host = urlsplit(base_url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_base_url(base_url: str) -> str:
    """Refuse a URL that is not http(s), and plain http to anything but this machine (keys travel in it)."""
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"base_url {base_url!r} is not an http(s) URL, like https://api.mexc.com")
    if parts.scheme == "http" and not is_loopback(base_url):
        raise ValueError(f"refusing plain http to {parts.hostname}: use https (only 127.0.0.1/localhost may be http)")
    return base_url.rstrip("/")


def credentials_from_env(dotenv_path: str | None = ".env") -> tuple[str, str]:
    """(api_key, secret) from MEXC_API_KEY / MEXC_SECRET_KEY; a .env file fills in what is not already set.

    Keys belong in the environment or a git-ignored .env, never in code, arguments or notebooks.
    """
    if dotenv_path and os.path.exists(dotenv_path):
        from dotenv import load_dotenv

        load_dotenv(dotenv_path, override=False)
    missing = [name for name in ("MEXC_API_KEY", "MEXC_SECRET_KEY") if not os.environ.get(name)]
    if missing:
        raise ValueError(f"{' and '.join(missing)} not set: export them or put them in a .env file (see .env.example)")
    return os.environ["MEXC_API_KEY"].strip(), os.environ["MEXC_SECRET_KEY"].strip()


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
        local_clock=now_ms,
        timeout: float = 10.0,
    ):
        self.api_key = check_api_key(api_key)
        self._secret = check_secret(secret)
        self.base_url = check_base_url(base_url or os.environ.get("MEXC_LAB_URL") or LIVE_SPOT_URL)
        live_default = self.base_url == LIVE_SPOT_URL
        self.futures_base_url = check_base_url(
            futures_base_url or (LIVE_CONTRACT_URL if live_default else self.base_url)
        )
        self.recv_window = recv_window
        self.allow_live_orders = allow_live_orders
        self.session = session or requests.Session()
        self.timeout = timeout
        self.local_clock = local_clock
        self.clock = ServerClock(self.base_url, local_clock=local_clock, session=self.session) if sync_clock else None

    @classmethod
    def from_env(cls, dotenv_path: str | None = ".env", **kwargs) -> MexcClient:
        """Build a client from MEXC_API_KEY / MEXC_SECRET_KEY (and MEXC_LAB_URL), reading a git-ignored .env too."""
        return cls(*credentials_from_env(dotenv_path), **kwargs)

    @property
    def is_live(self) -> bool:
        """True unless the client talks to this machine (a local or class exchange on loopback)."""
        return not is_loopback(self.base_url)

    def __repr__(self) -> str:
        return (
            f"MexcClient(api_key={self.api_key[:4]}...{self.api_key[-3:]!s}, secret='***', "
            f"base_url={self.base_url!r}, sync_clock={self.clock is not None})"
        )

    # --- plumbing ----------------------------------------------------------------------------

    def _answer(self, response: requests.Response):
        try:
            payload = response.json()
        except ValueError:
            raise MexcAPIError(
                response.status_code, f"not JSON: {response.text[:80]!r}", response.status_code
            ) from None
        if isinstance(payload, dict) and payload.get("success") is False:
            raise MexcAPIError(payload.get("code"), payload.get("message", ""), response.status_code)
        if isinstance(payload, dict) and "code" in payload and "msg" in payload and payload["code"] not in (0, 200):
            raise MexcAPIError(payload["code"], payload["msg"], response.status_code)
        if response.status_code >= 400:
            raise MexcAPIError(response.status_code, response.reason or "HTTP error", response.status_code)
        return payload.get("data", payload) if isinstance(payload, dict) and "success" in payload else payload

    def _now(self) -> int:
        return self.clock.now() if self.clock is not None else self.local_clock()

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
                if error.code != 700003 or attempt == 2 or self.clock is None:
                    raise
                self.clock.sync()
        raise AssertionError("unreachable")

    def _futures(self, method: str, path: str, params=None):
        signed = sign_contract(
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
        response = self.session.get(f"{self.base_url}/api/v3/time", timeout=self.timeout)
        return int(self._answer(response)["serverTime"])

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
            offset = server - self.local_clock()
            report.add("server time", True, f"{server}; this machine's clock is {-offset:+d} ms off")
        except (requests.RequestException, MexcAPIError, ValueError, KeyError) as error:
            report.add("server time", False, f"cannot reach {self.base_url}: {type(error).__name__}")
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
                if error.code in AUTH_CODES:
                    report.add(name, False, str(error))
                    return report
                # Signature and time were accepted; the exchange refused the order itself (size, symbol...).
                report.add(name, True, f"signature accepted (the order itself was refused: {error.code} {error.msg})")
            except requests.RequestException as error:
                report.add(name, False, f"network error: {type(error).__name__}")
                return report
        return report
        return report
