"""A curl command, as "Copy as cURL" in Chrome, Firefox or Postman writes it: bash quoting (``'...'``, and
``$'...'`` for a value with a quote or a control character), or Windows cmd quoting ("Copy as cURL (cmd)":
``^"`` around every argument, ``^`` before ``&``, ``%``, ``{``..., `` ^`` at a line's end).

A body given with ``-d`` (and its kin) makes curl send ``Content-Type: application/x-www-form-urlencoded``
unless a ``-H`` sets one, and ``--json`` ``application/json``: the reader adds what curl adds. What follows
the command (the exchange's answer, printed by curl) gives ``answer_code``.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..pasted import PastedRequest, UnusableInput
from .prefixes import answer_in
from .url import from_url

# curl options that take an argument (so the argument is not mistaken for the URL).
_DATA = {"-d", "--data", "--data-raw", "--data-binary", "--data-ascii", "--data-urlencode", "--json"}
# The Content-Type curl adds for a body given without a -H for it (curl's manual, -d and --json).
_CURL_DATA_TYPE = {"--json": "application/json"}
_WITH_ARGUMENT = _DATA | {
    "-X",
    "--request",
    "-H",
    "--header",
    "--url",
    "-u",
    "--user",
    "-A",
    "--user-agent",
    "-e",
    "--referer",
    "-b",
    "--cookie",
    "-c",
    "--cookie-jar",
    "-o",
    "--output",
    "-m",
    "--max-time",
    "--connect-timeout",
    "-x",
    "--proxy",
    "--retry",
    "-w",
    "--write-out",
    "--cacert",
    "--cert",
    "--key",
    "-T",
    "--upload-file",
}


def read_curl(text: str, body: str | None) -> PastedRequest:
    command, rest = _command(text)
    tokens = _cmd_split(command) if _CMD.search(command) else _bash_split(command)
    method, url, headers, data, data_type = None, None, {}, [], None
    index = 1
    while index < len(tokens):
        token = tokens[index]
        argument = tokens[index + 1] if index + 1 < len(tokens) else None
        if token in _WITH_ARGUMENT:
            if argument is None:
                raise UnusableInput(f"the curl option {token} has no value: the command looks cut short")
            if token in ("-X", "--request"):
                method = argument.upper()
            elif token in ("-H", "--header"):
                name, _, value = argument.partition(":")
                headers[name.strip()] = value.strip()
            elif token in _DATA:
                data.append(argument)
                data_type = _CURL_DATA_TYPE.get(token, "application/x-www-form-urlencoded")
            elif token == "--url":
                url = argument
            index += 2
            continue
        if not token.startswith("-"):
            url = url or token
        index += 1
    if url is None:
        raise UnusableInput("the curl command has no URL: expected curl 'https://api.mexc.com/...' ...")
    url = re.sub(r"\\([\[\]{}])", r"\1", url)  # curl's glob escapes, as Chrome writes [ ] { }
    sent_body = body if body is not None else "&".join(data)
    if data_type and not any(name.lower() == "content-type" for name in headers):
        headers["Content-Type"] = data_type  # what curl itself sends with -d (or --json) and no -H for it
    found = from_url(url, method or ("POST" if sent_body else "GET"), sent_body, headers, "curl")
    return replace(found, answer_code=answer_in(rest), language="Shell")


# --- where the command ends --------------------------------------------------------------------

# A command line, piece by piece (quoted strings, an unterminated one running to the end; escapes, a line
# continuation among them; plain runs; a line break before another option, as when a paste lost its
# continuations), matched in one pass: it ends at the first other line break.
_BASH_COMMAND = re.compile(
    r"(?:\$'(?:[^'\\]|\\.)*'?|'[^']*'?|\"(?:[^\"\\]|\\.)*\"?|\\\r?\n|\\.|[^'\"\\\n$]+|\$|\n(?=[ \t]*--?[A-Za-z]))*",
    re.S,
)
_CMD_COMMAND = re.compile(r"(?:\^(?:\r?\n\r?\n|\r?\n|.)|\"[^\"]*\"?|[^\"^\n]+|\n(?=[ \t]*--?[A-Za-z]))*", re.S)
# cmd's quoting: Chrome's "curl ^"...", or a caret continuing a line (bash never writes either).
_CMD = re.compile(r"\Acurl(?:\.exe)?[ \t]+\^\"|[ \t]\^\r?\n")


def _command(text: str) -> tuple[str, str]:
    """The command, and what follows it (curl's output: the exchange's answer)."""
    end = (_CMD_COMMAND if _CMD.search(text) else _BASH_COMMAND).match(text).end()
    return text[:end], text[end:]


# --- bash quoting -------------------------------------------------------------------------------

_BASH_WORD = re.compile(
    r"\$'((?:[^'\\]|\\.)*)'|'([^']*)'|\"((?:[^\"\\]|\\.)*)\"|\\\r?\n|\\(.)|([ \t\r\n]+)|([^'\"\\ \t\r\n$]+|\$)|(.)",
    re.S,
)
_ANSI_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)", re.S)
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "a": "\a", "b": "\b", "f": "\f", "v": "\v", "e": "\x1b"}


def _bash_split(command: str) -> list[str]:
    """The words bash makes of ``command``: ``'...'`` as is, ``"..."`` with its escapes, ``$'...'`` (which
    Chrome writes for a value with a quote, a ``!`` or a control character) with C escapes, ``\\`` and a
    line break a continuation. One pass, so a long paste costs what it is long."""
    words, current, started = [], [], False
    for piece in _BASH_WORD.finditer(command):
        ansi, single, double, escaped, space, plain, unmatched = piece.groups()
        if unmatched is not None:
            raise UnusableInput(
                "the curl command does not parse (No closing quotation): paste it whole, quotes included"
            )
        if space is not None:
            if started:
                words.append("".join(current))
            current, started = [], False
            continue
        if ansi is not None:
            current.append(_ANSI_ESCAPE.sub(_unescaped, ansi))
        elif double is not None:
            current.append(re.sub(r"\\([\\\"$`])|\\\r?\n", lambda m: m.group(1) or "", double))
        elif piece.group().startswith("\\") and escaped is None:
            continue  # a line continuation: no word starts
        else:
            current.append(next(part for part in (single, escaped, plain) if part is not None))
        started = True
    return [*words, "".join(current)] if started else words


def _unescaped(escape: re.Match) -> str:
    code = escape.group(1)
    if code[0] in "ux" and len(code) > 1:
        return chr(int(code[1:], 16))
    if code[0] in "01234567":
        return chr(int(code, 8))
    return _ESCAPES.get(code, code)


# --- Windows cmd quoting ----------------------------------------------------------------------


def _cmd_split(command: str) -> list[str]:
    """The arguments a program gets from a cmd.exe command line: first cmd removes its carets (``^x`` is
    ``x``; ``^`` at a line's end continues it, ``^`` and two line ends are one line end), then the C runtime
    splits on spaces outside double quotes, where ``\\"`` is a quote and ``\\\\`` before a quote a backslash."""

    def uncareted(piece: re.Match) -> str:
        if piece.group(1) is None:
            return piece.group()  # inside cmd's own quotes a caret is a caret
        return "\n" if piece.group(1).count("\n") == 2 else "" if "\n" in piece.group(1) else piece.group(1)

    line = re.sub(r"\^(\r?\n\r?\n|\r?\n|.)|\"[^\"]*\"?", uncareted, command, flags=re.S)
    arguments, current, quoted, started = [], [], False, False
    for piece in re.finditer(r'\\+"?|"|[ \t\r\n]+|[^\\" \t\r\n]+', line):
        text = piece.group()
        if text[0] == "\\" and text.endswith('"'):
            slashes = len(text) - 1
            current.append("\\" * (slashes // 2))
            if slashes % 2:
                current.append('"')
            else:
                quoted = not quoted
        elif text == '"':
            quoted = not quoted
        elif text.isspace() and not quoted:
            if started:
                arguments.append("".join(current))
            current, started = [], False
            continue
        else:
            current.append(text)
        started = True
    if quoted:
        raise UnusableInput("the curl command does not parse (a quote never ends): paste it whole, quotes included")
    return [*arguments, "".join(current)] if started else arguments
