"""The doctor panel, driven by setting its widgets, and notebook 05 run headless with papermill."""

import json
import os
import subprocess
import sys

import pytest

from mexc_helpers.lab.doctorpanel import doctor_panel

from .conftest import DOCS_SECRET as SECRET
from .test_doctor import QUERY, SORTED, T, spot_url

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


def test_notebook_05_runs_headless_with_papermill(tmp_path):
    pytest.importorskip("papermill")
    output = tmp_path / "out.ipynb"
    notebook = os.path.join(os.path.dirname(__file__), "..", "notebooks", "05_debug_your_request.ipynb")
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


def test_a_typed_secret_leaves_the_widget_at_once_and_no_cached_state_outlives_the_diagnosis():
    from mexc_helpers.protocol import digest

    panel = doctor_panel(request=BROKEN)
    assert panel.controls["secret"].continuous_update is False  # synced on Enter or blur, not per keystroke
    panel.controls["secret"].value = SECRET
    assert panel.controls["secret"].value == ""  # a notebook saved now keeps no secret in its widget state
    assert "received" in panel.controls["secret"].placeholder
    panel.controls["button"].click()
    assert panel.diagnosis.causes == ["signed_order_differs"]
    assert hash(SECRET) not in digest._states and hash(SECRET + "\n") not in digest._states
    panel.controls["button"].click()  # used once: a second run has no secret
    assert panel.diagnosis.signature_checked is False
