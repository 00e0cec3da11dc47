"""Sending a signed request: with ``requests`` over a socket, or, where there is no socket (the browser's
Python), handed to an exchange running in this process.

:mod:`mexc_helpers.protocol` builds requests and judges them; it sends nothing. This module is the one
place a :class:`~mexc_helpers.protocol.signing.SignedRequest` leaves the process, and the one place an
exchange without a socket is found by its base URL (the local exchange registers itself here when it
runs in process).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

# Exchanges answering in this process, by base URL ("http://127.0.0.1:3"): a callable taking a
# SignedRequest and returning a response with requests.Response's status_code, headers, text and json().
_in_process: dict[str, Callable] = {}
_lock = threading.Lock()


def base_url_of(url: str) -> str:
    """``scheme://host:port`` of a URL: what an in-process exchange is registered under."""
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0].split('?', 1)[0]}"


def serve_in_process(base_url: str, answer: Callable) -> None:
    """Answer every request to ``base_url`` with ``answer(request)``, in this process, until :func:`stop_serving`."""
    with _lock:
        _in_process[base_url] = answer


def stop_serving(base_url: str) -> None:
    """Forget the in-process exchange at ``base_url`` (stopping twice is harmless)."""
    with _lock:
        _in_process.pop(base_url, None)


def serves_in_process(base_url: str) -> bool:
    with _lock:
        return base_url in _in_process


def send(request, session=None, timeout: float = 10.0):
    """Send a SignedRequest and return the response (a ``requests.Response``, or the in-process exchange's).

    The URL goes out byte for byte as signed: requests would otherwise re-quote it, and a changed byte
    is a 700002 (docs/protocol.md#canonical-encoding).
    """
    with _lock:
        answer = _in_process.get(base_url_of(request.url))
    if answer is not None:
        return answer(request)
    import requests  # imported when a request really leaves: the in-process path does without it

    session = session or requests.Session()
    prepared = requests.Request(request.method, request.url, headers=dict(request.headers), data=request.body)
    prepared = prepared.prepare()
    prepared.url = request.url
    return session.send(prepared, timeout=timeout)
