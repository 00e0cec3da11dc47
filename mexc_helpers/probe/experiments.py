"""The probe's fixed list of experiments: each a handful of requests that differ in one undocumented point.

Every request is built with the kit's own signer (:mod:`mexc_helpers.protocol.signing`) and, where
the experiment needs it, one explicit deviation: a value spelled another way, a header or the
signature left out, a wrong secret, a timestamp near an edge of the window. Each experiment names
the rule it tests by its anchor in docs/protocol.md, and that rule names the experiment back
(``probe experiment: <name>``).

Only these endpoints are ever called (a test asserts it): the public ``GET /api/v3/time`` to read
the clock, spot ``GET /api/v3/account`` and ``POST /api/v3/order/test`` (validated, never placed),
futures ``GET /api/v1/private/account/assets`` and ``GET /api/v1/private/order/list/open_orders``.
Never an order, a cancel, a withdrawal or a transfer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..protocol.clock import AHEAD_LIMIT_MS, DEFAULT_FUTURES_WINDOW_S, DEFAULT_RECV_WINDOW_MS, MAX_RECV_WINDOW_MS
from ..protocol.encoding import percent_encode
from ..protocol.signing import (
    SignedRequest,
    futures_signature,
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
    """

    label: str
    differs: str
    build: Build
    margin_ms: int | None = None


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
        if path.startswith("/api/v1/")
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
        signed_string = f"{target.api_key}{request_time}{query}" if signed else request.signed_string
        param_string = signed_string.removeprefix(f"{target.api_key}{request_time}")
        digest = futures_signature(target.api_key, target.secret, int(request_time), param_string)
        headers = {**request.headers, "Signature": digest}
        return SignedRequest(
            request.method, f"{request.url.partition('?')[0]}?{query}", headers, None, signed_string, digest
        )

    return variant


# --- the experiments -----------------------------------------------------------------------------


def encoding(name: str, question: str, value: str, spelling: str, label: str, *, on_wire: bool = True) -> Experiment:
    """A test order whose ``newClientOrderId`` is signed in the kit's canonical form, then spelled another way.

    ``on_wire`` sends the other spelling too (what a client with that encoder does); otherwise only
    the signed string differs (a client that signs before it encodes).
    """
    ordered = kit(TEST_ORDER, ORDER_PARAMS + (("newClientOrderId", value),))
    canonical = f"newClientOrderId={percent_encode(value)}"
    other = f"newClientOrderId={spelling}"
    where = "signed and sent" if on_wire else "signed (sent in the kit's form)"
    change = {"sent": (canonical, other)} if on_wire else {"signed": (canonical, other)}
    return Experiment(
        name,
        question,
        "canonical-encoding",
        TEST_ORDER,
        (
            Step(percent_encode(value), f"{canonical} signed and sent (the kit's canonical form)", ordered),
            Step(label, f"{other} {where}", spot_variant(ordered, **change)),
        ),
    )


def _window(api: str, endpoint, offsets: tuple[int, int], edge: int, **extra) -> tuple[Step, Step]:
    """Two requests on either side of a window's edge: ``offsets`` ms from the server's clock, the edge at ``edge``."""
    steps = []
    for offset in offsets:
        side = "ahead of" if offset > 0 else "behind"
        build = kit(endpoint, offset_ms=offset, **extra)
        label = f"{offset:+d} ms"
        steps.append(
            Step(label, f"{api} timestamp {abs(offset)} ms {side} the server's clock", build, abs(offset - edge))
        )
    return tuple(steps)


_ORDER_KIT = kit(ACCOUNT, recv_window=DEFAULT_RECV_WINDOW_MS)
_EXPIRED = kit(ACCOUNT, offset_ms=-DEFAULT_RECV_WINDOW_MS - 3000, recv_window=DEFAULT_RECV_WINDOW_MS)
_NO_KEY = {"X-MEXC-APIKEY": UNKNOWN_KEY}
_PAGES = (("page_num", 1), ("page_size", 20))
_PAGES_UNSORTED = (("page_size", 20), ("page_num", 1))
_SORTED = kit(OPEN_ORDERS, _PAGES)
_FUTURES_EDGE_MS = DEFAULT_FUTURES_WINDOW_S * 1000

EXPERIMENTS: tuple[Experiment, ...] = (
    encoding("encoding-plus-space", "Is a space signed as %20 only, or is + accepted too?", "probe a", "probe+a", "+"),
    encoding(
        "encoding-lowercase-hex",
        "Must escapes be signed in uppercase hex (%2C), or is %2c accepted?",
        "probe,a",
        "probe%2ca",
        "%2c",
        on_wire=False,  # requests (urllib3) uppercases escapes on the wire; a .NET client signs %2c
    ),
    encoding(
        "encoding-parentheses",
        "Are ( and ) signed as %28 %29, or raw (one public report says raw)?",
        "BEP20(BSC)",
        "BEP20(BSC)",
        "raw ( )",
    ),
    encoding(
        "encoding-tilde",
        "Is ~ kept unencoded, or signed as %7E (as Java's URLEncoder does)?",
        "probe~a",
        "probe%7Ea",
        "%7E",
    ),
    encoding(
        "encoding-asterisk",
        "Is * signed as %2A, or kept raw (as Java's URLEncoder does)?",
        "probe*a",
        "probe*a",
        "raw *",
    ),
    encoding(
        "encoding-non-ascii",
        "Is a non-ASCII value signed as its UTF-8 escapes, or as the raw character?",
        "probé",
        "probé",
        "raw é",
        on_wire=False,
    ),
    Experiment(
        "order-expired-and-bad-signature",
        "When a request is both expired and badly signed, which error comes first?",
        "order-of-checks",
        ACCOUNT,
        (
            Step("expired", "timestamp 3000 ms past the window, signed right", _EXPIRED, 3000),
            Step(
                "bad signature",
                "signed with another secret, timestamp inside the window",
                spot_variant(_ORDER_KIT, secret=WRONG_SECRET),
            ),
            Step("both", "expired and signed with another secret", spot_variant(_EXPIRED, secret=WRONG_SECRET), 3000),
        ),
    ),
    Experiment(
        "order-missing-signature-unknown-key",
        "When the signature is missing and the key unknown, which error comes first?",
        "order-of-checks",
        ACCOUNT,
        (
            Step("no signature", "your key, no signature", spot_variant(_ORDER_KIT, signature=False)),
            Step("unknown key", "a key nobody holds, signed", spot_variant(_ORDER_KIT, headers=_NO_KEY)),
            Step(
                "both", "a key nobody holds, no signature", spot_variant(_ORDER_KIT, headers=_NO_KEY, signature=False)
            ),
        ),
    ),
    Experiment(
        "content-type-absent",
        "Is a POST without Content-Type refused with 700013, and before the signature is checked?",
        "content-type",
        TEST_ORDER,
        (
            Step("json", "Content-Type: application/json (the kit's)", kit(TEST_ORDER, ORDER_PARAMS)),
            Step(
                "none",
                "no Content-Type header",
                spot_variant(kit(TEST_ORDER, ORDER_PARAMS), headers={"Content-Type": None}),
            ),
            Step(
                "none, bad signature",
                "no Content-Type header, signed with another secret",
                spot_variant(kit(TEST_ORDER, ORDER_PARAMS), headers={"Content-Type": None}, secret=WRONG_SECRET),
            ),
        ),
    ),
    Experiment(
        "recv-window-max",
        "Is recvWindow=60000 itself accepted, and 60001 refused with 700005?",
        "recv-window",
        ACCOUNT,
        (
            Step("60000", "recvWindow=60000", kit(ACCOUNT, recv_window=MAX_RECV_WINDOW_MS)),
            Step(
                "60001",
                "recvWindow=60001, signed and sent",
                spot_variant(
                    kit(ACCOUNT, recv_window=MAX_RECV_WINDOW_MS), sent=("recvWindow=60000", "recvWindow=60001")
                ),
            ),
        ),
    ),
    Experiment(
        "spot-window-ahead",
        "Is a timestamp 500 ms ahead accepted and one 2000 ms ahead refused (recvWindow 5000)?",
        "spot-time-window",
        ACCOUNT,
        _window("spot", ACCOUNT, (500, 2000), AHEAD_LIMIT_MS, recv_window=DEFAULT_RECV_WINDOW_MS),
    ),
    Experiment(
        "spot-window-behind",
        "Is a timestamp recvWindow - 500 ms behind accepted and recvWindow + 500 ms behind refused?",
        "spot-time-window",
        ACCOUNT,
        _window(
            "spot",
            ACCOUNT,
            (-DEFAULT_RECV_WINDOW_MS + 500, -DEFAULT_RECV_WINDOW_MS - 500),
            -DEFAULT_RECV_WINDOW_MS,
            recv_window=DEFAULT_RECV_WINDOW_MS,
        ),
    ),
    Experiment(
        "futures-unsorted-get",
        "Does futures GET sort what it received, so only the order signed matters?",
        "futures-get-sorted",
        OPEN_ORDERS,
        (
            Step("sorted", "page_num, page_size signed and sent sorted (the kit's)", _SORTED),
            Step(
                "sent unsorted",
                "signed sorted, sent unsorted",
                futures_reordered(_SORTED, _PAGES_UNSORTED, signed=False),
            ),
            Step(
                "signed unsorted",
                "signed and sent unsorted",
                futures_reordered(_SORTED, _PAGES_UNSORTED, signed=True),
            ),
        ),
    ),
    Experiment(
        "futures-window-ahead",
        "Is a Request-Time 9 s ahead accepted and 11 s ahead refused (Recv-Window 10 s, symmetric)?",
        "futures-time-window",
        ASSETS,
        _window("futures", ASSETS, (_FUTURES_EDGE_MS - 1000, _FUTURES_EDGE_MS + 1000), _FUTURES_EDGE_MS),
    ),
    Experiment(
        "futures-window-behind",
        "Is a Request-Time 9 s behind accepted and 11 s behind refused (Recv-Window 10 s)?",
        "futures-time-window",
        ASSETS,
        _window("futures", ASSETS, (-_FUTURES_EDGE_MS + 1000, -_FUTURES_EDGE_MS - 1000), -_FUTURES_EDGE_MS),
    ),
)


def experiment(name: str) -> Experiment:
    """The experiment called ``name`` (KeyError naming the known ones otherwise)."""
    for candidate in EXPERIMENTS:
        if candidate.name == name:
            return candidate
    raise KeyError(f"no probe experiment {name!r}: expected one of {', '.join(e.name for e in EXPERIMENTS)}")
