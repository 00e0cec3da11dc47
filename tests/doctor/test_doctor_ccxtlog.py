"""ccxt's verbose logs, read by the doctor.

Python logs are captured from ccxt itself talking to the local exchange (verbose=True, and DEBUG
logging). JavaScript logs are built the way ccxt's ``Exchange.fetch`` and ``handleRestResponse`` print
them: ``this.log("fetch Request:\\n", this.id, method, url, "\\nRequestHeaders:\\n", headers, ...)``,
where Node's console.log joins its arguments with spaces and prints an object as util.inspect does;
when Node is installed, a test checks that layout against Node's own console.log.
"""

import contextlib
import hmac
import io
import json
import logging
import random
import shutil
import subprocess
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mexc_helpers.doctor import diagnose
from mexc_helpers.doctor.forms.ccxt import _MARKER, recognize
from mexc_helpers.doctor.pasted import UnusableInput
from mexc_helpers.doctor.read import read_requests
from tests.conftest import DOCS_KEY, DOCS_SECRET, NOW

ccxt = pytest.importorskip("ccxt", reason="ccxt is a dev dependency: pip install -r requirements-dev.txt")

ORDER = {"symbol": "BTCUSDT", "side": "BUY", "type": "LIMIT", "quantity": "0.001", "price": "60000"}
FUTURES_ORDER = {"symbol": "BTC_USDT", "price": 60000, "vol": 1, "side": 1, "type": 1, "openType": 1}
OTHER_SECRET = "0" * 32
SPOT_700002 = '{"code":700002,"msg":"Signature for this request is not valid."}'
FUTURES_602 = '{"success":false,"code":602,"message":"Signature verification failed!"}'


# --- Python: what ccxt really prints ------------------------------------------------------------------


def mexc_client(exchange, secret=DOCS_SECRET):
    client = ccxt.mexc({"apiKey": DOCS_KEY, "secret": secret, "verbose": True})
    client.milliseconds = lambda: NOW  # the nonce: the local exchange's frozen clock
    client.urls["api"]["spot"]["public"] = exchange.base_url
    client.urls["api"]["spot"]["private"] = exchange.base_url
    client.urls["api"]["contract"]["private"] = exchange.base_url + "/api/v1/private"
    return client


def captured(calls, debug_logging=False) -> str:
    """What the terminal shows while ``calls`` run: ccxt's verbose print, its DEBUG log lines, the exceptions."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("ccxt.base.exchange")
    old_level = logger.level
    if debug_logging:
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
    try:
        with contextlib.redirect_stdout(out):
            for call in calls:
                try:
                    call()
                except ccxt.BaseError as error:
                    print(f"{type(error).__module__}.{type(error).__name__}: {error}")
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
    return out.getvalue()


def without_answers(log: str) -> str:
    return "\n".join(line for line in log.splitlines() if "fetch Response:" not in line and "errors." not in line)


def line_with(log: str, start: str, needle: str) -> str:
    return next(line for line in log.splitlines() if line.startswith(start) and needle in line)


def test_python_log_gives_every_request_as_the_exchange_received_it(exchange):
    client = mexc_client(exchange)
    log = captured(
        [
            client.spot_public_get_time,
            client.spot_private_get_account,
            lambda: client.spot_private_post_order_test(dict(ORDER)),
            client.contract_private_get_account_assets,
            lambda: client.contract_private_post_order_submit(dict(FUTURES_ORDER)),
        ]
    )
    assert line_with(log, "fetch Request:", "/api/v3/account").startswith(
        f"fetch Request: mexc GET {exchange.base_url}/api/v3/account?timestamp={NOW}&recvWindow=5000&signature="
    )
    found = recognize(log)
    received = exchange.log.entries()
    assert len(found) == len(received) == 5
    for one, entry in zip(found, received, strict=True):
        assert (one.request.method, one.request.path, one.request.query, one.request.body) == (
            entry.method,
            entry.path,
            entry.query,
            entry.body,
        )
        assert (one.form, one.base_url, one.answer_code, one.request.headers_given) == (
            "ccxt",
            exchange.base_url,
            0,
            True,
        )
    assert found[2].request.headers["Content-Type"] == "application/json"
    assert found[2].request.header("X-MEXC-APIKEY") == DOCS_KEY
    futures = found[4].request
    assert (futures.api, futures.api_key, futures.header("Request-Time")) == ("futures", DOCS_KEY, str(NOW))
    assert json.loads(futures.body) == FUTURES_ORDER


def test_python_log_of_a_signature_unexplained_carries_the_exchanges_code(exchange):
    client = mexc_client(exchange, secret=OTHER_SECRET)
    spot = captured([client.spot_private_get_account])
    futures = captured([client.contract_private_get_account_assets])
    assert "400 ResponseHeaders: {" in spot and 'ResponseBody: {"code":700002,' in spot
    assert "200 ResponseHeaders: {" in futures and '"success":false,"code":602' in futures  # futures: HTTP 200
    assert [one.answer_code for one in recognize(spot)] == [700002]
    assert [one.answer_code for one in recognize(futures)] == [602]
    # Without the response line, the exception ccxt raised gives the code; without both, it is not known.
    no_response = "\n".join(line for line in spot.splitlines() if "fetch Response:" not in line)
    assert "AuthenticationError: mexc {" in no_response
    assert [one.answer_code for one in recognize(no_response)] == [700002]
    assert [one.answer_code for one in recognize(without_answers(spot))] == [None]
    for log in (spot, futures, without_answers(spot), without_answers(futures)):
        assert diagnose(log, DOCS_SECRET, server_time=NOW).causes == ["signature_unexplained"]


@pytest.mark.parametrize("answers", [True, False], ids=["with answers", "requests only"])
def test_python_log_of_good_requests_is_diagnosed_ok(exchange, answers):
    client = mexc_client(exchange)
    for call in (
        client.spot_private_get_account,
        lambda: client.spot_private_post_order_test(dict(ORDER)),
        client.contract_private_get_account_assets,
        lambda: client.contract_private_post_order_submit(dict(FUTURES_ORDER)),
    ):
        log = captured([client.spot_public_get_time, call])
        log = log if answers else without_answers(log)
        diagnosis = diagnose(log, DOCS_SECRET, server_time=NOW)
        assert diagnosis.verdict == "ok", (diagnosis, log)
        assert diagnosis.signature_checked


@pytest.mark.parametrize("answers", [True, False], ids=["with answers", "requests only"])
def test_query_reordered_in_the_log_is_proven_signed_order_differs(exchange, answers):
    log = captured([lambda: mexc_client(exchange).spot_private_post_order_test(dict(ORDER))])
    log = log if answers else without_answers(log)
    request_line = line_with(log, "fetch Request:", "/api/v3/order/test")
    broken = log.replace(request_line, request_line.replace("side=BUY&type=LIMIT", "type=LIMIT&side=BUY"))
    (one,) = recognize(broken)
    assert one.request.query.startswith("symbol=BTCUSDT&type=LIMIT&side=BUY&")
    assert one.answer_code is None  # the answer shown was to the URL as ccxt sent it, not to this one
    diagnosis = diagnose(broken, DOCS_SECRET, server_time=NOW)
    assert diagnosis.causes == ["signed_order_differs"]
    assert diagnosis.findings[0].proven


def test_futures_body_respaced_in_the_log_is_proven_contract_json_bytes_differ(exchange):
    log = captured([lambda: mexc_client(exchange).contract_private_post_order_submit(dict(FUTURES_ORDER))])
    compact = json.dumps(FUTURES_ORDER, separators=(",", ":"))
    assert f"RequestBody: {compact}\n" in log
    broken = log.replace(f"RequestBody: {compact}", f"RequestBody: {json.dumps(FUTURES_ORDER)}")
    diagnosis = diagnose(broken, DOCS_SECRET, server_time=NOW)
    assert diagnosis.causes == ["contract_json_bytes_differ"]
    assert diagnosis.findings[0].proven


def test_python_debug_logging_is_read_and_not_counted_twice(exchange):
    client = mexc_client(exchange)
    calls = [client.spot_public_get_time, lambda: client.spot_private_post_order_test(dict(ORDER))]
    both = captured(calls, debug_logging=True)
    assert " DEBUG ccxt.base.exchange: POST " in both and ", Request: {'X-MEXC-APIKEY': " in both
    logged_only = "\n".join(line for line in both.splitlines() if "fetch Re" not in line)
    verbose_only = captured(calls)
    for log in (both, logged_only):
        found = recognize(log)
        assert [(one.request.method, one.request.path, one.request.query) for one in found] == [
            (one.request.method, one.request.path, one.request.query) for one in recognize(verbose_only)
        ]
        assert [one.answer_code for one in found] == [0, 0]
    bad = captured([mexc_client(exchange, OTHER_SECRET).spot_private_get_account], debug_logging=True)
    bad_logged = "\n".join(line for line in bad.splitlines() if "fetch Re" not in line)
    assert [one.answer_code for one in recognize(bad_logged)] == [700002]


# --- JavaScript: what ccxt's console.log prints --------------------------------------------------------


def console_log(*args: str) -> str:
    """Node's console.log: the arguments joined by spaces (objects given as util.inspect prints them)."""
    return " ".join(args) + "\n"


def js_request(method: str, url: str, headers: str, body: str = "undefined") -> str:
    return console_log(
        "fetch Request:\n", "mexc", method, url, "\nRequestHeaders:\n", headers, "\nRequestBody:\n", body, "\n"
    )


def js_response(method: str, url: str, status: str, body: str) -> str:
    headers = "{\n  Date: 'Tue, 14 Nov 2023 22:13:20 GMT',\n  'Content-Type': 'application/json',\n"
    headers += "  Connection: 'keep-alive'\n}"
    args = ("handleRestResponse:\n", "mexc", method, url, status, "\nResponseHeaders:\n", headers, "\nResponseBody:\n")
    return console_log(*args, body, "\n")


def sign(text: str, secret: str = DOCS_SECRET) -> str:
    return hmac.new(secret.encode(), text.encode(), "sha256").hexdigest()


SPOT_QUERY = f"symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=0.001&price=60000&timestamp={NOW}&recvWindow=5000"
SPOT_URL = f"https://api.mexc.com/api/v3/order?{SPOT_QUERY}&signature={sign(SPOT_QUERY)}"
FUTURES_URL = "https://contract.mexc.com/api/v1/private/order/submit"
FUTURES_BODY = json.dumps(FUTURES_ORDER, separators=(",", ":"))


def spot_headers(key: str = DOCS_KEY) -> str:
    return f"{{\n  'X-MEXC-APIKEY': '{key}',\n  source: 'CCXT',\n  'Content-Type': 'application/json'\n}}"


def futures_headers(key: str = DOCS_KEY, secret: str = DOCS_SECRET) -> str:
    signature = sign(f"{DOCS_KEY}{NOW}{FUTURES_BODY}", secret)
    return (
        f"{{\n  ApiKey: '{key}',\n  'Request-Time': '{NOW}',\n  'Content-Type': 'application/json',\n"
        f"  source: 'CCXT',\n  Signature: '{signature}'\n}}"
    )


ORDER_ANSWER = '{"symbol":"BTCUSDT","orderId":"C02__1","orderListId":-1,"price":"60000","origQty":"0.001"}'
JS_SPOT = js_request("POST", SPOT_URL, spot_headers()) + js_response("POST", SPOT_URL, "200 OK", ORDER_ANSWER)
JS_FUTURES_BAD = js_request("POST", FUTURES_URL, futures_headers(secret=OTHER_SECRET), FUTURES_BODY) + js_response(
    "POST", FUTURES_URL, "200 OK", FUTURES_602
)
JS_TIME = js_request("GET", "https://api.mexc.com/api/v3/time", "{}") + js_response(
    "GET", "https://api.mexc.com/api/v3/time", "200 OK", '{"serverTime":1700000000000}'
)


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_js_fixtures_are_laid_out_as_nodes_console_log_prints_them():
    script = f"""
    const headers = {{'X-MEXC-APIKEY': '{DOCS_KEY}', source: 'CCXT', 'Content-Type': 'application/json'}}
    console.log("fetch Request:\\n", "mexc", "POST", "{SPOT_URL}", "\\nRequestHeaders:\\n", headers,
                "\\nRequestBody:\\n", undefined, "\\n")
    console.log("fetch Request:\\n", "mexc", "GET", "https://api.mexc.com/api/v3/time", "\\nRequestHeaders:\\n", {{}},
                "\\nRequestBody:\\n", undefined, "\\n")
    """
    printed = subprocess.run(["node", "-e", script], capture_output=True, text=True, timeout=30, check=True).stdout
    assert printed == js_request("POST", SPOT_URL, spot_headers()) + js_request(
        "GET", "https://api.mexc.com/api/v3/time", "{}"
    )


@pytest.mark.parametrize("answers", [True, False], ids=["with answers", "requests only"])
def test_js_spot_log_is_read_and_diagnosed_ok(answers):
    log = JS_TIME + JS_SPOT if answers else js_request("POST", SPOT_URL, spot_headers())
    found = recognize(log)
    order = found[-1]
    assert (order.request.method, order.base_url, order.request.path) == (
        "POST",
        "https://api.mexc.com",
        "/api/v3/order",
    )
    assert order.request.query == f"{SPOT_QUERY}&signature={sign(SPOT_QUERY)}"
    assert dict(order.request.headers) == {
        "X-MEXC-APIKEY": DOCS_KEY,
        "source": "CCXT",
        "Content-Type": "application/json",
    }
    assert (order.request.body, order.answer_code) == ("", 0 if answers else None)
    assert diagnose(log, DOCS_SECRET, server_time=NOW).verdict == "ok"


def test_js_futures_log_of_a_signature_unexplained_carries_602_and_is_diagnosed():
    (one,) = recognize(JS_FUTURES_BAD)
    assert (one.request.api, one.request.api_key, one.request.body, one.answer_code) == (
        "futures",
        DOCS_KEY,
        FUTURES_BODY,
        602,
    )
    assert diagnose(JS_FUTURES_BAD, DOCS_SECRET, server_time=NOW).causes == ["signature_unexplained"]
    good = js_request("POST", FUTURES_URL, futures_headers(), FUTURES_BODY)
    assert recognize(good)[0].answer_code is None
    assert diagnose(good, DOCS_SECRET, server_time=NOW).verdict == "ok"


@pytest.mark.parametrize("blank", ["***", "xxxx", "<redacted>"])
def test_redacted_keys_count_as_not_shown_and_the_signature_is_still_proven(blank):
    spot = js_request("POST", SPOT_URL, spot_headers(key=blank))
    futures = js_request("POST", FUTURES_URL, futures_headers(key=blank), FUTURES_BODY)
    python = f"fetch Request: mexc POST {SPOT_URL} RequestHeaders: {{'X-MEXC-APIKEY': '{blank}'}} RequestBody: None"
    for log in (spot, futures, python):
        (one,) = recognize(log)
        assert not one.request.headers_given and one.request.api_key is None
    assert diagnose(spot, DOCS_SECRET, server_time=NOW).verdict == "ok"
    assert diagnose(python, DOCS_SECRET, server_time=NOW).verdict == "ok"
    assert diagnose(futures, DOCS_SECRET, api_key=DOCS_KEY, server_time=NOW).verdict == "ok"


def test_js_log_with_a_prefix_on_every_line_joined_into_one_line_or_in_colour():
    pm2 = "".join(f"0|bot      | {line}\n" for line in (JS_TIME + JS_SPOT + JS_FUTURES_BAD).splitlines())
    one_line = " ".join((JS_TIME + JS_SPOT + JS_FUTURES_BAD).split())  # how a chat or an issue may reflow it
    # Node colours what it prints when its output is a terminal; a log saved from one keeps the escapes.
    coloured = JS_SPOT.replace("'CCXT'", "\x1b[32m'CCXT'\x1b[39m").replace(" 200 OK", " \x1b[33m200\x1b[39m OK")
    expected = [
        (one.request.method, one.request.path, one.request.query, one.answer_code)
        for one in recognize(JS_TIME + JS_SPOT + JS_FUTURES_BAD)
    ]
    assert [code for *_, code in expected] == [0, 0, 602]
    for log in (pm2, one_line):
        found = recognize(log)
        assert [(one.request.method, one.request.path, one.request.query, one.answer_code) for one in found] == expected
        assert found[2].request.body == FUTURES_BODY and found[2].request.api_key == DOCS_KEY
    (one,) = recognize(coloured)
    assert (one.request.headers["source"], one.answer_code) == ("CCXT", 0)


def test_ccxt_1x_js_answer_layout_is_read():
    """ccxt 1.x printed ``"\\nResponse:\\n", responseHeaders, "\\n", responseBody``: no ResponseBody label."""
    old = console_log(
        "handleRestResponse:\n", "mexc", "POST", SPOT_URL, "400", "Bad Request", "\nResponse:\n",
        "{ 'Content-Type': 'application/json' }", "\n", SPOT_700002, "\n",
    )  # fmt: skip
    assert [one.answer_code for one in recognize(js_request("POST", SPOT_URL, spot_headers()) + old)] == [700002]


# --- pasted with other lines around ------------------------------------------------------------------------


def test_log_with_noise_and_several_requests_gives_every_request_in_order(exchange):
    client = mexc_client(exchange)
    log = captured(
        [
            client.spot_public_get_time,
            lambda: client.spot_private_post_order_test(dict(ORDER)),
            lambda: mexc_client(exchange, OTHER_SECRET).contract_private_get_account_assets(),
        ]
    )
    noisy = "\n".join(
        f"2024-03-01 12:00:0{index % 10},123 DEBUG {line}" if line.startswith("fetch") else line
        for index, line in enumerate(log.splitlines())
    )
    noisy = (
        "$ python bot.py\nStarting bot v1.2 (ccxt 4.5)\n"
        + noisy
        + '\nTraceback (most recent call last):\n  File "bot.py", line 12, in <module>\n    ex.fetch_balance()\n'
        + f"ccxt.base.errors.AuthenticationError: mexc {FUTURES_602}\n"
    )
    found = recognize(noisy)
    assert [(one.request.method, one.request.path, one.answer_code) for one in found] == [
        ("GET", "/api/v3/time", 0),
        ("POST", "/api/v3/order/test", 0),
        ("GET", "/api/v1/private/account/assets", 602),
    ]
    # read_requests keeps the ones the doctor can diagnose: the signed ones, in order.
    assert [one.request.path for one in read_requests(noisy)] == [
        "/api/v3/order/test",
        "/api/v1/private/account/assets",
    ]


NOISE = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n\x1b"), max_size=80).filter(
    lambda line: _MARKER.search(line) is None
)
BLOCKS = [JS_TIME, JS_SPOT, JS_FUTURES_BAD]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(NOISE, max_size=3), min_size=len(BLOCKS) + 1, max_size=len(BLOCKS) + 1))
def test_lines_around_the_requests_do_not_change_what_is_found(noise):
    def key(found):
        return [
            (one.request.method, one.base_url, one.request.query, one.request.body, one.answer_code) for one in found
        ]

    expected = key(recognize("".join(BLOCKS)))
    text = "".join(
        "".join(line + "\n" for line in lines) + block for lines, block in zip(noise, [*BLOCKS, ""], strict=True)
    )
    assert key(recognize(text)) == expected


# --- not a ccxt log, or a broken one -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        f"curl -X POST '{SPOT_URL}' -H 'X-MEXC-APIKEY: {DOCS_KEY}'",
        SPOT_URL,
        SPOT_700002,
        f"ccxt.base.errors.AuthenticationError: mexc {SPOT_700002}",
        "I turned on verbose but there is no fetch Request: line, only a fetch Response: it never came",
        "Lorem ipsum dolor sit amet, consectetur adipiscing elit.",
        "",
    ],
    ids=["curl", "url", "json answer", "exception", "prose", "text", "empty"],
)
def test_what_is_not_a_ccxt_log_is_left_to_the_other_readers(text):
    assert recognize(text) is None


@pytest.mark.parametrize(
    "junk",
    [
        "".join(random.Random(1).choice("abcdefghij {}[]'\":,=&?/\n\t") for _ in range(100_000)),
        "fetch Request: " * 7_000,
        "GET https://a, Request" * 5_000,
        "Error: mexc " * 9_000,
        "x" * 100_000,
        "{" * 100_000,
    ],
    ids=["random", "markers", "near logging", "near exception", "one word", "braces"],
)
def test_100_kb_of_junk_is_refused_quickly(junk):
    started = time.perf_counter()
    assert recognize(junk) is None
    assert time.perf_counter() - started < 1.0


def test_100_kb_inside_a_request_line_is_read_quickly():
    for junk in ("{" * 100_000, "'" * 100_000, "'a': " * 20_000):
        started = time.perf_counter()
        (one,) = recognize(f"fetch Request: mexc GET {SPOT_URL} RequestHeaders: {junk} RequestBody: None")
        assert one.request.query.startswith("symbol=BTCUSDT")
        assert time.perf_counter() - started < 1.0


@pytest.mark.parametrize(
    "log, message",
    [
        ("fetch Request: mexc GET RequestHeaders: {} RequestBody: None", "without its URL"),
        ("fetch Request:\n mexc POST \nRequestHeaders:\n {}\nRequestBody:\n undefined \n", "without its URL"),
        (
            "fetch Response: mexc GET https://api.mexc.com/api/v3/account 400 ResponseHeaders: {} "
            f"ResponseBody: {SPOT_700002}",
            "not the requests",
        ),
        (JS_SPOT.replace("mexc", "binance"), "binance, not to MEXC"),
        ("fetch Request: mexc GET api.mexc.com/api/v3/account RequestHeaders: {} RequestBody: None", "is not an http"),
    ],
    ids=["python no url", "js no url", "answers only", "other exchange", "no scheme"],
)
def test_a_broken_ccxt_log_says_what_is_wrong(log, message):
    with pytest.raises(UnusableInput, match=message):
        recognize(log)


def test_header_dict_cut_short_keeps_what_is_shown_and_judges_no_header_missing():
    """Content-Type (spot POST) and the key may have been further on: header rules are not judged."""
    line = f"fetch Request: mexc POST {SPOT_URL} RequestHeaders: {{'X-MEXC-APIKEY': '{DOCS_KEY}', 'Content-Ty"
    (one,) = recognize(line)
    assert dict(one.request.headers) == {"X-MEXC-APIKEY": DOCS_KEY} and one.request.api_key == DOCS_KEY
    (cut,) = recognize(f"fetch Request: mexc POST {SPOT_URL} RequestHeaders: {{'source': 'CCXT', 'User-Ag")
    assert dict(cut.request.headers) == {"source": "CCXT"}
    assert not one.request.headers_given and not cut.request.headers_given
    assert diagnose(line, DOCS_SECRET, server_time=NOW).verdict == "ok"
    futures = js_request("POST", FUTURES_URL, futures_headers(), FUTURES_BODY).split("  source:")[0]
    (cut_futures,) = recognize(futures)  # the JS object cut after Content-Type: no Signature shown
    assert cut_futures.request.api_key == DOCS_KEY and cut_futures.request.signature is None
    assert not cut_futures.request.headers_given


FRAGMENTS = st.sampled_from(
    [
        "fetch Request:",
        "fetch Response:",
        "handleRestResponse:",
        " mexc ",
        "binance ",
        "GET ",
        "POST ",
        SPOT_URL,
        FUTURES_URL,
        " RequestHeaders:",
        " RequestBody:",
        "ResponseBody:",
        "\nResponse:\n",
        "{",
        "}",
        "'",
        '"',
        ":",
        ",",
        "\n",
        " ",
        "200",
        "400 Bad Request",
        SPOT_700002,
        FUTURES_602,
        "AuthenticationError: mexc ",
        ", Request: ",
        ", Response: ",
        "None",
        "undefined",
        "\\",
        "\x1b[32m",
        "'X-MEXC-APIKEY': ",
        "ApiKey: ",
        "xxxx",
        "0|bot | ",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(FRAGMENTS, st.text(max_size=4)), max_size=40))
def test_any_text_gives_requests_none_or_unusable_input(parts):
    try:
        found = recognize("".join(parts))
    except UnusableInput:
        return
    assert found is None or all(one.form == "ccxt" and one.request.method for one in found)
