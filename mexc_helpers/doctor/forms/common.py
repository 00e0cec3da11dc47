"""What the form readers share: the most requests one paste may hold, and an answer's code."""

from __future__ import annotations

from ...protocol.envelope import read_answer
from ..pasted import UnusableInput

MAX_REQUESTS = 1000  # the most requests one paste may hold (a HAR file, "Copy all as fetch/PowerShell")


def code_of(text: str, status) -> int | None:
    """The MEXC code of an answer's text (None when it shows none), read as every reader reads it
    (:func:`~mexc_helpers.protocol.envelope.read_answer`)."""
    return read_answer(status if isinstance(status, int) else None, text).code


def read_or_refuse(reader, text: str, what: str):
    """``reader(text)``, with a structure it did not expect (a number where a string goes) refused in one line."""
    try:
        return reader(text)
    except UnusableInput:
        raise
    except RecursionError:
        raise UnusableInput(f"this {what} is nested too deep to read: paste it as the tool wrote it") from None
    except (TypeError, ValueError, AttributeError, KeyError, IndexError) as error:
        raise UnusableInput(f"this {what} is not in the shape the tool writes ({error}): paste it unedited") from None
