"""The request doctor: read what a user pasted, judge it by the exchange's own rules, prove the cause.

- :mod:`.read`: a curl command, URL, query string, dict or ``requests`` request, read into the one
  request model (:class:`~mexc_helpers.protocol.request.ReceivedRequest`);
- :mod:`.recipes`: the strings that known client bugs sign;
- :mod:`.diagnosis`: :func:`diagnose`, which judges through :mod:`mexc_helpers.protocol.verify`
  (so it cannot disagree with the local exchange) and proves a bad signature's cause.

    from mexc_helpers.doctor import diagnose
    diagnose(curl_command, secret, server_time=1700000000000).causes
"""

from .diagnosis import diagnose, diagnose_all
from .pasted import PastedRequest, UnusableInput
from .read import read_request, read_requests
from .report import FIXES, Diagnoses, Diagnosis, Finding

__all__ = [
    "FIXES",
    "Diagnoses",
    "Diagnosis",
    "Finding",
    "PastedRequest",
    "UnusableInput",
    "diagnose",
    "diagnose_all",
    "read_request",
    "read_requests",
]
