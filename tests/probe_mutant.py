"""A local exchange with ONE of the kit's rules changed, served in its own process.

    python tests/probe_mutant.py MUTATION      (keys from MEXC_API_KEY / MEXC_SECRET_KEY)

It prints its base URL on one line, then serves until its stdin closes. It runs apart from the test
because the probe predicts with the kit's rules in the test's own process: changing a rule there
would change the prediction too. Each mutation is a plain assignment over a module's name, as
monkeypatch would do it; tests/test_probe.py checks that exactly the experiment on that rule notices.
"""

from __future__ import annotations

import os
import sys
from urllib.parse import quote

from mexc_helpers.protocol import clock, encoding, verify
from mexc_helpers.server.exchange import LocalExchange


def keep_asterisk() -> None:
    """The server's canonical form keeps ``*`` unencoded (the kit encodes it as %2A)."""
    encoding.percent_encode = lambda text: quote(text, safe="*")


def symmetric_window() -> None:
    """The spot window is symmetric: a timestamp ahead is accepted up to recvWindow (the kit: under 1000 ms)."""
    verify.timestamp_verdict = lambda timestamp, server_time, recv_window=5000: clock.futures_time_verdict(
        timestamp, server_time, recv_window / 1000
    )


def signature_first() -> None:
    """The signature (700002) is checked before the time window (700003); the kit checks the window first."""
    original = verify.spot_verdicts

    def spot_verdicts(request, **kwargs):
        verdicts = original(request, **kwargs)
        codes = [verdict.code for verdict in verdicts]
        if 700002 in codes and 700003 in codes:
            verdicts.insert(codes.index(700003), verdicts.pop(codes.index(700002)))
        return verdicts

    verify.spot_verdicts = spot_verdicts


MUTATIONS = {"keep-asterisk": keep_asterisk, "symmetric-window": symmetric_window, "signature-first": signature_first}


def main(mutation: str) -> None:
    MUTATIONS[mutation]()
    with LocalExchange(api_key=os.environ["MEXC_API_KEY"], secret=os.environ["MEXC_SECRET_KEY"]) as exchange:
        print(exchange.base_url, flush=True)
        sys.stdin.read()


if __name__ == "__main__":
    main(sys.argv[1])
