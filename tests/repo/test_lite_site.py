"""The JupyterLite site that `make lite` built: offline by configuration, its Python packages exactly the wheels
it ships, its kit and notebooks those of this working tree, the workshop's solutions only when asked for, no link
leading nowhere, and JupyterLab's settings those of `make lab`. (tests/browser runs it in Chromium.)"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from importlib import metadata
from pathlib import Path
from urllib.parse import unquote

import json5
import pytest

from tests.browser.conftest import _unavailable
from tests.repo.test_docs import EXTERNAL, links

ROOT = Path(__file__).resolve().parents[2]
KERNEL = "@jupyterlite/pyodide-kernel-extension:kernel"
DOCMANAGER = "@jupyterlab/docmanager-extension:plugin"
SOLUTIONS = {path.relative_to(ROOT).as_posix() for path in ROOT.glob("notebooks/solutions/*") if path.is_file()}


def lite_build():
    spec = importlib.util.spec_from_file_location("lite_build", ROOT / "lite" / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build = lite_build()


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
    solutions = build.solutions_wanted()
    expected = build.site_files(solutions)
    shipped = {path.relative_to(site / "files").as_posix() for path in (site / "files").rglob("*") if path.is_file()}
    rebuild = "`LITE_SOLUTIONS=1 make lite`" if solutions else "`make lite` (without LITE_SOLUTIONS=1)"
    assert shipped == set(expected), f"the site differs from what {rebuild} builds: run it"
    notebooks = {name for name in shipped if name.endswith(".ipynb")}
    assert {f"notebooks/{name.name}" for name in ROOT.glob("notebooks/0[0-7]_*.ipynb")} <= notebooks  # 00 to 07
    assert any(name.startswith("notebooks/solutions/") for name in notebooks) == solutions
    for name in expected:
        assert (site / "files" / name).read_bytes() == build.shipped_bytes(name, expected), f"{name}: run {rebuild}"


def test_by_default_the_site_leaves_the_solutions_out_and_lite_solutions_1_ships_them():
    """What `make lite` ships, and `LITE_SOLUTIONS=1 make lite`: the same selection the build makes, without
    building twice."""
    default, instructors = build.site_files(build.solutions_wanted({})), build.site_files(solutions=True)
    assert not [name for name in default if name.startswith("notebooks/solutions")]
    assert {"notebooks/solutions/06_workshop_solutions.ipynb", "notebooks/solutions/README.md"} <= SOLUTIONS
    assert set(instructors) - set(default) == SOLUTIONS
    assert {"notebooks/00_start_here.ipynb", "notebooks/README.md", "docs/protocol.md"} <= set(default)
    assert build.solutions_wanted({"LITE_SOLUTIONS": "1"}) is True
    assert build.solutions_wanted({"LITE_SOLUTIONS": "0"}) is build.solutions_wanted({"LITE_SOLUTIONS": ""}) is False
    with pytest.raises(SystemExit, match="LITE_SOLUTIONS='yes'"):  # a typo must not ship (or drop) them silently
        build.solutions_wanted({"LITE_SOLUTIONS": "yes"})


def test_a_build_without_the_solutions_removes_those_of_an_earlier_build(tmp_path):
    files = tmp_path / "files"
    assert set(build.copy_contents(files, solutions=True)) >= SOLUTIONS
    assert (files / "notebooks" / "solutions").is_dir()
    build.copy_contents(files, solutions=False)
    assert not (files / "notebooks" / "solutions").exists()
    assert (files / "notebooks" / "00_start_here.ipynb").is_file()


def test_a_link_to_a_file_the_site_leaves_out_becomes_its_text():
    default, instructors = build.site_files(solutions=False), build.site_files(solutions=True)
    text = "the agenda is in [notebooks/solutions/README.md](../notebooks/solutions/README.md)."
    assert build.unlink_missing(text, "docs/workshop.md", default) == "the agenda is in notebooks/solutions/README.md."
    assert build.unlink_missing(text, "docs/workshop.md", instructors) == text
    kept = "[the rules](protocol.md#error-codes), [MEXC](https://mexc.com/a.md), [here](#top), `[x](../nowhere.md)`"
    assert build.unlink_missing(kept, "docs/workshop.md", default) == kept
    assert build.unlink_missing("[README](../README.md)", "docs/reference.md", default) == "README"


# A link from a notebook's markdown to a page of docs/, as the notebooks write it: ../docs/protocol.md#anchor.
DOCS_LINK = re.compile(r"\]\((?P<target>(?:\.\./)+docs/[^)#\s]+\.md)[)#]")


def markdown_of(path: Path) -> str:
    """A page's text, or a notebook's Markdown cells."""
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        return "\n".join("".join(cell["source"]) for cell in cells if cell["cell_type"] == "markdown")
    return path.read_text(encoding="utf-8")


def test_every_page_of_docs_is_in_the_site_where_the_notebooks_link_to_it(site):
    pages = sorted(ROOT.joinpath("docs").glob("*.md"))
    assert len(pages) > 1, "docs/ holds one page or none: the check below would prove little"
    for page in pages:
        shipped = site / "files" / "docs" / page.name
        assert shipped.is_file(), f"docs/{page.name} is not in the site at files/docs/: rebuild it with `make lite`"
    files = site / "files"
    notebooks = sorted(files.joinpath("notebooks").rglob("*.ipynb"))
    linked = set()
    for notebook in notebooks:
        for link in DOCS_LINK.finditer(markdown_of(notebook)):
            target = (notebook.parent / link["target"]).resolve()
            assert target.is_file(), f"{notebook.relative_to(files)} links to {link['target']}, not in the site"
            linked.add(target)
    assert linked, "no notebook in the site links to docs/: the notebooks' links were not found"


def test_no_link_in_the_site_leads_nowhere(site):
    """Every relative link of the site's pages and notebooks opens a file of the site: a link to the solutions
    (docs/workshop.md has one) or to the repository's README became plain text where the site leaves them out."""
    files = site / "files"
    checked = 0
    for path in sorted(files.rglob("*")):
        if path.suffix not in (".md", ".ipynb"):
            continue
        for target in links(markdown_of(path)):
            if target and not EXTERNAL.match(target) and not target.startswith("#"):
                destination = (path.parent / unquote(target.partition("#")[0])).resolve()
                assert destination.is_relative_to(files.resolve()) and destination.is_file(), (
                    f"{path.relative_to(files)} links to {target}, which is not in the site"
                )
                checked += 1
    assert checked > 20, f"only {checked} relative links found in the site: the link reader is broken"


def test_the_site_opens_markdown_rendered_as_make_lab_does(site):
    """The kit's JupyterLab settings (jupyter-settings/) are in the site's, beside its own (lite/overrides.json)."""
    overrides = json.loads((site / "jupyter-lite.json").read_text())["jupyter-config-data"]["settingsOverrides"]
    kit = json5.loads(build.LAB_SETTINGS.read_text())
    assert kit[DOCMANAGER] == {"defaultViewers": {"markdown": "Markdown Preview"}}
    for plugin, values in kit.items():
        assert overrides[plugin] == values, f"{plugin}: rebuild the site with `make lite`"
    for plugin, values in json.loads((ROOT / "lite" / "overrides.json").read_text()).items():
        assert overrides[plugin] == values, f"{plugin}: rebuild the site with `make lite`"


def test_make_lab_installs_the_kits_settings_where_jupyterlab_reads_them(tmp_path, monkeypatch):
    """`make lab` copies jupyter-settings/overrides.json5 into the venv: JupyterLab's server, reading a venv's
    application settings as it does at start-up, then serves "Markdown Preview" as the default viewer of Markdown."""
    from jupyterlab.commands import get_app_dir
    from jupyterlab_server.settings_utils import get_settings

    if shutil.which("make") is None:
        _unavailable("make not found: it installs the settings for `make lab`")
    venv = tmp_path / "venv"
    app_settings = venv / "share" / "jupyter" / "lab" / "settings"
    installed = app_settings / "overrides.d" / "mexc-signature-lab.json5"
    # The rule `make lab` depends on (not JupyterLab itself): "no rule to make target" if the Makefile put it elsewhere.
    subprocess.run(["make", "-s", "-C", str(ROOT), f"VENV={venv}", str(installed)], check=True)
    assert installed.read_bytes() == build.LAB_SETTINGS.read_bytes()
    assert "$(LAB_SETTINGS)" in (ROOT / "Makefile").read_text().split("\nlab:", 1)[1].split("\n", 1)[0]
    monkeypatch.delenv("JUPYTERLAB_DIR", raising=False)
    app_dir = Path(get_app_dir())
    assert app_dir == Path(sys.prefix) / "share" / "jupyter" / "lab"  # a venv's JupyterLab reads <venv>/share/...
    settings, _ = get_settings(
        str(app_settings), str(app_dir / "schemas"), str(tmp_path / "user-settings"), schema_name=DOCMANAGER
    )
    assert settings["schema"]["properties"]["defaultViewers"]["default"] == {"markdown": "Markdown Preview"}
