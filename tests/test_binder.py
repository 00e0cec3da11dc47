"""binder/ (repo2docker) installs the same dependencies as requirements.txt, and then the kit."""

import pathlib

ROOT = pathlib.Path(__file__).parent.parent


def requirement_lines(path: pathlib.Path) -> set[str]:
    return {line.strip() for line in path.read_text().splitlines() if line.strip() and line[0] not in "#-"}


def test_binder_requirements_match_the_runtime_requirements():
    assert requirement_lines(ROOT / "binder" / "requirements.txt") == requirement_lines(ROOT / "requirements.txt")


def test_binder_post_build_installs_the_kit_and_is_executable():
    post_build = ROOT / "binder" / "postBuild"
    assert "pip install --no-deps ." in post_build.read_text()
    assert post_build.stat().st_mode & 0o111
    assert (ROOT / "binder" / "runtime.txt").read_text().startswith("python-3.")
