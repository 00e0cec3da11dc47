"""HMAC-SHA256 as MEXC uses it, with each secret's keyed state computed once.

HMAC(K, m) = H((K ^ opad) || H((K ^ ipad) || m)). The two keyed SHA-256 states depend only on the
secret, so they are computed once per secret and copied for each message, as RFC 2104 section 4
suggests. The result is byte-for-byte ``hmac.new(secret, message, sha256).hexdigest()`` (the
tests check it against both), at about half the cost of setting up a new HMAC each time. The
cache is bounded (64 secrets), holds no secret, and can be cleared (:func:`forget`).
"""

from __future__ import annotations

import hashlib
import threading

_BLOCK_SIZE = 64  # SHA-256's block size in bytes
_INNER_PAD = bytes(byte ^ 0x36 for byte in range(256))
_OUTER_PAD = bytes(byte ^ 0x5C for byte in range(256))
CACHE_SIZE = 64  # secrets whose keyed states are kept; the oldest goes first

# Keyed by hash(secret): Python's per-process salted string hash, stored in the str itself, so a
# lookup costs no hashing. The cache never holds the secret (nor anything it can be read back
# from); two secrets colliding on 64 bits among 64 entries is a chance of about 1e-16.
_states: dict[int, tuple] = {}
_lock = threading.Lock()  # for changes; a lookup is one dict.get, atomic in CPython


def _keyed_states(secret: str):
    """Compute and cache the secret's two keyed SHA-256 states (callers look in the cache first)."""
    key = secret.encode()
    if len(key) > _BLOCK_SIZE:
        key = hashlib.sha256(key).digest()
    key = key.ljust(_BLOCK_SIZE, b"\0")
    states = hashlib.sha256(key.translate(_INNER_PAD)), hashlib.sha256(key.translate(_OUTER_PAD))
    with _lock:
        _states[hash(secret)] = states
        while len(_states) > CACHE_SIZE:
            del _states[next(iter(_states))]
    return states


def forget(secret: str) -> None:
    """Drop one secret's keyed states (the doctor panel calls it once a diagnosis is done)."""
    with _lock:
        _states.pop(hash(secret), None)


def forget_all() -> None:
    """Drop every cached keyed state."""
    with _lock:
        _states.clear()


def hmac_sha256_hex(secret: str, message: str) -> str:
    """Lowercase hex HMAC-SHA256 of ``message`` (UTF-8) keyed by ``secret`` (UTF-8).

    Lowercase matters: MEXC refuses an uppercase hex signature with 700002.
    """
    inner_keyed, outer_keyed = _states.get(hash(secret)) or _keyed_states(secret)
    inner = inner_keyed.copy()
    inner.update(message.encode())
    outer = outer_keyed.copy()
    outer.update(inner.digest())
    return outer.hexdigest()
