"""The local exchange's time rules over real HTTP, to the millisecond, on a frozen server clock."""

import pytest
import requests

from mexc_helpers.protocol.signing import sign_futures, sign_spot, spot_signature
from tests.conftest import NOW


def account(creds, **kwargs):
    return sign_spot("GET", "/api/v3/account", {}, **creds, **kwargs).send()


@pytest.mark.parametrize(
    ("timestamp", "recv_window", "code"),
    [
        (NOW + 999, None, None),
        (NOW + 1000, None, 700003),
        (NOW - 5000, None, None),
        (NOW - 5001, None, 700003),
        (NOW - 20000, 20000, None),
        (NOW - 20001, 20000, 700003),
        (NOW - 60000, 60000, None),
        (NOW + 1000, 60000, 700003),
        (NOW // 1000 * 1000 - 3_600_000, None, 700003),
    ],
)
def test_spot_window_to_the_millisecond(creds, timestamp, recv_window, code):
    response = account(creds, timestamp=timestamp, recv_window=recv_window)
    if code is None:
        assert response.status_code == 200, response.text
        assert "balances" in response.json()
    else:
        assert response.status_code == 400
        assert response.json() == {"code": code, "msg": "Timestamp for this request is outside of the recvWindow."}


@pytest.mark.parametrize(("recv_window", "code"), [("60000", None), ("60001", 700005), ("600000", 700005)])
def test_recv_window_above_the_limit_is_refused_with_700005(creds, recv_window, code):
    # sign_spot refuses to build such a request, so sign it by hand as a careless client would
    query = f"recvWindow={recv_window}&timestamp={NOW}"
    url = f"{creds['base_url']}/api/v3/account?{query}&signature={spot_signature(creds['secret'], query)}"
    response = requests.get(url, headers={"X-MEXC-APIKEY": creds["api_key"]})
    if code is None:
        assert response.status_code == 200
    else:
        assert response.json() == {"code": 700005, "msg": "recvWindow must less than 60000"}


def test_clock_offset_moves_the_window_while_running(exchange, creds):
    assert account(creds, timestamp=NOW).status_code == 200
    exchange.clock_offset_ms = -1000  # the server now runs one second behind this client
    assert account(creds, timestamp=NOW).json()["code"] == 700003
    assert exchange.log.last.reason == (
        f"timestamp is 1000 ms ahead of server time {NOW - 1000}; ahead by 1000 ms or more is refused"
    )
    exchange.clock_offset_ms = 4000
    assert account(creds, timestamp=NOW).status_code == 200
    with pytest.raises(ValueError, match="int of milliseconds"):
        exchange.clock_offset_ms = "1s"


def test_time_endpoint_reports_the_shifted_clock(exchange):
    exchange.clock_offset_ms = -8000
    assert requests.get(exchange.base_url + "/api/v3/time").json() == {"serverTime": NOW - 8000}
    assert requests.get(exchange.base_url + "/api/v1/contract/ping").json() == {
        "success": True,
        "code": 0,
        "data": NOW - 8000,
    }


@pytest.mark.parametrize(
    ("offset", "window", "code"),
    [
        (10_000, None, 0),
        (10_001, None, 513),
        (-10_000, None, 0),
        (-10_001, None, 513),
        (-30_000, 30, 0),
        (-61_000, 60, 513),
    ],
)
def test_futures_window(creds, offset, window, code):
    signed = sign_futures(
        "GET", "/api/v1/private/account/assets", {}, **creds, request_time=NOW + offset, recv_window=window
    )
    body = signed.send().json()
    assert body["code"] == code
    assert body["success"] is (code == 0)
