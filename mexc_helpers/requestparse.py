"""Read a request in whatever form a user has it: a curl command (as "Copy as cURL" in Chrome,
Firefox or Postman writes it), a full URL, a bare query string, a dict of parameters, or a
``requests`` request, plus an optional body.

Input that is not a request (an HTML page, the exchange's JSON error answer, binary data, a URL cut
short) raises :class:`UnusableInput` with one line that says what was expected.
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .encoding import EncodingError, parse_query

# curl options that take an argument (so the argument is not mistaken for the URL).
_DATA = {"-d", "--data", "--data-raw", "--data-binary", "--data-ascii", "--data-urlencode", "--json"}
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


class UnusableInput(ValueError):
    """The input is not a request the doctor can read; the message says what it expected."""


@dataclass
class ParsedRequest:
    """One request as it went on the wire: method, path, the raw query and body, the headers."""

    method: str
    query: str
    body: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    path: str | None = None
    base_url: str | None = None
    form: str = "query"  # curl, url, query, dict or prepared

    def header(self, name: str) -> str | None:
        """A header's value, whatever its case."""
        for key, value in self.headers.items():
            if key.lower() == name.lower():
                return value
        return None

    @property
    def api(self) -> str:
        """``futures`` for the contract API (ApiKey/Request-Time/Signature headers or /api/v1/ paths), else ``spot``."""
        if self.header("Request-Time") or self.header("ApiKey") or (self.path or "").startswith("/api/v1/"):
            return "futures"
        return "spot"

    @property
    def api_key(self) -> str | None:
        return self.header("ApiKey") if self.api == "futures" else self.header("X-MEXC-APIKEY")

    def query_pairs(self) -> list[tuple[str, str]]:
        """The query's decoded (name, value) pairs in the order sent, signature included."""
        return parse_query(self.query)

    def body_pairs(self) -> list[tuple[str, str]]:
        """A form body's decoded pairs; empty for no body or a JSON body."""
        if not self.body or self.body_is_json:
            return []
        return parse_query(self.body)

    @property
    def body_is_json(self) -> bool:
        return self.body.lstrip()[:1] in ("{", "[")

    @property
    def signature(self) -> str | None:
        """The signature as sent: spot from the query (or, wrongly, the body); futures from its header."""
        if self.api == "futures":
            return self.header("Signature")
        body = "" if self.body_is_json else self.body
        for piece in f"{self.query}&{body}".split("&"):
            name, _, value = piece.partition("=")
            if name == "signature":
                return value  # hex digits need no decoding; a malformed query must not hide it
        if self.body_is_json:
            try:
                decoded = json.loads(self.body)
            except ValueError:
                return None
            if isinstance(decoded, dict) and isinstance(decoded.get("signature"), str):
                return decoded["signature"]
        return None


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
            decoded = json.loads(stripped)
        except ValueError:
            return
        if isinstance(decoded, dict) and "code" in decoded and ("msg" in decoded or "message" in decoded):
            raise UnusableInput(
                f"this is the exchange's answer (code {decoded['code']}), not the request: paste the request you sent, "
                "for example with 'Copy as cURL' in your browser's devtools"
            )


def _from_url(url: str, method: str, body: str, headers: dict, form: str) -> ParsedRequest:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UnusableInput(f"{url[:60]!r} is not an http(s) URL: expected https://api.mexc.com/api/v3/...")
    return ParsedRequest(
        method, parts.query, body, headers, parts.path or "/", f"{parts.scheme}://{parts.netloc}", form
    )


def _parse_curl(text: str, body: str | None) -> ParsedRequest:
    text = re.sub(r"\\\r?\n", " ", text)  # bash line continuations
    try:
        tokens = shlex.split(text)
    except ValueError as error:
        raise UnusableInput(f"the curl command does not parse ({error}): paste it whole, quotes included") from None
    method, url, headers, data = None, None, {}, []
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
    return _from_url(url, method or ("POST" if sent_body else "GET"), sent_body, headers, "curl")


def _parse_text(text: str, body: str | None) -> ParsedRequest:
    _refuse_non_requests(text)
    stripped = text.strip()
    if stripped.startswith("curl ") or stripped.startswith("curl\t"):
        return _parse_curl(stripped, body)
    if stripped.startswith("{"):
        try:
            return _parse_dict(json.loads(stripped), body)
        except ValueError:
            raise UnusableInput("this JSON does not parse: expected a curl command, a URL or a query string") from None
    method = "GET"
    match = re.match(r"(GET|POST|PUT|DELETE)\s+(\S+)$", stripped)
    if match:
        method, stripped = match.groups()
    if re.match(r"[A-Za-z][A-Za-z0-9+.-]*://", stripped):
        return _from_url(stripped, method if body is None else "POST", body or "", {}, "url")
    if stripped.startswith("/"):
        path, _, query = stripped.partition("?")
        return ParsedRequest(method, query, body or "", {}, path, None, "url")
    if "=" not in stripped or " " in stripped:
        raise UnusableInput(
            f"cannot read {stripped[:40]!r}: expected a curl command, a URL, "
            "or a query string like symbol=...&signature=..."
        )
    return ParsedRequest(method, stripped.lstrip("?"), body or "", {}, None, None, "query")


def _parse_dict(params: dict, body: str | None) -> ParsedRequest:
    from .encoding import encode_params

    if not isinstance(params, dict) or not params:
        raise UnusableInput("expected a non-empty dict of the request's parameters, signature included")
    return ParsedRequest("GET", encode_params(params), body or "", {}, None, None, "dict")


def _parse_prepared(request, body: str | None) -> ParsedRequest:
    sent = request.body if body is None else body
    if isinstance(sent, bytes):
        try:
            sent = sent.decode("utf-8")
        except UnicodeDecodeError:
            raise UnusableInput("the request body is binary: expected text (a form or JSON body)") from None
    return _from_url(request.url, request.method or "GET", sent or "", dict(request.headers), "prepared")


def parse_request(request, body: str | None = None) -> ParsedRequest:
    """Read ``request`` (curl, URL, query string, dict, or requests request) into a :class:`ParsedRequest`."""
    if isinstance(request, bytes):
        try:
            request = request.decode("utf-8")
        except UnicodeDecodeError:
            raise UnusableInput("binary data: expected text (a curl command, a URL or a query string)") from None
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
    try:
        parsed.query_pairs()
        parsed.body_pairs()
    except EncodingError:
        pass  # malformed escapes are a finding for the doctor, not unusable input
    _refuse_cut_short(parsed)
    return parsed


def _refuse_cut_short(parsed: ParsedRequest) -> None:
    if "…" in parsed.query or parsed.query.endswith("..."):
        raise UnusableInput("the request ends in '...': it was cut short; paste it whole")
    signature = parsed.signature
    if signature is None:
        where = "a Signature header" if parsed.api == "futures" else "a signature parameter"
        raise UnusableInput(
            f"no signature found: expected a signed request with {where} (if it was cut short, "
            "paste it whole; the signature comes last)"
        )
    if not _HEX64.fullmatch(signature):
        raise UnusableInput(
            f"the signature has {len(signature)} characters, not 64 hex digits: the request looks "
            "cut short or mangled; paste it whole"
        )
