"""The workshop's agendas add up: each row starts when the one before ends, the last row is the end, and the
full agenda makes room for every coding exercise (the checks the class dashboard counts)."""

import json
import pathlib
import re

import pytest

from mexc_helpers.lab.checks import EXERCISES

ROOT = pathlib.Path(__file__).resolve().parents[2]
NOTES = (ROOT / "notebooks" / "solutions" / "README.md").read_text(encoding="utf-8")
ROW = re.compile(r"^\| (\d+):(\d\d) \|\s*(\d*)\s*\|(.*)$", re.MULTILINE)


def agendas() -> list[list[tuple[int, int | None, str]]]:
    """Each agenda table's rows as (start in minutes, minutes or None, the rest of the row)."""
    tables = [block for block in NOTES.split("\n\n") if block.startswith("| start | minutes |")]
    return [
        [(int(h) * 60 + int(m), int(minutes) if minutes else None, rest) for h, m, minutes, rest in ROW.findall(table)]
        for table in tables
    ]


@pytest.mark.parametrize(
    ("agenda", "length"), list(zip(agendas(), (150, 90), strict=True)), ids=["2 h 30", "90 minutes"]
)
def test_every_row_starts_when_the_one_before_ends(agenda, length):
    for (start, minutes, _), (following, _, _) in zip(agenda, agenda[1:], strict=False):
        assert start + minutes == following
    last_start, last_minutes, last = agenda[-1]
    assert (last_start, last_minutes) == (length, None)
    assert "End" in last


def test_the_full_agenda_has_every_notebooks_coding_exercise():
    full = " ".join(rest for _, _, rest in agendas()[0])
    for notebook in ("00_start_here", "01_parameter_order", "02_clock_drift", "03_post_query_vs_body"):
        assert f"`{notebook}`" in full
    for function in ("sign()", "futures_param_string()", "server_offset()", "canonical()"):
        assert f"`{function}`" in full
    assert "fix the POST bot" in full and "repair a bot with three bugs" in full


def test_the_notebooks_estimates_add_up_as_the_notes_say():
    said = re.search(r"estimates add up to (\d) h (\d\d) \(([^)]*)\)", NOTES)
    listed = dict(re.findall(r"(\d\d): (\d+)", said[3]))
    for number, minutes in listed.items():
        [notebook] = (ROOT / "notebooks").glob(f"{number}_*.ipynb")
        intro = "".join(json.loads(notebook.read_text(encoding="utf-8"))["cells"][0]["source"])
        assert f"**Time:** about {minutes} minutes" in intro, notebook.name
    assert sum(map(int, listed.values())) == int(said[1]) * 60 + int(said[2])


def test_every_exercise_has_a_notebook():
    numbers = {path.name[:2] for path in (ROOT / "notebooks").glob("0*.ipynb")}
    assert {notebook for _, notebook in EXERCISES} <= numbers
