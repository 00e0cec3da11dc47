"""Each lab notebook in real JupyterLab and in JupyterLite (Python in the browser, the exchange in process): Run All,
then act like a learner and watch the page change. The notebooks are the same files in both."""

from __future__ import annotations

import contextlib
import hmac
import json
import re
import time

import pytest

from .conftest import ARTIFACTS, ROOT

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


# A claim's label in a notebook, linked to its rule: <sup>[documented](../docs/protocol.md#error-codes)</sup>. (The
# rendered href is the file's URL, in JupyterLab with a query between the path and the anchor.)
LABEL = f"{CURRENT} .jp-RenderedMarkdown a[href*='/docs/protocol.md'][href$='#error-codes']"
# In the widget with the id given: whether the rule's heading is inside the view (the tab's area), how far the page
# is scrolled (whichever element scrolls), and how far below the top of the page the heading is.
HEADING_IN_VIEW = """id => { const view = document.getElementById(id);
    const page = view && view.querySelector('.jp-RenderedMarkdown');
    const heading = page && [...page.querySelectorAll('h3')].find(h => h.textContent.startsWith('Error codes'));
    if (!heading) return null;
    let scrolled = 0;
    for (let node = heading.parentElement; node && node !== view.parentElement; node = node.parentElement) {
        scrolled += node.scrollTop; }
    const frame = view.getBoundingClientRect(), box = heading.getBoundingClientRect();
    return { inView: box.top >= frame.top && box.bottom <= frame.bottom, frameHeight: frame.height, scrolled,
             depth: box.top - frame.top + scrolled }; }"""


def test_a_label_opens_its_rule_rendered_at_the_heading(page):
    """A click on a label opens docs/protocol.md rendered (Markdown Preview, not the text editor), scrolled to the
    rule the link's #anchor names: the kit's settings (jupyter-settings/) reach JupyterLab and the site alike.
    Needs no kernel; the page is left as found: the opened tab closed, the notebook current again."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    page.open_notebook("00_start_here.ipynb")
    page.wait_for_function(
        "() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
        " return Boolean(w && w.context && w.context.path === 'notebooks/00_start_here.ipynb'); }",
        timeout=180_000,
    )
    notebook = page.evaluate("window.jupyterapp.shell.currentWidget.id")
    link = page.locator(LABEL, has_text="documented").first
    link.scroll_into_view_if_needed()
    link.click()
    try:
        page.wait_for_function(
            "() => { const w = window.jupyterapp.shell.currentWidget;"
            " return Boolean(w && w.context && w.context.path === 'docs/protocol.md'); }",
            timeout=30_000,
        )
        opened = page.evaluate("window.jupyterapp.shell.currentWidget.id")
        view = page.locator(f"[id='{opened}']")
        view.locator(".jp-RenderedMarkdown, .cm-editor").first.wait_for(timeout=30_000)
        assert view.locator(".cm-editor").count() == 0, "protocol.md opened as source, in the text editor"
        view.locator(".jp-RenderedMarkdown h3", has_text="Error codes").wait_for(timeout=30_000)
        default = "window.jupyterapp.docRegistry.defaultWidgetFactory('docs/protocol.md').name"
        assert page.evaluate(default) == "Markdown Preview"  # the setting itself, which this JupyterLab may not need
        with contextlib.suppress(PlaywrightTimeoutError):  # the assertions below say where the heading is
            page.wait_for_function(f"id => ({HEADING_IN_VIEW})(id)?.inView", arg=opened, timeout=10_000)
        heading = page.evaluate(f"id => ({HEADING_IN_VIEW})(id)", opened)
        assert heading["inView"], heading
        assert heading["scrolled"] > 0, heading
        assert heading["depth"] > heading["frameHeight"], f"unscrolled, the heading would be in view anyway: {heading}"
    finally:
        page.evaluate(
            """notebook => { const shell = window.jupyterapp.shell;
            for (const widget of [...shell.widgets('main')]) {
                if (widget.context && widget.context.path === 'docs/protocol.md') widget.close(); }
            shell.activateById(notebook); }""",
            notebook,
        )
    assert page.evaluate("window.jupyterapp.shell.currentWidget.id") == notebook
    assert page.outside == [], f"requests left loopback: {page.outside}"


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


SIGN_BODY = """import hashlib
import hmac


def sign(secret: str, query: str) -> str:
    return hmac.new(secret.encode(), query.encode(), hashlib.sha256).hexdigest(){case}
"""


def run_cells_with(page, code: str, check: str, replacement: str) -> str:
    """As a learner does: replace the source of the cell holding ``code``, run it, then run the cell holding ``check``
    (the exercise's self-check) and return that cell's output once the verdict is in."""
    return page.evaluate(
        """async ([code, check, replacement]) => {
        const panel = window.jupyterapp.shell.currentWidget, notebook = panel.content;
        const index = text => notebook.widgets.findIndex(cell => cell.model.sharedModel.getSource().includes(text));
        const [mine, self_check] = [index(code), index(check)];
        if (mine < 0 || self_check < 0) throw new Error(`no cell holds ${mine < 0 ? code : check}`);
        notebook.widgets[mine].model.sharedModel.setSource(replacement);
        const output = notebook.widgets[self_check].node.querySelector('.jp-OutputArea');
        for (const cell of [mine, self_check]) {
            notebook.activeCellIndex = cell;
            await window.jupyterapp.commands.execute('notebook:run-cell');
        }
        for (let waited = 0; waited < 60000; waited += 100) {
            const text = output.innerText;
            if (/PASS|FAIL|NOT DONE/.test(text)) return text;
            await new Promise(resolve => setTimeout(resolve, 100));
        }
        return output.innerText; }""",
        [code, check, replacement],
    )


def test_a_learner_writes_sign_wrong_then_right(page):
    """Exercise 2 of notebook 00, as a learner does it: the stub's check says NOT DONE; a signer that sends its hex in
    uppercase FAILS, with the doctor's name for the misconception and the smallest failing input; the fixed one PASSES.
    In JupyterLite the check's exchange runs in the browser's Python."""
    run_all(page, "00_start_here.ipynb")
    outputs = page.locator(f"{CURRENT} .jp-OutputArea-output").all_inner_texts()
    assert any(text.startswith("❓ NOT DONE: sign still raises NotImplementedError") for text in outputs)
    wrong = run_cells_with(page, "def sign(", "check_sign(sign)", SIGN_BODY.format(case=".upper()"))
    assert wrong.startswith("❌ FAIL: sign(secret, 'timestamp=1700000000000')"), wrong
    assert "The doctor proves signature_uppercase" in wrong and "refused it: 700002" in wrong
    right = run_cells_with(page, "def sign(", "check_sign(sign)", SIGN_BODY.format(case=""))
    assert right.startswith("✅ PASS"), right
    assert_healthy(page, "00_exercise_sign", page.locator(CURRENT))


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


def put_in_browser_storage(page, name: str) -> None:
    """JupyterLite: ``notebooks/<name>`` of this repository in the browser's storage, unless the site ships it (the
    workshop's solutions do only in an instructor's copy, `LITE_SOLUTIONS=1 make lite`): as an instructor would
    drag it into the file browser."""
    if page.kernel_id is None:  # no notebook opened yet: the app, without one
        page.goto(f"{page.base_url}/lab/index.html")
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.serviceManager", timeout=60_000)
    page.evaluate(
        """async ([path, content]) => { const app = window.jupyterapp, contents = app.serviceManager.contents;
        await app.started;
        try { await contents.get(path, {content: false}); return; } catch (missing) { }
        const folder = path.slice(0, path.lastIndexOf('/'));
        try { await contents.get(folder, {content: false}); } catch (missing) {
            const parent = folder.slice(0, folder.lastIndexOf('/'));
            await contents.rename((await contents.newUntitled({path: parent, type: 'directory'})).path, folder); }
        await contents.save(path, {type: 'notebook', format: 'json', content}); }""",
        [f"notebooks/{name}", json.loads((ROOT / "notebooks" / name).read_text(encoding="utf-8"))],
    )


def test_workshop_solutions_pass_every_check(page):
    """The instructor's copy: every exercise's self-check says so when run in the browser, too."""
    solutions = "solutions/06_workshop_solutions.ipynb"
    if page.kind.startswith("jupyterlite"):
        put_in_browser_storage(page, solutions)
    run_all(page, solutions)
    notebook = json.loads((ROOT / "notebooks" / solutions).read_text(encoding="utf-8"))
    markdown = "\n".join("".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "markdown")
    exercises = len(re.findall(r"^### Exercise \d+", markdown, re.M))
    assert exercises >= 6, "the solutions' exercises were not found: the check below would prove little"
    outputs = page.locator(f"{CURRENT} .jp-OutputArea-output").all_inner_texts()
    passed = [text for text in outputs if text.startswith("✅")]
    assert len(passed) == exercises, outputs  # one self-check per exercise
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
