"""The probe's fixed list of experiments: each a handful of requests that differ in one undocumented point.

Every request is built with the kit's own signer (:mod:`mexc_helpers.protocol.signing`) and, where
the experiment needs it, one explicit deviation: a value spelled another way, a header or the
signature left out, a wrong secret, a timestamp near an edge of the window. Each experiment names
the rule it tests by its anchor in docs/protocol.md, and that rule names the experiment back
(``probe experiment: <name>``).

Only read-only endpoints and test orders are called (:mod:`.steps` lists them; a test asserts it).
Where a test order's parameters and signature sit (query, form body, JSON body) is asked by
:mod:`.layouts`, listed here too.
"""

from __future__ import annotations

from ..protocol.clock import AHEAD_LIMIT_MS, DEFAULT_FUTURES_WINDOW_S, DEFAULT_RECV_WINDOW_MS, MAX_RECV_WINDOW_MS
from ..protocol.encoding import percent_encode
from .layouts import LAYOUTS
from .steps import (
    ACCOUNT,
    ALLOWED_ENDPOINTS,
    ASSETS,
    OPEN_ORDERS,
    ORDER_PARAMS,
    TEST_ORDER,
    UNKNOWN_KEY,
    WRONG_SECRET,
    Experiment,
    Step,
    Target,
    futures_reordered,
    kit,
    spot_variant,
    with_header,
)

__all__ = ["ALLOWED_ENDPOINTS", "EXPERIMENTS", "Experiment", "Step", "Target", "experiment"]


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
_SECONDS = kit(ASSETS, recv_window=DEFAULT_FUTURES_WINDOW_S)

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
    *LAYOUTS,
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
        "futures-recv-window-ms",
        "Is a Recv-Window in milliseconds (10000) accepted, or refused as above 60 seconds?",
        "futures-time-window",
        ASSETS,
        (
            Step("10", "Recv-Window: 10, in seconds as documented (the kit's)", _SECONDS),
            Step(
                "10000",
                "Recv-Window: 10000, in milliseconds as MEXC's futures demo sends it (set by hand)",
                with_header(_SECONDS, "Recv-Window", str(DEFAULT_FUTURES_WINDOW_S * 1000)),
                told_apart=frozenset({600}),
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
