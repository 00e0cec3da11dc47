"""Shared fixtures: a local exchange on a frozen clock, so time-window tests are exact to the millisecond."""

from __future__ import annotations

import pytest

from mexc_helpers.server.exchange import LocalExchange

# MEXC's public example pair, copied from the spot V3 docs (docs/protocol.md#test-vectors), not from the package.
DOCS_KEY = "mx0aBYs33eIilxBWC5"
DOCS_SECRET = "45d0b3c26f2644f19bfb98b07741b2f5"
NOW = 1_700_000_000_000  # the frozen server clock, ms


class FrozenClock:
    """A clock that only moves when a test moves it."""

    def __init__(self, ms: int):
        self.ms = ms

    def __call__(self) -> int:
        return self.ms


@pytest.fixture
def clock():
    return FrozenClock(NOW)


@pytest.fixture
def exchange(clock):
    with LocalExchange(clock=clock) as ex:
        yield ex


@pytest.fixture
def creds(exchange):
    """Keyword arguments for sign_spot/sign_futures against the local exchange."""
    return {"api_key": DOCS_KEY, "secret": DOCS_SECRET, "base_url": exchange.base_url}
