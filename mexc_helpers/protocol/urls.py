"""Where requests go: MEXC's live hosts, the exchange named by the environment, and the one plain-http policy.

Every command and class of the kit resolves its base URL here, so they cannot disagree
(docs/protocol.md#live-hosts). The functions take the environment as a mapping (``os.environ`` at
the call site), so they stay pure and testable.

Plain ``http://`` sends the API key (and, for a local exchange, everything else) in clear text. The
kit allows it to this machine (loopback) always, and to a class exchange on a class network only
when the user opts in with ``MEXC_CLASS_NETWORK=1``: the keys a class exchange issues are
throwaway and stop working when it stops. MEXC's own hosts are https only, whatever the opt-in.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from urllib.parse import urlsplit

from .endpoints import FUTURES_BASE_URL, SPOT_BASE_URL

LIVE_HOSTS = ("api.mexc.com", "contract.mexc.com")

LAB_URL_VARIABLE = "MEXC_LAB_URL"  # a class (or any local) exchange: labs, client and CLI all follow it
BASE_URL_VARIABLE = "MEXC_BASE_URL"  # another MEXC-compatible host (a proxy); MEXC_LAB_URL wins over it
CLASS_NETWORK_VARIABLE = "MEXC_CLASS_NETWORK"  # "1": plain http to a class exchange is intended

_TRUE = ("1", "true", "yes", "on")


class BaseURLError(ValueError):
    """A base URL the kit will not send keys to; the message says what to use instead."""


def is_loopback(base_url: str) -> bool:
    """True for http(s)://127.x.x.x, [::1] or localhost: this machine, where plain http is fine."""
    host = urlsplit(base_url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def is_mexc_host(base_url: str) -> bool:
    """True for MEXC's own hosts (and their subdomains)."""
    host = (urlsplit(base_url).hostname or "").lower()
    return host == "mexc.com" or host.endswith(".mexc.com")


def may_be_live(base_url: str) -> bool:
    """True unless the exchange is surely a lab one: this machine, or plain http (a class exchange).

    Anything reached over https may be MEXC or a proxy to it: real money, real orders.
    """
    return not is_loopback(base_url) and urlsplit(base_url).scheme != "http"


def class_network_opted_in(environ: Mapping[str, str]) -> bool:
    """Whether the user said plain http to a class exchange is intended (``MEXC_CLASS_NETWORK=1``)."""
    return environ.get(CLASS_NETWORK_VARIABLE, "").strip().lower() in _TRUE


def check_base_url(base_url: object, *, class_network: bool = False) -> str:
    """The base URL without a trailing slash, or :class:`BaseURLError` saying why keys must not go there.

    http(s) only, with a host and no query; plain http only to this machine, or to a class exchange
    when ``class_network`` is true; never plain http to MEXC itself.
    """
    if not isinstance(base_url, str):
        raise BaseURLError(f"base URL must be a str like https://api.mexc.com, not {type(base_url).__name__}")
    parts = urlsplit(base_url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BaseURLError(f"base URL {base_url!r} is not an http(s) URL, like https://api.mexc.com")
    if parts.query or parts.fragment:
        raise BaseURLError(f"base URL {base_url!r} holds a query or fragment: give just scheme, host and port")
    if parts.scheme == "http" and not is_loopback(base_url):
        if is_mexc_host(base_url):
            raise BaseURLError(f"refusing plain http to {parts.hostname}: MEXC is https only")
        if not class_network:
            raise BaseURLError(
                f"refusing plain http to {parts.hostname}: your keys would cross the network in clear text. "
                f"For a class exchange on a class network, export {CLASS_NETWORK_VARIABLE}=1"
            )
    return base_url.strip().rstrip("/")


def resolve_base_url(explicit: str | None, environ: Mapping[str, str], default: str = SPOT_BASE_URL) -> str:
    """The exchange to talk to: ``explicit``, else ``MEXC_LAB_URL``, else ``MEXC_BASE_URL``, else ``default``.

    The result has passed :func:`check_base_url` under the environment's class-network opt-in.
    """
    chosen = explicit or environ.get(LAB_URL_VARIABLE) or environ.get(BASE_URL_VARIABLE) or default
    return check_base_url(chosen, class_network=class_network_opted_in(environ))


def futures_base_url_for(spot_base_url: str) -> str:
    """The futures host that goes with a spot base URL: contract.mexc.com for MEXC, the same host otherwise.

    The local and class exchanges serve both APIs on one port.
    """
    return FUTURES_BASE_URL if spot_base_url == SPOT_BASE_URL else spot_base_url
