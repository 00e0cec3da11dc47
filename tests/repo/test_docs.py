"""The README is a front door and the pages of docs/ are what it opens: every relative link in README.md and
docs/*.md leads to a file of the repository (and an `#anchor` to a heading or an `<a id>` of the page it names),
the README stays short, and every page of docs/ is linked from it."""

from __future__ import annotations

import pathlib
import re
from urllib.parse import unquote

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
DOCS = sorted(ROOT.joinpath("docs").glob("*.md"))
# The other READMEs link into docs/ too: their links are checked with the pages'.
PAGES = [README, *DOCS, *sorted(ROOT.glob("*/README.md")), *sorted(ROOT.glob("*/*/README.md"))]
MAX_README_LINES = 200

FENCE = re.compile(r"^(```|~~~).*?^\1", re.S | re.M)
CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)", re.S)
# [text](target) and ![alt](target); the text may hold one level of brackets, the target no spaces but a title.
LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*<?(?P<target>[^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
HEADING = re.compile(r"^(#{1,6})\s+(?P<text>.+?)\s*#*\s*$", re.M)
HTML_ANCHOR = re.compile(r"<a\s+(?:id|name)=\"(?P<id>[^\"]+)\"")
EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)  # https:, mailto:, ...


def name(path: pathlib.Path) -> str:
    return path.relative_to(ROOT).as_posix()


def prose(text: str) -> str:
    """The text without code: a fenced block or a code span shows link syntax, it does not link."""
    return CODE_SPAN.sub("", FENCE.sub("", text))


def links(text: str) -> list[str]:
    return [match["target"] for match in LINK.finditer(prose(text))]


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: its text without markup, lowercase, punctuation dropped, spaces as '-'."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link's text only
    text = re.sub(r"<[^>]+>", "", text).replace("`", "").replace("*", "")
    text = re.sub(r"[^\w\- ]", "", text.strip().lower())
    return text.replace(" ", "-")


def anchors(path: pathlib.Path) -> set[str]:
    """Every anchor of a Markdown page: its headings' (numbered -1, -2... when repeated) and its `<a id>`s."""
    text = path.read_text(encoding="utf-8")
    found, seen = set(), {}
    for heading in HEADING.finditer(FENCE.sub("", text)):
        base = slug(heading["text"])
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found | {anchor["id"] for anchor in HTML_ANCHOR.finditer(text)}


def problems(page: pathlib.Path, text: str) -> list[str]:
    """Each relative link of ``text`` (the text of ``page``) that leads nowhere, one line each."""
    found = []
    for target in links(text):
        if not target or EXTERNAL.match(target):
            continue
        path, _, anchor = target.partition("#")
        destination = (page.parent / unquote(path)).resolve() if path else page.resolve()
        if not destination.is_relative_to(ROOT) or not destination.exists():
            found.append(f"{name(page)}: {target!r} leads to no file of the repository")
        elif anchor and destination.suffix == ".md" and unquote(anchor) not in anchors(destination):
            found.append(f"{name(page)}: {target!r}: {name(destination)} has no heading or <a id> {anchor!r}")
    return found


def test_there_are_pages_to_check():
    assert len(DOCS) >= 7, "docs/ lost its pages: the checks below would prove little"
    assert ROOT / "docs" / "protocol.md" in DOCS


@pytest.mark.parametrize("page", PAGES, ids=name)
def test_every_relative_link_leads_to_a_file_and_its_anchor(page):
    text = page.read_text(encoding="utf-8")
    if page == README or page in DOCS:
        assert links(text), f"{name(page)} has no link at all: the link reader is broken"
    assert problems(page, text) == []


def test_the_readme_is_a_front_door():
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= MAX_README_LINES, (
        f"README.md has {len(lines)} lines, more than {MAX_README_LINES}: move the detail into a page of docs/"
    )


def test_every_page_of_docs_is_linked_from_the_readme():
    linked = {
        (ROOT / unquote(target.partition("#")[0])).resolve()
        for target in links(README.read_text(encoding="utf-8"))
        if not EXTERNAL.match(target)
    }
    unlinked = [name(page) for page in DOCS if page.resolve() not in linked]
    assert unlinked == [], f"pages of docs/ the README does not link to: {unlinked}"


# The checks themselves catch what they are for.


@pytest.mark.parametrize(
    "text",
    [
        "[the rules](docs/protocl.md)",  # a file that does not exist
        "[the rules](docs/protocol.md#spot-signatures)",  # an anchor that does not exist
        "[the doctor](docs/doctor.md#the-causez)",  # a heading that does not exist
        "![a figure](docs/missing.png)",  # an image that does not exist
        "[up and out](../outside.md)",  # outside the repository
        "[this page](#no-such-heading)",  # an anchor of the page itself
    ],
)
def test_a_broken_link_is_caught(text):
    assert problems(README, text) != []


@pytest.mark.parametrize(
    "text",
    [
        "[the rules](docs/protocol.md#spot-signature)",  # an <a id> of docs/protocol.md
        "[where they disagree](docs/protocol.md#where-the-sources-disagree)",  # a heading of docs/protocol.md
        "[the doctor's CLI](docs/doctor.md#from-a-shell-mexc-lab-doctor)",  # a heading with code in it
        "<sup>[documented](docs/protocol.md#test-vectors)</sup>",  # a label
        "[MEXC](https://mexcdevelop.github.io/apidocs/spot_v3_en/#signed)",  # not relative: not checked here
        "`[shown, not linked](nowhere.md)`",  # code shows link syntax
    ],
)
def test_a_good_link_passes(text):
    assert problems(README, text) == []


def test_a_link_from_a_page_of_docs_is_read_from_docs():
    page = ROOT / "docs" / "reference.md"
    assert problems(page, "[the rules](protocol.md#order-of-checks)") == []
    assert problems(page, "[the rules](docs/protocol.md#order-of-checks)") != []
