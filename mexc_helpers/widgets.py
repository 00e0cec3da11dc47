"""The notebooks' labs, one function each: where notebooks import them from (the code is in :mod:`.lab`).

from mexc_helpers.widgets import order_lab
order_lab()
"""

from .lab.widgets import Lab, body_lab, clock_lab, doctor_panel, encoding_lab, order_lab, overview_lab

__all__ = ["Lab", "body_lab", "clock_lab", "doctor_panel", "encoding_lab", "order_lab", "overview_lab"]
