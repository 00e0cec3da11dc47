"""Where Chromium is missing: a one-line skip on a user's machine, a failure under CI=true."""

import pytest

from tests.browser.conftest import _unavailable


def test_missing_browser_skips_with_how_to_install(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="sudo apt-get install chromium"):
        _unavailable("Chromium not found: install it with `sudo apt-get install chromium` to run the browser tests")


def test_missing_browser_fails_under_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true: the browser tests must run, never skip"):
        _unavailable("Chromium not found")
