"""Chrome's "Copy as fetch" (and "as fetch (Node.js)"): ``fetch("https://...", {...});``, the options being
JSON (``JSON.stringify``), ``"body"`` null or the body sent."""

from __future__ import annotations

import json
import re

from ..pasted import PastedRequest, UnusableInput, pasted
from .common import MAX_REQUESTS

_FETCH_START = re.compile(r"(?:(?:const|let|var)\s+\w+\s*=\s*)?(?:await\s+)?fetch\(")
_FETCH = re.compile(r"\bfetch\(\s*")
_DECODER = json.JSONDecoder()
_COMMA = re.compile(r"\s*,\s*")


def read_fetch(text: str) -> list[PastedRequest]:
    found, position = [], 0
    while match := _FETCH.search(text, position):
        try:
            url, position = _DECODER.raw_decode(text, match.end())
            options = {}
            after = _COMMA.match(text, position)
            if after and text[after.end() : after.end() + 1] != ")":
                options, position = _DECODER.raw_decode(text, after.end())
        except ValueError:
            raise UnusableInput(
                "this fetch call is not as Chrome's 'Copy as fetch' writes it (a double-quoted URL, then JSON "
                "options): paste it unedited"
            ) from None
        if not isinstance(url, str) or not isinstance(options, dict):
            raise UnusableInput('expected fetch("https://...", {...}): a URL string, then an object of options')
        headers, body = options.get("headers") or {}, options.get("body")
        if not isinstance(headers, dict) or not (body is None or isinstance(body, str)):
            raise UnusableInput("the fetch options' headers must be an object and its body a string or null")
        found.append(
            pasted(str(options.get("method") or "GET"), url, headers, body or "", "fetch", language="JavaScript")
        )
        if len(found) > MAX_REQUESTS:
            raise UnusableInput(f"more than {MAX_REQUESTS} fetch calls: paste the MEXC requests only")
    return found
