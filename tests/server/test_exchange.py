"""The local exchange's endpoints, its log, its order book, and its lifecycle inside one process."""

import json
import shutil
import socket
import subprocess

import pytest
import requests

from mexc_helpers.protocol.signing import sign_futures, sign_spot, spot_signature
from mexc_helpers.server.exchange import LocalExchange
from mexc_helpers.server.orders import OrderBook
from tests.conftest import DOCS_KEY, DOCS_SECRET, NOW

ORDER = {"symbol": "BTCUSDT", "side": "BUY", "type": "LIMIT", "quantity": "0.001", "price": "60000"}


def spot(creds, method, path, params=None, **kwargs):
    return sign_spot(method, path, params or {}, **creds, timestamp=NOW, **kwargs).send()


def futures(creds, method, path, params=None):
    return sign_futures(method, path, params, **creds, request_time=NOW).send().json()


def test_public_endpoints(exchange):
    base = exchange.base_url
    assert requests.get(base + "/api/v3/ping").json() == {}
    assert requests.get(base + "/api/v3/time").json() == {"serverTime": NOW}
    info = requests.get(base + "/api/v3/exchangeInfo").json()
    assert [s["symbol"] for s in info["symbols"]] == ["BTCUSDT", "ETHUSDT", "MXUSDT"]
    btc = requests.get(base + "/api/v3/exchangeInfo", params={"symbol": "BTCUSDT"}).json()["symbols"]
    assert len(btc) == 1 and btc[0]["baseAsset"] == "BTC" and btc[0]["quoteAsset"] == "USDT"
    assert btc[0]["baseSizePrecision"] == "0.000001" and "LIMIT" in btc[0]["orderTypes"]


def test_spot_order_lifecycle(creds):
    placed = spot(creds, "POST", "/api/v3/order", ORDER).json()
    assert placed["symbol"] == "BTCUSDT" and placed["transactTime"] == NOW and placed["origQty"] == "0.001"
    order_id = placed["orderId"]
    query = {"symbol": "BTCUSDT", "orderId": order_id}
    assert spot(creds, "GET", "/api/v3/order", query).json()["status"] == "NEW"
    assert [o["orderId"] for o in spot(creds, "GET", "/api/v3/openOrders", {"symbol": "BTCUSDT"}).json()] == [order_id]
    assert spot(creds, "DELETE", "/api/v3/order", query).json()["status"] == "CANCELED"
    assert spot(creds, "GET", "/api/v3/openOrders", {"symbol": "BTCUSDT"}).json() == []
    again = spot(creds, "DELETE", "/api/v3/order", query)
    assert (again.status_code, again.json()["code"]) == (400, -2011)


def test_market_orders_fill_and_cancel_all_cancels_only_open_ones(creds):
    spot(creds, "POST", "/api/v3/order", {**ORDER, "type": "MARKET", "price": None})
    spot(creds, "POST", "/api/v3/order", ORDER)
    spot(creds, "POST", "/api/v3/order", {**ORDER, "symbol": "ETHUSDT", "quantity": "0.01", "price": "3000"})
    cancelled = spot(creds, "DELETE", "/api/v3/openOrders", {"symbol": "BTCUSDT"}).json()
    assert [o["status"] for o in cancelled] == ["CANCELED"]
    assert [o["symbol"] for o in spot(creds, "GET", "/api/v3/openOrders").json()] == ["ETHUSDT"]


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"symbol": "BTC_USDT"}, 30014),
        ({"symbol": None}, 44444),
        ({"side": "HOLD"}, 33333),
        ({"price": None}, 44444),
        ({"quantity": "abc"}, 33333),
        ({"quantity": "0.0000001"}, 33333),
        ({"quantity": "0.00001"}, 30002),
        ({"quantity": "1000"}, 33333),
    ],
)
def test_order_test_validates_without_placing(creds, change, code):
    assert spot(creds, "POST", "/api/v3/order/test", ORDER).json() == {}
    response = spot(creds, "POST", "/api/v3/order/test", {**ORDER, **change})
    assert (response.status_code, response.json()["code"]) == (400, code)
    assert spot(creds, "GET", "/api/v3/openOrders").json() == []


def test_withdraw_answers_10211_transfer_is_forbidden(exchange, creds):
    params = {"coin": "USDT", "network": "BEP20(BSC)", "address": "0xabc", "amount": "10"}
    response = spot(creds, "POST", "/api/v3/capital/withdraw", params)
    assert (response.status_code, response.json()) == (400, {"code": 10211, "msg": "transfer is forbidden"})
    entry = exchange.log.last
    assert entry.signed_string.startswith("coin=USDT&network=BEP20%28BSC%29")  # the signature itself was fine
    assert entry.expected_signature == entry.received_signature
    assert "not a signature error" in entry.reason


def test_account_balances(creds):
    balances = {b["asset"]: b["free"] for b in spot(creds, "GET", "/api/v3/account").json()["balances"]}
    assert balances["USDT"] == "10000" and balances["BTC"] == "0.5"


def test_futures_order_lifecycle(creds):
    body = {"symbol": "BTC_USDT", "price": 60000, "vol": 2, "side": 1, "type": 1, "openType": 1}
    order_id = futures(creds, "POST", "/api/v1/private/order/submit", body)["data"]
    open_orders = futures(creds, "GET", "/api/v1/private/order/list/open_orders/BTC_USDT")["data"]
    assert [o["orderId"] for o in open_orders] == [order_id] and open_orders[0]["vol"] == 2
    assert futures(creds, "GET", "/api/v1/private/order/list/open_orders/ETH_USDT")["data"] == []
    cancelled = futures(creds, "POST", "/api/v1/private/order/cancel", [order_id])
    assert cancelled == {
        "success": True,
        "code": 0,
        "data": [{"orderId": order_id, "errorCode": 0, "errorMsg": "success"}],
    }
    assert futures(creds, "POST", "/api/v1/private/order/cancel", [order_id])["data"][0]["errorCode"] != 0
    assert futures(creds, "POST", "/api/v1/private/order/cancel", {"id": 1})["code"] == 600
    assert futures(creds, "POST", "/api/v1/private/order/submit", {**body, "symbol": "BTCUSDT"})["code"] == 1001
    assert futures(creds, "POST", "/api/v1/private/order/submit", {**body, "vol": "many"})["code"] == 600


def test_futures_get_in_any_order_is_accepted_only_when_signed_sorted(exchange, creds):
    signed = sign_futures(
        "GET",
        "/api/v1/private/order/list/open_orders",
        {"symbol": "BTC_USDT", "page_num": 1},
        **creds,
        request_time=NOW,
    )
    reordered = signed.__class__(
        "GET", signed.url.replace("page_num=1&symbol=BTC_USDT", "symbol=BTC_USDT&page_num=1"), signed.headers
    )
    assert reordered.send().json()["success"] is True  # the server sorts what it receives
    unsorted_signature = sign_futures("POST", "/x", "symbol=BTC_USDT&page_num=1", **creds, request_time=NOW).signature
    unsorted = reordered.__class__(reordered.method, reordered.url, {**signed.headers, "Signature": unsorted_signature})
    assert unsorted.send().json()["code"] == 602
    assert exchange.log.last.signed_string.endswith("page_num=1&symbol=BTC_USDT")


def test_spot_accepts_any_order_when_what_is_signed_is_what_is_sent(creds):
    for params in ({"symbol": "BTCUSDT", "side": "BUY"}, {"side": "BUY", "symbol": "BTCUSDT"}):
        assert spot(creds, "GET", "/api/v3/account", params).status_code == 200


def test_spot_json_body_is_signed_as_sent_after_the_query_and_its_params_are_read(creds, exchange):
    """The kit's reading of totalParams for a JSON body (docs/protocol.md#spot-json-body, inferred)."""
    body = json.dumps(ORDER)
    signed_string = f"timestamp={NOW}{body}"
    signature = spot_signature(DOCS_SECRET, signed_string)
    url = f"{exchange.base_url}/api/v3/order/test?timestamp={NOW}&signature={signature}"
    headers = {"X-MEXC-APIKEY": DOCS_KEY, "Content-Type": "application/json"}
    assert requests.post(url, headers=headers, data=body).json() == {}
    assert exchange.log.last.signed_string == signed_string
    # Signing the query alone, as if the JSON body were not part of totalParams, is refused.
    alone = sign_spot("POST", "/api/v3/order/test", {}, **creds, timestamp=NOW)
    assert requests.post(alone.url, headers=alone.headers, json=ORDER).json()["code"] == 700002


def test_spot_get_body_is_not_read(creds, exchange):
    """GET parameters "must be sent as a query string" (docs/protocol.md#spot-signed-string)."""
    signed = sign_spot("GET", "/api/v3/account", {}, **creds, timestamp=NOW)
    response = requests.get(signed.url, headers=signed.headers, data="symbol=BTCUSDT&signature=0")
    assert response.status_code == 200 and exchange.log.last.signed_string == f"timestamp={NOW}"


def test_query_plus_form_body_is_signed_without_an_ampersand_between(exchange, creds):
    query = {"symbol": "BTCUSDT", "side": "BUY", "type": "LIMIT"}
    body = {"quantity": "0.001", "price": "60000"}
    signed = sign_spot("POST", "/api/v3/order/test", query, body=body, **creds, timestamp=NOW)
    assert signed.send().json() == {}
    assert (
        exchange.log.last.signed_string
        == f"symbol=BTCUSDT&side=BUY&type=LIMITquantity=0.001&price=60000&timestamp={NOW}"
    )
    joined = spot_signature(DOCS_SECRET, signed.signed_string.replace("LIMITquantity", "LIMIT&quantity"))
    with_ampersand = signed.__class__("POST", signed.url.replace(signed.signature, joined), signed.headers, signed.body)
    assert with_ampersand.send().json()["code"] == 700002


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_to_curl_is_a_working_command(exchange, creds):
    signed = sign_spot("POST", "/api/v3/order/test", ORDER, **creds, timestamp=NOW)
    result = subprocess.run(signed.to_curl() + " --silent", shell=True, capture_output=True, text=True, timeout=30)
    assert result.stdout == "{}"
    futures_order = {"symbol": "BTC_USDT", "price": 60000, "vol": 1, "side": 1, "type": 1, "openType": 1}
    signed = sign_futures("POST", "/api/v1/private/order/submit", futures_order, **creds, request_time=NOW)
    result = subprocess.run(signed.to_curl() + " --silent", shell=True, capture_output=True, text=True, timeout=30)
    assert '"success":true' in result.stdout


def test_the_log_shows_the_servers_work_and_never_a_secret(exchange, creds):
    bad = sign_spot("GET", "/api/v3/account", {"memo": "a b"}, **creds, timestamp=NOW)
    requests.get(bad.url.replace("%20", "+"), headers=bad.headers)  # the server decodes + as space: still fine
    assert exchange.log.last.accepted
    signed_plus = sign_spot("GET", "/api/v3/account", {}, **creds, timestamp=NOW)
    requests.get(signed_plus.url.replace("?", "?memo=a+b&", 1), headers=signed_plus.headers)
    entry = exchange.log.last
    assert (entry.code, entry.http_status, entry.msg) == (700002, 400, "Signature for this request is not valid.")
    assert entry.signed_string == f"memo=a%20b&timestamp={NOW}"
    assert entry.received_signature == signed_plus.signature != entry.expected_signature
    assert entry.api_key == DOCS_KEY and entry.server_time == NOW
    assert "server signed: memo=a%20b" in str(entry)
    frame = exchange.log.to_frame()
    assert list(frame.columns[:3]) == ["server_time", "method", "path"] and len(frame) == len(exchange.log)
    everything = repr(exchange) + str(frame.to_dict()) + exchange.log._repr_html_() + "".join(map(str, exchange.log))
    assert DOCS_SECRET not in everything


def test_the_log_is_bounded_and_filterable(clock):
    with LocalExchange(clock=clock, log_size=5) as ex:
        for _ in range(12):
            requests.get(ex.base_url + "/api/v3/ping")
        assert len(ex.log) == 5 and ex.log.maxlen == 5
        assert ex.log.entries(api_key=DOCS_KEY) == []
        ex.log.clear()
        assert len(ex.log) == 0 and ex.log.last is None


def test_order_book_is_bounded_per_key_dropping_closed_orders_first():
    book = OrderBook(max_orders=3)
    order = {"symbol": "BTCUSDT", "side": "BUY", "type": "LIMIT", "price": "1", "origQty": "1", "clientOrderId": ""}
    first = book.place_spot("k", {**order, "type": "MARKET"}, NOW)["orderId"]  # filled: closed
    opened = [book.place_spot("k", order, NOW)["orderId"] for _ in range(3)]
    assert [o["orderId"] for o in book.open_spot("k", None)] == opened
    with pytest.raises(Exception, match="no order"):
        book.get_spot("k", {"symbol": "BTCUSDT", "orderId": first})
    assert book.open_spot("other", None) == []
    for _ in range(3):
        book.place_futures("k", {"symbol": "BTC_USDT"}, NOW)
    assert len(book.open_futures("k", None)) == 3
    book.place_futures("k", {"symbol": "BTC_USDT"}, NOW)
    assert len(book.open_futures("k", None)) == 3


def test_add_key_and_second_account(exchange, creds):
    exchange.add_key("mx0secondAccount01", "0123456789abcdef0123456789abcdef")
    second = {
        "api_key": "mx0secondAccount01",
        "secret": "0123456789abcdef0123456789abcdef",
        "base_url": creds["base_url"],
    }
    assert spot(second, "GET", "/api/v3/account").status_code == 200
    crossed = {**second, "secret": DOCS_SECRET}
    assert spot(crossed, "GET", "/api/v3/account").json()["code"] == 700002
    with pytest.raises(ValueError, match="8-64 ASCII letters and digits"):
        exchange.add_key("bad key", "secret")
    with pytest.raises(ValueError, match="whitespace"):
        exchange.add_key("mx0thirdAccount01", "secret\n")


def test_start_and_stop_many_times_frees_the_port(clock):
    ports = set()
    for _ in range(15):
        with LocalExchange(clock=clock) as ex:
            assert requests.get(ex.base_url + "/api/v3/ping", timeout=5).json() == {}
            ports.add(ex.port)
        with pytest.raises(requests.ConnectionError):
            requests.get(f"http://127.0.0.1:{ex.port}/api/v3/ping", timeout=2)
    ex = LocalExchange(clock=clock).start()
    assert ex.start() is ex  # starting twice is harmless
    ex.stop()
    ex.stop()
    with pytest.raises(RuntimeError, match="not running"):
        ex.base_url  # noqa: B018


def test_a_busy_port_is_a_clear_error_not_an_exit():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        with pytest.raises(OSError, match=f"cannot listen on 127.0.0.1:{port}.*port=0"):
            LocalExchange(port=port).start()


def test_repr_masks_the_secret():
    ex = LocalExchange(api_key="mx0privateKey00001", secret="my-own-secret-value-1234")
    assert "my-own-secret" not in repr(ex) and "secret='***'" in repr(ex) and "stopped" in repr(ex)
    assert ex.secret == "my-own-secret-value-1234"
    assert DOCS_SECRET not in repr(LocalExchange())
