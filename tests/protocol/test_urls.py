"""One base-URL policy for every command and class: MEXC_LAB_URL / MEXC_BASE_URL resolution, plain http
only to this machine or an opted-in class exchange, never plain http to MEXC."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mexc_helpers.cli import main
from mexc_helpers.client import MexcClient, RemoteExchange
from mexc_helpers.protocol.urls import (
    FUTURES_BASE_URL,
    SPOT_BASE_URL,
    BaseURLError,
    check_base_url,
    may_be_live,
    resolve_base_url,
)
from tests.conftest import DOCS_KEY, DOCS_SECRET

CLASS_URL = "http://192.168.1.10:8080"
CLASSROOM = {"MEXC_LAB_URL": CLASS_URL, "MEXC_CLASS_NETWORK": "1"}


def test_resolution_order_explicit_then_lab_then_base_then_mexc():
    assert resolve_base_url(None, {}) == SPOT_BASE_URL
    assert resolve_base_url(None, {"MEXC_BASE_URL": "https://proxy.example/"}) == "https://proxy.example"
    both = {"MEXC_BASE_URL": "https://proxy.example", "MEXC_LAB_URL": "http://127.0.0.1:8080"}
    assert resolve_base_url(None, both) == "http://127.0.0.1:8080"
    assert resolve_base_url("https://other.example", both) == "https://other.example"


@pytest.mark.parametrize(
    ("url", "environ", "message"),
    [
        (CLASS_URL, {}, "refusing plain http to 192.168.1.10: .* export MEXC_CLASS_NETWORK=1"),
        ("http://api.mexc.com", {"MEXC_CLASS_NETWORK": "1"}, "MEXC is https only"),
        ("http://contract.mexc.com", {"MEXC_CLASS_NETWORK": "1"}, "MEXC is https only"),
        ("ftp://192.168.1.10", {"MEXC_CLASS_NETWORK": "1"}, "not an http"),
        ("https://api.mexc.com?x=1", {}, "holds a query"),
        ("api.mexc.com", {}, "not an http"),
        ("http://192.168.1.10", {"MEXC_CLASS_NETWORK": "0"}, "refusing plain http"),
    ],
)
def test_refusals_are_one_line_and_say_what_to_do(url, environ, message):
    with pytest.raises(BaseURLError, match=message) as refused:
        resolve_base_url(url, environ)
    assert "\n" not in str(refused.value)


def test_the_classroom_steps_of_the_readme_work_for_every_command(monkeypatch, capsys):
    """README: export MEXC_LAB_URL=http://<instructor>:8080 MEXC_CLASS_NETWORK=1 (and the student's keys)."""
    for name, value in {**CLASSROOM, "MEXC_API_KEY": DOCS_KEY, "MEXC_SECRET_KEY": DOCS_SECRET}.items():
        monkeypatch.setenv(name, value)
    client = MexcClient.from_env(dotenv_path=None)
    assert client.base_url == client.futures_base_url == CLASS_URL and not client.is_live
    assert RemoteExchange.from_env().base_url == CLASS_URL
    assert main(["sign", "/api/v3/account", "--timestamp", "1700000000000"]) == 0
    assert capsys.readouterr().out.startswith(f"curl -X GET '{CLASS_URL}/api/v3/account?timestamp=")
    assert main(["sign", "--futures", "/api/v1/private/account/assets", "--timestamp", "1700000000000"]) == 0
    assert capsys.readouterr().out.startswith(f"curl -X GET {CLASS_URL}/api/v1/private/account/assets -H")
    monkeypatch.delenv("MEXC_CLASS_NETWORK")
    for command in (["sign", "/api/v3/account"], ["check"]):
        assert main(command) == 2
        assert "export MEXC_CLASS_NETWORK=1" in capsys.readouterr().err


def test_mexc_itself_by_default_spot_and_futures(monkeypatch):
    for name in ("MEXC_LAB_URL", "MEXC_BASE_URL", "MEXC_CLASS_NETWORK"):
        monkeypatch.delenv(name, raising=False)
    client = MexcClient(DOCS_KEY, DOCS_SECRET, sync_clock=False)
    assert (client.base_url, client.futures_base_url) == (SPOT_BASE_URL, FUTURES_BASE_URL) and client.is_live


hosts = st.sampled_from(
    ["127.0.0.1", "127.9.9.9", "localhost", "[::1]", "192.168.1.10", "10.0.0.2", "example.com", "api.mexc.com"]
)


@given(
    scheme=st.sampled_from(["http", "https"]),
    host=hosts,
    port=st.one_of(st.none(), st.integers(1, 65535)),
    opted_in=st.booleans(),
)
def test_no_key_goes_over_plain_http_beyond_this_machine_unless_a_class_network_is_opted_in(
    scheme, host, port, opted_in
):
    url = f"{scheme}://{host}" + (f":{port}" if port else "")
    try:
        checked = check_base_url(url, class_network=opted_in)
    except BaseURLError:
        assert scheme == "http" and host not in ("127.0.0.1", "127.9.9.9", "localhost", "[::1]")
        assert not opted_in or host == "api.mexc.com"
        return
    assert checked == url
    if scheme == "http":
        assert host in ("127.0.0.1", "127.9.9.9", "localhost", "[::1]") or (opted_in and "mexc" not in host)
        assert not may_be_live(checked)
    else:
        assert may_be_live(checked) == (host not in ("127.0.0.1", "127.9.9.9", "localhost", "[::1]"))
