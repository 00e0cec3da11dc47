"""The time windows, exactly at their edges."""

import pytest

from mexc_helpers.protocol.clock import futures_time_verdict, timestamp_verdict

SERVER = 1_700_000_000_000


@pytest.mark.parametrize(
    ("offset", "recv_window", "accepted", "reason", "margin"),
    [
        (0, 5000, True, "ok", 999),
        (999, 5000, True, "ok", 0),
        (1000, 5000, False, "ahead", -1),
        (2500, 60000, False, "ahead", -1501),
        (-5000, 5000, True, "ok", 0),
        (-5001, 5000, False, "expired", -1),
        (-4000, 5000, True, "ok", 1000),
        (-59999, 60000, True, "ok", 1),
        (-70000, 60000, False, "expired", -10000),
    ],
)
def test_spot_window_is_asymmetric(offset, recv_window, accepted, reason, margin):
    verdict = timestamp_verdict(SERVER + offset, SERVER, recv_window)
    assert (verdict.accepted, verdict.reason, verdict.margin_ms) == (accepted, reason, margin)


def test_default_recv_window_is_5000():
    assert timestamp_verdict(SERVER - 5000, SERVER).accepted
    assert not timestamp_verdict(SERVER - 5001, SERVER).accepted


def test_verdict_reads_as_a_sentence():
    assert str(timestamp_verdict(SERVER + 1000, SERVER)) == "refused: 1 ms too far ahead of server time"
    assert str(timestamp_verdict(SERVER, SERVER)).startswith("accepted, 999 ms")


@pytest.mark.parametrize(
    ("offset", "window_s", "accepted", "reason"),
    [
        (10_000, 10, True, "ok"),
        (10_001, 10, False, "ahead"),
        (-10_000, 10, True, "ok"),
        (-10_001, 10, False, "expired"),
        (-59_000, 60, True, "ok"),
        (1000, 10, True, "ok"),
    ],
)
def test_futures_window_is_recv_window_seconds_either_side(offset, window_s, accepted, reason):
    verdict = futures_time_verdict(SERVER + offset, SERVER, window_s)
    assert (verdict.accepted, verdict.reason) == (accepted, reason)
