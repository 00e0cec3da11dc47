"""Read a request in whatever form a user has it, into the one request model the exchange's rules judge.

A ccxt log, a HAR file, raw HTTP, "Copy as fetch", PowerShell or httpie (:mod:`.forms`); a curl command
(bash or cmd quoting), a full URL, a bare query string, a dict of parameters, or a ``requests`` request;
and, when none of these reads it, a request found anywhere in a text: a bot's log, a library's debug
output or error dump (:mod:`.forms.tolerant`). :mod:`.intake` decides what counts as signed and which of
several requests is judged.

Input that is not a request (an HTML page, the exchange's JSON error answer, binary data, a URL cut
short) raises :class:`UnusableInput` with one line that says what was expected.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..protocol.errors import CODES
from ..protocol.request import parse_json
from . import intake
from .forms import recognize
from .forms.curl import read_curl
from .forms.prefixes import uncommented
from .forms.repair import error_code_only, repair_entities
from .forms.tolerant import read_anywhere
from .forms.url import from_url, read_dict, read_prepared
from .pasted import PastedRequest, UnusableInput, pasted


def read_request(request, body: str | None = None) -> PastedRequest:
    """Read ``request`` (any text form, a dict, or a ``requests`` request) into a :class:`PastedRequest`."""
    if isinstance(request, bytes):
        request = _decoded(request)
    if isinstance(request, str):
        parsed = _read_text(request, body)
    elif isinstance(request, dict):
        parsed = read_dict(request, body)
    elif hasattr(request, "path_url"):  # a requests.PreparedRequest, as sent
        parsed = read_prepared(request, body)
    elif hasattr(request, "prepare"):  # a requests.Request, not yet prepared
        parsed = read_prepared(request.prepare(), body)
    else:
        raise UnusableInput(
            f"cannot read a {type(request).__name__}: expected a curl command, URL, query string or dict"
        )
    intake.refuse_unusable(parsed)
    return parsed


def read_requests(text: str | bytes) -> list[PastedRequest]:
    """Every request in ``text``: a bot's log or a HAR holds many; any single form gives a list of one.

    A request that cannot be diagnosed (no signature, cut short) is left out when others can;
    UnusableInput when none can.
    """
    if isinstance(text, bytes):
        text = _decoded(text)
    stripped = uncommented(text.strip())  # a JSON config someone annotated with // comments
    found = recognize(stripped) or (None if _single_form(stripped) else read_anywhere(stripped))
    if not found:
        return [read_request(text)]
    usable = []
    for one in found:
        try:
            intake.refuse_cut_short(one.request)
        except UnusableInput:
            continue
        usable.append(one)
    if not usable:
        intake.refuse_unusable(found[0])
    return usable


def _decoded(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise UnusableInput("binary data: expected text (a curl command, a URL or a query string)") from None


def _single_form(text: str) -> bool:
    """A curl command, a bare URL or query string: read by their own readers, not searched for requests."""
    return text.startswith(("curl ", "curl\t")) or len(text.split()) == 1


def _read_text(text: str, body: str | None) -> PastedRequest:
    # Only a bare URL or query string comes off a web page; bodies, logs and commands are left as sent.
    bare = len(text.split()) == 1 and not text.lstrip().startswith(("{", "["))
    repaired, repairs = repair_entities(text) if bare else (text, ())
    parsed = _read_repaired(repaired, body)
    return replace(parsed, repairs=(*parsed.repairs, *repairs)) if repairs else parsed


def _read_repaired(text: str, body: str | None) -> PastedRequest:
    stripped = uncommented(text.strip())
    found = recognize(stripped) if body is None else None
    if found:
        return intake.chosen(found)
    code = error_code_only(stripped)
    if code is not None:
        meaning = f": {CODES[code].meaning}" if code in CODES else ""
        raise UnusableInput(
            f"this is the exchange's answer (code {code}), not the request{meaning} Paste the request itself: a ccxt "
            "verbose log, curl, raw HTTP, a HAR, Copy as fetch or a URL"
        )
    intake.refuse_non_requests(text)
    if stripped.startswith("curl ") or stripped.startswith("curl\t"):
        return read_curl(stripped, body)
    if stripped.startswith("{"):
        try:
            return read_dict(parse_json(stripped), body)
        except ValueError:
            raise UnusableInput("this JSON does not parse: expected a curl command, a URL or a query string") from None
    method = None
    match = re.match(r"(GET|POST|PUT|DELETE)\s+(\S+)$", stripped)
    if match:
        method, stripped = match.groups()
    if re.match(r"[A-Za-z][A-Za-z0-9+.-]*://", stripped):
        one = from_url(stripped, method or ("GET" if body is None else "POST"), body or "", {}, "url")
    elif stripped.startswith("/"):
        one = pasted(method or "GET", stripped, None, body, "url")
    elif body is None and (found := read_anywhere(stripped)):
        return intake.chosen(found)
    elif "=" not in stripped or " " in stripped:
        raise UnusableInput(
            f"cannot read {stripped[:40]!r}: expected a curl command, a URL, "
            "or a query string like symbol=...&signature=..."
        )
    else:
        one = pasted(method or "GET", stripped.lstrip("?"), None, body, "query")
    return one if method or body is not None else intake.with_inferred_method(one)
