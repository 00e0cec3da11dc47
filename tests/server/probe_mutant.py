"""A local exchange with ONE of the kit's rules changed, served in its own process.

    python tests/server/probe_mutant.py MUTATION      (keys from MEXC_API_KEY / MEXC_SECRET_KEY)

It prints its base URL on one line, then serves until its stdin closes. It runs apart from the test
because the probe predicts with the kit's rules in the test's own process: changing a rule there
would change the prediction too. Each mutation is a plain assignment over a module's name (or, for how a
request is read, a property of ReceivedRequest), as monkeypatch would do it; tests/server/test_probe.py checks that
exactly the experiment on that rule notices.
"""

from __future__ import annotations

import os
import sys
from urllib.parse import quote

from mexc_helpers.protocol import clock, encoding, request, verify
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


def body_signature_missing() -> None:
    """A signature in a form body is not read (700004, as if missing); the kit reads it there, as MEXC's docs allow."""
    place = request.ReceivedRequest.signature_place.fget
    request.ReceivedRequest.signature_place = property(lambda self: None if place(self) == "form" else place(self))


def json_signed_as_form() -> None:
    """A JSON body is signed as the k=v form of its members; the kit signs the JSON text as sent."""
    signed_string = request.ReceivedRequest.spot_signed_string.fget

    def spot_signed_string(self) -> str:
        if not self.json_pairs:
            return signed_string(self)
        return encoding.canonical_query(self.spot_pairs + self.json_pairs)

    request.ReceivedRequest.spot_signed_string = property(spot_signed_string)


def body_value_wins() -> None:
    """A spot parameter in both the query and the body takes the body's value; MEXC's docs say the query's."""
    params = request.ReceivedRequest.params.fget

    def body_last(self) -> dict[str, str]:
        if self.api != "spot":
            return params(self)
        body = [(name, value) for name, value in self.json_pairs + self.spot_body_pairs if name != "signature"]
        return {**params(self), **dict(body)}

    request.ReceivedRequest.params = property(body_last)


def recv_window_ms() -> None:
    """A futures Recv-Window is read in milliseconds (up to 60000), as MEXC's own futures demo sends it; the kit
    reads seconds (up to 60) as documented."""
    window = verify._window

    def in_ms(verdicts, text, name, unit, default, lowest, highest, codes):
        if name != "Recv-Window" or text is None:
            return window(verdicts, text, name, unit, default, lowest, highest, codes)
        sent = window(verdicts, text, name, "ms", default, lowest, highest * 1000, codes)
        return None if sent is None else sent / 1000  # the window is judged in seconds

    verify._window = in_ms


MUTATIONS = {
    "keep-asterisk": keep_asterisk,
    "symmetric-window": symmetric_window,
    "signature-first": signature_first,
    "body-signature-missing": body_signature_missing,
    "json-signed-as-form": json_signed_as_form,
    "body-value-wins": body_value_wins,
    "recv-window-ms": recv_window_ms,
}


def main(mutation: str) -> None:
    MUTATIONS[mutation]()
    with LocalExchange(api_key=os.environ["MEXC_API_KEY"], secret=os.environ["MEXC_SECRET_KEY"]) as exchange:
        print(exchange.base_url, flush=True)
        sys.stdin.read()


if __name__ == "__main__":
    main(sys.argv[1])
