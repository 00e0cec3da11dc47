"""Many requests at once: a bot's log gives one diagnosis per request and a summary, in Python and the CLI."""

from __future__ import annotations

import hmac
import json

import pytest

from mexc_helpers.cli import main
from mexc_helpers.doctor import UnusableInput, diagnose, diagnose_all
from mexc_helpers.protocol.digest import hmac_sha256_hex
from mexc_helpers.protocol.encoding import canonical_query
from mexc_helpers.protocol.signing import sign_spot
from tests.conftest import DOCS_KEY, DOCS_SECRET, NOW

ORDER = [("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "LIMIT"), ("quantity", "0.001"), ("price", "60000")]
HEADERS = {"X-MEXC-APIKEY": DOCS_KEY, "Content-Type": "application/json"}


def log_line(method: str, url: str, answer: str | None = None) -> str:
    """A request as ccxt (Python, verbose=True) prints it, and its answer if given."""
    lines = [f"fetch Request: mexc {method} {url} RequestHeaders: {HEADERS!r} RequestBody: None"]
    if answer is not None:
        lines.append(f"fetch Response: mexc {method} {url} 400 ResponseHeaders: {{}} ResponseBody: {answer}")
    return "\n".join(lines)


def bot_log() -> str:
    good = sign_spot("POST", "/api/v3/order", ORDER, api_key=DOCS_KEY, secret=DOCS_SECRET, timestamp=NOW)
    sent = canonical_query([*ORDER, ("timestamp", str(NOW))])
    sorted_signature = hmac_sha256_hex(DOCS_SECRET, canonical_query(sorted([*ORDER, ("timestamp", str(NOW))])))
    late = sign_spot(
        "GET", "/api/v3/openOrders", {"symbol": "BTCUSDT"}, api_key=DOCS_KEY, secret=DOCS_SECRET, timestamp=NOW - 9000
    )
    return "\n".join(
        [
            "2024-03-01 12:00:00 bot starting",
            log_line("POST", good.url),
            log_line(
                "POST",
                f"https://api.mexc.com/api/v3/order?{sent}&signature={sorted_signature}",
                '{"code":700002,"msg":"Signature for this request is not valid."}',
            ),
            log_line(
                "GET", late.url, '{"code":700003,"msg":"Timestamp for this request is outside of the recvWindow."}'
            ),
        ]
    )


def test_a_bot_log_gives_one_diagnosis_per_request_and_a_summary():
    diagnoses = diagnose_all(bot_log(), DOCS_SECRET, server_time=NOW)
    assert [d.request_line for d in diagnoses] == ["POST /api/v3/order", "POST /api/v3/order", "GET /api/v3/openOrders"]
    assert [d.causes for d in diagnoses] == [["ok"], ["signed_order_differs"], ["timestamp_expired"]]
    assert [d.answer_code for d in diagnoses] == [None, 700002, 700003]
    assert [d.code for d in diagnoses] == [0, 700002, 700003]  # the doctor's prediction agrees with MEXC's answer
    assert diagnoses.summary() == {"ok": 1, "signed_order_differs": 1, "timestamp_expired": 1}
    frame = diagnoses.to_frame()
    assert list(frame["causes"]) == ["ok", "signed_order_differs", "timestamp_expired"]
    assert "3 requests" in str(diagnoses) and "<table>" in diagnoses._repr_html_()


def test_the_single_request_doctor_picks_the_request_the_exchange_refused():
    from mexc_helpers.doctor import diagnose

    assert diagnose(bot_log(), DOCS_SECRET, server_time=NOW).causes == ["signed_order_differs"]


def test_doctor_all_json_prints_every_diagnosis_and_the_summary(capsys, monkeypatch):
    monkeypatch.setenv("DOCTOR_SECRET", DOCS_SECRET)
    code = main(["doctor", "--all", "--json", "--secret-env", "DOCTOR_SECRET", "--server-time", str(NOW), bot_log()])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert [d["causes"] for d in out["diagnoses"]] == [["ok"], ["signed_order_differs"], ["timestamp_expired"]]
    assert out["summary"] == {"ok": 1, "signed_order_differs": 1, "timestamp_expired": 1}
    assert DOCS_SECRET not in json.dumps(out)


@pytest.mark.parametrize("server_time", [1_700_000_000, 1.7e12, "abc", "1700000000000", True])
def test_diagnose_and_diagnose_all_refuse_the_same_bad_server_times(server_time):
    """Seconds read as milliseconds would judge every window wrongly; text would end in a traceback."""
    url = spot_url_for_server_time()
    for judge in (diagnose, diagnose_all):
        with pytest.raises(UnusableInput, match="server_time must be an int of milliseconds"):
            judge(url, DOCS_SECRET, server_time=server_time)


def spot_url_for_server_time() -> str:
    query = "symbol=BTCUSDT&timestamp=1700000000000"
    signature = hmac.new(DOCS_SECRET.encode(), query.encode(), "sha256").hexdigest()
    return f"https://api.mexc.com/api/v3/account?{query}&signature={signature}"
