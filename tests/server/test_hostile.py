"""The reproductions from the hardening issue, each a request a hostile or careless client sent: every
one now gets a documented JSON answer, fast, and leaves the exchange able to answer everyone."""

from __future__ import annotations

import json
import time

import pytest
from werkzeug.test import Client

from mexc_helpers.cli import main
from mexc_helpers.protocol.digest import hmac_sha256_hex
from mexc_helpers.protocol.signing import sign_futures, sign_spot
from mexc_helpers.server.app import ExchangeApp
from tests.conftest import DOCS_KEY, DOCS_SECRET, NOW

FUTURES_ORDER = {"symbol": "BTC_USDT", "price": 60000, "vol": 1, "side": 1, "type": 1, "openType": 1}


@pytest.fixture
def client():
    return Client(ExchangeApp({DOCS_KEY: DOCS_SECRET}, clock=lambda: NOW))


def strict_json(response):
    """The answer parsed as strict JSON: NaN and Infinity are not JSON."""

    def refuse(token):
        raise ValueError(f"invalid JSON token {token}")

    return json.loads(response.get_data(as_text=True), parse_constant=refuse)


def spot(client, query: str, **headers):
    signed = f"{query}&signature={hmac_sha256_hex(DOCS_SECRET, query)}"
    return client.get("/api/v3/account", query_string=signed, headers={"X-MEXC-APIKEY": DOCS_KEY, **headers})


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("timestamp=%C2%B2", 700008),  # a superscript two: str.isdigit() says yes, int() says no
        (f"recvWindow=%C2%B2&timestamp={NOW}", 700008),
        ("timestamp=" + "1" * 5000, 700008),
        (f"recvWindow={'9' * 5000}&timestamp={NOW}", 700008),
        (f"timestamp={NOW}&timestamp=%EF%BC%91", 33333),
    ],
)
def test_odd_digits_in_spot_time_parameters_are_700008_not_500(client, query, code):
    response = spot(client, query)
    assert response.status_code == 400 and strict_json(response)["code"] == code


@pytest.mark.parametrize("request_time", ["²", "1" * 5000, "１７００００００００００００"])
def test_odd_digits_in_request_time_are_513_not_500(client, request_time):
    signature = hmac_sha256_hex(DOCS_SECRET, f"{DOCS_KEY}{request_time}")
    headers = {"ApiKey": DOCS_KEY, "Request-Time": request_time, "Signature": signature}
    response = client.get("/api/v1/private/account/assets", headers=headers)
    assert strict_json(response) == {
        "success": False,
        "code": 513,
        "message": "Invalid request(for open api serves time more or less than 10 seconds)",
    }


def submit(client, **fields):
    body = json.dumps({**FUTURES_ORDER, **fields})
    signed = sign_futures(
        "POST",
        "/api/v1/private/order/submit",
        body,
        api_key=DOCS_KEY,
        secret=DOCS_SECRET,
        request_time=NOW,
        base_url="http://x",
    )
    started = time.monotonic()
    response = client.post(signed.url.removeprefix("http://x"), data=body, headers=dict(signed.headers))
    return strict_json(response), time.monotonic() - started


@pytest.mark.parametrize(
    "fields",
    [
        {"type": "1E+1000000"},  # was tens of seconds of a worker thread
        {"type": "1E+30000000"},  # was minutes
        {"price": "1E+5000"},  # was stored, then every open-orders answer was an HTML 500
        {"price": "1E+999999"},  # was served as the invalid JSON token Infinity
        {"vol": 1e308 * 10},  # json.dumps writes Infinity; json.loads reads it back as a float
        {"side": 7},
        {"openType": True},
        {"externalOid": ["nested", {"list": 1}]},
    ],
)
def test_hostile_futures_orders_are_refused_quickly_and_later_answers_stay_json(client, fields):
    answer, seconds = submit(client, **fields)
    assert answer["success"] is False and answer["code"] == 600 and seconds < 1
    signed = sign_futures(
        "GET",
        "/api/v1/private/order/list/open_orders",
        {},
        api_key=DOCS_KEY,
        secret=DOCS_SECRET,
        request_time=NOW,
        base_url="http://x",
    )
    open_orders = client.get(signed.url.removeprefix("http://x"), headers=dict(signed.headers))
    assert strict_json(open_orders) == {"success": True, "code": 0, "data": []}


def test_a_sane_futures_order_still_goes_through(client):
    answer, _ = submit(client, price="60000.5", vol="2", type="1")
    assert answer["success"] is True


def test_a_spot_order_with_a_huge_price_is_refused(client):
    signed = sign_spot(
        "POST",
        "/api/v3/order",
        {"symbol": "BTCUSDT", "side": "BUY", "type": "LIMIT", "quantity": "1", "price": "1E+999999"},
        api_key=DOCS_KEY,
        secret=DOCS_SECRET,
        timestamp=NOW,
        base_url="http://x",
    )
    response = client.post(signed.url.removeprefix("http://x"), headers=dict(signed.headers))
    assert strict_json(response)["code"] == 33333


@pytest.mark.parametrize("timestamp", ["%C2%B2", "1" * 5000])
def test_the_doctor_cli_answers_odd_digits_in_one_line_or_a_diagnosis(capsys, timestamp):
    url = f"https://api.mexc.com/api/v3/account?timestamp={timestamp}&signature={'0' * 64}"
    code = main(["doctor", "--json", url])
    out, err = capsys.readouterr()
    assert code == 0 and err == ""
    assert json.loads(out)["causes"] == ["timestamp_missing"]
