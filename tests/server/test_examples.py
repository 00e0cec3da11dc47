"""The examples in other languages (examples/<language>/), each run against the local exchange: all four of
their requests must pass the exchange's checks, read from the exchange's own log, not from what they print.

A missing toolchain skips with one line (under CI=true it fails: CI installs them with apt, see .ci/run)."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import parse_qsl

import pytest

from mexc_helpers import LocalExchange
from mexc_helpers.doctor.notes import language_note
from tests.browser.conftest import _unavailable

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted(path.parent for path in (ROOT / "examples").glob("*/example.json"))
EXPECTED = [
    ("GET", "/api/v3/account"),
    ("POST", "/api/v3/order/test"),
    ("GET", "/api/v1/private/order/list/open_orders/BTC_USDT"),
    ("POST", "/api/v1/private/order/cancel"),
]
ORDER = [
    ("symbol", "BTCUSDT"),
    ("side", "BUY"),
    ("type", "LIMIT"),
    ("quantity", "0.001"),
    ("price", "60000"),
    ("newClientOrderId", "my bot (1)"),
]
VERIFIED = ROOT / "examples" / "verified.json"  # each example's answers from the last run, shown in notebook 07
RUN_TIMEOUT_S = 180  # a first `go run` or `mcs` compiles


def manifest(folder: Path) -> dict:
    return json.loads((folder / "example.json").read_text())


def test_every_language_the_issue_names_has_an_example():
    assert {folder.name for folder in EXAMPLES} == {"csharp", "go", "java", "javascript", "php", "shell"}
    for folder in EXAMPLES:
        described = manifest(folder)
        assert (folder / described["file"]).is_file()
        assert set(described) == {"language", "file", "requires", "apt", "commands", "bug"}
        assert [path.name for path in folder.iterdir()] and len(list(folder.iterdir())) == 2, "one file + manifest"


@pytest.mark.parametrize(
    "api, method, request_number",
    [("spot", "GET", 1), ("spot", "POST", 2), ("spot", "DELETE", 2), ("futures", "GET", 3),
     ("futures", "DELETE", 3), ("futures", "POST", 4)],
)  # fmt: skip
def test_the_doctor_points_to_the_matching_example(api, method, request_number):
    note = language_note(api, method)
    assert note.startswith(f"fix in your language: examples/ in the kit's repository signs this kind of request "
                           f"(request {request_number}, ")  # fmt: skip
    named = note.rsplit(") in ", 1)[1].replace(" and ", ", ").split(", ")
    assert sorted(named) == sorted(manifest(folder)["language"] for folder in EXAMPLES)


def test_notebook_07_shows_each_example_as_it_is():
    spec = importlib.util.spec_from_file_location("make_notebook", ROOT / "examples" / "make_notebook.py")
    make_notebook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_notebook)
    committed = json.loads(make_notebook.NOTEBOOK.read_text())["cells"]
    expected = make_notebook.cells()
    shown = [(cell["cell_type"], "".join(cell["source"])) for cell in committed]
    assert shown == [(cell["cell_type"], "".join(cell["source"])) for cell in expected], (
        "notebook 07 differs from the examples: run python examples/make_notebook.py, then execute the notebook"
    )
    for folder in EXAMPLES:
        described = manifest(folder)
        assert any((folder / described["file"]).read_text().rstrip() in text for _, text in shown), folder.name


@pytest.fixture
def exchange():
    started = LocalExchange(port=0).start()  # the docs' pair, a running clock: what `mexc-lab serve` gives
    yield started
    started.stop()


def run_example(folder: Path, tmp_path: Path, **variables: str) -> subprocess.CompletedProcess:
    """Run ``folder``'s example in a copy of it, with ``variables`` (MEXC_BASE_URL, ...) and none of the user's
    MEXC_* variables; a missing toolchain skips (fails under CI). Asserts that every command exited 0."""
    described = manifest(folder)
    missing = [tool for tool in described["requires"] if shutil.which(tool) is None]
    if missing:
        packages = " ".join(described["apt"])
        _unavailable(f"{described['language']}: {', '.join(missing)} not installed (sudo apt-get install {packages})")
    work = tmp_path / folder.name
    shutil.copytree(folder, work)
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = {key: value for key, value in os.environ.items() if not key.startswith("MEXC_")}
    env.update(
        HOME=str(home),
        GOCACHE=str(home / "go-cache"),
        GOPATH=str(home / "go"),
        GOFLAGS="-mod=mod",
        GO111MODULE="auto",
        DOTNET_CLI_TELEMETRY_OPTOUT="1",
        **variables,
    )
    for command in described["commands"]:
        ran = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT_S)
        assert ran.returncode == 0, f"{' '.join(command)} exited {ran.returncode}:\n{ran.stdout}\n{ran.stderr}"
    return ran


@pytest.mark.slow
@pytest.mark.parametrize("folder", EXAMPLES, ids=[folder.name for folder in EXAMPLES])
def test_the_example_signs_all_four_requests_right(folder, exchange, tmp_path):
    described = manifest(folder)
    ran = run_example(folder, tmp_path, MEXC_BASE_URL=exchange.base_url)
    printed = ran.stdout
    assert exchange.secret not in printed + ran.stderr, "an example printed the secret"

    entries = exchange.log.entries()
    assert [(entry.method, entry.path) for entry in entries] == EXPECTED, printed
    refused = [f"{e.method} {e.path}: {e.code} {e.msg} ({e.reason})" for e in entries if not e.signature_passed]
    assert not refused, f"{described['language']}: refused by the exchange:\n" + "\n".join(refused)
    account, order, futures_get, futures_post = entries
    assert parse_qsl(account.query) and [name for name, _ in parse_qsl(account.query)] == ["timestamp", "signature"]
    sent = parse_qsl(order.query, keep_blank_values=True)
    assert sent[:-2] == ORDER and [name for name, _ in sent[-2:]] == ["timestamp", "signature"]
    assert "my%20bot%20%281%29" in order.query  # canonical on the wire: %20, never +; ( ) escaped
    assert futures_get.query == "page_num=1&page_size=20"
    assert futures_post.body == "[1]"
    assert len(printed.strip().splitlines()) >= 4, "print each of the four answers"

    # What notebook 07 shows as this example's verified answers is what this run got.
    observed = [
        {"request": f"{e.method} {e.path}", "http_status": e.http_status, "code": e.code, "cause": e.cause}
        for e in entries
    ]
    verified = json.loads(VERIFIED.read_text()) if VERIFIED.exists() else {}
    if os.environ.get("UPDATE_VERIFIED") == "1":
        verified[folder.name] = observed
        VERIFIED.write_text(json.dumps(verified, indent=1, sort_keys=True) + "\n")
    assert verified.get(folder.name) == observed, "the answers changed: UPDATE_VERIFIED=1, then make notebook 07"
