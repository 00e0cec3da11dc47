"""The probe's building blocks: where and as whom requests are signed, a step, an experiment, and the
kit's signer with one explicit deviation (a value spelled another way, a header or the signature left
out, a wrong secret, a timestamp near an edge of the window).

Only these endpoints are ever called (a test asserts it): the public ``GET /api/v3/time`` to read
the clock, spot ``GET /api/v3/account`` and ``POST /api/v3/order/test`` (validated, never placed),
futures ``GET /api/v1/private/account/assets`` and ``GET /api/v1/private/order/list/open_orders``.
Never an order, a cancel, a withdrawal or a transfer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from ..protocol.endpoints import api_of_path
from ..protocol.signing import (
    SignedRequest,
    futures_signature,
    futures_signed_string,
    sign_futures,
    sign_spot,
    spot_signature,
)

ACCOUNT = ("GET", "/api/v3/account")
TEST_ORDER = ("POST", "/api/v3/order/test")
ASSETS = ("GET", "/api/v1/private/account/assets")
OPEN_ORDERS = ("GET", "/api/v1/private/order/list/open_orders")
# Every signed endpoint the probe may call: read-only, or a test order MEXC validates and never places.
ALLOWED_ENDPOINTS = frozenset((ACCOUNT, TEST_ORDER, ASSETS, OPEN_ORDERS))

# A small limit order far from any market price; /api/v3/order/test checks it and places nothing.
ORDER_PARAMS = (("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "LIMIT"), ("quantity", "0.0002"), ("price", "30000"))
# Ordinary requests are signed this far behind the estimated server clock: inside the window on both sides.
SAFE_OFFSET_MS = -1000
# A secret that is not the user's (a badly signed request), and a well-formed key nobody holds.
WRONG_SECRET = "probe-wrong-secret-not-yours"
UNKNOWN_KEY = "mx0probeUnknownKey00000000"


@dataclass(frozen=True)
class Target:
    """Where and as whom the requests are signed; ``server_now()`` estimates the server's clock on arrival."""

    api_key: str
    secret: str
    spot_base_url: str
    futures_base_url: str
    server_now: Callable[[], int]

    def __repr__(self) -> str:
        return f"Target(api_key='***', secret='***', spot_base_url={self.spot_base_url!r})"


Build = Callable[[Target], SignedRequest]


@dataclass(frozen=True)
class Step:
    """One request of an experiment: a short label, what is special about it, how to build it.

    ``margin_ms`` is, for a request whose answer depends on the clock, its distance from the
    nearest edge of the window: the answer says nothing when the clock is less certain than that.
    ``told_apart`` holds the business refusals that are the request's answer (an unknown symbol, a
    window refused with 600): reported as themselves, where any other counts as "signature accepted".
    """

    label: str
    differs: str
    build: Build
    margin_ms: int | None = None
    told_apart: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Experiment:
    """A question about MEXC, the rule it tests (a docs/protocol.md anchor) and the requests that ask it."""

    name: str
    question: str
    anchor: str
    endpoint: tuple[str, str]
    steps: tuple[Step, ...]

    @property
    def rule(self) -> str:
        """Where the rule under test is written down, with its sources and labels."""
        return f"docs/protocol.md#{self.anchor}"


# --- building requests: the kit's signer, then one explicit deviation ------------------------------


def kit(endpoint, params=(), *, offset_ms: int = SAFE_OFFSET_MS, **options) -> Build:
    """A request signed by the kit's own signer, its time ``offset_ms`` from the server's clock.

    Spot (``/api/v3/``) signs ``timestamp`` in the query; futures (``/api/v1/``) signs
    ``Request-Time`` in a header, with GET parameters sorted. ``options`` go to the signer (recv_window).
    """
    method, path = endpoint
    sign, time_name, base_name = (
        (sign_futures, "request_time", "futures_base_url")
        if api_of_path(path) == "futures"
        else (sign_spot, "timestamp", "spot_base_url")
    )

    def build(target: Target) -> SignedRequest:
        when = {time_name: target.server_now() + offset_ms}
        base_url = getattr(target, base_name)
        return sign(
            method,
            path,
            list(params),
            api_key=target.api_key,
            secret=target.secret,
            base_url=base_url,
            **when,
            **options,
        )

    return build


def spot_variant(build: Build, *, sent=None, signed=None, secret=None, signature=True, headers=None) -> Build:
    """The same spot request with one deviation.

    ``sent`` and ``signed`` are (old, new) replacements in the query sent and in the string signed;
    ``secret`` signs with another secret; ``signature=False`` leaves it out; ``headers`` maps a
    header to a new value, or to None to leave it out.
    """

    def variant(target: Target) -> SignedRequest:
        request = build(target)
        query, signed_string = request.signed_string, request.signed_string
        if sent:
            query = query.replace(*sent)
        if signed or sent:
            signed_string = signed_string.replace(*(signed or sent))
        digest = spot_signature(secret or target.secret, signed_string) if signature else ""
        url = f"{request.url.partition('?')[0]}?{query}" + (f"&signature={digest}" if digest else "")
        new_headers = {**request.headers, **(headers or {})}
        new_headers = {name: value for name, value in new_headers.items() if value is not None}
        return SignedRequest(request.method, url, new_headers, request.body, signed_string, digest)

    return variant


def futures_reordered(build: Build, order, *, signed: bool) -> Build:
    """The same futures GET with its parameters sent in ``order``; ``signed`` signs them in that order too.

    The kit's signer sorts them (docs/protocol.md#futures-get-sorted).
    """

    def variant(target: Target) -> SignedRequest:
        request = build(target)
        query = "&".join(f"{name}={value}" for name, value in order)
        request_time = request.headers["Request-Time"]
        param_string = (
            query
            if signed
            else request.signed_string.removeprefix(futures_signed_string(target.api_key, request_time, ""))
        )
        signed_string = futures_signed_string(target.api_key, request_time, param_string)
        digest = futures_signature(target.api_key, target.secret, int(request_time), param_string)
        headers = {**request.headers, "Signature": digest}
        return SignedRequest(
            request.method, f"{request.url.partition('?')[0]}?{query}", headers, None, signed_string, digest
        )

    return variant


def with_header(build: Build, name: str, value: str) -> Build:
    """The same request with a header the signature does not cover set by hand, to a value the signer refuses."""

    def variant(target: Target) -> SignedRequest:
        request = build(target)
        return replace(request, headers={**request.headers, name: value})

    return variant
