"""Signed requests per second, p50/p99 latency, errors and peak RSS of the exchange servers under load,
with a slow-client attack attached, next to a bare stdlib HTTP server answering a constant.

    python benchmarks/bench_load.py                      # about a minute on a 2-core machine
    python benchmarks/bench_load.py --seconds 5 --clients 1,10,100 --slow 20 --servers baseline,embedded,class

Servers, each started on 127.0.0.1 (port 0) in its own process (spawned, so it does not share a GIL with
the load generator), fresh for every configuration and stopped at its end:

- baseline: ``http.server.ThreadingHTTPServer``, HTTP/1.1 keep-alive, a constant 11-byte JSON body;
- embedded: ``LocalExchange()`` (werkzeug's threaded server, a thread per connection, the docs' key pair);
- class: waitress serving the class app (``serve_class``, 8 threads as ``mexc-lab serve --class``), one
  student key per client.

For each server and each number of clients: first the slow clients attach (half send one header byte a
second, half announce ``Content-Length: 1000`` and send nothing; reconnected when the server drops them),
then the clients, spread over ``--client-procs`` processes, a thread and a keep-alive ``http.client``
connection each (reopened only when the server closes it: werkzeug 3 answers every request with
``Connection: close``, so the embedded server gets a connection per request), send GET /api/v3/account
signed with ``sign_spot`` (a fresh timestamp per request) back to back (closed loop, no think time) for
``--warmup`` then ``--seconds`` seconds.
Requests/s counts the answers completed in the measured window; latencies and errors cover every request
that overlaps it (so one stuck since the warm-up counts too). An error is a connection error, a timeout
(``--timeout``), an answer other than 200, or JSON with a "code" other than 0. Peak RSS is the server
process's VmHWM, restarted (Linux clear_refs) once the server is up, so that it is the run's peak.

Targets: 0 errors (embedded and class); p99 under 100 ms at 100 clients while slow clients are attached
(embedded and class); memory bounded, read here as a peak-RSS growth from 10 to 100 clients under 50 MB.
In a closed loop the mean latency is clients / (requests/s) (Little's law), so at 100 clients the p99
target needs well over 1000 requests/s: compare with the baseline row.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import logging
import math
import multiprocessing
import re
import select
import socket
import sys
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOST = "127.0.0.1"
PATH = "/api/v3/account"
P99_TARGET_MS = 100.0
RSS_GROWTH_TARGET_MB = 50.0
CLASS_THREADS = 8  # mexc-lab serve --class's default
START_TIMEOUT = 30.0  # seconds for a spawned process to import and report ready

# --- the servers, each in a spawned process --------------------------------------------------------------


class ConstantHandler(BaseHTTPRequestHandler):
    """The floor: HTTP/1.1 keep-alive, a constant small JSON body, nothing else."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are two writes: without it, 40 ms delayed-ACK stalls
    body = b'{"code":0}\n'

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def do_POST(self) -> None:
        """Reads the announced body first, as the exchange does (so the stalled-body attack holds it too)."""
        length = int(self.headers.get("Content-Length") or 0)
        if len(self.rfile.read(length)) < length:  # the client went away mid-body: nobody to answer
            self.close_connection = True
            return
        self.do_GET()

    def log_message(self, format: str, *args) -> None:
        """Silent."""


class BaselineServer(ThreadingHTTPServer):
    request_queue_size = 128  # as LocalExchange; socketserver's 5 drops SYNs when 120 clients connect at once

    def handle_error(self, request, client_address) -> None:
        """Quiet about clients gone before their answer: a trickling attacker closed at the end of a run sends
        EOF, which http.server takes for the end of the headers, and answers into a closed socket."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            logging.getLogger("baseline").error("error answering %s", client_address, exc_info=True)


class CountingHandler(logging.Handler):
    """Counts what the server logs (waitress's queue-depth warnings, the app's internal errors), silently."""

    def __init__(self):
        super().__init__(logging.INFO)
        self.counts: Counter[str] = Counter()
        self.largest: dict[str, int] = {}

    def emit(self, record) -> None:
        text = record.getMessage()
        message = re.sub(r"\b\d+\b", "N", text)[:90]  # "Task queue depth is N": one line, with the largest N
        if record.exc_info and record.exc_info[0] is not None:
            message += f" ({record.exc_info[0].__name__}: {str(record.exc_info[1])[:80]})"
        key = f"{record.name} {record.levelname}: {message}"
        self.counts[key] += 1
        numbers = [int(n) for n in re.findall(r"\b\d+\b", text)]
        if numbers:
            self.largest[key] = max(self.largest.get(key, 0), numbers[0])

    def summary(self) -> dict[str, int]:
        return {
            key + (f" (N up to {self.largest[key]})" if key in self.largest else ""): count
            for key, count in self.counts.items()
        }


def server_main(kind: str, keys: list, threads: int, conn) -> None:
    """Serve ``kind`` on 127.0.0.1:0, report (port, credentials), serve until told to stop (or the parent dies)."""
    counting = CountingHandler()
    for name in ("waitress", "mexc_helpers", "werkzeug", "baseline"):
        logger = logging.getLogger(name)
        logger.addHandler(counting)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    if kind == "baseline":
        server = BaselineServer((HOST, 0), ConstantHandler)
        from mexc_helpers.protocol.signing import DOCS_API_KEY, DOCS_SECRET_KEY

        port, credentials = server.server_address[1], [(DOCS_API_KEY, DOCS_SECRET_KEY)]
        run, stop = server.serve_forever, lambda: (server.shutdown(), server.server_close())
    elif kind == "embedded":
        from mexc_helpers.server.exchange import LocalExchange

        exchange = LocalExchange().start()  # serves in its own daemon thread
        port, credentials = exchange.port, [(exchange.api_key, exchange.secret)]
        run, stop = None, exchange.stop
    elif kind == "class":
        from mexc_helpers.server.classroom import serve_class

        server = serve_class(keys, HOST, 0, threads)
        port, credentials = server.effective_port, [(api_key, secret) for _, api_key, secret in keys]
        run, stop = server.run, server.close  # close(): stop the task threads, close every socket, so run() returns
    else:
        raise ValueError(f"unknown server {kind!r}")
    if run is not None:
        threading.Thread(target=run, name=f"{kind}-server", daemon=True).start()
    conn.send(("ready", port, credentials))
    try:
        if conn.poll(900):  # bounded even if nobody ever says stop
            conn.recv()
    except (EOFError, OSError):
        return  # the parent is gone
    stopper = threading.Thread(target=stop, daemon=True)
    stopper.start()
    stopper.join(5)
    with contextlib.suppress(OSError):
        conn.send(("stopped", counting.summary()))


# --- the measured clients, threads in spawned processes ---------------------------------------------------


def _is_ok(response: http.client.HTTPResponse, body: bytes) -> str | None:
    """None if the answer is a success, else a short description of the error."""
    if response.status != 200:
        return f"HTTP {response.status}"
    try:
        code = json.loads(body).get("code", 0)
    except (ValueError, AttributeError):
        return "HTTP 200 with a body that is not a JSON object"
    return None if code in (0, None) else f"HTTP 200 code {code}"


def client_thread(port: int, api_key: str, secret: str, window: tuple, timeout: float, out: dict) -> None:
    """Signed GETs back to back on one keep-alive connection (reopened after an error) until the window ends."""
    from mexc_helpers.protocol.signing import sign_spot

    warm_start, measure_start, measure_end = window
    base_url = f"http://{HOST}:{port}"
    time.sleep(max(0.0, warm_start - time.time()))
    conn = None
    while time.time() < measure_end:
        signed = sign_spot("GET", PATH, api_key=api_key, secret=secret, base_url=base_url)
        target = signed.url[len(base_url) :]  # path and query exactly as signed: no re-encoding
        t0 = time.perf_counter()
        out["requests"] += 1
        try:
            if conn is None:
                conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
                out["connections"] += 1
            conn.request("GET", target, headers=signed.headers)
            response = conn.getresponse()
            error = _is_ok(response, response.read())
            if response.will_close:
                conn.close()
                conn = None
        except (OSError, http.client.HTTPException) as exc:
            error = type(exc).__name__
            if conn is not None:
                conn.close()
            conn = None
        elapsed_ms = (time.perf_counter() - t0) * 1000
        ended = time.time()
        if ended >= measure_start:  # it overlaps the measured window: a request stuck since the warm-up counts
            out["latencies"].append(elapsed_ms)
            out["completed"] += ended < measure_end
            if error:
                out["errors"][error] += 1
            else:
                out["ok"] += 1
        if error:
            time.sleep(0.05)  # no busy loop against a refusing server
    if conn is not None:
        conn.close()
    out["done"] = True


def client_main(port: int, credentials: list, timeout: float, conn) -> None:
    """One client process: a thread per credential; reports latencies and errors of the measured window."""
    import mexc_helpers.protocol.signing  # noqa: F401  (imported before "ready", not during the warm-up)

    conn.send("ready")
    if not conn.poll(START_TIMEOUT * 2):
        return
    try:
        window = conn.recv()
    except (EOFError, OSError):
        return
    outs = [
        {"latencies": [], "errors": Counter(), "ok": 0, "completed": 0, "connections": 0, "requests": 0, "done": False}
        for _ in credentials
    ]
    threads = [
        threading.Thread(target=client_thread, args=(port, key, secret, window, timeout, out), daemon=True)
        for (key, secret), out in zip(credentials, outs, strict=True)
    ]
    for thread in threads:
        thread.start()
    deadline = window[2] + timeout + 1.0  # every request ends by then: the socket timeout bounds it
    for thread in threads:
        thread.join(max(0.0, deadline - time.time()))
    errors: Counter[str] = Counter()
    for out in outs:
        errors.update(out["errors"])
        if not out["done"]:
            errors["still in flight after the timeout"] += 1
    result = {
        "latencies": [ms for out in outs for ms in out["latencies"]],
        "ok": sum(out["ok"] for out in outs),
        "completed": sum(out["completed"] for out in outs),
        "connections": sum(out["connections"] for out in outs),
        "requests": sum(out["requests"] for out in outs),
        "errors": dict(errors),
        "starved": sum(1 for out in outs if out["ok"] == 0),
    }
    with contextlib.suppress(OSError):
        conn.send(result)


# --- the slow-client attack, a thread in the benchmark process --------------------------------------------


class SlowClients:
    """``count`` sockets held open beside the measured clients: half trickle a header one byte a second,
    half send complete headers announcing ``Content-Length: 1000`` and never send the body. A socket the
    server closes (or answers) counts as dropped and is reconnected on the next tick."""

    def __init__(self, port: int, count: int, interval: float = 1.0):
        self.port = port
        self.count = count
        self.interval = interval
        self.socks: list[socket.socket | None] = [None] * count
        self.dropped = 0
        self.connect_failures = 0
        self.answers: Counter[str] = Counter()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="slow-clients", daemon=True)

    def _mode(self, index: int) -> str:
        return "trickle" if index % 2 == 0 else "stalled body"

    def _connect(self, index: int) -> None:
        try:
            sock = socket.create_connection((HOST, self.port), timeout=2)
            if self._mode(index) == "trickle":
                sock.sendall(f"GET {PATH} HTTP/1.1\r\nHost: {HOST}:{self.port}\r\nX-Slow: ".encode())
            else:
                sock.sendall(
                    f"POST /api/v3/order HTTP/1.1\r\nHost: {HOST}:{self.port}\r\n"
                    "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n".encode()
                )
            sock.setblocking(False)
            self.socks[index] = sock
        except OSError:
            self.connect_failures += 1

    def _drop(self, index: int, answer: bytes) -> None:
        sock, self.socks[index] = self.socks[index], None
        sock.close()
        self.dropped += 1
        first_line = answer.split(b"\r\n", 1)[0].decode("latin-1", "replace")[:40]
        self.answers[first_line or "closed without an answer"] += 1

    def _tick(self) -> None:
        live = [sock for sock in self.socks if sock is not None]
        readable = set(select.select(live, [], [], 0)[0]) if live else set()
        for index, sock in enumerate(self.socks):
            if sock is None:
                self._connect(index)
                continue
            if sock in readable:  # the server answered or closed: either way this attacker was dropped
                try:
                    answer = sock.recv(4096)
                except OSError:
                    answer = b""
                self._drop(index, answer)
                continue
            if self._mode(index) == "trickle":
                try:
                    sock.send(b"a")
                except BlockingIOError:
                    pass
                except OSError:
                    self._drop(index, b"")

    def start(self) -> SlowClients:
        for index in range(self.count):
            self._connect(index)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._tick()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)
        for sock in self.socks:
            if sock is not None:
                sock.close()

    def describe(self) -> str:
        """The table cell: how many, and how many times the server dropped one."""
        failures = f", {self.connect_failures} failed to connect" if self.connect_failures else ""
        return f"{self.count} ({self.dropped} dropped{failures})" if self.dropped or failures else str(self.count)


# --- one configuration ------------------------------------------------------------------------------------


def percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return math.nan
    return sorted_values[max(0, math.ceil(q * len(sorted_values)) - 1)]


def proc_status(pid: int) -> dict[str, str]:
    """The process's /proc/<pid>/status fields (empty where /proc is not available)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            return dict(line.rstrip("\n").split(":\t", 1) for line in status if ":\t" in line)
    except OSError:
        return {}


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident set (VmHWM), in MB; NaN where /proc is not available."""
    peak = proc_status(pid).get("VmHWM", "")
    return int(peak.split()[0]) / 1024 if peak else math.nan


def reset_peak_rss(pid: int) -> None:
    """Start VmHWM again from the current RSS (Linux), so the peak is the run's, not the imports'."""
    with contextlib.suppress(OSError), open(f"/proc/{pid}/clear_refs", "w", encoding="ascii") as clear_refs:
        clear_refs.write("5")


class ThreadSampler:
    """The most threads the server process had at once, sampled four times a second (Linux)."""

    def __init__(self, pid: int):
        self.pid = pid
        self.most = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="thread-sampler", daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.25):
            self.most = max(self.most, int(proc_status(self.pid).get("Threads", 0)))

    def __enter__(self) -> ThreadSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        self._thread.join(2)


def _recv(conn, timeout: float, what: str):
    if not conn.poll(max(0.0, timeout)):
        raise TimeoutError(f"no answer from {what} in {timeout:.0f} s")
    return conn.recv()


def _end(process) -> None:
    process.join(2)
    if process.is_alive():
        process.terminate()
        process.join(2)
    if process.is_alive():
        process.kill()
        process.join(2)


def run_configuration(ctx, kind: str, clients: int, args) -> dict:
    """Start a fresh ``kind`` server, attach the slow clients, load it with ``clients`` clients, stop everything."""
    keys = []
    if kind == "class":
        from mexc_helpers.server.classroom import issue_keys

        keys = issue_keys(clients)
    server_conn, child_conn = ctx.Pipe()
    server = ctx.Process(target=server_main, args=(kind, keys, args.threads, child_conn), daemon=True)
    processes, attack, notes = [], None, Counter()
    try:
        server.start()
        _, port, credentials = _recv(server_conn, START_TIMEOUT, f"the {kind} server")
        reset_peak_rss(server.pid)
        attack = SlowClients(port, args.slow).start()
        time.sleep(0.3)
        per_client = [credentials[i % len(credentials)] for i in range(clients)]
        groups = [per_client[i :: args.client_procs] for i in range(min(args.client_procs, clients))]
        pipes = []
        for group in groups:
            parent_end, child_end = ctx.Pipe()
            process = ctx.Process(target=client_main, args=(port, group, args.timeout, child_end), daemon=True)
            process.start()
            processes.append(process)
            pipes.append(parent_end)
        for pipe in pipes:
            _recv(pipe, START_TIMEOUT, "a client process")
        warm_start = time.time() + 0.2
        window = (warm_start, warm_start + args.warmup, warm_start + args.warmup + args.seconds)
        for pipe in pipes:
            pipe.send(window)
        with ThreadSampler(server.pid) as sampler:
            results = [_recv(pipe, window[2] + args.timeout + 10 - time.time(), "a client process") for pipe in pipes]
        rss = peak_rss_mb(server.pid)
        threads = sampler.most or "?"
        attack.stop()
        time.sleep(0.3)  # let the server see the attackers go before it stops
        server_conn.send("stop")
        try:
            _, logged = _recv(server_conn, 10, f"the {kind} server")
            notes.update(logged)
        except (TimeoutError, EOFError, OSError):
            notes[f"{kind} server did not stop cleanly within 10 s"] += 1
    finally:
        if attack is not None:
            attack.stop()
        for process in processes:
            _end(process)
        _end(server)
    latencies = sorted(ms for result in results for ms in result["latencies"])
    errors: Counter[str] = Counter()
    for result in results:
        errors.update(result["errors"])
    return {
        "server": kind,
        "clients": clients,
        "slow": attack.describe(),
        "slow_answers": dict(attack.answers),
        "rps": sum(result["completed"] for result in results) / args.seconds,
        "p50": percentile(latencies, 0.50),
        "p99": percentile(latencies, 0.99),
        "errors": sum(errors.values()),
        "error_kinds": dict(errors),
        "starved": sum(result["starved"] for result in results),
        "rss": rss,
        "threads": threads,
        "connections": sum(result["connections"] for result in results),
        "requests": sum(result["requests"] for result in results),
        "notes": dict(notes),
    }


def failed_row(kind: str, clients: int, reason: str) -> dict:
    nan = math.nan
    return {
        "server": kind,
        "clients": clients,
        "slow": "?",
        "slow_answers": {},
        "rps": nan,
        "p50": nan,
        "p99": nan,
        "errors": 1,
        "error_kinds": {f"the configuration failed: {reason}": 1},
        "starved": 0,
        "rss": nan,
        "threads": "?",
        "connections": 0,
        "requests": 0,
        "notes": {},
    }


# --- the report -------------------------------------------------------------------------------------------


def report(rows: list[dict], args) -> None:
    print("| server | clients | slow clients | requests/s | p50 ms | p99 ms | errors | peak RSS MB |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        print(
            f"| {row['server']} | {row['clients']} | {row['slow']} | {row['rps']:.0f} | {row['p50']:.1f} "
            f"| {row['p99']:.1f} | {row['errors']} | {row['rss']:.1f} |"
        )
    details = []
    for row in rows:
        where = f"{row['server']}/{row['clients']}"
        if row["connections"] > row["clients"]:
            details.append(
                f"{where}: the clients opened {row['connections']} connections for {row['requests']} requests"
                + (" (the server answers Connection: close)" if row["connections"] >= row["requests"] else "")
            )
        if row["clients"] == max(args.clients):
            details.append(f"{where}: at most {row['threads']} threads in the server process")
        if row["error_kinds"]:
            details.append(f"{where} errors: " + ", ".join(f"{n}x {kind}" for kind, n in row["error_kinds"].items()))
        if row["starved"]:
            details.append(f"{where}: {row['starved']} of {row['clients']} clients got no successful answer")
        if row["slow_answers"]:
            details.append(
                f"{where} slow clients dropped: " + ", ".join(f"{n}x {a}" for a, n in row["slow_answers"].items())
            )
        for message, n in row["notes"].items():
            details.append(f"{where} server logged {n}x {message}")
    if details:
        print()
        for line in details:
            print(f"- {line}")

    print()
    exchange_rows = [row for row in rows if row["server"] != "baseline"]
    if exchange_rows:
        errors = sum(row["errors"] for row in exchange_rows)
        where = ", ".join(
            f"{row['server']}/{row['clients']}: {row['errors']}" for row in exchange_rows if row["errors"]
        )
        print(f"0 errors: {'met' if errors == 0 else 'MISSED'}" + (f" ({errors} errors; {where})" if errors else ""))
    at_100 = [row for row in exchange_rows if row["clients"] == 100]
    if at_100 and args.slow > 0:
        values = ", ".join(f"{row['server']} {row['p99']:.1f} ms" for row in at_100)
        met = all(row["p99"] < P99_TARGET_MS for row in at_100)
        servers = ", ".join(row["server"] for row in at_100)
        print(
            f"p99 < {P99_TARGET_MS:.0f} ms at 100 clients with {args.slow} slow clients attached ({servers}): "
            f"{'met' if met else 'MISSED'} ({values})"
        )
    else:
        print(
            "p99 < 100 ms at 100 clients with slow clients attached: not measured (needs --clients 100 and --slow > 0)"
        )
    growth = []
    for kind in dict.fromkeys(row["server"] for row in rows):
        by_clients = {row["clients"]: row["rss"] for row in rows if row["server"] == kind}
        if 10 in by_clients and 100 in by_clients:
            growth.append((kind, by_clients[100] - by_clients[10]))
    if growth:
        values = ", ".join(f"{kind} {mb:+.1f} MB" for kind, mb in growth)
        met = all(mb < RSS_GROWTH_TARGET_MB for kind, mb in growth if kind != "baseline")
        print(
            f"memory bounded: peak RSS growth from 10 to 100 clients {values} "
            f"(target < {RSS_GROWTH_TARGET_MB:.0f} MB): {'met' if met else 'MISSED'}"
        )
    else:
        print("memory bounded: not measured (needs --clients with 10 and 100)")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="measured seconds per configuration (3)")
    parser.add_argument("--warmup", type=float, default=1.0, help="warm-up seconds before each measurement (1)")
    parser.add_argument("--clients", default="1,10,100", help="concurrent clients, comma-separated (1,10,100)")
    parser.add_argument("--slow", type=int, default=20, help="slow clients attached during each run (20)")
    parser.add_argument("--servers", default="baseline,embedded,class", help="baseline,embedded,class")
    parser.add_argument("--client-procs", type=int, default=2, help="processes the clients are spread over (2)")
    parser.add_argument("--timeout", type=float, default=5.0, help="seconds before a request counts as failed (5)")
    parser.add_argument("--threads", type=int, default=CLASS_THREADS, help="waitress threads, class server (8)")
    args = parser.parse_args(argv)
    args.clients = [int(n) for n in args.clients.split(",") if n.strip()]
    args.servers = [name.strip() for name in args.servers.split(",") if name.strip()]
    unknown = set(args.servers) - {"baseline", "embedded", "class"}
    if unknown or not args.clients or min(args.clients) < 1 or max(args.clients) > 500:
        parser.error("--servers takes baseline,embedded,class and --clients numbers from 1 to 500")
    if args.seconds <= 0 or args.warmup < 0 or args.timeout <= 0 or args.slow < 0 or args.client_procs < 1:
        parser.error("--seconds and --timeout must be positive; --warmup and --slow not negative")
    return args


def main(argv=None) -> None:
    args = parse_args(argv)
    ctx = multiprocessing.get_context("spawn")
    started = time.perf_counter()
    print(
        f"Signed GET {PATH}, closed loop over keep-alive connections, {args.seconds:g} s per configuration after "
        f"{args.warmup:g} s warm-up, {args.slow} slow clients attached; loopback, Python {sys.version.split()[0]}, "
        f"{multiprocessing.cpu_count()} CPUs\n"
    )
    rows = []
    for kind in args.servers:
        for clients in args.clients:
            try:
                rows.append(run_configuration(ctx, kind, clients, args))
            except (TimeoutError, OSError, EOFError) as exc:  # reported as a row; the other configurations still run
                rows.append(failed_row(kind, clients, f"{type(exc).__name__}: {exc}"))
    report(rows, args)
    print(f"\n(measured in {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
