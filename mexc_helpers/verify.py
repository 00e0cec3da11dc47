"""The server's side: how MEXC checks a signed request, one rule at a time, showing its work.

Nothing here talks to a network: each function takes what arrived (method, raw query, raw body,
headers) and returns a :class:`Verdict` that says which rule refused the request and why, and
what string the server rebuilt and signed. The local exchange runs these on every request.

Order of checks when a request has several faults (not documented by MEXC; the kit's choice,
matching the observation that an expired request is refused before the hash is compared):
key (10072) -> parameters decode (700008) -> signature present (700004) -> recvWindow (700005)
-> timestamp window (700003) -> signature (700002).
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from .clock import (
    DEFAULT_CONTRACT_WINDOW_S,
    DEFAULT_RECV_WINDOW_MS,
    MAX_CONTRACT_WINDOW_S,
    MAX_RECV_WINDOW_MS,
    contract_time_verdict,
    timestamp_verdict,
)
from .digest import hmac_sha256_hex
from .encoding import EncodingError, canonical_query, parse_query
from .errors import CODES

SecretLookup = Callable[[str], "str | None"]


@dataclass(frozen=True)
class Verdict:
    """The server's view of one request: the rule that decided, and the strings it compared."""

    api: str
    code: int
    reason: str
    api_key: str | None = None
    signed_string: str | None = None
    expected_signature: str | None = None
    received_signature: str | None = None
    params: object = field(default_factory=dict)
    message: str | None = None  # MEXC's msg when it names a parameter; else the code's usual message

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


def _refuse(api: str, code: int, reason: str, **known) -> Verdict:
    return Verdict(api, code, reason, **known)


def _header(headers: Mapping[str, str], name: str) -> str | None:
    value = headers.get(name)
    return value if value is None else str(value)


def _same(expected: str, received: str) -> bool:
    return hmac.compare_digest(expected.encode(), received.encode())


def _looks_like_key(api_key: str) -> bool:
    return api_key.isascii() and api_key.isalnum() and 8 <= len(api_key) <= 64


def _lookup_key(api, api_key, secret_for, missing_code, format_code, unknown_code):
    if not api_key:
        return None, _refuse(api, missing_code, "no API key header")
    if not _looks_like_key(api_key):
        return None, _refuse(api, format_code, f"API key {api_key[:12]!r} is not 8-64 ASCII letters and digits")
    secret = secret_for(api_key)
    if secret is None:
        return None, _refuse(api, unknown_code, "this API key is not registered on the exchange", api_key=api_key)
    return secret, None


def _duplicate(pairs) -> str | None:
    seen = set()
    for name, _ in pairs:
        if name in seen:
            return name
        seen.add(name)
    return None


def _is_json(body: str) -> bool:
    return body.lstrip()[:1] in ("{", "[")


def _text(raw: str | bytes, what: str) -> str:
    if isinstance(raw, str):
        return raw
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise EncodingError(f"the {what} holds bytes that are not UTF-8") from None


def verify_spot(
    method: str,
    query: str | bytes,
    body: str | bytes,
    headers: Mapping[str, str],
    secret_for: SecretLookup,
    server_time: int,
) -> Verdict:
    """Check a spot V3 request as MEXC does; return the verdict with the rebuilt signed string.

    The server decodes every parameter and re-encodes it canonically, signs query + body with no
    ``&`` between, and compares with the lowercase hex ``signature`` taken from the query only.
    A JSON body is not part of what it verifies.
    """
    api_key = _header(headers, "X-MEXC-APIKEY")
    secret, refused = _lookup_key("spot", api_key, secret_for, 400, 700001, 10072)
    if refused:
        return refused
    try:
        query, body = _text(query, "query string"), _text(body, "body")
        query_pairs = parse_query(query)
        body_pairs = [] if not body or _is_json(body) else parse_query(body)
    except EncodingError as exc:
        return _refuse("spot", 700008, str(exc), api_key=api_key)
    if (name := _duplicate(query_pairs + body_pairs)) is not None:
        return _refuse("spot", 33333, f"parameter {name!r} was sent more than once", api_key=api_key)
    signatures = [value for name, value in query_pairs if name == "signature"]
    query_pairs = [(name, value) for name, value in query_pairs if name != "signature"]
    params = dict(query_pairs + body_pairs)
    known = {"api_key": api_key, "params": params}
    if "signature" in params or (body and _is_json(body) and '"signature"' in body):
        return _refuse(
            "spot", 700004, "the signature was sent in the body; the server reads it from the query only", **known
        )
    received = signatures[0] if signatures else ""
    known["received_signature"] = received or None
    if not received:
        return _refuse("spot", 700004, "no signature parameter in the query string", **known)
    recv_window = params.get("recvWindow", str(DEFAULT_RECV_WINDOW_MS))
    if not recv_window.isdigit():
        return _refuse("spot", 700008, f"recvWindow {recv_window!r} is not a whole number of milliseconds", **known)
    if int(recv_window) > MAX_RECV_WINDOW_MS:
        return _refuse("spot", 700005, f"recvWindow {recv_window} is above {MAX_RECV_WINDOW_MS} ms", **known)
    timestamp = params.get("timestamp", "")
    if not timestamp:
        message = CODES[700004].message.replace("'signature'", "'timestamp'")
        return _refuse("spot", 700004, "no timestamp parameter", message=message, **known)
    if not timestamp.isdigit():
        return _refuse("spot", 700008, f"timestamp {timestamp!r} is not a whole number of milliseconds", **known)
    window = timestamp_verdict(int(timestamp), server_time, int(recv_window))
    if not window.accepted:
        rule = (
            "ahead by 1000 ms or more"
            if window.reason == "ahead"
            else f"behind by more than recvWindow {recv_window} ms"
        )
        return _refuse("spot", 700003, _time_reason(int(timestamp), server_time, rule), **known)
    signed_string = canonical_query(query_pairs) + canonical_query(body_pairs)
    expected = hmac_sha256_hex(secret, signed_string)
    known.update(signed_string=signed_string, expected_signature=expected)
    if not _same(expected, received):
        return _refuse("spot", 700002, _mismatch_reason(expected, received), **known)
    return Verdict("spot", 0, "signature and timestamp verified", **known)


def _time_reason(timestamp: int, server_time: int, rule: str) -> str:
    offset = timestamp - server_time
    side = "ahead of" if offset > 0 else "behind"
    return f"timestamp is {abs(offset)} ms {side} server time; {rule} is refused"


def _mismatch_reason(expected: str, received: str) -> str:
    if received.lower() == expected:
        return "the signature is right but in uppercase hex; MEXC compares lowercase only"
    return "the signature does not match the HMAC of the canonical string the server rebuilt"


def verify_contract(
    method: str,
    query: str | bytes,
    body: str | bytes,
    headers: Mapping[str, str],
    secret_for: SecretLookup,
    server_time: int,
) -> Verdict:
    """Check a futures request as MEXC does: ``accessKey + Request-Time + paramString``.

    paramString is the query parameters in dictionary order for GET/DELETE (so the order sent
    does not matter, but the order signed does), and the raw body, byte for byte, for POST.
    """
    api_key = _header(headers, "ApiKey")
    secret, refused = _lookup_key("futures", api_key, secret_for, 401, 401, 401)
    if refused:
        return refused
    known = {"api_key": api_key}
    received = _header(headers, "Signature") or ""
    known["received_signature"] = received or None
    if not received:
        return _refuse("futures", 602, "no Signature header", **known)
    request_time = _header(headers, "Request-Time") or ""
    if not request_time.isdigit():
        return _refuse("futures", 513, f"Request-Time {request_time!r} is not milliseconds since the epoch", **known)
    window_s = _header(headers, "Recv-Window") or str(DEFAULT_CONTRACT_WINDOW_S)
    if not window_s.isdigit() or not 0 < int(window_s) <= MAX_CONTRACT_WINDOW_S:
        return _refuse("futures", 600, f"Recv-Window {window_s!r} is not 1 to {MAX_CONTRACT_WINDOW_S} seconds", **known)
    window = contract_time_verdict(int(request_time), server_time, int(window_s))
    if not window.accepted:
        rule = f"more than Recv-Window {window_s} s away"
        return _refuse("futures", 513, _time_reason(int(request_time), server_time, rule), **known)
    if method == "POST":
        try:
            param_string = _text(body, "body")
            params = json.loads(param_string) if param_string else {}
        except ValueError:
            return _refuse("futures", 601, "the POST body is not UTF-8 JSON", **known)
    else:
        try:
            pairs = parse_query(_text(query, "query string"))
        except EncodingError as exc:
            return _refuse("futures", 600, str(exc), **known)
        if (name := _duplicate(pairs)) is not None:
            return _refuse("futures", 600, f"parameter {name!r} was sent more than once", **known)
        param_string = canonical_query(sorted(pairs))
        params = dict(pairs)
    signed_string = f"{api_key}{request_time}{param_string}"
    expected = hmac_sha256_hex(secret, signed_string)
    known.update(signed_string=signed_string, expected_signature=expected, params=params)
    if not _same(expected, received):
        return _refuse("futures", 602, _mismatch_reason(expected, received), **known)
    return Verdict("futures", 0, "signature and Request-Time verified", **known)
