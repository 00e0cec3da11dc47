"""Write notebooks/07_your_language.ipynb from the examples themselves, so the notebook cannot drift from them:
each example's file as it is, its manifest's typical bug, and its answers from the last verified run
(examples/verified.json, written by `UPDATE_VERIFIED=1 pytest tests/server/test_examples.py`).

    python examples/make_notebook.py        # then execute the notebook to store its outputs

tests/server/test_examples.py checks that the committed notebook is what this script writes now.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "07_your_language.ipynb"
FENCE = {"javascript": "javascript", "go": "go", "java": "java", "php": "php", "csharp": "csharp", "shell": "bash"}
ORDER = ["javascript", "go", "java", "php", "csharp", "shell"]
PROTOCOL = "../docs/protocol.md"


def label(word: str, anchor: str) -> str:
    return f"<sup>[{word}]({PROTOCOL}#{anchor})</sup>"


INTRO = """# 07 · Sign it in your language

**What you will learn**
- the four requests that break clients, each signed right in JavaScript, Go, Java, PHP, C# and Shell;
- the one library call in each language that gets MEXC's encoding wrong, and what to use instead;
- how to run each example against the local exchange, and against MEXC with your own keys.

**Prerequisites:** `00_start_here` and `04_value_encoding` (the canonical encoding); `05` for the doctor.

**Time:** about 15 minutes. Every example below was run against the kit's local exchange, which accepted all
four of its requests; the tests run them again on every change, so none can drift."""

ROWS = "\n".join(
    [
        "| 1 | spot `GET /api/v3/account`, no parameters | still sign `timestamp=<ms>` and send the signature"
        + label("documented", "spot-signed-string")
        + " |",
        "| 2 | spot `POST /api/v3/order/test`, `newClientOrderId=my bot (1)` | sign the query exactly as sent, "
        "each value encoded the canonical way: `%20`, uppercase hex, `(` as `%28`"
        + label("documented", "canonical-encoding")
        + "; the server re-encodes what it received"
        + label("inferred", "canonical-encoding")
        + " |",
        "| 3 | futures `GET .../open_orders/BTC_USDT`, `page_size=20&page_num=1` | sign the parameters sorted by name"
        + label("documented", "futures-get-sorted")
        + " |",
        "| 4 | futures `POST /api/v1/private/order/cancel`, body `[1]` | sign the raw body, byte for byte as sent"
        + label("inferred", "futures-post-raw-json")
        + " |",
    ]
)

RULES = f"""## Section 1: The four requests, and the rules they must get right

Every example sends the same four requests, with its base URL and keys from `MEXC_BASE_URL`,
`MEXC_FUTURES_URL`, `MEXC_API_KEY` and `MEXC_SECRET_KEY` (default: the local exchange of `mexc-lab serve` on
`http://127.0.0.1:8080` and the public example pair from MEXC's docs):

| # | request | the rule it must get right |
|---|---|---|
{ROWS}

Request 2 is a test order (MEXC validates it and never places it); request 4 cancels order id 1, which does
not exist: nothing changes. The signature is the lowercase hex HMAC-SHA256 of the signed string, keyed by
the secret{label("documented", "spot-signature")}."""


def language_cells(number: int, name: str, manifest: dict, source: str, verified: list[dict]) -> list[dict]:
    answers = "\n".join(
        f"| `{row['request']}` | {row['http_status']} | {row['code']} ({row['cause']}) |" for row in verified
    )
    run = " ".join(manifest["commands"][-1])
    builds = " && ".join(" ".join(command) for command in manifest["commands"][:-1])
    how = f"{builds} && {run}" if builds else run
    text = f"""## Section {number}: {manifest["language"]}

**The typical bug:** {manifest["bug"]}

`examples/{name}/{manifest["file"]}` (needs `{", ".join(manifest["requires"])}`; on Debian: `apt-get install
{" ".join(manifest["apt"])}`):

```{FENCE[name]}
{source.rstrip()}
```

Run it from `examples/{name}/`: against the local exchange (`mexc-lab serve` in another shell), `{how}`;
against MEXC, with your keys exported,
`MEXC_BASE_URL=https://api.mexc.com MEXC_FUTURES_URL=https://contract.mexc.com {how}`.

**Verified:** what the local exchange's log recorded for its four requests in the last run (code 0: accepted;
for the cancel, "order not exist" comes inside the accepted answer):

| request | HTTP | code (rule) |
|---|---|---|
{answers}"""
    return [markdown(text)]


DEMO = """## Section 8: Your own value

### Interactive demo 1: what your encoder must produce

Change the value and run the cell: this is the encoding every example above produces, and the one the server
rebuilds before it checks the signature. Compare it with what your bot's encoder gives for the same value."""

EXERCISE = """### Exercise 1: the value every example encodes by hand

Your bot's language is not in the list? Its encoder must give what MEXC rebuilds. Write the canonical encoding
of the withdrawal network `BEP20(BSC) ~*` (a space, parentheses, a tilde, an asterisk) as a string, the way
the examples' `encode` functions produce it."""

SUMMARY = """## Summary

- Each language has one usual call that breaks request 2: find it in your code before anything else.
- Sign exactly the bytes you send: the query as sent (spot), the parameters sorted (futures GET/DELETE), the
  raw body (futures POST).
- The request doctor (notebook 05) proves which rule a failing request broke, whatever language sent it, and
  its fixed request points back here.

## What's next

Run your language's example against the local exchange (`mexc-lab serve`), then against MEXC with your own
keys; when your bot still fails, paste its request into the doctor (`05_debug_your_request`)."""


def markdown(text: str) -> dict:
    return {"cell_type": "markdown", "metadata": {}, "source": text.splitlines(keepends=True)}


def code(text: str) -> dict:
    source = text.splitlines(keepends=True)
    return {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": source}


def cells() -> list[dict]:
    verified = json.loads((ROOT / "examples" / "verified.json").read_text())
    built = [
        markdown(INTRO),
        markdown("## Setup"),
        code("from mexc_helpers import encode_params\nfrom mexc_helpers.checks import check_canonical_value"),
        markdown(RULES),
    ]
    for number, name in enumerate(ORDER, start=2):
        folder = ROOT / "examples" / name
        manifest = json.loads((folder / "example.json").read_text())
        built += language_cells(number, name, manifest, (folder / manifest["file"]).read_text(), verified[name])
    built += [
        markdown(DEMO),
        code(
            'value = "my bot (1)"  # try your own: a space, a comma, a parenthesis, a non-ASCII letter\n'
            'print(encode_params({"value": value}))'
        ),  # fmt: skip
        markdown(EXERCISE),
        code('my_encoding = ...  # a str, e.g. "BEP20..."'),
        code('check_canonical_value(my_encoding, "BEP20(BSC) ~*")'),
        markdown(SUMMARY),
    ]
    for cell in built:  # ids stable across rebuilds: a hash of the cell's source
        cell["id"] = hashlib.sha256("".join(cell["source"]).encode()).hexdigest()[:8]
    return built


def notebook(outputs_from: dict | None = None) -> dict:
    """The notebook as this script writes it; the stored outputs of a previous version are kept per cell id."""
    kept = {cell["id"]: cell for cell in (outputs_from or {}).get("cells", [])}
    built = cells()
    for cell in built:
        if cell["cell_type"] == "code" and cell["id"] in kept:
            cell["outputs"], cell["execution_count"] = kept[cell["id"]]["outputs"], kept[cell["id"]]["execution_count"]
    metadata = {
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    return {"cells": built, "metadata": metadata, "nbformat": 4, "nbformat_minor": 5}


def main() -> int:
    previous = json.loads(NOTEBOOK.read_text()) if NOTEBOOK.exists() else None
    NOTEBOOK.write_text(json.dumps(notebook(previous), indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {NOTEBOOK.relative_to(ROOT)}: execute it to store its outputs", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
