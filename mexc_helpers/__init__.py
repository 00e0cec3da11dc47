"""MEXC Signature Lab helpers: the real signer, MEXC's rules, and a local exchange that shows its work.

>>> from mexc_helpers import LocalExchange, sign_spot
>>> with LocalExchange() as ex:
...     signed = sign_spot("GET", "/api/v3/account", {}, api_key=ex.api_key,
...                        secret=ex.secret, base_url=ex.base_url)
...     signed.send().status_code
200

The package is layered, imports going down only (docs in each subpackage):
``protocol`` (the rules, standard library only) <- ``transport`` <- ``server``, ``doctor``, ``client``
<- ``lab``, ``probe`` <- ``cli``.
"""

from importlib.metadata import PackageNotFoundError, version

from .client import MexcClient, RemoteExchange, ServerClock, fetch_server_time
from .doctor import Diagnosis, diagnose, diagnose_all
from .protocol.clock import (
    futures_time_verdict,
    timestamp_verdict,
)
from .protocol.errors import CODES, MexcAPIError, explain
from .protocol.signing import (
    DOCS_API_KEY,
    DOCS_SECRET_KEY,
    SignedRequest,
    SigningError,
    encode_params,
    futures_param_string,
    futures_signature,
    sign_futures,
    sign_spot,
    spot_signature,
)
from .server.exchange import LocalExchange

try:
    __version__ = version("mexc-signature-lab")
except PackageNotFoundError:  # a source tree on sys.path that was never installed
    __version__ = "0+unknown"

__all__ = [
    "CODES",
    "DOCS_API_KEY",
    "DOCS_SECRET_KEY",
    "Diagnosis",
    "LocalExchange",
    "MexcAPIError",
    "MexcClient",
    "RemoteExchange",
    "ServerClock",
    "SignedRequest",
    "SigningError",
    "diagnose",
    "diagnose_all",
    "encode_params",
    "explain",
    "fetch_server_time",
    "futures_param_string",
    "futures_signature",
    "futures_time_verdict",
    "sign_futures",
    "sign_spot",
    "spot_signature",
    "timestamp_verdict",
]
