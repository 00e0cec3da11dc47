"""The forms a request comes in, one reader per form (or family), and the order they are tried in.

Forms that may hold several requests are recognized first, each by its own shape, so one never reads
another's text: a ccxt verbose log (:mod:`.ccxt`), JSON (a HAR file, a request config: :mod:`.har`),
raw HTTP (:mod:`.http`), "Copy as fetch" (:mod:`.fetch`), PowerShell (:mod:`.powershell`) and httpie
(:mod:`.httpie`). A curl command (:mod:`.curl`) and a URL, query string or dict (:mod:`.url`) are read by
:mod:`..read`. Last, the tolerant reader (:mod:`.tolerant`) finds a request anywhere in a text: a log line,
a library's debug output or error dump, behind timestamps and service prefixes.
"""

from __future__ import annotations

from ..pasted import PastedRequest
from . import ccxt, dumps
from .common import read_or_refuse
from .fetch import _FETCH_START, read_fetch
from .har import read_json
from .http import _PSEUDO_LINE, _REQUEST_LINE, read_http
from .httpie import HTTPIE, read_httpie
from .powershell import POWERSHELL, read_powershell


def recognize(text: str) -> list[PastedRequest] | None:
    """The requests in ``text`` if a multi-request form reads it, else None (a single-request form may)."""
    found = ccxt.recognize(text)
    if found is not None:
        return found
    found = dumps.recognize(text)  # a library's debug output (:mod:`.dumps`), before the generic raw HTTP
    if found is not None:
        return found
    stripped = text.strip()
    if stripped.startswith("{"):
        return read_json(stripped)
    if _REQUEST_LINE.match(stripped) or _PSEUDO_LINE.match(stripped):
        return [read_or_refuse(read_http, stripped, "raw HTTP request")]
    if _FETCH_START.match(stripped):
        return read_or_refuse(read_fetch, stripped, "fetch call")
    if POWERSHELL.match(stripped):
        return read_or_refuse(read_powershell, stripped, "PowerShell command")
    if HTTPIE.match(stripped):
        return read_or_refuse(read_httpie, stripped, "httpie command")
    return None
