"""The endpoint catalogue: which API a path belongs to, its host, whether it needs a signature, and
the methods the endpoints take. The exchange, the doctor, the client and the probe ask here.

Spot V3 lives under ``/api/v3/`` on ``api.mexc.com``; futures under ``/api/v1/`` on
``contract.mexc.com``, its signed endpoints under ``/api/v1/private/`` (docs/protocol.md#live-hosts).
A request sent to the wrong API's host or path family is signed by the wrong rules: spot answers
700002, futures 602.
"""

from __future__ import annotations

SPOT_BASE_URL = "https://api.mexc.com"
FUTURES_BASE_URL = "https://contract.mexc.com"

SPOT_METHODS = ("GET", "POST", "PUT", "DELETE")
FUTURES_METHODS = ("GET", "POST", "DELETE")

# Spot market data and the server's clock: no signature needed (MEXC spot V3, "Market Data Endpoints").
SPOT_PUBLIC_PATHS = frozenset(
    ("/api/v3/ping", "/api/v3/time", "/api/v3/exchangeInfo", "/api/v3/depth", "/api/v3/trades", "/api/v3/ticker/price")
)

# Endpoints that only place or cancel, so a request to them is a POST whatever a paste shows.
POST_ONLY_PATHS = frozenset(
    (
        "/api/v3/order/test",
        "/api/v3/batchOrders",
        "/api/v3/capital/withdraw",
        "/api/v1/private/order/submit",
        "/api/v1/private/order/submit_batch",
        "/api/v1/private/order/cancel",
    )
)

# (path, method) -> another method taking the same parameters: a paste without its method is ambiguous.
SAME_PARAMETERS = {
    ("/api/v3/order", "GET"): "DELETE",  # query an order, or cancel it
    ("/api/v3/openOrders", "GET"): "DELETE",
    ("/api/v3/userDataStream", "PUT"): "DELETE",  # keep a listenKey alive, or close it
}


def api_of_path(path: str | None) -> str | None:
    """``"futures"`` for ``/api/v1/...``, ``"spot"`` for ``/api/v3/...``, None for any other path."""
    if path is None:
        return None
    if path.startswith("/api/v1/"):
        return "futures"
    if path.startswith("/api/v3/"):
        return "spot"
    return None


def base_url_for(path: str) -> str:
    """MEXC's host for a path given without one: futures for ``/api/v1/``, else spot."""
    return FUTURES_BASE_URL if api_of_path(path) == "futures" else SPOT_BASE_URL


def is_private(path: str | None) -> bool:
    """Whether a path needs a signature: futures ``/api/v1/private/...`` and every spot path but market data."""
    path = path or ""
    return path.startswith("/api/v1/private/") or (path.startswith("/api/v3/") and path not in SPOT_PUBLIC_PATHS)
