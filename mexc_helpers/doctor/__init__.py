"""The request doctor: read what a user pasted, judge it by the exchange's own rules, prove the cause.

- :mod:`.read` with :mod:`.forms` (one reader per input form, and the tolerant reader that finds a
  request anywhere in a text) and :mod:`.intake` (what counts as signed, which request to judge, the
  method a paste leaves out): whatever the user has, read into the one request model
  (:class:`~mexc_helpers.protocol.request.ReceivedRequest`);
- :mod:`.bugs` (client bugs as composable transformations of what is signed, with :mod:`.encoders`, the
  libraries' encodings) and :mod:`.search` (the chain of bugs that reproduces a signature: a proof);
- :mod:`.diagnosis`: :func:`diagnose`, which judges through :mod:`mexc_helpers.protocol.verify` (so it
  cannot disagree with the local exchange), :mod:`.notes` (what it checked and could not, why the fixed
  request looks as it does) and :mod:`.report`, what it tells the user.

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
