"""Requests signed by ccxt's mexc.sign() (offline, nonce fixed) are accepted by the local exchange;
the same requests with one byte changed are refused with 700002 (spot) or 602 (futures)."""

import pytest
import requests

ccxt = pytest.importorskip("ccxt", reason="ccxt is a dev dependency: pip install -r requirements-dev.txt")

from tests.conftest import DOCS_KEY, DOCS_SECRET, NOW  # noqa: E402


@pytest.fixture
def mexc(exchange):
    client = ccxt.mexc({"apiKey": DOCS_KEY, "secret": DOCS_SECRET})
    client.milliseconds = lambda: NOW  # a fixed nonce, equal to the local exchange's frozen clock
    client.urls["api"]["spot"]["private"] = exchange.base_url
    client.urls["api"]["contract"]["private"] = exchange.base_url + "/api/v1/private"
    return client


def send(signed):
    return requests.request(signed["method"], signed["url"], headers=signed["headers"], data=signed["body"])


def flip_byte(text: str, old: str, new: str) -> str:
    assert old in text, f"{old!r} not in {text!r}"
    return text.replace(old, new, 1)


def spot_order(mexc):
    params = {"symbol": "BTCUSDT", "side": "BUY", "type": "LIMIT", "quantity": "0.001", "price": "60000"}
    return mexc.sign("order", ["spot", "private"], "POST", params)


def test_spot_get_signed_by_ccxt_is_accepted_and_one_byte_off_is_700002(mexc, exchange):
    signed = mexc.sign("openOrders", ["spot", "private"], "GET", {"symbol": "BTCUSDT"})
    assert send(signed).status_code == 200, send(signed).text
    assert exchange.log.last.signed_string == signed["url"].split("?", 1)[1].rsplit("&signature=", 1)[0]
    tampered = dict(signed, url=flip_byte(signed["url"], "symbol=BTCUSDT", "symbol=ETHUSDT"))
    response = send(tampered)
    assert (response.status_code, response.json()["code"]) == (400, 700002)


def test_spot_post_signed_by_ccxt_is_accepted_and_one_byte_off_is_700002(mexc):
    signed = spot_order(mexc)
    response = send(signed)
    assert response.status_code == 200, response.text
    assert response.json()["orderId"]
    tampered = dict(signed, url=flip_byte(signed["url"], "price=60000", "price=60001"))
    assert send(tampered).json() == {"code": 700002, "msg": "Signature for this request is not valid."}


def test_spot_delete_signed_by_ccxt_is_accepted_and_one_byte_off_is_700002(mexc):
    order_id = send(spot_order(mexc)).json()["orderId"]
    signed = mexc.sign("order", ["spot", "private"], "DELETE", {"symbol": "BTCUSDT", "orderId": order_id})
    tampered = dict(signed, url=flip_byte(signed["url"], "recvWindow=5000", "recvWindow=5001"))
    assert send(tampered).json()["code"] == 700002
    response = send(signed)
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "CANCELED"


def test_spot_values_that_need_encoding_agree_with_ccxt(mexc):
    params = {
        "symbol": "BTCUSDT",
        "side": "BUY",
        "type": "LIMIT",
        "quantity": "0.001",
        "price": "60000",
        "newClientOrderId": "my order (1),ü~*",
    }
    signed = mexc.sign("order/test", ["spot", "private"], "POST", params)
    response = send(signed)
    assert response.status_code == 200, response.text


def test_futures_get_signed_by_ccxt_is_accepted_and_one_byte_off_is_602(mexc):
    signed = mexc.sign(
        "order/list/open_orders", ["contract", "private"], "GET", {"symbol": "BTC_USDT", "page_size": 10, "page_num": 1}
    )
    assert send(signed).json() == {"success": True, "code": 0, "data": []}
    tampered = dict(signed, url=flip_byte(signed["url"], "page_size=10", "page_size=11"))
    assert send(tampered).json() == {"success": False, "code": 602, "message": "Signature verification failed!"}


def test_futures_assets_signed_by_ccxt_is_accepted(mexc):
    body = send(mexc.sign("account/assets", ["contract", "private"], "GET", {})).json()
    assert body["success"] is True
    assert {asset["currency"] for asset in body["data"]} == {"USDT", "BTC"}


def test_futures_post_signed_by_ccxt_is_accepted_and_one_byte_off_is_602(mexc):
    order = {"symbol": "BTC_USDT", "price": 60000, "vol": 1, "side": 1, "type": 1, "openType": 1}
    signed = mexc.sign("order/submit", ["contract", "private"], "POST", order)
    response = send(signed).json()
    assert response["success"] is True and response["data"]
    tampered = dict(signed, body=flip_byte(signed["body"], '"vol":1', '"vol":2'))
    assert send(tampered).json()["code"] == 602
    spaced = dict(signed, body=signed["body"].replace(",", ", "))  # same JSON value, other bytes
    assert send(spaced).json()["code"] == 602
