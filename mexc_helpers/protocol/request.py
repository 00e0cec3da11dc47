"""How MEXC reads a received request: the one parsed view shared by the exchange's verifier and the doctor.

The local exchange builds a :class:`ReceivedRequest` from the bytes on the wire; the doctor builds
one from whatever a user pasted (a curl command, a URL, a HAR entry). Both then judge it with
:mod:`mexc_helpers.protocol.verify`, which reads only this view, so the doctor and the exchange
cannot disagree about what was sent: which API it is for, the decoded parameters, whether one is
repeated, where the signature sits, whether the body is JSON, and the time parameters.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from .encoding import EncodingError, canonical_query, parse_query
from .endpoints import api_of_path

SPOT_KEY_HEADER = "X-MEXC-APIKEY"
FUTURES_HEADERS = ("ApiKey", "Request-Time", "Signature")


def _text(raw: str | bytes, what: str) -> str:
    if isinstance(raw, str):
        return raw
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise EncodingError(f"the {what} holds bytes that are not UTF-8") from None


def parse_json(text: str) -> object:
    """``text`` decoded as JSON; ValueError if it is not JSON (or nested too deep to read)."""
    try:
        return json.loads(text)
    except RecursionError:
        raise ValueError("JSON nested too deep") from None


def json_object(text: str) -> dict | None:
    """``text`` decoded as a JSON object, or None (not JSON, or not an object)."""
    try:
        decoded = parse_json(text)
    except ValueError:
        return None
    return decoded if isinstance(decoded, dict) else None


def _first(pairs, name: str) -> str | None:
    return next((value for key, value in pairs if key == name), None)


@dataclass(frozen=True)
class ReceivedRequest:
    """One request as the exchange receives it: method, path, the raw query and body, the headers.

    ``query`` and ``body`` are what was sent, as text or raw bytes (bytes that are not UTF-8 make
    the decoded views raise :class:`EncodingError`: MEXC answers 700008). ``headers_given`` is False
    when the request came without its headers (a pasted URL or query string): rules about headers
    are then not judged, rather than judged missing.
    """

    method: str
    path: str | None
    query: str | bytes = ""
    body: str | bytes = ""
    headers: Mapping[str, str] = field(default_factory=dict)
    headers_given: bool = True

    def header(self, name: str) -> str | None:
        """A header's value without surrounding whitespace, whatever the case of its name (as HTTP reads it)."""
        wanted = name.lower()
        for key, value in self.headers.items():
            if key.lower() == wanted:
                return str(value).strip(" \t")
        return None

    @property
    def api(self) -> str:
        """``futures`` for /api/v1/ paths (or, without a path, the futures headers), else ``spot``."""
        by_path = api_of_path(self.path)
        if by_path is not None:
            return by_path
        return "futures" if any(self.header(name) for name in FUTURES_HEADERS) else "spot"

    @property
    def api_key(self) -> str | None:
        """The key from the header the API reads it from (X-MEXC-APIKEY for spot, ApiKey for futures)."""
        return self.header("ApiKey" if self.api == "futures" else SPOT_KEY_HEADER)

    # --- the body ---------------------------------------------------------------------------

    @cached_property
    def body_text(self) -> str:
        """The body as text (raises EncodingError for bytes that are not UTF-8)."""
        return _text(self.body, "body")

    @cached_property
    def body_is_json(self) -> bool:
        """A body starting with ``{`` or ``[``: JSON, which both APIs sign raw, as sent."""
        start = self.body.lstrip()[:1]
        return start in ("{", "[", b"{", b"[")

    @property
    def body_read(self) -> bool:
        """False for a spot GET: its parameters "must be sent as a query string", and a body sent with it is not
        read (docs/protocol.md#spot-signed-string)."""
        return bool(self.body) and not (self.api == "spot" and self.method == "GET")

    @cached_property
    def body_pairs(self) -> list[tuple[str, str]]:
        """A form body's decoded pairs in the order sent; empty for no body (or one not read) or a JSON body."""
        if not self.body_read or self.body_is_json:
            return []
        return parse_query(self.body_text)

    @cached_property
    def json_pairs(self) -> list[tuple[str, str]]:
        """A JSON object body's members as (name, value) text, strings as they are and other values as compact
        JSON; empty for no body (or one not read), a form body, or JSON that is not an object."""
        if not self.body_read or not self.body_is_json:
            return []
        members = json_object(self.body_text) or {}
        return [(name, value if isinstance(value, str) else _compact(value)) for name, value in members.items()]

    # --- the query --------------------------------------------------------------------------

    @cached_property
    def query_text(self) -> str:
        """The raw query as text (raises EncodingError for bytes that are not UTF-8)."""
        return _text(self.query, "query string")

    @cached_property
    def query_pairs(self) -> list[tuple[str, str]]:
        """The query's decoded (name, value) pairs in the order sent, signature included."""
        return parse_query(self.query_text)

    @property
    def duplicate(self) -> str | None:
        """The first parameter name sent more than once in one place (the query, or a form body), or None.

        A name sent once in the query and once in a spot form body is not a duplicate: MEXC's docs say
        the query's value is used (docs/protocol.md#duplicate-parameters).
        """
        for pairs in (self.query_pairs, self.body_pairs if self.api == "spot" else []):
            seen = set()
            for name, _ in pairs:
                if name in seen:
                    return name
                seen.add(name)
        return None

    @property
    def in_query_and_body(self) -> list[str]:
        """The spot parameter names sent both in the query and in the body (the query's value is used)."""
        if self.api != "spot":
            return []
        in_query = {name for name, _ in self.spot_pairs}
        return [name for name, _ in self.spot_body_pairs + self.json_pairs if name in in_query and name != "signature"]

    # --- spot -------------------------------------------------------------------------------

    @property
    def spot_pairs(self) -> list[tuple[str, str]]:
        """The query's pairs without the signature: the first part of the spot signed string."""
        return [(name, value) for name, value in self.query_pairs if name != "signature"]

    @property
    def spot_body_pairs(self) -> list[tuple[str, str]]:
        """The form body's pairs without a signature: the second part of the spot signed string."""
        return [(name, value) for name, value in self.body_pairs if name != "signature"]

    @property
    def params(self) -> dict[str, str]:
        """The business parameters: spot body (form or JSON) and query without the signature, the query's
        value winning for a name in both, as MEXC's docs say; futures query."""
        if self.api == "futures":
            return dict(self.query_pairs)
        body = [(name, value) for name, value in self.json_pairs if name != "signature"]
        return dict(body + self.spot_body_pairs + self.spot_pairs)

    @property
    def spot_signed_string(self) -> str:
        """What the spot server signs (totalParams): the query + the body, nothing between.

        Each part is rebuilt canonically from its decoded pairs, the signature left out wherever it was
        sent (docs/protocol.md#spot-signed-string). A JSON body is appended as sent, the kit's reading of
        "query string concatenated with the request body" (docs/protocol.md#spot-json-body).
        """
        body = self.body_text if self.body_read and self.body_is_json else canonical_query(self.spot_body_pairs)
        return canonical_query(self.spot_pairs) + body

    @property
    def signature_place(self) -> str | None:
        """Where the spot signature sits: ``query`` or ``form`` (a form body; both documented), ``json`` (a
        JSON body's field), or None (missing: 700004).

        A signature in the query and the body is read from the query, as for any parameter sent in both.
        """
        if _first(self.query_pairs, "signature") is not None:
            return "query"
        if _first(self.body_pairs, "signature") is not None:
            return "form"
        if any(name == "signature" for name, _ in self.json_pairs):
            return "json"
        return None

    @property
    def signature(self) -> str | None:
        """The signature as sent: spot from the query (else the body); futures from its header.

        It is read even from a query that does not decode (hex digits need no decoding), so a
        malformed request still shows its signature.
        """
        if self.api == "futures":
            return self.header("Signature")
        try:
            found = _first(self.query_pairs, "signature") or _first(self.body_pairs, "signature")
        except EncodingError:
            found = _first(_raw_pairs(self.query) + _raw_pairs(self.body), "signature")
        return found if found is not None else _first(self.json_pairs, "signature")

    # --- futures ----------------------------------------------------------------------------

    @property
    def futures_param_string(self) -> str:
        """What the futures server appends to key + Request-Time: the raw body for POST, else the
        query's pairs in dictionary order, canonically encoded (docs/protocol.md#futures-signed-string)."""
        if self.method == "POST":
            return self.body_text
        return canonical_query(sorted(self.query_pairs))

    # --- time -------------------------------------------------------------------------------

    @property
    def timestamp_text(self) -> str | None:
        """The timestamp as sent: spot's ``timestamp`` parameter, futures' ``Request-Time`` header."""
        if self.api == "futures":
            return self.header("Request-Time")
        return self.params.get("timestamp")

    @property
    def recv_window_text(self) -> str | None:
        """The window as sent: spot's ``recvWindow`` (ms), futures' ``Recv-Window`` header (seconds)."""
        if self.api == "futures":
            return self.header("Recv-Window")
        return self.params.get("recvWindow")


def _compact(value: object) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _raw_pairs(raw: str | bytes) -> list[tuple[str, str]]:
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    return [tuple(piece.partition("=")[::2]) for piece in text.split("&") if piece]
