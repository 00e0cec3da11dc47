"""The diagnosing proxy's added latency: the same signed requests sent straight to the local exchange and through
`mexc-lab proxy`, side by side in one run, at 1 and at 20 connections.

    python benchmarks/bench_proxy.py                 # about half a minute on a 2-core machine
    python benchmarks/bench_proxy.py --requests 2000

The exchange (``LocalExchange``, the docs' key pair) runs in its own spawned process, the proxy in another
(``python -m mexc_helpers proxy --upstream <exchange>``), the clients here: a thread and a keep-alive
``requests.Session`` each, closed loop. Two kinds of request, each timed from send to the whole answer read:

- accepted: ``POST /api/v3/order/test``, signed right;
- diagnosed: the same with ``recvWindow=5000`` added after signing: refused 700002, and diagnosed by the proxy
  (with the secret and the server's time) on a worker thread after the answer went back.

Added latency = the proxy's percentile minus the direct one, for the median and for p99. Targets: a median under
5 ms added for an accepted request, under 20 ms for a diagnosed one. The diagnosis itself does not delay the
answer; it still takes CPU from the same machine, which the diagnosed rows include.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mexc_helpers import SignedRequest, sign_spot  # noqa: E402
from mexc_helpers.protocol.signing import DOCS_API_KEY, DOCS_SECRET_KEY  # noqa: E402

TARGETS_MS = {"accepted": 5.0, "diagnosed": 20.0}
ORDER = {"symbol": "BTCUSDT", "side": "BUY", "type": "LIMIT", "quantity": "0.001", "price": "60000"}


def _exchange(ready) -> None:
    from mexc_helpers import LocalExchange

    exchange = LocalExchange(port=0, log_size=10).start()
    ready.put(exchange.base_url)
    threading.Event().wait()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_proxy(upstream: str) -> tuple[subprocess.Popen, str]:
    port, futures_port = free_port(), free_port()
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("MEXC_")}, "MEXC_SECRET_KEY": DOCS_SECRET_KEY}
    command = [sys.executable, "-m", "mexc_helpers", "proxy", "--port", str(port), "--futures-port"]
    command += [str(futures_port), "--upstream", upstream, "--only-failures"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    for line in process.stdout:
        if "point your bot's base URL" in line:
            break
    threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()  # keep its pipe drained
    return process, f"http://127.0.0.1:{port}"


def one_request(base_url: str, session: requests.Session, diagnosed: bool, server_time) -> float:
    signed = sign_spot(
        "POST", "/api/v3/order/test", ORDER, api_key=DOCS_API_KEY, secret=DOCS_SECRET_KEY,
        timestamp=server_time(), base_url=base_url,
    )  # fmt: skip
    if diagnosed:
        signed = SignedRequest(signed.method, signed.url + "&recvWindow=5000", signed.headers, signed.body)
    started = time.perf_counter()
    response = signed.send(session, timeout=30)
    response.content  # noqa: B018 (the whole answer read)
    elapsed = (time.perf_counter() - started) * 1000
    expected = 400 if diagnosed else 200
    if response.status_code != expected:
        raise RuntimeError(f"expected {expected}, got {response.status_code} {response.text[:200]}")
    return elapsed


def measure(base_url: str, connections: int, count: int, diagnosed: bool, server_time) -> list[float]:
    sessions = [requests.Session() for _ in range(connections)]
    per_connection = max(1, count // connections)

    def run(session: requests.Session) -> list[float]:
        one_request(base_url, session, diagnosed, server_time)  # warm the connection
        return [one_request(base_url, session, diagnosed, server_time) for _ in range(per_connection)]

    with ThreadPoolExecutor(max_workers=connections) as pool:
        return sorted(time for times in pool.map(run, sessions) for time in times)


def cpu_ms(pid: int) -> float:
    """The process's CPU time so far (user + system, Linux /proc), in ms."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def percentile(times: list[float], share: float) -> float:
    return times[min(len(times) - 1, int(share * len(times)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=600, help="requests per case and route (default 600)")
    args = parser.parse_args()
    context = multiprocessing.get_context("spawn")
    ready = context.Queue()
    exchange = context.Process(target=_exchange, args=(ready,), daemon=True)
    exchange.start()
    upstream = ready.get(timeout=60)
    offset = requests.get(f"{upstream}/api/v3/time", timeout=10).json()["serverTime"] - int(time.time() * 1000)

    def server_time() -> int:
        return int(time.time() * 1000) + offset

    proxy, through = start_proxy(upstream)
    rows = []
    try:
        for kind in ("accepted", "diagnosed"):
            for connections in (1, 20):
                count = args.requests if connections == 1 else args.requests * 2
                direct = measure(upstream, connections, count, kind == "diagnosed", server_time)
                before = cpu_ms(proxy.pid)
                proxied = measure(through, connections, count, kind == "diagnosed", server_time)
                cost = (cpu_ms(proxy.pid) - before) / (len(proxied) + connections)  # the warm-ups count too
                rows.append((kind, connections, direct, proxied, cost))
    finally:
        proxy.send_signal(signal.SIGINT)
        proxy.wait(timeout=60)
        exchange.terminate()
    print(f"{os.cpu_count()} cores; {args.requests} requests per case at 1 connection, twice that at 20\n")
    print("| request | connections | direct p50 ms | proxy p50 ms | added p50 ms | direct p99 | proxy p99 "
          "| added p99 ms | proxy CPU ms/request | target (added p50) |")  # fmt: skip
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for kind, connections, direct, proxied, cost in rows:
        p50, p99 = (
            (percentile(direct, 0.5), percentile(proxied, 0.5)),
            (percentile(direct, 0.99), percentile(proxied, 0.99)),
        )
        added = p50[1] - p50[0]
        verdict = "met" if added < TARGETS_MS[kind] else "missed"
        print(f"| {kind} | {connections} | {p50[0]:.2f} | {p50[1]:.2f} | {added:.2f} | {p99[0]:.2f} | {p99[1]:.2f} "
              f"| {p99[1] - p99[0]:.2f} | {cost:.2f} | < {TARGETS_MS[kind]:g} ms: {verdict} |")  # fmt: skip


if __name__ == "__main__":
    main()
