"""What HTTP libraries print about a request, one precise reader per library, and the order they are tried in.

Each reader looks for its library's own marker first (``send: b'``, ``AxiosError``, ``--> END``,
``REQUEST HEADERS:``, ``> POST``, ``RequestUri: '``, ``Go-http-client``), so other text costs one scan
and no reader reads another's format; each reads method, URL, headers and body as the library printed
them, the answer when it shows, and the language the paste is in (fixes then name that language's
calls). Python: :mod:`.dumps_python`; Node.js: :mod:`.dumps_js`; Java: :mod:`.dumps_jvm`; libcurl and
PHP: :mod:`.dumps_curl`; .NET and Go here.
"""

from __future__ import annotations

import ast
import re
from urllib.parse import quote

from ...protocol.endpoints import base_url_for
from ..pasted import PastedRequest, UnusableInput, pasted
from .common import read_or_refuse
from .dumps_common import MAX_DUMP_CHARS, METHODS, answer_in, header, in_language, refuse_unseen_body
from .dumps_curl import read_curl_verbose, read_guzzle_error
from .dumps_js import read_axios
from .dumps_jvm import read_jdk_httpclient, read_okhttp
from .dumps_python import read_http_client_log, read_python_session, read_requests_error
from .http import _REQUEST_LINE, read_http


def recognize(text: str) -> list[PastedRequest] | None:
    """The requests a library's debug output in ``text`` shows, or None when no reader knows the text."""
    if not isinstance(text, str) or len(text) > MAX_DUMP_CHARS:
        return None
    text = text.strip()
    for reader, what in _READERS:
        found = read_or_refuse(reader, text, what)
        if found:
            return found
    return None


# --- .NET: HttpRequestMessage.ToString() -------------------------------------------------------------

_DOTNET = re.compile(
    r"Method: ([A-Z]+), RequestUri: '([^'\n]*)', Version: [\d.]+, Content: ([^,\n]+), Headers:[ \t]*\r?\n\{"
)
_DOTNET_RESPONSE = re.compile(r"StatusCode: (\d{3}), ReasonPhrase: '")
# What System.Uri escapes when it sends a URI that ToString() printed unescaped.
_NEVER_RAW = re.compile(r"[^\x21-\x7e]|[\"<>\\^`{|}]")


def read_dotnet(text: str) -> list[PastedRequest] | None:
    """The request in ``HttpRequestMessage.ToString()`` (and the answer after ``HttpResponseMessage.ToString()``).

    ``RequestUri`` is printed by ``Uri.ToString()``, which unescapes (``%20`` shows as a space): what Uri
    escapes again when it sends is put back, and said so, since a character the program escaped itself
    may have been printed raw too. The body is not printed (``Content: System.Net.Http.StringContent``):
    it is read from the line printed after the headers, when there is one.
    """
    if ", RequestUri: '" not in text:
        return None
    found = _DOTNET.search(text)
    if found is None:
        return None
    method, uri, content = found[1], found[2], found[3].strip()
    closing = text.find("\n}", found.end())
    block = text[found.end() : closing if closing >= 0 else len(text)]
    headers = {}
    for line in block.split("\n"):
        name, colon, value = line.strip().partition(": ")
        if colon and name:
            headers[name] = f"{headers[name]}, {value.strip()}" if name in headers else value.strip()
    after = text[closing + 2 :] if closing >= 0 else ""
    response = _DOTNET_RESPONSE.search(after)
    body = ""
    if content != "<null>":
        shown = (after[: response.start()] if response else after).strip()
        if shown and "\n" not in shown:
            body = shown
        elif header(headers, "Content-Length") != "0":
            refuse_unseen_body(
                header(headers, "Content-Length") or "1",
                "HttpRequestMessage.ToString()",
                "print await request.Content.ReadAsStringAsync() after it and paste both",
            )
    repairs = ()
    if _NEVER_RAW.search(uri):
        uri = _NEVER_RAW.sub(lambda m: quote(m[0], safe=""), uri)
        repairs = (
            "RequestUri was printed unescaped by Uri.ToString(): spaces and other characters a URI cannot "
            "hold were escaped again as Uri sends them; a character your code escaped may also show raw",
        )
    if uri.startswith("/"):
        uri = base_url_for(uri) + uri
    elif uri == "<null>":
        raise UnusableInput("this HttpRequestMessage has no RequestUri: print it after HttpClient sent it")
    answer = answer_in(after[response.end() :], int(response[1])) if response else None
    found = pasted(method, uri, headers, body, "dotnet", answer_code=answer, repairs=repairs)
    return [in_language(found, "C#")]


# --- Go: httputil.DumpRequestOut(req, true) -------------------------------------------------------------

_GO_LOG = re.compile(r"^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d(?:\.\d+)? ")  # the log package's default prefix
_GO_QUOTED = re.compile(rf'"(?:{METHODS}) [^"\n]*? HTTP/1\.1\\r\\n(?:[^"\\\n]|\\.)*"')


def read_go_dump(text: str) -> list[PastedRequest] | None:
    """Go's ``httputil.DumpRequestOut``: raw HTTP with Go's canonical header names (``X-Mexc-Apikey``), printed
    as is, behind the log package's date, or quoted by ``%q``; a chunked body is put back together."""
    if "Go-http-client/" not in text and "HTTP/1.1\\r\\n" not in text:
        return None
    quoted = _GO_QUOTED.search(text)
    if quoted is not None:
        try:
            dump = ast.literal_eval(quoted[0])
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            return None
        after = text[quoted.end() :]
        dump += "\n\n" + after.strip() if re.search(r"(?m)^HTTP/\d", after) else ""
    else:
        dump = _GO_LOG.sub("", text, count=1)
        if not _REQUEST_LINE.match(dump) or "Go-http-client/" not in dump.split("\n\n", 1)[0].split("\r\n\r\n")[0]:
            return None
    parts = re.split(r"(\r?\n\r?\n)", dump, maxsplit=1)
    head, separator, rest = (parts + ["", ""])[:3]
    if re.search(r"(?im)^Transfer-Encoding:\s*chunked", head):
        body, tail = _dechunked(rest)
        dump = f"{head}{separator}{body}{tail}"
    found = read_http(dump)
    return [in_language(found, "Go") if "Go-http-client/" in head else found]


def _dechunked(rest: str) -> tuple[str, str]:
    """A chunked body (``15\\r\\n{...}\\r\\n0\\r\\n\\r\\n``) as the bytes sent, and what follows it."""
    body, position = [], 0
    data = rest.encode("utf-8")
    while True:
        line_end = data.find(b"\n", position)
        size = data[position:line_end].strip().split(b";")[0] if line_end >= 0 else b""
        if not re.fullmatch(rb"[0-9a-fA-F]{1,8}", size):
            raise UnusableInput("this Go dump's chunked body is cut short: paste the whole dump")
        length, position = int(size, 16), line_end + 1
        if length == 0:
            tail = data[position:].decode("utf-8", "replace").lstrip("\r\n")
            return b"".join(body).decode("utf-8", "replace"), ("\n\n" + tail if tail else "")
        body.append(data[position : position + length])
        position += length
        position += 2 if data[position : position + 2] == b"\r\n" else 1


# Most detailed first: a paste with http.client's wire log and a traceback is read from the wire log.
_READERS = (
    (read_http_client_log, "http.client debug log"),
    (read_python_session, "Python session"),
    (read_axios, "axios error"),
    (read_okhttp, "OkHttp log"),
    (read_jdk_httpclient, "HttpClient log"),
    (read_curl_verbose, "curl -v output"),
    (read_dotnet, "HttpRequestMessage"),
    (read_go_dump, "Go request dump"),
    (read_guzzle_error, "Guzzle error"),
    (read_requests_error, "requests HTTPError"),
)
