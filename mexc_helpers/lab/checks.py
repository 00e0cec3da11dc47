"""Self-checks for the notebooks' exercises: each says whether an answer is right and, when it is
not, what is wrong with it (the misconception it shows), never just "wrong".

Each check prints one verdict line (and returns nothing, so a notebook shows just that line): a
cell right after an exercise is all a learner needs, ``check_exercise_1(answer)``.
"""

from __future__ import annotations

import json

from ..protocol.encoding import encode_params, percent_encode
from ..protocol.request import parse_json
from ..protocol.signing import DOCS_SECRET_KEY, futures_param_string, spot_signature
from .cases import FUTURES_ORDER, LAB_TIME, ORDER

DOCS_QUERY = "symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=11&recvWindow=5000&timestamp=1644489390087"
DOCS_EXAMPLE_1_PRINTED = "323c96ab85a745712e95e63cad28903dd8292e4a905e99c4ee3932023843a117"


def _verdict(ok: bool, text: str) -> None:
    print(("✅ " if ok else "❌ ") + text)


def _final(answer: object, right: object, praise: str, hint: str) -> None:
    """The last word of a check, once every known misconception has been ruled out."""
    return _verdict(answer == right, praise if answer == right else hint)


def _judge(answer: object, right: object, praise: str, hint: str, misconceptions=()) -> None:
    """Unanswered, a known misconception (explained), right, or wrong: say which, in one line."""
    if _unanswered(answer):
        return None
    for wrong, explanation in misconceptions:
        if answer == wrong:
            return _verdict(False, explanation)
    return _final(answer, right, praise, hint)


def _unanswered(answer: object) -> bool:
    if answer is ...:
        print("❓ Not answered yet: replace the ... with your answer and run the cell again.")
        return True
    return False


def check_docs_signature(answer: object) -> None:
    """00: the signature of MEXC's documented example, computed yourself."""
    if _unanswered(answer):
        return None
    right = spot_signature(DOCS_SECRET_KEY, DOCS_QUERY)
    if answer == DOCS_EXAMPLE_1_PRINTED:
        return _verdict(
            False,
            "That is the value MEXC's docs print, and it does not reproduce: compute it yourself "
            "with spot_signature(secret, query).",
        )
    if isinstance(answer, str) and answer.lower() == right and answer != right:
        return _verdict(False, "Right digest, wrong case: MEXC compares lowercase hex only (700002 otherwise).")
    return _final(
        answer,
        right,
        "Verified: you reproduced MEXC's official vector.",
        "Not the HMAC-SHA256 of the docs' query string with the docs' secret: check both strings.",
    )


def check_futures_param_string(answer: object) -> None:
    """01: the futures GET paramString for the lab's order parameters."""
    if _unanswered(answer):
        return None
    right = futures_param_string("GET", ORDER)
    if answer == encode_params(ORDER):
        return _verdict(
            False,
            "That is the order you were given. Futures GET/DELETE signs the parameters sorted "
            "by name (dictionary order): the server sorts what it receives.",
        )
    return _final(
        answer,
        right,
        "Sorted by name, joined with '&': the futures server rebuilds exactly this.",
        f"Expected the parameters sorted by name, like {right[:30]}...",
    )


def check_synced_timestamp(answer: object, local_ms: int, offset_ms: int) -> None:
    """02: a timestamp corrected by the measured offset (server time = local time + offset)."""
    if _unanswered(answer):
        return None
    right = local_ms + offset_ms
    if answer == local_ms - offset_ms:
        return _verdict(False, "The sign is flipped: the offset is server minus local, so add it to local time.")
    if answer == local_ms:
        return _verdict(False, "That is the raw local time: the server would still see your clock's error.")
    return _final(
        answer,
        right,
        "Your timestamp now matches the server's clock.",
        f"Expected local time plus the offset ({local_ms} + {offset_ms}).",
    )


def check_futures_post_body(body: object, signed_param_string: object) -> None:
    """03: a futures POST body and the paramString signed for it."""
    if _unanswered(body) or _unanswered(signed_param_string):
        return None
    if not isinstance(body, str):
        return _verdict(False, "Send the body as a str (the exact bytes), not a dict: then you know what you signed.")
    if signed_param_string == encode_params(FUTURES_ORDER):
        return _verdict(False, "Futures POST does not sign k=v pairs: it signs the raw JSON body, byte for byte.")
    if signed_param_string != body:
        return _verdict(False, "What you sign must be the very string you send as the body (spacing and key order).")
    try:
        decoded = parse_json(body)
    except ValueError:
        return _verdict(False, "The body must be JSON (the server answers 601 otherwise).")
    return _final(
        decoded,
        FUTURES_ORDER,
        "Signed exactly what is sent: the futures server accepts it.",
        "That JSON is not the lab's order: keep every field and value.",
    )


def check_canonical_value(answer: object, value: str) -> None:
    """04: the canonical encoding of ``value``."""
    if _unanswered(answer):
        return None
    right = percent_encode(value)
    if isinstance(answer, str) and answer.replace("%20", "+") == right.replace("%20", "+") and "+" in answer:
        return _verdict(False, "A space is %20 in MEXC's canonical form, never '+' (that is form encoding).")
    if isinstance(answer, str) and answer.upper() == right.upper() and answer != right:
        return _verdict(False, "Use uppercase hex: ',' is %2C, never %2c.")
    if answer == value:
        return _verdict(False, "Unescaped: characters like ( ) , and spaces must be percent-encoded before signing.")
    return _final(
        answer,
        right,
        "Canonical: this is what the server rebuilds and signs.",
        f"Not canonical: keep A-Z a-z 0-9 - . _ ~ and encode every other UTF-8 byte as %XX ({right}).",
    )


def check_doctor_cause(answer: object) -> None:
    """05: the cause of the exercise's request (a recvWindow added after signing)."""
    return _judge(
        answer,
        "param_added_after_signing",
        "recvWindow was added after the signature was computed.",
        "Run diagnose(...) on the request and read the first cause.",
        [
            ("signed_order_differs", "The order is the same in both strings; look at which parameter is only in one."),
            ("wrong_secret", "The doctor proved a bug with this secret, so the secret is right."),
        ],
    )


def check_exercise_1(answer: object) -> None:
    """Workshop 1: the code MEXC spot V3 answers for a bad signature."""
    if _unanswered(answer):
        return None
    if answer == 10211:
        return _verdict(
            False,
            '10211 is "transfer is forbidden", a withdrawal error. The popular guide gets this '
            "wrong; a bad spot signature is 700002.",
        )
    if answer == 602:
        return _verdict(False, "602 is the futures API's signature error. Spot V3 answers 700002.")
    if answer == 700003:
        return _verdict(False, "700003 is the timestamp window. A bad signature is 700002.")
    return _verdict(
        answer == 700002,
        '700002 "Signature for this request is not valid."'
        if answer == 700002
        else "Look it up with explain(): the spot signature error is in the 7000xx range.",
    )


def check_exercise_2(answer: object) -> None:
    """Workshop 2: what to sign for a spot query sent as ``symbol=BTCUSDT&side=BUY&timestamp=...``."""
    if _unanswered(answer):
        return None
    sent = f"symbol=BTCUSDT&side=BUY&timestamp={LAB_TIME}"
    if answer == "&".join(sorted(sent.split("&"))):
        return _verdict(
            False,
            "Spot does not need sorting: it signs the parameters in the order it receives them, "
            "so a sorted signature of an unsorted query is a 700002.",
        )
    if isinstance(answer, str) and "signature=" in answer:
        return _verdict(False, "The signature is not part of what you sign: sign the query without it.")
    return _final(
        answer,
        sent,
        "Sign exactly the query you send, in the same order.",
        "Sign the query string exactly as it is sent (without the signature itself).",
    )


def check_exercise_3(answer: object) -> None:
    """Workshop 3: is a timestamp 1200 ms ahead accepted with recvWindow 60000?"""
    if _unanswered(answer):
        return None
    if answer is True:
        return _verdict(
            False,
            "recvWindow only widens the window behind server time. Ahead by 1000 ms or more is "
            "always refused (700003): fix the clock, not the window.",
        )
    return _verdict(
        answer is False, "Refused: the window is asymmetric." if answer is False else "Answer True or False."
    )


def check_exercise_4(answer: object) -> None:
    """Workshop 4: the futures paramString for a POST whose body is the lab's compact JSON order."""
    if _unanswered(answer):
        return None
    body = json.dumps(FUTURES_ORDER, separators=(",", ":"))
    if answer == futures_param_string("GET", FUTURES_ORDER):
        return _verdict(False, "Sorted k=v pairs are for GET/DELETE. A futures POST signs the raw JSON body.")
    if isinstance(answer, str) and answer != body and answer.replace(" ", "") == body:
        return _verdict(False, "Same JSON, other bytes: the spaces must match the body you send exactly.")
    return _verdict(
        answer == body, "The raw body, byte for byte." if answer == body else "Sign the body string exactly as sent."
    )


def check_exercise_5(answer: object) -> None:
    """Workshop 5: the canonical encoding of the network name ``BEP20 (BSC),1``."""
    return check_canonical_value(answer, "BEP20 (BSC),1")


def check_exercise_6(answer: object) -> None:
    """Workshop 6: the cause of the failing request shown in the notebook (the log entry)."""
    clock = "The timestamp was inside the window: a clock problem would be 700003, not 700002."
    return _judge(
        answer,
        "encoding",
        "The client signed '+' for a space; the server re-encodes it as %20.",
        "Compare 'client signed' with 'server rebuilt' character by character.",
        [
            ("clock", clock),
            ("timestamp", clock),
            ("order", "The server rebuilt the parameters in the order sent; compare the value bytes."),
        ],
    )
