"""python -m mexc_helpers serve: prints where it listens and the demo key, serves, stops on Ctrl-C."""

import re
import signal
import socket
import subprocess
import sys

import pytest
import requests

from mexc_helpers import sign_futures, sign_spot
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


def start_serve(*options):
    """``mexc-lab serve`` on a free port, its banner read; returns the process and its base URL."""
    process = subprocess.Popen(
        [sys.executable, "-m", "mexc_helpers", "serve", "--port", "0", *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base_url = re.search(r"http://127\.0\.0\.1:\d+", process.stdout.readline()).group(0)
    while process.stdout.readline().strip() != "Press Ctrl-C to stop.":
        pass
    return process, base_url


def stop(process) -> tuple[str, str]:
    process.send_signal(signal.SIGINT)
    try:
        return process.communicate(timeout=10)
    finally:
        process.kill()


def send_three(base_url: str) -> None:
    """A public call, a signed spot request, a futures request whose signature is wrong."""
    requests.get(base_url + "/api/v3/time", timeout=5)
    sign_spot("GET", "/api/v3/account", {}, api_key=DOCS_KEY, secret=DOCS_SECRET, base_url=base_url).send()
    futures = sign_futures(
        "GET", "/api/v1/private/account/assets", {}, api_key=DOCS_KEY, secret="not" + DOCS_SECRET, base_url=base_url
    )
    futures.send()


def test_serve_prints_one_line_per_request_with_the_rule_of_a_refusal():
    process, base_url = start_serve()
    try:
        send_three(base_url)
    finally:
        out, err = stop(process)
    lines = out.splitlines()[:-1]  # the last line is "stopped."
    assert len(lines) == 3, out
    time_pattern = r"\d\d:\d\d:\d\d"
    assert re.fullmatch(rf"{time_pattern} GET /api/v3/time 200 accepted", lines[0])
    assert re.fullmatch(rf"{time_pattern} GET /api/v3/account 200 accepted", lines[1])
    assert re.fullmatch(
        rf"{time_pattern} GET /api/v1/private/account/assets 200 refused 602 signature_mismatch "
        r"docs/protocol\.md#futures-signed-string",
        lines[2],
    )
    assert DOCS_SECRET not in out and "Traceback" not in err


def test_serve_quiet_prints_no_request_lines():
    process, base_url = start_serve("--quiet")
    try:
        send_three(base_url)
    finally:
        out, err = stop(process)
    assert out.strip() == "stopped.", out
    assert "Traceback" not in err


@pytest.mark.parametrize("closed", [BrokenPipeError, ValueError])
def test_a_failing_printer_never_stops_the_exchange(closed):
    from mexc_helpers import LocalExchange

    def broken(entry):
        raise closed("the terminal is gone")

    with LocalExchange(on_request=broken) as exchange:
        for _ in range(2):
            signed = sign_spot(
                "GET",
                "/api/v3/account",
                {},
                api_key=exchange.api_key,
                secret=exchange.secret,
                base_url=exchange.base_url,
            )
            assert signed.send().status_code == 200
        assert len(exchange.log) == 2


def test_serve_on_a_busy_port_exits_2_with_one_line():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        result = run_cli("serve", "--port", str(taken.getsockname()[1]))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: cannot listen on 127.0.0.1:")


@pytest.mark.slow
def test_help_for_each_command():
    top = run_cli("--help")
    assert top.returncode == 0
    for command, options in (
        ("doctor", ["--json", "--secret-env"]),
        ("sign", ["--futures", "--method"]),
        ("check", ["--base-url"]),
        ("serve", ["--class", "--keys-out", "--keys-in", "--threads", "--quiet"]),
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
