"""What the readers of libraries' debug output share: log prefixes, the answer a paste shows, a language.

A library prints one message per line (or per record), and the logging around it puts a prefix on
each: ``D/OkHttp: ``, ``INFO: ``, ``2024-05-01 12:00:00.123 DEBUG ``. A prefix is learnt from the line
that carries a reader's marker and stripped from the lines after it with its digits and spaces
generalized (the timestamp changes from line to line), so the message's own text is read unchanged.
"""

from __future__ import annotations

import re
from dataclasses import replace
from urllib.parse import urlsplit

from ...protocol.endpoints import api_of_path
from ...protocol.envelope import read_answer
from ..pasted import PastedRequest, UnusableInput

MAX_DUMP_CHARS = 5_000_000  # longer pastes are left to the other readers
METHODS = "GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS"
_PREFIX_LIMIT = 200
# java.util.logging's first line of a record: "Dec 02, 2026 1:48:57 PM okhttp3.internal.platform.Platform log"
_JUL_HEADER = re.compile(r"\d:\d\d:\d\d\D[^:]*?\s(?:[\w$]+\.){2,}[\w$]+ [\w$<>]+\s*")
# MEXC's answer as printed after a request: spot {"code": N, "msg": ...}, futures {"success": false, "code": N}.
_ANSWER = re.compile(r"""\{\s*["'](?:code|success)["']\s*:""")


def prefix_pattern(prefix: str) -> re.Pattern | None:
    """A pattern for a log prefix, digits and spaces generalized (``12:00:01.5 D/OkHttp: `` fits each line)."""
    if not prefix or len(prefix) > _PREFIX_LIMIT:
        return None
    parts = [part for part in re.split(r"(\d+|\s+)", prefix) if part]
    pattern = "".join(r"\d+" if p.isdigit() else r"\s+" if p.isspace() else re.escape(p) for p in parts)
    return re.compile(pattern[:-3] + r"\s*" if pattern.endswith(r"\s+") else pattern)  # a paste trims line ends


def unprefixed(lines: list[str], pattern: re.Pattern | None) -> list[str]:
    """``lines`` with the log prefix taken off where it shows; java.util.logging's record headers dropped."""
    out = []
    for line in lines:
        found = pattern.match(line) if pattern is not None else None
        if found:
            out.append(line[found.end() :])
        elif len(line) < 300 and _JUL_HEADER.search(line) and ": " not in line:
            continue
        else:
            out.append(line)
    return out


def answer_in(text: str, status: int | None) -> int | None:
    """The MEXC code of the first answer printed in ``text`` (the program's own print of the body), else
    what the HTTP status alone says (None for a refusal: only the body tells which)."""
    for line in text.split("\n"):
        line = line.strip()
        start = line.find("{")
        if 0 <= start <= 40 and _ANSWER.match(line, start):
            code = read_answer(
                status, line[start:].replace("'", '"').replace("False", "false").replace("True", "true")
            ).code
            if code is not None:
                return code
    return 0 if status is not None and 200 <= status < 300 else None


def in_language(found: PastedRequest, language: str | None) -> PastedRequest:
    """``found`` with the language its paste shows (fixes then name that language's calls)."""
    return replace(found, language=language) if language else found


def header(headers: dict[str, str] | None, name: str) -> str | None:
    """A header's value whatever the case of its name."""
    wanted = name.lower()
    return next((value for key, value in (headers or {}).items() if key.lower() == wanted), None)


def refuse_unseen_body(length: str | None, what: str, how: str) -> None:
    """Refuse a request whose body was sent but not printed: judging it with no body would blame the wrong bytes."""
    if length is not None and length.strip().isdigit() and int(length) > 0:
        raise UnusableInput(f"{what} does not show the {int(length)}-byte body that was sent: {how}")


def refuse_url_without_parameters(url: str, what: str, how: str) -> None:
    """An error message that shows a spot URL without its query: the parameters went in a body it does not
    show, so there is nothing signed to judge; say what to paste instead."""
    parts = urlsplit(url)
    if not parts.query and api_of_path(parts.path) == "spot":
        raise UnusableInput(f"{what} shows a URL without its parameters: {how}")


def first_usable(found: list, refusals: list[UnusableInput]) -> list[PastedRequest]:
    """The requests read; when none could be, the first reason why (one request that cannot be judged among
    several does not hide the others)."""
    if found:
        return found
    raise refusals[0]
