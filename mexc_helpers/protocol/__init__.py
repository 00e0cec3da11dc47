"""MEXC's rules as pure functions over strings and bytes: no sockets, no clock, standard library only.

The signer, the local exchange, the doctor, the labs and the browser build all call this code, so a
rule lives here once (docs/protocol.md has each rule with its source):

- :mod:`.encoding`: the canonical value encoding the server rebuilds before it verifies;
- :mod:`.digest`: HMAC-SHA256 as MEXC uses it;
- :mod:`.signing`: the spot V3 and futures signers;
- :mod:`.clock`: the time rules (the spot and futures windows);
- :mod:`.errors`: every error code, its meaning, its kind and its fix;
- :mod:`.urls`: MEXC's live hosts and the one plain-http policy;
- :mod:`.request`: how the exchange reads a received request;
- :mod:`.verify`: the exchange's checks, one rule at a time, returning a :class:`~.verify.Verdict`.
"""
