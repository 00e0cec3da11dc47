"""Raw HTTP, as a proxy (mitmproxy, Fiddler, Burp) or devtools shows it::

    POST /api/v3/order?symbol=BTCUSDT&...&signature=... HTTP/1.1
    Host: api.mexc.com
    X-MEXC-APIKEY: mx0...

The host comes from ``Host`` (https assumed) unless the request line holds a whole URL (Fiddler's
``POST https://api.mexc.com/... HTTP/1.1``); devtools' HTTP/2 pseudo-headers (``:method``, ``:path``,
``:authority``, ``:scheme``) stand for the request line. The body follows the first blank line, cut
to ``Content-Length`` when there is one; an answer after it gives ``answer_code``.
"""

from __future__ import annotations

import re

from ...protocol.endpoints import base_url_for
from ..pasted import PastedRequest, UnusableInput, pasted
from .common import code_of

_REQUEST_LINE = re.compile(
    r"(?i)(GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS)[ \t]+(\S+)[ \t]+HTTP/\d(?:\.\d)?[ \t]*(?:\r?\n|$)"
)
_PSEUDO_LINE = re.compile(r":(?:authority|method|path|scheme)[ \t]*:")
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_RESPONSE_LINE = re.compile(r"(?m)^HTTP/\d(?:\.\d)?[ \t]+(\d{3})\b")


def read_http(text: str) -> PastedRequest:
    answer = None
    if response := _RESPONSE_LINE.search(text):  # a proxy's dump may show the answer after the request
        text, answer = text[: response.start()], _response_code(text[response.start() :])
    blank = re.search(r"\r?\n[ \t]*\r?\n", text)
    head, body = (text[: blank.start()], text[blank.end() :]) if blank else (text, "")
    lines = re.split(r"\r?\n", head)
    method = target = None
    if match := _REQUEST_LINE.match(lines[0]):
        method, target = match.group(1).upper(), match.group(2)
        lines = lines[1:]
    headers, pseudo, last, names = {}, {}, None, {}
    for number, line in enumerate(lines, 2 if method else 1):
        if not line.strip():
            continue
        if line[:1] in (" ", "\t") and last is not None:  # a folded header line continues the one before
            headers[last] = f"{headers[last]} {line.strip()}"
            continue
        if line.startswith(":"):
            name, _, value = line[1:].partition(":")
            pseudo[name.strip().lower()] = value.strip()
            continue
        name, colon, value = line.partition(":")
        if not colon or not _TOKEN.fullmatch(name.strip()):
            raise UnusableInput(f"line {number} of the HTTP request is not a header ('Name: value'): {line[:40]!r}")
        last = names.setdefault(name.strip().lower(), name.strip())  # a repeated header joins the first
        headers[last] = f"{headers[last]}, {value.strip()}" if last in headers else value.strip()
    method, target = method or pseudo.get("method", "").upper(), target or pseudo.get("path")
    if not method or not target:
        raise UnusableInput("the HTTP/2 headers have no :method or :path: copy all the request headers")
    if not re.match(r"(?i)https?://", target):
        if not target.startswith("/"):
            raise UnusableInput(f"the request target {target[:40]!r} is neither a path nor a URL")
        host = next((value for name, value in headers.items() if name.lower() == "host"), pseudo.get("authority"))
        base = f"{pseudo.get('scheme') or 'https'}://{host}" if host else base_url_for(target)
        target = base + target
    return pasted(method, target, headers, _cut_body(body, headers), "http", answer_code=answer)


def _cut_body(body: str, headers: dict[str, str]) -> str:
    """The body as sent: ``Content-Length`` bytes when given, else the text without the paste's trailing newlines."""
    length = next((value for name, value in headers.items() if name.lower() == "content-length"), "")
    if length.isdigit():
        return body.encode("utf-8")[: int(length)].decode("utf-8", "ignore")
    return body.rstrip("\r\n")


def _response_code(response: str) -> int | None:
    """The MEXC code of a raw HTTP answer (``HTTP/1.1 400 ...``, headers, a blank line, JSON)."""
    status = int(_RESPONSE_LINE.match(response).group(1))
    blank = re.search(r"\r?\n[ \t]*\r?\n", response)
    return code_of(response[blank.end() :] if blank else "", status)
