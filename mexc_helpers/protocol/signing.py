"""The real MEXC signer: spot V3 and futures requests, exactly as the servers verify them.

Spot V3: the signed string ("totalParams") is the query string followed by the request body, with
no ``&`` between them; ``signature = hex(HMAC_SHA256(secretKey, totalParams))`` in lowercase,
appended to the query; the API key goes in the ``X-MEXC-APIKEY`` header.

Futures: the signed string is ``accessKey + Request-Time + paramString``, where paramString is the
parameters sorted in dictionary order for GET/DELETE, and the raw JSON body, byte for byte, for POST.

Rules and sources: docs/protocol.md#spot-signed-string, #spot-signature, #futures-signed-string.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .clock import MAX_FUTURES_WINDOW_S, MAX_RECV_WINDOW_MS, looks_like_seconds, now_ms, parse_ms
from .digest import hmac_sha256_hex
from .encoding import UNRESERVED, EncodingError, encode_params, format_value, percent_encode
from .endpoints import FUTURES_BASE_URL, FUTURES_METHODS, SPOT_BASE_URL, SPOT_METHODS

__all__ = [
    "SPOT_BASE_URL",
    "FUTURES_BASE_URL",
    "SigningError",
    "SignedRequest",
    "encode_params",
    "spot_signature",
    "sign_spot",
    "futures_param_string",
    "futures_signed_string",
    "futures_signature",
    "sign_futures",
]

# The public example key pair from MEXC's spot V3 documentation (docs/protocol.md#test-vectors):
# the only key pair the kit ships, accepted by its local exchange by default.
DOCS_API_KEY = "mx0aBYs33eIilxBWC5"
DOCS_SECRET_KEY = "45d0b3c26f2644f19bfb98b07741b2f5"


class SigningError(EncodingError):
    """A request cannot be signed as given; the message names the fix."""


@dataclass(frozen=True)
class SignedRequest:
    """A request ready to send: what goes on the wire, plus what was signed.

    It never holds the secret. Its repr masks the API key, so it is safe to print in a notebook.
    """

    method: str
    url: str
    headers: Mapping[str, str] = field(default_factory=dict)
    body: str | None = None
    signed_string: str = ""
    signature: str = ""

    def __repr__(self) -> str:
        headers = {name: _mask_header(name, value) for name, value in self.headers.items()}
        return (
            f"SignedRequest(method={self.method!r}, url={self.url!r}, headers={headers!r}, "
            f"body={self.body!r}, signed_string={self.signed_string!r}, signature={self.signature!r})"
        )

    @classmethod
    def _new(cls, method: str, url: str, headers: dict, body: str | None, signed_string: str, signature: str):
        """The signers' constructor: same fields, without the generated frozen ``__init__``'s six
        ``object.__setattr__`` calls, which cost half an HMAC (benchmarks/bench_signing.py)."""
        request = object.__new__(cls)
        fields = request.__dict__  # filled item by item: a third faster than .update(**six keywords)
        fields["method"] = method
        fields["url"] = url
        fields["headers"] = headers
        fields["body"] = body
        fields["signed_string"] = signed_string
        fields["signature"] = signature
        return request

    def to_curl(self) -> str:
        """The request as a curl command (it carries the API key, never the secret)."""
        parts = ["curl", "-X", self.method, shlex.quote(self.url)]
        for name, value in self.headers.items():
            parts += ["-H", shlex.quote(f"{name}: {value}")]
        if self.body:
            parts += ["--data-raw", shlex.quote(self.body)]
        return " ".join(parts)

    def to_http(self) -> str:
        """The request as raw HTTP/1.1, the headers it holds and no others (curl and requests add their own):
        what the doctor reads when it must judge exactly these bytes (a missing Content-Type: 700013)."""
        parts = urlsplit(self.url)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        lines = [f"{self.method} {target} HTTP/1.1", f"Host: {parts.netloc}"]
        lines += [f"{name}: {value}" for name, value in self.headers.items()]
        return "\r\n".join(lines) + "\r\n\r\n" + (self.body or "")

    def send(self, session=None, timeout: float = 10.0):
        """Send the request, byte for byte as signed, and return the response: a convenience for
        :func:`mexc_helpers.transport.send` (requests over a socket, or an exchange in this process)."""
        from ..transport import send  # the layer above: this module sends nothing itself

        return send(self, session, timeout)


def _mask_header(name: str, value: str) -> str:
    if name.lower() in ("x-mexc-apikey", "apikey") and len(value) > 8:
        return f"{value[:4]}...{value[-3:]}"
    return value


def check_secret(secret: object, name: str = "secret") -> str:
    """Refuse a secret that cannot sign: not a str, empty, or padded with whitespace.

    A secret pasted with a trailing newline or space signs every request wrongly: MEXC answers
    700002 and nothing in the request looks wrong.
    """
    if type(secret) is not str:
        raise SigningError(
            f"{name} must be a str (the Secret Key from MEXC's API management page), not {type(secret).__name__}"
        )
    if not secret:
        raise SigningError(f"{name} is empty: pass the Secret Key, or set MEXC_SECRET_KEY")
    if secret != secret.strip():
        raise SigningError(
            f"{name} has leading or trailing whitespace (a newline or space from copy-paste, a common bug): "
            "strip it, or MEXC answers 700002"
        )
    return secret


def check_api_key(api_key: object) -> str:
    """Refuse an API key that is not a non-empty str without surrounding whitespace (10072/700001)."""
    if not isinstance(api_key, str) or not api_key:
        raise SigningError("api_key must be a non-empty str (the Access Key from MEXC's API management page)")
    if api_key != api_key.strip():
        raise SigningError(
            "api_key has leading or trailing whitespace (a copy-paste bug): strip it, or MEXC answers 10072"
        )
    return api_key


def _whole_number(value: object, allow_digits: bool) -> object:
    """An int stays; with ``allow_digits``, a str of ASCII digits (as parsed from a query) becomes one."""
    if allow_digits and type(value) is str:
        parsed = parse_ms(value)
        return value if parsed is None else parsed
    return value


def check_timestamp(timestamp: object, name: str = "timestamp", *, allow_digits: bool = False) -> int:
    """Refuse a timestamp that is not an int of milliseconds since the epoch (700003 otherwise).

    ``allow_digits`` accepts a string of ASCII digits, as parameters parsed from a query string are.
    """
    if type(timestamp) is not int:  # a bool is not a timestamp either
        timestamp = _whole_number(timestamp, allow_digits)
        if type(timestamp) is not int:
            raise SigningError(
                f"{name} must be an int of milliseconds, like int(time.time() * 1000), not {timestamp!r}"
            )
    if looks_like_seconds(timestamp):
        raise SigningError(f"{name} {timestamp} looks like seconds: MEXC wants milliseconds (multiply by 1000)")
    return timestamp


def check_recv_window(recv_window: object) -> int:
    """Refuse a recvWindow that is not an int from 0 to 60000 ms (MEXC answers 700005 above 60000).

    A str of ASCII digits is accepted, as parsed from a query. The exchange accepts 0
    (docs/protocol.md#recv-window), so the signer does too.
    """
    if type(recv_window) is not int:
        recv_window = _whole_number(recv_window, allow_digits=True)
    if type(recv_window) is not int or recv_window < 0:
        raise SigningError(
            f"recvWindow must be a whole number of milliseconds, 0 to {MAX_RECV_WINDOW_MS}, not {recv_window!r}"
        )
    if recv_window > MAX_RECV_WINDOW_MS:
        raise SigningError(f"recvWindow {recv_window} is above MEXC's limit of {MAX_RECV_WINDOW_MS} ms (error 700005)")
    return recv_window


def check_futures_recv_window(recv_window: object) -> int:
    """Refuse a futures Recv-Window that is not 1 to 60 *seconds* (MEXC answers 600 otherwise).

    Futures counts seconds where spot counts milliseconds: a spot habit of 5000 here is refused.
    """
    if type(recv_window) is not int:
        recv_window = _whole_number(recv_window, allow_digits=True)
    if type(recv_window) is not int or not 0 < recv_window <= MAX_FUTURES_WINDOW_S:
        hint = " (futures counts seconds, not milliseconds)" if type(recv_window) is int and recv_window > 999 else ""
        raise SigningError(
            f"Recv-Window must be a whole number of seconds, 1 to {MAX_FUTURES_WINDOW_S}, not {recv_window!r}{hint}"
        )
    return recv_window


def _check_method(method: object, allowed: tuple[str, ...]) -> str:
    if method in allowed:
        return method
    upper = method.upper() if isinstance(method, str) else None
    if upper not in allowed:
        raise SigningError(f"unknown HTTP method {method!r}: expected one of {', '.join(allowed)}")
    return upper


def _check_path(path: object) -> str:
    if not isinstance(path, str) or not path.startswith("/"):
        raise SigningError(f"path must start with '/', like '/api/v3/order', not {path!r}")
    if "?" in path:
        raise SigningError(f"path {path!r} holds a query: pass the parameters as params instead")
    return path


def spot_signature(secret: str, total_params: str) -> str:
    """Sign a spot V3 string: lowercase hex HMAC-SHA256 of ``total_params`` keyed by the secret.

    ``total_params`` is the query string followed directly by the body (no ``&`` between). The
    digest must stay lowercase: an uppercase hex signature is refused with 700002.
    """
    check_secret(secret)
    return hmac_sha256_hex(secret, total_params)


def _pairs(params) -> list[tuple[object, object]]:
    if params is None:
        return []
    try:
        return list(params.items()) if hasattr(params, "items") else [(name, value) for name, value in params]
    except (TypeError, ValueError):
        raise SigningError("params must be a dict or a list of (name, value) pairs") from None


_RESERVED_NAMES = frozenset(("timestamp", "recvWindow", "signature"))


def _with_time_params(params, timestamp, recv_window) -> tuple[object, list]:
    """Return the params (validated) and the time params to append after them.

    A timestamp or recvWindow already in params is checked and kept in place; otherwise
    recvWindow (if given) and timestamp (default: now) are appended, as in MEXC's examples.
    """
    if hasattr(params, "items") and _RESERVED_NAMES.isdisjoint(params):
        pairs, has_timestamp = params, False  # the common case: nothing to check, nothing to copy
    else:
        pairs, has_timestamp = _pairs(params), False
        for index, (name, value) in enumerate(pairs):
            if name == "signature":
                raise SigningError("params already hold a 'signature': pass them without it and let sign_spot sign")
            given = timestamp if name == "timestamp" else recv_window if name == "recvWindow" else None
            if given is not None:
                raise SigningError(f"{name} is given twice (in params and as an argument): keep one")
            if name == "timestamp":
                pairs[index] = (name, check_timestamp(value, allow_digits=True))
                has_timestamp = True
            elif name == "recvWindow" and value is not None:
                pairs[index] = (name, check_recv_window(value))
    extra = [] if recv_window is None else [("recvWindow", check_recv_window(recv_window))]
    if not has_timestamp:
        extra.append(("timestamp", now_ms() if timestamp is None else check_timestamp(timestamp)))
    return pairs, extra


def _joined(first: str, second: str) -> str:
    return f"{first}&{second}" if first and second else first or second


# Deleted from a query's bytes, to see what is left that needs percent-encoding.
_UNRESERVED_BYTES = UNRESERVED.encode()


def _plain_query(params, timestamp, recv_window) -> str | None:
    """The query of the common spot request, or None for the general path (the same text, slower).

    For speed (benchmarks/bench_signing.py): encode_params looks at each pair in turn, two
    ``str.strip`` calls each, and that was half of sign_spot's time. The common request is a dict of
    str names and str or int values with nothing to escape and no time parameter: it is joined in
    one go and its bytes scanned once. The time parameters, ints once checked, are digits only.
    """
    # The _RESERVED_NAMES, spelled out: three lookups are faster than set.isdisjoint over the dict.
    if type(params) is not dict or "timestamp" in params or "recvWindow" in params or "signature" in params:
        return None
    pairs = []
    for name, value in params.items():
        kind = type(value)
        if type(name) is not str or (kind is not str and kind is not int):
            return None  # None (left out), bool, float, Decimal, list...: encode_params formats them
        pairs.append(f"{name}={value}")
    query = "&".join(pairs)
    # Without its unreserved bytes, a query with nothing to escape is its separators alone: "=&=&...=".
    # (isascii first: a lone surrogate must fail in encode_params, with its message, not here.)
    if pairs and (
        not query.isascii() or query.encode().translate(None, _UNRESERVED_BYTES) != b"=&" * (len(pairs) - 1) + b"="
    ):
        return None
    if recv_window is not None:
        recv_window = check_recv_window(recv_window)  # before the timestamp, as in _with_time_params
    timestamp = now_ms() if timestamp is None else check_timestamp(timestamp)
    time_params = f"timestamp={timestamp}" if recv_window is None else f"recvWindow={recv_window}&timestamp={timestamp}"
    return f"{query}&{time_params}" if query else time_params


def sign_spot(
    method: str,
    path: str,
    params=None,
    *,
    api_key: str,
    secret: str,
    timestamp: int | None = None,
    recv_window: int | None = None,
    body=None,
    base_url: str = SPOT_BASE_URL,
) -> SignedRequest:
    """Sign a spot V3 request the way MEXC verifies it.

    ``params`` (a dict or a list of pairs) are sent in the query in the order given; any order is
    fine, since the server signs what it received in the order received. ``timestamp`` (default:
    now, in ms) and ``recvWindow`` are appended unless already in params. ``body``, if given, is
    sent as a form body and signed as query + body with nothing between, as in MEXC's second
    official example; the signature always goes in the query (in a body: 700004).
    """
    method = _check_method(method, SPOT_METHODS)
    _check_path(path)
    check_api_key(api_key)
    check_secret(secret)
    if body:
        query = encode_params(_pairs(params))
        body_pairs, extra = _with_time_params(body, timestamp, recv_window)
        body_text = _joined(encode_params(body_pairs), encode_params(extra))
        signed_string = query + body_text
    else:
        query = _plain_query(params or {}, timestamp, recv_window)
        if query is None:
            query_pairs, extra = _with_time_params(params or {}, timestamp, recv_window)
            query = _joined(encode_params(query_pairs), encode_params(extra))
        body_text, signed_string = None, query
    signature = hmac_sha256_hex(secret, signed_string)
    if method == "GET":
        headers = {"X-MEXC-APIKEY": api_key}
    else:
        content_type = "application/x-www-form-urlencoded" if body_text else "application/json"
        headers = {"X-MEXC-APIKEY": api_key, "Content-Type": content_type}
    url = f"{base_url}{path}?{query}&signature={signature}" if query else f"{base_url}{path}?signature={signature}"
    return SignedRequest._new(method, url, headers, body_text, signed_string, signature)


def futures_param_string(method: str, params_or_body=None) -> str:
    """The futures paramString: sorted ``k=v`` pairs for GET/DELETE, the raw JSON body for POST.

    GET/DELETE parameters must be in dictionary (ASCII) order, ``None`` left out (unsorted: 602).
    For POST the server signs the body exactly as sent, so a str is used as is and a dict is
    serialized once, compactly; send that same string as the body, not ``json=`` (602).
    """
    method = _check_method(method, FUTURES_METHODS)
    if method == "POST":
        if params_or_body is None:
            return ""
        if isinstance(params_or_body, bytes):
            return params_or_body.decode("utf-8")
        if isinstance(params_or_body, str):
            return params_or_body
        return json.dumps(params_or_body, separators=(",", ":"), default=_json_default)
    pairs = sorted((str(key), value) for key, value in _pairs(params_or_body) if value is not None)
    return "&".join(f"{percent_encode(key)}={percent_encode(format_value(value))}" for key, value in pairs)


def _json_default(value: object) -> str:
    return format_value(value)


def futures_signed_string(api_key: str, request_time: int | str, param_string: str) -> str:
    """What a futures request signs: ``accessKey + Request-Time + paramString``, nothing between them
    (docs/protocol.md#futures-signed-string). Any other key, time or paramString is refused with 602."""
    return f"{api_key}{request_time}{param_string}"


def futures_signature(api_key: str, secret: str, request_time: int, param_string: str) -> str:
    """Sign a futures request: lowercase hex HMAC-SHA256 of ``api_key + request_time + param_string``.

    A different key, time or paramString than the one sent is refused with 602.
    """
    check_api_key(api_key)
    check_secret(secret)
    request_time = check_timestamp(request_time, "request_time")
    return hmac_sha256_hex(secret, futures_signed_string(api_key, request_time, param_string))


def sign_futures(
    method: str,
    path: str,
    params_or_body=None,
    *,
    api_key: str,
    secret: str,
    request_time: int | None = None,
    recv_window: int | None = None,
    base_url: str = FUTURES_BASE_URL,
) -> SignedRequest:
    """Sign a futures request the way MEXC verifies it.

    GET/DELETE: parameters sorted into the query. POST: the JSON body, sent byte for byte as
    signed. Headers ``ApiKey``, ``Request-Time`` (ms), ``Signature``; ``Recv-Window`` in seconds
    if given (default on the server: 10 s, refused with 513 outside it).
    """
    method = _check_method(method, FUTURES_METHODS)
    path = _check_path(path)
    request_time = now_ms() if request_time is None else check_timestamp(request_time, "request_time")
    param_string = futures_param_string(method, params_or_body)
    # futures_signature, inlined for speed: request_time is checked above, so not checked twice.
    check_api_key(api_key)
    check_secret(secret)
    signed_string = futures_signed_string(api_key, request_time, param_string)
    signature = hmac_sha256_hex(secret, signed_string)
    headers = {
        "ApiKey": api_key,
        "Request-Time": str(request_time),
        "Signature": signature,
        "Content-Type": "application/json",
    }
    if recv_window is not None:
        headers["Recv-Window"] = str(check_futures_recv_window(recv_window))
    if method == "POST":
        return SignedRequest._new(method, f"{base_url}{path}", headers, param_string, signed_string, signature)
    url = f"{base_url}{path}?{param_string}" if param_string else f"{base_url}{path}"
    return SignedRequest._new(method, url, headers, None, signed_string, signature)
