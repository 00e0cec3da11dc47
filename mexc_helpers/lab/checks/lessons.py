"""The self-checks of notebooks 00 to 05 whose answer is a value: its usual misconceptions named."""

from __future__ import annotations

import re

from ...doctor import FIXES
from ...protocol.clock import looks_like_seconds
from ...protocol.encoding import UNRESERVED, EncodingError, encode_params, percent_encode, strict_unquote
from ...protocol.request import parse_json
from ...protocol.signing import DOCS_SECRET_KEY, spot_signature
from ..labs import FUTURES_ORDER
from .judge import json_mistake, report, wrong_type
from .runner import CheckResult

DOCS_QUERY = "symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=11&recvWindow=5000&timestamp=1644489390087"
DOCS_EXAMPLE_1_PRINTED = "323c96ab85a745712e95e63cad28903dd8292e4a905e99c4ee3932023843a117"
_ESCAPE = re.compile("%([0-9A-Fa-f]{2})")


def check_docs_signature(answer: object) -> CheckResult:
    """00: the signature of MEXC's documented example, computed yourself."""
    return report(
        "docs_signature", (answer,), _docs_signature_mistake, "Verified: you reproduced MEXC's official vector."
    )


def _docs_signature_mistake(answer: object) -> str | None:
    if isinstance(answer, bool):
        return (
            "That is a bool: put the signature you computed in my_signature (a str of 64 hex digits), "
            "then compare it with the printed one."
        )
    if isinstance(answer, bytes):
        return "That is bytes (hmac's digest()): MEXC wants the hex digest, a str of 64 lowercase hex digits."
    mistake = wrong_type(answer, str, "a signature is a str of 64 lowercase hex digits")
    if mistake:
        return mistake
    right = spot_signature(DOCS_SECRET_KEY, DOCS_QUERY)
    if answer == right:
        return None
    if answer == DOCS_EXAMPLE_1_PRINTED:
        return "That is the value MEXC's docs print, and it does not reproduce: compute it yourself."
    if answer.strip().lower() == right:
        if answer.strip() != answer:
            return "Right digest, with spaces or a newline around it: MEXC compares the 64 characters exactly."
        return "Right digest, wrong case: MEXC compares lowercase hex only (700002 otherwise)."
    if answer == spot_signature(DOCS_QUERY, DOCS_SECRET_KEY):
        return "Secret and query swapped: spot_signature(secret, query) takes the secret first (the HMAC key)."
    return "Not the HMAC-SHA256 of the docs' query string with the docs' secret: check both strings."


def check_synced_timestamp(answer: object, local_ms: int, offset_ms: int) -> CheckResult:
    """02: a timestamp corrected by the measured offset (server time = local time + offset)."""
    return report(
        "synced_timestamp",
        (answer, local_ms, offset_ms),
        _synced_timestamp_mistake,
        "Your timestamp now matches the server's clock.",
    )


def _synced_timestamp_mistake(answer: object, local_ms: int, offset_ms: int) -> str | None:
    right = local_ms + offset_ms
    if isinstance(answer, (int, float)) and not isinstance(answer, bool) and looks_like_seconds(answer):
        return "That looks like seconds: MEXC timestamps are milliseconds since the epoch (13 digits today)."
    if isinstance(answer, float):
        return "That is a float: sign_spot refuses floats; a timestamp is an int of milliseconds (int(...))."
    mistake = wrong_type(answer, int, "a timestamp is an int of milliseconds (no quotes)")
    if mistake or answer == right:
        return mistake
    if answer == local_ms - offset_ms:
        return "The sign is flipped: the offset is server minus local, so it moves your clock the other way."
    if answer == local_ms:
        return "That is the raw local time: the server would still see your clock's error."
    if answer == right * 1000:
        return "Multiplied by 1000 once too often: that is microseconds, MEXC wants milliseconds."
    return "Not the server's time as your clock sees it: combine local_ms with offset_ms (server minus local)."


def check_futures_post_body(body: object, signed_param_string: object) -> CheckResult:
    """03: a futures POST body and the paramString signed for it."""
    return report(
        "futures_post_body",
        (body, signed_param_string),
        _futures_post_body_mistake,
        "Signed exactly what is sent: the futures server accepts it.",
    )


def _futures_post_body_mistake(body: object, signed_param_string: object) -> str | None:
    mistake = wrong_type(body, str, "send the body as a str (the exact bytes): then you know what you signed")
    mistake = mistake or wrong_type(signed_param_string, str, "the paramString is a str, the body's very bytes")
    if mistake:
        return mistake
    if signed_param_string == encode_params(FUTURES_ORDER):
        return "Futures POST does not sign k=v pairs: it signs the raw JSON body, byte for byte."
    try:
        decoded = parse_json(body)
    except ValueError:
        return "The body must be JSON (the futures server answers 601 otherwise)."
    mistake = json_mistake(signed_param_string, body)
    if mistake or decoded == FUTURES_ORDER:
        return mistake
    if isinstance(decoded, dict) and {key: str(value) for key, value in decoded.items()} == {
        key: str(value) for key, value in FUTURES_ORDER.items()
    }:
        return "Same fields, other types: numbers in FUTURES_ORDER stay JSON numbers, not strings (or the reverse)."
    return "That JSON is not the lab's order: keep every field and value of FUTURES_ORDER."


def check_canonical_value(answer: object, value: str, *, exercise: str = "canonical_value") -> CheckResult:
    """04: the canonical encoding of ``value``."""
    return report(
        exercise, (answer, value), canonical_mistake, "Canonical: this is what the server rebuilds and signs."
    )


def canonical_mistake(answer: object, value: str) -> str | None:
    """What is wrong with ``answer`` as the canonical encoding of ``value`` (one line), or None when it is right."""
    mistake = wrong_type(answer, str, "an encoded value is a str")
    if mistake or answer == percent_encode(value):
        return mistake
    if answer == value:
        return f"Unescaped, and must be percent-encoded before signing: {_left_raw(value)}."
    try:
        decoded = strict_unquote(answer)
    except EncodingError as exc:
        return f"Not valid percent-encoding: {exc}."
    if decoded != value:
        if "%25" in answer:
            return "Encoded twice: %25 is an encoded '%'. Encode the raw value once."
        return f"That does not decode to {value!r}: a character is changed, missing or added."
    mistakes = "; ".join(_encoding_mistakes(answer))
    return mistakes[0].upper() + mistakes[1:] + "."


def _encoding_mistakes(answer: str) -> list[str]:
    """The ways an encoding of the right value differs from the canonical form, one phrase each."""
    mistakes = []
    if "+" in answer:
        mistakes.append("'+' for a space is form encoding (quote_plus, urlencode): MEXC's canonical space is %20")
    escapes = _ESCAPE.findall(answer)
    if any(escape != escape.upper() for escape in escapes):
        mistakes.append("lowercase hex: MEXC rebuilds uppercase escapes (%2C, never %2c)")
    left = _left_raw(answer)
    if left:
        mistakes.append(f"left unescaped: {left}; only A-Z a-z 0-9 - . _ ~ stay as they are")
    kept = sorted({chr(int(escape, 16)) for escape in escapes} & set(UNRESERVED))
    if kept:
        mistakes.append(f"escaped {' '.join(map(repr, kept))}: the canonical form keeps A-Z a-z 0-9 - . _ ~ as is")
    return mistakes


def _left_raw(text: str) -> str | None:
    """The characters of ``text`` outside %XX escapes that the canonical form escapes, with the library habit that
    leaves them raw where there is a well-known one; None if there are none."""
    raw = sorted(set(_ESCAPE.sub("", text)) - set(UNRESERVED) - {"+"})
    if not raw:
        return None
    why = ""
    if {"(", ")"} & set(raw):
        why = " (encodeURIComponent leaves ( ) raw: the BEP20(BSC) withdrawal bug)"
    elif "/" in raw:
        why = " (urllib.parse.quote leaves '/' raw unless given safe='')"
    return " ".join(repr(char) for char in raw) + why


def check_doctor_cause(answer: object) -> CheckResult:
    """05: the cause of the exercise's request (a recvWindow added after signing)."""
    return report(
        "doctor_cause", (answer,), _doctor_cause_mistake, "recvWindow was added after the signature was computed."
    )


def _doctor_cause_mistake(answer: object) -> str | None:
    if isinstance(answer, (list, tuple)):
        return f"That is a {type(answer).__name__}: name one cause, a str, the first of diagnosis.causes."
    mistake = wrong_type(answer, str, "a cause is a str, one of the doctor's names")
    if mistake:
        return mistake
    cause = answer.strip().lower()
    if cause == "param_added_after_signing":
        return None
    if cause == "signed_order_differs":
        return "The order is the same in both strings; look at which parameter is only in one."
    if cause in ("wrong_secret", "signature_unexplained", "secret"):
        return "The doctor proved a bug with this secret, so the secret is right."
    if cause == "ok" or cause == "unchecked":
        return "MEXC refused it (700002): give diagnose() the secret, so it can check the signature."
    if cause.startswith(("timestamp_", "recv_window_")):
        return "Not the time: that would be 700003 or 700005. 700002 means the signed string differs."
    if cause not in FIXES:
        return "Not one of the doctor's causes: copy the first name in diagnose(...).causes."
    return "Not the first cause: run diagnose(...) with the secret and read causes[0]."
