"""Pastes a web page or a chat damaged, and error messages pasted without their request.

:func:`repair_entities` mends a URL that an HTML page damaged (``&timestamp=`` shown as ``×tamp=``), and
:func:`error_code_only` reads the MEXC code from an error message pasted without its request.
"""

from __future__ import annotations

import html.entities
import re

from ...protocol.errors import CODES
from ..pasted import UnusableInput
from . import recognize

# --- URLs damaged by HTML -------------------------------------------------------------------

# The named character references a browser expands without a ';' (HTML's legacy set): "&times" in
# "&timestamp=" becomes "×tamp=". One name per character, the lowercase one ("copy", not "COPY").
_LEGACY = {}
for _name, _char in sorted(html.entities.html5.items(), key=lambda item: item[0].islower()):
    if not _name.endswith(";") and _char != "&":
        _LEGACY[_char] = _name
_NAME_REST = re.compile(r"[A-Za-z0-9_.\[\]-]*=")
_DAMAGE = re.compile(f"(&amp;|[{re.escape(''.join(_LEGACY))}])(?={_NAME_REST.pattern})")
_TOKEN_RUN = re.compile(r"[^ \t\r\n]+")


def _shown(char: str) -> str:
    return char if char.isprintable() and not char.isspace() else f"\\u{ord(char):04x}"


def repair_entities(text: str) -> tuple[str, tuple[str, ...]]:
    """``text`` with the parameter boundaries an HTML page damaged put back, and one note per repair.

    Two damages: a page's text rendered ``&times`` of ``&timestamp=`` as ``×`` (and ``&para``,
    ``&reg``, ``&copy``, ``&not``, ``&curren``, ``&quot``... likewise), or its source wrote ``&`` as
    ``&amp;``. A character is repaired only after a parameter's ``=`` and when what follows it is
    the rest of a parameter name and ``=``: a ``×`` inside a value stays.
    """
    if not _DAMAGE.search(text):
        return text, ()
    notes: list[str] = []

    def fix(match: re.Match) -> str:
        damaged, rest = match.group(1), _NAME_REST.match(match.string, match.end()).group(0)
        if damaged == "&amp;":
            notes.append(
                f"'&amp;{rest}' read as '&{rest}': the URL was copied from a page's HTML source, "
                "where '&' is written '&amp;'"
            )
            return "&"
        name = _LEGACY[damaged]
        notes.append(
            f"'{_shown(damaged)}{rest}' read as '&{name}{rest}': an HTML page rendered '&{name}' as '{_shown(damaged)}'"
        )
        return f"&{name}"

    def fix_token(match: re.Match) -> str:
        token = match.group(0)
        first = token.find("=")
        return token if first < 0 else token[: first + 1] + _DAMAGE.sub(fix, token[first + 1 :])

    return _TOKEN_RUN.sub(fix_token, text), tuple(notes)


# --- an error message without its request ---------------------------------------------------

_CODE = re.compile(r"""(?i)["']?\bcode\b["']?\s*[:=]\s*["']?(-?\d{1,7})\b""")
_ERROR_NUMBER = re.compile(r"(?i)\berror\W{0,3}(-?\d{3,7})\b")
_LOOKS_LIKE_ERROR = re.compile(r"(?i)error|exception|\bmsg\b|message|fail|invalid|denied|refused|mexc")
_CARRIES_REQUEST = re.compile(
    r"(?i)\bcurl\s|https?://[^\s\"'<>?]{1,2000}\?[^\s\"'<>=]{0,2000}=|\bsignature=[0-9a-f]{16}"
    r"|\bRequest-?Headers\b|\bRequest-Time\b"
)
_MESSAGES = sorted(  # MEXC's own messages, longest first (the local exchange's HTTP ones are not MEXC's)
    ((info.message, code) for code, info in CODES.items() if len(info.message) >= 15 and info.api != "local"),
    key=lambda pair: -len(pair[0]),
)
_STATUS_BEFORE = re.compile(r"(?i)(?:status|http)[ _-]?$")


def error_code_only(text: str) -> int | None:
    """The MEXC code of an error message pasted without its request, else None.

    Reads ccxt's ``mexc {"code":700002,"msg":...}`` (often after ``ccxt.base.errors.AuthenticationError: ``),
    pymexc's ``MexcAPIError: (code=700003): ...``, the futures envelope as a dict repr
    (``{'success': False, 'code': 602, ...}``), ``MEXC error 700002``, or MEXC's message alone. None
    when the text carries a request (a URL with a query, a curl command, one of this module's forms)
    or no error code.
    """
    if not isinstance(text, str) or not text.strip() or _CARRIES_REQUEST.search(text):
        return None
    try:
        if recognize(text) is not None:
            return None
    except UnusableInput:
        return None
    looks_like_error = bool(_LOOKS_LIKE_ERROR.search(text))
    for match in _CODE.finditer(text):
        code = int(match.group(1))
        if _STATUS_BEFORE.search(text, max(0, match.start() - 8), match.start()):  # "status code: 400" is HTTP's
            continue
        if code not in (0, 200) and (code in CODES or looks_like_error):
            return code
    for match in _ERROR_NUMBER.finditer(text):
        if int(match.group(1)) in CODES:
            return int(match.group(1))
    return next((code for message, code in _MESSAGES if message in text), None)
