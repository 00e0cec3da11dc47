"""The JupyterLite site that `make lite` built: offline by configuration, its Python packages exactly the wheels
it ships, and its kit and notebooks those of this working tree. (tests/browser runs it in Chromium.)"""

from __future__ import annotations

import hashlib
import json
import os
import re
import zipfile
from importlib import metadata
from pathlib import Path

import pytest

from tests.browser.conftest import _unavailable

ROOT = Path(__file__).resolve().parents[2]
KERNEL = "@jupyterlite/pyodide-kernel-extension:kernel"


def canonical(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


@pytest.fixture(scope="module")
def site() -> Path:
    folder = Path(os.environ.get("MEXC_LITE_SITE", ROOT / "_site"))
    if not (folder / "jupyter-lite.json").exists():
        _unavailable(f"no JupyterLite site in {folder}: build it with `make lite`")
    return folder


@pytest.fixture(scope="module")
def lock(site) -> dict:
    return json.loads((site / "static" / "pyodide" / "pyodide-lock.json").read_text())["packages"]


def test_the_site_is_configured_never_to_reach_the_internet(site):
    settings = json.loads((site / "jupyter-lite.json").read_text())["jupyter-config-data"]["litePluginSettings"]
    kernel = settings[KERNEL]
    assert kernel["disablePyPIFallback"] is True
    assert kernel["pyodideUrl"] == "./static/pyodide/pyodide.mjs"
    assert kernel["pipliteUrls"] and all(url.startswith("./") for url in kernel["pipliteUrls"])
    assert kernel["loadPyodideOptions"]["packages"] == ["mexc-signature-lab", "ipywidgets"]


def test_the_lock_lists_exactly_the_pure_wheels_shipped_with_their_hashes(site, lock):
    folder = site / "static" / "pyodide"
    assert {entry["file_name"] for entry in lock.values()} == {wheel.name for wheel in folder.glob("*.whl")}
    for name, entry in lock.items():
        wheel = folder / entry["file_name"]
        assert wheel.name.endswith("-none-any.whl"), f"{name}: the browser cannot load a compiled wheel"
        assert hashlib.sha256(wheel.read_bytes()).hexdigest() == entry["sha256"], name
        missing = {canonical(d) for d in entry["depends"]} - set(lock)
        assert not missing, f"{name} depends on {missing}, which the site does not ship"
    assert not {"pandas", "numpy", "matplotlib"} & set(lock)


def test_the_widgets_in_the_kernel_are_those_the_site_shows(lock):
    for name in ("ipywidgets", "jupyterlab-widgets", "comm"):
        assert lock[name]["version"] == metadata.version(name), f"{name}: rebuild the site with `make lite`"


def test_the_kit_in_the_site_is_this_working_tree(site, lock):
    wheel = site / "static" / "pyodide" / lock["mexc-signature-lab"]["file_name"]
    with zipfile.ZipFile(wheel) as archive:
        shipped = {name: archive.read(name) for name in archive.namelist() if name.startswith("mexc_helpers/")}
    here = {path.relative_to(ROOT).as_posix(): path.read_bytes() for path in (ROOT / "mexc_helpers").rglob("*.py")}
    stale = sorted(name for name in here.keys() | shipped.keys() if here.get(name) != shipped.get(name))
    assert not stale, f"the site's kit differs from the working tree in {stale[:5]}: rebuild it with `make lite`"


def test_the_notebooks_in_the_site_are_the_repositorys(site):
    expected = {
        path.relative_to(ROOT).as_posix()
        for pattern in ("notebooks/0*.ipynb", "notebooks/README.md", "notebooks/solutions/*", "docs/*.md")
        for path in ROOT.glob(pattern)
    }
    shipped = {path.relative_to(site / "files").as_posix() for path in (site / "files").rglob("*") if path.is_file()}
    assert shipped == expected  # the instructor's dashboard stays out: it needs a class exchange over HTTP
    assert len([name for name in shipped if name.endswith(".ipynb")]) == 9  # 00 to 07 and the solutions
    for name in expected:
        assert (site / "files" / name).read_bytes() == (ROOT / name).read_bytes(), f"{name}: run `make lite`"


# A link from a notebook's markdown to a page of docs/, as the notebooks write it: ../docs/protocol.md#anchor.
DOCS_LINK = re.compile(r"\]\((?P<target>(?:\.\./)+docs/[^)#\s]+\.md)[)#]")


def test_every_page_of_docs_is_in_the_site_where_the_notebooks_link_to_it(site):
    pages = sorted(ROOT.joinpath("docs").glob("*.md"))
    assert len(pages) > 1, "docs/ holds one page or none: the check below would prove little"
    for page in pages:
        shipped = site / "files" / "docs" / page.name
        assert shipped.is_file(), f"docs/{page.name} is not in the site at files/docs/: rebuild it with `make lite`"
        assert shipped.read_bytes() == page.read_bytes(), f"docs/{page.name}: run `make lite`"
    files = site / "files"
    notebooks = sorted(files.joinpath("notebooks").rglob("*.ipynb"))
    linked = set()
    for notebook in notebooks:
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        text = "\n".join("".join(cell["source"]) for cell in cells if cell["cell_type"] == "markdown")
        for link in DOCS_LINK.finditer(text):
            target = (notebook.parent / link["target"]).resolve()
            assert target.is_file(), f"{notebook.relative_to(files)} links to {link['target']}, not in the site"
            linked.add(target)
    assert linked, "no notebook in the site links to docs/: the notebooks' links were not found"
