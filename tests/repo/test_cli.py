"""python -m mexc_helpers serve: prints where it listens and the demo key, serves, stops on Ctrl-C."""

import re
import signal
import socket
import subprocess
import sys

import requests

from tests.conftest import DOCS_KEY, DOCS_SECRET


def run_cli(*args, **kwargs):
    return subprocess.run(
        [sys.executable, "-m", "mexc_helpers", *args], capture_output=True, text=True, timeout=60, **kwargs
    )


def test_serve_prints_url_and_demo_credentials_and_stops_cleanly_on_ctrl_c():
    process = subprocess.Popen(
        [sys.executable, "-m", "mexc_helpers", "serve", "--port", "0", "--clock-offset-ms", "-2500"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        first = process.stdout.readline()
        base_url = re.match(r"MEXC Signature Lab local exchange on (http://127\.0\.0\.1:\d+)$", first.strip()).group(1)
        banner = "".join(process.stdout.readline() for _ in range(5))
        assert DOCS_KEY in banner and DOCS_SECRET in banner and "clock offset: -2500 ms" in banner
        server_time = requests.get(base_url + "/api/v3/time", timeout=5).json()["serverTime"]
        assert server_time > 1_600_000_000_000
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=10)
    finally:
        process.kill()
    assert process.returncode == 0, err
    assert out.strip().endswith("stopped.")
    assert "Traceback" not in err


def test_serve_on_a_busy_port_exits_2_with_one_line():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        result = run_cli("serve", "--port", str(taken.getsockname()[1]))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: cannot listen on 127.0.0.1:")


def test_help_for_each_command():
    top = run_cli("--help")
    assert top.returncode == 0
    for command, options in (
        ("doctor", ["--json", "--secret-env"]),
        ("sign", ["--futures", "--method"]),
        ("check", ["--base-url"]),
        ("serve", ["--class", "--keys-out", "--keys-in", "--threads"]),
        ("probe", ["--base-url", "--spacing", "--json"]),
    ):
        assert command in top.stdout
        result = run_cli(command, "--help")
        assert result.returncode == 0 and all(option in result.stdout for option in options), command
    serve = run_cli("serve", "--help")
    assert serve.returncode == 0
    for option in ("--host", "--port", "--clock-offset-ms"):
        assert option in serve.stdout
    assert run_cli().returncode == 2
