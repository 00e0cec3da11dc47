"""Read a request in whatever form a user has it: a curl command (as "Copy as cURL" in Chrome,
Firefox or Postman writes it), a full URL, a bare query string, a dict of parameters, or a
``requests`` request, plus an optional body.

Input that is not a request (an HTML page, the exchange's JSON error answer, binary data, a URL cut
short) raises :class:`UnusableInput` with one line that says what was expected.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import replace

from ..protocol.encoding import EncodingError, encode_params
from ..protocol.errors import CODES
from ..protocol.request import ReceivedRequest, parse_json
from . import ccxtlog, forms
from .pasted import PastedRequest, UnusableInput, _pasted, pasted

# Spot paths that need no signature: a request to them is never "unsigned".
PUBLIC_PATHS = frozenset(
    ("/api/v3/ping", "/api/v3/time", "/api/v3/exchangeInfo", "/api/v3/depth", "/api/v3/trades", "/api/v3/ticker/price")
)

# The forms that may hold several requests, tried in this order before the single-request forms.
RECOGNIZERS = (ccxtlog.recognize, forms.recognize)

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
_HEX64 = re.compile(r"[0-9a-fA-F]{64}")


def _refuse_non_requests(text: str) -> None:
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


def _from_url(url: str, method: str, body: str, headers: dict, form: str) -> PastedRequest:
    """A request given as a full URL: curl and requests show their headers, a bare URL does not."""
    return pasted(method, url, headers if form in ("curl", "prepared") else None, body, form)


def _parse_curl(text: str, body: str | None) -> PastedRequest:
    text = re.sub(r"\\\r?\n", " ", text)  # bash line continuations
    try:
        tokens = shlex.split(text)
    except ValueError as error:
        raise UnusableInput(f"the curl command does not parse ({error}): paste it whole, quotes included") from None
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
    sent_body = body if body is not None else "&".join(data)
    if data_type and not any(name.lower() == "content-type" for name in headers):
        headers["Content-Type"] = data_type  # what curl itself sends with -d (or --json) and no -H for it
    return _from_url(url, method or ("POST" if sent_body else "GET"), sent_body, headers, "curl")


def _recognized(text: str) -> list[PastedRequest] | None:
    """The requests of the first multi-request form that reads ``text`` (a ccxt log, a HAR...), or None."""
    for recognize in RECOGNIZERS:
        found = recognize(text)
        if found is not None:
            return found
    return None


def _parse_text(text: str, body: str | None) -> PastedRequest:
    # Only a bare URL or query string comes off a web page; bodies, logs and commands are left as sent.
    bare = len(text.split()) == 1 and not text.lstrip().startswith(("{", "["))
    repaired, repairs = forms.repair_entities(text) if bare else (text, ())
    parsed = _parse_repaired(repaired, body)
    return replace(parsed, repairs=(*parsed.repairs, *repairs)) if repairs else parsed


def _parse_repaired(text: str, body: str | None) -> PastedRequest:
    stripped = text.strip()
    found = _recognized(stripped) if body is None else None
    if found:  # the first the exchange refused, else the first signed one, else the first (refused below)
        signed = [one for one in found if _is_signed(one.request)]
        return next((one for one in signed if one.answer_code), signed[0] if signed else found[0])
    code = forms.error_code_only(stripped)
    if code is not None:
        meaning = f": {CODES[code].meaning}" if code in CODES else ""
        raise UnusableInput(
            f"this is the exchange's answer (code {code}), not the request{meaning} Paste the request itself: a ccxt "
            "verbose log, curl, raw HTTP, a HAR, Copy as fetch or a URL"
        )
    _refuse_non_requests(text)
    if stripped.startswith("curl ") or stripped.startswith("curl\t"):
        return _parse_curl(stripped, body)
    if stripped.startswith("{"):
        try:
            return _parse_dict(parse_json(stripped), body)
        except ValueError:
            raise UnusableInput("this JSON does not parse: expected a curl command, a URL or a query string") from None
    method = None
    match = re.match(r"(GET|POST|PUT|DELETE)\s+(\S+)$", stripped)
    if match:
        method, stripped = match.groups()
    if re.match(r"[A-Za-z][A-Za-z0-9+.-]*://", stripped):
        one = _from_url(stripped, method or ("GET" if body is None else "POST"), body or "", {}, "url")
    elif stripped.startswith("/"):
        path, _, query = stripped.partition("?")
        one = _pasted(method or "GET", query, body or "", {}, path, None, "url")
    elif "=" not in stripped or " " in stripped:
        raise UnusableInput(
            f"cannot read {stripped[:40]!r}: expected a curl command, a URL, "
            "or a query string like symbol=...&signature=..."
        )
    else:
        one = _pasted(method or "GET", stripped.lstrip("?"), body or "", {}, None, None, "query")
    return one if method or body is not None else _with_inferred_method(one)


# Endpoints whose method a bare URL leaves out but its path and parameters tell.
_POST_PATHS = frozenset(
    (
        "/api/v3/order/test",
        "/api/v3/batchOrders",
        "/api/v3/capital/withdraw",
        "/api/v1/private/order/submit",
        "/api/v1/private/order/submit_batch",
        "/api/v1/private/order/cancel",
    )
)


# Where another method takes the same parameters, so the inference may be wrong: the note says which.
_SAME_PARAMETERS = {
    ("/api/v3/order", "GET"): "DELETE",  # query an order, or cancel it
    ("/api/v3/openOrders", "GET"): "DELETE",
    ("/api/v3/userDataStream", "PUT"): "DELETE",  # keep a listenKey alive, or close it
}


def infer_method(path: str | None, query: str) -> str:
    """The method a request to ``path`` (None: the paste shows no endpoint) with ``query`` most likely used.

    An order placement (side and type, to /api/v3/order or to an endpoint not shown) is POST, as are the
    endpoints that only place or cancel; a listenKey renewal is PUT; anything else GET.
    """
    names = {piece.partition("=")[0] for piece in query.split("&")}
    if path in _POST_PATHS or (path in ("/api/v3/order", None) and {"side", "type"} <= names):
        return "POST"
    if path == "/api/v3/userDataStream" and "listenKey" in names:
        return "PUT"
    return "GET"


def _with_inferred_method(found: PastedRequest) -> PastedRequest:
    request = found.request
    method = infer_method(request.path, request.query_text if isinstance(request.query, str) else "")
    note = f"method {method} inferred from the endpoint and its parameters (the paste shows none)"
    other = _SAME_PARAMETERS.get((request.path, method))
    if other:
        note += (
            f"; {other} takes the same parameters: if you sent {other}, paste the method too ('{other} https://...')"
        )
    return replace(found, request=replace(request, method=method), method_note=note)


def _parse_dict(params: dict, body: str | None) -> PastedRequest:
    if not isinstance(params, dict) or not params:
        raise UnusableInput("expected a non-empty dict of the request's parameters, signature included")
    found = _pasted("GET" if body is None else "POST", encode_params(params), body or "", {}, None, None, "dict")
    return found if body is not None else _with_inferred_method(found)


def _parse_prepared(request, body: str | None) -> PastedRequest:
    sent = request.body if body is None else body
    if isinstance(sent, bytes):
        try:
            sent = sent.decode("utf-8")
        except UnicodeDecodeError:
            raise UnusableInput("the request body is binary: expected text (a form or JSON body)") from None
    return _from_url(request.url, request.method or "GET", sent or "", dict(request.headers), "prepared")


def read_requests(text: str | bytes) -> list[PastedRequest]:
    """Every request in ``text``: a bot's log or a HAR holds many; any single form gives a list of one.

    A request that cannot be diagnosed (no signature, cut short) is left out when others can;
    UnusableInput when none can.
    """
    if isinstance(text, bytes):
        text = _decoded(text)
    found = _recognized(text.strip()) if isinstance(text, str) else None
    if not found:
        return [read_request(text)]
    usable = []
    for one in found:
        try:
            _refuse_cut_short(one.request)
        except UnusableInput:
            continue
        usable.append(one)
    if not usable:
        _refuse_cut_short(found[0].request)
    return usable


def _decoded(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise UnusableInput("binary data: expected text (a curl command, a URL or a query string)") from None


def read_request(request, body: str | None = None) -> PastedRequest:
    """Read ``request`` (curl, URL, query string, dict, or requests request) into a :class:`PastedRequest`."""
    if isinstance(request, bytes):
        request = _decoded(request)
    if isinstance(request, str):
        parsed = _parse_text(request, body)
    elif isinstance(request, dict):
        parsed = _parse_dict(request, body)
    elif hasattr(request, "path_url"):  # a requests.PreparedRequest, as sent
        parsed = _parse_prepared(request, body)
    elif hasattr(request, "prepare"):  # a requests.Request, not yet prepared
        parsed = _parse_prepared(request.prepare(), body)
    else:
        raise UnusableInput(
            f"cannot read a {type(request).__name__}: expected a curl command, URL, query string or dict"
        )
    _refuse_cut_short(parsed.request)
    return parsed


def _complete(request: ReceivedRequest) -> bool:
    """A request that looks whole though unsigned: shown with all its headers, and carrying its time or
    going to a private API path. A bare URL, or headers cut short, without a signature is more likely
    a paste cut before the signature (which comes last) than a request sent unsigned."""
    path = request.path or ""
    private = path.startswith("/api/v1/private/") or (path.startswith("/api/v3/") and path not in PUBLIC_PATHS)
    try:
        timed = bool(request.timestamp_text)
    except EncodingError:
        timed = False
    return request.headers_given and (timed or private)


def _is_signed(request: ReceivedRequest) -> bool:
    signature = request.signature
    return signature is not None and bool(_HEX64.fullmatch(signature))


def _refuse_cut_short(request: ReceivedRequest) -> None:
    """Refuse a request without a whole signature, saying whether it looks cut short ("..." at the end).

    A request with a whole signature was not cut, even if a value in it is "...".
    """
    if _is_signed(request):
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
