"""Every claim the notebooks, the READMEs and the pages of docs/ make about MEXC carries the label docs/protocol.md
gives its rule.

A label is a marker such as `<sup>[inferred](../docs/protocol.md#order-of-checks)</sup>`: its word is one of
documented, observed, inferred; its link reaches an anchor (`<a id="...">`) of docs/protocol.md from the file
it is in; and that rule's **Label:** lines include the word (a rule may carry two or three labels, one for
each part of it). Notebook 00 explains the labels right after its objectives. A document that states one of
the known inferred rules must mark it inferred at least once (label once where a claim is made, not at every
repetition)."""

import json
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
PROTOCOL = ROOT / "docs" / "protocol.md"
LABELS = ("documented", "observed", "inferred")

ANCHOR = re.compile(r'<a id="([^"]+)"></a>')
LABEL_LINE = re.compile(r"^\*\*Label:\*\* (\w+)", re.M)
MARKER = re.compile(r"<sup>\[(?P<word>[^\]]*)\]\((?P<path>[^)#]*)#(?P<anchor>[^)]*)\)</sup>")
SUP = re.compile(r"<sup>.*?</sup>", re.S)
PROTOCOL_LINK = re.compile(r"\]\((?P<path>[^)#]*protocol\.md)#(?P<anchor>[^)]*)\)")

# Statements of rules docs/protocol.md labels inferred: a document that makes one marks it so, at least once.
INFERRED_STATEMENTS = [
    (r"re-encod", "canonical-encoding"),
    (r"keeps `~`", "canonical-encoding"),
    (r"(?<!a)symmetric", "futures-time-window"),
    (r"hash\s+last|before\s+the\s+hash", "order-of-checks"),
    (r"order of checks", "order-of-checks"),
    (r"HTTP 200", "futures-envelope"),
    (r"recvWindow=0", "recv-window"),
    (r"JSON text as sent|raw JSON text", "spot-json-body"),
    (r"signature inside (a|the) JSON body", "spot-json-body"),
    (r"byte for byte as sent|exactly as sent", "futures-post-raw-json"),
]

# The documents that state MEXC's rules, and so must carry labels.
MUST_CARRY_LABELS = [
    "README.md",
    "docs/doctor.md",
    "docs/probe.md",
    "docs/reference.md",
    "notebooks/README.md",
    "notebooks/00_start_here.ipynb",
    "notebooks/01_parameter_order.ipynb",
    "notebooks/02_clock_drift.ipynb",
    "notebooks/03_post_query_vs_body.ipynb",
    "notebooks/04_value_encoding.ipynb",
    "notebooks/05_debug_your_request.ipynb",
    "notebooks/solutions/06_workshop_solutions.ipynb",
]


def rules(text: str) -> dict[str, set[str]]:
    """{anchor: the words of its **Label:** lines}, each rule running from its anchor to the next one."""
    found = {}
    anchors = list(ANCHOR.finditer(text))
    for this, following in zip(anchors, anchors[1:] + [None], strict=True):
        section = text[this.end() : following.start() if following else len(text)]
        found[this.group(1)] = set(LABEL_LINE.findall(section))
    return found


RULES = rules(PROTOCOL.read_text(encoding="utf-8"))


def markdown_of(path: pathlib.Path) -> str:
    """A Markdown page's text, or a notebook's markdown cells (code cells and outputs are not prose)."""
    text = path.read_text(encoding="utf-8")
    if path.suffix != ".ipynb":
        return text
    cells = json.loads(text)["cells"]
    return "\n\n".join("".join(cell["source"]) for cell in cells if cell["cell_type"] == "markdown")


# The README, the notebooks and their READMEs, and every page of docs/ but the rules themselves.
DOCS_PAGES = [page for page in ROOT.joinpath("docs").glob("*.md") if page.resolve() != PROTOCOL.resolve()]
DOCUMENTS = sorted(
    [
        ROOT / "README.md",
        *DOCS_PAGES,
        *ROOT.joinpath("notebooks").rglob("README.md"),
        *ROOT.joinpath("notebooks").rglob("*.ipynb"),
    ]
)


def name(path: pathlib.Path) -> str:
    return path.relative_to(ROOT).as_posix()


def problems(path: pathlib.Path, text: str, protocol_rules: dict[str, set[str]] = RULES) -> list[str]:
    """What is wrong with the labels in one document's text, one line each."""
    found = []
    for sup in SUP.findall(text):
        marker = MARKER.fullmatch(sup)
        if marker is None:
            if "protocol.md" in sup or any(word in sup for word in LABELS):
                found.append(f"malformed marker {sup!r}: write <sup>[label](path/to/docs/protocol.md#anchor)</sup>")
            continue
        word, target, anchor = marker["word"], marker["path"], marker["anchor"]
        if word not in LABELS:
            found.append(f"{sup!r}: the label must be one of {', '.join(LABELS)}")
        if (path.parent / target).resolve() != PROTOCOL.resolve():
            found.append(f"{sup!r}: {target!r} does not lead to docs/protocol.md from {name(path)}")
        if anchor not in protocol_rules:
            found.append(f"{sup!r}: docs/protocol.md has no anchor {anchor!r}")
        elif word in LABELS and word not in protocol_rules[anchor]:
            labels = ", ".join(sorted(protocol_rules[anchor])) or "none"
            found.append(f"{sup!r}: docs/protocol.md#{anchor} is labelled {labels}, not {word}")
    for link in PROTOCOL_LINK.finditer(text):
        if link["anchor"] not in protocol_rules:
            found.append(f"link to docs/protocol.md#{link['anchor']}: no such anchor")
    return found


def markers(text: str) -> list[tuple[str, str]]:
    return [(marker["word"], marker["anchor"]) for marker in MARKER.finditer(text)]


def test_the_protocol_page_parses_into_labelled_rules():
    labelled = [anchor for anchor, labels in RULES.items() if labels]
    assert len(labelled) >= 20, "docs/protocol.md: the anchors <a id=...> or their **Label:** lines were not found"
    assert set().union(*RULES.values()) == set(LABELS)
    assert RULES["spot-signature"] == {"documented", "observed"}
    assert RULES["spot-json-body"] == {"documented", "inferred"}
    assert RULES["order-of-checks"] == {"inferred"}
    assert RULES["futures-signed-string"] == {"documented"}


@pytest.mark.parametrize("path", DOCUMENTS, ids=name)
def test_every_label_names_a_rule_that_carries_it(path):
    assert problems(path, markdown_of(path)) == []


@pytest.mark.parametrize("path", MUST_CARRY_LABELS)
def test_the_documents_that_state_mexcs_rules_carry_labels(path):
    assert markers(markdown_of(ROOT / path)), f"{path} states MEXC's rules but carries no label"


@pytest.mark.parametrize("path", DOCUMENTS, ids=name)
def test_statements_of_inferred_rules_are_marked_inferred(path):
    text = markdown_of(path)
    prose = SUP.sub("", re.sub(r"```.*?```", "", text, flags=re.S))
    present = set(markers(text))
    missing = [
        f"{pattern!r} is stated, but no <sup>[inferred](...#{anchor})</sup> marks it"
        for pattern, anchor in INFERRED_STATEMENTS
        if re.search(pattern, prose) and ("inferred", anchor) not in present
    ]
    assert missing == [], f"{name(path)}: " + "; ".join(missing)


def test_notebook_00_explains_the_labels_after_its_objectives():
    cells = json.loads((ROOT / "notebooks" / "00_start_here.ipynb").read_text(encoding="utf-8"))["cells"]
    sources = ["".join(cell["source"]) if cell["cell_type"] == "markdown" else "" for cell in cells]
    objectives = next(i for i, source in enumerate(sources) if "**What you will learn" in source)
    setup = next(i for i, source in enumerate(sources) if source.startswith("## Setup"))
    legends = [i for i, source in enumerate(sources) if "## How to read the labels" in source]
    assert legends, "notebook 00 has no legend of the labels"
    assert objectives < legends[0] < setup, "the legend belongs after the objectives, before the setup"
    legend = sources[legends[0]]
    assert {word for word, _ in markers(legend)} == set(LABELS), "the legend shows each label as a marker"
    # The legend defines each label as docs/protocol.md does: the same key phrases.
    definitions = PROTOCOL.read_text(encoding="utf-8").split("## Spot V3")[0]
    for word, phrases in {
        "documented": ["official API docs say so"],
        "observed": ["silent or unclear", "public report"],
        "inferred": ["reasons its way", "choice"],
    }.items():
        line = next(line for line in definitions.splitlines() if line.startswith(f"- **{word}**"))
        item = next(item for item in legend.split("\n- ") if item.startswith(f"<sup>[{word}]"))
        for phrase in phrases:
            assert phrase in line, f"docs/protocol.md's definition of {word} no longer says {phrase!r}"
            assert phrase in item, f"the legend's {word} lacks {phrase!r}, which docs/protocol.md's definition has"


# The checks themselves catch what they are for.


def test_a_label_the_rule_does_not_carry_is_caught():
    page = ROOT / "notebooks" / "00_start_here.ipynb"
    wrong = "compares the hash last<sup>[documented](../docs/protocol.md#order-of-checks)</sup>"
    assert problems(page, wrong) == [
        "'<sup>[documented](../docs/protocol.md#order-of-checks)</sup>': docs/protocol.md#order-of-checks is "
        "labelled inferred, not documented"
    ]


@pytest.mark.parametrize(
    "text",
    [
        "<sup>[documneted](../docs/protocol.md#spot-signature)</sup>",  # a misspelt label
        "<sup>[documented](../docs/protocol.md#spot-signatures)</sup>",  # an anchor that does not exist
        "<sup>[documented](docs/protocol.md#spot-signature)</sup>",  # a path that is wrong from notebooks/
        "<sup>[documented](../docs/protocol.md)</sup>",  # no anchor
        "<sup>documented</sup>",  # no link
        "see [the rule](../docs/protocol.md#spot-signatur)",  # a plain link to a missing anchor
    ],
)
def test_a_broken_marker_is_caught(text):
    assert problems(ROOT / "notebooks" / "00_start_here.ipynb", text) != []


def test_the_pages_of_docs_are_scanned():
    scanned = {name(path) for path in DOCUMENTS}
    assert DOCS_PAGES, "docs/ holds no page besides protocol.md: the scan would prove nothing"
    assert {name(page) for page in DOCS_PAGES} <= scanned
    assert "docs/protocol.md" not in scanned  # the rules themselves, where the labels are defined


def test_a_marker_with_the_readmes_path_is_caught_in_a_docs_page():
    page = ROOT / "docs" / "doctor.md"
    assert problems(page, "<sup>[documented](protocol.md#spot-signature)</sup>") == []
    assert problems(page, "<sup>[documented](docs/protocol.md#spot-signature)</sup>") != []


def test_a_two_label_rule_accepts_either_label():
    page = ROOT / "README.md"
    for word in ("documented", "observed", "inferred"):
        assert problems(page, f"<sup>[{word}](docs/protocol.md#canonical-encoding)</sup>") == []
