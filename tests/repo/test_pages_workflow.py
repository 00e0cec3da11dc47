"""The GitHub Pages workflow cannot run here: check that it publishes what `make lite` builds, safely."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"


@pytest.fixture(scope="module")
def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text())


def lite_build():
    spec = importlib.util.spec_from_file_location("lite_build", ROOT / "lite" / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def steps(workflow: dict, job: str) -> list[dict]:
    return workflow["jobs"][job]["steps"]


def test_it_publishes_main_and_on_demand(workflow):
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert triggers["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in triggers
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False}


def test_it_may_write_pages_and_nothing_else(workflow):
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert all("permissions" not in job for job in workflow["jobs"].values())


def test_the_build_job_runs_make_lite_and_uploads_its_output(workflow):
    build = steps(workflow, "build")
    assert [step["run"] for step in build if "run" in step] == ["make lite"]
    python = next(step for step in build if step.get("uses", "").startswith("actions/setup-python@"))
    assert tuple(map(int, python["with"]["python-version"].split("."))) >= (3, 10)  # pyproject's requires-python
    assert any(step.get("uses", "").startswith("actions/setup-node@") for step in build), "npm is needed"
    upload = next(step for step in build if step.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert ROOT / upload["with"]["path"] == lite_build().SITE
    assert "lite/build.py" in (ROOT / "Makefile").read_text().split("\nlite:", 1)[1].split("\n\n", 1)[0]


def test_the_deploy_job_deploys_the_built_artifact(workflow):
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    (step,) = deploy["steps"]
    assert step["uses"].startswith("actions/deploy-pages@") and step["id"] == "deployment"
    assert deploy["environment"]["url"] == "${{ steps.deployment.outputs.page_url }}"


def test_every_action_is_an_official_one_pinned_to_a_major_version(workflow):
    used = [step["uses"] for job in workflow["jobs"].values() for step in job["steps"] if "uses" in step]
    assert len(used) == 5
    for action in used:
        assert re.fullmatch(r"actions/[a-z-]+@v\d+", action), f"{action}: pin an official action to a major version"
