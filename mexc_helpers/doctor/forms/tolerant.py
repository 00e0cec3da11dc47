"""The tolerant reader: a MEXC request found anywhere in a text, whatever printed it.

Tried when no precise reader reads a text (:mod:`..read`). Log prefixes and terminal wraps are taken off
first (:mod:`.prefixes`), then the precise readers get another try (a raw HTTP dump behind timestamps).
Else, in order of preference: a VS Code REST Client or JetBrains ``.http`` file; a curl command anywhere
in a line (a ``bash -x`` trace's ``+ curl ...``); any method word and http(s) URL to a MEXC API path
(``/api/v3/`` spot, ``/api/v1/`` futures, any host: bots point at proxies and at the local exchange).

Around such a URL the reader takes what the text shows of the same request: headers in any notation
(``Name: value``, ``'Name': 'value'``, ``"Name": "value"``, ``Name=value``, JS and JSON objects, curl's
``-H``, Go's ``map[Name:[value]]``, sections such as the Postman console's "Request Headers"), a body
(``body:``, ``data:``, ``RequestBody:``, "Request Body", a JSON object after the request line) and the
exchange's answer (its ``code``). A URL cut with ``...`` is completed by another occurrence of it.
Headers count as given only when the paste shows the key header or a whole header section, so a log
that prints no headers is not judged for missing ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from ...protocol.endpoints import base_url_for
from .. import intake
from ..pasted import PastedRequest, UnusableInput, pasted
from . import recognize
from .common import MAX_REQUESTS
from .curl import read_curl
from .prefixes import (
    ANSWER,
    KNOWN_HEADERS,
    answer_in,
    clean_lines,
    header_like,
    header_pairs,
    json_at,
    language_of,
    written_value,
)

MAX_TEXT = 5_000_000  # the most text searched (a paste, not a whole log file)
BLOCK = 60  # the most lines after a request line read as part of it
_METHODS = "GET|POST|PUT|DELETE"
_URL = re.compile(r"https?://[^\s\"'<>`]+")
_API = re.compile(r"https?://[^/?#\s]{1,255}/api/v[13]/")
_CUT = re.compile(r"\.\.\.|…")
_METHOD_WORD = re.compile(rf"\b({_METHODS})\b")
_METHOD_LABEL = re.compile(rf"(?i)\bmethod\b[\"']?[ \t]{{0,4}}[:=][ \t]{{0,4}}[\"']?({_METHODS})\b")
_PATH_LINE = re.compile(rf"({_METHODS})[ \t]+(/api/v[13]/\S*)(?:[ \t]+HTTP/[\d.]+)?[ \t]*$")
_GLYPHS = " \t▶▼►▸▾•"
_LINE_PAIR = re.compile(r"(:?[A-Za-z][\w-]{0,63})[ \t]*:[ \t]*(.*)$")

# --- sections (Postman's console, devtools' Headers tab, ccxt-like labels, a JS object's keys) ----
_LABEL = re.compile(
    r"(?i)(?:(response)[ _-]?(?:headers|body)?|(request[ _-]?headers|headers)|(request[ _-]?(?:body|payload)"
    r"|body|data|payload|post[ _-]?data|form[ _-]?data)|(network|general|timings?|query string parameters))"
    r"[\"']?[ \t]*(?:[:=][ \t]*(.*)|$)"
)
_BODY_LABEL = re.compile(r"(?i)(?<![\w-])(?:request[ _-]?body|body|data|payload)[\"']?[ \t]{0,8}[:=][ \t]{0,8}")
_RESPONSE = re.compile(r"(?i)HTTP/\d(?:\.\d)?[ \t]+\d{3}\b|<--|handleRestResponse|\d{3} (?:Client|Server) Error")


@dataclass
class _Request:
    """One request as the text shows it, gathered before it is built."""

    line: int
    url: str
    method: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    whole: bool = False  # a whole header section was shown: headers given even without the key
    body: str | None = None
    answer: int | None = None
    form: str = "log"
    language: str | None = None


def read_anywhere(text: str) -> list[PastedRequest] | None:
    """The requests found in ``text`` (a method word and an http(s) URL, headers, a body), or None.

    Raises :class:`UnusableInput`, quoting what it found, when it finds MEXC requests but none that can
    be diagnosed (no signature, cut short).
    """
    if not isinstance(text, str) or len(text) > MAX_TEXT or "/api/v" not in re.sub(r"[\r\n]", "", text):
        return None
    lines, shown = clean_lines(text)
    language = language_of(text, shown)
    found = _precise("\n".join(lines).strip(), text.strip()) or _http_file(lines) or _scanned(lines)
    if not found:
        return None
    found = [replace(one, language=one.language or language) for one in found[:MAX_REQUESTS]]
    _refuse_if_none_usable(found)
    return found


def _precise(clean: str, text: str) -> list[PastedRequest] | None:
    """The precise readers on the text without its prefixes (a raw HTTP dump behind timestamps)."""
    if clean == text:
        return None
    try:
        return recognize(clean) or ([read_curl(clean, None)] if clean.startswith(("curl ", "curl\t")) else None)
    except UnusableInput:
        return None


def _refuse_if_none_usable(found: list[PastedRequest]) -> None:
    """Refuse, as intake would, when no request found can be diagnosed, quoting the first one whole."""
    for one in found:
        try:
            intake.refuse_cut_short(one.request)
            return
        except UnusableInput:
            continue
    intake.refuse_unusable(found[0])


# --- .http files --------------------------------------------------------------------------------

_HTTP_FILE = re.compile(r"(?m)^(?:###|@[A-Za-z_][\w.-]{0,63}[ \t]*=)")
_VARIABLE = re.compile(r"@([A-Za-z_][\w.-]{0,63})[ \t]*=[ \t]*(.*?)[ \t]*$")
_FILE_REQUEST = re.compile(rf"({_METHODS}|PATCH)[ \t]+(\S+)(?:[ \t]+HTTP/[\d.]+)?[ \t]*$")
_USE = re.compile(r"\{\{[ \t]*([\w.$-]{1,64})[ \t]*\}\}")


def _http_file(lines: list[str]) -> list[PastedRequest] | None:
    """A VS Code REST Client or JetBrains HTTP Client file: ``@name = value`` variables used as ``{{name}}``,
    requests separated by ``###``, each a request line, headers, a blank line and a body."""
    clean = "\n".join(lines)
    if not _HTTP_FILE.search(clean) and not ("{{" in clean and any(_FILE_REQUEST.match(one) for one in lines)):
        return None
    variables = {found[1]: found[2] for line in lines if (found := _VARIABLE.match(line))}

    def substituted(value: str) -> str:
        for _ in range(5):  # variables may use variables
            value, count = _USE.subn(lambda use: variables.get(use[1], use[0]), value)
            if not count or "{{" not in value:
                break
        return value

    found, chunk, start = [], [], 0
    for number, line in enumerate([*lines, "###"]):
        if line.startswith("###"):
            request = _file_request([substituted(one) for one in chunk], start)
            if request is not None:
                found.append(request)
            chunk, start = [], number + 1
        elif not _VARIABLE.match(line):
            chunk.append(line)
    return _built(found) or None


def _file_request(lines: list[str], start: int) -> _Request | None:
    """One request of an ``.http`` file (its variables used), or None when the part holds no request line."""
    lines = [line for line in lines if not line.lstrip().startswith(("#", "//"))]
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines or not (found := _FILE_REQUEST.match(lines[0].strip())):
        return None
    url, index = found[2], 1
    while index < len(lines) and lines[index][:1] in (" ", "\t") and lines[index].strip()[:1] in ("?", "&"):
        url, index = url + lines[index].strip(), index + 1  # REST Client: a query continued on indented lines
    headers = {}
    while index < len(lines) and lines[index].strip():
        name, _, value = lines[index].partition(":")
        headers[name.strip()] = value.strip()
        index += 1
    body_lines = []
    for line in lines[index + 1 :]:
        if line.startswith(("> ", "<> ", ">> ")):  # a response handler or a saved response: not the body
            break
        body_lines.append(line)
    body = "\n".join(body_lines).strip("\r\n")
    if "x-www-form-urlencoded" in next((v for k, v in headers.items() if k.lower() == "content-type"), ""):
        body = re.sub(r"\n[ \t]*(?=&)", "", body)  # REST Client: a form body continued on lines starting with &
    url = _USE.sub("", url, count=1) if url.startswith("{{") else url  # a host from an environment file
    if url.startswith("/"):
        host = next((v for k, v in headers.items() if k.lower() == "host"), None)
        url = (f"https://{host}" if host else base_url_for(url)) + url
    elif not re.match(r"(?i)https?://", url):
        url = "https://" + url
    return _Request(start, url, found[1], headers, True, body, form="http file")


# --- anywhere in a text -------------------------------------------------------------------------


def _scanned(lines: list[str]) -> list[PastedRequest] | None:
    """Every curl command and every method word + MEXC API URL in ``lines``, each with its headers, body
    and answer; one request per URL (the first occurrence, its gaps filled by the others)."""
    requests: dict[str, _Request] = {}
    for number, line in enumerate(lines):
        if len(requests) >= MAX_REQUESTS:
            break
        if "/api/v" not in line and "curl" not in line:
            continue
        curl = re.search(r"(?:^|(?<=[\s>$#+;|&(]))curl(?:\.exe)?[ \t]+(?=[-'\"^$h])", line)
        if curl:
            one = _curl_at(lines, number, curl.start())
            if one is not None:
                requests.setdefault(one.url, one)
            continue
        if path_line := _PATH_LINE.match(line.strip()):  # raw HTTP's request line: the host comes from Host
            one = _Request(number, path_line[2], path_line[1])
            _read_around(one, lines, number, "")
            requests.setdefault(one.url, one)
            continue
        for match in _URL.finditer(line):
            url = _trimmed(match.group())
            if not _API.match(url):
                continue
            if url in requests:
                requests[url].method = requests[url].method or _method_near(line, match.start())
                continue
            one = requests[url] = _Request(number, url, _method_near(line, match.start()))
            following = _URL.search(line, match.end())
            _read_around(one, lines, number, line[match.end() : following.start() if following else len(line)])
    ordered = sorted(requests.values(), key=lambda one: one.line)
    _complete_cut(ordered)
    _answers(ordered, lines)
    return _built(ordered) or None


def _trimmed(url: str) -> str:
    """A URL without the punctuation a sentence or a literal put after it; a cut one keeps its "..."."""
    cut = _CUT.search(url)
    if cut and cut.end() == len(url):
        return url
    return url.rstrip(".,;:)]}")


def _method_near(line: str, start: int) -> str | None:
    """The method a line says: ``method: 'post'`` anywhere, else the last method word just before the URL."""
    words = _METHOD_WORD.findall(line, max(0, start - 200), start)
    label = _METHOD_LABEL.search(line)
    return (label[1].upper() if label else None) or (words[-1] if words else None)


def _curl_at(lines: list[str], number: int, column: int) -> _Request | None:
    """A curl command starting at ``column`` of line ``number``, with its continuation lines (``\\``, ``^``)."""
    command, last = lines[number][column:], number
    while command.rstrip().endswith(("\\", "^")) and last + 1 < len(lines) and last - number < BLOCK:
        last += 1
        command += "\n" + lines[last]
    try:
        found = read_curl(command, None)
    except UnusableInput:
        return None
    request = found.request
    url = (found.base_url or "") + (request.path or "") + (f"?{request.query}" if request.query else "")
    if not _API.match(url):
        return None
    headers = dict(request.headers)
    whole, body = request.headers_given, request.body_text
    return _Request(last, url, request.method, headers, whole, body, form="curl", language=found.language)


def _read_around(one: _Request, lines: list[str], number: int, rest: str) -> None:
    """The headers, body and method the lines after a request line show, up to the next request.

    Sections a tool labels (Postman's "Request Headers", "Request Body", "Response Headers"; a JS object's
    ``headers: {``) are read as such; a run of ``Name: value`` lines right after the request line, then a
    blank line and a body, as raw HTTP; anywhere else, pairs in any notation whose name is a header's.
    """
    section, run = "start", True
    texts = [rest] + lines[number + 1 : number + 1 + BLOCK]
    for index, raw in enumerate(texts):
        line = raw.strip(_GLYPHS)
        if index and (_API.search(line) or _PATH_LINE.match(line) or "curl " in line):
            break  # the next request
        if ANSWER.search(line) or _RESPONSE.match(line):
            section = "response"
            continue
        label = _LABEL.fullmatch(line) if index else None
        if label:
            section = _labelled(one, label, texts, index)
            continue
        if section == "response":
            continue
        if section in ("body", "raw body"):
            if line and (section == "body" or re.match(r"[{\[]|[\w.%-]{1,64}=", line)):
                one.body = one.body if one.body is not None else written_value(line, texts[index + 1 : index + BLOCK])
            section = section if not line else "other"
            continue
        pair = _LINE_PAIR.match(line)
        if section == "headers":
            if line.startswith("}"):
                section = "other"
            elif pair and not pair[1].startswith(":") and not pair[2].startswith(("'", '"')):
                one.headers.setdefault(pair[1], pair[2].strip().rstrip(","))
            else:
                one.headers.update((name, value) for name, value in header_pairs(raw) if name not in one.headers)
            continue
        if index and run and pair and header_like(pair[1]) and not pair[2].lstrip().startswith(("{", "[", "'", '"')):
            one.headers.setdefault(pair[1], pair[2].strip())
            continue
        if index and run and not line and one.headers:
            section = "raw body"  # raw HTTP: the body follows a blank line
            continue
        run = run and (not index or bool(pair))
        _read_loose(one, raw, line, texts, index)
    if one.url.startswith("/"):
        host = next((value for name, value in one.headers.items() if name.lower() == "host"), None)
        one.url = (f"https://{host}" if host else base_url_for(one.url)) + one.url


def _labelled(one: _Request, label: re.Match, texts: list[str], index: int) -> str:
    """The section a label line opens, with what the label line itself holds."""
    response, headers, body, other, inline = label.groups()
    inline = (inline or "").strip()
    if response or other:
        return "response" if response else "other"
    if headers:
        one.whole = True  # a labelled header section shows them all
        one.headers.update((name, value) for name, value in header_pairs(inline) if name not in one.headers)
        return "headers" if not inline or inline.count("{") > inline.count("}") else "other"
    if inline:
        one.body = one.body if one.body is not None else written_value(inline, texts[index + 1 : index + BLOCK])
        return "other"
    return "body"


def _read_loose(one: _Request, raw: str, line: str, texts: list[str], index: int) -> None:
    """What a line outside any section shows: a method label, header pairs, a labelled body or a JSON body."""
    if one.method is None and (label := _METHOD_LABEL.search(line)):
        one.method = label[1].upper()
    if line.startswith(("{", "[")):
        if _header_object(line):
            one.headers.update((name, value) for name, value in header_pairs(raw) if name not in one.headers)
        elif index and one.body is None:  # a JSON body printed alone: only what decodes ("[bot] ..." does not)
            one.body = json_at(line, texts[index + 1 : index + BLOCK])
        return
    for name, value in header_pairs(raw):
        if header_like(name):
            one.headers.setdefault(name, value)
    body = _BODY_LABEL.search(raw)
    if one.body is None and body:
        one.body = written_value(raw[body.end() :].strip(), texts[index + 1 : index + BLOCK])


def _header_object(line: str) -> bool:
    """A JSON or literal object of headers (it names MEXC's or the common ones), not a body."""
    return any(header_like(name) and name.lower() in KNOWN_HEADERS for name, _ in header_pairs(line))


def _complete_cut(requests: list[_Request]) -> None:
    """A URL cut with ``...`` or ``…`` (a logger shortening a line) completed by a whole occurrence of it."""
    whole = [one.url for one in requests if not _CUT.search(one.url)]
    for one in requests:
        cut = _CUT.search(one.url)
        if cut is None:
            continue
        head, tail = one.url[: cut.start()], one.url[cut.end() :]
        match = next((url for url in whole if url.startswith(head) and url.endswith(tail) and url != one.url), None)
        if match is not None:
            one.url = match
    seen: dict[str, _Request] = {}
    for one in requests:
        kept = seen.setdefault(one.url, one)
        if kept is not one:  # the same request again: its method, headers and body fill the first's gaps
            kept.method = kept.method or one.method
            kept.headers = {**one.headers, **kept.headers}
            kept.body = kept.body if kept.body is not None else one.body
    requests[:] = seen.values()


def _answers(requests: list[_Request], lines: list[str]) -> None:
    """Each request's answer: the first the text shows after it and before the next request."""
    ends = [one.line for one in requests[1:]] + [len(lines)]
    for one, end in zip(requests, ends[: len(requests)], strict=True):
        if one.answer is None:
            one.answer = answer_in("\n".join(lines[one.line : min(end, one.line + 2 * BLOCK)]))


def _built(requests: list[_Request]) -> list[PastedRequest]:
    built = []
    for one in requests:
        given = one.whole or any(name.lower() in ("x-mexc-apikey", "apikey") for name in one.headers)
        try:
            request = pasted(one.method or "GET", one.url, one.headers if given else None, one.body, one.form)
        except UnusableInput:
            continue
        request = replace(request, answer_code=one.answer, language=one.language)
        built.append(request if one.method else intake.with_inferred_method(request))
    return built
