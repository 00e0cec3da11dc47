"""The server's side: how MEXC checks a signed request, one rule at a time, showing its work.

Nothing here talks to a network or reads a clock: each function takes a
:class:`~mexc_helpers.protocol.request.ReceivedRequest`, the server time and a way to find a key's
secret, and returns :class:`Verdict` objects that say which rule refused the request and why, and
what string the server rebuilt and signed. The local exchange answers with the first verdict; the
doctor reads them all, so it can name every fault of a request, in the order the exchange meets them.

Order of checks when a request has several faults (not documented by MEXC; the kit's choice,
matching the observation that an expired request is refused before the hash is compared;
docs/protocol.md#order-of-checks): futures headers on a spot path (700004) -> key (400/700001/10072)
-> Content-Type on a spot POST/PUT/DELETE (700013) -> parameters decode (700008) ->
duplicates (33333) -> signature present (700004) -> recvWindow (700008/700005) -> timestamp
present (700004/700008) -> window (700003) -> signature (700002).

Each verdict's ``cause`` names the rule in the doctor's vocabulary (``timestamp_ahead``,
``param_sent_twice``, ...); ``signature_mismatch`` is the one the doctor goes on to prove.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import dataclass, field

from .clock import (
    AHEAD_LIMIT_MS,
    DEFAULT_FUTURES_WINDOW_S,
    DEFAULT_RECV_WINDOW_MS,
    MAX_FUTURES_WINDOW_S,
    MAX_RECV_WINDOW_MS,
    futures_time_verdict,
    looks_like_seconds,
    parse_ms,
    timestamp_verdict,
)
from .digest import hmac_sha256_hex
from .encoding import EncodingError
from .errors import CODES, signature_passed
from .request import FUTURES_HEADERS, SPOT_KEY_HEADER, ReceivedRequest, parse_json
from .rules import Rule, refusal
from .signing import futures_signed_string

SecretLookup = Callable[[str | None], "str | None"]


@dataclass(frozen=True)
class Verdict:
    """The server's view of one request: the rule that decided, and the strings it compared."""

    api: str
    code: int
    reason: str
    cause: str = "ok"
    api_key: str | None = None
    signed_string: str | None = None
    expected_signature: str | None = None
    received_signature: str | None = None
    params: object = field(default_factory=dict)
    message: str | None = None  # MEXC's msg when it names a parameter; else the code's usual message
    signature_checked: bool = True

    @property
    def accepted(self) -> bool:
        return self.code == 0

    @property
    def msg(self) -> str:
        if self.accepted:
            return ""
        return self.message or CODES[self.code].message

    @property
    def http_status(self) -> int:
        return 200 if self.accepted else CODES[self.code].http_status

    @property
    def rule(self) -> Rule | None:
        """The rule that refused the request, with its evidence label (None when accepted)."""
        return None if self.accepted else refusal(self.api, self.cause)


@dataclass(frozen=True)
class LogEntry:
    """One request as an exchange saw and judged it: the server's log line, also served as JSON by ``/lab/log``.

    It lives beside :class:`Verdict` because both sides read it: the local exchange writes it, a
    student's notebook reads it back from a class exchange.
    """

    server_time: int
    method: str
    path: str
    query: str
    body: str
    api: str
    api_key: str | None
    signed_string: str | None
    expected_signature: str | None
    received_signature: str | None
    code: int
    msg: str
    http_status: int
    reason: str
    cause: str = "ok"  # the rule that decided, in the doctor's vocabulary; "business" after the signature passed
    demo: bool = False  # sent by a lab widget (the X-Lab-Demo header), not by the student's own code

    @property
    def signature_passed(self) -> bool:
        """True when the key, signature and time were accepted (the order itself may still be refused)."""
        return signature_passed(self.code, self.cause)

    @property
    def accepted(self) -> bool:
        return self.code == 0

    @property
    def answer(self) -> str:
        return "accepted" if self.accepted else f"refused {self.code}"

    def __str__(self) -> str:
        lines = [f"{self.method} {self.path}  ->  {self.answer}: {self.reason}"]
        if self.signed_string is not None:
            lines.append(f"  server signed: {self.signed_string}")
            lines.append(f"  expected:      {self.expected_signature}")
        if self.received_signature is not None:
            lines.append(f"  received:      {self.received_signature}")
        return "\n".join(lines)


def looks_like_key(api_key: str) -> bool:
    """MEXC's keys are 8 to 64 ASCII letters and digits (anything else: 700001 on spot, 401 on futures)."""
    return api_key.isascii() and api_key.isalnum() and 8 <= len(api_key) <= 64


def _same(expected: str, received: str) -> bool:
    return hmac.compare_digest(expected.encode(), received.encode())


def _mismatch_cause(expected: str, received: str) -> tuple[str, str]:
    if received.lower() == expected:
        return "signature_uppercase", "the signature is right but in uppercase hex; MEXC compares lowercase only"
    return "signature_mismatch", "the signature does not match the HMAC of the canonical string the server rebuilt"


def _check_signature(verdicts, secret: str, signed_string: str, received: str, code: int) -> None:
    """The last rule: the HMAC of the string the server rebuilt must be the signature received (lowercase hex)."""
    expected = hmac_sha256_hex(secret, signed_string)
    if not _same(expected, received):
        cause, reason = _mismatch_cause(expected, received)
        verdicts.refuse(code, cause, reason, signed_string=signed_string, expected_signature=expected)
    verdicts.known.update(signed_string=signed_string, expected_signature=expected)


def _time_reason(timestamp: int, server_time: int, rule: str) -> str:
    offset = timestamp - server_time
    side = "ahead of" if offset > 0 else "behind"
    return f"timestamp is {abs(offset)} ms {side} server time {server_time}; {rule} is refused"


class _Verdicts:
    """The refusals found so far, each carrying what the server knew at that point."""

    def __init__(self, api: str):
        self.api, self.list, self.known = api, [], {}

    def refuse(self, code: int, cause: str, reason: str, **extra) -> None:
        self.list.append(Verdict(self.api, code, reason, cause, **{**self.known, **extra}))

    def result(self, reason: str, signature_checked: bool, **extra) -> list[Verdict]:
        return self.list or [Verdict(self.api, 0, reason, signature_checked=signature_checked, **self.known, **extra)]


def _check_key(verdicts: _Verdicts, request: ReceivedRequest, secret_for, codes) -> tuple[bool, str | None]:
    """(can go on, the secret) after the key rules; codes are (missing, malformed, unknown)."""
    if secret_for is None:
        return True, None
    api_key = request.api_key
    verdicts.known["api_key"] = api_key
    if request.headers_given:
        if not api_key:
            verdicts.refuse(codes[0], "api_key_missing", "no API key header")
            return False, None
        if not looks_like_key(api_key):
            verdicts.refuse(
                codes[1], "api_key_malformed", f"API key {api_key[:12]!r} is not 8-64 ASCII letters and digits"
            )
            return False, None
    secret = secret_for(api_key)
    if secret is None:
        verdicts.refuse(codes[2], "api_key_unknown", "this API key is not registered on the exchange")
        return False, None
    return True, secret


def _check_window(verdicts, timestamp: int, server_time, judge, window, unit: str, code: int) -> None:
    if looks_like_seconds(timestamp):
        verdicts.refuse(code, "timestamp_in_seconds", f"timestamp {timestamp} is in seconds, not milliseconds")
        return
    if server_time is None or window is None:
        return
    check = judge(timestamp, server_time, window)
    if check.accepted:
        return
    if check.reason == "ahead":
        rule = f"ahead by {AHEAD_LIMIT_MS} ms or more" if unit == "ms" else f"more than Recv-Window {window} s ahead"
        verdicts.refuse(code, "timestamp_ahead", _time_reason(timestamp, server_time, rule))
    else:
        rule = (
            f"behind by more than recvWindow {window} ms"
            if unit == "ms"
            else f"more than Recv-Window {window} s behind"
        )
        verdicts.refuse(code, "timestamp_expired", _time_reason(timestamp, server_time, rule))


def spot_verdicts(
    request: ReceivedRequest, *, secret_for: SecretLookup | None = None, server_time: int | None = None
) -> list[Verdict]:
    """Every spot rule ``request`` breaks, in the exchange's order of checks, or one accepted verdict.

    The server decodes every parameter and re-encodes it canonically, signs query + body with no
    ``&`` between, and compares with the lowercase hex ``signature`` taken from the query only;
    a JSON body is not part of what it verifies. Without ``secret_for`` the key and the signature
    are not judged; without ``server_time`` the window is not (a timestamp in seconds still is).
    """
    verdicts = _Verdicts("spot")
    if request.headers_given and not request.header(SPOT_KEY_HEADER) and any(map(request.header, FUTURES_HEADERS)):
        reason = "futures headers (ApiKey, Request-Time, Signature) on a spot request: spot reads the query"
        verdicts.refuse(700004, "futures_signing_on_spot", reason)
        return verdicts.list
    going_on, secret = _check_key(verdicts, request, secret_for, (400, 700001, 10072))
    if not going_on:
        return verdicts.list
    if request.headers_given and request.method in ("POST", "PUT", "DELETE") and not request.header("Content-Type"):
        verdicts.refuse(700013, "content_type_missing", f"a spot {request.method} without a Content-Type header")
    try:
        params = request.params
    except EncodingError as error:
        verdicts.refuse(700008, "encoding_unescaped", str(error))
        return verdicts.list
    verdicts.known["params"] = params
    if (name := request.duplicate) is not None:
        verdicts.refuse(33333, "param_sent_twice", f"parameter {name!r} was sent more than once")
    place = request.signature_place
    received = request.signature if place in ("query", "form") else None
    verdicts.known["received_signature"] = received or None
    if place == "json":
        reason = "the signature is inside the JSON body, which it would have to sign: the kit reads it from the query"
        verdicts.refuse(700004, "signature_in_json_body", reason)
    elif not received:
        verdicts.refuse(700004, "signature_missing", "no signature parameter in the query string or form body")
    # recvWindow: milliseconds, 0 to 60000 (700008 if not digits, 700005 above).
    window = _window(
        verdicts,
        request.recv_window_text,
        "recvWindow",
        "ms",
        DEFAULT_RECV_WINDOW_MS,
        0,
        MAX_RECV_WINDOW_MS,
        (700008, 700005),
    )
    timestamp_text = request.timestamp_text
    timestamp = parse_ms(timestamp_text)
    if not timestamp_text:
        message = CODES[700004].message.replace("'signature'", "'timestamp'")
        verdicts.refuse(700004, "timestamp_missing", "no timestamp parameter", message=message)
    elif timestamp is None:
        verdicts.refuse(
            700008, "timestamp_missing", f"timestamp {timestamp_text[:20]!r} is not a whole number of milliseconds"
        )
    else:
        _check_window(verdicts, timestamp, server_time, timestamp_verdict, window, "ms", 700003)
    if secret is not None and received:
        _check_signature(verdicts, secret, request.spot_signed_string, received, 700002)
    return verdicts.result("signature and timestamp verified", signature_checked=secret is not None)


def _window(
    verdicts: _Verdicts,
    text: str | None,
    name: str,
    unit: str,
    default: int,
    lowest: int,
    highest: int,
    codes: tuple[int, int],
) -> int | None:
    """The window sent (``default`` if none), refusing what is not ``lowest`` to ``highest`` whole ``unit``
    (codes[0]) or is above it (codes[1], judged as ``highest`` from then on)."""
    if text is None:
        return default
    window = parse_ms(text)
    if window is None or window < lowest:
        verdicts.refuse(codes[0], "recv_window_invalid", f"{name} {text[:20]!r} is not {lowest} to {highest} {unit}")
        return None
    if window > highest:
        verdicts.refuse(codes[1], "recv_window_too_large", f"{name} {window} is above {highest} {unit}")
        return highest
    return window


def futures_verdicts(
    request: ReceivedRequest, *, secret_for: SecretLookup | None = None, server_time: int | None = None
) -> list[Verdict]:
    """Every futures rule ``request`` breaks, in the exchange's order of checks, or one accepted verdict.

    The server signs ``accessKey + Request-Time + paramString``: the query parameters in dictionary
    order for GET/DELETE (so the order sent does not matter, but the order signed does), and the
    raw body, byte for byte, for POST.
    """
    verdicts = _Verdicts("futures")
    going_on, secret = _check_key(verdicts, request, secret_for, (401, 401, 401))
    if not going_on:
        return verdicts.list
    received = request.header("Signature") or ""
    verdicts.known["received_signature"] = received or None
    if not received:
        verdicts.refuse(602, "signature_missing", "no Signature header")
    request_time_text = request.timestamp_text or ""
    request_time = parse_ms(request_time_text)
    if request_time is None:
        reason = f"Request-Time {request_time_text[:20]!r} is not milliseconds since the epoch"
        verdicts.refuse(513, "timestamp_missing", reason)
    window = _window(
        verdicts,
        request.recv_window_text,
        "Recv-Window",
        "seconds",
        DEFAULT_FUTURES_WINDOW_S,
        1,
        MAX_FUTURES_WINDOW_S,
        (600, 600),
    )
    if request_time is not None:
        _check_window(verdicts, request_time, server_time, futures_time_verdict, window, "s", 513)
    try:
        param_string = request.futures_param_string
        params = (parse_json(param_string) if param_string else {}) if request.method == "POST" else request.params
    except EncodingError as error:
        if request.method == "POST":  # a body that is not UTF-8 is no JSON either
            verdicts.refuse(601, "body_not_json", str(error))
        else:
            verdicts.refuse(600, "encoding_unescaped", str(error))
        return verdicts.list
    except ValueError:
        verdicts.refuse(601, "body_not_json", "the POST body is not UTF-8 JSON")
        return verdicts.list
    verdicts.known["params"] = params
    if request.method != "POST" and (name := request.duplicate) is not None:
        verdicts.refuse(600, "param_sent_twice", f"parameter {name!r} was sent more than once")
    if secret is not None and received and request_time is not None:
        signed = futures_signed_string(request.api_key, request_time_text, param_string)
        _check_signature(verdicts, secret, signed, received, 602)
    return verdicts.result("signature and Request-Time verified", signature_checked=secret is not None)


def verdicts_for(
    request: ReceivedRequest, *, secret_for: SecretLookup | None = None, server_time: int | None = None
) -> list[Verdict]:
    """:func:`spot_verdicts` or :func:`futures_verdicts`, by the API the request is for."""
    judge = futures_verdicts if request.api == "futures" else spot_verdicts
    return judge(request, secret_for=secret_for, server_time=server_time)


def verify(request: ReceivedRequest, *, secret_for: SecretLookup, server_time: int) -> Verdict:
    """What the exchange answers: the first rule the request breaks, in MEXC's order, or accepted."""
    return verdicts_for(request, secret_for=secret_for, server_time=server_time)[0]
