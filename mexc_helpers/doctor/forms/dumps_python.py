"""What Python's HTTP stack prints: http.client's debug output with urllib3's DEBUG log, a REPL session, and
requests' HTTPError.

With ``logging.basicConfig(level=logging.DEBUG)`` and ``http.client.HTTPConnection.debuglevel = 1``
(requests' documented way to see the wire), a request prints as::

    DEBUG:urllib3.connectionpool:Starting new HTTPS connection (1): api.mexc.com:443
    send: b'POST /api/v3/order?...&signature=... HTTP/1.1\\r\\nHost: api.mexc.com\\r\\n...\\r\\n\\r\\n'
    send: b'{"symbol":"BTC_USDT"}'                    (a body, when there is one, in its own send)
    reply: 'HTTP/1.1 400 Bad Request\\r\\n'
    header: Content-Type: application/json
    DEBUG:urllib3.connectionpool:https://api.mexc.com:443 "POST /api/v3/order?... HTTP/1.1" 400 64

``send:`` is the repr of the bytes written to the socket, so it is read with :func:`ast.literal_eval`
and is exactly what was sent; urllib3's line alone (no debuglevel) gives the method, URL and status only.
A REPL session shows ``r.request.url``, ``r.request.headers`` (requests' CaseInsensitiveDict prints as a
dict), ``r.request.body`` and the answer (``r.text``, ``r.json()``); an ``HTTPError`` shows only the URL
and the status (``400 Client Error: Bad Request for url: https://...``), so its method is the one the
traceback's code shows, else inferred from the endpoint.
"""

from __future__ import annotations

import ast
import json
import re
from urllib.parse import urlsplit

from ...protocol.endpoints import base_url_for
from ..intake import with_inferred_method
from ..pasted import PastedRequest, pasted
from .common import MAX_REQUESTS
from .dumps_common import METHODS, answer_in, header, in_language, refuse_url_without_parameters

_URLLIB3 = re.compile(rf'(https?)://([^\s"/]+?)(?::(\d+))? "({METHODS}) (\S+) HTTP/[\d.]+" (\d{{3}})')
_CONNECTION = re.compile(r"Starting new (HTTPS?) connection \(\d+\): ([^\s:]+)")
_REQUEST_LINE = re.compile(rf"({METHODS}) (\S+) HTTP/[\d.]+\r?\n")
_REPLY = re.compile(r"reply: '(?:HTTP/[\d.]+ )?(\d{3})")


def read_http_client_log(text: str) -> list[PastedRequest] | None:
    """Each request in http.client's ``send:`` lines (or urllib3's request lines), with its status and answer."""
    if "send: b" not in text and not ('" 4' in text or '" 2' in text or '" 5' in text) or "HTTP/" not in text:
        return None
    entries: list[dict] = []
    scheme, current = "https", None
    for line in text.split("\n"):
        if "send: b" in line:
            current = _send(line[line.index("send: b") + 6 :], current, entries, scheme)
        elif current is not None and (reply := _REPLY.search(line)) and "reply: '" in line:
            current["status"] = int(reply[1])
        elif (connection := _CONNECTION.search(line)) is not None:
            scheme = connection[1].lower()
        elif (logged := _URLLIB3.search(line)) is not None:
            current = _logged(logged, current, entries)
        elif current is not None and "answer" not in current and line.lstrip().startswith(("{", "'{", '"{')):
            code = answer_in(line, current.get("status"))
            if code is not None and (code != 0 or "{" in line):
                current["answer"] = code
        if len(entries) > MAX_REQUESTS:
            break
    if not entries:
        return None
    found = []
    for entry in entries:
        status = entry.get("status")
        code = entry["answer"] if "answer" in entry else answer_in("", status)
        body = entry["body"].decode("utf-8", "replace")
        found.append(
            in_language(
                pasted(entry["method"], entry["url"], entry["headers"], body, "http.client", answer_code=code), "Python"
            )
        )
    return found


def _send(literal: str, current: dict | None, entries: list[dict], scheme: str) -> dict | None:
    """A ``send:`` line: a new request (its request line and headers) or the next part of the current body."""
    try:
        data = ast.literal_eval(literal.strip()[:10_000_000])
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return current
    if not isinstance(data, bytes):
        return current
    text = data.decode("latin-1")
    start = _REQUEST_LINE.match(text)
    if start is None:
        if current is not None and "status" not in current:
            current["body"] += data  # the body, sent after the headers
        return current
    if start[1] == "CONNECT":
        return current
    head, _, body = text.partition("\r\n\r\n")
    headers: dict[str, str] = {}
    for raw in head.split("\r\n")[1:]:
        name, colon, value = raw.partition(":")
        if colon:
            headers[name.strip()] = value.strip()
    target = start[2]
    if not re.match(r"(?i)https?://", target):
        host = header(headers, "Host")
        target = (f"{scheme}://{host}" if host else base_url_for(target)) + target
    entry = {"method": start[1], "url": target, "headers": headers, "body": body.encode("latin-1"), "shown": True}
    entries.append(entry)
    return entry


def _logged(match: re.Match, current: dict | None, entries: list[dict]) -> dict:
    """urllib3's line: the status of a request http.client showed (logged after it, or, where stdout and
    stderr were pasted apart, later), or, without debuglevel, a request of its own."""
    scheme, host, port, method, target, status = match.groups()
    default = (scheme == "https" and port == "443") or (scheme == "http" and port == "80") or port is None
    base = f"{scheme}://{host}" + ("" if default else f":{port}")
    for entry in entries:
        same = entry["method"] == method and urlsplit(entry["url"]).path + _query(entry["url"]) == target
        if same and entry.get("shown") and not entry.get("logged"):
            entry.setdefault("status", int(status))
            entry["logged"], entry["url"] = True, base + target  # the scheme urllib3 used
            return entry
    entry = {"method": method, "url": base + target, "headers": None, "body": b"", "status": int(status)}
    entries.append(entry)
    return entry


def _query(url: str) -> str:
    query = urlsplit(url).query
    return f"?{query}" if query else ""


# --- a REPL session -----------------------------------------------------------------------------

_PROMPT = re.compile(r"^(?:>>>|In \[\d+\]:) ?(.*)$")
_OUT = re.compile(r"^Out\[\d+\]: ?")
_SHOWN = re.compile(r"^(?:print\()?(?:dict\()?([A-Za-z_]\w*)((?:\.request)?\.(\w+)(?:\(\))?)?\)?\)?$")
_CALL = re.compile(
    rf"""([A-Za-z_]\w*)\s*=\s*[\w.]*?(?:\.(get|post|put|delete|patch)\(|request\(\s*['"]({METHODS})['"])""", re.I
)


def read_python_session(text: str) -> list[PastedRequest] | None:
    """The requests a REPL (or IPython) session shows through ``r.request.url``, ``.headers`` and ``.body`` (or a
    PreparedRequest's own ``p.url``, ``p.headers``, ``p.body``), with the answer ``r.text`` or ``r.json()`` shows."""
    if ">>> " not in text and "In [" not in text or ".url" not in text:
        return None
    shown: dict[str, dict] = {}
    for expression, output in _session(text):
        call = _CALL.match(expression)
        if call:
            shown.setdefault(call[1], {})["called"] = (call[2] or call[3]).upper()
            continue
        form = _SHOWN.match(expression)
        if form is None or len(shown) > MAX_REQUESTS:
            continue
        name, attribute, on_request = form[1], form[3] or "", (form[2] or "").startswith(".request.")
        value = _value(output, expression.startswith("print("))
        seen = shown.setdefault(name, {})
        if on_request and attribute in ("url", "headers", "body", "method", "path_url"):
            seen.setdefault(attribute, value)
        elif not on_request and attribute in ("text", "content", "json", "status_code"):
            seen.setdefault("text" if attribute != "status_code" else attribute, value)
        elif not on_request and attribute == "url":
            seen.setdefault("response_url", value)  # the URL answered: the request's, unless redirected
        elif not on_request and attribute in ("headers", "body", "method", "path_url"):
            seen.setdefault(f"own_{attribute}", value)  # a PreparedRequest's, or a response's headers
        elif not attribute and isinstance(value, str) and (status := re.fullmatch(r"<Response \[(\d{3})\]>", value)):
            seen.setdefault("status_code", int(status[1]))
    return [request for seen in shown.values() if (request := _session_request(seen)) is not None] or None


def _session(text: str):
    """(expression, what the session printed for it) pairs; ``...`` continuation lines join their expression."""
    expression, output = None, []
    for line in text.split("\n"):
        prompt = _PROMPT.match(line)
        if prompt is not None:
            if expression is not None:
                yield expression, "\n".join(output)
            expression, output = prompt[1].strip(), []
        elif expression is not None and line.startswith("...") and not output:
            expression += line[3:].strip()
        elif expression is not None:
            output.append(_OUT.sub("", line))
    if expression is not None:
        yield expression, "\n".join(output)


def _value(output: str, printed: bool):
    """What a REPL line printed: a literal (the REPL shows repr) read without eval; print()'s text as is."""
    output = output.strip()
    if printed or not output:
        return output if output else None
    try:
        return ast.literal_eval(output) if len(output) < 1_000_000 else output
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return output


def _session_request(seen: dict) -> PastedRequest | None:
    if (
        not {"url", "headers", "body", "method"} & seen.keys()
        and {"own_body", "own_method", "own_path_url"} & seen.keys()
    ):
        seen = {**seen, **{key[4:]: value for key, value in seen.items() if key.startswith("own_")}}  # prepared
    url = seen.get("url") or seen.get("response_url")
    if not isinstance(url, str) or not re.match(r"(?i)https?://", url):
        path_url = seen.get("path_url")
        if not isinstance(path_url, str) or not path_url.startswith("/"):
            return None
        url = base_url_for(path_url) + path_url
    headers = seen.get("headers")
    headers = {str(k): str(v) for k, v in headers.items()} if isinstance(headers, dict) else None
    body = seen.get("body")
    body = body.decode("utf-8", "replace") if isinstance(body, bytes) else body if isinstance(body, str) else ""
    status = seen.get("status_code") if isinstance(seen.get("status_code"), int) else None
    answer = seen.get("text")
    if isinstance(answer, (dict, list)):  # r.json()
        answer = json.dumps(answer)
    answer = answer.decode("utf-8", "replace") if isinstance(answer, bytes) else answer
    code = answer_in(answer, status) if isinstance(answer, str) else answer_in("", status)
    method = seen.get("method") if isinstance(seen.get("method"), str) else seen.get("called")
    found = pasted(method or "GET", url, headers, body, "python", answer_code=code)
    return in_language(found if method else with_inferred_method(found), "Python")


# --- requests' HTTPError ------------------------------------------------------------------------

_HTTP_ERROR = re.compile(r"\b(\d{3}) (?:Client|Server) Error: [^\n]{0,200}? for url: (https?://\S+)")
_METHOD_SHOWN = re.compile(
    rf"""\brequests\.(get|post|put|delete|patch)\(|\brequest\(\s*['"]({METHODS})['"]|\bmethod\s*=\s*['"]({METHODS})['"]""",
    re.I,
)


def read_requests_error(text: str) -> list[PastedRequest] | None:
    """The request behind requests' ``HTTPError: 400 Client Error: ... for url: ...`` (URL and status only)."""
    if " for url: " not in text:
        return None
    match = _HTTP_ERROR.search(text)
    if match is None:
        return None
    status, url = int(match[1]), match[2]
    refuse_url_without_parameters(
        url,
        "requests' HTTPError",
        "the request's body was not printed; paste r.request.url, r.request.headers and r.request.body",
    )
    shown = _METHOD_SHOWN.search(text, 0, match.start())
    method = next((group.upper() for group in shown.groups() if group), None) if shown else None
    found = pasted(method or "GET", url, None, "", "requests-error", answer_code=answer_in(text, status))
    return [in_language(found if method else with_inferred_method(found), "Python")]
