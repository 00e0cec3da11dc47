"""python -m mexc_helpers doctor: JSON for scripts, a readable report for people, exit 2 with one
line for input it cannot use, and the secret never printed."""

import hmac
import json
import os
import subprocess
import sys

import pytest

from tests.conftest import DOCS_SECRET as SECRET
from tests.doctor.test_doctor import QUERY, SORTED, T, spot_url

pytestmark = pytest.mark.slow  # each case starts `python -m mexc_helpers`: `make test` and CI, not `make test-fast`

BROKEN = spot_url(QUERY, SORTED)


def doctor(*args, stdin=None, env=None):
    environment = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "mexc_helpers", "doctor", *args],
        input=stdin,
        capture_output=True,
        timeout=60,
        env=environment,
    )


def test_json_output_with_the_secret_from_the_environment():
    result = doctor(
        "--json", "--secret-env", "LAB_SECRET", "--server-time", str(T - 2000), BROKEN, env={"LAB_SECRET": SECRET}
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["verdict"] == "fail"
    assert report["causes"] == ["signed_order_differs", "timestamp_ahead"]
    assert [set(f) >= {"cause", "evidence", "fix"} for f in report["findings"]] == [True, True]
    assert SECRET.encode() not in result.stdout + result.stderr


def test_ok_request_exits_0_with_verdict_ok():
    result = doctor("--json", "--secret-env", "LAB_SECRET", spot_url(QUERY), env={"LAB_SECRET": SECRET})
    assert result.returncode == 0 and json.loads(result.stdout)["causes"] == ["ok"]


def test_reads_the_request_from_stdin_and_prints_a_readable_report():
    result = doctor("-", "--secret-env", "LAB_SECRET", stdin=BROKEN.encode(), env={"LAB_SECRET": SECRET})
    assert result.returncode == 0
    text = result.stdout.decode()
    assert text.startswith("fail: signed_order_differs")
    assert "fix: Sign the query exactly as you send it" in text and "fixed request:" in text


def test_without_a_secret_the_findings_are_marked_possible():
    plus = spot_url(f"memo=a+b&timestamp={T}")
    report = json.loads(doctor("--json", plus).stdout)
    assert report["signature_checked"] is False
    assert report["findings"][0]["cause"] == "encoding_plus_for_space" and report["findings"][0]["proven"] is False


def test_live_server_time_comes_from_the_exchange(exchange):
    ahead = spot_url(f"symbol=BTCUSDT&timestamp={exchange.server_time() + 5000}")
    result = doctor("--json", "--live", ahead, env={"MEXC_BASE_URL": exchange.base_url})
    assert json.loads(result.stdout)["causes"] == ["timestamp_ahead"]


def test_live_without_a_reachable_exchange_is_one_line():
    result = doctor("--live", BROKEN, env={"MEXC_BASE_URL": "http://127.0.0.1:9"})
    assert result.returncode == 2 and result.stderr.decode().count("\n") == 1
    assert "--server-time" in result.stderr.decode()


@pytest.mark.parametrize(
    ("stdin", "message"),
    [
        (b"", "empty input"),
        (b"<html><body>502 Bad Gateway</body></html>", "HTML page"),
        (b'{"code":700002,"msg":"Signature for this request is not valid."}', "exchange's answer"),
        (
            b"ccxt.base.errors.AuthenticationError: mexc "
            b'{"code":700002,"msg":"Signature for this request is not valid."}',
            "exchange's answer (code 700002), not the request: The server rebuilt",
        ),
        (b"pymexc.base.MexcAPIError: Timestamp outside of the recvWindow (code=700003)", "(code 700003)"),
        (b"{'success': False, 'code': 602, 'message': 'Signature verification failed!'}", "(code 602)"),
        (b"https://api.mexc.com/api/v3/order?symbol=BTCUSDT&side=BU", "no signature found"),
        (b"\x89PNG\r\n\x1a\n\x00\x00binary", "binary data"),
        (b"\xff\xfe\xfd", "binary data"),
    ],
)
def test_unusable_input_exits_2_with_exactly_one_line(stdin, message):
    result = doctor("-", stdin=stdin)
    assert result.returncode == 2
    stderr = result.stderr.decode()
    assert stderr.count("\n") == 1 and message in stderr and stderr.startswith("error: ")
    assert result.stdout == b""


def test_missing_secret_variable_is_one_line():
    result = doctor("--secret-env", "NO_SUCH_VARIABLE_HERE", BROKEN)
    assert result.returncode == 2 and "NO_SUCH_VARIABLE_HERE is not set" in result.stderr.decode()


def test_doctor_help_lists_its_options():
    result = subprocess.run([sys.executable, "-m", "mexc_helpers", "doctor", "--help"], capture_output=True, text=True)
    for option in ("--json", "--secret-env", "--server-time", "--body", "--live", "REQUEST"):
        assert option in result.stdout


def test_a_report_piped_into_head_ends_without_a_traceback():
    """`mexc-lab doctor --all ... | head`: the reader closes the pipe early; the command ends quietly."""
    lines = []
    for index in range(300):
        query = f"symbol=BTCUSDT&timestamp={T + index}"
        signature = hmac.new(SECRET.encode(), query.encode(), "sha256").hexdigest()
        lines.append(f"GET https://api.mexc.com/api/v3/account?{query}&signature={signature}")
    command = [sys.executable, "-m", "mexc_helpers", "doctor", "--all", "--json", "-"]
    with subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as run:
        run.stdin.write("\n".join(lines).encode())
        run.stdin.close()
        assert run.stdout.read(100)  # like head -c 100, then close the pipe
        run.stdout.close()
        stderr = run.stderr.read()
        assert run.wait(timeout=60) == 0
    assert b"Traceback" not in stderr and b"BrokenPipe" not in stderr
