"""Canonical value encoding: the form MEXC's server rebuilds before it checks a signature.

The most frequent real cause of spot error 700002 is not the hash but the bytes fed to it. MEXC
decodes every parameter it receives and re-encodes it in one canonical form before it verifies
(inferred from MEXC's official demos and client fixes; docs/protocol.md#canonical-encoding). So a client must
sign exactly that form:

* keep ``A-Z a-z 0-9 - . _ ~``; percent-encode every other byte of the UTF-8 value;
* use uppercase hex (``,`` is ``%2C``, never ``%2c``);
* a space is ``%20``, never ``+``; ``(`` and ``)`` are ``%28`` and ``%29``.

Whether MEXC itself keeps ``~`` (or ``*``) unencoded is not documented. The kit keeps ``~`` and
encodes ``*``, which is what ccxt sends and MEXC accepts.
"""

from __future__ import annotations

import json
import math
from decimal import Decimal
from urllib.parse import quote

from .numbers import MAX_DECIMAL_EXPONENT

UNRESERVED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
_HEX = "0123456789ABCDEFabcdef"


class EncodingError(ValueError):
    """A value cannot be put into a signed MEXC request as given."""


def percent_encode(text: str) -> str:
    """Percent-encode ``text`` in MEXC's canonical form (uppercase hex, space as ``%20``).

    Signing any other form (``+`` for space, ``%2c``, a raw ``(``) is refused with 700002.
    """
    if not text.strip(UNRESERVED):
        return text  # fast path: nothing to escape
    return quote(text, safe="")


def format_value(value: object) -> str:
    """Turn one parameter value into the text MEXC expects, before percent-encoding.

    Numbers never use exponent notation (``0.00001`` stays ``0.00001``: ``1e-05`` is not a
    price MEXC parses); NaN and infinity are refused; booleans are ``true``/``false``; lists
    and dicts (batch orders) become compact JSON.
    """
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise EncodingError(f"value {value!r} is not a finite number: send a real price or quantity")
        return format(Decimal(repr(value)), "f")
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise EncodingError(f"value {value!r} is not a finite number: send a real price or quantity")
        if value and not -MAX_DECIMAL_EXPONENT <= value.adjusted() <= MAX_DECIMAL_EXPONENT:
            raise EncodingError(f"value {value!r} is beyond 10**±{MAX_DECIMAL_EXPONENT}: no price or quantity is")
        return format(value, "f")
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=_json_number)
    raise EncodingError(
        f"cannot encode a {type(value).__name__} value: expected str, int, float, Decimal, bool, list or dict"
    )


def _json_number(value: object) -> str:
    if isinstance(value, Decimal):
        return format_value(value)
    raise EncodingError(f"cannot put a {type(value).__name__} into a batch parameter: expected JSON-able values")


def encode_params(params) -> str:
    """Encode parameters in MEXC's canonical form, ``k=v`` joined by ``&``, in the order given.

    Order is preserved on purpose: spot V3 verifies the parameters in the order they arrive, so
    sorting is neither required nor harmful, as long as what you sign is what you send.
    ``None`` values are dropped (sending ``price=None`` is a classic 700002).
    """
    parts = []
    for key, value in params.items() if hasattr(params, "items") else params:
        if value is None:
            continue
        # Fast path: most names and values (symbols, ints, plain decimals) need no escaping at all.
        if type(key) is str and not key.strip(UNRESERVED):
            kind = type(value)
            if kind is int or (kind is str and not value.strip(UNRESERVED)):
                parts.append(f"{key}={value}")
                continue
        parts.append(f"{percent_encode(str(key))}={percent_encode(format_value(value))}")
    return "&".join(parts)


def strict_unquote(text: str, *, plus_is_space: bool = True) -> str:
    """Decode a percent-encoded query component the way a strict server does.

    ``+`` means space in a form-encoded query. A ``%`` not followed by two hex digits, or
    bytes that are not UTF-8, raise :class:`EncodingError` (MEXC answers 700008 "Illegal
    characters found in parameter").
    """
    if plus_is_space:
        text = text.replace("+", " ")
    if "%" not in text:
        return text
    raw = bytearray()
    index = 0
    while index < len(text):
        char = text[index]
        if char == "%":
            escape = text[index + 1 : index + 3]
            if len(escape) != 2 or escape[0] not in _HEX or escape[1] not in _HEX:
                raise EncodingError(f"bad percent escape {text[index : index + 3]!r}: expected % and two hex digits")
            raw.append(int(escape, 16))
            index += 3
        else:
            raw.extend(char.encode("utf-8"))
            index += 1
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise EncodingError(f"percent escapes do not decode as UTF-8 ({exc.reason})") from None


def parse_query(query: str) -> list[tuple[str, str]]:
    """Split a raw query (or form body) into decoded ``(name, value)`` pairs, in order.

    Empty pieces (``a=1&&b=2``) are skipped; a piece without ``=`` is a name with an empty value.
    """
    pairs = []
    for piece in query.split("&"):
        if not piece:
            continue
        name, _, value = piece.partition("=")
        pairs.append((strict_unquote(name), strict_unquote(value)))
    return pairs


def canonical_query(pairs) -> str:
    """Rebuild the canonical string from decoded pairs: what the server signs."""
    return "&".join(f"{percent_encode(name)}={percent_encode(value)}" for name, value in pairs)
