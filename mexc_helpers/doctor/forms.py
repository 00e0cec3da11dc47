"""Request forms from browsers, HTTP tools and configs: raw HTTP, HAR, fetch, PowerShell, httpie, request configs.

What each form looks like, and what is read from it:

- **raw HTTP** ("http"), as a proxy (mitmproxy, Fiddler, Burp) or devtools shows it::

      POST /api/v3/order?symbol=BTCUSDT&...&signature=... HTTP/1.1
      Host: api.mexc.com
      X-MEXC-APIKEY: mx0...

  The host comes from ``Host`` (https assumed) unless the request line holds a whole URL
  (Fiddler's ``POST https://api.mexc.com/... HTTP/1.1``); devtools' HTTP/2 pseudo-headers
  (``:method``, ``:path``, ``:authority``, ``:scheme``) stand for the request line. The body follows
  the first blank line, cut to ``Content-Length`` when there is one.
- **HAR** ("har"): a browser's "Save all as HAR", ``{"log": {"entries": [{"request": ..., "response": ...}]}}``.
  Every entry to a MEXC API path (``/api/v3/`` or ``/api/v1/``, any host) is read, in order, with the
  ``code`` of its response as ``answer_code`` (0 for an HTTP 200 answer without one); other entries and
  CORS preflights (OPTIONS) are skipped. At most 5 MB and 1,000 entries are read.
- **fetch** ("fetch"): Chrome's "Copy as fetch" (and "as fetch (Node.js)"): ``fetch("https://...", {...});``,
  the options being JSON (``JSON.stringify``), ``"body"`` null or the body sent.
- **PowerShell**, **httpie** and **request configs** ("powershell", "httpie", "config"): see :mod:`.snippets`.

Two helpers serve :mod:`.read`: :func:`repair_entities` mends a URL that an HTML page damaged
(``&timestamp=`` shown as ``×tamp=``), and :func:`error_code_only` reads the MEXC code from an
error message pasted without its request.
"""

from __future__ import annotations

import base64
import binascii
import html.entities
import json
import re
from urllib.parse import urlsplit

from ..protocol.errors import CODES
from ..protocol.request import parse_json
from .pasted import PastedRequest, UnusableInput, answer_code, pasted
from .snippets import (
    CONFIG_KEY,
    HTTPIE,
    MAX_REQUESTS,
    POWERSHELL,
    default_base,
    is_config,
    read_config,
    read_config_object,
    read_httpie,
    read_powershell,
)

MAX_HAR_CHARS = 5_000_000
_MEXC_PATHS = ("/api/v3/", "/api/v1/")


def recognize(text: str) -> list[PastedRequest] | None:
    """The requests in ``text`` if it is in this module's form, else None (another form may read it)."""
    stripped = text.strip()
    if stripped.startswith("{"):
        return _json_form(stripped)
    if _REQUEST_LINE.match(stripped) or _PSEUDO_LINE.match(stripped):
        return [_read_or_refuse(_raw_http, stripped, "raw HTTP request")]
    if _FETCH_START.match(stripped):
        return _read_or_refuse(_read_fetch, stripped, "fetch call")
    if POWERSHELL.match(stripped):
        return _read_or_refuse(read_powershell, stripped, "PowerShell command")
    if HTTPIE.match(stripped):
        return _read_or_refuse(read_httpie, stripped, "httpie command")
    return None


def _read_or_refuse(reader, text: str, what: str):
    """``reader(text)``, with a structure it did not expect (a number where a string goes) refused in one line."""
    try:
        return reader(text)
    except UnusableInput:
        raise
    except RecursionError:
        raise UnusableInput(f"this {what} is nested too deep to read: paste it as the tool wrote it") from None
    except (TypeError, ValueError, AttributeError, KeyError, IndexError) as error:
        raise UnusableInput(f"this {what} is not in the shape the tool writes ({error}): paste it unedited") from None


# --- raw HTTP -------------------------------------------------------------------------------

_REQUEST_LINE = re.compile(
    r"(?i)(GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS)[ \t]+(\S+)[ \t]+HTTP/\d(?:\.\d)?[ \t]*(?:\r?\n|$)"
)
_PSEUDO_LINE = re.compile(r":(?:authority|method|path|scheme)[ \t]*:")
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_RESPONSE_LINE = re.compile(r"(?m)^HTTP/\d(?:\.\d)?[ \t]+(\d{3})\b")


def _raw_http(text: str) -> PastedRequest:
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
        base = f"{pseudo.get('scheme') or 'https'}://{host}" if host else default_base(target)
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
    return _code_of(response[blank.end() :] if blank else "", status)


# --- fetch ----------------------------------------------------------------------------------

_FETCH_START = re.compile(r"(?:(?:const|let|var)\s+\w+\s*=\s*)?(?:await\s+)?fetch\(")
_FETCH = re.compile(r"\bfetch\(\s*")
_DECODER = json.JSONDecoder()
_COMMA = re.compile(r"\s*,\s*")


def _read_fetch(text: str) -> list[PastedRequest]:
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
        found.append(pasted(str(options.get("method") or "GET"), url, headers, body or "", "fetch"))
        if len(found) > MAX_REQUESTS:
            raise UnusableInput(f"more than {MAX_REQUESTS} fetch calls: paste the MEXC requests only")
    return found


# --- JSON: HAR files and request configs ----------------------------------------------------

_HAR_START = re.compile(r'\{\s*"log"\s*:')


def _json_form(text: str) -> list[PastedRequest] | None:
    if _HAR_START.match(text):
        return _read_or_refuse(_read_har, text, "HAR file")
    if len(text) > MAX_HAR_CHARS or not CONFIG_KEY.search(text):
        return None
    config = read_config_object(text)
    if config is None or not is_config(config):
        return None
    return _read_or_refuse(read_config, config, "request config")


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
    return _code_of(text, response.get("status"))


def _code_of(text: str, status) -> int | None:
    """The MEXC code of an answer's text, read as every reader reads it (:func:`.pasted.answer_code`)."""
    return answer_code(status if isinstance(status, int) else None, text.strip())


# --- URLs damaged by HTML -------------------------------------------------------------------

# The named character references a browser expands without a ';' (HTML's legacy set): "&times" in
# "&timestamp=" becomes "×tamp=". One name per character, the lowercase one ("copy", not "COPY").
_LEGACY = {}
for _name, _char in sorted(html.entities.html5.items(), key=lambda item: item[0].islower()):
    if not _name.endswith(";") and _char != "&":
        _LEGACY[_char] = _name
_NAME_REST = re.compile(r"[A-Za-z0-9_.\[\]-]*=")
_DAMAGE = re.compile(f"(&amp;|[{re.escape(''.join(_LEGACY))}])(?={_NAME_REST.pattern})")
_TOKEN_RUN = re.compile(r"[^ \t\r\n]+")


def _shown(char: str) -> str:
    return char if char.isprintable() and not char.isspace() else f"\\u{ord(char):04x}"


def repair_entities(text: str) -> tuple[str, tuple[str, ...]]:
    """``text`` with the parameter boundaries an HTML page damaged put back, and one note per repair.

    Two damages: a page's text rendered ``&times`` of ``&timestamp=`` as ``×`` (and ``&para``,
    ``&reg``, ``&copy``, ``&not``, ``&curren``, ``&quot``... likewise), or its source wrote ``&`` as
    ``&amp;``. A character is repaired only after a parameter's ``=`` and when what follows it is
    the rest of a parameter name and ``=``: a ``×`` inside a value stays.
    """
    if not _DAMAGE.search(text):
        return text, ()
    notes: list[str] = []

    def fix(match: re.Match) -> str:
        damaged, rest = match.group(1), _NAME_REST.match(match.string, match.end()).group(0)
        if damaged == "&amp;":
            notes.append(
                f"'&amp;{rest}' read as '&{rest}': the URL was copied from a page's HTML source, "
                "where '&' is written '&amp;'"
            )
            return "&"
        name = _LEGACY[damaged]
        notes.append(
            f"'{_shown(damaged)}{rest}' read as '&{name}{rest}': an HTML page rendered '&{name}' as '{_shown(damaged)}'"
        )
        return f"&{name}"

    def fix_token(match: re.Match) -> str:
        token = match.group(0)
        first = token.find("=")
        return token if first < 0 else token[: first + 1] + _DAMAGE.sub(fix, token[first + 1 :])

    return _TOKEN_RUN.sub(fix_token, text), tuple(notes)


# --- an error message without its request ---------------------------------------------------

_CODE = re.compile(r"""(?i)["']?\bcode\b["']?\s*[:=]\s*["']?(-?\d{1,7})\b""")
_ERROR_NUMBER = re.compile(r"(?i)\berror\W{0,3}(-?\d{3,7})\b")
_LOOKS_LIKE_ERROR = re.compile(r"(?i)error|exception|\bmsg\b|message|fail|invalid|denied|refused|mexc")
_CARRIES_REQUEST = re.compile(
    r"(?i)\bcurl\s|https?://[^\s\"'<>?]{1,2000}\?[^\s\"'<>=]{0,2000}=|\bsignature=[0-9a-f]{16}"
    r"|\bRequest-?Headers\b|\bRequest-Time\b"
)
_MESSAGES = sorted(  # MEXC's own messages, longest first (the local exchange's HTTP ones are not MEXC's)
    ((info.message, code) for code, info in CODES.items() if len(info.message) >= 15 and info.api != "local"),
    key=lambda pair: -len(pair[0]),
)
_STATUS_BEFORE = re.compile(r"(?i)(?:status|http)[ _-]?$")


def error_code_only(text: str) -> int | None:
    """The MEXC code of an error message pasted without its request, else None.

    Reads ccxt's ``mexc {"code":700002,"msg":...}`` (often after ``ccxt.base.errors.AuthenticationError: ``),
    pymexc's ``MexcAPIError: (code=700003): ...``, the futures envelope as a dict repr
    (``{'success': False, 'code': 602, ...}``), ``MEXC error 700002``, or MEXC's message alone. None
    when the text carries a request (a URL with a query, a curl command, one of this module's forms)
    or no error code.
    """
    if not isinstance(text, str) or not text.strip() or _CARRIES_REQUEST.search(text):
        return None
    try:
        if recognize(text) is not None:
            return None
    except UnusableInput:
        return None
    looks_like_error = bool(_LOOKS_LIKE_ERROR.search(text))
    for match in _CODE.finditer(text):
        code = int(match.group(1))
        if _STATUS_BEFORE.search(text, max(0, match.start() - 8), match.start()):  # "status code: 400" is HTTP's
            continue
        if code not in (0, 200) and (code in CODES or looks_like_error):
            return code
    for match in _ERROR_NUMBER.finditer(text):
        if int(match.group(1)) in CODES:
            return int(match.group(1))
    return next((code for message, code in _MESSAGES if message in text), None)
