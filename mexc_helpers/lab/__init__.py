"""The labs: what the notebooks show and let learners change, on top of the signer and the exchange.

- :mod:`.labs`: the labs' logic (build a request as a client would, send it, report the verdict),
  usable and tested without a browser; :func:`lab_exchange` is the exchange every lab talks to;
- :mod:`.widgets`: one function per lab, each returning a displayable widget (ipywidgets);
- :mod:`.doctorpanel`, :mod:`.dashboard`: the doctor as a panel, the instructor's class view;
- :mod:`.figures`: pictures (SVG); :func:`table` (from :mod:`mexc_helpers.tables`): pandas if installed, else HTML;
  :mod:`.checks`: the exercises' self-checks.

Importing this package needs no optional dependency; the widgets need the ``[lab]`` extra.
"""

from ..tables import table
from .labs import FUTURES_ORDER, LAB_TIME, ORDER, exchange_note, lab_exchange

__all__ = ["FUTURES_ORDER", "LAB_TIME", "ORDER", "exchange_note", "lab_exchange", "table"]
