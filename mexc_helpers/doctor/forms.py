"""Request forms from browsers, HTTP tools and configs: raw HTTP, HAR, fetch, PowerShell, httpie, request configs."""

from __future__ import annotations

from .pasted import PastedRequest


def recognize(text: str) -> list[PastedRequest] | None:
    """The requests in ``text`` if it is in this module's form, else None (another form may read it)."""
    return None
