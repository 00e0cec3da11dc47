"""The intake policy: what counts as a signed request, which of several requests to judge, which method a
paste that shows none most likely used, and what is refused as no request at all (one line, saying what
was expected)."""

from __future__ import annotations

import re
from dataclasses import replace
from email.utils import parsedate_to_datetime

from ..protocol.encoding import EncodingError
from ..protocol.endpoints import POST_ONLY_PATHS, SAME_PARAMETERS, is_private
from ..protocol.request import ReceivedRequest, parse_json
from .pasted import PastedRequest, UnusableInput
from .search import read_signature


def refuse_non_requests(text: str) -> None:
    stripped = text.strip()
    if not stripped:
        raise UnusableInput("empty input: expected a curl command, a URL or a query string of a signed request")
    if "\x00" in stripped or any(ord(c) < 32 and c not in "\t\r\n" for c in stripped):
        raise UnusableInput("binary data: expected text (a curl command, a URL or a query string)")
    if stripped.startswith("<"):
        raise UnusableInput("this is an HTML page, not a request: paste the request itself (curl, URL or query)")
    if stripped.startswith("{"):
        try:
            decoded = parse_json(stripped)
        except ValueError:
            return
        if isinstance(decoded, dict) and "code" in decoded and ("msg" in decoded or "message" in decoded):
            raise UnusableInput(
                f"this is the exchange's answer (code {decoded['code']}), not the request: paste the request you sent, "
                "for example with 'Copy as cURL' in your browser's devtools"
            )


def infer_method(path: str | None, query: str) -> str:
    """The method a request to ``path`` (None: the paste shows no endpoint) with ``query`` most likely used.

    An order placement (side and type, to /api/v3/order or to an endpoint not shown) is POST, as are the
    endpoints that only place or cancel; a listenKey renewal is PUT; anything else GET.
    """
    names = {piece.partition("=")[0] for piece in query.split("&")}
    if path in POST_ONLY_PATHS or (path in ("/api/v3/order", None) and {"side", "type"} <= names):
        return "POST"
    if path == "/api/v3/userDataStream" and "listenKey" in names:
        return "PUT"
    return "GET"


def with_inferred_method(found: PastedRequest) -> PastedRequest:
    request = found.request
    method = infer_method(request.path, request.query_text if isinstance(request.query, str) else "")
    note = f"method {method} inferred from the endpoint and its parameters (the paste shows none)"
    other = SAME_PARAMETERS.get((request.path, method))
    if other:
        note += (
            f"; {other} takes the same parameters: if you sent {other}, paste the method too ('{other} https://...')"
        )
    return replace(found, request=replace(request, method=method), method_note=note)


def _complete(request: ReceivedRequest) -> bool:
    """A request that looks whole though unsigned: shown with all its headers, and carrying its time or
    going to a private API path. A bare URL, or headers cut short, without a signature is more likely
    a paste cut before the signature (which comes last) than a request sent unsigned."""
    private = is_private(request.path)
    try:
        timed = bool(request.timestamp_text)
    except EncodingError:
        timed = False
    return request.headers_given and (timed or private)


def is_signed(request: ReceivedRequest) -> bool:
    """A whole signature: 64 hex digits, or a 32-byte digest in base64 (a bug the doctor names)."""
    signature = request.signature
    return signature is not None and read_signature(signature) is not None


def refuse_cut_short(request: ReceivedRequest) -> None:
    """Refuse a request without a whole signature, saying whether it looks cut short ("..." at the end).

    A request with a whole signature was not cut, even if a value in it is "...".
    """
    if is_signed(request):
        return
    signature = request.signature
    if "…" in request.query or request.query.endswith("..."):
        raise UnusableInput("the request ends in '...': it was cut short; paste it whole")
    if signature is None and _complete(request):
        return  # sent unsigned, whole: the doctor says why MEXC answers 700004 (signature_missing)
    if signature is None:
        where = "a Signature header" if request.api == "futures" else "a signature parameter"
        raise UnusableInput(
            f"no signature found: expected a signed request with {where} (if it was cut short, "
            "paste it whole; the signature comes last)"
        )
    raise UnusableInput(
        f"the signature has {len(signature)} characters, not 64 hex digits: the request looks "
        "cut short or mangled; paste it whole"
    )


def refuse_unusable(found: PastedRequest) -> None:
    """:func:`refuse_cut_short`, its one line quoting what was read: the method and the whole URL, query
    included, so the user sees what the doctor found, not only what is missing."""
    try:
        refuse_cut_short(found.request)
    except UnusableInput as problem:
        request = found.request
        url = (found.base_url or "") + (request.path or "") + (f"?{request.query}" if request.query else "")
        shown = url if len(url) <= 300 else f"{url[:220]} [...] {url[-60:]}"
        shown = "".join(char if char.isprintable() else repr(char)[1:-1] for char in shown)  # one line, always
        raise UnusableInput(f"{problem} (found: {request.method} {shown})") from None


def chosen(found: list[PastedRequest]) -> PastedRequest:
    """The one request of several to judge: the first the exchange refused, else the first signed one, else the
    first (refused as input by :func:`refuse_cut_short`)."""
    signed = [one for one in found if is_signed(one.request)]
    return next((one for one in signed if one.answer_code), signed[0] if signed else found[0])


# The server's clock as a paste can show it: a /api/v3/time or futures ping answer, or an answer's Date header.
_SERVER_TIME = re.compile(
    r'"serverTime"\s*:\s*(\d{13})\b|"success"\s*:\s*true\s*,\s*"code"\s*:\s*0\s*,\s*"data"\s*:\s*(\d{13})\b'
)
_DATE = re.compile(
    r"(?im)^[^\n]{0,40}?\bdate\b['\"]?\s*[:=]\s*['\"]?((?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{1,2} \w{3} \d{4} "
    r"\d{2}:\d{2}:\d{2} GMT)"
)


def server_time_shown(text: str) -> tuple[int, int] | None:
    """The server time a paste shows, as (earliest, latest) ms: exact from a ``serverTime`` (or a futures ping's
    ``data``), the whole second of an answer's ``Date`` header (HTTP dates have no milliseconds); None when the
    paste shows neither. The last one shown wins: it is the nearest to a failing request at the end of a log."""
    found = None
    for match in _SERVER_TIME.finditer(text):
        exact = int(match.group(1) or match.group(2))
        found = (match.start(), (exact, exact))
    for match in _DATE.finditer(text):
        try:
            second = int(parsedate_to_datetime(match.group(1)).timestamp()) * 1000
        except (TypeError, ValueError, OverflowError):
            continue
        if found is None or match.start() > found[0]:
            found = (match.start(), (second, second + 999))
    return None if found is None else found[1]
