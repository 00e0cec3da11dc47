"""50 threads x 100 mixed requests: every verdict right, no exception, the log bounded."""

import threading

import pytest
import requests

from mexc_helpers.protocol.clock import now_ms
from mexc_helpers.protocol.signing import sign_futures, sign_spot
from mexc_helpers.server.exchange import LocalExchange
from tests.conftest import DOCS_KEY, DOCS_SECRET

THREADS, REQUESTS_EACH, LOG_SIZE = 50, 100, 300
SECOND_KEY, SECOND_SECRET = "mx0secondAccount01", "0123456789abcdef0123456789abcdef"


def mixed_request(i: int, base_url: str):
    """Request number ``i`` of a thread and the code the exchange must answer (0 = accepted)."""
    creds = {"api_key": DOCS_KEY, "secret": DOCS_SECRET, "base_url": base_url}
    kind = i % 8
    if kind == 0:
        return sign_spot("GET", "/api/v3/account", {}, **creds), 0
    if kind == 1:
        order = {"symbol": "BTCUSDT", "side": "BUY", "type": "LIMIT", "quantity": "0.001", "price": "60000"}
        return sign_spot("POST", "/api/v3/order", order, **creds), 0
    if kind == 2:
        good = sign_spot("GET", "/api/v3/openOrders", {"symbol": "BTCUSDT"}, **creds)
        return good.__class__(good.method, good.url.replace("BTCUSDT", "ETHUSDT", 1), good.headers), 700002
    if kind == 3:
        return sign_spot("GET", "/api/v3/account", {}, **creds, timestamp=now_ms() - 30_000), 700003
    if kind == 4:
        return sign_futures("GET", "/api/v1/private/order/list/open_orders", {"symbol": "BTC_USDT"}, **creds), 0
    if kind == 5:
        body = {"symbol": "BTC_USDT", "price": 60000, "vol": 1, "side": 1, "type": 1, "openType": 1}
        return sign_futures("POST", "/api/v1/private/order/submit", body, **creds), 0
    if kind == 6:  # the second account's key signed with the first account's secret
        return sign_spot(
            "GET", "/api/v3/account", {}, api_key=SECOND_KEY, secret=DOCS_SECRET, base_url=base_url
        ), 700002
    return sign_spot("GET", "/api/v3/account", {}, api_key=SECOND_KEY, secret=SECOND_SECRET, base_url=base_url), 0


@pytest.mark.slow
def test_fifty_threads_of_mixed_requests_get_the_right_verdicts():
    failures, errors = [], []
    with LocalExchange(log_size=LOG_SIZE) as exchange:
        exchange.add_key(SECOND_KEY, SECOND_SECRET)
        start = threading.Barrier(THREADS)

        def worker(thread_no: int):
            session = requests.Session()
            start.wait()
            for i in range(REQUESTS_EACH):
                try:
                    signed, expected = mixed_request(thread_no + i, exchange.base_url)
                    answer = signed.send(session).json()
                    if answer.get("code", 0) != expected:
                        failures.append((signed.url, expected, answer))
                except Exception as exc:  # noqa: BLE001 - collected and asserted below
                    errors.append(repr(exc))

        threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=240)
        assert not any(thread.is_alive() for thread in threads)
        assert errors == []
        assert failures == []
        assert len(exchange.log) == LOG_SIZE
        assert all(entry.http_status < 500 for entry in exchange.log)
        assert requests.get(exchange.base_url + "/api/v3/ping").json() == {}
