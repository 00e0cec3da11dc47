"""What the form readers share: the most requests one paste may hold, and the default host of a path."""

from __future__ import annotations

from ...protocol.urls import FUTURES_BASE_URL, SPOT_BASE_URL
from ..pasted import UnusableInput, answer_code

MAX_REQUESTS = 1000  # the most requests one paste may hold (a HAR file, "Copy all as fetch/PowerShell")


def default_base(path: str) -> str:
    """MEXC's host for a path given without one: futures for /api/v1/, else spot."""
    return FUTURES_BASE_URL if path.startswith("/api/v1/") else SPOT_BASE_URL


def code_of(text: str, status) -> int | None:
    """The MEXC code of an answer's text, read as every reader reads it (:func:`.pasted.answer_code`)."""
    return answer_code(status if isinstance(status, int) else None, text.strip())


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
