"""Class mode, end to end against one real class exchange (`mexc-lab serve --class 3 --handouts DIR`, on loopback):
the hand-out slips, the setup cell's connection check and each of its messages, exercise results reported by
the checks and counted in /lab/stats, and the dashboard's exercises and the doctor's causes of refused requests."""

import os
import re
import subprocess

import pytest
import requests

from mexc_helpers import classmode
from mexc_helpers.cli import main
from mexc_helpers.client import LabSetupError, RemoteExchange
from mexc_helpers.lab import labs
from mexc_helpers.lab.dashboard import doctor_causes, exercises_frame, refused_html, refused_requests
from mexc_helpers.protocol.signing import futures_signature, sign_futures, sign_spot, spot_signature
from mexc_helpers.server.classroom import check_handouts_folder, handout_texts, issue_keys, read_keys_csv, read_token
from mexc_helpers.server.exchange import LocalExchange
from mexc_helpers.server.log import ExerciseResults
from tests.server.test_classroom import start_class_server

CLEAN_ENV = {k: v for k, v in os.environ.items() if not k.startswith("MEXC_")}
ORDER = {"symbol": "BTCUSDT", "side": "BUY", "type": "LIMIT", "quantity": "0.001", "price": "60000"}


@pytest.fixture(scope="module")
def room(tmp_path_factory):
    """One class exchange of 3 students for the whole module, its slips written to a fresh folder."""
    tmp = tmp_path_factory.mktemp("room")
    keys_file, slips = tmp / "keys.csv", tmp / "slips"
    env = {**CLEAN_ENV, "XDG_DATA_HOME": str(tmp / "data")}
    base_url, process = start_class_server("3", "--keys-out", str(keys_file), "--handouts", str(slips), env=env)
    yield base_url, read_keys_csv(keys_file), read_token(keys_file), slips, process
    process.kill()
    process.wait(timeout=10)


@pytest.fixture
def student_env(monkeypatch, tmp_path):
    """A student's environment: no MEXC_* variable of the user's, no .env, and a fresh setup check."""
    for name in [name for name in os.environ if name.startswith("MEXC_")]:
        monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)  # credentials_from_env reads ./.env: none here
    monkeypatch.setattr(classmode, "_checked", None)

    def set_student(base_url, api_key, secret):
        monkeypatch.setenv("MEXC_LAB_URL", base_url)
        monkeypatch.setenv("MEXC_API_KEY", api_key)
        monkeypatch.setenv("MEXC_SECRET_KEY", secret)

    return set_student


def stats(base_url, token):
    return requests.get(f"{base_url}/lab/stats", headers={"Authorization": f"Bearer {token}"}, timeout=10).json()


def setup_error(capsys) -> str:
    """The one line the setup cell shows (IPython renders LabSetupError without a traceback)."""
    with pytest.raises(LabSetupError) as raised:
        labs.lab_exchange()
    assert raised.value._render_traceback_() == [f"LabSetupError: {raised.value}"]
    assert "\n" not in str(raised.value) and capsys.readouterr().out == ""
    return str(raised.value)


# --- hand-out slips ---------------------------------------------------------------------------------


def test_serve_writes_one_private_slip_per_student_with_exactly_what_they_need(room):
    base_url, keys, _, slips, process = room
    assert f"hand-outs: {slips}/<student>.env and <student>.txt" in process.startup
    assert slips.stat().st_mode & 0o777 == 0o700
    assert sorted(path.name for path in slips.iterdir()) == [
        f"student{n}.{s}" for n in (1, 2, 3) for s in ("env", "txt")
    ]
    for student, api_key, secret in keys:
        env, printable = slips / f"{student}.env", slips / f"{student}.txt"
        assert env.stat().st_mode & 0o777 == 0o600 and printable.stat().st_mode & 0o777 == 0o600
        # loopback: no MEXC_CLASS_NETWORK needed; plain \n endings, so a cut secret never ends in \r
        assert (
            env.read_bytes() == f"MEXC_LAB_URL={base_url}\nMEXC_API_KEY={api_key}\nMEXC_SECRET_KEY={secret}\n".encode()
        )
        text = printable.read_text()
        assert (
            f"    export MEXC_LAB_URL={base_url}\n    export MEXC_API_KEY={api_key} MEXC_SECRET_KEY={secret}\n" in text
        )
        assert f"set -a; . ./{student}.env; set +a" in text and "\r" not in text


def test_a_slip_for_a_room_on_the_network_opts_in_to_plain_http():
    env, printable = handout_texts("student07", "mx0aaaaaaaaaaaaaaa", "f" * 32, "http://192.168.1.20:8080")
    assert env == (
        "MEXC_LAB_URL=http://192.168.1.20:8080\nMEXC_CLASS_NETWORK=1\n"
        f"MEXC_API_KEY=mx0aaaaaaaaaaaaaaa\nMEXC_SECRET_KEY={'f' * 32}\n"
    )
    assert "export MEXC_LAB_URL=http://192.168.1.20:8080 MEXC_CLASS_NETWORK=1\n" in printable


def test_slips_are_never_overwritten_nor_written_into_a_git_work_tree(tmp_path, capsys):
    slips = tmp_path / "slips"
    slips.mkdir()
    (slips / "student2.txt").write_text("precious")
    keys_file = tmp_path / "keys.csv"
    args = ["serve", "--class", "3", "--keys-out", str(keys_file), "--port", "0", "--handouts", str(slips)]
    assert main(args) == 2
    error = capsys.readouterr().err
    assert (
        error
        == f"error: {slips}/student2.txt exists: hand-outs are never overwritten; give --handouts an empty folder\n"
    )
    assert (slips / "student2.txt").read_text() == "precious" and not keys_file.exists()  # refused before anything
    repo = tmp_path / "repo"
    subprocess.run(["git", "init", "-q", str(repo)], check=True, timeout=30)
    (repo / ".gitignore").write_text("ignored/\n")
    assert main([*args[:-1], str(repo / "slips")]) == 2
    assert "inside the git repository" in capsys.readouterr().err and not (repo / "slips").exists()
    assert check_handouts_folder(repo / "ignored", issue_keys(1)) == repo / "ignored"
    with pytest.raises(ValueError, match="cannot name a file"):
        check_handouts_folder(tmp_path / "other", [("../escape", "mx0aaaaaaaaaaaaaaa", "s")])
    assert main(["serve", "--port", "0", "--handouts", str(tmp_path / "x")]) == 2
    assert capsys.readouterr().err.startswith("error: --handouts needs --class N")


# --- the setup cell's connection check -----------------------------------------------------------------


def test_the_setup_checks_the_connection_once_and_counts_it_with_the_labs(room, student_env, capsys):
    base_url, keys, token, *_ = room
    _, api_key, secret = keys[0]
    student_env(base_url, api_key, secret)
    before = stats(base_url, token)
    exchange = labs.lab_exchange()
    assert isinstance(exchange, RemoteExchange) and labs.lab_exchange() is exchange  # checked once
    after = stats(base_url, token)
    assert after["labs"][api_key].get("0", 0) == before["labs"][api_key].get("0", 0) + 1  # the signed check
    assert after["keys"][api_key] == before["keys"][api_key]  # not one of the student's own requests
    assert capsys.readouterr().out == ""


def test_each_setup_problem_is_one_line_saying_what_to_do(room, student_env, capsys):
    base_url, keys, token, *_ = room
    (_, api_key, secret), (_, _, other_secret) = keys[1], keys[2]
    before = stats(base_url, token)
    student_env(base_url, api_key, secret + "\r")
    assert setup_error(capsys) == (
        "MEXC_SECRET_KEY ends with a carriage return (\\r): the keys file was cut with Windows line endings; remove it"
    )
    student_env(base_url, api_key, secret + "\n")
    assert setup_error(capsys) == "MEXC_SECRET_KEY ends with a newline (\\n); remove it"
    student_env(base_url, " " + api_key, secret)
    assert setup_error(capsys) == "MEXC_API_KEY begins with a space; remove it"
    assert stats(base_url, token) == before  # checked before anything was sent
    student_env(base_url, api_key, other_secret)
    assert setup_error(capsys) == (
        "this key and secret do not match (the class exchange refused a correctly signed request with 700002): "
        "copy MEXC_API_KEY and MEXC_SECRET_KEY again, both from your own row of keys.csv"
    )
    assert secret not in str(stats(base_url, token)) and other_secret not in capsys.readouterr().out
    (_, unknown_key, unknown_secret), *_ = issue_keys(1)
    student_env(base_url, unknown_key, unknown_secret)
    assert setup_error(capsys) == (
        f"the class exchange at {base_url} does not know the API key {unknown_key[:4]}... (10072): copy MEXC_API_KEY "
        "again from your row of keys.csv, or ask whether the class was restarted with new keys"
    )
    student_env("http://127.0.0.1:9", api_key, secret)
    assert re.fullmatch(
        r"cannot reach the class exchange at http://127\.0\.0\.1:9: nothing answers there \(ConnectionError\): "
        r"is it running, and is this its address\?",
        setup_error(capsys),
    )


def test_the_embedded_exchange_is_untouched_without_mexc_lab_url(student_env):
    exchange = labs.lab_exchange()
    assert isinstance(exchange, LocalExchange) and exchange.server_time() == labs.LAB_TIME
    assert classmode._checked is None


# --- exercise results ------------------------------------------------------------------------------


def test_exercise_results_reach_the_class_exchange_and_the_dashboard(room, student_env, capsys):
    base_url, keys, token, *_ = room
    student, api_key, secret = keys[0]
    student_env(base_url, api_key, secret)
    classmode.report_exercise("sign", False)
    classmode.report_exercise("sign", True)
    classmode.report_exercise("docs_signature", False)
    assert capsys.readouterr().out == ""
    mine = stats(base_url, token)["exercises"][api_key]
    assert mine == {
        "sign": {"attempts": 2, "passed": True, "latest": True},
        "docs_signature": {"attempts": 1, "passed": False, "latest": False},
    }
    frame = exercises_frame(stats(base_url, token), keys)
    row = frame[frame["student"] == student].iloc[0]
    assert list(frame.columns[:4]) == ["student", "passed", "docs_signature", "sign"]  # EXERCISES' order
    assert (row["passed"], row["docs_signature"], row["sign"], row["fixed_bot"]) == (1, "✗ 1", "✓", "")


def test_a_report_that_cannot_be_sent_is_one_line_and_never_raises(room, student_env, capsys, monkeypatch):
    base_url, keys, token, *_ = room
    _, api_key, secret = keys[1]
    classmode.report_exercise("sign", True)  # no MEXC_LAB_URL: nothing sent, nothing said
    assert capsys.readouterr().out == ""
    student_env(base_url, api_key, secret)
    classmode.report_exercise("Not A Name", True)
    assert capsys.readouterr().out == (
        "(this result was not reported to the class exchange: it answered 33333 "
        "exercise 'Not A Name' must be 1 to 40 characters of a-z, 0-9 and _)\n"
    )
    student_env("http://127.0.0.1:9", api_key, secret)
    classmode.report_exercise("sign", True)
    out = capsys.readouterr().out
    assert out.startswith("(this result was not reported to the class exchange: cannot reach the class exchange at")
    assert out.count("\n") == 1 and secret not in out
    assert stats(base_url, token)["exercises"][api_key] == {}


def test_the_exchange_records_only_a_correctly_signed_report_of_a_known_key(room):
    base_url, keys, token, *_ = room
    (_, api_key, secret), (_, _, other_secret) = keys[2], keys[0]

    def report(params, secret, api_key=api_key):
        signed = sign_spot("POST", "/lab/exercise", params, api_key=api_key, secret=secret, base_url=base_url)
        return signed.send(timeout=10).json()

    assert report({"exercise": "sign", "passed": "true"}, other_secret) == {
        "code": 700002,
        "msg": "Signature for this request is not valid.",
    }
    (_, unknown_key, unknown_secret), *_ = issue_keys(1)
    assert report({"exercise": "sign", "passed": "true"}, unknown_secret, unknown_key)["code"] == 10072
    unsigned = requests.post(f"{base_url}/lab/exercise?exercise=sign&passed=true", timeout=10)
    assert unsigned.json() == {"code": 400, "msg": "api key required"}
    assert report({"exercise": "x" * 41, "passed": "true"}, secret)["code"] == 33333
    assert report({"exercise": "sign", "passed": "yes"}, secret) == {
        "code": 33333,
        "msg": "passed 'yes' must be true or false",
    }
    assert report({"passed": "true"}, secret) == {"code": 44444, "msg": "mandatory parameter 'exercise' is missing"}
    assert report({"exercise": "canonical", "passed": "true"}, secret) == {}
    assert stats(base_url, token)["exercises"][api_key] == {
        "canonical": {"attempts": 1, "passed": True, "latest": True}
    }


def test_a_key_records_a_bounded_number_of_exercises():
    results = ExerciseResults(per_key=2)
    results.record("mx0aaaaaaaaaaaaaaa", "a", True)
    results.record("mx0aaaaaaaaaaaaaaa", "b", False)
    results.record("mx0aaaaaaaaaaaaaaa", "b", True)  # a known one is still counted
    with pytest.raises(ValueError, match="reported 2 exercises: no more are recorded"):
        results.record("mx0aaaaaaaaaaaaaaa", "c", True)
    assert results.snapshot()["mx0aaaaaaaaaaaaaaa"]["b"] == {"attempts": 2, "passed": True, "latest": True}


# --- the doctor on the dashboard -------------------------------------------------------------------


def test_the_dashboard_shows_the_doctors_proven_cause_of_each_refused_request(room):
    base_url, keys, *_ = room
    student = keys[1]
    _, api_key, secret = student
    spot = sign_spot("POST", "/api/v3/order/test", ORDER, api_key=api_key, secret=secret, base_url=base_url)
    sorted_signature = spot_signature(secret, "&".join(sorted(spot.signed_string.split("&"))))
    requests.post(spot.url.replace(spot.signature, sorted_signature), headers=spot.headers, timeout=10)
    params = {"symbol": "BTC_USDT", "page_num": 1}
    path = "/api/v1/private/order/list/open_orders"
    futures = sign_futures("GET", path, params, api_key=api_key, secret=secret, base_url=base_url)
    request_time = int(futures.headers["Request-Time"])  # signed as sent, unsorted: the futures server sorts
    unsorted = futures_signature(api_key, secret, request_time, "symbol=BTC_USDT&page_num=1")
    requests.get(futures.url, headers={**futures.headers, "Signature": unsorted}, timeout=10)
    lucky = sign_spot("GET", "/api/v3/account", {}, api_key=api_key, secret="0" * 32, base_url=base_url)
    requests.get(lucky.url, headers=lucky.headers, timeout=10)  # another secret: no known bug explains it
    refused = refused_requests(base_url, student, count=3)
    assert [(entry.path, entry.code, causes) for entry, causes in refused] == [
        ("/api/v3/account", 700002, "signature_unexplained"),  # never "your secret is wrong": not proven
        (path, 602, "contract_unsorted"),
        ("/api/v3/order/test", 700002, "signed_order_differs"),
    ]
    shown = refused_html(refused)
    assert "<b>contract_unsorted</b>" in shown and secret not in shown


def test_the_doctor_says_unchecked_when_the_log_cannot_tell():
    record = {"method": "GET", "path": "/api/v3/account", "query": "timestamp=1", "body": "", "api_key": "mx0a"}
    assert doctor_causes(record, "s" * 32, "127.0.0.1:1").startswith("unchecked: this exchange's log keeps no headers")
    cut = {**record, "headers": {}, "query": "a=" + "x" * 2000 + "... (4000 chars)", "server_time": 1}
    assert doctor_causes(cut, "s" * 32, "127.0.0.1:1") == "unchecked: the log kept only the start of this request"
