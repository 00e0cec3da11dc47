"""Malformed requests get a documented JSON error, never a 5xx, and the exchange keeps serving."""

import json
import socket
from urllib.parse import urlsplit

import pytest
import requests

from mexc_helpers.protocol.errors import CODES
from mexc_helpers.protocol.signing import sign_futures, sign_spot, spot_signature
from tests.conftest import DOCS_KEY, DOCS_SECRET, NOW


def raw_request(base_url: str, head: bytes, body: bytes = b"") -> tuple[int, dict]:
    """Send bytes exactly as given (no client-side cleanup) and parse the JSON answer."""
    parts = urlsplit(base_url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(head + b"\r\nHost: x\r\nConnection: close\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    status_line, _, rest = data.partition(b"\r\n")
    headers, _, payload = rest.partition(b"\r\n\r\n")
    assert b"content-type: application/json" in headers.lower(), data[:300]
    return int(status_line.split()[1]), json.loads(payload)


def signed_query(query: str) -> str:
    return f"{query}&signature={spot_signature(DOCS_SECRET, query)}"


def assert_documented_error(status: int, payload: dict, code: int):
    assert status < 500
    assert payload["code"] == code
    message = payload.get("msg", payload.get("message"))
    assert code in CODES and message


def still_serving(exchange):
    assert requests.get(exchange.base_url + "/api/v3/ping", timeout=5).json() == {}


SPOT_KEY = b"X-MEXC-APIKEY: " + DOCS_KEY.encode()


@pytest.mark.parametrize(
    ("target", "headers", "code"),
    [
        (f"/api/v3/account?{signed_query(f'memo=%G1&timestamp={NOW}')}".encode(), SPOT_KEY, 700008),
        (f"/api/v3/account?{signed_query(f'memo=50%&timestamp={NOW}')}".encode(), SPOT_KEY, 700008),
        (f"/api/v3/account?{signed_query(f'memo=%FF%FE&timestamp={NOW}')}".encode(), SPOT_KEY, 700008),
        (f"/api/v3/account?{signed_query(f'a=1&a=2&timestamp={NOW}')}".encode(), SPOT_KEY, 33333),
        (f"/api/v3/account?{signed_query(f'timestamp={NOW}')}".encode(), b"X-Other: 1", 400),
        (f"/api/v3/account?{signed_query(f'timestamp={NOW}')}".encode(), b"X-MEXC-APIKEY: mx0unknownKey123", 10072),
        (f"/api/v3/account?{signed_query(f'timestamp={NOW}')}".encode(), b"X-MEXC-APIKEY: not a key!", 700001),
        (f"/api/v3/account?timestamp={NOW}".encode(), SPOT_KEY, 700004),
        (f"/api/v3/account?timestamp={NOW}&signature=".encode(), SPOT_KEY, 700004),
        (f"/api/v3/account?{signed_query('symbol=BTCUSDT')}".encode(), SPOT_KEY, 700004),
        (f"/api/v3/account?{signed_query('timestamp=yesterday')}".encode(), SPOT_KEY, 700008),
        (f"/api/v3/account?{signed_query(f'recvWindow=5s&timestamp={NOW}')}".encode(), SPOT_KEY, 700008),
        (b"/api/v3/nothing-here", SPOT_KEY, 404),
        (b"/api/v1/private/account/assets", b"X-Other: 1", 401),
        (b"/api/v1/private/account/assets", b"ApiKey: " + DOCS_KEY.encode() + b"\r\nRequest-Time: 1", 602),
        (b"/api/v1/private/account/assets", b"ApiKey: " + DOCS_KEY.encode() + b"\r\nSignature: ab", 513),
        (
            b"/api/v1/private/account/assets",
            b"ApiKey: " + DOCS_KEY.encode() + b"\r\nSignature: ab\r\nRequest-Time: %d\r\nRecv-Window: 5m" % NOW,
            600,
        ),
    ],
)
def test_malformed_get_gets_a_documented_json_error(exchange, target, headers, code):
    status, payload = raw_request(exchange.base_url, b"GET " + target + b" HTTP/1.1\r\n" + headers)
    assert_documented_error(status, payload, code)
    still_serving(exchange)


def test_missing_timestamp_names_the_parameter(exchange):
    status, payload = raw_request(
        exchange.base_url,
        b"GET /api/v3/account?%s HTTP/1.1\r\n%s" % (signed_query("symbol=BTCUSDT").encode(), SPOT_KEY),
    )
    assert payload == {
        "code": 700004,
        "msg": "Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed.",
    }


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (f"signature={'0' * 64}".encode(), 700002),  # a form body's signature is read (documented), and wrong
        (json.dumps({"signature": "0" * 64}).encode(), 700004),  # inside JSON it is not read (inferred)
        (b"\xff\xfe\x00binary", 700008),
    ],
)
def test_spot_post_body_problems(exchange, body, code):
    target = f"/api/v3/order/test?symbol=BTCUSDT&timestamp={NOW}".encode()
    head = b"POST " + target + b" HTTP/1.1\r\n" + SPOT_KEY + b"\r\nContent-Type: application/json"
    status, payload = raw_request(exchange.base_url, head, body)
    assert_documented_error(status, payload, code)
    still_serving(exchange)


def test_a_spot_post_without_content_type_gets_700013(exchange):
    """Observed since February 2024 (docs/protocol.md#content-type): a spot POST with no Content-Type."""
    target = f"/api/v3/order/test?symbol=BTCUSDT&timestamp={NOW}&signature={'0' * 64}".encode()
    status, payload = raw_request(exchange.base_url, b"POST " + target + b" HTTP/1.1\r\n" + SPOT_KEY, b"")
    assert (status, payload) == (400, {"code": 700013, "msg": "Invalid content Type."})


@pytest.mark.parametrize(
    ("body", "code"), [(b"symbol=BTC_USDT&vol=1", 601), (b'{"symbol": "BTC_USDT"', 601), (b"\xff\xfe", 601)]
)
def test_futures_post_body_that_is_not_json_gets_601(exchange, body, code):
    signed = (
        sign_futures(
            "POST", "/api/v1/private/order/submit", body, api_key=DOCS_KEY, secret=DOCS_SECRET, request_time=NOW
        )
        if body != b"\xff\xfe"
        else None
    )
    signature = signed.signature if signed else "0" * 64
    head = b"POST /api/v1/private/order/submit HTTP/1.1\r\nApiKey: %s\r\nRequest-Time: %d\r\nSignature: %s" % (
        DOCS_KEY.encode(),
        NOW,
        signature.encode(),
    )
    status, payload = raw_request(exchange.base_url, head, body)
    assert_documented_error(status, payload, code)
    assert payload["success"] is False


def test_futures_query_that_does_not_decode_gets_600(exchange):
    signed = sign_futures(
        "GET", "/api/v1/private/account/assets", {}, api_key=DOCS_KEY, secret=DOCS_SECRET, request_time=NOW
    )
    for query in (b"a=%ZZ", b"a=1&a=2"):
        head = (
            b"GET /api/v1/private/account/assets?%s HTTP/1.1\r\n" % query
            + "\r\n".join(f"{k}: {v}" for k, v in signed.headers.items()).encode()
        )
        assert_documented_error(*raw_request(exchange.base_url, head), 600)


def test_a_one_megabyte_query_gets_json_414_and_the_exchange_keeps_serving(exchange, creds):
    huge = sign_spot("GET", "/api/v3/account", {"memo": "x" * 1_000_000}, **creds)
    response = huge.send()
    assert response.status_code == 414
    assert response.json() == {"code": 414, "msg": "Request-URI Too Long"}
    still_serving(exchange)


def test_a_two_megabyte_body_gets_json_413(exchange):
    response = requests.post(
        f"{exchange.base_url}/api/v3/order/test?timestamp={NOW}",
        data=b"a" * 2_000_000,
        headers={"X-MEXC-APIKEY": DOCS_KEY},
        timeout=10,
    )
    assert_documented_error(response.status_code, response.json(), 413)
    still_serving(exchange)


def test_garbage_instead_of_http_gets_a_json_400(exchange):
    status, payload = raw_request(exchange.base_url, b"GET /a b c HTTP/1.1")
    assert status == 400 and payload["code"] == 400
    still_serving(exchange)


def test_bad_input_never_reaches_the_log_as_a_crash(exchange):
    raw_request(exchange.base_url, b"GET /api/v3/account?memo=%G1 HTTP/1.1\r\n" + SPOT_KEY)
    entry = exchange.log.last
    assert entry.code == 700008 and "bad percent escape" in entry.reason
    assert all(e.http_status < 500 for e in exchange.log)
