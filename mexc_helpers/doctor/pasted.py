"""What a paste becomes once read: the request as the exchange would receive it, and where it came from.

Every input form (:mod:`.read`, :mod:`.forms`, :mod:`.ccxtlog`) builds its :class:`PastedRequest`
through :func:`pasted`, so redacted headers and missing headers mean the same in all of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..protocol.request import ReceivedRequest


class UnusableInput(ValueError):
    """The input is not a request the doctor can read; the message says what it expected."""


@dataclass(frozen=True)
class PastedRequest:
    """What the user pasted, read: the request as the exchange would receive it, where it was sent, in what form.

    ``form`` names the input form, one per reader of :mod:`.forms` (curl, url, query, dict, prepared, ccxt,
    http, har, fetch, powershell, httpie, config, the libraries' dumps such as axios or okhttp, and the
    tolerant reader's finds); ``language`` the language the paste shows, when it shows one. URL, query and
    dict forms carry no headers: their request has ``headers_given=False``, so header rules are not judged.
    ``answer_code`` is the code the exchange gave, when the paste shows it (a ccxt log with its response, a
    HAR entry); ``repairs`` says what the reader mended in the paste (each becomes a finding);
    ``method_note`` that the method was inferred, when the paste shows none.
    """

    request: ReceivedRequest
    base_url: str | None = None
    form: str = "query"
    answer_code: int | None = None
    repairs: tuple[str, ...] = ()
    method_note: str | None = None  # "method POST inferred from the endpoint and its parameters ..."
    language: str | None = None  # the language the paste shows (a Node.js log: JavaScript), for fixes in it


# A header value a user (or ccxt) blanked out before pasting: treated as not given, not as sent.
_REDACTED = re.compile(r"(?i)\s*(?:x{3,}|\*{3,}|<[^<>]*>|\.{3,}|…|redacted|hidden|your[_ -]?api[_ -]?key)\s*")


def is_redacted(value: str) -> bool:
    """True for a header value that was blanked out (``xxxx``, ``***``, ``<api key>``, ``...``)."""
    return bool(_REDACTED.fullmatch(value))


def pasted(
    method: str,
    url: str,
    headers: dict[str, str] | None,
    body: str | bytes | None,
    form: str,
    *,
    answer_code: int | None = None,
    repairs: tuple[str, ...] = (),
    language: str | None = None,
) -> PastedRequest:
    """The readers' one way to build a :class:`PastedRequest` from a method, a URL, headers and a body.

    ``url`` is a full http(s) URL, or what a paste shows of one: a path with its query (``/api/v3/order?...``)
    or a bare query string (``symbol=...&signature=...``), which leave the host, and for a query the
    path, unknown. ``headers=None`` means the form carries no headers (they are then not judged).
    Redacted header values (:func:`is_redacted`) are dropped; a dropped key header makes the headers count
    as not given, since the key's rules cannot be judged.
    """
    base_url, path, query = None, None, url
    if url.startswith("/"):
        path, _, query = url.partition("?")
    elif "://" in url.split("?", 1)[0] or not ("=" in url or url.startswith("?")):
        try:
            parts = urlsplit(url)
        except ValueError:  # "Invalid IPv6 URL" and the like
            raise UnusableInput(f"{url[:60]!r} is not a URL that parses: paste it whole, as sent") from None
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise UnusableInput(f"{url[:60]!r} is not an http(s) URL: expected https://api.mexc.com/api/v3/...")
        base_url, path, query = f"{parts.scheme}://{parts.netloc}", parts.path or "/", parts.query
    given = headers is not None
    kept = {}
    for name, value in (headers or {}).items():
        if is_redacted(str(value)):
            given = given and name.lower() not in ("x-mexc-apikey", "apikey")
        else:
            kept[name] = str(value)
    request = ReceivedRequest(method.upper(), path, query.lstrip("?"), body or "", kept, headers_given=given)
    return PastedRequest(request, base_url, form, answer_code, repairs, language=language)
