"""The local exchange without a socket: requests handed to the WSGI app directly, in the same process.

In the browser (JupyterLite, Pyodide) there are no sockets, so the labs' exchange cannot listen on
127.0.0.1. It registers itself instead as an in-process transport for its base URL
(:func:`mexc_helpers.transport.serve_in_process`): ``SignedRequest.send()`` and
``fetch_server_time()`` hand such requests to the app, which judges them exactly as over HTTP
(same verdicts, same server log).
"""

from __future__ import annotations

import json
import sys
from urllib.parse import urlsplit

from werkzeug.test import Client

from ..protocol.signing import SignedRequest


def sockets_missing() -> bool:
    """True where no server socket can exist: the browser's Python (Pyodide runs as emscripten)."""
    return sys.platform == "emscripten"


class InProcessResponse:
    """The parts of a ``requests.Response`` the kit and the notebooks read, from the app's own answer."""

    def __init__(self, status_code: int, headers: dict[str, str], content: bytes):
        self.status_code, self.headers, self.content = status_code, headers, content
        self.reason = ""

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")

    @property
    def ok(self) -> bool:
        return self.status_code < 400

    def json(self):
        return json.loads(self.content)


class InProcessTransport:
    """Answers a :class:`SignedRequest` with the WSGI app directly: the raw query and body as sent."""

    def __init__(self, app):
        self._client = Client(app)

    def __call__(self, request: SignedRequest) -> InProcessResponse:
        parts = urlsplit(request.url)
        body = request.body.encode() if isinstance(request.body, str) else (request.body or b"")
        answer = self._client.open(
            parts.path, method=request.method, query_string=parts.query, headers=dict(request.headers), data=body
        )
        return InProcessResponse(answer.status_code, dict(answer.headers), answer.get_data())
