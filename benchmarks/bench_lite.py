"""The kit in the browser (JupyterLite): site size, build time, time to the first lab, and a lab's round trip.

    make lite && python benchmarks/bench_lite.py

Serves ``_site`` on loopback and drives Debian's Chromium like the browser tests (every request that would
leave this machine is blocked and counted). Measured in one run:
- the build with a warm download cache (a build into a temporary folder);
- opening the clock lab notebook until its kernel is ready (Pyodide, the kit and the widgets loaded) and
  until the lab is on the page after Run All;
- a slider step's round trip: from the key press in the page, through the kernel in its web worker (sign,
  in-process exchange, SVG chart) and back, until the page changes;
- the same refresh timed inside the browser's Python, against this machine's CPython with the exchange in
  process too (the interpreter's cost) and over loopback HTTP (what JupyterLab does).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lite.build import SITE, site_size  # noqa: E402
from tests.browser.conftest import CHROMIUM_FLAGS, _free_port, expose_app, loopback_only  # noqa: E402

NOTEBOOK = "02_clock_drift.ipynb"
LAB_TITLE = "Clock drift: the window is asymmetric"
STEPS = 30
# Times 51 refreshes of a clock lab, in whichever Python runs it; prints the median in ms. IN_PROCESS: None lets
# the exchange choose (in process in the browser), True or False forces it.
REFRESH_TIMING = """
import statistics, time
from mexc_helpers import LocalExchange, widgets
from mexc_helpers.lab import LAB_TIME
lab = widgets.clock_lab(LocalExchange(clock=lambda: LAB_TIME, in_process=IN_PROCESS).start())
samples = []
for i in range(51):
    start = time.perf_counter()
    lab.controls["offset"].value = -70_000 + 350 * i
    samples.append((time.perf_counter() - start) * 1000)
print(round(statistics.median(samples), 2))
"""


def refresh_timing(in_process: bool | None) -> str:
    return f"IN_PROCESS = {in_process}\n{REFRESH_TIMING}"


def cpython_refresh_ms(in_process: bool) -> float:
    code = refresh_timing(in_process)
    return float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)


def warm_build_seconds() -> float:
    with tempfile.TemporaryDirectory() as output:
        start = time.monotonic()
        subprocess.run([sys.executable, str(ROOT / "lite" / "build.py"), "--output", output], check=True,
                       capture_output=True)  # fmt: skip
        return time.monotonic() - start


def in_browser(base_url: str) -> dict:
    from playwright.sync_api import sync_playwright

    outside: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, service_workers="allow")
        context.route("**/*", loopback_only(outside))
        context.route(f"{base_url}/**/jupyter-lite.json", expose_app)
        page = context.new_page()
        opened = time.monotonic()
        page.goto(f"{base_url}/lab/index.html?path=notebooks/{NOTEBOOK}")
        page.wait_for_selector("text=| Idle", timeout=180_000)
        kernel_ready = time.monotonic() - opened
        page.locator(".jp-Cell").first.click()
        page.evaluate("window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs')")
        page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
        lab = page.locator(".widget-vbox", has_text=LAB_TITLE).first
        lab.wait_for(timeout=180_000)
        first_lab = time.monotonic() - opened
        page.wait_for_selector("text=| Idle", timeout=60_000)
        round_trips = slider_round_trips(page, lab)
        refresh_ms = float(run_in_kernel(page, refresh_timing(None)))
        browser.close()
    return {"kernel_ready": kernel_ready, "first_lab": first_lab, "round_trips": round_trips,
            "refresh_ms": refresh_ms, "outside": outside}  # fmt: skip


def slider_round_trips(page, lab) -> list[float]:
    """Milliseconds from the Enter that sets the clock offset to the first change of the lab's outputs."""
    lab.evaluate(
        """element => {
        window.benchKeys = []; window.benchChanges = [];
        document.addEventListener('keydown', e => { if (e.key === 'Enter') window.benchKeys.push(performance.now()); },
                                  true);
        const outputs = [...element.querySelectorAll('.widget-html')];
        const observer = new MutationObserver(() => window.benchChanges.push(performance.now()));
        outputs.forEach(o => observer.observe(o, {subtree: true, childList: true, characterData: true}));
    }"""
    )
    readout = lab.locator(".widget-readout").first
    samples = []
    for step in range(STEPS):
        before = page.evaluate("window.benchChanges.length")
        readout.click()
        readout.press("Control+A")
        readout.type(str(-60_000 + 1_700 * step))
        readout.press("Enter")
        page.wait_for_function(f"window.benchChanges.length > {before}", timeout=30_000)
        samples.append(page.evaluate(f"window.benchChanges[{before}] - window.benchKeys[{step}]"))
    return samples


def run_in_kernel(page, code: str) -> str:
    """Runs ``code`` in the notebook's kernel (the browser's Python) and returns what it printed."""
    return page.evaluate(
        """async code => {
        const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
        let printed = '';
        const future = kernel.requestExecute({code});
        future.onIOPub = message => { if (message.header.msg_type === 'stream') printed += message.content.text; };
        await future.done;
        return printed.trim();
    }""",
        code,
    )


def main() -> None:
    if not (SITE / "jupyter-lite.json").exists():
        raise SystemExit("no site in _site: build it first with `make lite`")
    build_s = warm_build_seconds()
    size, files = site_size(SITE)
    size_mb = size / 1e6
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(SITE)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(1)
        measured = in_browser(f"http://127.0.0.1:{port}")
    finally:
        server.terminate()
    cpython_ms, cpython_http_ms = cpython_refresh_ms(True), cpython_refresh_ms(False)
    trips = sorted(measured["round_trips"])
    print("The kit in the browser (JupyterLite, Pyodide), one run\n")
    print("| measure | value |")
    print("|---|---|")
    print(f"| site size (target < 45 MB) | {size_mb:.1f} MB in {files} files |")
    print(f"| build, warm download cache | {build_s:.0f} s |")
    print(f"| open notebook -> kernel ready | {measured['kernel_ready']:.1f} s |")
    print(f"| open notebook -> first lab shown (Run All) | {measured['first_lab']:.1f} s |")
    print(f"| slider round trip, median of {STEPS} (page -> kernel -> page) | {statistics.median(trips):.0f} ms |")
    print(f"| slider round trip, slowest | {trips[-1]:.0f} ms |")
    print(f"| clock lab refresh in the browser's Python (median) | {measured['refresh_ms']:.2f} ms |")
    print(f"| the same in this machine's CPython, exchange in process | {cpython_ms:.2f} ms |")
    print(f"| browser / CPython | {measured['refresh_ms'] / cpython_ms:.1f}x |")
    print(f"| CPython, exchange over loopback HTTP (JupyterLab) | {cpython_http_ms:.2f} ms |")
    print(f"| requests that left loopback | {len(measured['outside'])} |")


if __name__ == "__main__":
    main()
