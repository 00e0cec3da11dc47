"""Bounded number parsing: every number a client sends is read here, in time and memory that a hostile
client cannot stretch.

``int("²")`` raises although ``"²".isdigit()`` is true; ``int(Decimal("1E+1000000"))`` builds a
million-digit integer; ``float(Decimal("1E+999999"))`` is infinity, which JSON cannot carry. So the
protocol's integers are ASCII digits of bounded length, and an order's numbers are plain decimals
with a bounded number of digits and a bounded exponent (docs/protocol.md#timestamp-milliseconds).
"""

from __future__ import annotations

import re
from decimal import Decimal

_ASCII_DIGITS = frozenset("0123456789")
# An order's number: optional sign, digits with an optional point, an optional small exponent.
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]{1,3})?")
MAX_NUMBER_CHARS = 40  # more than any price, quantity or volume; far less than a stall
MAX_DECIMAL_EXPONENT = 30  # 10**30 and 10**-30: beyond any real order, and still a finite float


def parse_whole(text: object, max_digits: int) -> int | None:
    """The whole number in ``text`` if it is 1 to ``max_digits`` ASCII digits, else None.

    ``str.isdigit()`` also accepts ``²`` and other Unicode digits that ``int()`` refuses, and an
    unbounded ``int()`` of a huge digit string is slow: both are refused here.
    """
    if type(text) is not str or not text or len(text) > max_digits or not _ASCII_DIGITS.issuperset(text):
        return None
    return int(text)


def parse_decimal(value: object) -> Decimal | None:
    """An order's number (price, quantity, volume) as a finite Decimal, or None if it is not one.

    Accepts an int, a finite float or a plain decimal string of ASCII digits (``"0.001"``,
    ``"6e4"``), at most 40 characters, with a magnitude between 10**-30 and 10**30. NaN,
    infinity, ``"1E+1000000"`` and Unicode digits are refused.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        text = str(value) if -(10**MAX_NUMBER_CHARS) < value < 10**MAX_NUMBER_CHARS else ""
    elif isinstance(value, float):
        text = repr(value)
    elif isinstance(value, str):
        text = value
    else:
        return None
    if len(text) > MAX_NUMBER_CHARS or not _DECIMAL.fullmatch(text):
        return None
    number = Decimal(text)
    if number and not -MAX_DECIMAL_EXPONENT <= number.adjusted() <= MAX_DECIMAL_EXPONENT:
        return None
    return number


def parse_small_int(value: object, allowed: range) -> int | None:
    """An enumerated field (futures ``side``, ``type``, ``openType``): an int (or its digits) in ``allowed``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = parse_whole(value, 3)
    elif isinstance(value, float) and value.is_integer():
        value = int(value)
    return value if isinstance(value, int) and value in allowed else None
