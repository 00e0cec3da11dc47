"""Requests written as commands or code: Chrome's "Copy as PowerShell", an httpie command, a request config.

Each reader rebuilds the bytes the tool or library sends, because the doctor must see what reached MEXC:

- **PowerShell** (``Invoke-WebRequest -Uri "..." -Method "POST" -Headers @{...} -Body "..."``), as
  Chrome's devtools write it: double-quoted strings with backtick escapes (`` `" ``, `` `$ ``,
  ``` `` ```), non-ASCII as ``$([char]233)``, ``-ContentType`` as its own parameter, and HTTP/2
  pseudo-headers turned into ``"authority"``, ``"method"``, ``"path"``, ``"scheme"`` (dropped here).
- **httpie** (``http POST https://api.mexc.com/api/v3/order symbol==BTCUSDT X-MEXC-APIKEY:mx0...``):
  ``name==value`` goes to the query, ``Name:value`` is a header, ``name=value`` / ``name:=json`` are
  body fields, sent as JSON (``json.dumps``, default separators) or, with ``--form``, urlencoded; httpie
  adds the Content-Type for them (``application/json``, or the form type), as it does for ``--json``.
  httpie hands ``==`` items to requests, which encodes them with ``urlencode`` (``quote_plus``: a
  space becomes ``+``) and groups repeated names. Its own User-Agent and Accept headers are left out.
- **A request config** (``{"method": "POST", "url": ..., "headers": ..., "params"/"data"/"json"/"body": ...}``),
  JSON or a Python literal (read with :func:`ast.literal_eval`, never ``eval``). Assumed encoding:
  requests' (``params`` by ``urlencode``, ``data`` dicts form-encoded, ``json`` by ``json.dumps``),
  unless the config has axios' keys (``baseURL``, ``transformRequest``, ...): then axios' (params by
  ``encodeURIComponent`` with ``: $ , [ ]`` kept and space as ``+``, object data as compact JSON).
"""

from __future__ import annotations

import ast
import json
import re
import shlex
from urllib.parse import quote, urlencode

from ..protocol.request import parse_json
from ..protocol.urls import FUTURES_BASE_URL, SPOT_BASE_URL
from .pasted import PastedRequest, UnusableInput, pasted

MAX_REQUESTS = 1000  # the most requests one paste may hold (a HAR file, "Copy all as fetch/PowerShell")


def default_base(path: str) -> str:
    """MEXC's host for a path given without one: futures for /api/v1/, else spot."""
    return FUTURES_BASE_URL if path.startswith("/api/v1/") else SPOT_BASE_URL


# --- PowerShell -----------------------------------------------------------------------------

POWERSHELL = re.compile(r"(?i)\$session\b|invoke-(?:webrequest|restmethod)\b|i[wr][rm]\s+(?:-uri\s+)?[\"']?https?://")
_COMMANDS = ("invoke-webrequest", "invoke-restmethod", "iwr", "irm")
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "0": "\0", "a": "\a", "b": "\b", "f": "\f", "v": "\v", "e": "\x1b"}
_CHAR = re.compile(r"\$\(\[char\]\s*(\d{1,7})\)", re.I)
_PSEUDO_NAMES = ("authority", "method", "path", "scheme")  # Chrome strips the ':' of HTTP/2 pseudo-headers
_BARE_END = " \t\r\n;(){}=\"'"


def _ps_string(text: str, start: int) -> tuple[str, int]:
    """The double- or single-quoted PowerShell string at ``start``, unescaped, and the index after it."""
    quote_char, out, index = text[start], [], start + 1
    while index < len(text):
        char = text[index]
        if char == quote_char:
            if text.startswith(quote_char * 2, index):  # "" or '' inside the string is one quote
                out.append(quote_char)
                index += 2
                continue
            return "".join(out), index + 1
        if quote_char == '"' and char == "`" and index + 1 < len(text):
            out.append(_ESCAPES.get(text[index + 1], text[index + 1]))
            index += 2
            continue
        if quote_char == '"' and (match := _CHAR.match(text, index)):
            out.append(chr(min(int(match.group(1)), 0x10FFFF)))
            index = match.end()
            continue
        out.append(char)
        index += 1
    raise UnusableInput("the PowerShell command has a string that never ends: paste the command whole")


_MAX_NESTING = 32


def _ps_tokens(text: str, index: int = 0, closing: str = "", depth: int = 0) -> tuple[list, int]:
    """PowerShell tokens from ``index``: strings, bare words, ";" (a statement ends), ("@", dict), ("(", tokens)."""
    if depth > _MAX_NESTING:
        raise UnusableInput(f"the PowerShell command nests more than {_MAX_NESTING} deep: paste it as Chrome wrote it")
    tokens: list = []
    while index < len(text):
        char = text[index]
        if char == "`" and (ending := re.match(r"\r?\n", text[index + 1 : index + 3])):  # a line continuation
            index += 1 + ending.end()
        elif char in " \t\r":
            index += 1
        elif char in "\n;":
            tokens.append(";")
            index += 1
        elif char in "\"'":
            value, index = _ps_string(text, index)
            tokens.append(("str", value))
        elif text.startswith("@{", index):
            inner, index = _ps_tokens(text, index + 2, "}", depth + 1)
            tokens.append(("@", _ps_hashtable(inner)))
        elif char == "(":
            inner, index = _ps_tokens(text, index + 1, ")", depth + 1)
            tokens.append(("(", inner))
        elif char in ")}":
            if char == closing:
                return tokens, index + 1
            raise UnusableInput(f"the PowerShell command has an unmatched {char!r}: paste the command whole")
        elif char == "=":
            tokens.append("=")
            index += 1
        else:
            end = index + 1
            while end < len(text) and text[end] not in _BARE_END:
                end += 1
            tokens.append(("word", text[index:end]))
            index = end
    if closing:
        raise UnusableInput(f"the PowerShell command never closes a {'{' if closing == '}' else '('}: paste it whole")
    return tokens, index


def _ps_value(token) -> str | None:
    """A token's text: a string or word as is; in parentheses, the first string (-Body ([...]::GetBytes("...")))."""
    if isinstance(token, tuple):
        if token[0] in ("str", "word"):
            return token[1]
        if token[0] == "(":
            return next(filter(None, map(_ps_string_in, token[1])), None)
    return None


def _ps_string_in(token) -> str | None:
    if isinstance(token, tuple) and token[0] == "str":
        return token[1]
    return _ps_value(token) if isinstance(token, tuple) and token[0] == "(" else None


def _ps_hashtable(tokens: list) -> dict[str, str]:
    entries, index = {}, 0
    while index < len(tokens):
        if index + 2 < len(tokens) and tokens[index + 1] == "=":
            name, value = _ps_value(tokens[index]), _ps_value(tokens[index + 2])
            if name is not None and value is not None:
                entries[name] = value
            index += 3
        else:
            index += 1
    return entries


def _ps_request(arguments: list) -> PastedRequest:
    options, positional, index = {}, [], 0
    while index < len(arguments):
        token = arguments[index]
        word = token[1] if isinstance(token, tuple) and token[0] == "word" else None
        if word and word.startswith("-") and len(word) > 1:
            following = arguments[index + 1] if index + 1 < len(arguments) else None
            takes_value = following is not None and not (
                isinstance(following, tuple) and following[0] == "word" and following[1].startswith("-")
            )
            options[word[1:].lower()] = following if takes_value else None
            index += 2 if takes_value else 1
        else:
            positional.append(token)
            index += 1
    for name in ("uri", "headers", "body", "method", "contenttype"):
        value = _ps_value(options.get(name))
        if value is not None and value.startswith("$"):
            raise UnusableInput(
                f"the PowerShell command passes -{name} as a variable ({value[:20]}): paste it with the values "
                "written out, as 'Copy as PowerShell' does"
            )
    uri = _ps_value(options.get("uri")) or next(filter(None, map(_ps_value, positional)), None)
    if not uri:
        raise UnusableInput('the PowerShell command has no -Uri: expected Invoke-WebRequest -Uri "https://..."')
    headers = options.get("headers")
    headers = dict(headers[1]) if isinstance(headers, tuple) and headers[0] == "@" else {}
    headers = {name: value for name, value in headers.items() if name.lower() not in _PSEUDO_NAMES}
    if (content_type := _ps_value(options.get("contenttype"))) is not None:
        headers["Content-Type"] = content_type
    method = _ps_value(options.get("method")) or "GET"
    return pasted(method, uri, headers, _ps_value(options.get("body")) or "", "powershell")


def read_powershell(text: str) -> list[PastedRequest]:
    """Every Invoke-WebRequest (or Invoke-RestMethod) in ``text``, as Chrome's "Copy (all) as PowerShell" writes it."""
    tokens, _ = _ps_tokens(text)
    statements, current = [], []
    for token in tokens + [";"]:
        if token == ";":
            if current:
                statements.append(current)
            current = []
        else:
            current.append(token)
    found = []
    for statement in statements:
        head = statement[0]
        if isinstance(head, tuple) and head[0] == "word" and head[1].lower() in _COMMANDS:
            found.append(_ps_request(statement[1:]))
            if len(found) > MAX_REQUESTS:
                raise UnusableInput(f"more than {MAX_REQUESTS} PowerShell commands: paste the MEXC requests only")
    if not found:
        raise UnusableInput("no Invoke-WebRequest in this PowerShell: paste the whole 'Copy as PowerShell' text")
    return found


# --- httpie ---------------------------------------------------------------------------------

# "http"/"https", then within a few words (flags, a method) something that is a URL: an httpie command.
HTTPIE = re.compile(
    r"(?:\$[ \t]+)?https?[ \t]+(?:\S+[ \t]+){0,8}?['\"]?"
    r"(?:https?://|localhost\b|:\d|[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?::\d+)?(?:/|[ \t'\"]|$))"
)
_HTTPIE_WITH_VALUE = {
    "-a", "--auth", "-A", "--auth-type", "-p", "--print", "-P", "--history-print", "--pretty", "-s", "--style",
    "--session", "--session-read-only", "--verify", "--cert", "--cert-key", "--cert-key-pass", "--timeout",
    "--max-redirects", "--max-headers", "--proxy", "--raw", "--boundary", "--format-options", "--ssl",
    "--ciphers", "--default-scheme", "-o", "--output", "--response-charset", "--response-mime",
}  # fmt: skip
_SEPARATORS = ("==@", ":=@", "=@", "==", ":=", "@", "=", ":", ";")  # longest first at a position, as httpie does
_METHOD = re.compile(r"[A-Za-z]+")
_HTTP_METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS")


def _httpie_item(item: str) -> tuple[str, str, str] | None:
    """(name, separator, value): the separator that occurs first in ``item``, the longest at that place."""
    best = None
    for separator in _SEPARATORS:
        at = item.find(separator)
        if at > 0 and (best is None or at < best[0]):
            best = (at, separator)
    if best is None:
        return None
    at, separator = best
    return item[:at], separator, item[at + len(separator) :]


def read_httpie(text: str) -> list[PastedRequest] | None:
    """The request of an ``http``/``https`` command, or None when the words after it are not a method and URL."""
    try:
        tokens = shlex.split(re.sub(r"\\\r?\n", " ", text.lstrip("$ \t")))
    except ValueError as error:
        raise UnusableInput(f"the httpie command does not parse ({error}): paste it whole, quotes included") from None
    scheme, form, as_json, raw, positional, index = tokens[0], False, False, None, [], 1
    while index < len(tokens):
        token, index = tokens[index], index + 1
        name, has_equals, inline = token.partition("=")
        if token in ("-f", "--form", "--multipart"):
            form = True
        elif token in ("-j", "--json"):
            as_json = True
        elif token in _HTTPIE_WITH_VALUE or (has_equals and name in _HTTPIE_WITH_VALUE):
            value = inline if has_equals else (tokens[index] if index < len(tokens) else "")
            index += 0 if has_equals else 1
            raw = value if name == "--raw" else raw
            scheme = value.rstrip(":/") if name == "--default-scheme" else scheme
        elif not token.startswith("-") or token == "-":
            positional.append(token)
    method = None
    if len(positional) >= 2 and _METHOD.fullmatch(positional[0]):
        method = positional.pop(0).upper()
    if not positional or (method is not None and method not in _HTTP_METHODS):
        return None
    url = positional.pop(0)
    if url.startswith(":"):  # httpie's localhost shorthand, :3000/path
        url = f"http://localhost{url}"
    elif not re.match(r"https?://", url):
        if not re.match(r"[\w.-]+(?::\d+)?(?:/|$)", url) or ("." not in url and not url.startswith("localhost")):
            return None
        url = f"{scheme}://{url}"
    items = [_httpie_item(item) for item in positional]
    if None in items:  # not httpie's request items: a sentence that starts with "http", say
        return None
    headers, query, data = {}, {}, {}
    for item, (name, separator, value) in zip(positional, items, strict=True):
        if separator == ":":
            if value.strip():
                headers[name] = value.strip()
        elif separator == ";":
            headers[name] = ""
        elif separator == "==":
            query.setdefault(name, []).append(value)
        elif separator == "=":
            data[name] = value
        elif separator == ":=" and not form:
            try:
                data[name] = json.loads(value)
            except ValueError:
                raise UnusableInput(f"httpie item {item[:40]!r}: the value after ':=' is not JSON") from None
        else:
            raise UnusableInput(f"httpie item {item[:40]!r} sends a file or raw JSON in a form: paste the body sent")
    if query:
        url += ("&" if "?" in url else "?") + urlencode(list(query.items()), doseq=True)
    body = raw if raw is not None else (urlencode(list(data.items())) if form else json.dumps(data)) if data else ""
    if (data or (as_json and not form)) and not any(name.lower() == "content-type" for name in headers):
        headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8" if form else "application/json"
    return [pasted(method or ("POST" if body else "GET"), url, headers, body, "httpie")]


# --- request configs ------------------------------------------------------------------------

CONFIG_KEY = re.compile(r"""["'](?:url|path)["']\s*:""")
# fmt: off
_AXIOS_KEYS = ("baseURL", "transformRequest", "transformResponse", "transitional", "adapter", "xsrfCookieName",
               "xsrfHeaderName", "maxContentLength", "maxBodyLength", "paramsSerializer", "withCredentials")
# fmt: on
_MAX_LITERAL = 1_000_000


def read_config_object(text: str) -> dict | None:
    """``text`` as a dict, from JSON or a Python literal, or None when it is neither."""
    try:
        decoded = parse_json(text)
    except ValueError:
        decoded = None
        if len(text) <= _MAX_LITERAL and CONFIG_KEY.search(text):
            try:
                decoded = ast.literal_eval(text)
            except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
                raise UnusableInput(
                    "this looks like a request config but is neither JSON nor a Python literal: print it "
                    "with json.dumps(config) or JSON.stringify(config) and paste that"
                ) from None
    return decoded if isinstance(decoded, dict) else None


def is_config(config: dict) -> bool:
    """A request config has a URL (or a method and a path); a plain dict of parameters has neither."""
    return isinstance(config.get("url"), str) or ("method" in config and isinstance(config.get("path"), str))


def _axios_encode(value: str) -> str:
    encoded = quote(value, safe="-_.!~*'()")  # encodeURIComponent
    for escape, char in (("%3A", ":"), ("%24", "$"), ("%2C", ","), ("%20", "+"), ("%5B", "["), ("%5D", "]")):
        encoded = encoded.replace(escape, char)
    return encoded


def _js_text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _encoded_params(params, axios: bool) -> str:
    if isinstance(params, str):
        return params.lstrip("?")
    pairs = list(params.items()) if isinstance(params, dict) else [tuple(pair) for pair in params]
    if not axios:  # requests: urlencode(doseq=True), None left out, str(value) otherwise (True is "True")
        kept = [(key, value) for key, value in pairs if value is not None]
        return urlencode([(k, [x for x in v if x is not None] if isinstance(v, list) else v) for k, v in kept], True)
    parts = []
    for key, value in pairs:
        for item in value if isinstance(value, list) else [value]:
            if item is not None:
                name = f"{key}[]" if isinstance(value, list) else str(key)
                parts.append(f"{_axios_encode(name)}={_axios_encode(_js_text(item))}")
    return "&".join(parts)


def _config_body(config: dict, axios: bool) -> tuple[str, str | None]:
    """The body the library sends, and the Content-Type it adds for it (None: it adds none)."""
    if config.get("json") is not None:
        return json.dumps(config["json"]), "application/json"
    for key in ("data", "body"):
        value = config.get(key)
        if value is None:
            continue
        if isinstance(value, bytes):
            return value.decode("utf-8", "replace"), None
        if isinstance(value, str):
            return value, None
        if key == "data" and isinstance(value, (dict, list)):
            if axios:
                return json.dumps(value, separators=(",", ":"), ensure_ascii=False), "application/json"
            return _encoded_params(value, False), "application/x-www-form-urlencoded"
        raise UnusableInput(f"the config's {key} is a {type(value).__name__}: paste the body as the string sent")
    return "", None


def read_config(config: dict) -> list[PastedRequest]:
    """The request a requests/axios-style config sends: URL (with params merged), headers, body."""
    axios = any(key in config for key in _AXIOS_KEYS)
    url = config.get("url") if isinstance(config.get("url"), str) else config.get("path")
    base = next((config[key] for key in ("baseURL", "base_url", "baseUrl") if isinstance(config.get(key), str)), None)
    if re.match(r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?::\d+)?/", url):  # a host without a scheme
        url = f"https://{url}"
    elif not re.match(r"(?i)https?://", url):
        base = base or default_base("/" + url.lstrip("/"))
        url = base.rstrip("/") + "/" + url.lstrip("/")
    params = config.get("params")
    if params:
        if not isinstance(params, (str, dict, list, tuple)):
            raise UnusableInput(f"the config's params is a {type(params).__name__}: expected a dict of parameters")
        url = url.split("#", 1)[0]
        url += ("&" if "?" in url else "?") + _encoded_params(params, axios)
    headers = config.get("headers")
    if headers is not None and not isinstance(headers, dict):
        raise UnusableInput("the config's headers are not a dict: expected {'X-MEXC-APIKEY': '...', ...}")
    if headers is not None:  # axios' nested defaults ({"common": {...}}) are not headers sent as such
        headers = {
            str(k): str(v) for k, v in headers.items() if isinstance(v, (str, int, float)) and not isinstance(v, bool)
        }
    body, content_type = _config_body(config, axios)
    if headers is not None and content_type and not any(name.lower() == "content-type" for name in headers):
        headers["Content-Type"] = content_type
    method = str(config.get("method") or ("POST" if body else "GET"))
    return [pasted(method, url, headers, body, "config")]
