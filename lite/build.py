"""Build the kit as a static JupyterLite site: JupyterLab and Python (Pyodide) in the browser, nothing to install.

usage: python lite/build.py [--output _site]   (``make lite`` runs it in .venv)

Everything comes from PyPI and npm, at build time only; the site never fetches anything at run time:
- Pyodide's runtime from the npm package ``pyodide`` (the version this kernel was made for). That package has no
  wheels, so the ones the kernel loads at start-up, and the kit's own dependencies, are the pure-Python wheels from
  PyPI, listed in a rewritten ``pyodide-lock.json`` with their own hashes.
- ``mexc_helpers`` as a wheel built from this working tree, preloaded with ipywidgets when the kernel starts, so
  the notebooks run unchanged: ``import mexc_helpers`` just works.
- The widget versions the site's JupyterLab shows are the ones installed here, and the kernel gets the same
  (a widget whose two halves differ shows "Error displaying widget").
- piplite's fallback to pypi.org is off: a missing wheel fails at once instead of reaching for the internet.
- The workshop's solutions stay out, unless ``LITE_SOLUTIONS=1`` asks for them (an instructor's own copy): in the
  site learners open, they would be the first folder of ``notebooks/``. A link to a file the site does not ship
  becomes plain text there, so the site has no broken link.
- Markdown opens rendered, as in ``make lab``: the kit's JupyterLab settings (``jupyter-settings/``) join the site's.

Downloads are kept in the user's cache (``$XDG_CACHE_HOME/mexc-signature-lab/lite``, by default
``~/.cache/mexc-signature-lab/lite``), as pip keeps its own: a second build, from this clone or a fresh one,
fetches nothing again but the build tools of the kit's own wheel (pip's build isolation).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
import tarfile
import time
import zipfile
from collections.abc import Collection, Mapping
from importlib import metadata
from pathlib import Path
from urllib.parse import unquote

ROOT = Path(__file__).resolve().parents[1]
HERE = ROOT / "lite"
WORK = ROOT / "build" / "lite"
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "mexc-signature-lab" / "lite"
SITE = ROOT / "_site"  # what `make lite` builds, `make lite-serve` serves and the Pages workflow publishes

KIT = "mexc-signature-lab"
# What the kernel loads at start-up (micropip, then ipython and jedi through piplite), and what the notebooks
# import. With their dependencies: at Pyodide's own versions where its lock lists them, else at the versions
# installed beside the site's JupyterLab (so the widgets' two halves match).
KERNEL = ["micropip", "packaging", "ipython", "jedi", "traitlets", "typing-extensions"]
PRELOADED = [KIT, "ipywidgets"]
# ipywidgets requires the classic Notebook's extension; JupyterLab (and so the site) uses jupyterlab_widgets.
NOT_FOR_THE_BROWSER = {"widgetsnbextension"}
PYODIDE_CORE = ["pyodide.asm.mjs", "pyodide.asm.wasm", "pyodide.mjs", "pyodide.js", "python_stdlib.zip", "package.json"]
# What learners open, at the paths it has in the repository: every page of docs/ sits beside notebooks/ as in the
# repository, so the notebooks' links to ../docs/*.md open them. Not the instructor's dashboard: it needs a class
# exchange over HTTP.
CONTENTS = ["notebooks/0*.ipynb", "notebooks/README.md", "docs/*.md"]
# The workshop's solutions, in an instructor's own copy only (`LITE_SOLUTIONS=1 make lite`).
SOLUTIONS = ["notebooks/solutions/*"]
# The JupyterLab settings `make lab` installs too (Markdown opens rendered: see the file's comments).
LAB_SETTINGS = ROOT / "jupyter-settings" / "overrides.json5"
# A Markdown link or image, [text](target "title"): as tests/repo/test_docs.py reads them.
LINK = re.compile(r"!?\[(?P<text>(?:[^\[\]]|\[[^\[\]]*\])*)\]\(\s*<?(?P<target>[^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)  # https:, mailto:, ...
# Code, where link syntax is shown, not linked: a fenced block, or a code span.
CODE = re.compile(r"^(```|~~~).*?^\1|(`+)(?!`).*?(?<!`)\2(?!`)", re.S | re.M)


def canonical(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def run(*command: str, cwd: Path | None = None) -> None:
    subprocess.run(command, cwd=cwd, check=True)


def pyodide_runtime(version: str) -> Path:
    """The npm package ``pyodide@version``, unpacked once into the cache."""
    unpacked = CACHE / f"pyodide-{version}" / "package"
    if not (unpacked / "pyodide-lock.json").exists():
        unpacked.parent.mkdir(parents=True, exist_ok=True)
        run("npm", "pack", "--silent", f"pyodide@{version}", cwd=unpacked.parent)
        with tarfile.open(unpacked.parent / f"pyodide-{version}.tgz") as archive:
            archive.extractall(unpacked.parent, filter="data")
    return unpacked


def pure_wheel(name: str, version: str, python: str) -> Path:
    """The py3-none-any wheel of ``name==version`` from PyPI (cached)."""
    folder = CACHE / "wheels"
    found = _cached_wheel(folder, name, version)
    if found is None:
        run(sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
            "--python-version", python, "--platform", "any", "--dest", str(folder), f"{name}=={version}")  # fmt: skip
        found = _cached_wheel(folder, name, version)
    if found is None or not found.name.endswith("-none-any.whl"):
        raise SystemExit(f"lite: no pure-Python wheel of {name}=={version} on PyPI; the browser cannot load it")
    return found


def _cached_wheel(folder: Path, name: str, version: str) -> Path | None:
    for wheel in folder.glob("*.whl") if folder.exists() else ():
        project, wheel_version = wheel.name.split("-")[:2]
        if canonical(project) == canonical(name) and wheel_version == version:
            return wheel
    return None


def markupsafe_without_speedups(version: str) -> Path:
    """MarkupSafe has no pure wheel on PyPI: build one from its sdist with the C speedups left out (its own
    pure-Python fallback is what runs then)."""
    folder = CACHE / "markupsafe"
    wheel = folder / f"markupsafe-{version}-py3-none-any.whl"
    if not wheel.exists():
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        run(sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary=:all:",
            "--dest", str(folder), f"markupsafe=={version}")  # fmt: skip
        with tarfile.open(next(folder.glob("*.tar.gz"))) as archive:
            archive.extractall(folder, filter="data")
        source = next(path for path in folder.iterdir() if path.is_dir())
        setup = source / "setup.py"
        lines = setup.read_text().splitlines()
        setup.write_text("\n".join("ext_modules = []" if line.startswith("ext_modules =") else line for line in lines))
        run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(folder), str(source))
    return wheel


def kit_wheel() -> Path:
    """``mexc_helpers`` as a wheel, built from the working tree as it is now: from a clean copy, because an
    in-place build reuses setuptools' ``build/lib``, where a module since moved or deleted would live on."""
    source, folder = WORK / "kit-source", WORK / "kit"
    for stale in (source, folder):
        shutil.rmtree(stale, ignore_errors=True)
    shutil.copytree(ROOT / "mexc_helpers", source / "mexc_helpers", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, source / name)
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(folder), str(source))
    (wheel,) = folder.glob("mexc_signature_lab-*.whl")
    return wheel


def requirements(wheel: Path) -> list[str]:
    """The projects a wheel requires (its ``Requires-Dist``), extras left out."""
    with zipfile.ZipFile(wheel) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        lines = archive.read(name).decode().splitlines()
    required = [line.split(":", 1)[1] for line in lines if line.startswith("Requires-Dist:") and "extra ==" not in line]
    return [canonical(re.match(r"\s*([A-Za-z0-9._-]+)", line)[1]) for line in required]


def lock_entry(name: str, wheel: Path, depends: list[str], imports: list[str]) -> dict:
    return {
        "name": name,
        "version": wheel.name.split("-")[1],
        "file_name": wheel.name,
        "install_dir": "site",
        "sha256": hashlib.sha256(wheel.read_bytes()).hexdigest(),
        "package_type": "package",
        "imports": imports,
        "depends": depends,
        "unvendored_tests": False,
    }


def resolve(name: str, known: dict, python: str) -> tuple[dict, Path]:
    """The lock entry and pure wheel of one project."""
    if name == canonical(KIT):
        wheel = kit_wheel()
        return lock_entry(KIT, wheel, requirements(wheel), ["mexc_helpers"]), wheel
    if name in known:  # at Pyodide's version, with Pyodide's dependencies
        entry = known[name]
        if name == "markupsafe":
            wheel = markupsafe_without_speedups(entry["version"])
        else:
            wheel = pure_wheel(entry["name"], entry["version"], python)
        return lock_entry(entry["name"], wheel, entry["depends"], entry["imports"]), wheel
    wheel = pure_wheel(name, metadata.version(name), python)
    depends = [required for required in requirements(wheel) if required not in NOT_FOR_THE_BROWSER]
    return lock_entry(name, wheel, depends, [name.replace("-", "_")]), wheel


def pyodide_folder(runtime: Path, target: Path) -> list[str]:
    """``static/pyodide``: the runtime, the wheels, and a lock that lists exactly those wheels. Returns the
    packages in the lock."""
    lock = json.loads((runtime / "pyodide-lock.json").read_text())
    python = ".".join(lock["info"]["python"].split(".")[:2])
    target.mkdir(parents=True)
    for name in PYODIDE_CORE:
        shutil.copy2(runtime / name, target / name)
    packages: dict[str, dict] = {}
    pending = [canonical(name) for name in KERNEL + PRELOADED]
    while pending:
        name = pending.pop()
        if name not in packages:
            entry, wheel = resolve(name, lock["packages"], python)
            shutil.copy2(wheel, target / wheel.name)
            packages[name] = entry
            pending.extend(canonical(required) for required in entry["depends"])
    lock["packages"] = packages
    (target / "pyodide-lock.json").write_text(json.dumps(lock, indent=1, sort_keys=True))
    return sorted(packages)


def solutions_wanted(environ: Mapping[str, str] = os.environ) -> bool:
    """Whether the site ships the workshop's solutions: ``LITE_SOLUTIONS=1`` says yes; unset, empty or 0 no."""
    value = environ.get("LITE_SOLUTIONS", "").strip()
    if value not in ("", "0", "1"):
        raise SystemExit(f"lite: LITE_SOLUTIONS={value!r}: 1 ships the solutions, 0 or unset leaves them out")
    return value == "1"


def site_files(solutions: bool) -> list[str]:
    """The files the site ships, by their paths in the repository (the site shows them at the same paths): the
    solutions only when asked for."""
    patterns = CONTENTS + (SOLUTIONS if solutions else [])
    found = {path.relative_to(ROOT).as_posix() for pattern in patterns for path in ROOT.glob(pattern) if path.is_file()}
    return sorted(found)


def unlink_missing(text: str, page: str, shipped: Collection[str]) -> str:
    """The Markdown ``text`` of ``page`` (a path in the repository) with each relative link to a file the site does
    not ship turned into the link's text: the solutions when left out, the repository's README or CHANGELOG."""

    def keep_or_unlink(link: re.Match) -> str:
        target = link["target"].partition("#")[0]
        if not target or EXTERNAL.match(target):
            return link[0]
        linked = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(target)))
        return link[0] if linked in shipped else link["text"]

    pieces, prose_from = [], 0
    for code in CODE.finditer(text):
        pieces += [LINK.sub(keep_or_unlink, text[prose_from : code.start()]), code[0]]
        prose_from = code.end()
    return "".join([*pieces, LINK.sub(keep_or_unlink, text[prose_from:])])


def shipped_bytes(name: str, shipped: Collection[str]) -> bytes:
    """The file ``name`` of the repository as the site ships it: as it is, but for links to files not shipped
    (:func:`unlink_missing`), in a Markdown page or a notebook's Markdown cells."""
    data = (ROOT / name).read_bytes()
    if name.endswith(".md"):
        return unlink_missing(data.decode("utf-8"), name, shipped).encode("utf-8")
    if name.endswith(".ipynb"):
        notebook, changed = json.loads(data), False
        for cell in notebook["cells"]:
            if cell["cell_type"] == "markdown":
                source = "".join(cell["source"])
                unlinked = unlink_missing(source, name, shipped)
                if unlinked != source:
                    cell["source"], changed = unlinked.splitlines(keepends=True), True
        if changed:  # written as nbformat writes a notebook
            return (json.dumps(notebook, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")
    return data


def copy_contents(files: Path, solutions: bool) -> list[str]:
    """Fill ``files`` (the site's ``files/``, emptied first: nothing of an earlier build stays) with
    :func:`site_files`; returns them."""
    shutil.rmtree(files, ignore_errors=True)
    shipped = site_files(solutions)
    for name in shipped:
        destination = files / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(shipped_bytes(name, shipped))
        shutil.copystat(ROOT / name, destination)
    return shipped


def settings_overrides() -> dict:
    """The site's JupyterLab settings: lite/overrides.json (the site's own) and the kit's, which `make lab` uses."""
    import json5  # JupyterLab's server reads its settings with it, so it is installed beside it

    overrides = json.loads((HERE / "overrides.json").read_text())
    for plugin, values in json5.loads(LAB_SETTINGS.read_text()).items():
        overrides.setdefault(plugin, {}).update(values)
    return overrides


def lite_folder(source: Path, solutions: bool) -> None:
    """What ``jupyter lite build`` reads: the notebooks, the configuration and the local Pyodide."""
    from jupyterlite_pyodide_kernel.constants import PYODIDE_VERSION

    shutil.rmtree(source, ignore_errors=True)
    shipped = copy_contents(source / "files", solutions)
    left_out = "with the workshop's solutions" if solutions else "without the workshop's solutions (LITE_SOLUTIONS=1)"
    print(f"lite: {len(shipped)} notebooks and pages, {left_out}")
    config = json.loads((HERE / "jupyter-lite.json").read_text())
    kernel = config["jupyter-config-data"]["litePluginSettings"]["@jupyterlite/pyodide-kernel-extension:kernel"]
    kernel["loadPyodideOptions"] = {"packages": PRELOADED}
    (source / "jupyter-lite.json").write_text(json.dumps(config, indent=2))
    (source / "overrides.json").write_text(json.dumps(settings_overrides(), indent=2))
    packages = pyodide_folder(pyodide_runtime(PYODIDE_VERSION), source / "static" / "pyodide")
    print(f"lite: Pyodide {PYODIDE_VERSION} with {len(packages)} packages: {', '.join(packages)}")


def site_size(folder: Path) -> tuple[int, int]:
    files = [path for path in folder.rglob("*") if path.is_file()]
    return sum(path.stat().st_size for path in files), len(files)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=SITE, help="where the site goes (default: _site)")
    output = parser.parse_args(argv).output.resolve()
    solutions = solutions_wanted()
    if shutil.which("npm") is None:
        raise SystemExit("lite: npm not found: install Node.js with npm (Pyodide comes from the npm registry)")
    if output.exists() and any(output.iterdir()) and not (output / "jupyter-lite.json").exists():
        raise SystemExit(f"lite: {output} is not empty and holds no site: give an empty or new folder to build into")
    try:
        build(output, solutions)
    except subprocess.CalledProcessError as error:
        raise SystemExit(f"lite: `{' '.join(map(str, error.cmd))}` failed with exit code {error.returncode}") from None
    return 0


def build(output: Path, solutions: bool = False) -> None:
    """The site in ``output``, replaced whole (so no file of an earlier build, solutions included, stays)."""
    started = time.monotonic()
    source = WORK / "src"
    lite_folder(source, solutions)
    shutil.rmtree(output, ignore_errors=True)
    jupyter_lite = Path(sys.executable).with_name("jupyter-lite")
    run(str(jupyter_lite), "build", "--lite-dir", str(source), "--output-dir", str(output), "--apps", "lab",
        "--no-sourcemaps", "--no-unused-shared-packages", cwd=source)  # fmt: skip
    size, count = site_size(output)
    print(f"lite: built {output} in {time.monotonic() - started:.0f} s: {size / 1e6:.1f} MB in {count} files")


if __name__ == "__main__":
    sys.exit(main())
