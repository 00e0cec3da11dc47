"""MEXC's error codes: what each one says, what it really means, its usual reasons, the fix.

Spot V3 errors arrive as ``{"code": N, "msg": "..."}`` with HTTP 400 (observed for 700002, 700003,
700004); futures errors as ``{"success": false, "code": N, "message": "..."}``, which the kit serves
with HTTP 200, as client libraries expect (they read ``success``, not the status; the status MEXC
uses there is not documented). Sources: docs/protocol.md#error-codes.

A popular guide calls 10211 "Signature mismatch". It is not: 10211 is "transfer is forbidden", a
withdrawal error. A bad spot signature is 700002; a bad futures signature is 602.
"""

from __future__ import annotations

from .codes import CODES, KINDS, ErrorInfo

__all__ = [
    "CODES",
    "KINDS",
    "ErrorInfo",
    "MexcAPIError",
    "UnknownErrorCode",
    "codes_of_kind",
    "explain",
    "signature_passed",
]


def codes_of_kind(*kinds: str) -> frozenset[int]:
    """Every code in the table of one of ``kinds`` (see :data:`KINDS`): the one source of every list of codes."""
    unknown = set(kinds) - set(KINDS)
    if unknown:
        raise ValueError(f"unknown error kind {sorted(unknown)}: expected some of {', '.join(KINDS)}")
    return frozenset(code for code, info in CODES.items() if info.kind in kinds)


def signature_passed(code: int, cause: str | None = None) -> bool:
    """True when the key, the signature and the time were accepted (the order itself may still be refused).

    Where the exchange's own verdict is known (``cause``, from the local exchange's log) it decides:
    ``ok``, or ``business`` for an order refused after those checks. From an answer alone (live MEXC) the
    code is all there is: 0, or a business refusal (an order too small; 10211 is not a signature error),
    codes the kit does not know counting as business ones, since MEXC checks the signature first. A code
    alone cannot tell every refusal apart: 33333 is a business code, and also the kit's answer to a
    parameter sent twice (docs/protocol.md#duplicate-parameters); the probe compares such codes as such.
    """
    if cause is not None:
        return cause in ("ok", "business")
    info = CODES.get(code)
    return code == 0 or info is None or info.kind == "business"


class UnknownErrorCode(ValueError):
    """The code is not in the kit's table."""


def explain(code: int | str) -> ErrorInfo:
    """Look up a MEXC error code; ``str()`` of the result is a full explanation with the fix.

    >>> explain(700002).message
    'Signature for this request is not valid.'
    """
    try:
        return CODES[int(code)]
    except (KeyError, ValueError, TypeError):
        raise UnknownErrorCode(
            f"{code!r} is not an error code the kit knows: expected one of {', '.join(map(str, sorted(CODES)))}"
        ) from None


class MexcAPIError(Exception):
    """An error answer from MEXC (or the local exchange), carrying the kit's explanation."""

    def __init__(self, code: int, msg: str, http_status: int | None = None):
        super().__init__(code, msg, http_status)
        self.code = code
        self.msg = msg
        self.http_status = http_status

    @property
    def info(self) -> ErrorInfo | None:
        return CODES.get(self.code)

    def __str__(self) -> str:
        status = f" (HTTP {self.http_status})" if self.http_status else ""
        head = f"MEXC error {self.code}{status}: {str(self.msg).rstrip('.')}"
        info = self.info
        if info is None:
            return f"{head}. The kit has no explanation for this code."
        return f"{head}. {info.meaning} Fix: {info.fix}"
