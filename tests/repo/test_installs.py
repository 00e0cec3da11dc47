"""`pip install mexc-signature-lab` without extras gives a working `mexc-lab sign`, `doctor`, `serve` and
`check`; a missing optional dependency is one line naming the extra to install.

Each case runs the command line in a fresh interpreter where the extras' packages (ipywidgets,
pandas, matplotlib, papermill, waitress, python-dotenv, jupyterlab) cannot be imported, as in a
venv with only the base install. (.ci/run and `make test` install every extra; this is how the
suite sees the bare install.)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from tests.conftest import DOCS_KEY, DOCS_SECRET

pytestmark = pytest.mark.slow  # each case starts a Python without the extras: `make test` and CI, not `make test-fast`

OPTIONAL = ("ipywidgets", "pandas", "matplotlib", "papermill", "waitress", "dotenv", "jupyterlab", "IPython")
BLOCKER = textwrap.dedent(
    f"""
    import sys
    class _Blocker:
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in {OPTIONAL!r}:
                raise ModuleNotFoundError(f"No module named {{name!r}}")
    sys.meta_path.insert(0, _Blocker())
    """
)


def run_bare(code: str, *, cwd=None, env=None, stdin=None, timeout=60) -> subprocess.CompletedProcess:
    environment = {**os.environ, "MEXC_API_KEY": DOCS_KEY, "MEXC_SECRET_KEY": DOCS_SECRET, **(env or {})}
    for name in ("MEXC_LAB_URL", "MEXC_BASE_URL", "MEXC_CLASS_NETWORK"):
        environment.pop(name, None)
    return subprocess.run(
        [sys.executable, "-c", BLOCKER + textwrap.dedent(code)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=environment,
        input=stdin,
        timeout=timeout,
    )


def mexc_lab(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return run_bare(f"from mexc_helpers.cli import main; raise SystemExit(main({list(args)!r}))", **kwargs)


def test_the_blocker_really_hides_the_extras():
    result = run_bare("import pandas")
    assert result.returncode != 0 and "No module named 'pandas'" in result.stderr


def test_sign_works_without_extras(tmp_path):
    result = mexc_lab("sign", "/api/v3/account", "--timestamp", "1700000000000", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(
        "curl -X GET 'https://api.mexc.com/api/v3/account?timestamp=1700000000000&signature="
    )


def test_doctor_works_without_extras(tmp_path):
    url = (
        "https://api.mexc.com/api/v3/order?symbol=BTCUSDT&timestamp=1700000000000"
        "&signature=0000000000000000000000000000000000000000000000000000000000000000"
    )
    result = mexc_lab("doctor", "--json", "--secret-env", "MEXC_SECRET_KEY", url, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["causes"] == ["signature_unexplained"]


def test_serve_works_without_extras(tmp_path):
    code = BLOCKER + textwrap.dedent(
        """
        from mexc_helpers.cli import main
        raise SystemExit(main(["serve", "--port", "0"]))
        """
    )
    with subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path
    ) as server:
        try:
            first = server.stdout.readline()
            assert first.startswith("MEXC Signature Lab local exchange on http://127.0.0.1:"), server.stderr.read()
            base_url = first.split(" on ", 1)[1].strip()
            from mexc_helpers.client import fetch_server_time

            assert fetch_server_time(base_url) > 1_700_000_000_000
        finally:
            server.terminate()
        assert server.wait(timeout=10) == 0


def test_serve_class_without_the_extra_names_it(tmp_path):
    result = mexc_lab("serve", "--class", "2", "--keys-out", str(tmp_path / "keys.csv"), "--port", "0")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "error: serve --class needs waitress, which is not installed: pip install 'mexc-signature-lab[class]'"
    ]
    assert not (tmp_path / "keys.csv").exists()


def test_check_reading_a_dotenv_without_the_extra_names_it(tmp_path):
    (tmp_path / ".env").write_text("MEXC_API_KEY=x\n")
    result = mexc_lab("check", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "error: reading .env needs dotenv, which is not installed: pip install 'mexc-signature-lab[env]'"
    )


@pytest.mark.parametrize(
    ("code", "extra"),
    [
        ("from mexc_helpers.widgets import order_lab", "lab"),
        ("from mexc_helpers import LocalExchange; LocalExchange().log.to_frame()", "lab"),
    ],
)
def test_the_labs_without_the_extra_name_it(code, extra):
    result = run_bare(code)
    assert result.returncode != 0
    assert f"pip install 'mexc-signature-lab[{extra}]'" in result.stderr.strip().splitlines()[-1]


def test_the_lab_logic_and_the_doctor_import_without_extras():
    result = run_bare(
        "import mexc_helpers, mexc_helpers.lab, mexc_helpers.doctor, mexc_helpers.checks\n"
        "from mexc_helpers.lab.figures import signing_anatomy, window_figure_svg\n"
        "assert signing_anatomy()._repr_svg_().startswith('<svg') and window_figure_svg(0, 5000)\n"
        "from mexc_helpers.lab import table\n"
        "shown = table([{'offset': -5001, 'accepted': False}, {'offset': 0, 'accepted': True}])\n"
        "assert '<td>-5001</td><td>False</td>' in shown._repr_html_()\n"
        "assert repr(shown).split()[:2] == ['offset', 'accepted']\n"
        "from mexc_helpers.doctor import diagnose\n"
        "seconds = 'https://api.mexc.com/api/v3/account?timestamp=1700000000&signature=' + '0' * 64\n"
        "found = diagnose(seconds, None).table('proven', 'cause')\n"
        "assert '<th>proven</th><th>cause</th>' in found._repr_html_()\n"
        "assert '<td>True</td><td>timestamp_in_seconds</td>' in found._repr_html_()\n"
        "print('ok')"
    )
    assert result.returncode == 0 and result.stdout == "ok\n", result.stderr


def test_version_comes_from_the_package_metadata():
    from importlib.metadata import version

    import mexc_helpers

    assert mexc_helpers.__version__ == version("mexc-signature-lab")
    result = mexc_lab("--version")
    assert result.stdout.strip() == f"mexc-lab {version('mexc-signature-lab')}"
