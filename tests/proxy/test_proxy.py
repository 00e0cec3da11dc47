"""`mexc-lab proxy` on loopback, the local exchange as its upstream: the examples run through it with one bug
switched on, a bot sends it 1,000 requests at 20 connections, an upstream that is down, mitmdump with the addon."""

from __future__ import annotations

import concurrent.futures
import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

from mexc_helpers import LocalExchange, SignedRequest, sign_spot
from mexc_helpers.protocol.signing import DOCS_API_KEY, DOCS_SECRET_KEY
from tests.browser.conftest import _unavailable
from tests.server.test_examples import EXAMPLES, run_example

# Each test starts `python -m mexc_helpers proxy` (or mitmdump): in `make test`, not in test-fast.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
# Each example with one bug (the examples' MEXC_EXAMPLE_BUG): the doctor's cause, and the spot requests it breaks.
BUGS = {
    "sorted": ("signed_order_differs", ["POST /api/v3/order/test"]),
    "plus": ("encoding_plus_for_space", ["POST /api/v3/order/test"]),
    "recvwindow-after": ("param_added_after_signing", ["GET /api/v3/account", "POST /api/v3/order/test"]),
}
EXAMPLE_BUG = {folder.name: list(BUGS)[index % len(BUGS)] for index, folder in enumerate(EXAMPLES)}


def free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    for sock in sockets:
        sock.bind(("127.0.0.1", 0))
    ports = [sock.getsockname()[1] for sock in sockets]
    for sock in sockets:
        sock.close()
    return ports


STARTED: list[subprocess.Popen] = []


@pytest.fixture(autouse=True)
def no_proxy_left_running():
    """mitmproxy is there (a skip here, a failure under CI=true), and a test that fails before stop() leaves no
    proxy behind it."""
    if importlib.util.find_spec("mitmproxy") is None:
        _unavailable("the [proxy] extra is not installed: pip install -e '.[proxy]'")
    yield
    while STARTED:
        process = STARTED.pop()
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)


class Proxy:
    """`mexc-lab proxy` (or mitmdump with the addon) in a subprocess; ``stop()`` sends Ctrl-C and returns its output."""

    def __init__(self, command: list[str], env: dict, ready: str | None, ready_on_stderr: bool = False):
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        STARTED.append(self.process)
        self.lines = {"stdout": [], "stderr": []}
        self._ready = threading.Event()
        for name in ("stdout", "stderr"):
            watched = name == ("stderr" if ready_on_stderr else "stdout")
            threading.Thread(target=self._read, args=(name, ready if watched else None), daemon=True).start()
        if ready is not None and not self._ready.wait(60):
            self.process.kill()
            pytest.fail(f"the proxy did not start: {self.lines}")

    def _read(self, name: str, ready: str | None) -> None:
        for line in getattr(self.process, name):
            self.lines[name].append(line)
            if ready is not None and ready in line:
                self._ready.set()
        if ready is None:
            return
        self._ready.set()  # it ended before saying it was ready: the caller sees the output

    def stop(self) -> tuple[str, str]:
        self.process.send_signal(signal.SIGINT)
        self.process.wait(timeout=60)
        time.sleep(0.2)  # the reader threads take the last lines
        return "".join(self.lines["stdout"]), "".join(self.lines["stderr"])


def mexc_lab_proxy(upstream: str, *options: str, secret: str | None = DOCS_SECRET_KEY) -> tuple[Proxy, str, str]:
    spot_port, futures_port = free_ports(2)
    env = {key: value for key, value in os.environ.items() if not key.startswith("MEXC_")}
    if secret is not None:
        env["MEXC_SECRET_KEY"] = secret
    command = [sys.executable, "-m", "mexc_helpers", "proxy", "--port", str(spot_port)]
    command += ["--futures-port", str(futures_port), "--upstream", upstream, *options]
    proxy = Proxy(command, env, "point your bot's base URL", ready_on_stderr="--json" in options)
    return proxy, f"http://127.0.0.1:{spot_port}", f"http://127.0.0.1:{futures_port}"


def records(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines()]


@pytest.fixture
def exchange():
    started = LocalExchange(port=0, log_size=2000).start()  # the docs' pair, a running clock
    yield started
    started.stop()


@pytest.mark.parametrize("folder", EXAMPLES, ids=[f"{f.name}-{EXAMPLE_BUG[f.name]}" for f in EXAMPLES])
def test_an_example_with_one_bug_is_diagnosed_with_that_bug_alone(folder, exchange, tmp_path):
    bug = EXAMPLE_BUG[folder.name]
    cause, broken = BUGS[bug]
    proxy, spot, futures = mexc_lab_proxy(exchange.base_url, "--json", "--har", str(tmp_path / "session.har"))
    ran = run_example(folder, tmp_path, MEXC_BASE_URL=spot, MEXC_FUTURES_URL=futures, MEXC_EXAMPLE_BUG=bug)
    stdout, stderr = proxy.stop()
    seen = {f"{record['method']} {record['path']}": record for record in records(stdout)}
    entries = [entry for entry in exchange.log.entries() if entry.path != "/api/v3/time"]  # not the proxy's clock
    assert len(seen) == len(entries) == 4, stdout
    for entry in entries:
        record = seen[f"{entry.method} {entry.path}"]
        assert (record["status"], record["code"]) == (entry.http_status, entry.code)  # the exchange's answer
        if f"{entry.method} {entry.path}" in broken:
            assert entry.code == 700002
            assert record["diagnosed"] and record["verdict"] == "fail"
            assert record["causes"] == [cause], record  # that bug, and only that bug
            assert record["server_signs"] and record["you_signed"] != record["server_signs"]
        else:
            assert entry.code == 0 and record["causes"] == [] and not record["diagnosed"]
    # The bot got each answer as the exchange gave it: its printed status and code are the exchange's.
    printed = [line.split(" -> ", 1)[1] for line in ran.stdout.splitlines() if " -> " in line]
    for line, entry in zip(printed, entries, strict=True):
        status, body = line.split(" ", 1)
        assert int(status) == entry.http_status
        assert json.loads(body).get("code", 0) == entry.code
    assert f"4 requests, {len(broken)} refused; causes: {cause} x{len(broken)}" in stderr
    har = (tmp_path / "session.har").read_text()
    for secret_thing in (
        DOCS_SECRET_KEY,
        DOCS_API_KEY,
        *(e.received_signature for e in entries if e.received_signature),
    ):
        assert secret_thing not in stdout + stderr + har


def test_the_proxy_forwards_1000_requests_at_20_connections_byte_for_byte(exchange):
    proxy, spot, _ = mexc_lab_proxy(exchange.base_url, "--only-failures")
    sent: list[tuple[str, str, str]] = []
    answers: dict[str, tuple[int, str]] = {}
    lock = threading.Lock()

    def bot(worker: int) -> None:
        session = requests.Session()
        for number in range(50):
            params = {"symbol": "BTCUSDT", "side": "BUY", "type": "LIMIT", "quantity": "0.001", "price": "60000"}
            params["newClientOrderId"] = f"w{worker} n{number} (é)*!"
            signed = sign_spot(
                "POST",
                "/api/v3/order/test",
                params,
                api_key=DOCS_API_KEY,
                secret=DOCS_SECRET_KEY,
                timestamp=exchange.server_time(),
                base_url=spot,
            )
            if number % 10 == 0:  # one in ten with a parameter added after signing: refused, and diagnosed
                signed = SignedRequest(signed.method, signed.url + "&recvWindow=5000", signed.headers, signed.body)
            response = signed.send(session, timeout=30)
            query = signed.url.split("?", 1)[1]
            with lock:
                sent.append((query, signed.headers["X-MEXC-APIKEY"], signed.headers.get("Content-Type", "")))
                answers[query] = (response.status_code, response.text)

    with concurrent.futures.ThreadPoolExecutor(max_workers=20) as pool:
        list(pool.map(bot, range(20)))
    stdout, stderr = proxy.stop()
    entries = [entry for entry in exchange.log.entries() if entry.path == "/api/v3/order/test"]  # not its clock's
    assert len(sent) == len(entries) == 1000  # none lost, none sent twice
    # (WSGI gives header names title-cased: the names' case is checked by the examples' test, through curl's -v)
    logged = [(e.query, e.headers.get("X-Mexc-Apikey"), e.headers.get("Content-Type", "")) for e in entries]
    assert sorted(logged) == sorted(sent)  # every byte of each query, its key and its type, as the bot sent them
    for entry in entries:
        assert answers[entry.query][0] == entry.http_status
        assert json.loads(answers[entry.query][1]).get("code", 0) == entry.code
    assert sum(entry.code == 700002 for entry in entries) == 100
    assert "1000 requests, 100 refused; causes: param_added_after_signing x100" in stdout
    assert stdout.count(" -> 200 ") == 0  # --only-failures: accepted requests are not shown
    assert "Traceback" not in stderr


def test_an_upstream_that_is_down_is_a_502_and_one_line(tmp_path):
    (closed,) = free_ports(1)
    proxy, spot, _ = mexc_lab_proxy(f"http://127.0.0.1:{closed}")
    response = requests.get(f"{spot}/api/v3/time", timeout=30)
    stdout, stderr = proxy.stop()
    assert response.status_code == 502
    said = [line for line in stdout.splitlines() if "/api/v3/time" in line]
    assert len(said) == 1 and said[0].startswith(f"GET /api/v3/time -> 502: the upstream http://127.0.0.1:{closed}")
    assert "Traceback" not in stdout + stderr
    assert "1 upstream errors" in stdout


def test_mitmdump_runs_the_addon_from_the_printed_path(exchange, tmp_path):
    path = subprocess.run(
        [sys.executable, "-m", "mexc_helpers", "proxy", "--addon-path"], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert Path(path).is_file()
    (port,) = free_ports(1)
    mitmdump = Path(sys.executable).with_name("mitmdump")
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("MEXC_")}, "MY_SECRET": DOCS_SECRET_KEY}
    command = [str(mitmdump), "-q", "-s", path, "--mode", f"reverse:{exchange.base_url}@{port}", "--listen-host"]
    command += ["127.0.0.1", "--set", "mexc_secret_env=MY_SECRET", "--set", "mexc_json=true"]
    proxy = Proxy(command, env, ready=None)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.2)
    sorted_signing = sign_spot(
        "GET", "/api/v3/account", {"b": "1", "a": "2"}, api_key=DOCS_API_KEY, secret=DOCS_SECRET_KEY,
        timestamp=exchange.server_time(), base_url=f"http://127.0.0.1:{port}",
    )  # fmt: skip
    requests.get(sorted_signing.url.replace("b=1&a=2", "a=2&b=1"), headers=sorted_signing.headers, timeout=30)
    stdout, _ = proxy.stop()
    [record] = records(stdout.split("\n", 1)[0])
    assert record["code"] == 700002 and record["causes"] == ["signed_order_differs"]


def test_ccxt_through_the_proxy_by_its_urls(exchange):
    """The README's ccxt line, as written: exchange.urls['api'] pointed at the proxy; a request signed with the
    wrong secret is diagnosed, a right one passes unchanged."""
    ccxt = pytest.importorskip("ccxt")
    proxy, spot, _ = mexc_lab_proxy(exchange.base_url, "--json")
    client = ccxt.mexc({"apiKey": DOCS_API_KEY, "secret": DOCS_SECRET_KEY})
    client.urls["api"]["spot"] = {"public": spot, "private": spot}
    client.urls["api"]["contract"] = {"public": f"{spot}/api/v1/contract", "private": f"{spot}/api/v1/private"}
    assert client.spot_private_get_account()["accountType"] == "SPOT"
    client.secret = "0" * 32  # another secret: refused, and the doctor cannot explain it with the real one
    with pytest.raises(ccxt.AuthenticationError):
        client.spot_private_get_account()
    stdout, _ = proxy.stop()
    accepted, refused = records(stdout)
    assert (accepted["path"], accepted["code"], accepted["diagnosed"]) == ("/api/v3/account", 0, False)
    assert refused["code"] == 700002 and refused["causes"] == ["signature_unexplained"]


def test_the_request_reaches_the_upstream_byte_for_byte_but_its_host(tmp_path):
    """A raw upstream records the bytes it receives: the request line, every header in its order and case, and the
    body are the bot's; only Host names the upstream. The answer's bytes reach the bot the same way."""
    received: list[bytes] = []
    answer = b'{"code":700002,"msg":"Signature for this request is not valid."}'
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    upstream_port = server.getsockname()[1]

    def serve_one() -> None:
        connection, _ = server.accept()
        data = b""
        while b"\r\n\r\n" not in data or len(data.split(b"\r\n\r\n", 1)[1]) < 12:
            data += connection.recv(65536)
        received.append(data)
        head = b"HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nX-Odd-Case: Kept\r\n"
        connection.sendall(head + f"Content-Length: {len(answer)}\r\nConnection: close\r\n\r\n".encode() + answer)
        connection.close()

    threading.Thread(target=serve_one, daemon=True).start()
    proxy, spot, _ = mexc_lab_proxy(f"http://127.0.0.1:{upstream_port}", secret=None)
    port = int(spot.rsplit(":", 1)[1])
    headers = [b"X-MEXC-APIKEY: mx0aBYs33eIilxBWC5", b"content-type: application/x-www-form-urlencoded", b"Accept: */*"]
    body = b"quantity=1&price=2"
    request = (
        b"POST /api/v3/order/test?symbol=BTCUSDT&newClientOrderId=a%20b%28%29&timestamp=1700000000000&signature=ab"
        + b" HTTP/1.1\r\n"
        + f"Host: 127.0.0.1:{port}\r\n".encode()
        + b"\r\n".join(headers)
        + f"\r\nContent-Length: {len(body)}\r\n\r\n".encode()
        + body
    )
    with socket.create_connection(("127.0.0.1", port), timeout=30) as bot:
        bot.sendall(request)
        got = b""
        while answer not in got:
            chunk = bot.recv(65536)
            if not chunk:
                break
            got += chunk
    stdout, stderr = proxy.stop()
    server.close()
    [upstream_saw] = received
    assert upstream_saw == request.replace(
        f"Host: 127.0.0.1:{port}".encode(), f"Host: 127.0.0.1:{upstream_port}".encode()
    )
    assert got.startswith(b"HTTP/1.1 400 Bad Request\r\n") and b"X-Odd-Case: Kept\r\n" in got and got.endswith(answer)
    assert "POST /api/v3/order/test -> 400 700002" in stdout and "Traceback" not in stderr


def test_a_clock_ahead_is_judged_on_the_upstreams_clock():
    """The exchange's clock runs 30 s behind this machine's: a bot signing with its own clock is refused 700003, and
    the proxy, which reads the upstream's clock, proves timestamp_ahead; a bot on the server's clock passes."""
    exchange = LocalExchange(port=0, clock_offset_ms=-30_000).start()
    try:
        proxy, spot, _ = mexc_lab_proxy(exchange.base_url, "--json")
        for timestamp in (int(time.time() * 1000), exchange.server_time()):
            signed = sign_spot(
                "GET", "/api/v3/account", {}, api_key=DOCS_API_KEY, secret=DOCS_SECRET_KEY, timestamp=timestamp,
                base_url=spot,
            )  # fmt: skip
            signed.send(timeout=30)
        stdout, _ = proxy.stop()
    finally:
        exchange.stop()
    ahead, on_time = records(stdout) if records(stdout)[0]["code"] else reversed(records(stdout))
    assert ahead["code"] == 700003 and ahead["causes"] == ["timestamp_ahead"], ahead
    assert on_time["code"] == 0
