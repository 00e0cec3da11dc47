"""mexc-lab probe: against the local exchange every experiment agrees; against an exchange with one rule
changed, exactly the experiment on that rule disagrees; the report never holds a secret, a key or a signature;
only read-only endpoints and test orders are ever called; rules and experiments link both ways."""

from __future__ import annotations

import itertools
import json
import os
import pathlib
import re
import subprocess
import sys
from urllib.parse import urlsplit

import pytest

from mexc_helpers.cli import main
from mexc_helpers.probe import EXPERIMENTS, Target, experiment, run_probe
from mexc_helpers.probe.run import SYNC_SAMPLES, Answer, StepResult
from mexc_helpers.protocol.clock import now_ms
from mexc_helpers.server.exchange import LocalExchange

ROOT = pathlib.Path(__file__).resolve().parents[2]
API_KEY = "mx0probeTestKey4242"
SECRET = "probe-test-secret-0f3a9c"

# What the local exchange answers to each request, written out by hand from docs/protocol.md.
ACCEPTED, ENCODING = "signature accepted", ["signature accepted", "refused 700002"]
LOCAL_ANSWERS = {
    "encoding-plus-space": ENCODING,
    "encoding-lowercase-hex": ENCODING,
    "encoding-parentheses": ENCODING,
    "encoding-tilde": ENCODING,
    "encoding-asterisk": ENCODING,
    "encoding-non-ascii": ENCODING,
    "signature-in-form-body": [ACCEPTED, ACCEPTED, "refused 700002"],
    "spot-json-body": [ACCEPTED, "refused 700002"],
    "param-in-query-and-body": [ACCEPTED, "refused 30014"],
    "order-expired-and-bad-signature": ["refused 700003", "refused 700002", "refused 700003"],
    "order-missing-signature-unknown-key": ["refused 700004", "refused 10072", "refused 10072"],
    "content-type-absent": [ACCEPTED, "refused 700013", "refused 700013"],
    "recv-window-max": [ACCEPTED, "refused 700005"],
    "spot-window-ahead": [ACCEPTED, "refused 700003"],
    "spot-window-behind": [ACCEPTED, "refused 700003"],
    "futures-unsorted-get": [ACCEPTED, ACCEPTED, "refused 602"],
    "futures-recv-window-ms": [ACCEPTED, "refused 600"],
    "futures-window-ahead": [ACCEPTED, "refused 513"],
    "futures-window-behind": [ACCEPTED, "refused 513"],
}
# Each mutation of tests/probe_mutant.py, and the one experiment that must notice it.
MUTANTS = {
    "keep-asterisk": "encoding-asterisk",
    "symmetric-window": "spot-window-ahead",
    "signature-first": "order-expired-and-bad-signature",
    "body-signature-missing": "signature-in-form-body",
    "json-signed-as-form": "spot-json-body",
    "body-value-wins": "param-in-query-and-body",
    "recv-window-ms": "futures-recv-window-ms",
}


@pytest.fixture
def keys(monkeypatch, tmp_path):
    """The test's keys in the environment, run from a folder without a .env."""
    monkeypatch.setenv("MEXC_API_KEY", API_KEY)
    monkeypatch.setenv("MEXC_SECRET_KEY", SECRET)
    for name in ("MEXC_LAB_URL", "MEXC_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture(scope="module")
def mutants():
    """One mutated exchange per mutation, each in its own process, started together: name -> base URL."""
    environ = {**os.environ, "MEXC_API_KEY": API_KEY, "MEXC_SECRET_KEY": SECRET}
    processes = {
        name: subprocess.Popen(
            [sys.executable, str(ROOT / "tests" / "server" / "probe_mutant.py"), name],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=environ,
        )
        for name in MUTANTS
    }
    try:
        yield {name: process.stdout.readline().strip() for name, process in processes.items()}
    finally:
        for process in processes.values():
            process.stdin.close()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()


def test_every_experiment_agrees_with_the_local_exchange_through_the_command(keys, capsys):
    report_path = keys / "probe.json"
    with LocalExchange(api_key=API_KEY, secret=SECRET) as exchange:
        base_url = exchange.base_url
        code = main(["probe", "--base-url", base_url, "--spacing", "0", "--json", str(report_path)])
    out = capsys.readouterr().out
    assert code == 0, out
    lines = out.strip().splitlines()
    assert lines[0].startswith(f"probing {base_url}")
    for line, name in zip(lines[1:-2], LOCAL_ANSWERS, strict=True):
        assert line.split()[:2] == ["agree", name]
    assert (
        lines[-2] == "19 experiments, 43 signed requests (+5 to read the clock): 19 agree, 0 disagree, 0 inconclusive"
    )
    assert lines[-1].startswith(f"report written to {report_path}")
    report = json.loads(report_path.read_text())
    assert report["version"] == "0.2.0" and report["target"] == base_url
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", report["date"])
    for entry in report["experiments"]:
        assert entry["verdict"] == "agree"
        assert [r["live"]["outcome"] for r in entry["requests"]] == LOCAL_ANSWERS[entry["name"]], entry["name"]
        assert entry["rule"].startswith("docs/protocol.md#")
        assert all({"method", "path", "differs", "prediction", "live"} <= set(r) for r in entry["requests"])


def test_the_report_holds_no_secret_no_key_and_no_signature(keys):
    with LocalExchange(api_key=API_KEY, secret=SECRET) as exchange:
        report = run_probe(API_KEY, SECRET, exchange.base_url, spacing=0)
        signatures = {entry.received_signature for entry in exchange.log.entries() if entry.received_signature}
    text = json.dumps(report.to_dict(secrets=(API_KEY, SECRET))) + str(report) + repr(report)
    assert len(signatures) > 20
    assert SECRET not in text and API_KEY not in text
    assert not re.search(r"[0-9a-fA-F]{64}", text)
    assert not any(signature in text for signature in signatures)


@pytest.mark.slow
@pytest.mark.parametrize("mutation", sorted(MUTANTS))
def test_a_changed_rule_is_caught_by_exactly_its_experiment(mutants, mutation):
    report = run_probe(API_KEY, SECRET, mutants[mutation], spacing=0)
    verdicts = {result.experiment.name: result.verdict for result in report.results}
    assert {name for name, verdict in verdicts.items() if verdict != "agree"} == {MUTANTS[mutation]}
    assert verdicts[MUTANTS[mutation]] == "disagree" and report.exit_code == 1


def test_a_clock_too_uncertain_for_the_edges_makes_them_inconclusive(keys):
    """Every reading of this machine's clock jumps 1.5 s: each round trip looks 1.5 s long, so the
    clock's uncertainty (750 ms + 750 ms) exceeds every window experiment's margin (500 to 1000 ms);
    the requests signed well inside the window, refused for their time, say the clock was wrong, not a rule."""
    jumps = itertools.count()
    window = [e for e in EXPERIMENTS if all(step.margin_ms for step in e.steps)] + [experiment("recv-window-max")]
    with LocalExchange(api_key=API_KEY, secret=SECRET) as exchange:
        clock = lambda: now_ms() + 1500 * next(jumps)
        report = run_probe(API_KEY, SECRET, exchange.base_url, spacing=0, experiments=window, clock=clock)
    assert [result.verdict for result in report.results] == ["inconclusive"] * 5
    assert report.exit_code == 0


@pytest.mark.parametrize(
    ("predicted", "live", "margin", "verdict"),
    [
        (0, 0, None, False),  # agreed, nothing unclear
        (0, 700002, None, False),  # a real disagreement
        (0, 700007, None, True),  # the key may not call this endpoint: says nothing about the rule
        (0, 404, None, True),  # no such endpoint on that exchange
        (10072, 10072, None, False),  # an unknown key was the point of the request
        (0, 700003, None, True),  # signed well inside the window, refused for its time: the clock was wrong
        (700005, 700005, None, False),
        (0, 700003, 500, False),  # an edge 500 ms away, the clock certain to 400 ms
        (0, 0, 300, True),  # an edge 300 ms away: too near to tell
    ],
)
def test_which_answers_are_unclear(predicted, live, margin, verdict):
    outcome = StepResult("GET", "/api/v3/account", "", "", Answer(predicted, ""), Answer(live, ""), margin, 400)
    assert outcome.unclear is verdict


def test_only_read_only_endpoints_and_test_orders_and_few_requests():
    """A body goes only to the test order (the layouts of spot-signature, -json-body, duplicate-parameters)."""
    target = Target(API_KEY, SECRET, "https://api.mexc.com", "https://contract.mexc.com", lambda: 1_700_000_000_000)
    called = set()
    for exp in EXPERIMENTS:
        for step in exp.steps:
            request = step.build(target)
            parts = urlsplit(request.url)
            called.add((request.method, f"{parts.scheme}://{parts.netloc}", parts.path))
            assert (request.method, parts.path) == exp.endpoint
            assert request.body is None or exp.endpoint == ("POST", "/api/v3/order/test"), exp.name
    assert called == {
        ("GET", "https://api.mexc.com", "/api/v3/account"),
        ("POST", "https://api.mexc.com", "/api/v3/order/test"),
        ("GET", "https://contract.mexc.com", "/api/v1/private/account/assets"),
        ("GET", "https://contract.mexc.com", "/api/v1/private/order/list/open_orders"),
    }
    assert sum(len(exp.steps) for exp in EXPERIMENTS) + SYNC_SAMPLES <= 60
    assert "***" in repr(target) and SECRET not in repr(target) and API_KEY not in repr(target)


def test_rules_and_experiments_link_both_ways():
    text = (ROOT / "docs" / "protocol.md").read_text(encoding="utf-8")
    sections = dict(re.findall(r'<a id="([^"]+)"></a>(.*?)(?=<a id=|\Z)', text, re.S))
    names = {exp.name for exp in EXPERIMENTS}
    for exp in EXPERIMENTS:
        assert exp.anchor in sections, exp.rule
        assert f"probe experiment: `{exp.name}`" in sections[exp.anchor], exp.name
    named = re.findall(r"probe experiment: `([^`]+)`", text)
    assert set(named) <= names and len(named) == len(names)
    assert "mexc-lab probe` (planned)" not in text
    assert experiment("encoding-tilde").anchor == "canonical-encoding"


def test_missing_keys_exit_2_with_one_line(keys, monkeypatch):
    monkeypatch.delenv("MEXC_SECRET_KEY")
    result = subprocess.run(
        [sys.executable, "-m", "mexc_helpers", "probe", "--base-url", "http://127.0.0.1:9"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "MEXC_SECRET_KEY not set" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--spacing", "-1"], "--spacing"),
        (["--base-url", "http://api.mexc.com"], "plain http"),
        (["--base-url", "http://127.0.0.1:9"], "cannot read the server time"),
    ],
)
def test_usage_errors_exit_2_with_one_line(keys, capsys, args, message):
    assert main(["probe", *args]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err
