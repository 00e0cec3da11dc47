"""Time rules: when MEXC accepts a request's timestamp (docs/protocol.md#spot-time-window).

Spot V3 (error 700003): the window is asymmetric. A request is accepted iff

    timestamp < serverTime + 1000   and   serverTime - timestamp <= recvWindow

so a client clock running one second ahead is refused, while one running behind is tolerated up
to recvWindow (default 5000 ms, at most 60000 ms: error 700005 above that).

Futures (error 513): ``Request-Time`` must lie within ``Recv-Window`` seconds (default 10, at
most 60) of server time. The docs describe it as "more or less than 10 seconds", so the kit treats
that window as symmetric (inferred: MEXC does not document an asymmetry there;
docs/protocol.md#futures-time-window).

Pure functions over integers: the one place the kit reads this machine's clock is :func:`now_ms`,
the signer's default timestamp. Measuring the server's clock is I/O and lives in
:class:`mexc_helpers.client.ServerClock`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from .numbers import parse_whole

DEFAULT_RECV_WINDOW_MS = 5000
MAX_RECV_WINDOW_MS = 60000
AHEAD_LIMIT_MS = 1000
DEFAULT_FUTURES_WINDOW_S = 10
MAX_FUTURES_WINDOW_S = 60
# A millisecond timestamp below this is before March 1973: a timestamp in seconds, not milliseconds.
SMALLEST_MS_TIMESTAMP = 100_000_000_000
# Digits a time value may have: 13 for milliseconds until the year 2286; more is not a time.
MAX_TIME_DIGITS = 16


def parse_ms(text: str | None) -> int | None:
    """The whole number in ``text`` if it is 1 to 16 ASCII digits, else None.

    ``str.isdigit()`` accepts ``²`` and other Unicode digits that ``int()`` then refuses: a
    time parameter must be plain ASCII digits (MEXC answers 700008 otherwise).
    """
    return parse_whole(text, MAX_TIME_DIGITS)


def looks_like_seconds(timestamp: int) -> bool:
    """True for a timestamp in seconds (or any value before 1973 in ms): far outside every window (700003)."""
    return timestamp < SMALLEST_MS_TIMESTAMP


def now_ms() -> int:
    """This machine's time in whole milliseconds since the epoch, as MEXC timestamps are."""
    return time.time_ns() // 1_000_000


@dataclass(frozen=True)
class WindowCheck:
    """Whether a timestamp is inside the window, and by how much.

    ``reason`` is ``ok``, ``ahead`` or ``expired``. ``margin_ms`` is the distance to the nearest
    edge: 0 means the last accepted millisecond, -1 means refused by one millisecond.
    """

    accepted: bool
    reason: str
    margin_ms: int

    def __str__(self) -> str:
        if self.accepted:
            return f"accepted, {self.margin_ms} ms from the edge of the window"
        side = "ahead of server time" if self.reason == "ahead" else "behind server time, past the window"
        return f"refused: {-self.margin_ms} ms too far {side}"


def _judge(ahead_room: int, behind_room: int) -> WindowCheck:
    """The verdict from the room left on each side of the window (negative: outside by that much)."""
    if ahead_room < 0:
        return WindowCheck(False, "ahead", ahead_room)
    if behind_room < 0:
        return WindowCheck(False, "expired", behind_room)
    return WindowCheck(True, "ok", min(ahead_room, behind_room))


def timestamp_verdict(timestamp: int, server_time: int, recv_window: int = DEFAULT_RECV_WINDOW_MS) -> WindowCheck:
    """Apply spot V3's asymmetric window: refuse ``ahead`` at +1000 ms, ``expired`` past recvWindow.

    Refused requests get 700003 "Timestamp for this request is outside of the recvWindow."
    """
    ahead_room = server_time + AHEAD_LIMIT_MS - 1 - timestamp
    behind_room = recv_window - (server_time - timestamp)
    return _judge(ahead_room, behind_room)


def futures_time_verdict(
    request_time: int, server_time: int, recv_window_s: int = DEFAULT_FUTURES_WINDOW_S
) -> WindowCheck:
    """Apply the futures window: ``|serverTime - Request-Time| <= Recv-Window`` seconds (513 otherwise)."""
    window_ms = recv_window_s * 1000
    ahead_room = window_ms - (request_time - server_time)
    behind_room = window_ms - (server_time - request_time)
    return _judge(ahead_room, behind_room)
