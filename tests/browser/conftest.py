"""JupyterLab in headless Chromium: a server on a copy of the notebooks, and a browser that may talk to
loopback only. See shared BROWSER_NOTES for why each setting is there."""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import socket
import subprocess
import sys
import time
from urllib.parse import urlsplit

import pytest
import requests

ROOT = pathlib.Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")
# A name the browser resolves to 127.0.0.1 but, not being loopback by name, is no secure context: the site as a
# laptop serves it to a classroom over plain http (no service worker, no clipboard).
CLASSROOM_HOST = "classroom.test"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


def _unavailable(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: the browser tests must run, never skip)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = shutil.which("chromium") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)
    if path is None:
        _unavailable("Chromium not found: install it with `sudo apt-get install chromium` to run the browser tests")
    return path


@pytest.fixture(scope="session")
def browser(chromium_path):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright not installed: pip install -r requirements-dev.txt")
    with sync_playwright() as playwright:
        resolve = f"--host-resolver-rules=MAP {CLASSROOM_HOST} 127.0.0.1"
        launched = playwright.chromium.launch(executable_path=chromium_path, args=[*CHROMIUM_FLAGS, resolve])
        yield launched
        launched.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def jupyterlab(tmp_path_factory):
    """JupyterLab on a temp copy of the notebooks and of docs/ beside them (the labels link to ../docs/*.md): no
    token, every cell in the DOM, no news toast, and the kit's own settings as `make lab` installs them."""
    root = tmp_path_factory.mktemp("lab")
    shutil.copytree(ROOT / "notebooks", root / "notebooks")
    shutil.copytree(ROOT / "docs", root / "docs")
    # `make lab` copies jupyter-settings/ into the venv's application settings; here they go to a folder of the
    # test's own, so the result depends neither on whether `make lab` ran nor on what else that folder holds.
    app_settings = root / "app-settings"
    kit_settings = app_settings / "overrides.d" / "mexc-signature-lab.json5"
    kit_settings.parent.mkdir(parents=True)
    shutil.copy2(ROOT / "jupyter-settings" / "overrides.json5", kit_settings)
    settings = root / "settings"
    for plugin, values in (
        ("@jupyterlab/notebook-extension/tracker", {"windowingMode": "none"}),
        ("@jupyterlab/apputils-extension/notification", {"fetchNews": "false"}),
    ):
        target = settings / f"{plugin}.jupyterlab-settings"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(values))
    port = _free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("MEXC_")}
    env.update(JUPYTERLAB_SETTINGS_DIR=str(settings), JUPYTERLAB_WORKSPACES_DIR=str(root / "workspaces"))
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--IdentityProvider.token=",
        "--ServerApp.password=",
        f"--ServerApp.root_dir={root}",
        "--LabApp.expose_app_in_browser=True",
        f"--LabApp.app_settings_dir={app_settings}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    with open(root / "jupyterlab.log", "w") as log:
        server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}"
    _await_site(base_url, server, root / "jupyterlab.log", "JupyterLab", "/api")
    yield base_url
    server.terminate()
    server.wait(timeout=30)


def _await_site(base_url: str, server: subprocess.Popen, log: pathlib.Path, what: str, path: str) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base_url}{path}", timeout=2).ok:
                return
        except requests.RequestException:
            time.sleep(0.5)
    server.terminate()
    pytest.fail(f"{what} did not start: {log.read_text()[-2000:]}")


@pytest.fixture(scope="session")
def jupyterlite(tmp_path_factory):
    """The JupyterLite site that `make lite` built, served on loopback like `make lite-serve`."""
    site = pathlib.Path(os.environ.get("MEXC_LITE_SITE", ROOT / "_site"))
    if not (site / "jupyter-lite.json").exists():
        _unavailable(f"no JupyterLite site in {site}: build it with `make lite`")
    port = _free_port()
    log = tmp_path_factory.mktemp("lite") / "http.log"
    command = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(site)]
    with open(log, "w") as output:
        server = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}"
    _await_site(base_url, server, log, "the JupyterLite site", "/jupyter-lite.json")
    yield base_url
    server.terminate()
    server.wait(timeout=30)


def loopback_only(outside: list[str], *also: str):
    """A route handler that lets data:, blob: and loopback (and ``also``) through, and blocks and records in
    ``outside`` every other request: the page's and its web workers' (where JupyterLite's Python runs)."""

    def route_to_loopback(route):
        url = route.request.url
        if url.startswith(("data:", "blob:")) or urlsplit(url).hostname in (*LOOPBACK, *also):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    return route_to_loopback


def expose_app(route):
    """JupyterLite's own switch for tests: ``window.jupyterapp``, so a test can run commands, not click menus.
    (The fetch is Playwright's, outside the browser: it needs the real address.)"""
    answer = route.fetch(url=route.request.url.replace(CLASSROOM_HOST, "127.0.0.1"))
    config = answer.json()
    config.setdefault("jupyter-config-data", {})["exposeAppInBrowser"] = True
    route.fulfill(response=answer, json=config)


def _new_page(request, browser, kind: str):
    """A page of JupyterLab (the kernel on this machine) or JupyterLite (Python in the browser) that may only
    reach loopback: anything else, web workers' requests included, is blocked and recorded in ``page.outside``.
    "jupyterlite-over-plain-http" is the site at an address that is not a secure context."""
    lite = kind.startswith("jupyterlite")
    base_url = request.getfixturevalue("jupyterlite" if lite else "jupyterlab")
    if kind == "jupyterlite-over-plain-http":
        base_url = base_url.replace("127.0.0.1", CLASSROOM_HOST)
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, service_workers="allow")
    outside: list[str] = []
    context.route("**/*", loopback_only(outside, CLASSROOM_HOST))
    if lite:
        context.route(f"{base_url}/**/jupyter-lite.json", expose_app)
    new_page = context.new_page()
    new_page.outside = outside
    new_page.kind = kind
    new_page.base_url = base_url
    new_page.kernel_id = None

    def open_notebook(name: str) -> None:
        """Open ``notebooks/<name>``: the first one by loading the app, each later one in the same app on the
        same kernel (a JupyterLite kernel boots Pyodide and the kit for half a minute; nbval runs every
        notebook in a fresh kernel already)."""
        if new_page.kernel_id is None:
            workspace = name.rsplit("/", 1)[-1].split(".")[0]
            if lite:
                new_page.goto(f"{base_url}/lab/index.html?path=notebooks/{name}")
            else:
                new_page.goto(f"{base_url}/lab/workspaces/{workspace}/tree/notebooks/{name}?reset")
        else:
            new_page.evaluate(
                """async ([path, id]) => { await window.jupyterapp.commands.execute('docmanager:open',
                {path, factory: 'Notebook', kernel: {id}}); }""",  # the widget itself cannot cross to Python
                [f"notebooks/{name}", new_page.kernel_id],
            )

    new_page.open_notebook = open_notebook
    return new_page


@pytest.fixture(scope="session", params=["jupyterlab", "jupyterlite"])
def page(request, browser):
    """One page per kind for the whole run, its notebooks sharing one kernel (see ``open_notebook``)."""
    shared = _new_page(request, browser, request.param)
    yield shared
    shared.context.close()


@pytest.fixture
def fresh_lite_page(request, browser):
    """A JupyterLite page of its own, for a test that changes how the site loads."""
    own = _new_page(request, browser, "jupyterlite")
    yield own
    own.context.close()
