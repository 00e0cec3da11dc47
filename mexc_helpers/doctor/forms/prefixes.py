"""What logs, terminals and editors put around a request, and how they spell its parts.

A pasted log carries a prefix on every line: a timestamp and level (``2026-12-02 13:00:01,123 INFO``,
``[13:00:01]``, ISO), ``docker compose``'s service (``bot-1  | ``), Android logcat's
(``12-02 13:00:01.123  1234  5678 D OkHttp  : ``), Spring Boot's (``... INFO 1 --- [main] c.e.Bot : ``).
A terminal breaks a long line where its window ends, so a URL arrives in pieces; an annotated JSON
config holds ``//`` and ``/* */`` comments. :func:`clean_lines` and :func:`uncommented` undo these so
the readers see what was printed; :func:`language_of` says which language the surroundings show (a
Spring Boot or logcat log: Java), so a fix can name the call in it. :func:`answer_in` reads the
exchange's answer printed after a request; :func:`header_pairs` and :func:`written_value` read headers
and a body in the notations logs and object literals use. Every pattern here is anchored or bounded,
so a 1 MB paste costs about one pass.
"""

from __future__ import annotations

import ast
import json
import re

from ...protocol.envelope import read_answer

_LEVEL = r"(?:TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|CRITICAL|FATAL|SEVERE)\b"
_DATE = r"\d{4}-\d\d-\d\d"
_TIME = r"\d\d:\d\d:\d\d(?:[.,]\d{1,9})?"
_ZONE = r"(?:Z|[+-]\d\d:?\d\d)?"

# Each pattern is tried at a line's start, in this order, until none matches (docker's prefix, then the
# app's own), with the language the prefix shows, if any.
_PREFIXES = [
    (re.compile(r"[A-Za-z0-9][\w.-]{0,63} {1,64}\| ?"), None),  # docker compose: "bot-1  | "
    (re.compile(r"\d{1,4}\|[\w.-]{1,64} {0,64}\| ?"), None),  # pm2: "0|bot  | "
    (  # Spring Boot 2 and 3: "2026-12-02T13:00:01.123Z  INFO 1 --- [main] c.e.Bot : "
        re.compile(
            rf"{_DATE}[T ]{_TIME}{_ZONE} {{1,8}}{_LEVEL} {{1,8}}\d{{1,10}} {{1,4}}--- {{1,4}}"
            r"(?:\[[^\]\n]{0,80}\] {0,8}){1,2}[\w$.\[\]/-]{1,200} {0,200}: "
        ),
        "Java",
    ),
    (  # logcat's threadtime: "12-02 13:00:01.123  1234  5678 D OkHttp  : "
        re.compile(r"\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} {1,8}\d{1,10} {1,8}\d{1,10} [VDIWEFA] [^\n:]{0,100}: "),
        "Java",
    ),
    (  # Android Studio's logcat: "2026-12-02 13:00:01.123  1234-5678  OkHttp  com.example.bot  D  "
        re.compile(
            rf"{_DATE} {_TIME} {{1,8}}\d{{1,10}}-\d{{1,10}} {{1,8}}\S{{1,100}} {{1,8}}\S{{1,200}}"
            r" {1,8}[VDIWEFA] {1,8}"
        ),
        "Java",
    ),
    (re.compile(r"[VDIWEFA]/[^\n(]{1,100}\( {0,8}\d{1,10}\): "), "Java"),  # logcat's brief: "D/OkHttp( 1234): "
    (  # syslog and journald: "Dec 02 13:00:01 host bot[1234]: "
        re.compile(rf"[A-Z][a-z]{{2}} [ \d]\d {_TIME} [\w.-]{{1,64}} [\w./@-]{{1,64}}(?:\[\d{{1,10}}\])?: "),
        None,
    ),
    (re.compile(rf"\[?(?:{_DATE}[T ])?{_TIME}{_ZONE}\]?(?: {{0,8}}[-|:])?(?: {{1,8}}|$)"), None),  # a timestamp
    (re.compile(rf"\[?{_LEVEL}\]?(?::[\w.]{{1,64}}:| {{0,8}}[-|:]? {{0,8}})"), None),  # a level (Python's INFO:root:)
    (re.compile(r"\[[\w .:/@-]{1,64}\] {1,8}"), None),  # a tag: "[bot] ", "[main] "
]

_URL_START = re.compile(r"https?://")
_TOKEN = re.compile(r"[^\s\"'<>`]+")
_HEADER_LINE = re.compile(r"[A-Za-z][\w-]{0,63}:[ \t]")
_WHOLE_SIGNATURE = re.compile(r"signature=[0-9a-fA-F]{64}$")
_PART_SIGNATURE = re.compile(r"signature=[0-9a-fA-F]{0,63}$")
MIN_WRAP = 40  # no terminal is narrower: a shorter line ending in a URL is not a wrapped one


# One alternation, tried in the list's order: one regex call per prefix taken off.
_PREFIX = re.compile("|".join(f"(?P<p{index}>{pattern.pattern})" for index, (pattern, _) in enumerate(_PREFIXES)))
_SHOWS = {f"p{index}": shows for index, (_, shows) in enumerate(_PREFIXES)}


def strip_prefix(line: str) -> tuple[str, bool, str | None]:
    """``line`` without its log prefixes, whether it had one, and the language a prefix shows."""
    position, language = 0, None
    if not line[:1].isalnum() and line[:1] != "[":  # no prefix starts otherwise: most lines cost one test
        return line, False, None
    for _ in range(5):  # docker's prefix, a timestamp, the app's timestamp, a level
        found = _PREFIX.match(line, position)
        if found is None or found.end() == position:
            break
        position, language = found.end(), language or _SHOWS[found.lastgroup]
    return line[position:], position > 0, language


def clean_lines(text: str) -> tuple[list[str], str | None]:
    """The lines of ``text`` without their log prefixes, a URL a terminal wrapped put back on one line, and
    the language the prefixes show (None when they show none).

    A terminal wraps at its width, so a wrapped line is at least :data:`MIN_WRAP` characters long, ends in
    a URL still open (no whole signature yet), and the row after it has no log prefix of its own and goes on
    with more of the URL: a parameter (``=``, ``&``, ``%``) or the rest of a signature's hex digits.
    """
    lines: list[str] = []
    prefixed_lines: list[int] = []
    language, previous_width = None, 0
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line, prefixed, shows = strip_prefix(raw)
        language = language or shows
        if lines and not prefixed and previous_width >= MIN_WRAP and _continues(lines[-1], line):
            lines[-1] += line
        else:
            prefixed_lines += [len(lines)] if prefixed else []
            lines.append(line)
        previous_width = len(raw)
    _strip_logger_name(lines, prefixed_lines)
    return lines, language


_LOGGER = re.compile(r"[\w.$-]{1,100}(?::| -) ")  # Python logging's "%(name)s: " or "%(name)s - "
_LEVEL_AFTER = re.compile(rf"{_LEVEL}(?: -)? ")


def _strip_logger_name(lines: list[str], prefixed: list[int]) -> None:
    """Take off a logger's name that leads most prefixed lines (``bot.exchange: ``), and the level after it
    (``bot - INFO - ``). Only a name most lines share: a ``body: `` on one line is the log's own text."""
    names: dict[str, int] = {}
    for number in prefixed:
        if found := _LOGGER.match(lines[number]):
            names[found.group()] = names.get(found.group(), 0) + 1
    name, count = max(names.items(), key=lambda item: item[1], default=("", 0))
    if count < 2 or count * 2 < len(prefixed):
        return
    for number in prefixed:
        if lines[number].startswith(name):
            rest = lines[number][len(name) :]
            level = _LEVEL_AFTER.match(rest)
            lines[number] = rest[level.end() :] if level else rest


def _open_url(line: str) -> str | None:
    """The URL that runs to the end of ``line``, if one does."""
    cut = max(line.rfind(char) for char in " \t\"'<>`")
    start = _URL_START.search(line, cut + 1)
    return line[start.start() :] if start else None


def _continues(line: str, row: str) -> bool:
    url = _open_url(line)
    if not url or _WHOLE_SIGNATURE.search(url) or _HEADER_LINE.match(row) or row.startswith(("http://", "https://")):
        return False
    token = _TOKEN.match(row)
    if token is None:
        return False
    piece = token.group()
    return any(char in piece for char in "=&%?") or bool(
        _PART_SIGNATURE.search(url) and re.match(r"[0-9a-fA-F]+$", piece)
    )


# --- JSON with comments -------------------------------------------------------------------------

# Strings (kept whole, even unterminated: up to the line's end) and what to take off outside them: comments,
# then a comma before a closing bracket (JSONC allows it, JSON does not). Every alternative consumes, so one
# pass reads any input.
_STRING = r"\"(?:[^\"\\\n]|\\.)*\"?|'(?:[^'\\\n]|\\.)*'?"
_COMMENTS = re.compile(rf"{_STRING}|(//[^\n]*|/\*(?:[^*]|\*(?!/))*(?:\*/)?)", re.S)
_TRAILING_COMMAS = re.compile(rf"{_STRING}|(,)(?=\s*[}}\]])", re.S)


def uncommented(text: str) -> str:
    """A JSON text without its ``//`` and ``/* */`` comments and trailing commas (JSONC, as editors and JS
    write it), so the request config readers can read a config someone annotated; any other text unchanged."""
    if text[:1] not in ("{", "[") or ("//" not in text and "/*" not in text):
        return text
    try:
        json.loads(text)
        return text  # already JSON: "//" only inside its strings
    except (ValueError, RecursionError):
        pass

    def outside_strings(match: re.Match) -> str:
        return "" if match.group(1) else match.group(0)

    mended = _TRAILING_COMMAS.sub(outside_strings, _COMMENTS.sub(outside_strings, text))
    try:  # comments taken off, it must be JSON: a log line starting "[13:00:01] https://..." holds no comment
        json.loads(mended)
    except (ValueError, RecursionError):
        return text
    return mended


# --- what the surroundings tell ------------------------------------------------------------------

# Traces only one language's programs print: its HTTP library's User-Agent or name, its stack traces.
# Plain substrings, so a megabyte costs a few milliseconds.
_HINTS = {
    "Python": (
        "Traceback (most recent call last)",
        "python-requests/",
        "urllib3",
        "aiohttp",
        "INFO:root:",
        '.py", line ',
    ),
    "JavaScript": ("axios/", "node-fetch", "(node:internal", "undici", ".js:", ".mjs:", ".cjs:"),
    "Go": ("Go-http-client/", "goroutine ", "=map[", " map["),
    "Java": ("okhttp/", "java.net.", "java.io.", "java.lang.", 'Exception in thread "', ".java:", ".kt:"),
    "PHP": ("GuzzleHttp/", "PHP Warning", "PHP Fatal error", "PHP Notice", ".php on line "),
    "C#": ("System.Net.Http", "Unhandled exception. System.", ".cs:line "),
}


def language_of(text: str, shown: str | None = None) -> str | None:
    """The one language ``text`` shows (``shown``: the one its log prefixes show), None when none or several."""
    found = {shown} if shown else set()
    found |= {language for language, hints in _HINTS.items() if any(hint in text for hint in hints)}
    return found.pop() if len(found) == 1 else None


# The start of the exchange's JSON answer: spot {"code": N, "msg": ...}, futures {"success": ..., "code": N}.
ANSWER = re.compile(r"\{\s{0,40}\"(?:code|success|msg|message)\"\s{0,8}:")
_STATUS = re.compile(
    r"HTTP/\d(?:\.\d)?[ \t]+(\d{3})\b|(?i:status(?:[ _-]?code)?)\W{0,3}(\d{3})\b"
    r"|(?m:^[ \t]*(\d{3})(?:[ \t]+[A-Z][A-Za-z ]{1,40})?[ \t]*$)|\b(\d{3}) (?:Client|Server) Error\b|<-- (\d{3})\b"
)


def answer_in(text: str) -> int | None:
    """The MEXC code of the first answer ``text`` shows (with the HTTP status before it, if shown), or None."""
    found = ANSWER.search(text)
    if found is None:
        return None
    status = _STATUS.search(text, 0, found.start())
    code = next((int(group) for group in status.groups() if group), None) if status else None
    return read_answer(code, text[found.start() : found.start() + 100_000]).code


# --- how a log spells headers and a body ----------------------------------------------------------

_CURL_HEADER = re.compile(r"(?:-H|--header)[ \t]{1,8}(['\"])([A-Za-z][\w-]{0,63})[ \t]*:[ \t]*([^'\"\n]*)\1")
_QUOTED_PAIR = re.compile(
    r"(['\"])([A-Za-z][\w-]{0,63})\1[ \t]{0,8}[:=][ \t]{0,8}(?:(['\"])([^'\"\n]*)\3|(\d{1,20})\b)"
)  # 'Name': 'value', "Name": "value", 'Request-Time': 1700000000000
_BARE_PAIR = re.compile(
    r"(?<![\w'\"-])([A-Za-z][\w-]{0,63})[ \t]{0,8}:[ \t]{0,8}(['\"])([^'\"\n]*)\2"
)  # JS: ApiKey: '...'
_GO_PAIR = re.compile(r"(?<![\w-])([A-Za-z][\w-]{0,63}):\[([^\]\n]*)\]")  # Go's http.Header: map[Name:[value]]
_EQUALS_PAIR = re.compile(
    r"(?<![\w-])([A-Za-z][\w-]{0,63})=\[?([^\s,;&'\"\[\]{}]+)\]?"
)  # Name=value, Java's {Name=[value]}
KNOWN_HEADERS = {"x-mexc-apikey", "apikey", "request-time", "signature", "recv-window", "content-type", "user-agent"}
_WORDS = {"ApiKey", "Signature", "Accept", "Host", "Origin", "Referer", "Cookie", "Authorization", "Connection"}
_EMPTY = {"", "None", "null", "undefined", "''", '""', "b''", "{}", "<none>", "(empty)"}


def header_like(name: str) -> bool:
    """A name a header has: MEXC's and the common ones, ``X-...``, hyphenated words (``Content-Length``);
    not a parameter (``symbol``, ``timestamp``) or a logger's name, which loose notations also show."""
    return (
        name.lower() in KNOWN_HEADERS
        or name in _WORDS
        or name.lower().startswith("x-")
        or bool(re.fullmatch(r"[A-Za-z][a-z0-9]*(?:-[A-Za-z][a-z0-9]*)+", name))
    )


def header_pairs(text: str) -> list[tuple[str, str]]:
    """Every ``(name, value)`` in ``text`` in the notations logs and object literals write: curl's ``-H``,
    quoted keys, a JS object's bare keys, Go's ``map[Name:[value]]``, ``Name=value``."""
    found = [(m[2], m[3]) for m in _CURL_HEADER.finditer(text)]
    found += [(m[2], m[4] if m[4] is not None else m[5]) for m in _QUOTED_PAIR.finditer(text)]
    found += [(m[1], m[3]) for m in _BARE_PAIR.finditer(text)]
    found += [(m[1], m[2]) for m in _GO_PAIR.finditer(text)]
    found += [(m[1], m[2]) for m in _EQUALS_PAIR.finditer(text)]
    return found


def written_value(text: str, following: list[str]) -> str:
    """A body as a log writes it after its label: JSON (the exact text, across the ``following`` lines if it
    goes on), a quoted string (Python's ``b'...'`` too), a form (up to a space); ``None``, ``undefined``,
    ``null`` for no body."""
    if text in _EMPTY or text.rstrip(",;") in _EMPTY:
        return ""
    if text[:1] in ("{", "["):
        found = json_at(text, following)
        return text.rstrip(",;") if found is None else found
    quoted = re.match(r"b?(['\"])(?:[^\\\n]|\\.)*?\1", text)
    if quoted:
        try:
            value = ast.literal_eval(quoted.group())
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            return quoted.group()[1:-1]
        return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    return text.split()[0].rstrip(",;") if text.split() else ""


def json_at(text: str, following: list[str]) -> str | None:
    """The exact JSON text ``text`` starts with (going on over the ``following`` lines), or None."""
    joined = "\n".join([text, *following])
    try:
        return joined[: json.JSONDecoder().raw_decode(joined)[1]]
    except (ValueError, RecursionError):
        return None
