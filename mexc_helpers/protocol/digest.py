"""HMAC-SHA256 as MEXC uses it: the one place the kit computes it.

It is the standard library's ``hmac.new(secret, message, sha256).hexdigest()``, nothing more: caching each
secret's keyed SHA-256 states (RFC 2104 section 4) would save about 1.5 µs, a fifth of a ``sign_spot`` call,
too little to pay for a cache of secrets to bound and clear (benchmarks/bench_signing.py,
docs/performance.md#signing).
"""

from __future__ import annotations

import hashlib
import hmac


def hmac_sha256_hex(secret: str, message: str) -> str:
    """Lowercase hex HMAC-SHA256 of ``message`` (UTF-8) keyed by ``secret`` (UTF-8).

    Lowercase matters: MEXC refuses an uppercase hex signature with 700002.
    """
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()
