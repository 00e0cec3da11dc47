"""MexcClient against the local exchange: clock sync and the 700003 retry, live guards, env loading."""

import itertools
import os
import subprocess
import sys

import pytest

from mexc_helpers.client import MexcClient
from mexc_helpers.protocol.clock import now_ms
from mexc_helpers.protocol.errors import MexcAPIError
from mexc_helpers.protocol.urls import check_base_url, is_loopback
from mexc_helpers.server.exchange import LocalExchange
from tests.conftest import DOCS_KEY, DOCS_SECRET


@pytest.fixture
def behind():
    """An exchange whose clock runs 8 s behind this machine's."""
    with LocalExchange(clock_offset_ms=-8000) as ex:
        yield ex


def test_unsynced_client_gets_700003_and_synced_client_succeeds(behind):
    unsynced = MexcClient(DOCS_KEY, DOCS_SECRET, behind.base_url, sync_clock=False)
    with pytest.raises(MexcAPIError) as raised:
        unsynced.account()
    assert raised.value.code == 700003 and raised.value.http_status == 400
    assert "Sync the clock" in str(raised.value)
    synced = MexcClient(DOCS_KEY, DOCS_SECRET, behind.base_url)
    assert synced.account()["accountType"] == "SPOT"
    assert -8100 < synced.server_clock.offset_ms < -7900


def test_on_700003_the_client_resyncs_once_and_retries(behind):
    client = MexcClient(DOCS_KEY, DOCS_SECRET, behind.base_url)
    client.account()
    behind.clock_offset_ms = -20_000  # the server's clock jumps back after the client synced
    assert client.account()["accountType"] == "SPOT"
    codes = [entry.code for entry in behind.log if entry.path == "/api/v3/account"]
    assert codes[-2:] == [700003, 0]
    assert -20_100 < client.server_clock.offset_ms < -19_900


def test_a_second_700003_is_raised_not_retried_forever(behind):
    jumpy = itertools.count(now_ms(), 20_000)  # a local clock that leaps 20 s at every reading
    client = MexcClient(DOCS_KEY, DOCS_SECRET, behind.base_url, clock=lambda: next(jumpy))
    with pytest.raises(MexcAPIError) as raised:
        client.account()
    assert raised.value.code == 700003
    assert [e.code for e in behind.log if e.path == "/api/v3/account"] == [700003, 700003]  # one retry only


def test_orders_and_futures(exchange):
    client = MexcClient(DOCS_KEY, DOCS_SECRET, exchange.base_url)
    placed = client.place_order("BTCUSDT", "BUY", "LIMIT", quantity="0.001", price="60000")
    assert [o["orderId"] for o in client.open_orders("BTCUSDT")] == [placed["orderId"]]
    assert client.cancel_order("BTCUSDT", order_id=placed["orderId"])["status"] == "CANCELED"
    assert client.test_order("BTCUSDT", "BUY", "LIMIT", quantity="0.001", price="60000") == {}
    assert {asset["currency"] for asset in client.assets()} == {"USDT", "BTC"}
    with pytest.raises(MexcAPIError) as raised:
        client.cancel_order("BTCUSDT", order_id="nope")
    assert raised.value.code == -2011


def test_wrong_secret_raises_700002_with_the_explanation_and_no_secret(exchange):
    client = MexcClient(DOCS_KEY, "0123456789abcdef0123456789abcdef", exchange.base_url)
    with pytest.raises(MexcAPIError) as raised:
        client.account()
    text = str(raised.value)
    assert raised.value.code == 700002 and "Signature for this request is not valid" in text
    assert "0123456789abcdef" not in text + repr(client)


def test_live_guards():
    live = MexcClient(DOCS_KEY, DOCS_SECRET, "https://api.mexc.com", sync_clock=False)
    assert live.is_live
    with pytest.raises(PermissionError, match="allow_live_orders=True"):
        live.place_order("BTCUSDT", "BUY", "LIMIT", quantity="1", price="1")
    with pytest.raises(ValueError, match="refusing plain http to example.com"):
        MexcClient(DOCS_KEY, DOCS_SECRET, "http://example.com")
    with pytest.raises(ValueError, match="not an http"):
        MexcClient(DOCS_KEY, DOCS_SECRET, "ftp://127.0.0.1")
    assert is_loopback("http://127.0.0.5:80") and is_loopback("http://localhost:1") and is_loopback("http://[::1]:2")
    assert not is_loopback("http://10.0.0.1") and check_base_url("https://api.mexc.com/") == "https://api.mexc.com"
    assert DOCS_SECRET not in repr(live)


def test_live_orders_allowed_only_when_asked(exchange, monkeypatch):
    client = MexcClient(DOCS_KEY, DOCS_SECRET, exchange.base_url, allow_live_orders=False)
    assert not client.is_live  # loopback: a local or class exchange, orders are fine
    client.place_order("BTCUSDT", "BUY", "MARKET", quantity="0.001")


def test_from_env_reads_dotenv_and_environment_wins(tmp_path, monkeypatch, exchange):
    monkeypatch.delenv("MEXC_API_KEY", raising=False)
    monkeypatch.delenv("MEXC_SECRET_KEY", raising=False)
    monkeypatch.setenv("MEXC_LAB_URL", exchange.base_url)
    env_file = tmp_path / ".env"
    env_file.write_text(f"MEXC_API_KEY={DOCS_KEY}\nMEXC_SECRET_KEY={DOCS_SECRET}\n")
    client = MexcClient.from_env(str(env_file))
    assert client.base_url == exchange.base_url and client.account()["accountType"] == "SPOT"
    monkeypatch.setenv("MEXC_SECRET_KEY", "0123456789abcdef0123456789abcdef")
    assert MexcClient.from_env(str(env_file))._secret == "0123456789abcdef0123456789abcdef"


def test_from_env_missing_keys_is_one_line(monkeypatch, tmp_path):
    monkeypatch.delenv("MEXC_API_KEY", raising=False)
    monkeypatch.delenv("MEXC_SECRET_KEY", raising=False)
    with pytest.raises(ValueError, match="MEXC_API_KEY and MEXC_SECRET_KEY not set") as raised:
        MexcClient.from_env(str(tmp_path / "absent.env"))
    assert "\n" not in str(raised.value)


def test_check_passes_and_fails_clearly(exchange):
    report = MexcClient(DOCS_KEY, DOCS_SECRET, exchange.base_url).check()
    assert report.passed and "no order was placed" in str(report)
    assert [o for o in exchange.app.orders.open_spot(DOCS_KEY, None)] == []
    bad = MexcClient(DOCS_KEY, "0123456789abcdef0123456789abcdef", exchange.base_url).check()
    assert not bad.passed and "FAIL  account (read-only): MEXC error 700002" in str(bad)
    down = MexcClient(DOCS_KEY, DOCS_SECRET, "http://127.0.0.1:9", sync_clock=False).check()
    assert not down.passed and "cannot read the server time" in str(down)


def run_cli(*args, env=None, cwd=None):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("MEXC_")}
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "mexc_helpers", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=environment,
        cwd=cwd,
    )


@pytest.mark.slow
def test_cli_sign_prints_a_working_curl(exchange):
    env = {"MEXC_API_KEY": DOCS_KEY, "MEXC_SECRET_KEY": DOCS_SECRET, "MEXC_LAB_URL": exchange.base_url}
    result = run_cli(
        "sign",
        "-X",
        "POST",
        "/api/v3/order/test",
        "symbol=BTCUSDT",
        "side=BUY",
        "type=MARKET",
        "quantity=0.001",
        "--timestamp",
        str(exchange.server_time()),
        env=env,
    )
    assert result.returncode == 0 and result.stdout.startswith(f"curl -X POST '{exchange.base_url}/api/v3/order/test?")
    assert DOCS_SECRET not in result.stdout
    answer = subprocess.run(result.stdout.strip() + " --silent", shell=True, capture_output=True, text=True)
    assert answer.stdout == "{}"
    futures = run_cli("sign", "--futures", "/api/v1/private/account/assets", env=env)
    assert "-H 'Signature: " in futures.stdout and "Request-Time" in futures.stdout
    assert run_cli("sign", "/api/v3/account", "broken", env=env).returncode == 2
    assert "MEXC_API_KEY and MEXC_SECRET_KEY not set" in run_cli("sign", "/api/v3/account", cwd="/").stderr


@pytest.mark.slow
def test_cli_check_pass_fail_and_missing_keys(exchange, tmp_path):
    env = {"MEXC_API_KEY": DOCS_KEY, "MEXC_SECRET_KEY": DOCS_SECRET}
    passed = run_cli("check", "--base-url", exchange.base_url, env=env, cwd=tmp_path)
    assert passed.returncode == 0 and "all checks passed" in passed.stdout
    failed = run_cli(
        "check",
        "--base-url",
        exchange.base_url,
        cwd=tmp_path,
        env={**env, "MEXC_SECRET_KEY": "0123456789abcdef0123456789abcdef"},
    )
    assert failed.returncode == 1 and "FAIL" in failed.stdout and "0123456789abcdef" not in failed.stdout
    missing = run_cli("check", cwd=tmp_path)
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1
