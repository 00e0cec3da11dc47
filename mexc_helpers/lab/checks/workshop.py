"""The self-checks of notebook 06, the workshop: six exercises, their usual misconceptions named."""

from __future__ import annotations

import json

from ...doctor import FIXES
from ...protocol.errors import CODES
from ...protocol.signing import futures_param_string
from ..labs import FUTURES_ORDER, LAB_TIME
from .judge import json_mistake, query_mistake, report, wrong_type
from .lessons import check_canonical_value
from .runner import CheckResult

# Known wrong codes, each with what it really is (the rest: the code table's own message).
_OTHER_CODES = {
    10211: '10211 is "transfer is forbidden", a withdrawal error. The popular guide gets this wrong.',
    602: "602 is the futures API's signature error: the question is about spot V3.",
    700003: "700003 is the timestamp window: the clock, not the signature.",
    700004: "700004 is a signature missing or in the wrong place, not a wrong one.",
    400: "400 is the HTTP status: MEXC's own code is in the JSON body, {'code': ...}.",
}


def check_exercise_1(answer: object) -> CheckResult:
    """Workshop 1: the code MEXC spot V3 answers for a bad signature."""
    return report("exercise_1", (answer,), _exercise_1_mistake, '700002 "Signature for this request is not valid."')


def _exercise_1_mistake(answer: object) -> str | None:
    mistake = wrong_type(answer, int, "MEXC's error codes are ints (no quotes)")
    if mistake or answer == 700002:
        return mistake
    if answer in _OTHER_CODES:
        return _OTHER_CODES[answer]
    if answer in CODES:
        info = CODES[answer]
        return f'{answer} is the {info.api} API\'s "{info.message}": not a bad signature.'
    return "Not a code MEXC documents: look the candidates up with explain(code)."


def check_exercise_2(answer: object) -> CheckResult:
    """Workshop 2: what to sign for a spot query sent as ``symbol=BTCUSDT&side=BUY&timestamp=...``."""
    return report("exercise_2", (answer,), _exercise_2_mistake, "Sign exactly the query you send, in the same order.")


def _exercise_2_mistake(answer: object) -> str | None:
    sent = f"symbol=BTCUSDT&side=BUY&timestamp={LAB_TIME}"
    mistake = wrong_type(answer, str, "the signed string is a str")
    if mistake or answer == sent:
        return mistake
    mistake = query_mistake(answer, sent)
    if mistake:
        return mistake
    if answer == "&".join(sorted(sent.split("&"))):
        return (
            "Spot does not need sorting: it signs the parameters in the order it receives them, "
            "so a sorted signature of an unsorted query is a 700002."
        )
    return "Another order than the one sent: spot signs the parameters in the order it receives them."


def check_exercise_3(answer: object) -> CheckResult:
    """Workshop 3: is a timestamp 1200 ms ahead accepted with recvWindow 60000?"""
    return report("exercise_3", (answer,), _exercise_3_mistake, "Refused: the window is asymmetric.")


def _exercise_3_mistake(answer: object) -> str | None:
    mistake = wrong_type(answer, bool, "answer True or False, without quotes")
    if mistake or answer is False:
        return mistake
    return (
        "recvWindow only widens the window behind server time. Ahead by 1000 ms or more is "
        "always refused (700003): fix the clock, not the window."
    )


def check_exercise_4(answer: object) -> CheckResult:
    """Workshop 4: the futures paramString for a POST whose body is the lab's compact JSON order."""
    return report("exercise_4", (answer,), _exercise_4_mistake, "The raw body, byte for byte.")


def _exercise_4_mistake(answer: object) -> str | None:
    mistake = wrong_type(answer, str, "the paramString is a str, the body's very bytes (json.dumps gives one)")
    if mistake:
        return mistake
    if answer == futures_param_string("GET", FUTURES_ORDER):
        return "Sorted k=v pairs are for GET/DELETE. A futures POST signs the raw JSON body."
    return json_mistake(answer, json.dumps(FUTURES_ORDER, separators=(",", ":")))


def check_exercise_5(answer: object) -> CheckResult:
    """Workshop 5: the canonical encoding of the network name ``BEP20 (BSC),1``."""
    return check_canonical_value(answer, "BEP20 (BSC),1", exercise="exercise_5")


def check_exercise_6(answer: object) -> CheckResult:
    """Workshop 6: the cause of the failing request shown in the notebook (the log entry).

    The family's name or the doctor's own name for the cause (notebook 05) is right, in any case.
    """
    return report(
        "exercise_6",
        (answer,),
        _exercise_6_mistake,
        "The client signed '+' for a space; the server re-encodes it as %20.",
    )


_CLOCK = "The timestamp was inside the window: a clock problem would be 700003, not 700002."
_ORDER = "The server rebuilt the parameters in the order sent: compare the values, byte by byte."
_BODY = "The request has no body: the parameters and the signature are all in the query."
_FAMILY = "Right family, wrong bug: compare newClientOrderId in the bot's query with the `server signed:` line."
_CAUSE_6 = {
    "clock": _CLOCK,
    "timestamp": _CLOCK,
    "order": _ORDER,
    "signed_order_differs": _ORDER,
    "param_added_after_signing": _ORDER,
    "body": _BODY,
    "json_body_signed": _BODY,
    "body_joined_with_ampersand": _BODY,
    "signature_in_json_body": _BODY,
    "encoding_lowercase_hex": _FAMILY,
    "encoding_unescaped": _FAMILY,
    "wrong_secret": "The bot signed with the very secret the server holds: the secret is right.",
    "signature_unexplained": "The bot signed with the very secret the server holds: the secret is right.",
}


def _exercise_6_mistake(answer: object) -> str | None:
    mistake = wrong_type(answer, str, 'name the cause with a str, like "order"')
    if mistake:
        return mistake
    cause = answer.strip().lower()
    if cause in ("encoding", "encoding_plus_for_space"):
        return None
    if cause.startswith("timestamp_"):
        return _CLOCK
    if cause in _CAUSE_6:
        return _CAUSE_6[cause]
    if cause in FIXES:
        return "Not that one: compare the `query` the bot signed with the `server signed:` line, byte by byte."
    return 'Name the cause: "order", "clock", "body" or "encoding" (or the doctor\'s name for it, from notebook 05).'
