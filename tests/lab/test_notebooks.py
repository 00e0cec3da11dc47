"""Every notebook follows the tutorial format, is committed executed, and shows no error or secret
but the docs' public example pair. (nbval, run by the same pytest, re-executes them and compares.)"""

import json
import pathlib
import re

import pytest

NOTEBOOKS = sorted(pathlib.Path(__file__).resolve().parents[2].joinpath("notebooks").rglob("*.ipynb"))
TUTORIALS = [path for path in NOTEBOOKS if not {"solutions", "instructor"} & set(path.parts)]


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def markdown(notebook) -> str:
    return "\n".join("".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "markdown")


def output_text(notebook) -> str:
    """Everything the notebook displays: streams, and text and HTML outputs."""
    parts = []
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            parts.append("".join(output.get("text", "")))
            for mime in ("text/plain", "text/html"):
                parts.append("".join(output.get("data", {}).get(mime, "")))
    return "\n".join(parts)


def widget_states(notebook) -> list[dict]:
    """The saved state of every widget model in the notebook's metadata."""
    saved = notebook.get("metadata", {}).get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})
    return [model["state"] for model in saved.get("state", {}).values()]


def widget_state_text(notebook) -> str:
    """Every string value a saved widget holds, references to other models (IPY_MODEL_<id>) left out."""
    texts = []

    def walk(value):
        if isinstance(value, str) and not value.startswith("IPY_MODEL_"):
            texts.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for state in widget_states(notebook):
        walk(state)
    return "\n".join(texts)


def password_values(notebook) -> list[str]:
    return [state.get("value", "") for state in widget_states(notebook) if state.get("_model_name") == "PasswordModel"]


def test_the_scan_reads_saved_widget_state():
    notebook = load(NOTEBOOKS[0].parent / "05_debug_your_request.ipynb")
    assert password_values(notebook) == [""]  # the doctor panel's secret field, saved empty
    assert "The request doctor" in widget_state_text(notebook)


def test_the_tutorials_are_all_there():
    assert [path.name for path in TUTORIALS] == [
        "00_start_here.ipynb",
        "01_parameter_order.ipynb",
        "02_clock_drift.ipynb",
        "03_post_query_vs_body.ipynb",
        "04_value_encoding.ipynb",
        "05_debug_your_request.ipynb",
        "06_workshop.ipynb",
        "07_your_language.ipynb",
    ]


@pytest.mark.parametrize("path", TUTORIALS, ids=lambda p: p.name)
def test_tutorial_format(path):
    text = markdown(load(path))
    for part in (
        "**What you will learn",
        "**Prerequisites:**",
        "## Setup",
        "## Section 1: ",
        "### Interactive demo 1",
        "### Exercise",
        "## Summary",
        "## What's next",
    ):
        assert part in text, f"{path.name} lacks {part!r}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_executed_with_python3_and_no_errors(path):
    notebook = load(path)
    assert notebook["metadata"]["kernelspec"]["name"] == "python3"
    code = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    assert all(cell["execution_count"] for cell in code), "run it top to bottom before committing"
    outputs = [output for cell in code for output in cell["outputs"]]
    assert not [o for o in outputs if o["output_type"] == "error"]
    assert not [o for o in outputs if o.get("name") == "stderr"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_key_but_the_docs_public_pair_appears(path):
    text = path.read_text(encoding="utf-8")
    others = re.findall(r"mx0[A-Za-z0-9]{8,}", text.replace("mx0aBYs33eIilxBWC5", ""))
    assert others == [], f"{path.name} holds an API key other than the docs' example"
    notebook = load(path)
    # Widget model ids are 32 hex digits too: read what is displayed, and the saved widget state's values.
    shown = output_text(notebook) + "\n" + widget_state_text(notebook)
    secrets = set(re.findall(r"\b[0-9a-f]{32}\b", shown)) - {"45d0b3c26f2644f19bfb98b07741b2f5"}
    assert secrets == set(), f"{path.name} holds a 32-hex secret other than the docs' example"
    assert all(value == "" for value in password_values(notebook)), f"{path.name} saved a typed secret"
    assert not re.search(r"MEXC_SECRET_KEY=(?!\.\.\.)\w", text), f"{path.name} sets a real secret"


def test_each_exercise_is_followed_by_a_check():
    for path in TUTORIALS:
        cells = load(path)["cells"]
        for index, cell in enumerate(cells):
            source = "".join(cell["source"])
            if cell["cell_type"] == "code" and re.search(r"^\w+ = \.\.\.", source, re.M):
                following = "".join(cells[index + 1]["source"])
                assert "check" in following, f"{path.name}: exercise cell {index} has no check after it"
