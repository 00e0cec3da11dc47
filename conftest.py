"""The whole run, tests and notebooks alike, independent of the machine it runs on."""

from __future__ import annotations

import os
import shutil
import tempfile


def pytest_configure(config):
    """The suite runs the same on any machine: none of the user's MEXC_* variables (keys, a class URL), and
    class files in a data folder of the run's own, never ~/.local/share/mexc-lab where an instructor's class
    lives. Set for the whole process, so notebooks' kernels and the subprocesses tests start see it too."""
    for name in [name for name in os.environ if name.startswith("MEXC_")]:
        del os.environ[name]
    config._mexc_data_home = tempfile.mkdtemp(prefix="mexc-lab-tests-")
    os.environ["XDG_DATA_HOME"] = config._mexc_data_home


def pytest_unconfigure(config):
    shutil.rmtree(getattr(config, "_mexc_data_home", ""), ignore_errors=True)
