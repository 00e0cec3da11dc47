"""Connection hygiene: a client that stalls (in its headers or its body) is timed out, sizes are bounded,
and everyone else keeps being served, on the embedded server and on the class server (waitress)."""

from __future__ import annotations

import socket
import threading
import time

import pytest

from mexc_helpers.protocol.signing import sign_spot
from mexc_helpers.server import exchange as embedded
from mexc_helpers.server.classroom import issue_keys, serve_class
from tests.conftest import DOCS_KEY, DOCS_SECRET


@pytest.fixture
def quick_timeouts(monkeypatch):
    """Time limits of half a second and a second and a half, so the tests wait little."""
    monkeypatch.setattr(embedded, "CLIENT_TIMEOUT_S", 0.5)
    monkeypatch.setattr(embedded, "REQUEST_DEADLINE_S", 1.5)
    monkeypatch.setattr(embedded.QuietJSONHandler, "timeout", 0.5)


def good_request_works(base_url: str, api_key=DOCS_KEY, secret=DOCS_SECRET) -> float:
    """Seconds a signed GET /api/v3/account takes; asserts it is accepted."""
    started = time.monotonic()
    response = sign_spot("GET", "/api/v3/account", {}, api_key=api_key, secret=secret, base_url=base_url).send()
    assert response.status_code == 200, response.text
    return time.monotonic() - started


def connect(base_url: str) -> socket.socket:
    host, port = base_url.removeprefix("http://").rsplit(":", 1)
    return socket.create_connection((host, int(port)), timeout=10)


def read_all(sock: socket.socket) -> bytes:
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def test_a_body_that_never_comes_gets_408_and_others_are_served(quick_timeouts):
    with embedded.LocalExchange() as exchange:
        stalled = connect(exchange.base_url)
        stalled.sendall(b"POST /api/v3/order/test HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n")
        assert good_request_works(exchange.base_url) < 0.5  # served while the stalled client waits
        started = time.monotonic()
        answer = read_all(stalled)
        assert time.monotonic() - started < 3
        assert answer.startswith(b"HTTP/1.1 408") and answer.endswith(b'{"code":408,"msg":"Request Timeout"}')
        assert exchange.log.last.code == 408


@pytest.mark.parametrize("pause", [0.3, 0.0])
def test_headers_that_trickle_or_never_end_are_dropped(quick_timeouts, pause):
    """A byte every 0.3 s never trips the 0.5 s silence limit; the 1.5 s deadline drops it all the same."""
    with embedded.LocalExchange() as exchange:
        slow = connect(exchange.base_url)
        slow.sendall(b"GET /api/v3/time HTTP/1.1\r\n")
        started, dropped = time.monotonic(), False
        while time.monotonic() - started < 5:
            try:
                slow.sendall(b"X")
                time.sleep(pause or 0.05)
                if pause == 0.0:  # the silent variant: send nothing more, wait to be dropped
                    slow.settimeout(5)
                    dropped = slow.recv(1) == b""
                    break
            except OSError:
                dropped = True
                break
        assert dropped and time.monotonic() - started < 3
        assert good_request_works(exchange.base_url) < 0.5


def test_header_sizes_are_bounded(quick_timeouts):
    with embedded.LocalExchange() as exchange:
        many = connect(exchange.base_url)
        many.sendall(b"GET /api/v3/time HTTP/1.1\r\n" + b"".join(b"X-%d: 1\r\n" % i for i in range(200)) + b"\r\n")
        assert read_all(many).startswith(b"HTTP/1.1 431")
        huge = connect(exchange.base_url)
        huge.sendall(b"GET /api/v3/time HTTP/1.1\r\nX-Big: " + b"a" * 70_000 + b"\r\n\r\n")
        assert read_all(huge).split(b" ", 2)[1] in (b"400", b"431")
        assert good_request_works(exchange.base_url) < 0.5


def test_the_class_server_keeps_serving_while_clients_stall():
    """waitress reads requests before a worker sees them: one worker, ten stalled clients, no wait."""
    keys = issue_keys(1)
    server = serve_class(keys, "127.0.0.1", 0, threads=1)
    runner = threading.Thread(target=server.run, daemon=True)
    runner.start()
    base_url = f"http://127.0.0.1:{server.effective_port}"
    try:
        stalled = [connect(base_url) for _ in range(10)]
        for sock in stalled:
            sock.sendall(b"POST /api/v3/order/test HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n")
        (_, api_key, secret) = keys[0]
        assert good_request_works(base_url, api_key, secret) < 1
        too_big = connect(base_url)
        too_big.sendall(b"POST /api/v3/order/test HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n")
        assert read_all(too_big).startswith(b"HTTP/1.1 413")
    finally:
        server.close()
