"""Each lab notebook in real JupyterLab and in JupyterLite (Python in the browser, the exchange in process): Run All,
then act like a learner and watch the page change. The notebooks are the same files in both."""

from __future__ import annotations

import hmac
import re
import time

import pytest

from .conftest import ARTIFACTS

DOCS_SECRET = "45d0b3c26f2644f19bfb98b07741b2f5"
SENT = "symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=0.001&price=60000&timestamp=1700000000000"
SIGNED_SORTED = "&".join(sorted(SENT.split("&")))  # the bug: signed sorted, sent as written
BROKEN_REQUEST = (
    f"https://api.mexc.com/api/v3/order?{SENT}"
    f"&signature={hmac.new(DOCS_SECRET.encode(), SIGNED_SORTED.encode(), 'sha256').hexdigest()}"
)
CURRENT = ".jp-NotebookPanel:not(.lm-mod-hidden)"
ERROR_OUTPUT = ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"


def run_all(page, notebook: str):
    """Open ``notebook`` (in the page's shared kernel after the first), clear its stored outputs, Run All, and
    wait until every code cell has run."""
    page.open_notebook(notebook)
    page.wait_for_function(  # JupyterLite: Pyodide and the kit load first, in the first notebook's kernel
        """name => { const current = window.jupyterapp && window.jupyterapp.shell.currentWidget;
        const session = current && current.sessionContext && current.sessionContext.session;
        return Boolean(session && session.kernel && current.context.path.endsWith(name)
            && session.kernel.status === 'idle'); }""",
        arg=notebook,
        timeout=180_000,
    )
    if page.kernel_id is None:
        page.kernel_id = page.evaluate("window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.id")
    page.locator(f"{CURRENT} .jp-Cell").first.click()
    page.evaluate("window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs')")
    page.wait_for_function(
        f"""() => [...document.querySelectorAll('{CURRENT} .jp-CodeCell .jp-InputPrompt')]
        .every(p => !/\\[\\d+\\]/.test(p.textContent))""",
        timeout=30_000,
    )
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
    # Done when every code cell has run, or at once when one fails (Run All stops there).
    page.wait_for_function(
        f"""() => {{ const prompts = [...document.querySelectorAll(
        '{CURRENT} .jp-CodeCell .jp-InputPrompt')];
        return document.querySelector(`{CURRENT} {ERROR_OUTPUT}`) ||
            (prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent))); }}""",
        timeout=180_000,
    )
    errors = page.locator(f"{CURRENT} {ERROR_OUTPUT}").all_inner_texts()
    assert not errors, f"{notebook} failed in {page.kind}:\n{errors[0][-1500:]}"
    page.wait_for_selector("text=| Idle", timeout=60_000)


def lab(page, title: str):
    widget = page.locator(f"{CURRENT} .widget-vbox", has_text=title).first
    widget.scroll_into_view_if_needed()
    return widget


def assert_healthy(page, name: str, widget):
    """No loading or broken widget, no traceback, no request off this machine; keep a screenshot."""
    text = page.locator(CURRENT).inner_text()
    for bad in ("Loading widget", "Error displaying widget", "Traceback"):
        assert bad not in text, f"{name}: the page shows {bad!r}"
    assert page.locator(f"{CURRENT} {ERROR_OUTPUT}").count() == 0
    assert page.outside == [], f"{name}: requests left loopback: {page.outside}"
    ARTIFACTS.mkdir(exist_ok=True)
    widget.screenshot(path=str(ARTIFACTS / f"{page.kind}_{name}.png"))


def set_slider(widget, index: int, value: int):
    readout = widget.locator(".widget-readout").nth(index)
    readout.click()
    readout.press("Control+A")
    readout.type(str(value))
    readout.press("Enter")


def test_start_here_three_causes(page):
    run_all(page, "00_start_here.ipynb")
    overview = lab(page, "The three causes, side by side")
    assert "accepted" in overview.inner_text()
    overview.get_by_text("signs sorted, sends as written").click()
    page.wait_for_timeout(300)
    assert "refused 700002" in overview.inner_text()
    set_slider(overview, 0, 1500)
    overview.get_by_text("refused 700003").wait_for(timeout=10_000)  # the window is checked before the hash
    assert_healthy(page, "00_overview_lab", overview)


def test_order_lab_sort_makes_futures_accept(page):
    run_all(page, "01_parameter_order.ipynb")
    order = lab(page, "Parameter order: drag the tags")
    assert re.search(r"futures GET: refused 602", order.inner_text())
    order.locator("button.widget-button", has_text="sort").click()
    order.get_by_text("futures GET: accepted").wait_for(timeout=10_000)
    assert "spot POST: accepted" in order.inner_text()
    assert_healthy(page, "01_order_lab", order)


@pytest.mark.parametrize("page", ["jupyterlab", "jupyterlite", "jupyterlite-over-plain-http"], indirect=True)
def test_clock_lab_past_one_second_ahead_is_700003(page):
    """Also with the site served to a classroom over plain http, where the page is no secure context: the
    kernel has no service worker then, and the labs must not need one."""
    run_all(page, "02_clock_drift.ipynb")
    assert page.evaluate("window.isSecureContext") == (page.kind != "jupyterlite-over-plain-http")
    clock = lab(page, "Clock drift: the window is asymmetric")
    assert "refused" not in clock.inner_text()
    set_slider(clock, 0, 1100)
    clock.get_by_text("refused 700003").wait_for(timeout=10_000)
    assert_healthy(page, "02_clock_lab", clock)


@pytest.mark.parametrize(
    "notebook, title, choice, verdict, name",
    [
        ("03_post_query_vs_body.ipynb", "POST: query or body?", "a JSON body signed", "refused 700002", "03_body_lab"),
        ("06_workshop.ipynb", "The three causes, side by side", "a JSON body signed", "refused 700002",
         "06_workshop_lab"),
    ],
    ids=["body_lab", "workshop_lab"],
)  # fmt: skip
def test_choosing_a_broken_client_shows_its_refusal(page, notebook, title, choice, verdict, name):
    run_all(page, notebook)
    widget = lab(page, title)
    widget.get_by_text(choice).click()
    widget.get_by_text(verdict).wait_for(timeout=10_000)
    assert_healthy(page, name, widget)


def test_encoding_lab_shows_which_encodings_are_refused(page):
    run_all(page, "04_value_encoding.ipynb")
    encoding = lab(page, "Value encoding: one value, four clients")
    field = encoding.locator("input[type=text]")
    field.fill("abc")
    field.press("Enter")
    page.wait_for_timeout(500)
    assert encoding.inner_text().count("refused 700002") == 0
    field.fill("BEP20(BSC)")
    field.press("Enter")
    encoding.get_by_text("refused 700002").wait_for(timeout=10_000)
    assert encoding.inner_text().count("refused 700002") == 1  # only the client that signs it unescaped
    assert_healthy(page, "04_encoding_lab", encoding)


def diagnose_in_panel(page, paste: str):
    """Run notebook 05, paste into the doctor panel with the docs' secret, Diagnose: the panel, once it shows
    the cause of the sorted-signing bug."""
    run_all(page, "05_debug_your_request.ipynb")
    panel = lab(page, "The request doctor")
    panel.locator("textarea").fill(paste)
    panel.locator("input[type=password]").fill(DOCS_SECRET)
    panel.get_by_role("button", name="Diagnose").click()
    panel.get_by_text("fail: signed_order_differs").wait_for(timeout=10_000)
    return panel


def test_doctor_panel_finds_the_cause_of_a_pasted_request(page):
    panel = diagnose_in_panel(page, BROKEN_REQUEST)
    assert panel.locator("input[type=password]").input_value() == ""  # the secret is cleared
    assert_healthy(page, "05_doctor_panel", panel)


def test_doctor_panel_reads_a_pasted_ccxt_verbose_log(page):
    """What users paste most: ccxt's verbose log, with MEXC's answer; the findings table fits the page."""
    url = BROKEN_REQUEST
    headers = "{'X-MEXC-APIKEY': 'xxxx', 'source': 'CCXT', 'Content-Type': 'application/json'}"
    log = "\n".join(
        [
            "2023-11-14 22:13:20,000 INFO placing order",
            f"fetch Request: mexc POST {url} RequestHeaders: {headers} RequestBody: None",
            f"fetch Response: mexc POST {url} 400 ResponseHeaders: {{}} ResponseBody: "
            '{"code":700002,"msg":"Signature for this request is not valid."}',
        ]
    )
    panel = diagnose_in_panel(page, log)
    table = panel.locator("table").last
    assert "signed in the order" in table.inner_text()
    assert table.bounding_box()["width"] <= panel.bounding_box()["width"] + 1  # wraps, never wider than the panel
    assert panel.get_by_text("server signs:").count() == 1  # the two strings, one above the other
    assert_healthy(page, "05_doctor_ccxt_log", panel)


def test_workshop_solutions_pass_every_check(page):
    """The instructor's copy: every exercise's self-check says so when run in the browser, too."""
    run_all(page, "solutions/06_workshop_solutions.ipynb")
    outputs = page.locator(f"{CURRENT} .jp-OutputArea-output").all_inner_texts()
    passed = [text for text in outputs if text.startswith("✅")]
    assert len(passed) == 6, outputs
    assert not any(text.startswith(("❌", "❓")) for text in outputs)


def test_the_blocker_catches_a_kernel_reaching_for_the_internet(fresh_lite_page):
    """The control for "zero external requests": the same site told to load Pyodide from its default CDN. The
    kernel's web worker asks for it, and the blocker must see that request (so a clean run means something)."""

    def default_pyodide(route):
        answer = route.fetch()
        config = answer.json()
        settings = config.get("jupyter-config-data", {}).get("litePluginSettings", {})
        settings.get("@jupyterlite/pyodide-kernel-extension:kernel", {}).pop("pyodideUrl", None)
        route.fulfill(response=answer, json=config)

    page = fresh_lite_page
    page.context.route("**/jupyter-lite.json", default_pyodide)
    page.open_notebook("00_start_here.ipynb")
    page.wait_for_function("() => document.querySelector('.jp-Notebook')", timeout=60_000)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any("cdn.jsdelivr.net/pyodide" in url for url in page.outside):
        page.wait_for_timeout(500)
    assert any("cdn.jsdelivr.net/pyodide" in url for url in page.outside), page.outside
