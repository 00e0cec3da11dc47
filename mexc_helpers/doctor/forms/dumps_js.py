"""Node.js' ``console.log(err)`` of an axios error, and of ``err.config`` or ``err.response``.

console.log prints objects with ``util.inspect``, which is not JSON: keys unquoted where they are
identifiers, strings in single quotes (double or backticks when they hold a quote), long strings split
into ``'...' +`` lines, class names before objects (``Object [AxiosHeaders] {``, ``<ref *1> ClientRequest {``,
``[Object: null prototype] {``), placeholders for what it does not print (``[Function: x]``, ``[Object]``,
``[Circular *1]``, ``... 3 more items``), all under a stack trace::

    AxiosError: Request failed with status code 400
        at settle (/app/node_modules/axios/dist/node/axios.cjs:2019:12) ... {
      code: 'ERR_BAD_REQUEST',
      config: { ..., headers: Object [AxiosHeaders] {...}, method: 'post', url: 'https://...', data: undefined },
      request: <ref *1> ClientRequest { ..., _header: 'POST /api/v3/order?... HTTP/1.1\\r\\n' + ..., host: ... },
      response: { status: 400, ..., data: { code: 700002, msg: 'Signature for this request is not valid.' } }
    }

The printed text is parsed (:func:`inspected`), never evaluated. The request line and headers come
from Node's ``_header`` (what went on the wire) when it is printed, else from the config as axios
builds the URL from it (:func:`.config.read_config`: ``baseURL``, ``params`` by axios' own encoding);
the body is ``config.data``, which axios has already serialized when the error is printed.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ...protocol.endpoints import base_url_for
from ..pasted import PastedRequest, UnusableInput, pasted
from .common import code_of
from .config import read_config
from .dumps_common import header, in_language

_MAX_DEPTH = 60
_MAX_INSPECTED = 400_000  # console.log of an axios error is some 50,000 characters; more is not one
_TOKEN = re.compile(
    r"""(?:(?P<str>'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`)"""
    r"|(?P<num>-?(?:\d[\d_]*(?:\.\d+)?(?:e[+-]?\d+)?n?|Infinity)|NaN)"
    r"|(?P<word>[A-Za-z_$][\w$.]*)"
    r"|(?P<tag>\[(?=[A-Za-z<])(?:[^\[\]\n]|\[[^\[\]\n]*\])*\])"
    r"|(?P<ref><ref \*\d+>)"
    r"|(?P<more>\.\.\. \d+ more (?:items?|properties|bytes|characters))"
    r"|(?P<punct>[{}\[\]:,+]))"
)
_SPACE = re.compile(r"\s+")
_ESCAPE = re.compile(r"\\(x[0-9a-fA-F]{2}|u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|.)", re.S)
_SIMPLE = {"n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}
_CONSTANTS = {"true": True, "false": False, "null": None, "undefined": None}


class _Parser:
    """A tolerant reader of util.inspect's text: what it cannot read it skips, always moving forward."""

    def __init__(self, text: str, start: int):
        self.tokens = []
        position = start
        while position < len(text):
            space = _SPACE.match(text, position)
            if space is not None:
                position = space.end()
                continue
            match = _TOKEN.match(text, position)
            if match is None or match.end() == position:
                position += 1  # a character util.inspect would not print here: skipped
                continue
            self.tokens.append((match.lastgroup, match[match.lastgroup]))
            position = match.end()
        self.index = 0

    def peek(self) -> tuple[str, str]:
        return self.tokens[self.index] if self.index < len(self.tokens) else ("end", "")

    def take(self) -> tuple[str, str]:
        token = self.peek()
        self.index += 1
        return token

    def value(self, depth: int = 0):
        """One value: prefixes (``<ref *1>``, ``ClientRequest``, ``Object [AxiosHeaders]``) then a container,
        or a scalar (strings joined across ``+``), or a placeholder (kept as its text)."""
        if depth > _MAX_DEPTH:
            raise UnusableInput("this console.log output is nested too deep to read: paste it as Node printed it")
        shown = None
        while True:
            kind, text = self.peek()
            if kind in ("ref", "word", "tag") and text not in _CONSTANTS:
                self.take()
                shown = text if shown is None else f"{shown} {text}"
                continue
            break
        kind, text = self.peek()
        if kind == "punct" and text == "{":
            self.take()
            return self.container("}", depth)
        if kind == "punct" and text == "[":
            self.take()
            return self.container("]", depth)
        if shown is not None:
            return shown
        if kind == "str":
            self.take()
            parts = [_unquoted(text)]
            while (
                self.peek() == ("punct", "+")
                and self.tokens[self.index + 1 : self.index + 2][:1]
                and (self.tokens[self.index + 1][0] == "str")
            ):
                self.index += 1
                parts.append(_unquoted(self.take()[1]))
            return "".join(parts)
        if kind == "num":
            self.take()
            return text  # as JavaScript printed it: String(n) is what axios sends
        if kind == "word":
            self.take()
            return _CONSTANTS[text]
        return None

    def container(self, closing: str, depth: int):
        """An object (``{ key: value, ... }``) or an array (``[ value, ... ]``) up to ``closing``."""
        items: dict | list = {} if closing == "}" else []
        while True:
            kind, text = self.peek()
            if kind == "end":
                return items
            if kind == "punct" and text in "}]":
                self.take()
                if text == closing:
                    return items
                continue
            if kind == "punct" and text == ",":
                self.take()
                continue
            if kind == "more":
                self.take()
                continue
            start = self.index
            if isinstance(items, dict):
                key_kind, key = self.take()
                if self.peek() != ("punct", ":"):
                    self._skip()
                    continue
                self.take()
                name = _unquoted(key) if key_kind == "str" else key
                items[name] = self.value(depth + 1)
            else:
                items.append(self.value(depth + 1))
            if self.index == start:
                self.take()

    def _skip(self) -> None:
        """Skip to the next ``,`` or closing bracket of this level (a key util.inspect printed oddly)."""
        nesting = 0
        while self.peek()[0] != "end":
            kind, text = self.peek()
            if kind == "punct" and text in "{[":
                nesting += 1
            elif kind == "punct" and text in "}]":
                if nesting == 0:
                    return
                nesting -= 1
            elif kind == "punct" and text == "," and nesting == 0:
                return
            self.take()


def _unquoted(token: str) -> str:
    def escape(match: re.Match) -> str:
        code = match[1]
        if code[0] == "x" and len(code) == 3:
            return chr(int(code[1:], 16))
        if code[0] == "u" and len(code) > 1:
            return chr(int(code[1:].strip("{}"), 16))
        return _SIMPLE.get(code, code)

    return _ESCAPE.sub(escape, token[1:-1])


def inspected(text: str, start: int):
    """The value util.inspect printed from ``start`` (an object, array or scalar), parsed without eval."""
    return _Parser(text, start).value()


# --- axios ---------------------------------------------------------------------------------------

_CLUES = ("AxiosError", "AxiosHeaders", "transformRequest", "xsrfHeaderName", "isAxiosError")
# Where the printed object opens: "{" closing the stack trace's last line, or a top-level object.
_OPENING = re.compile(r"(?m)(?:\{|\[Object: null prototype\] \{)[ \t]*$")


def read_axios(text: str) -> list[PastedRequest] | None:
    """The request in ``console.log(err)`` of an axios error (or of its ``config`` or ``response``)."""
    if not any(clue in text for clue in _CLUES) or "url:" not in text:
        return None
    opening = _OPENING.search(text)
    if opening is None:
        return None
    root = inspected(text[: opening.start() + _MAX_INSPECTED], opening.start())
    if not isinstance(root, dict):
        return None
    config = root.get("config") if isinstance(root.get("config"), dict) else root
    if not isinstance(config.get("url"), str):
        raise UnusableInput(
            "this axios error does not show its config's url: print err.config (console.log(err.config))"
        )
    response = root.get("response") if isinstance(root.get("response"), dict) else root
    status = response.get("status") if "status" in response else root.get("status")
    status = int(status) if isinstance(status, str) and status.isdigit() else None
    answer = _answer(response.get("data"), status) if "data" in response and response is not config else None
    request = root.get("request") if isinstance(root.get("request"), dict) else None
    if request is None and isinstance(root.get("response"), dict) and isinstance(root["response"].get("request"), dict):
        request = root["response"]["request"]
    found = _from_wire(request, config, answer) if request and isinstance(request.get("_header"), str) else None
    if found is None:  # the config alone: the URL as axios builds it (baseURL, params in its own encoding)
        found = replace(read_config(config)[0], form="axios", answer_code=answer)
    return [in_language(found, "JavaScript")]


def _from_wire(request: dict, config: dict, answer: int | None) -> PastedRequest | None:
    """The request as Node wrote it (``_header``: request line and headers), with axios' serialized data as body."""
    head = request["_header"].split("\r\n\r\n", 1)[0].split("\r\n")
    first = re.fullmatch(r"([A-Z]+) (\S+) HTTP/[\d.]+", head[0])
    if first is None:
        return None
    headers = {}
    for line in head[1:]:
        name, colon, value = line.partition(":")
        if colon:
            headers[name.strip()] = value.strip()
    target = first[2]
    if not re.match(r"(?i)https?://", target):
        host = header(headers, "Host") or request.get("host")
        scheme = str(request.get("protocol") or "https:").rstrip(":")
        target = (f"{scheme}://{host}" if isinstance(host, str) else base_url_for(target)) + target
    data = config.get("data")
    body = data if isinstance(data, str) else ""
    return pasted(first[1], target, headers, body, "axios", answer_code=answer)


def _answer(data, status: int | None) -> int | None:
    """MEXC's code in ``response.data``: an object axios parsed from JSON, or the text it could not parse."""
    if isinstance(data, dict):
        code = data.get("code")
        if isinstance(code, str) and re.fullmatch(r"-?\d{1,12}", code):
            success = ',"success":false' if data.get("success") is False else ""
            body = f'{{"code":{code}{success}}}'
            return code_of(body, status)
        return code_of("{}", status) if code is None else None
    return code_of(data, status) if isinstance(data, str) else None
