"""LocalExchange: the WSGI app on a real socket, in a background thread, for a notebook or a test.

    with LocalExchange() as ex:
        signed = sign_spot("GET", "/api/v3/account", {}, api_key=ex.api_key,
                           secret=ex.secret, base_url=ex.base_url)
        signed.send().json()
        print(ex.log.last)        # the server's view: what it rebuilt, expected and received

werkzeug serves it: it gives the app the raw query bytes (which verification needs), parses
requests robustly, and its threaded server can be started and shut down many times in one process.
"""

from __future__ import annotations

import io
import itertools
import json
import socket
import threading
import time
from http import HTTPStatus

from werkzeug.serving import WSGIRequestHandler, make_server

from ..protocol.clock import now_ms
from ..protocol.signing import DOCS_API_KEY, DOCS_SECRET_KEY
from ..transport import serve_in_process, stop_serving
from .app import CLIENT_TIMEOUT_S, REQUEST_DEADLINE_S, ExchangeApp
from .inprocess import InProcessTransport, sockets_missing

# In-process exchanges are named http://127.0.0.1:N with N from here: ports no socket server can hold.
_IN_PROCESS_PORTS = itertools.count(1)

MAX_REQUEST_LINE = 65536
_DRAIN_LIMIT = 4 * 1024 * 1024


class _DrainingReader:
    """Lets the request-line read swallow an over-long line whole (up to 4 MiB), so the client
    gets the JSON 414 instead of a connection reset while it is still sending."""

    def __init__(self, raw):
        self._raw = raw

    def readline(self, limit: int = -1) -> bytes:
        return self._raw.readline(_DRAIN_LIMIT if 0 <= limit <= MAX_REQUEST_LINE + 1 else limit)

    def __getattr__(self, name):
        return getattr(self._raw, name)


class _DeadlineSocketIO(io.RawIOBase):
    """The connection's reads, each bounded by what is left of the request's deadline.

    A socket timeout alone bounds one silence; a client trickling a byte every few seconds would
    hold its thread for ever. The deadline bounds the whole request: line, headers and body.
    """

    def __init__(self, connection: socket.socket):
        self._connection = connection
        self.deadline: float | None = None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.deadline is not None:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"the request took over {REQUEST_DEADLINE_S} s to arrive")
            self._connection.settimeout(min(CLIENT_TIMEOUT_S, left))
        return self._connection.recv_into(buffer)


class QuietJSONHandler(WSGIRequestHandler):
    """werkzeug's handler, minus the per-request log lines, with errors it raises itself as JSON, and
    with time limits: a client silent for CLIENT_TIMEOUT_S, or whose request takes longer than
    REQUEST_DEADLINE_S to arrive, is dropped; its thread goes back to serving others."""

    timeout = CLIENT_TIMEOUT_S  # socketserver applies it to the connection: every read and write

    def setup(self) -> None:
        super().setup()
        self._reads = _DeadlineSocketIO(self.connection)
        self.rfile = _DrainingReader(io.BufferedReader(self._reads))

    def handle_one_request(self) -> None:
        self._reads.deadline = time.monotonic() + REQUEST_DEADLINE_S
        try:
            super().handle_one_request()
        finally:
            self._reads.deadline = None

    def log(self, type: str, message: str, *args) -> None:
        """Silent: a notebook cell must not fill with access logs. The app keeps its own log."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """http.server's own refusals (a request line or headers it cannot parse) as JSON, never a 5xx."""
        if code >= 500:  # 505 for "HTTP/9.9", 501 for a method it cannot route: the client's request is at fault
            code, message = 400, f"Bad request: {message or HTTPStatus(code).phrase}"
        if self.request_version == "HTTP/0.9":  # set before the version was parsed: answer with a status line
            self.request_version = "HTTP/1.0"
        body = json.dumps({"code": code, "msg": message or HTTPStatus(code).phrase}).encode()
        self.send_response(code, message)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if getattr(self, "command", "") != "HEAD":
            self.wfile.write(body)
        self.close_connection = True


def _listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError as exc:
        sock.close()
        raise OSError(
            exc.errno, f"cannot listen on {host}:{port}: {exc.strerror} (try port=0 for a free port)"
        ) from None
    return sock


class LocalExchange:
    """MEXC's spot V3 and futures APIs on 127.0.0.1, verifying exactly as MEXC does.

    Defaults to the public key pair from MEXC's docs; ``add_key()`` registers more. ``clock`` is,
    as everywhere in the kit, a callable returning milliseconds.
    ``clock_offset_ms`` shifts the exchange's clock (settable while running) and ``clock``
    injects a clock (a callable returning ms) for deterministic notebooks.
    """

    def __init__(
        self,
        *,
        api_key: str = DOCS_API_KEY,
        secret: str = DOCS_SECRET_KEY,
        clock_offset_ms: int = 0,
        host: str = "127.0.0.1",
        port: int = 0,
        clock=now_ms,
        log_size: int = 200,
        in_process: bool | None = None,
        on_request=None,
    ):
        self.app = ExchangeApp(
            {api_key: secret}, clock=clock, clock_offset_ms=clock_offset_ms, log_size=log_size, on_request=on_request
        )
        self.api_key = api_key
        self.host = host
        self.port = port
        # No socket at all (the browser): requests go to the app in this process. Default: where sockets are missing.
        self.in_process = sockets_missing() if in_process is None else in_process
        self._server = None
        self._thread: threading.Thread | None = None

    @property
    def secret(self) -> str:
        """The default key's secret (the docs' public example unless you passed your own)."""
        return self.app.secret_for(self.api_key)

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("the local exchange is not running: call start() or use it in a with block")
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def running(self) -> bool:
        return self._server is not None

    @property
    def log(self):
        """The server's view of recent requests (bounded); see :class:`mexc_helpers.server.log.RequestLog`."""
        return self.app.log

    @property
    def clock_offset_ms(self) -> int:
        return self.app.clock_offset_ms

    @clock_offset_ms.setter
    def clock_offset_ms(self, value: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"clock_offset_ms must be an int of milliseconds, not {value!r}")
        self.app.clock_offset_ms = value

    def server_time(self) -> int:
        """What ``/api/v3/time`` answers now."""
        return self.app.server_time()

    def add_key(self, api_key: str, secret: str) -> None:
        """Register another key pair (a second account, or a student's)."""
        self.app.add_key(api_key, secret)

    def start(self) -> LocalExchange:
        """Listen and serve in a daemon thread (in process: register with the signer); returns self.

        Starting twice is harmless.
        """
        if self._server is not None:
            return self
        if self.in_process:
            self.port = next(_IN_PROCESS_PORTS)  # a name for this exchange, not a socket
            self._server = InProcessTransport(self.app)
            serve_in_process(f"http://{self.host}:{self.port}", self._server)
            return self
        sock = _listen(self.host, self.port)
        # werkzeug exits the process when it cannot bind, so bind here (with a clear error) and hand it the socket.
        try:
            server = make_server(
                self.host,
                sock.getsockname()[1],
                self.app,
                threaded=True,
                request_handler=QuietJSONHandler,
                fd=sock.fileno(),
            )
        finally:
            sock.close()
        self.port = server.port
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name=f"LocalExchange:{self.port}", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and free the port; stopping twice is harmless."""
        server, self._server = self._server, None
        if server is None:
            return
        if self.in_process:
            stop_serving(f"http://{self.host}:{self.port}")
            return
        server.shutdown()
        server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> LocalExchange:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def __repr__(self) -> str:
        where = self.base_url if self.running else "stopped"
        return f"<LocalExchange {where} api_key={self.api_key!r} secret='***' clock_offset_ms={self.clock_offset_ms}>"
