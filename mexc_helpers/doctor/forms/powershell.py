"""Chrome's "Copy as PowerShell" (``Invoke-WebRequest -Uri "..." -Method "POST" -Headers @{...} -Body "..."``):
double-quoted strings with backtick escapes (`` `" ``, `` `$ ``, ``` `` ```), non-ASCII as ``$([char]233)``,
``-ContentType`` as its own parameter, and HTTP/2 pseudo-headers turned into ``"authority"``, ``"method"``,
``"path"``, ``"scheme"`` (dropped here). The reader rebuilds the bytes PowerShell sends.
"""

from __future__ import annotations

import re

from ..pasted import PastedRequest, UnusableInput, pasted
from .common import MAX_REQUESTS

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
