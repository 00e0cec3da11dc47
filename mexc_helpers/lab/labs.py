"""The labs' logic: build a request the way a (sometimes buggy) client would, send it to the local
exchange, and report what was signed, what was sent and what the server made of it.

The widgets in :mod:`mexc_helpers.lab.widgets` only draw controls and call these functions, so every
lab can be tested (and used) without a browser. Time is frozen at :data:`LAB_TIME` in the labs, so
every learner sees the same signatures and a notebook gives the same output on every run.
"""

from __future__ import annotations

import json
import os
import random
from dataclasses import dataclass, replace
from datetime import datetime, timezone

from ..classmode import class_exchange
from ..doctor.encoders import CANONICAL, LOWERCASE, QUOTE_PLUS, RAW, REQUESTS_URL
from ..protocol.clock import DEFAULT_RECV_WINDOW_MS
from ..protocol.encoding import encode_params
from ..protocol.envelope import read_answer
from ..protocol.errors import CODES, signature_passed
from ..protocol.signing import (
    SignedRequest,
    futures_signature,
    futures_signed_string,
    sign_futures,
    spot_signature,
)
from ..protocol.urls import LAB_URL_VARIABLE
from ..server.app import DEMO_HEADER
from ..server.exchange import LocalExchange

LAB_TIME = 1_700_000_000_000  # 2023-11-14 22:13:20 UTC: the labs' frozen server clock
ORDER_PATH = "/api/v3/order/test"
FUTURES_GET_PATH = "/api/v1/private/order/list/open_orders"
FUTURES_POST_PATH = "/api/v1/private/order/submit"
WITHDRAW_PATH = "/api/v3/capital/withdraw"
ORDER = {"symbol": "BTCUSDT", "side": "BUY", "type": "LIMIT", "quantity": "0.001", "price": "60000"}
FUTURES_ORDER = {"symbol": "BTC_USDT", "price": 60000, "vol": 1, "side": 1, "type": 1, "openType": 1}

_embedded: LocalExchange | None = None


def lab_exchange(*, embedded: bool = False):
    """The labs' exchange: the class exchange at MEXC_LAB_URL (with MEXC_API_KEY / MEXC_SECRET_KEY) if set,
    else the embedded one: started on first use, the docs' key pair, its clock frozen at LAB_TIME.

    ``embedded=True`` always gives the embedded one, for cells that rely on the docs' pair or the
    frozen clock (their stored outputs and the solutions hold in a class too). The class exchange's
    connection is checked on first use (:func:`~mexc_helpers.classmode.class_exchange`): a missing
    variable, a padded secret, an exchange out of reach or a key it refuses raises a one-line
    :class:`~mexc_helpers.client.LabSetupError`.
    """
    global _embedded
    if embedded or not os.environ.get(LAB_URL_VARIABLE):
        if _embedded is None or not _embedded.running:
            _embedded = LocalExchange(clock=lambda: LAB_TIME).start()
        return _embedded
    return class_exchange()


def exchange_note(exchange) -> str:
    """One line for a notebook's setup: which exchange it talks to (no port, no secret: stored outputs stay stable)."""
    if isinstance(exchange, LocalExchange):
        frozen = datetime.fromtimestamp(LAB_TIME / 1000, timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
        return f"Exchange: the embedded lab exchange, on this machine (the docs' key pair, clock frozen at {frozen})"
    return (
        f"Exchange: the class exchange at {exchange.base_url} with your key {exchange.api_key[:4]}... "
        "(its clock runs: timestamps and signatures differ from the stored outputs)"
    )


@dataclass(frozen=True)
class Outcome:
    """One request as the client built it and as the exchange judged it."""

    label: str
    signed_string: str
    sent: str  # the request line's target (path and query), plus the body if any
    signature: str
    code: int  # 0 when accepted
    message: str
    server_signed: str | None
    expected_signature: str | None
    server_cause: str | None = None  # the rule that decided, from the server's log

    @property
    def accepted(self) -> bool:
        return self.code == 0

    @property
    def signature_ok(self) -> bool:
        """True when the exchange got past the key, signature and time checks (it may refuse for business reasons)."""
        return signature_passed(self.code, self.server_cause)

    @property
    def answer(self) -> str:
        if self.accepted:
            return "accepted"
        return f"{self.code} {self.message}"


def send(exchange: LocalExchange, request: SignedRequest, label: str) -> Outcome:
    """Send ``request`` to the exchange, tagged as a lab's demo, and read back the server's view of it."""
    response = replace(request, headers={**request.headers, DEMO_HEADER: "1"}).send()
    answer = read_answer(response.status_code, response.text)
    code, message = answer.code or 0, answer.message
    entry = exchange.log.last
    target = request.url.split("://", 1)[1]
    target = target[target.index("/") :]
    sent = f"{request.method} {target}" + (f"\nbody: {request.body}" if request.body else "")
    return Outcome(
        label,
        request.signed_string,
        sent,
        request.signature,
        code,
        message,
        entry.signed_string if entry else None,
        entry.expected_signature if entry else None,
        entry.cause if entry else None,
    )


def _spot(exchange, method, path, signed_string, query, signature, body=None, in_body=False):
    if in_body:
        body = f"{body}&signature={signature}" if body else f"signature={signature}"
        url = f"{exchange.base_url}{path}?{query}" if query else f"{exchange.base_url}{path}"
    else:
        url = f"{exchange.base_url}{path}?{query}&signature={signature}"
    form = body is not None and not body.startswith("{")
    content_type = "application/x-www-form-urlencoded" if form else "application/json"
    headers = {"X-MEXC-APIKEY": exchange.api_key, "Content-Type": content_type}
    return SignedRequest(method, url, headers, body, signed_string, signature)


def _time_params(now: int, offset_ms: int = 0, recv_window: int | None = None) -> list[tuple[str, object]]:
    window = [] if recv_window is None else [("recvWindow", recv_window)]
    return window + [("timestamp", now + offset_ms)]


# --- parameter order -------------------------------------------------------------------------

ORDER_CLIENTS = {
    "same": "signs what it sends",
    "signs_sorted": "signs sorted, sends as displayed",
    "sends_sorted": "signs as displayed, sends sorted",
}


def order_params(names: list[str], now: int = LAB_TIME) -> list[tuple[str, object]]:
    """The lab order's parameters in the order of ``names`` (which must be exactly its parameter names)."""
    values = dict(ORDER, recvWindow=DEFAULT_RECV_WINDOW_MS, timestamp=now)
    missing = [name for name in values if name not in names]
    unknown = [name for name in names if name not in values]
    if missing or unknown or len(names) != len(values):
        parts = ([f"missing: {', '.join(missing)}"] if missing else []) + (
            [f"not a parameter of this order: {', '.join(unknown)}"] if unknown else []
        )
        raise ValueError(
            f"the order needs each of {', '.join(values)} exactly once ({'; '.join(parts) or 'duplicates'})"
        )
    return [(name, values[name]) for name in names]


def shuffled(names: list[str], rng: random.Random) -> list[str]:
    """A different order of the same names (seeded, so a notebook is reproducible)."""
    result = list(names)
    while len(result) > 1 and result == names:
        rng.shuffle(result)
    return result


def order_case(exchange: LocalExchange, names: list[str], client: str) -> tuple[Outcome, Outcome]:
    """Spot POST and futures GET of the same parameters in the displayed order, for a client behaviour.

    Spot accepts any order as long as what is signed is what is sent. Futures sorts what it
    receives, so it accepts only a signature over the dictionary order.
    """
    now = exchange.server_time()
    displayed = order_params(names, now)
    sorted_pairs = sorted(displayed)
    signed_pairs = sorted_pairs if client == "signs_sorted" else displayed
    sent_pairs = sorted_pairs if client == "sends_sorted" else displayed
    signed_string, query = encode_params(signed_pairs), encode_params(sent_pairs)
    spot_request = _spot(
        exchange, "POST", ORDER_PATH, signed_string, query, spot_signature(exchange.secret, signed_string)
    )
    business = [(k, v) for k, v in displayed if k not in ("recvWindow", "timestamp")]
    futures_request = _futures_get(
        exchange,
        now,
        signed=encode_params(sorted(business) if client == "signs_sorted" else business),
        sent=encode_params(sorted(business) if client == "sends_sorted" else business),
    )
    return send(exchange, spot_request, "spot POST"), send(exchange, futures_request, "futures GET")


def _futures_get(exchange: LocalExchange, now: int, signed: str, sent: str) -> SignedRequest:
    """A futures GET that signed the parameter string ``signed`` and sends the query ``sent``."""
    signature = futures_signature(exchange.api_key, exchange.secret, now, signed)
    headers = {
        "ApiKey": exchange.api_key,
        "Request-Time": str(now),
        "Signature": signature,
        "Content-Type": "application/json",
    }
    url = f"{exchange.base_url}{FUTURES_GET_PATH}?{sent}"
    return SignedRequest("GET", url, headers, None, futures_signed_string(exchange.api_key, now, signed), signature)


def first_difference(signed: str, sent: str) -> int | None:
    """Index of the first character where two strings differ, or None when they are equal."""
    if signed == sent:
        return None
    return next((i for i, (a, b) in enumerate(zip(signed, sent, strict=False)) if a != b), min(len(signed), len(sent)))


# --- clock -----------------------------------------------------------------------------------


def clock_case(exchange: LocalExchange, offset_ms: int, recv_window: int) -> tuple[Outcome, Outcome]:
    """A spot request and a futures request from a client whose clock is ``offset_ms`` off server time."""
    now = exchange.server_time()
    pairs = [("symbol", "BTCUSDT")] + _time_params(now, offset_ms, recv_window)
    signed_string = encode_params(pairs)
    spot_request = _spot(
        exchange,
        "GET",
        "/api/v3/openOrders",
        signed_string,
        signed_string,
        spot_signature(exchange.secret, signed_string),
    )
    futures_request = sign_futures(
        "GET",
        FUTURES_GET_PATH,
        {"symbol": "BTC_USDT"},
        api_key=exchange.api_key,
        secret=exchange.secret,
        request_time=now + offset_ms,
        base_url=exchange.base_url,
    )
    return send(exchange, spot_request, "spot"), send(exchange, futures_request, "futures")


# --- query vs body ---------------------------------------------------------------------------

SPOT_BODY_CHOICES = {
    "query": "everything in the query (correct)",
    "json_body": "a JSON body signed",
    "form_body": "everything in a form body, signature too (the docs' examples)",
    "query_plus_body": "query + form body, nothing between (the docs' 3rd example)",
    "joined_with_ampersand": "query + form body, signed with '&' between",
}
FUTURES_BODY_CHOICES = {
    "raw_json": "the raw JSON body, sent as signed (correct)",
    "json_kwarg": "compact JSON signed, sent with requests' json= (spaces)",
    "key_value": "signed as k=v pairs, sent as JSON",
    "reordered": "keys reordered after signing",
}


def spot_body_case(exchange: LocalExchange, choice: str) -> Outcome:
    """A spot POST order placed the way ``choice`` says (see SPOT_BODY_CHOICES)."""
    now = exchange.server_time()
    pairs = list(ORDER.items()) + _time_params(now, recv_window=DEFAULT_RECV_WINDOW_MS)
    query = encode_params(pairs)
    secret = exchange.secret
    if choice == "query":
        request = _spot(exchange, "POST", ORDER_PATH, query, query, spot_signature(secret, query))
    elif choice == "json_body":
        body = json.dumps(dict(pairs), separators=(",", ":"))
        time_query = encode_params(_time_params(now, recv_window=DEFAULT_RECV_WINDOW_MS))
        request = _spot(exchange, "POST", ORDER_PATH, body, time_query, spot_signature(secret, body), body)
    elif choice == "form_body":
        request = _spot(exchange, "POST", ORDER_PATH, query, "", spot_signature(secret, query), query, in_body=True)
    else:
        head, tail = encode_params(pairs[:3]), encode_params(pairs[3:])
        signed = head + tail if choice == "query_plus_body" else f"{head}&{tail}"
        request = _spot(exchange, "POST", ORDER_PATH, signed, head, spot_signature(secret, signed), tail)
    return send(exchange, request, SPOT_BODY_CHOICES[choice])


def futures_body_case(exchange: LocalExchange, choice: str) -> Outcome:
    """A futures POST order placed the way ``choice`` says (see FUTURES_BODY_CHOICES)."""
    compact = json.dumps(FUTURES_ORDER, separators=(",", ":"))
    sent = {
        "raw_json": compact,
        "json_kwarg": json.dumps(FUTURES_ORDER),  # what requests.post(json=...) puts on the wire
        "key_value": compact,
        "reordered": json.dumps(dict(sorted(FUTURES_ORDER.items())), separators=(",", ":")),
    }[choice]
    signed_body = encode_params(FUTURES_ORDER) if choice == "key_value" else compact
    signed = sign_futures(
        "POST",
        FUTURES_POST_PATH,
        signed_body,
        api_key=exchange.api_key,
        secret=exchange.secret,
        request_time=exchange.server_time(),
        base_url=exchange.base_url,
    )
    request = SignedRequest("POST", signed.url, signed.headers, sent, signed.signed_string, signed.signature)
    return send(exchange, request, FUTURES_BODY_CHOICES[choice])


# --- value encoding --------------------------------------------------------------------------

ENCODINGS = {
    "canonical": "canonical: uppercase hex, space as %20",
    "plus": "'+' for a space (form encoding)",
    "lowercase": "lowercase hex (%2c)",
    "unescaped": "signed unescaped, URL escaped later by the HTTP library",
}
MAX_VALUE_LENGTH = 200
# Each client's encoding is one of the doctor's library models, checked against the libraries in the tests.
_STYLE_ENCODERS = {"canonical": CANONICAL, "plus": QUOTE_PLUS, "lowercase": LOWERCASE}


def encode_as(style: str, value: str) -> tuple[str, str]:
    """(what a client of ``style`` signs, what it sends) for the value ``value``."""
    if style == "unescaped":  # signs the raw text; requests escapes the URL later (not ( ) , nor & = + #)
        return RAW.encode(value), REQUESTS_URL.encode(value)
    encoded = _STYLE_ENCODERS[style].encode(value)
    return encoded, encoded


def check_value(value: object) -> str:
    """The typed value, or a one-line ValueError saying what the lab expects."""
    if not isinstance(value, str) or not value:
        raise ValueError("type a value to encode, for example BEP20(BSC)")
    if len(value) > MAX_VALUE_LENGTH:
        raise ValueError(f"keep the value under {MAX_VALUE_LENGTH} characters (this one has {len(value)})")
    if any(0xD800 <= ord(char) <= 0xDFFF for char in value):
        raise ValueError("the value holds a broken character (a lone surrogate): retype it")
    return value


def encoding_cases(exchange: LocalExchange, value: str) -> list[Outcome]:
    """One withdrawal request per client encoding style, carrying ``value`` as the network."""
    value = check_value(value)
    outcomes, now = [], exchange.server_time()
    for style, label in ENCODINGS.items():
        signed_value, sent_value = encode_as(style, value)
        head = "coin=USDT&network="
        tail = "&address=0xab12cd34&amount=10&" + encode_params(_time_params(now))
        signed_string, query = head + signed_value + tail, head + sent_value + tail
        request = _spot(
            exchange, "POST", WITHDRAW_PATH, signed_string, query, spot_signature(exchange.secret, signed_string)
        )
        outcomes.append(send(exchange, request, label))
    return outcomes


# --- the three causes side by side -----------------------------------------------------------

OVERVIEW_ORDER = {"same": "signs and sends the same order", "sorted": "signs sorted, sends as written"}
OVERVIEW_PLACEMENT = {
    "query": "everything in the query",
    "form_body": "everything in a form body (the docs' examples)",
    "json_body": "a JSON body signed",
}


def overview_case(exchange: LocalExchange, order: str, offset_ms: int, placement: str) -> Outcome:
    """One spot POST order with any combination of the three faults: order, clock, placement."""
    written = [
        ("symbol", "BTCUSDT"),
        ("type", "LIMIT"),
        ("side", "BUY"),
        ("quantity", "0.001"),
        ("price", "60000"),
    ] + _time_params(exchange.server_time(), offset_ms)
    query = encode_params(written)
    secret = exchange.secret
    if placement == "json_body":
        body = json.dumps(dict(sorted(written) if order == "sorted" else written), separators=(",", ":"))
        request = _spot(exchange, "POST", ORDER_PATH, body, query, spot_signature(secret, body), body)
    else:
        signed = encode_params(sorted(written)) if order == "sorted" else query
        if placement == "form_body":
            request = _spot(exchange, "POST", ORDER_PATH, signed, "", spot_signature(secret, signed), query, True)
        else:
            request = _spot(exchange, "POST", ORDER_PATH, signed, query, spot_signature(secret, signed))
    return send(exchange, request, "your request")


def answer_meaning(code: int) -> str:
    """One line on what the exchange's answer means."""
    if code == 0:
        return "accepted: what you signed is what the server rebuilt, and the timestamp is inside the window"
    info = CODES.get(code)
    return f"{code}: {info.meaning}" if info else f"{code}"
