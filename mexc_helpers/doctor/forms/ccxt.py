"""ccxt's verbose logs (Python and JavaScript), with the exchange's answer when the log shows it.

With ``verbose=True`` ccxt prints every request it sends and every answer it gets. Python
(``ccxt/base/exchange.py``, ``fetch``) prints one line each, the headers as a Python dict::

    fetch Request: mexc GET https://api.mexc.com/api/v3/account?timestamp=...&signature=... RequestHeaders: \
{'X-MEXC-APIKEY': 'mx0...', 'source': 'CCXT', 'User-Agent': 'python-requests/2.32.3'} RequestBody: None
    fetch Response: mexc GET https://api.mexc.com/api/v3/account?... 400 ResponseHeaders: {...} \
ResponseBody: {"code":700002,"msg":"Signature for this request is not valid."}

and, with Python logging at DEBUG, the logger ``ccxt.base.exchange`` writes the same without the
exchange's name: ``GET https://..., Request: {...} None`` and ``GET https://..., Response: 400 {...} {...}``.
JavaScript (``Exchange.fetch`` and ``handleRestResponse``) uses ``console.log``, so each part is on
its own line, the headers as a JS object literal (unquoted or single-quoted keys, one per line when long)::

    fetch Request:
     mexc POST https://contract.mexc.com/api/v1/private/order/submit
    RequestHeaders:
     {
      ApiKey: 'mx0...',
      'Request-Time': '1700000000000',
      Signature: '...'
    }
    RequestBody:
     {"symbol":"BTC_USDT","price":60000,"vol":1,"side":1,"type":1,"openType":1}

    handleRestResponse:
     mexc POST https://contract.mexc.com/api/v1/private/order/submit 200 OK
    ResponseHeaders:
     { ... }
    ResponseBody:
     {"success":false,"code":602,"message":"Signature verification failed!"}

Pasted logs come with other lines around them (timestamps, tracebacks, a prefix on every line from
pm2 or docker), sometimes joined into one line, with keys blanked out (``'xxxx'``, ``***``). Each
request is matched to the answer that follows it (same method and URL); the answer's MEXC code
(spot ``{"code":N}``, futures ``{"success":false,"code":N}``, sent with HTTP 200) becomes
``answer_code``, 0 for a success. Without an answer, the exception ccxt raised after it
(``AuthenticationError: mexc {"code":700002,...}``) gives the code.
"""

from __future__ import annotations

import ast
import re
from collections import deque
from dataclasses import dataclass
from urllib.parse import urlsplit

from ...protocol.endpoints import api_of_path
from ...protocol.envelope import read_answer
from ..pasted import PastedRequest, UnusableInput, pasted

_METHODS = "GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS"
# Substrings without which a text cannot be a ccxt log: checked first, so other input costs one scan.
_PYTHON_UA = "python-requests"  # ccxt's Python version sends requests' User-Agent
_CLUES = ("fetch Request:", "fetch Response:", "handleRestResponse:", ", Request: ", ", Response: ")
_MARKER = re.compile(
    r"(?P<request>fetch Request:)|(?P<response>fetch Response:|handleRestResponse:)"
    rf"|\b(?P<method>{_METHODS}) (?P<url>https?://\S+), (?P<logged>Request|Response): "
    r"|\b[A-Z][A-Za-z]+: (?P<raised>[a-z][a-z0-9_]*) (?=[{\[])"
)
# What follows a verbose marker: the exchange's id, the method, the URL and (for an answer) the HTTP status.
_HEAD = re.compile(rf"\A\s*(?P<id>[a-z][a-z0-9_]*)[ \t]+(?P<method>{_METHODS})\b[ \t]*(?P<url>\S*)")
_STATUS = re.compile(r"\s*(\d{3})\b")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_NOTHING = ("", "None", "undefined", "null")
# A truncated or mangled header object is read pair by pair: 'key': 'value', key: "value", 'key': bare.
_QUOTED = r"'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\""
_PAIR = re.compile(rf"(?<![\w$.-])({_QUOTED}|[A-Za-z_$][\w$-]*)\s*:\s*({_QUOTED}|[^,{{}}\s][^,{{}}\n]*)")
_PREFIX_LIMIT = 200  # a line prefix longer than this is not looked for (each marker looks back this far at most)
_LITERAL_LIMIT = 20_000  # header dicts longer than this are read pair by pair, not by ast.literal_eval


@dataclass
class _Entry:
    kind: str  # request, response or raised
    method: str = ""
    url: str = ""
    exchange: str | None = None
    headers: dict | None = None
    body: str = ""
    logged: bool = False  # the logging form (Python's logger.debug), not the verbose print
    code: int | None = None
    answered: bool = False


def recognize(text: str) -> list[PastedRequest] | None:
    """The requests in ``text`` if it is a ccxt log, each with the exchange's answer when shown; else None.

    Raises :class:`UnusableInput` only for what is clearly a ccxt log but cannot be used: a request
    line without a URL, answers without their requests, or requests to another exchange.
    """
    if not isinstance(text, str) or not any(clue in text for clue in _CLUES):
        return None
    text = _ANSI.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    entries = _entries(text)
    requests = [entry for entry in entries if entry.kind == "request"]
    if not requests:
        if any(entry.kind == "response" for entry in entries):
            raise UnusableInput(
                "this ccxt log shows the exchange's answers but not the requests: paste the "
                "'fetch Request:' lines too (verbose=True prints both)"
            )
        return None
    mexc = [entry for entry in requests if entry.exchange is None or entry.exchange.startswith("mexc")]
    if not mexc:
        names = ", ".join(sorted({str(entry.exchange) for entry in requests}))
        raise UnusableInput(f"this ccxt log shows requests to {names}, not to MEXC: paste a log of ccxt.mexc")
    _answer_requests(entries)
    return [
        pasted(
            entry.method,
            entry.url,
            entry.headers,
            entry.body,
            "ccxt",
            answer_code=entry.code,
            language="Python" if entry.logged or _PYTHON_UA in str(entry.headers) else None,
        )
        for entry in mexc
    ]


def _entries(text: str) -> list[_Entry]:
    """Every request, answer and raised exception in ``text``, in order (one pass over the markers)."""
    markers = list(_MARKER.finditer(text))
    entries: list[_Entry] = []
    previous: _Entry | None = None  # the last request
    for index, marker in enumerate(markers):
        end = markers[index + 1].start() if index + 1 < len(markers) else len(text)
        entry = _entry(marker, _unprefixed(text, marker.start(), text[marker.end() : end]))
        if entry is None:
            continue
        if entry.kind == "request":
            if entry.logged and previous is not None and not previous.logged and _same(previous, entry):
                continue  # verbose=True and DEBUG logging both on: the same request, printed and logged
            previous = entry
        entries.append(entry)
    return entries


def _same(one: _Entry, other: _Entry) -> bool:
    return (one.method, one.url, one.body) == (other.method, other.url, other.body)


def _unprefixed(text: str, start: int, segment: str) -> str:
    """``segment`` without the prefix its marker's line has (``0|bot  | ``, ``> ``) at the start of its lines."""
    line_start = text.rfind("\n", max(0, start - _PREFIX_LIMIT), start) + 1
    prefix = text[line_start:start].rstrip() if line_start or start < _PREFIX_LIMIT else ""
    if not prefix or "\n" not in segment:
        return segment
    lines = segment.split("\n")
    return "\n".join(lines[:1] + [line[len(prefix) :] if line.startswith(prefix) else line for line in lines[1:]])


def _entry(marker: re.Match, segment: str) -> _Entry | None:
    if marker["raised"]:
        return _Entry("raised", exchange=marker["raised"], code=read_answer(None, _value(segment, False)).code)
    if marker["logged"]:
        return _logged_entry(marker, segment)
    head = _HEAD.match(segment)
    if head is None:
        return None  # the words "fetch Request:" in prose, not a request line
    url, multiline = head["url"], "\n" in segment[: head.start("id")]
    if not url or url.startswith(("RequestHeaders:", "ResponseHeaders:")):
        raise UnusableInput(
            f"this ccxt log has a {head['method']} request line without its URL: paste the whole "
            "'fetch Request:' line (mexc GET https://api.mexc.com/api/v3/...)"
        )
    if "://" not in url and not head["id"].startswith("mexc"):
        return None  # prose again: "fetch Request: the GET failed"
    if marker["response"]:
        status = _STATUS.match(segment, head.end())
        found = segment.find("ResponseBody:")
        body = _value(segment[found + 13 :], multiline) if found >= 0 else _json_line(segment)
        return _Entry(
            "response", head["method"], url, head["id"], code=read_answer(status and int(status[1]), body).code
        )
    headers, cut = None, False
    found = segment.find("RequestHeaders:")
    if found >= 0:
        headers, cut, _ = _headers(segment, found + 15)
    found = segment.find("RequestBody:")
    body = _value(segment[found + 12 :], multiline) if found >= 0 else ""
    return _Entry("request", head["method"], url, head["id"], _completed(headers, cut, url), _body(body))


def _logged_entry(marker: re.Match, segment: str) -> _Entry:
    """Python's ``logger.debug``: ``GET url, Request: {headers} body`` or ``GET url, Response: 400 {headers} body``."""
    method, url = marker["method"], marker["url"]
    if marker["logged"] == "Response":
        status = _STATUS.match(segment)
        _, _, after = _headers(segment, status.end() if status else 0)
        return _Entry("response", method, url, logged=True, code=read_answer(status and int(status[1]), after).code)
    headers, cut, after = _headers(segment, 0)
    return _Entry("request", method, url, None, _completed(headers, cut, url), _body(after), logged=True)


def _headers(segment: str, start: int) -> tuple[dict | None, bool, str]:
    """The header object printed at ``start``: (headers or None, whether it was cut short, the rest of its line)."""
    opening = len(segment) - len(segment[start:].lstrip())
    if not segment.startswith("{", opening):
        rest = _value(segment[opening:], False)
        return None, False, rest[4:] if rest.startswith("None") else rest
    closing = _closing(segment, opening)
    if closing >= 0:
        return _header_object(segment[opening : closing + 1]), False, _value(segment[closing + 1 :], False)
    # Cut short: read what there is, the rest of the line (Python), or up to a blank line (a JS object, one key a line).
    line_end = segment.find("\n", opening)
    end = line_end if line_end < 0 or ":" in segment[opening:line_end] else segment.find("\n\n", opening)
    return _header_object(segment[opening : end if end >= 0 else len(segment)]), True, ""


def _closing(text: str, opening: int) -> int:
    """The index of the ``}`` closing the object opened at ``opening`` (quotes respected), or -1."""
    depth, quote, index = 0, "", opening
    while index < len(text):
        char = text[index]
        if quote:
            if char == "\\":
                index += 1
            elif char == quote or char == "\n":
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return index
        index += 1
    return -1


def _header_object(literal: str) -> dict[str, str]:
    """A Python dict repr by ``ast.literal_eval`` (never eval); a JS object or a mangled dict pair by pair."""
    if len(literal) <= _LITERAL_LIMIT:
        try:
            value = ast.literal_eval(literal)
            if isinstance(value, dict) and all(isinstance(key, str) for key in value):
                return {key: str(item) for key, item in value.items()}
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            pass
    return {_unquoted(key): _unquoted(value.rstrip()) for key, value in _PAIR.findall(literal)}


def _unquoted(token: str) -> str:
    if len(token) >= 2 and token[0] == token[-1] and token[0] in "'\"":
        return re.sub(r"\\(.)", r"\1", token[1:-1])
    return token


def _completed(headers: dict | None, cut: bool, url: str) -> dict | None:
    """Headers cut short count as not all shown: a blanked key header (``…``) is how :func:`pasted` is told so.

    The blank goes under the API's key header, or the other API's when that one is shown, so the key
    shown is kept and header rules (a Content-Type maybe further on) are not judged missing.
    """
    if headers is None or not cut:
        return headers
    names = {name.lower() for name in headers}
    blank = "apikey" if api_of_path(urlsplit(url).path) == "futures" or "x-mexc-apikey" in names else "x-mexc-apikey"
    return {**headers, ("x-mexc-apikey" if blank in names else blank): "…"}


def _value(text: str, multiline: bool) -> str:
    """The value printed after a label: the rest of its line; in JS's form, else the next line."""
    lines = text.lstrip(" \t").split("\n", 2)
    if lines[0].strip() or not multiline or len(lines) < 2:
        return lines[0].strip()
    return lines[1].strip()


def _json_line(segment: str) -> str:
    """ccxt 1.x's JS answer, ``Response:`` then the headers then the body: the first line that is JSON."""
    return next((line.strip() for line in segment.split("\n") if line.strip().startswith(('{"', "{}", "["))), "")


def _body(text: str) -> str:
    return "" if text.strip() in _NOTHING else text.strip()


def _answer_requests(entries: list[_Entry]) -> None:
    """Give each request the code of the answer that follows it (same method and URL), or of the exception raised."""
    waiting: dict[tuple[str, str], deque[_Entry]] = {}
    last: _Entry | None = None
    for entry in entries:
        if entry.kind == "request":
            waiting.setdefault((entry.method, entry.url), deque()).append(entry)
            last = entry
        elif entry.kind == "response":
            queue = waiting.get((entry.method, entry.url))
            if queue:
                match = queue.popleft()
                match.code, match.answered = entry.code, True
        elif (
            last is not None
            and not last.answered
            and entry.code is not None
            and last.exchange in (None, entry.exchange)
        ):
            last.code, last.answered = entry.code, True
