"""Classroom mode: 30 students on one waitress-served exchange, each with their own key pair."""

import re
import signal
import subprocess
import sys
import threading

import pytest
import requests

from mexc_helpers.client import MexcClient
from mexc_helpers.lab.dashboard import stats_frame
from mexc_helpers.protocol.errors import MexcAPIError
from mexc_helpers.server.classroom import class_app, issue_keys, read_keys_csv, read_token, write_keys_csv


def test_issue_keys_are_distinct_and_shaped_like_mexcs():
    keys = issue_keys(30)
    assert len({api_key for _, api_key, _ in keys}) == 30 and len({secret for *_, secret in keys}) == 30
    assert [student for student, *_ in keys][:2] == ["student01", "student02"]
    assert all(
        re.fullmatch(r"mx0[A-Za-z0-9]{15}", key) and re.fullmatch(r"[0-9a-f]{32}", secret) for _, key, secret in keys
    )
    with pytest.raises(ValueError, match="1 to 500 students"):
        issue_keys(0)


def test_keys_csv_round_trip_and_bad_files(tmp_path):
    keys = issue_keys(3)
    path = tmp_path / "keys.csv"
    write_keys_csv(str(path), keys)
    assert path.read_text().splitlines()[0] == "student,api_key,secret_key"
    assert read_keys_csv(str(path)) == keys
    (tmp_path / "other.csv").write_text("a,b\n1,2\n")
    with pytest.raises(ValueError, match="not a keys file"):
        read_keys_csv(str(tmp_path / "other.csv"))


def test_stats_frame_one_row_per_student_and_a_column_per_answer():
    keys = [("student1", "mx0aaaaaaaaaaaaaaa", "s1"), ("student2", "mx0bbbbbbbbbbbbbbb", "s2")]
    stats = {"keys": {"mx0aaaaaaaaaaaaaaa": {"0": 5, "700002": 3}, "mx0bbbbbbbbbbbbbbb": {"700003": 1}}}
    frame = stats_frame(stats, keys)
    assert list(frame.columns) == ["student", "accepted", "bad signature", "timestamp window"]
    assert frame.to_dict("records") == [
        {"student": "student1", "accepted": 5, "bad signature": 3, "timestamp window": 0},
        {"student": "student2", "accepted": 0, "bad signature": 0, "timestamp window": 1},
    ]


@pytest.fixture
def class_server(tmp_path):
    keys_file = tmp_path / "keys.csv"
    process = subprocess.Popen(
        [sys.executable, "-m", "mexc_helpers", "serve", "--class", "30", "--keys-out", str(keys_file), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    startup = [process.stdout.readline()]
    while not startup[-1].startswith("Press Ctrl-C") and len(startup) < 10:
        startup.append(process.stdout.readline())
    base_url = re.search(r"(http://127\.0\.0\.1:\d+)", startup[0]).group(1)
    process.startup = "".join(startup)
    yield base_url, read_keys_csv(str(keys_file)), process, keys_file
    if process.poll() is None:
        process.kill()


def test_thirty_students_concurrently_and_crossed_keys_are_refused(class_server):
    base_url, keys, process, keys_file = class_server
    assert len(keys) == 30
    errors, accepted = [], []

    def student(api_key, secret):
        try:
            client = MexcClient(api_key, secret, base_url)
            for _ in range(5):
                client.place_order("BTCUSDT", "BUY", "LIMIT", quantity="0.001", price="60000")
            accepted.append(len(client.open_orders("BTCUSDT")))
        except Exception as error:  # collected and asserted below
            errors.append(repr(error))

    threads = [threading.Thread(target=student, args=(key, secret)) for _, key, secret in keys]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == [] and accepted == [5] * 30  # each student sees only their own five orders
    (_, first_key, _), (_, _, second_secret) = keys[0], keys[1]
    with pytest.raises(MexcAPIError) as raised:
        MexcClient(first_key, second_secret, base_url).account()
    assert raised.value.code == 700002
    assert requests.get(base_url + "/lab/stats", timeout=10).json() == {"code": 403, "msg": "Forbidden"}
    token = read_token(keys_file)
    assert f"instructor token: {token}" in process.startup
    assert token and len(token) >= 32 and (keys_file.with_suffix(".token").stat().st_mode & 0o077) == 0
    stats = requests.get(base_url + "/lab/stats", headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert stats.json()["keys"][first_key]["700002"] == 1 and stats.json()["keys"][keys[5][1]]["0"] >= 6
    process.send_signal(signal.SIGINT)
    out, _ = process.communicate(timeout=20)
    assert process.returncode == 0 and "stopped." in out


def test_class_needs_keys_out_and_never_overwrites_keys(tmp_path):
    run = lambda *args: subprocess.run(
        [sys.executable, "-m", "mexc_helpers", "serve", *args], capture_output=True, text=True, timeout=30
    )
    assert "needs --keys-out" in run("--class", "3").stderr
    existing = tmp_path / "keys.csv"
    existing.write_text("precious")
    result = run("--class", "3", "--keys-out", str(existing), "--port", "0")
    assert result.returncode == 2 and "exists" in result.stderr and existing.read_text() == "precious"


def test_a_classmate_cannot_read_or_borrow_another_students_key():
    """The reproduction from the issue: sign with a classmate's key and any secret, read the expected
    signature from /lab/log, resend. Every step is refused now, and the owner still reads their log."""
    from werkzeug.test import Client

    from mexc_helpers.protocol.signing import sign_spot

    keys = issue_keys(2)
    app = class_app(keys, token="instructor-only")
    client = Client(app)
    (_, victim_key, victim_secret), (_, _, attacker_secret) = keys
    order = {"symbol": "BTCUSDT", "side": "BUY", "type": "LIMIT", "quantity": "0.001", "price": "60000"}

    def send(path, params, secret, headers=None):
        signed = sign_spot(
            "GET" if path == "/lab/log" else "POST",
            path,
            params,
            api_key=victim_key,
            secret=secret,
            base_url="http://x",
            timestamp=app.server_time(),
        )
        method = client.get if signed.method == "GET" else client.post
        return method(signed.url.removeprefix("http://x"), headers={**signed.headers, **(headers or {})})

    assert send("/api/v3/order", order, attacker_secret).json["code"] == 700002
    unsigned = client.get("/lab/log", headers={"X-MEXC-APIKEY": victim_key})
    assert unsigned.json["code"] == 700004 and "expected" not in unsigned.get_data(as_text=True)
    borrowed = send("/lab/log", {}, attacker_secret)
    assert borrowed.status_code == 400 and borrowed.json["code"] == 700002
    assert app.orders.open_spot(victim_key, None) == []
    mine = send("/lab/log", {}, victim_secret).json
    assert [(entry["path"], entry["code"]) for entry in mine] == [("/api/v3/order", 700002)]
    assert victim_secret not in str(mine)
    assert client.get("/lab/stats").status_code == 403
    assert client.get("/lab/stats", headers={"Authorization": "Bearer wrong"}).status_code == 403
    stats = client.get("/lab/stats", headers={"Authorization": "Bearer instructor-only"}).json
    assert stats["keys"][victim_key] == {"700002": 1}


def test_dashboard_refresh_shows_the_counts_and_survives_a_down_exchange(exchange, creds):
    from mexc_helpers.lab.dashboard import class_dashboard
    from mexc_helpers.protocol.signing import sign_spot

    keys = [("ada", exchange.api_key, exchange.secret)]
    dashboard = class_dashboard(exchange.base_url, keys)
    assert "ada" in dashboard.table.value and bytes(dashboard.chart.value[:4]) == b"\x89PNG"
    sign_spot("GET", "/api/v3/account", {}, **creds, timestamp=exchange.server_time()).send()
    assert dashboard.refresh().to_dict("records") == [{"student": "ada", "accepted": 1}]
    dashboard.base_url = "http://127.0.0.1:9"
    assert dashboard.refresh() is None and "cannot read" in dashboard.message.value
    assert "ada" in dashboard.table.value  # the last view stays


def test_labs_use_the_class_exchange_when_mexc_lab_url_is_set(monkeypatch):
    from mexc_helpers import widgets
    from mexc_helpers.client import RemoteExchange
    from mexc_helpers.lab import cases as labs
    from mexc_helpers.server.exchange import LocalExchange

    keys = issue_keys(1)
    ((_, api_key, secret),) = keys
    with LocalExchange(api_key=api_key, secret=secret) as class_exchange:  # a real clock, like a class
        monkeypatch.setenv("MEXC_LAB_URL", class_exchange.base_url)
        monkeypatch.setenv("MEXC_API_KEY", api_key)
        monkeypatch.setenv("MEXC_SECRET_KEY", secret)
        monkeypatch.setattr(labs, "_shared", None)
        remote = labs.lab_exchange()
        assert isinstance(remote, RemoteExchange) and secret not in repr(remote)
        order = widgets.order_lab()
        assert [o.code for o in order.outcomes] == [0, 602]
        assert order.outcomes[0].server_signed.startswith("symbol=BTCUSDT&side=BUY")  # the server's view, remotely
        clock = widgets.clock_lab()
        clock.controls["offset"].value = 1500
        assert [o.code for o in clock.outcomes] == [700003, 0]
        assert class_exchange.log.entries(api_key=api_key)[-1].path == "/api/v1/private/order/list/open_orders"
    monkeypatch.setattr(labs, "_shared", None)


def test_a_class_exchange_may_be_plain_http_only_when_the_class_network_is_opted_in(monkeypatch):
    from mexc_helpers.client import RemoteExchange

    monkeypatch.delenv("MEXC_CLASS_NETWORK", raising=False)
    with pytest.raises(ValueError, match="refusing plain http to 192.168.1.10.*MEXC_CLASS_NETWORK=1"):
        RemoteExchange("http://192.168.1.10:8080/", "mx0aBYs33eIilxBWC5", "s")
    monkeypatch.setenv("MEXC_CLASS_NETWORK", "1")
    assert RemoteExchange("http://192.168.1.10:8080/", "mx0aBYs33eIilxBWC5", "s").base_url == "http://192.168.1.10:8080"
    with pytest.raises(ValueError, match="not an http"):
        RemoteExchange("ftp://192.168.1.10", "mx0aBYs33eIilxBWC5", "s")
    with pytest.raises(ValueError, match="MEXC is https only"):
        RemoteExchange("http://api.mexc.com", "mx0aBYs33eIilxBWC5", "s")
