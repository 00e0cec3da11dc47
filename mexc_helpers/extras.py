"""Optional dependencies: each lives in an extra, and a missing one is one line naming the extra.

``pip install mexc-signature-lab`` gives the signer, the local exchange, the doctor and the
``mexc-lab`` command. The extras add: ``[lab]`` JupyterLab, ipywidgets, pandas, matplotlib and
papermill (the notebooks); ``[class]`` waitress (``mexc-lab serve --class``); ``[env]``
python-dotenv (reading keys from a ``.env`` file); ``[proxy]`` mitmproxy (``mexc-lab proxy``).
"""

from __future__ import annotations

import importlib

PACKAGE = "mexc-signature-lab"


class MissingExtra(ImportError):
    """An optional dependency is not installed; the message names the extra that brings it."""


def require(module: str, extra: str, purpose: str):
    """Import ``module``, or raise :class:`MissingExtra` saying which extra to install for ``purpose``."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtra(
            f"{purpose} needs {module.split('.')[0]}, which is not installed: pip install '{PACKAGE}[{extra}]'"
        ) from None
