"""A browser's "Save all as HAR", ``{"log": {"entries": [{"request": ..., "response": ...}]}}``, and the other
JSON forms (a request config).

Every HAR entry to a MEXC API path (``/api/v3/`` or ``/api/v1/``, any host) is read, in order, with the
``code`` of its response as ``answer_code`` (0 for an HTTP 200 answer without one); other entries and
CORS preflights (OPTIONS) are skipped. At most 5 MB and 1,000 entries are read.
"""

from __future__ import annotations

import base64
import binascii
import re
from urllib.parse import urlsplit

from ...protocol.request import parse_json
from ..pasted import PastedRequest, UnusableInput, pasted
from .common import MAX_REQUESTS, code_of, read_or_refuse
from .config import CONFIG_KEY, is_config, read_config, read_config_object

MAX_HAR_CHARS = 5_000_000
_MEXC_PATHS = ("/api/v3/", "/api/v1/")

_HAR_START = re.compile(r'\{\s*"log"\s*:')


def read_json(text: str) -> list[PastedRequest] | None:
    if _HAR_START.match(text):
        return read_or_refuse(_read_har, text, "HAR file")
    if len(text) > MAX_HAR_CHARS or not CONFIG_KEY.search(text):
        return None
    config = read_config_object(text)
    if config is None or not is_config(config):
        return None
    return read_or_refuse(read_config, config, "request config")


def _read_har(text: str) -> list[PastedRequest]:
    if len(text) > MAX_HAR_CHARS:
        raise UnusableInput(
            f"this HAR file is {len(text) / 1e6:.1f} MB, over the {MAX_HAR_CHARS / 1e6:.0f} MB read: filter the "
            "network log to 'mexc' before saving, or copy the one request as cURL"
        )
    try:
        har = parse_json(text)
    except ValueError as error:
        raise UnusableInput(f"this HAR file does not parse as JSON ({error}): save it again, whole") from None
    entries = har.get("log", {}).get("entries") if isinstance(har, dict) and isinstance(har.get("log"), dict) else None
    if not isinstance(entries, list):
        raise UnusableInput("this HAR file has no log.entries: save it again with 'Save all as HAR'")
    if len(entries) > MAX_REQUESTS:
        raise UnusableInput(
            f"this HAR file holds {len(entries)} requests, over the {MAX_REQUESTS} read: filter the network log "
            "to 'mexc' before saving"
        )
    found = [entry for entry in map(_har_entry, entries) if entry is not None]
    if not found:
        raise UnusableInput(
            f"none of this HAR file's {len(entries)} requests goes to a MEXC API path (/api/v3/ or /api/v1/): "
            "record the failing request, then save the HAR again"
        )
    return found


def _har_entry(entry) -> PastedRequest | None:
    request = entry.get("request") if isinstance(entry, dict) else None
    url = request.get("url") if isinstance(request, dict) else None
    if not isinstance(url, str) or not urlsplit(url).path.startswith(_MEXC_PATHS):
        return None
    if str(request.get("method")).upper() == "OPTIONS":  # a CORS preflight: never the signed request
        return None
    if "?" not in url and request.get("queryString"):  # a writer that keeps the query apart
        url += "?" + "&".join(f"{pair['name']}={pair['value']}" for pair in request["queryString"])
    headers = {}
    for header in request.get("headers") or []:
        if not str(header["name"]).startswith(":"):  # HTTP/2 pseudo-headers are not headers sent
            headers[str(header["name"])] = str(header["value"])
    body = (request.get("postData") or {}).get("text") or ""
    method = str(request.get("method") or "GET")
    return pasted(method, url, headers, body, "har", answer_code=_answer_code(entry.get("response")))


def _answer_code(response) -> int | None:
    """The MEXC code in a HAR response: its JSON's ``code``, 0 for an HTTP 200 JSON answer without one."""
    content = response.get("content") if isinstance(response, dict) else None
    text = content.get("text") if isinstance(content, dict) else None
    if not isinstance(text, str) or not text:
        return None
    if content.get("encoding") == "base64":
        try:
            text = base64.b64decode(text).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
    return code_of(text, response.get("status"))
