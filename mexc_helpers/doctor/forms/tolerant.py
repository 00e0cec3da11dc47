"""The tolerant reader: a request found anywhere in a text, whatever printed it."""

from __future__ import annotations

from ..pasted import PastedRequest


def read_anywhere(text: str) -> list[PastedRequest] | None:
    """The requests found in ``text`` (a method word and an http(s) URL, headers, a body), or None."""
    return None
