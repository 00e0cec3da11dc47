"""Old public names keep working, with a DeprecationWarning that names the new one."""

from __future__ import annotations

import pytest

from mexc_helpers import (
    LocalExchange,
    MexcClient,
    contract_param_string,
    contract_signature,
    contract_time_verdict,
    futures_param_string,
    futures_signature,
    futures_time_verdict,
    sign_contract,
    sign_futures,
)

from .conftest import DOCS_KEY, DOCS_SECRET, NOW


def test_contract_names_are_futures_names_that_warn():
    with pytest.warns(DeprecationWarning, match=r"sign_contract\(\) is now sign_futures\(\)"):
        old = sign_contract(
            "GET", "/api/v1/private/account/assets", {}, api_key=DOCS_KEY, secret=DOCS_SECRET, request_time=NOW
        )
    assert old == sign_futures(
        "GET", "/api/v1/private/account/assets", {}, api_key=DOCS_KEY, secret=DOCS_SECRET, request_time=NOW
    )
    with pytest.warns(DeprecationWarning, match="futures_param_string"):
        assert (
            contract_param_string("GET", {"b": 1, "a": 2}) == futures_param_string("GET", {"b": 1, "a": 2}) == "a=2&b=1"
        )
    with pytest.warns(DeprecationWarning, match="futures_signature"):
        assert contract_signature(DOCS_KEY, DOCS_SECRET, NOW, "a=1") == futures_signature(
            DOCS_KEY, DOCS_SECRET, NOW, "a=1"
        )
    assert contract_time_verdict is futures_time_verdict


def test_secret_key_and_local_clock_still_work_and_warn():
    with pytest.warns(DeprecationWarning, match="secret=..."):
        exchange = LocalExchange(secret_key=DOCS_SECRET)
    with pytest.warns(DeprecationWarning, match=r"\.secret"):
        assert exchange.secret_key == exchange.secret == DOCS_SECRET
    with pytest.warns(DeprecationWarning, match="clock=..."):
        client = MexcClient(DOCS_KEY, DOCS_SECRET, "http://127.0.0.1:9", sync_clock=False, local_clock=lambda: NOW)
    assert client.clock() == NOW
