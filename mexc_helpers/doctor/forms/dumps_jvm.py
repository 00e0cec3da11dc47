"""What Java's HTTP clients log: OkHttp's ``HttpLoggingInterceptor`` and the JDK's ``java.net.http.HttpClient``.

OkHttp (``okhttp3.logging.HttpLoggingInterceptor``, level HEADERS or BODY) logs one message per line,
through whatever logger the app gives it (``D/OkHttp: `` on Android, java.util.logging's two-line records
by default)::

    --> POST https://api.mexc.com/api/v3/order?...&signature=...       (" h2" or " http/1.1" as a network interceptor)
    Content-Length: 0
    X-MEXC-APIKEY: mx0...
                                                                        (BODY: a blank line, the body)
    --> END POST (0-byte body)                                          (HEADERS: "--> END POST")
    <-- 400 Bad Request https://api.mexc.com/api/v3/order?... (85ms)
    content-type: application/json
    <blank line>
    {"code":700002,"msg":"Signature for this request is not valid."}
    <-- END HTTP (64-byte body)

The JDK client, run with ``-Djdk.httpclient.HttpClient.log=requests,headers``, logs ``REQUEST: <uri> <method>``
then ``HEADERS: REQUEST HEADERS:`` and the request head as written (HTTP/2: ``HEADERS FRAME (stream=1)``
with pseudo-headers), ``RESPONSE: (<method> <uri>) <status> ...``; it never logs the body, so a request
with one (``Content-Length`` above 0) is refused rather than judged without it.
"""

from __future__ import annotations

import re

from ..pasted import PastedRequest, UnusableInput, pasted
from .common import MAX_REQUESTS
from .dumps_common import (
    METHODS,
    answer_in,
    first_usable,
    header,
    in_language,
    prefix_pattern,
    refuse_unseen_body,
    unprefixed,
)

_OK_REQUEST = re.compile(
    rf"--> ({METHODS}) (https?://\S+)(?: (?:h2|h2_prior_knowledge|http/1\.[01]|h3|quic))?(?: \((\d+)-byte body\))?\s*$"
)
_OK_END = re.compile(rf"^--> END ({METHODS})\b ?(.*)$")
_OK_RESPONSE = re.compile(r"^<-- (\d{3})\b.*? (https?://\S+) \(\d+ms")
_HEADER_LINE = re.compile(r"^\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]?(.*)$")


def read_okhttp(text: str) -> list[PastedRequest] | None:
    """Every request OkHttp's logging interceptor shows, with the answer logged after it."""
    if "--> " not in text or "<-- " not in text and "--> END" not in text:
        return None
    lines = text.replace("\r\n", "\n").split("\n")
    found, refusals = [], []
    index = 0
    while index < len(lines) and len(found) <= MAX_REQUESTS:
        start = _OK_REQUEST.search(lines[index]) if "--> " in lines[index] else None
        if start is None or "--> END" in lines[index]:
            index += 1
            continue
        pattern = prefix_pattern(lines[index][: start.start()])
        block, index = _until(lines, index + 1, pattern, ("--> ", "<-- "))
        try:
            found.append(_okhttp_request(start, block, lines, index, pattern))
        except UnusableInput as refused:
            refusals.append(refused)
    if not found and not refusals:
        return None
    return [in_language(one, "Java") for one in first_usable(found, refusals)]


def _until(lines: list[str], index: int, pattern, stops: tuple[str, ...]) -> tuple[list[str], int]:
    """The message lines from ``index`` (prefix off) up to the next line that starts with one of ``stops``."""
    block = []
    while index < len(lines):
        line = unprefixed([lines[index]], pattern)
        if line and line[0].startswith(stops) and not line[0].startswith("--> END"):
            break
        block += line
        index += 1
        if line and line[0].startswith("--> END"):
            break
    return block, index


def _okhttp_request(start: re.Match, block: list[str], lines: list[str], index: int, pattern) -> PastedRequest:
    method, url, basic_length = start[1], start[2], start[3]
    if basic_length is not None:  # Level.BASIC: no headers, the body's length only
        refuse_unseen_body(basic_length, "OkHttp's BASIC log", "set the interceptor's level to BODY")
        return pasted(method, url, None, "", "okhttp", answer_code=_okhttp_answer(lines, index, pattern, url))
    end = next((i for i, line in enumerate(block) if _OK_END.match(line)), len(block))
    headers, body_lines, in_body = {}, [], False
    for line in block[:end]:
        if in_body:
            body_lines.append(line)
        elif not line.strip():
            in_body = True
        elif found := _HEADER_LINE.match(line):
            headers[found[1]] = found[2].strip()
    closing = _OK_END.match(block[end]) if end < len(block) else None
    note = closing[2] if closing else ""
    if not in_body or "omitted" in note:  # Level.HEADERS, or a body OkHttp would not print
        refuse_unseen_body(
            header(headers, "Content-Length") or ("1" if "omitted" in note else None),
            "OkHttp's log",
            "set HttpLoggingInterceptor.Level.BODY, or paste the body too",
        )
    body = "\n".join(body_lines)
    return pasted(method, url, headers, body, "okhttp", answer_code=_okhttp_answer(lines, index, pattern, url))


def _okhttp_answer(lines: list[str], index: int, pattern, url: str) -> int | None:
    """The code of the answer logged for ``url`` right after its request (``<-- 400 ... url``, its body)."""
    for position in range(index, min(len(lines), index + 200)):
        line = unprefixed([lines[position]], pattern)
        if not line:
            continue
        if line[0].startswith("--> ") and not line[0].startswith("--> END"):
            return None
        answer = _OK_RESPONSE.match(line[0])
        if answer and answer[2] == url:
            block, _ = _until(lines, position + 1, pattern, ("--> ", "<-- "))
            blank = next((i for i, text in enumerate(block) if not text.strip()), None)
            shown = "\n".join(block[blank + 1 :]) if blank is not None else ""
            return answer_in(shown, int(answer[1]))
    return None


# --- java.net.http.HttpClient ----------------------------------------------------------------------

_JDK_REQUEST = re.compile(rf"REQUEST: (https?://\S+) ({METHODS})\s*$")
_JDK_HEADERS = re.compile(r"HEADERS: (?:REQUEST HEADERS:|HEADERS FRAME \(stream(?:id)?=\d+\):?)\s*$")
_JDK_RESPONSE = re.compile(rf"RESPONSE: \(({METHODS}) (https?://\S+)\) (\d{{3}})")


def read_jdk_httpclient(text: str) -> list[PastedRequest] | None:
    """Every request the JDK HttpClient's log shows (``REQUEST:`` and its ``HEADERS:``), with the status and the
    answer the program printed after it."""
    if "REQUEST: " not in text or "HEADERS: " not in text:
        return None
    lines = text.replace("\r\n", "\n").split("\n")
    found, refusals = [], []
    for index, line in enumerate(lines):
        start = _JDK_REQUEST.search(line) if "REQUEST: " in line else None
        if start is None or len(found) > MAX_REQUESTS:
            continue
        try:
            found.append(_jdk_request(start, lines, index))
        except UnusableInput as refused:
            refusals.append(refused)
    if not found and not refusals:
        return None
    return [in_language(one, "Java") for one in first_usable(found, refusals)]


def _jdk_request(start: re.Match, lines: list[str], index: int) -> PastedRequest:
    url, method = start[1], start[2]
    headers, status, answer_from = None, None, None
    for position in range(index + 1, min(len(lines), index + 400)):
        line = lines[position]
        if _JDK_REQUEST.search(line):
            break
        if headers is None and _JDK_HEADERS.search(line):
            headers = _jdk_headers(lines, position + 1)
        elif (response := _JDK_RESPONSE.search(line)) and response[1] == method and response[2] == url:
            status, answer_from = int(response[3]), position + 1
            break
    if headers is None:
        raise UnusableInput(
            "this HttpClient log shows the request line but not its headers: run with "
            "-Djdk.httpclient.HttpClient.log=requests,headers"
        )
    refuse_unseen_body(
        header(headers, "Content-Length") or ("1" if header(headers, "Transfer-encoding") else None),
        "the JDK HttpClient's log",
        "print the body you send (the log never shows it) and paste it with the log",
    )
    answer = None
    if answer_from is not None:
        following = "\n".join(line for line in lines[answer_from : answer_from + 20] if "REQUEST: " not in line)
        answer = answer_in(following, status)
    return pasted(method, url, headers, "", "jdk-httpclient", answer_code=answer)


def _jdk_headers(lines: list[str], index: int) -> dict[str, str]:
    """The head logged after ``HEADERS:``: an optional request line, then ``name: value`` lines (pseudo-headers
    skipped), up to the record's blank line or the next record."""
    headers: dict[str, str] = {}
    for line in lines[index : index + 500]:
        stripped = line.strip()
        if not stripped or ": HEADERS: " in line or ": REQUEST: " in line or ": RESPONSE: " in line:
            break
        if re.match(rf"(?:{METHODS}) \S+ HTTP/[\d.]+$", stripped) or stripped.startswith(":"):
            continue
        found = _HEADER_LINE.match(stripped)
        if found is None:
            break  # the next log record (java.util.logging's date line, another logger's prefix)
        headers[found[1]] = found[2].strip()
    return headers
