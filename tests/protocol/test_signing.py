"""The signer's contract: clear one-line errors, requests that never leak the secret, futures rules."""

import dataclasses
import json

import pytest

from mexc_helpers.protocol.encoding import EncodingError
from mexc_helpers.protocol.signing import (
    SignedRequest,
    SigningError,
    encode_params,
    futures_param_string,
    futures_signature,
    sign_futures,
    sign_spot,
    spot_signature,
)

KEY = "mx0aBYs33eIilxBWC5"
SECRET = "45d0b3c26f2644f19bfb98b07741b2f5"
TS = 1_700_000_000_000


def spot(**overrides):
    args = {"method": "GET", "path": "/api/v3/account", "params": {}, "api_key": KEY, "secret": SECRET, "timestamp": TS}
    args.update(overrides)
    method, path, params = args.pop("method"), args.pop("path"), args.pop("params")
    return sign_spot(method, path, params, **args)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"secret": ""}, "secret is empty"),
        ({"secret": None}, "secret must be a str"),
        ({"secret": b"bytes"}, "secret must be a str"),
        ({"secret": SECRET + "\n"}, "whitespace .*copy-paste"),
        ({"secret": " " + SECRET}, "whitespace .*copy-paste"),
        ({"api_key": ""}, "api_key must be a non-empty str"),
        ({"api_key": KEY + " "}, "api_key has leading or trailing whitespace"),
        ({"timestamp": 1644489390.087}, "timestamp must be an int of milliseconds"),
        ({"timestamp": "soon"}, "timestamp must be an int of milliseconds"),
        ({"timestamp": "1700000000000"}, "timestamp must be an int of milliseconds"),
        ({"timestamp": True}, "timestamp must be an int of milliseconds"),
        ({"timestamp": 1644489390}, "looks like seconds"),
        ({"recv_window": 60001}, "above MEXC's limit of 60000 ms .*700005"),
        ({"recv_window": -1}, "recvWindow must be a whole number of milliseconds, 0 to 60000"),
        ({"recv_window": "5000²"}, "recvWindow must be a whole number of milliseconds"),
        ({"method": "PATCH"}, "unknown HTTP method 'PATCH'"),
        ({"method": 3}, "unknown HTTP method"),
        ({"path": "api/v3/account"}, "path must start with '/'"),
        ({"path": "/api/v3/account?x=1"}, "holds a query"),
        ({"params": {"signature": "abc"}}, "already hold a 'signature'"),
        ({"params": {"timestamp": TS}}, "timestamp is given twice"),
        ({"params": {"timestamp": 1644489390}, "timestamp": None}, "looks like seconds"),
        ({"params": 42}, "params must be a dict or a list of"),
    ],
)
def test_bad_input_gets_a_one_line_value_error_naming_the_fix(overrides, message):
    with pytest.raises(SigningError, match=message) as raised:
        spot(**overrides)
    assert isinstance(raised.value, ValueError)
    assert "\n" not in str(raised.value)
    assert SECRET not in str(raised.value)


def test_spot_signature_refuses_a_bad_secret_too():
    with pytest.raises(SigningError, match="whitespace"):
        spot_signature(SECRET + " ", "a=1")


def test_time_params_already_in_params_keep_their_place():
    signed = spot(params=[("timestamp", TS), ("symbol", "BTCUSDT")], timestamp=None)
    assert signed.signed_string == f"timestamp={TS}&symbol=BTCUSDT"
    signed = spot(params={"timestamp": str(TS)}, timestamp=None)  # as parsed from a query string
    assert signed.signed_string == f"timestamp={TS}"
    signed = spot(params={"symbol": "BTCUSDT", "recvWindow": "10000"})
    assert signed.signed_string == f"symbol=BTCUSDT&recvWindow=10000&timestamp={TS}"


def test_default_timestamp_is_now_in_milliseconds():
    import time

    before = int(time.time() * 1000)
    signed = spot(timestamp=None)
    after = int(time.time() * 1000)
    stamp = int(signed.signed_string.split("timestamp=")[1])
    assert before <= stamp <= after


def test_signed_request_is_frozen_and_never_shows_the_secret():
    signed = spot(method="POST", path="/api/v3/order/test", params={"symbol": "BTCUSDT"})
    with pytest.raises(dataclasses.FrozenInstanceError):
        signed.url = "http://elsewhere"
    text = repr(signed) + str(signed) + signed.to_curl()
    assert SECRET not in text
    assert KEY not in repr(signed)  # the key is masked in repr ...
    assert "mx0a...WC5" in repr(signed)
    assert f"X-MEXC-APIKEY: {KEY}" in signed.to_curl()  # ... but a curl command needs it to work
    assert signed.to_curl().startswith("curl -X POST 'https://api.mexc.com/api/v3/order/test?symbol=BTCUSDT&")
    assert signed.headers["Content-Type"] == "application/json"
    assert "Content-Type" not in spot().headers


def test_signature_is_lowercase_hex_appended_last_to_the_query():
    signed = spot(params={"symbol": "BTCUSDT"})
    assert signed.url.endswith(f"&signature={signed.signature}")
    assert signed.signature == signed.signature.lower() and len(signed.signature) == 64
    assert signed.signature == spot_signature(SECRET, signed.signed_string)


def test_contract_get_params_are_sorted_and_none_dropped():
    params = {"symbol": "BTC_USDT", "page_size": 20, "end_time": None, "page_num": 1}
    assert futures_param_string("GET", params) == "page_num=1&page_size=20&symbol=BTC_USDT"
    assert futures_param_string("delete", {"b": "x y", "a": "1,2"}) == "a=1%2C2&b=x%20y"
    assert futures_param_string("GET", None) == ""


def test_contract_post_signs_the_raw_body_byte_for_byte():
    assert futures_param_string("POST", '{"b": 1, "a": 2}') == '{"b": 1, "a": 2}'
    assert futures_param_string("POST", b'{"a":1}') == '{"a":1}'
    assert futures_param_string("POST", {"symbol": "BTC_USDT", "vol": 1}) == '{"symbol":"BTC_USDT","vol":1}'
    assert futures_param_string("POST", None) == ""


def test_contract_signature_is_hmac_of_key_time_and_param_string():
    import hashlib
    import hmac

    expected = hmac.new(SECRET.encode(), f"{KEY}{TS}a=1".encode(), hashlib.sha256).hexdigest()
    assert futures_signature(KEY, SECRET, TS, "a=1") == expected
    with pytest.raises(SigningError, match="looks like seconds"):
        futures_signature(KEY, SECRET, TS // 1000, "a=1")


def test_sign_contract_get_and_post_carry_headers_and_body():
    get = sign_futures(
        "GET",
        "/api/v1/private/order/list/open_orders",
        {"symbol": "BTC_USDT", "page_num": 1},
        api_key=KEY,
        secret=SECRET,
        request_time=TS,
        recv_window=30,
    )
    assert get.url == "https://contract.mexc.com/api/v1/private/order/list/open_orders?page_num=1&symbol=BTC_USDT"
    assert get.headers["ApiKey"] == KEY and get.headers["Request-Time"] == str(TS)
    assert get.headers["Signature"] == get.signature and get.headers["Recv-Window"] == "30"
    assert get.signed_string == f"{KEY}{TS}page_num=1&symbol=BTC_USDT" and get.body is None
    post = sign_futures(
        "POST",
        "/api/v1/private/order/submit",
        {"symbol": "BTC_USDT", "vol": 1},
        api_key=KEY,
        secret=SECRET,
        request_time=TS,
    )
    assert post.url == "https://contract.mexc.com/api/v1/private/order/submit"
    assert json.loads(post.body) == {"symbol": "BTC_USDT", "vol": 1}
    assert post.signed_string == f"{KEY}{TS}{post.body}"
    assert SECRET not in repr(post) + post.to_curl()
    with pytest.raises(SigningError, match="unknown HTTP method 'PUT'"):
        sign_futures("PUT", "/api/v1/private/x", {}, api_key=KEY, secret=SECRET)


def test_send_puts_the_url_on_the_wire_exactly_as_signed():
    import requests

    class Recorder(requests.Session):
        def send(self, prepared, **kwargs):
            self.sent = prepared
            response = requests.Response()
            response.status_code = 200
            return response

    signed = SignedRequest("GET", "http://127.0.0.1:1/p?memo=a%7Eb(c)&signature=x", {"X-MEXC-APIKEY": KEY})
    session = Recorder()
    signed.send(session)
    assert session.sent.url == signed.url
    assert session.sent.headers["X-MEXC-APIKEY"] == KEY


def test_names_are_encoded_whatever_the_value_type():
    """Before: {"a b": 1, "c&d": 2} gave 'a b=1&c&d=2' (int values skipped encoding the name)."""
    assert encode_params({"a b": 1, "c&d": 2}) == "a%20b=1&c%26d=2"
    assert encode_params({"a b": "1"}) == "a%20b=1"


@pytest.mark.parametrize(
    ("recv_window", "message"),
    [
        (5000, r"Recv-Window must be a whole number of seconds, 1 to 60, not 5000 \(futures counts seconds"),
        ("abc", "Recv-Window must be a whole number of seconds"),
        (-3, "Recv-Window must be a whole number of seconds"),
        (0, "Recv-Window must be a whole number of seconds"),
        ("²", "Recv-Window must be a whole number of seconds"),
    ],
)
def test_futures_recv_window_counts_seconds(recv_window, message):
    with pytest.raises(SigningError, match=message):
        sign_futures("GET", "/api/v1/private/account/assets", {}, api_key=KEY, secret=SECRET, recv_window=recv_window)
    signed = sign_futures("GET", "/api/v1/private/account/assets", {}, api_key=KEY, secret=SECRET, recv_window="30")
    assert signed.headers["Recv-Window"] == "30"


@pytest.mark.parametrize("timestamp", ["²", "１７００００００００００００", "1" * 5000, "-1700000000000"])
def test_a_timestamp_that_is_not_ascii_digits_is_a_signing_error(timestamp):
    """Before: {"timestamp": "²"} raised a bare ValueError from int()."""
    with pytest.raises(SigningError, match="timestamp must be an int of milliseconds"):
        sign_spot("GET", "/api/v3/account", {"timestamp": timestamp}, api_key=KEY, secret=SECRET)


def test_a_decimal_beyond_any_price_is_refused_not_expanded():
    """Before: Decimal("1E+1000000") was formatted into a million digits."""
    from decimal import Decimal

    with pytest.raises(EncodingError, match="beyond 10"):
        sign_spot("POST", "/api/v3/order/test", {"price": Decimal("1E+1000000")}, api_key=KEY, secret=SECRET)
