"""MEXC Signature Lab helpers: the real signer, MEXC's rules, and a local exchange that shows its work.

>>> from mexc_helpers import LocalExchange, sign_spot
>>> with LocalExchange() as ex:
...     signed = sign_spot("GET", "/api/v3/account", {}, api_key=ex.api_key,
...                        secret=ex.secret_key, base_url=ex.base_url)
...     signed.send().status_code
200
"""

from .clock import TimestampVerdict, contract_time_verdict, timestamp_verdict
from .errors import CODES, MexcAPIError, explain
from .exchange import DOCS_API_KEY, DOCS_SECRET_KEY, LocalExchange
from .signing import (
    SignedRequest,
    SigningError,
    contract_param_string,
    contract_signature,
    encode_params,
    sign_contract,
    sign_spot,
    spot_signature,
)

__version__ = "0.1.0"

__all__ = [
    "CODES",
    "DOCS_API_KEY",
    "DOCS_SECRET_KEY",
    "LocalExchange",
    "MexcAPIError",
    "SignedRequest",
    "SigningError",
    "TimestampVerdict",
    "contract_param_string",
    "contract_signature",
    "contract_time_verdict",
    "encode_params",
    "explain",
    "sign_contract",
    "sign_spot",
    "spot_signature",
    "timestamp_verdict",
]
