"""Without sockets (the browser's Python), the local exchange runs in process: the same verdicts and log,
reached through SignedRequest.send(), fetch_server_time() and the labs, with no socket opened."""

from __future__ import annotations

import socket

import pytest

from mexc_helpers import LocalExchange, MexcClient, ServerClock, fetch_server_time, sign_spot, widgets
from mexc_helpers.server import inprocess
from mexc_helpers.transport import serves_in_process
from tests.conftest import DOCS_KEY, DOCS_SECRET, NOW


@pytest.fixture
def no_sockets(monkeypatch):
    """A process where no socket can be made, as in Pyodide: any attempt fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("a socket was opened")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(inprocess.sys, "platform", "emscripten")


def test_where_sockets_are_missing_the_exchange_runs_in_process(no_sockets, clock):
    with LocalExchange(clock=clock) as exchange:
        assert exchange.in_process and serves_in_process(exchange.base_url)
        order = {"symbol": "BTCUSDT", "side": "BUY", "type": "LIMIT", "quantity": "0.001", "price": "60000"}
        signed = sign_spot(
            "POST",
            "/api/v3/order/test",
            order,
            api_key=DOCS_KEY,
            secret=DOCS_SECRET,
            timestamp=NOW,
            base_url=exchange.base_url,
        )
        assert signed.send().json() == {}
        assert str(exchange.log.last).startswith("POST /api/v3/order/test  ->  accepted")
        assert fetch_server_time(exchange.base_url) == NOW
        assert ServerClock(exchange.base_url, clock=lambda: NOW - 8000).sync() == 8000
        assert MexcClient(DOCS_KEY, DOCS_SECRET, exchange.base_url).account()["accountType"] == "SPOT"
        base_url = exchange.base_url
    assert not serves_in_process(base_url)  # stopped: nothing left registered


def test_the_labs_give_the_same_verdicts_in_process_and_over_http(clock):
    def verdicts(exchange):
        order = widgets.order_lab(exchange)
        order.controls["client"].value = "signs_sorted"
        clock_lab = widgets.clock_lab(exchange)
        clock_lab.controls["offset"].value = 1500
        encoding = widgets.encoding_lab(exchange)
        return [(o.code, o.server_signed) for lab in (order, clock_lab, encoding) for o in lab.outcomes]

    with LocalExchange(clock=clock, in_process=True) as in_process, LocalExchange(clock=clock) as over_http:
        assert verdicts(in_process) == verdicts(over_http)
        assert [o[0] for o in verdicts(in_process)][:2] == [700002, 0]
