"""A request given as a URL, a query string, a dict of parameters, or a ``requests`` request."""

from __future__ import annotations

from ...protocol.encoding import encode_params
from ..intake import with_inferred_method
from ..pasted import PastedRequest, UnusableInput, pasted


def from_url(url: str, method: str, body: str, headers: dict, form: str) -> PastedRequest:
    """A request given as a full URL: curl and requests show their headers, a bare URL does not."""
    language = "Python" if form == "prepared" else None  # a requests request
    return pasted(method, url, headers if form in ("curl", "prepared") else None, body, form, language=language)


def read_dict(params: dict, body: str | None) -> PastedRequest:
    if not isinstance(params, dict) or not params:
        raise UnusableInput("expected a non-empty dict of the request's parameters, signature included")
    found = pasted("GET" if body is None else "POST", encode_params(params), None, body, "dict")
    return found if body is not None else with_inferred_method(found)


def read_prepared(request, body: str | None) -> PastedRequest:
    sent = request.body if body is None else body
    if isinstance(sent, bytes):
        try:
            sent = sent.decode("utf-8")
        except UnicodeDecodeError:
            raise UnusableInput("the request body is binary: expected text (a form or JSON body)") from None
    return from_url(request.url, request.method or "GET", sent or "", dict(request.headers), "prepared")
