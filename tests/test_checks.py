"""Each self-check accepts the right answer and names the misconception behind a wrong one."""

import json

import pytest

from mexc_helpers import checks
from mexc_helpers.lab.cases import FUTURES_ORDER, LAB_TIME

# The value MEXC's docs print for their Example 1 (docs/protocol.md#test-vectors): it does not reproduce.
DOCS_EXAMPLE_1_PRINTED = "323c96ab85a745712e95e63cad28903dd8292e4a905e99c4ee3932023843a117"
COMPACT = json.dumps(FUTURES_ORDER, separators=(",", ":"))


@pytest.mark.parametrize(
    ("check", "args", "expected"),
    [
        (checks.check_docs_signature, ("fd3e4e8543c5188531eb7279d68ae7d26a573d0fc5ab0d18eb692451654d837a",), "✅"),
        (checks.check_docs_signature, (DOCS_EXAMPLE_1_PRINTED,), "does not reproduce"),
        (checks.check_docs_signature, ("FD3E4E8543C5188531EB7279D68AE7D26A573D0FC5AB0D18EB692451654D837A",), "case"),
        (checks.check_futures_param_string, ("price=60000&quantity=0.001&side=BUY&symbol=BTCUSDT&type=LIMIT",), "✅"),
        (
            checks.check_futures_param_string,
            ("symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=0.001&price=60000",),
            "dictionary order",
        ),
        (checks.check_synced_timestamp, (108, 100, 8), "✅"),
        (checks.check_synced_timestamp, (92, 100, 8), "sign is flipped"),
        (checks.check_synced_timestamp, (100, 100, 8), "raw local time"),
        (checks.check_futures_post_body, (COMPACT, COMPACT), "✅"),
        (checks.check_futures_post_body, (FUTURES_ORDER, COMPACT), "as a str"),
        (
            checks.check_futures_post_body,
            (COMPACT, "symbol=BTC_USDT&price=60000&vol=1&side=1&type=1&openType=1"),
            "raw JSON body",
        ),
        (checks.check_futures_post_body, (json.dumps(FUTURES_ORDER), COMPACT), "very string you send"),
        (checks.check_canonical_value, ("1%2C2%2C3%20%28a%29", "1,2,3 (a)"), "✅"),
        (checks.check_canonical_value, ("1%2C2%2C3+%28a%29", "1,2,3 (a)"), "never '+'"),
        (checks.check_canonical_value, ("1%2c2%2c3%20%28a%29", "1,2,3 (a)"), "uppercase hex"),
        (checks.check_canonical_value, ("1,2,3 (a)", "1,2,3 (a)"), "Unescaped"),
        (checks.check_exercise_1, (700002,), "✅"),
        (checks.check_exercise_1, (10211,), "withdrawal error"),
        (checks.check_exercise_1, (602,), "futures"),
        (checks.check_exercise_2, (f"symbol=BTCUSDT&side=BUY&timestamp={LAB_TIME}",), "✅"),
        (checks.check_exercise_2, (f"side=BUY&symbol=BTCUSDT&timestamp={LAB_TIME}",), "does not need sorting"),
        (checks.check_exercise_3, (False,), "✅"),
        (checks.check_exercise_3, (True,), "only widens the window behind"),
        (checks.check_exercise_4, (COMPACT,), "✅"),
        (checks.check_exercise_4, ("openType=1&price=60000&side=1&symbol=BTC_USDT&type=1&vol=1",), "GET/DELETE"),
        (checks.check_exercise_4, (json.dumps(FUTURES_ORDER),), "spaces"),
        (checks.check_exercise_5, ("BEP20%20%28BSC%29%2C1",), "✅"),
        (checks.check_exercise_6, ("encoding",), "✅"),
        (checks.check_exercise_6, ("clock",), "700003"),
        (checks.check_exercise_1, (...,), "Not answered yet"),
    ],
)
def test_check_messages(capsys, check, args, expected):
    assert check(*args) is None
    printed = capsys.readouterr().out
    assert printed.count("\n") == 1
    assert expected in printed
    if expected != "✅":
        assert not printed.startswith("✅")
