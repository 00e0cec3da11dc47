"""Each lab notebook in real JupyterLab: Run All, then act like a learner and watch the page change."""

from __future__ import annotations

import hmac
import re

from .conftest import ARTIFACTS

DOCS_SECRET = "45d0b3c26f2644f19bfb98b07741b2f5"
SENT = "symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=0.001&price=60000&timestamp=1700000000000"
SIGNED_SORTED = "&".join(sorted(SENT.split("&")))  # the bug: signed sorted, sent as written
BROKEN_REQUEST = (
    f"https://api.mexc.com/api/v3/order?{SENT}"
    f"&signature={hmac.new(DOCS_SECRET.encode(), SIGNED_SORTED.encode(), 'sha256').hexdigest()}"
)
CURRENT = ".jp-NotebookPanel:not(.lm-mod-hidden)"


def run_all(page, notebook: str):
    """Open ``notebook`` alone in a fresh workspace, clear its stored outputs, Run All, and wait until
    every code cell has run. (A shared workspace would reopen the previous test's notebook, and a
    command can then land on it instead.)"""
    workspace = notebook.rsplit("/", 1)[-1].split(".")[0]
    page.goto(f"{page.lab_url}/lab/workspaces/{workspace}/tree/{notebook}?reset")
    page.wait_for_selector("text=| Idle", timeout=120_000)
    page.locator(f"{CURRENT} .jp-Cell").first.click()
    page.wait_for_function(
        """name => { const current = window.jupyterapp.shell.currentWidget;
        return current && current.context && current.context.path.endsWith(name); }""",
        arg=notebook.rsplit("/", 1)[-1],
        timeout=30_000,
    )
    page.evaluate("window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs')")
    page.wait_for_function(
        f"""() => [...document.querySelectorAll('{CURRENT} .jp-CodeCell .jp-InputPrompt')]
        .every(p => !/\\[\\d+\\]/.test(p.textContent))""",
        timeout=30_000,
    )
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_function(
        f"""() => {{ const prompts = [...document.querySelectorAll(
        '{CURRENT} .jp-CodeCell .jp-InputPrompt')];
        return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent)); }}""",
        timeout=120_000,
    )
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
    assert page.locator(f"{CURRENT} [data-mime-type='application/vnd.jupyter.stderr']").count() == 0
    assert page.outside == [], f"{name}: requests left loopback: {page.outside}"
    ARTIFACTS.mkdir(exist_ok=True)
    widget.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def set_slider(widget, index: int, value: int):
    readout = widget.locator(".widget-readout").nth(index)
    readout.click()
    readout.press("Control+A")
    readout.type(str(value))
    readout.press("Enter")


def test_start_here_three_causes(page):
    run_all(page, "notebooks/00_start_here.ipynb")
    overview = lab(page, "The three causes, side by side")
    assert "accepted" in overview.inner_text()
    overview.get_by_text("signs sorted, sends as written").click()
    page.wait_for_timeout(300)
    assert "refused 700002" in overview.inner_text()
    set_slider(overview, 0, 1500)
    overview.get_by_text("refused 700003").wait_for(timeout=10_000)  # the window is checked before the hash
    assert_healthy(page, "00_overview_lab", overview)


def test_order_lab_sort_makes_futures_accept(page):
    run_all(page, "notebooks/01_parameter_order.ipynb")
    order = lab(page, "Parameter order: drag the tags")
    assert re.search(r"futures GET: refused 602", order.inner_text())
    order.locator("button[title=sort]").click()
    order.get_by_text("futures GET: accepted").wait_for(timeout=10_000)
    assert "spot POST: accepted" in order.inner_text()
    assert_healthy(page, "01_order_lab", order)


def test_clock_lab_past_one_second_ahead_is_700003(page):
    run_all(page, "notebooks/02_clock_drift.ipynb")
    clock = lab(page, "Clock drift: the window is asymmetric")
    assert "refused" not in clock.inner_text()
    set_slider(clock, 0, 1100)
    clock.get_by_text("refused 700003").wait_for(timeout=10_000)
    assert_healthy(page, "02_clock_lab", clock)


def test_body_lab_json_body_signed_is_700002(page):
    run_all(page, "notebooks/03_post_query_vs_body.ipynb")
    body = lab(page, "POST: query or body?")
    body.get_by_text("a JSON body signed").click()
    body.get_by_text("refused 700002").wait_for(timeout=10_000)
    assert_healthy(page, "03_body_lab", body)


def test_encoding_lab_shows_which_encodings_are_refused(page):
    run_all(page, "notebooks/04_value_encoding.ipynb")
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
    run_all(page, "notebooks/05_debug_your_request.ipynb")
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


def test_workshop_runs_and_its_lab_responds(page):
    run_all(page, "notebooks/06_workshop.ipynb")
    overview = lab(page, "The three causes, side by side")
    overview.get_by_text("the signature in the body").click()
    overview.get_by_text("refused 700004").wait_for(timeout=10_000)
    assert_healthy(page, "06_workshop_lab", overview)
