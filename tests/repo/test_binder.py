"""binder/ (repo2docker) installs the kit with the extras of requirements.txt; dependencies live in pyproject."""

import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[2]


def extras_installed(text: str) -> set[str]:
    """The extras named by every `.[...]` install in a requirements file or a script."""
    return {extra for group in re.findall(r"\.\[([a-z,]+)\]", text) for extra in group.split(",")}


def test_binder_installs_the_same_extras_as_requirements_txt():
    learner = extras_installed((ROOT / "requirements.txt").read_text())
    assert learner == {"lab", "class", "env"}
    assert extras_installed((ROOT / "binder" / "postBuild").read_text()) == learner


def test_binder_pins_no_second_copy_of_the_dependencies():
    lines = [line for line in (ROOT / "binder" / "requirements.txt").read_text().splitlines() if line.strip()]
    assert all(line.startswith("#") for line in lines)


def test_binder_post_build_is_executable_and_python_is_pinned():
    assert (ROOT / "binder" / "postBuild").stat().st_mode & 0o111
    assert (ROOT / "binder" / "runtime.txt").read_text().startswith("python-3.")
