"""Time rules: when MEXC accepts a request's timestamp.

Spot V3 (error 700003): the window is asymmetric. A request is accepted iff

    timestamp < serverTime + 1000   and   serverTime - timestamp <= recvWindow

so a client clock running one second ahead is refused, while one running behind is tolerated up
to recvWindow (default 5000 ms, at most 60000 ms: error 700005 above that).

Futures (error 513): ``Request-Time`` must lie within ``Recv-Window`` seconds (default 10, at
most 60) of server time. The docs describe it as "more or less than 10 seconds", so the kit treats
that window as symmetric (inferred: MEXC does not document an asymmetry there).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

DEFAULT_RECV_WINDOW_MS = 5000
MAX_RECV_WINDOW_MS = 60000
AHEAD_LIMIT_MS = 1000
DEFAULT_CONTRACT_WINDOW_S = 10
MAX_CONTRACT_WINDOW_S = 60


def now_ms() -> int:
    """This machine's time in whole milliseconds since the epoch, as MEXC timestamps are."""
    return time.time_ns() // 1_000_000


@dataclass(frozen=True)
class TimestampVerdict:
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


def _judge(ahead_room: int, behind_room: int) -> TimestampVerdict:
    """The verdict from the room left on each side of the window (negative: outside by that much)."""
    if ahead_room < 0:
        return TimestampVerdict(False, "ahead", ahead_room)
    if behind_room < 0:
        return TimestampVerdict(False, "expired", behind_room)
    return TimestampVerdict(True, "ok", min(ahead_room, behind_room))


def timestamp_verdict(timestamp: int, server_time: int, recv_window: int = DEFAULT_RECV_WINDOW_MS) -> TimestampVerdict:
    """Apply spot V3's asymmetric window: refuse ``ahead`` at +1000 ms, ``expired`` past recvWindow.

    Refused requests get 700003 "Timestamp for this request is outside of the recvWindow."
    """
    ahead_room = server_time + AHEAD_LIMIT_MS - 1 - timestamp
    behind_room = recv_window - (server_time - timestamp)
    return _judge(ahead_room, behind_room)


def contract_time_verdict(
    request_time: int, server_time: int, recv_window_s: int = DEFAULT_CONTRACT_WINDOW_S
) -> TimestampVerdict:
    """Apply the futures window: ``|serverTime - Request-Time| <= Recv-Window`` seconds (513 otherwise)."""
    window_ms = recv_window_s * 1000
    ahead_room = window_ms - (request_time - server_time)
    behind_room = window_ms - (server_time - request_time)
    return _judge(ahead_room, behind_room)


@dataclass(frozen=True)
class ClockSample:
    """One ``/api/v3/time`` call: local time when sent and received, and the server's answer."""

    sent_ms: int
    received_ms: int
    server_ms: int

    @property
    def round_trip_ms(self) -> int:
        return self.received_ms - self.sent_ms

    @property
    def offset_ms(self) -> int:
        """Server time minus local time, assuming the server answered halfway through the round trip."""
        return self.server_ms - (self.sent_ms + self.round_trip_ms // 2)


@dataclass
class ServerClock:
    """Estimate how far the server's clock is from yours, and give timestamps on the server's clock.

    It asks ``/api/v3/time`` several times and trusts the sample with the smallest round trip (the
    least delayed by the network), assuming the server read its clock halfway through that round
    trip. Then ``now()`` is local time plus that offset: sign with it and 700003 goes away.
    """

    base_url: str
    samples: int = 5
    local_clock: object = now_ms
    session: object = None
    path: str = "/api/v3/time"
    offset_ms: int | None = None
    history: list[ClockSample] = field(default_factory=list)

    def sync(self) -> int:
        """Take fresh samples and return the estimated offset (server minus local, in ms)."""
        import requests

        session = self.session or requests.Session()
        taken = []
        for _ in range(self.samples):
            sent = self.local_clock()
            server = session.get(self.base_url + self.path, timeout=10).json()["serverTime"]
            taken.append(ClockSample(sent, self.local_clock(), int(server)))
        self.history = taken
        self.offset_ms = min(taken, key=lambda sample: sample.round_trip_ms).offset_ms
        return self.offset_ms

    def now(self) -> int:
        """A timestamp on the server's clock (syncs first if it never did)."""
        if self.offset_ms is None:
            self.sync()
        return self.local_clock() + self.offset_ms
