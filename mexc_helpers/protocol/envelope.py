"""The answer's envelope: how MEXC wraps what it answers, built and read here only.

Spot V3 answers a success with the data itself (an object, or a list such as open orders) and a
refusal with ``{"code": N, "msg": "..."}`` and HTTP 400 (observed for 700002, 700003, 700004).
Futures wraps both: ``{"success": true, "code": 0, "data": ...}`` and ``{"success": false, "code": N,
"message": "..."}`` (docs/protocol.md#error-codes). The local exchange builds its answers with
:func:`success` and :func:`refusal`; the client, the doctor, the labs and the probe read any answer
with :func:`read_answer`, so a code means the same thing to all of them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

# Where an answer was cut short (a log that truncates bodies), its code still comes first.
_CODE_AT_START = re.compile(r"\{\s*(?:\"success\"\s*:\s*(true|false)\s*,\s*)?\"code\"\s*:\s*\"?(-?\d{1,12})")
_DIGITS = re.compile(r"-?\d{1,12}")


@dataclass(frozen=True)
class Answer:
    """An exchange's answer as read from its status and body.

    ``code`` is 0 for a success, MEXC's code for a refusal, and None when the answer shows no code
    (an HTML error page, an empty body with an error status). ``data`` is what a success carries
    (spot: the whole body; futures: its ``data``), None for a refusal.
    """

    code: int | None
    message: str = ""
    data: object = None

    @property
    def accepted(self) -> bool:
        return self.code == 0


def success(api: str, data: object) -> object:
    """What the exchange answers when it accepts: spot sends ``data`` as it is, futures wraps it."""
    return {"success": True, "code": 0, "data": data} if api == "futures" else data


def refusal(api: str, code: int, message: str) -> dict:
    """What the exchange answers when it refuses: ``{"code", "msg"}`` (spot) or ``{"success": false, "code",
    "message"}`` (futures). The HTTP status goes with the code (:data:`~.codes.CODES`)."""
    if api == "futures":
        return {"success": False, "code": code, "message": message}
    return {"code": code, "msg": message}


def read_answer(status: int | None, body: str) -> Answer:
    """Read an answer of either API, whole or cut short.

    A body that is a JSON object with an integer ``code`` (or a string of digits) gives that code; 0 and,
    with a 2xx status, spot's ``200`` mean success. A 2xx answer without a code is a success (a spot order,
    an open-orders list); ``"success": false`` without a code is a refusal whose code is unknown (None).
    """
    ok_status = status is not None and 200 <= status < 300
    text = body.strip()
    try:
        decoded = json.JSONDecoder().raw_decode(text)[0] if text[:1] in ("{", "[") else None
    except (ValueError, RecursionError):
        found = _CODE_AT_START.match(text)
        decoded = {"code": found[2], **({"success": found[1] == "true"} if found[1] else {})} if found else None
    if not isinstance(decoded, dict):
        return Answer(0, "", decoded) if ok_status and decoded is not None else Answer(None)
    code = decoded.get("code")
    if isinstance(code, str) and _DIGITS.fullmatch(code):
        code = int(code)
    message = decoded.get("msg") or decoded.get("message") or ""
    message = message if isinstance(message, str) else str(message)
    if type(code) is not int:
        accepted = ok_status and decoded.get("success") is not False
        return Answer(0, message, decoded) if accepted else Answer(None, message)
    if code == 0 or (code == 200 and ok_status):
        return Answer(0, message, decoded.get("data") if "success" in decoded else decoded)
    return Answer(code, message)
