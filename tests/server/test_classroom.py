"""Classroom mode: 30 students on one waitress-served exchange, each with their own key pair."""

import os
import pathlib
import re
import shlex
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
    # Plain \n line endings, byte for byte: a secret cut from the file with shell tools must not end in \r.
    expected = "student,api_key,secret_key\n" + "".join(f"{s},{k},{secret}\n" for s, k, secret in keys)
    assert path.read_bytes() == expected.encode("utf-8")
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


def start_class_server(*args, env=None, cwd=None):
    """``mexc-lab serve --class ... --port 0 --quiet`` on loopback; returns (base_url, process) with
    ``process.startup``. Quiet: nothing reads its stdout after the banner, and a pipe left full would stall it."""
    process = subprocess.Popen(
        [sys.executable, "-m", "mexc_helpers", "serve", "--class", *args, "--port", "0", "--quiet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=cwd,
    )
    startup = [process.stdout.readline()]
    while not startup[-1].startswith("Press Ctrl-C") and startup[-1]:
        startup.append(process.stdout.readline())
    process.startup = "".join(startup)
    match = re.search(r"address for students: (http://127\.0\.0\.1:\d+)", process.startup)
    assert match, process.startup + process.stderr.read()
    return match.group(1), process


@pytest.fixture
def class_server(tmp_path):
    keys_file = tmp_path / "keys.csv"
    base_url, process = start_class_server("30", "--keys-out", str(keys_file))
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
    assert token not in process.startup and f"instructor token: in {keys_file.with_suffix('.token')}" in process.startup
    assert token and len(token) >= 32 and (keys_file.with_suffix(".token").stat().st_mode & 0o077) == 0
    stats = requests.get(base_url + "/lab/stats", headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert stats.json()["keys"][first_key]["700002"] == 1 and stats.json()["keys"][keys[5][1]]["0"] >= 6
    process.send_signal(signal.SIGINT)
    out, _ = process.communicate(timeout=20)
    assert process.returncode == 0 and "stopped." in out


@pytest.mark.slow
def test_keys_go_outside_the_repo_mode_0600_and_are_never_overwritten(tmp_path):
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data")}
    run = lambda *args: subprocess.run(
        [sys.executable, "-m", "mexc_helpers", "serve", *args], capture_output=True, text=True, timeout=30, env=env
    )
    assert (
        run("--class").stderr
        == "error: --class needs N, the number of students, or --keys-in FILE to restart a class\n"
    )
    base_url, process = start_class_server("3", env=env, cwd=tmp_path)
    process.kill()
    default = tmp_path / "data" / "mexc-lab" / "keys.csv"
    assert f"keys to hand out: {default} " in process.startup and not (tmp_path / "keys.csv").exists()
    assert len(read_keys_csv(default)) == 3 and default.stat().st_mode & 0o777 == 0o600
    again = run("--class", "3", "--port", "0")
    assert again.returncode == 2 and f"restart that class with --keys-in {default}" in again.stderr
    assert len(read_keys_csv(default)) == 3
    existing = tmp_path / "keys.csv"
    existing.write_text("precious")
    result = run("--class", "3", "--keys-out", str(existing), "--port", "0")
    assert result.returncode == 2 and "exists" in result.stderr and existing.read_text() == "precious"


def test_keys_csv_is_git_ignored():
    root = pathlib.Path(__file__).resolve().parents[2]
    ignored = subprocess.run(
        ["git", "check-ignore", "keys.csv", "keys.token"], cwd=root, capture_output=True, text=True
    )
    assert ignored.stdout.split() == ["keys.csv", "keys.token"]


@pytest.mark.slow
def test_a_crashed_class_restarts_with_its_keys_and_token(tmp_path):
    keys_file = tmp_path / "keys.csv"
    _, first = start_class_server("2", "--keys-out", str(keys_file))
    first.kill()  # a crash: no clean stop
    first.wait(timeout=10)
    keys, token = read_keys_csv(keys_file), read_token(keys_file)
    printed = re.search(r"restart after a crash, same keys: (.+)", first.startup)[1]
    command = shlex.split(printed)  # as printed: runnable without an active virtualenv
    assert command[:6] == [sys.executable, "-m", "mexc_helpers", "serve", "--class", "--keys-in"]
    assert command[6] == str(keys_file) and command[7:9] == ["--host", "127.0.0.1"]
    base_url, second = start_class_server("--keys-in", str(keys_file))
    try:
        assert "for 2 students" in second.startup and token not in second.startup
        (_, api_key, secret) = keys[1]
        assert MexcClient(api_key, secret, base_url).account()["canTrade"] is True
        stats = requests.get(base_url + "/lab/stats", headers={"Authorization": f"Bearer {token}"}, timeout=10).json()
        assert stats["keys"][api_key] == {"0": 1}
        assert read_keys_csv(keys_file) == keys
    finally:
        second.kill()
    wrong = subprocess.run(
        [sys.executable, "-m", "mexc_helpers", "serve", "--class", "5", "--keys-in", str(keys_file), "--port", "0"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert wrong.returncode == 2 and "holds 2 students, not 5" in wrong.stderr


def test_start_up_message_gives_a_reachable_address_and_both_environments(tmp_path, monkeypatch):
    from mexc_helpers import cli

    class Server:
        effective_port = 8080

    monkeypatch.setattr(cli, "reachable_addresses", lambda host: ["192.168.1.20", "10.0.0.5"])
    args = cli.build_parser().parse_args(["serve", "--class", "3", "--host", "0.0.0.0"])
    text = cli._class_startup(args, Server(), issue_keys(3), tmp_path / "keys.csv")
    assert "http://0.0.0.0" not in text
    assert "for students: http://192.168.1.20:8080 (this machine on the network; its other addresses: 10.0.0.5)" in text
    students = "students: export MEXC_LAB_URL=http://192.168.1.20:8080 MEXC_CLASS_NETWORK=1 MEXC_API_KEY=<api_key>"
    instructor = "instructor: export MEXC_LAB_URL=http://192.168.1.20:8080 MEXC_CLASS_NETWORK=1 MEXC_CLASS_KEYS="
    assert students in text and f"{instructor}{tmp_path}/keys.csv\n" in text


def test_reachable_addresses_never_offer_the_wildcard_or_loopback_for_a_room():
    from mexc_helpers.server.classroom import reachable_addresses

    assert reachable_addresses("127.0.0.1") == ["127.0.0.1"]
    assert all(a != "0.0.0.0" and not a.startswith("127.") for a in reachable_addresses("0.0.0.0"))


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
    from mexc_helpers.lab import labs
    from mexc_helpers.server.exchange import LocalExchange

    keys = issue_keys(1)
    ((_, api_key, secret),) = keys
    with LocalExchange(api_key=api_key, secret=secret) as class_exchange:  # a real clock, like a class
        monkeypatch.setenv("MEXC_LAB_URL", class_exchange.base_url)
        monkeypatch.setenv("MEXC_API_KEY", api_key)
        monkeypatch.setenv("MEXC_SECRET_KEY", secret)
        remote = labs.lab_exchange()
        assert isinstance(remote, RemoteExchange) and secret not in repr(remote)
        order = widgets.order_lab()
        assert [o.code for o in order.outcomes] == [0, 602]
        assert order.outcomes[0].server_signed.startswith("symbol=BTCUSDT&side=BUY")  # the server's view, remotely
        clock = widgets.clock_lab()
        clock.controls["offset"].value = 1500
        assert [o.code for o in clock.outcomes] == [700003, 0]
        assert class_exchange.log.entries(api_key=api_key)[-1].path == "/api/v1/private/order/list/open_orders"


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


def test_each_cause_keeps_its_colour_and_column_and_only_accepted_is_green():
    from mexc_helpers.lab.dashboard import cause_colour

    keys = [("a", "mx0aaaaaaaaaaaaaaa", "s"), ("b", "mx0bbbbbbbbbbbbbbb", "s")]
    first = {"keys": {"mx0aaaaaaaaaaaaaaa": {"700003": 1, "602": 9, "700002": 5}, "mx0bbbbbbbbbbbbbbb": {"0": 2}}}
    later = {"keys": {"mx0aaaaaaaaaaaaaaa": {"700003": 40, "602": 1, "700002": 2}, "mx0bbbbbbbbbbbbbbb": {"0": 1}}}
    expected = ["student", "accepted", "futures signature", "bad signature", "timestamp window"]
    assert list(stats_frame(first, keys).columns) == list(stats_frame(later, keys).columns) == expected

    def greenish(colour):
        r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
        return g > r + 40 and g > b + 20

    codes = [602, 513, 700001, 700002, 700003, 700004, 700006, 700007, 700008, 700013, 10072, 10211, 30004, 1234]
    assert greenish(cause_colour(0)) and not any(greenish(cause_colour(code)) for code in codes)
    assert cause_colour(700002) != cause_colour(700003) and cause_colour(1234) == cause_colour(1234)


def test_a_labs_demo_is_counted_apart_and_marked_in_the_keys_log():
    from werkzeug.test import Client

    from mexc_helpers.protocol.signing import sign_spot

    ((_, api_key, secret),) = keys = issue_keys(1)
    app = class_app(keys, token="t")
    client = Client(app)

    def send(path, demo):
        signed = sign_spot(
            "GET", path, {}, api_key=api_key, secret=secret, base_url="http://x", timestamp=app.server_time()
        )
        headers = {**signed.headers, **({"X-Lab-Demo": "1"} if demo else {})}
        return client.get(signed.url.removeprefix("http://x"), headers=headers)

    send("/api/v3/account", demo=True)
    send("/api/v3/account", demo=False)
    stats = client.get("/lab/stats", headers={"Authorization": "Bearer t"}).json
    assert stats == {"keys": {api_key: {"0": 1}}, "labs": {api_key: {"0": 1}}, "exercises": {api_key: {}}}
    assert [entry["demo"] for entry in send("/lab/log", demo=False).json] == [True, False]
