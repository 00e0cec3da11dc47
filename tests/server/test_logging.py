"""Maintainers can see failures: a bug behind the exchange or a lab answers in one generic line for the
user and logs its traceback to the `mexc_helpers` logger."""

from __future__ import annotations

import logging

from werkzeug.test import Client

from mexc_helpers.server.app import ExchangeApp
from tests.conftest import DOCS_KEY, DOCS_SECRET, NOW


def test_an_internal_error_answers_a_generic_500_and_logs_the_traceback(caplog, monkeypatch):
    app = ExchangeApp({DOCS_KEY: DOCS_SECRET}, clock=lambda: NOW)

    def broken(request):
        raise RuntimeError("a bug in the kit, with a detail the client must not see")

    monkeypatch.setitem(app._public, "time", broken)
    with caplog.at_level(logging.ERROR, logger="mexc_helpers"):
        response = Client(app).get("/api/v3/time")
    assert response.status_code == 500 and response.get_json() == {"code": 500, "msg": "Internal error"}
    assert "detail" not in response.get_data(as_text=True)
    (record,) = [r for r in caplog.records if r.name.startswith("mexc_helpers")]
    assert record.exc_info[0] is RuntimeError and "GET /api/v3/time" in record.getMessage()
    assert app.log.last.code == 500 and app.log.last.reason == "internal error: RuntimeError"


def test_a_lab_bug_shows_one_line_and_logs_the_traceback(caplog, exchange, monkeypatch):
    from mexc_helpers import widgets
    from mexc_helpers.lab import labs

    lab = widgets.encoding_lab(exchange)

    def broken(*args):
        raise KeyError("surprise")

    monkeypatch.setattr(labs, "encoding_cases", broken)
    with caplog.at_level(logging.ERROR, logger="mexc_helpers"):
        lab.controls["value"].value = "BEP20(ETH)"
    assert "unexpected error (KeyError)" in lab.message.value and "Traceback" not in lab.message.value
    assert lab.controls["value"].value == "BEP20(ETH)"  # nothing the user typed is lost
    assert any(r.exc_info and r.exc_info[0] is KeyError for r in caplog.records)
