"""The doctor panel, driven by setting its widgets, and notebook 05 run headless with papermill."""

import hmac
import json
import os
import subprocess
import sys

import pytest

from mexc_helpers.lab.doctorpanel import doctor_panel
from tests.conftest import DOCS_SECRET as SECRET
from tests.doctor.test_doctor import QUERY, SORTED, T, spot_url

BROKEN = spot_url(QUERY, SORTED)


def test_paste_secret_diagnose_and_the_secret_is_cleared():
    panel = doctor_panel(request=BROKEN)
    panel.controls["secret"].value = SECRET
    panel.controls["button"].click()
    assert panel.diagnosis.causes == ["signed_order_differs"]
    assert panel.controls["secret"].value == ""  # never left in the widget's state
    assert "signed_order_differs" in panel.result.value and "Fixed request" in panel.result.value
    assert SECRET not in panel.result.value + panel.message.value


def test_server_time_from_a_number_and_from_the_lab_exchange(exchange):
    panel = doctor_panel(exchange, request=BROKEN)
    panel.controls["time_source"].value = "number"
    panel.controls["server_time"].value = T - 2000
    panel.run()
    assert panel.diagnosis.causes == ["timestamp_ahead"]  # no secret: only what can be seen
    exchange.clock_offset_ms = -2000  # the exchange's clock: T - 2000
    panel.controls["secret"].value = SECRET  # typed again: the panel cleared it after the last run
    panel.controls["time_source"].value = "local"
    panel.run()
    assert panel.diagnosis.causes == ["signed_order_differs", "timestamp_ahead"]


def test_secret_from_the_environment(monkeypatch):
    monkeypatch.setenv("MEXC_SECRET_KEY", SECRET)
    panel = doctor_panel(request=BROKEN)
    panel.controls["use_env"].value = True
    panel.run()
    assert panel.diagnosis.causes == ["signed_order_differs"]
    monkeypatch.delenv("MEXC_SECRET_KEY")
    panel.run()
    assert "MEXC_SECRET_KEY is not set" in panel.message.value and panel.diagnosis is None


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "empty input"), ("<html></html>", "HTML page"), ('{"code":700002,"msg":"x"}', "(code 700002)")],
)
def test_bad_paste_shows_one_line_and_keeps_the_text(text, message):
    panel = doctor_panel(request=text)
    panel.run()
    assert message in panel.message.value and "Traceback" not in panel.message.value
    assert panel.controls["request"].value == text


def test_a_bad_number_is_refused_with_what_is_expected():
    panel = doctor_panel(request=BROKEN)
    panel.controls["time_source"].value = "number"
    panel.controls["server_time"].value = 1700000000
    panel.run()
    assert "in milliseconds" in panel.message.value


@pytest.mark.slow
def test_notebook_05_runs_headless_with_papermill(tmp_path):
    pytest.importorskip("papermill")
    output = tmp_path / "out.ipynb"
    notebook = os.path.join(os.path.dirname(__file__), "..", "..", "notebooks", "05_debug_your_request.ipynb")
    env = {**os.environ, "MEXC_SECRET_KEY": SECRET}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "papermill",
            notebook,
            str(output),
            "-p",
            "request",
            BROKEN,
            "-p",
            "server_time",
            str(T - 2000),
            "--cwd",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=240,
        env=env,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    cells = json.loads(output.read_text())["cells"]
    printed = "".join("".join(o.get("text", "")) for c in cells if c["cell_type"] == "code" for o in c["outputs"])
    assert "fail: signed_order_differs, timestamp_ahead" in printed
    assert "fail: encoding_plus_for_space" in printed  # the requests bot's PreparedRequest, diagnosed as sent
    assert SECRET not in printed


def test_a_typed_secret_leaves_the_widget_at_once_and_is_used_once():
    panel = doctor_panel(request=BROKEN)
    assert panel.controls["secret"].continuous_update is False  # synced on Enter or blur, not per keystroke
    panel.controls["secret"].value = SECRET
    assert panel.controls["secret"].value == ""  # a notebook saved now keeps no secret in its widget state
    assert "received" in panel.controls["secret"].placeholder
    panel.controls["button"].click()
    assert panel.diagnosis.causes == ["signed_order_differs"]
    panel.controls["button"].click()  # used once: a second run has no secret
    assert panel.diagnosis.signature_checked is False


# --- which clock judges the time --------------------------------------------------------------------------


def http_paste(timestamp: int, date: str | None) -> str:
    """A raw HTTP request as a proxy shows it, with MEXC's answer and its Date header when given."""
    query = f"symbol=BTCUSDT&timestamp={timestamp}"
    signature = hmac.new(SECRET.encode(), query.encode(), "sha256").hexdigest()
    request = (
        f"GET /api/v3/account?{query}&signature={signature} HTTP/1.1\nHost: api.mexc.com\n"
        f"X-MEXC-APIKEY: mx0aBYs33eIilxBWC5\n\n"
    )
    if date is None:
        return request
    return request + (
        f"HTTP/1.1 400 Bad Request\nDate: {date}\nContent-Type: application/json\n\n"
        '{"code":700003,"msg":"Timestamp for this request is outside of the recvWindow."}'
    )


# 2023-11-14 22:13:20 GMT is T = 1_700_000_000_000 ms.
T_DATE = "Tue, 14 Nov 2023 22:13:20 GMT"


def test_by_default_the_time_is_the_one_the_paste_shows(exchange):
    panel = doctor_panel(exchange, request=http_paste(T + 2000, T_DATE))  # 2.0 to 2.999 s ahead of the Date
    assert panel.controls["time_source"].value == "auto"
    panel.controls["secret"].value = SECRET
    panel.run()
    assert panel.diagnosis.causes == ["timestamp_ahead"]
    assert any("Date header" in note for note in panel.diagnosis.notes)


def test_a_date_header_too_coarse_for_the_timestamp_is_not_judged(exchange):
    panel = doctor_panel(exchange, request=http_paste(T + 1500, T_DATE))  # 0.501 to 1.5 s ahead: either way
    panel.controls["secret"].value = SECRET
    panel.run()
    assert panel.diagnosis.verdict == "ok" or "timestamp_ahead" not in panel.diagnosis.causes
    assert any("too coarse" in note for note in panel.diagnosis.notes)


def test_a_real_bots_request_is_never_judged_against_the_lab_clock():
    """A request from today (its timestamp hours from the lab exchange's clock) is not judged, and it says so."""
    from mexc_helpers.server.exchange import LocalExchange

    with LocalExchange(clock=lambda: T - 10 * 3_600_000) as far:
        panel = doctor_panel(far, request=http_paste(T, None))
        panel.controls["secret"].value = SECRET
        panel.run()
    assert panel.diagnosis.verdict == "ok" and panel.diagnosis.causes == ["ok"]
    assert any("not judged" in note for note in panel.diagnosis.notes)
    assert "not judged" in panel.result.value


def test_a_request_made_against_the_lab_exchange_is_judged_by_its_clock(exchange):
    exchange.clock_offset_ms = -2000  # the lab's clock is T - 2000: the request is 2 s ahead of it
    panel = doctor_panel(exchange, request=http_paste(T, None))
    panel.controls["secret"].value = SECRET
    panel.run()
    assert panel.diagnosis.causes == ["timestamp_ahead"]
    assert any("lab exchange's clock" in note for note in panel.diagnosis.notes)
