"""Each self-check accepts the right answer (and its equivalent forms) and names the misconception
behind a wrong one, without giving the right answer away.

The right answers are written here from literal values (the docs' signature by hand with hmac),
never taken from the checks themselves.
"""

import hashlib
import hmac

import pytest

from mexc_helpers import checks
from mexc_helpers.lab.labs import FUTURES_ORDER

# 00: MEXC's documented example, signed by hand.
DOCS_SECRET = "45d0b3c26f2644f19bfb98b07741b2f5"
DOCS_QUERY = "symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=11&recvWindow=5000&timestamp=1644489390087"
DOCS_SIGNATURE = hmac.new(DOCS_SECRET.encode(), DOCS_QUERY.encode(), hashlib.sha256).hexdigest()
SWAPPED_SIGNATURE = hmac.new(DOCS_QUERY.encode(), DOCS_SECRET.encode(), hashlib.sha256).hexdigest()
DOCS_EXAMPLE_1_PRINTED = "323c96ab85a745712e95e63cad28903dd8292e4a905e99c4ee3932023843a117"
# 02: local time plus the measured offset.
LOCAL_MS, OFFSET_MS = 1_700_000_123_456, 8_000
SYNCED = 1_700_000_131_456
# 03 and workshop 4: the lab's futures order as compact JSON, and as json= would send it.
COMPACT = '{"symbol":"BTC_USDT","price":60000,"vol":1,"side":1,"type":1,"openType":1}'
SPACED = '{"symbol": "BTC_USDT", "price": 60000, "vol": 1, "side": 1, "type": 1, "openType": 1}'
AS_STRINGS = '{"symbol":"BTC_USDT","price":"60000","vol":"1","side":"1","type":"1","openType":"1"}'
SORTED_KEYS = '{"openType":1,"price":60000,"side":1,"symbol":"BTC_USDT","type":1,"vol":1}'
# 04 and workshop 5: canonical encodings.
CANONICAL = "1%2C2%2C3%20%28a%29"
BEP20 = "BEP20%20%28BSC%29%2C1"
# Workshop 2: the query as sent.
SENT = "symbol=BTCUSDT&side=BUY&timestamp=1700000000000"


def verdict(capsys, check, *args) -> str:
    """What a check prints: exactly one line, the message of the result it returns (which displays nothing more)."""
    result = check(*args)
    printed = capsys.readouterr().out
    assert printed.count("\n") == 1
    assert printed == result.message + "\n"
    assert result.passed == printed.startswith("✅ PASS: ")
    assert printed.startswith(("✅ PASS: ", "❌ FAIL: ", "❓ NOT ANSWERED: "))  # a word beside the symbol
    return printed


@pytest.mark.parametrize(
    ("check", "args"),
    [
        pytest.param(checks.check_docs_signature, (DOCS_SIGNATURE,), id="00"),
        pytest.param(checks.check_synced_timestamp, (SYNCED, LOCAL_MS, OFFSET_MS), id="02"),
        pytest.param(checks.check_futures_post_body, (COMPACT, COMPACT), id="03-compact"),
        pytest.param(checks.check_futures_post_body, (SPACED, SPACED), id="03-spaced, signed as sent"),
        pytest.param(
            checks.check_futures_post_body, (SORTED_KEYS, SORTED_KEYS), id="03-keys reordered, signed as sent"
        ),
        pytest.param(checks.check_canonical_value, (CANONICAL, "1,2,3 (a)"), id="04"),
        pytest.param(checks.check_doctor_cause, ("param_added_after_signing",), id="05"),
        pytest.param(checks.check_doctor_cause, (" Param_Added_After_Signing",), id="05-any case"),
        pytest.param(checks.check_exercise_1, (700002,), id="06.1"),
        pytest.param(checks.check_exercise_2, (SENT,), id="06.2"),
        pytest.param(checks.check_exercise_3, (False,), id="06.3"),
        pytest.param(checks.check_exercise_4, (COMPACT,), id="06.4"),
        pytest.param(checks.check_exercise_5, (BEP20,), id="06.5"),
        pytest.param(checks.check_exercise_6, ("encoding",), id="06.6"),
        pytest.param(checks.check_exercise_6, ("Encoding",), id="06.6-any case"),
        pytest.param(checks.check_exercise_6, ("encoding_plus_for_space",), id="06.6-the doctor's name"),
    ],
)
def test_right_answers_and_their_equivalent_forms_pass(capsys, check, args):
    assert verdict(capsys, check, *args).startswith("✅")


def cases(check, right: str, answers: dict, *context) -> list:
    """One case per wrong answer: {name: (answer, the words naming its mistake)}; ``right`` must not appear."""
    return [
        pytest.param(check, (answer, *context), mistake, right, id=name) for name, (answer, mistake) in answers.items()
    ]


def post_body(pair) -> None:
    """Notebook 03's check, given the (body, signed_param_string) pair."""
    return checks.check_futures_post_body(*pair)


KEY_AND_TIME = "mx0aBYs33eIilxBWC51700000000000"  # what the futures signer puts before paramString
WRONG = [
    *cases(
        checks.check_docs_signature,
        DOCS_SIGNATURE,
        {
            "00 False": (False, "That is a bool"),
            "00 True": (True, "a str of 64 hex digits"),
            "00 the docs' printed value": (DOCS_EXAMPLE_1_PRINTED, "does not reproduce"),
            "00 uppercase": (DOCS_SIGNATURE.upper(), "wrong case"),
            "00 newline": (DOCS_SIGNATURE + "\n", "spaces or a newline"),
            "00 secret and query swapped": (SWAPPED_SIGNATURE, "swapped"),
            "00 digest() bytes": (bytes.fromhex(DOCS_SIGNATURE), "hex digest"),
        },
    ),
    *cases(
        checks.check_synced_timestamp,
        str(SYNCED),
        {
            "02 seconds": (SYNCED // 1000, "seconds"),
            "02 seconds, float": (SYNCED / 1000, "seconds"),
            "02 a float": (float(SYNCED), "float"),
            "02 a str": (str(SYNCED), "a str"),
            "02 the sign flipped": (LOCAL_MS - OFFSET_MS, "flipped"),
            "02 the raw local time": (LOCAL_MS, "raw local"),
            "02 microseconds": (SYNCED * 1000, "microseconds"),
            "02 off by one": (SYNCED + 1, "server minus local"),
        },
        LOCAL_MS,
        OFFSET_MS,
    ),
    *cases(
        post_body,
        COMPACT,
        {
            "03 a dict body": ((FUTURES_ORDER, COMPACT), "as a str"),
            "03 k=v signed": ((COMPACT, "symbol=BTC_USDT&price=60000&vol=1&side=1&type=1&openType=1"), "raw JSON body"),
            "03 spaced signed, compact sent": ((COMPACT, SPACED), "other spacing"),
            "03 keys sorted when signing": ((COMPACT, SORTED_KEYS), "sort_keys"),
            "03 numbers as strings": ((AS_STRINGS, AS_STRINGS), "other types"),
        },
    ),
    *cases(
        post_body,
        "paramString is",
        {"03 key and time in front": ((COMPACT, KEY_AND_TIME + COMPACT), "Request-Time")},
    ),
    *cases(
        checks.check_canonical_value,
        CANONICAL,
        {
            "04 parentheses left raw": ("1%2C2%2C3%20(a)", "'(' ')'"),
            "04 + for the space": ("1%2C2%2C3+%28a%29", "'+'"),
            "04 lowercase hex": ("1%2c2%2c3%20%28a%29", "Lowercase hex"),
            "04 nothing escaped": ("1,2,3 (a)", "Unescaped"),
            "04 encoded twice": ("1%252C2%252C3", "Encoded twice"),
            "04 a letter escaped": ("1%2C2%2C3%20%28%61%29", "Escaped 'a'"),
        },
        "1,2,3 (a)",
    ),
    *cases(
        checks.check_doctor_cause,
        "param_added",
        {
            "05 ok": ("ok", "700002"),
            "05 the causes list": (["param_added_after_signing"], "That is a list"),
            "05 the order": ("signed_order_differs", "order is the same"),
            "05 the time": ("timestamp_expired", "Not the time"),
        },
    ),
    *cases(
        checks.check_exercise_1,
        "700002",
        {
            "06.1 a str": ("700002", "That is a str"),
            "06.1 10211": (10211, "withdrawal error"),
            "06.1 602": (602, "futures"),
            "06.1 700003": (700003, "timestamp window"),
            "06.1 the HTTP status": (400, "HTTP status"),
        },
    ),
    *cases(
        checks.check_exercise_2,
        SENT,
        {
            "06.2 sorted": ("side=BUY&symbol=BTCUSDT&timestamp=1700000000000", "does not need sorting"),
            "06.2 the signature": (SENT + "&signature=ab12", "signature"),
            "06.2 the URL": ("/api/v3/order?" + SENT, "no path"),
        },
    ),
    *cases(checks.check_exercise_3, "False", {"06.3 True": (True, "only widens the window behind")}),
    *cases(
        checks.check_exercise_4,
        COMPACT,
        {
            "06.4 spaced": (SPACED, "spacing"),
            "06.4 k=v": ("symbol=BTC_USDT&price=60000&vol=1&side=1&type=1&openType=1", "k=v"),
            "06.4 sorted k=v": ("openType=1&price=60000&side=1&symbol=BTC_USDT&type=1&vol=1", "GET/DELETE"),
        },
    ),
    *cases(checks.check_exercise_5, BEP20, {"06.5 parentheses left raw": ("BEP20%20(BSC)%2C1", "BEP20(BSC)")}),
    *cases(
        checks.check_exercise_6,
        "encoding",
        {
            "06.6 clock": ("clock", "700003"),
            "06.6 timestamp_ahead": ("timestamp_ahead", "700003"),
            "06.6 order": ("order", "order sent"),
            "06.6 body": ("body", "no body"),
            "06.6 another encoding bug": ("encoding_unescaped", "wrong bug"),
        },
    ),
]


@pytest.mark.parametrize(("check", "args", "mistake", "right"), WRONG)
def test_wrong_answers_are_told_their_mistake_not_the_answer(capsys, check, args, mistake, right):
    printed = verdict(capsys, check, *args)
    assert printed.startswith("❌")
    assert mistake in printed
    assert right not in printed


@pytest.mark.parametrize(
    "check",
    [checks.check_docs_signature, checks.check_futures_post_body, checks.check_exercise_6],
    ids=["00", "03", "06.6"],
)
def test_unanswered(capsys, check):
    args = (...,) * (2 if check is checks.check_futures_post_body else 1)
    assert verdict(capsys, check, *args).startswith("❓ NOT ANSWERED: replace the ...")


def test_an_unknown_cause_is_told_the_choices(capsys):
    printed = verdict(capsys, checks.check_exercise_6, "the network")
    assert '"order", "clock", "body" or "encoding"' in printed
