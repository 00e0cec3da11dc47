"""An httpie command (``http POST https://api.mexc.com/api/v3/order symbol==BTCUSDT X-MEXC-APIKEY:mx0...``).

``name==value`` goes to the query, ``Name:value`` is a header, ``name=value`` / ``name:=json`` are body
fields, sent as JSON (``json.dumps``, default separators) or, with ``--form``, urlencoded; httpie adds the
Content-Type for them (``application/json``, or the form type), as it does for ``--json``. httpie hands
``==`` items to requests, which encodes them with ``urlencode`` (``quote_plus``: a space becomes ``+``) and
groups repeated names. Its own User-Agent and Accept headers are left out.
"""

from __future__ import annotations

import json
import re
import shlex
from urllib.parse import urlencode

from ..pasted import PastedRequest, UnusableInput, pasted

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
