"""MEXC's rules as pure functions over strings and bytes: no sockets, no clock, standard library only.

The signer, the local exchange, the doctor, the labs and the browser build all call this code, so a
rule lives here once (docs/protocol.md has each rule with its source):

- :mod:`.encoding`: the canonical value encoding the server rebuilds before it verifies;
- :mod:`.digest`: HMAC-SHA256 as MEXC uses it;
- :mod:`.signing`: the spot V3 and futures signers;
- :mod:`.clock`: the time rules (the spot and futures windows);
- :mod:`.errors`: every error code, its meaning, its kind and its fix;
- :mod:`.envelope`: the answer's envelope, built and read once;
- :mod:`.endpoints`: which API a path belongs to, its host, public and POST-only paths;
- :mod:`.urls`: the one plain-http policy;
- :mod:`.request`: how the exchange reads a received request;
- :mod:`.verify`: the exchange's checks, one rule at a time, returning a :class:`~.verify.Verdict`;
- :mod:`.rules`: how sure the kit is of each rule (documented, observed or inferred).

Sending is not here: :mod:`mexc_helpers.transport` does it.
"""
