"""The search for the chain of client bugs that reproduces a user's signature: a match is proof.

Chains of up to three bugs from different families (:mod:`.bugs`) are tried, fewest bugs first, so
the simplest explanation wins: every message a chain of message bugs produces is signed with every
key a chain of key bugs produces, and compared with the signature as sent (uppercase hex and base64
read as forms of the digest). Past that, every other ordering of up to eight parameters is tried
alone (more: each single move, each swap and the reversal), as the order search always has.

The secret stays in this call: the keyed HMAC states are local, and nothing is cached.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import itertools
import re
from operator import itemgetter
from typing import NamedTuple

from . import bugs
from .bugs import Bug, Shape
from .encoders import CANONICAL

MAX_BUGS = 3
# Past this many parameters (a pasted request, not a real order) chains are not searched, single bugs are.
MAX_CHAIN_PARAMS = 64
# When chains of the same length sign the same bytes, the first family here names them: a JSON body signed
# on its own explains better than "every query parameter added after signing".
PREFERENCE = ("join", "encoding", "order", "framing", "added")
# Every ordering of up to this many parameters is tried (8! = 40,320 HMACs); past it, each single move,
# each swap and the reversal; past MAX_MOVED (n * n strings of n parameters each), the reversal alone.
MAX_EXHAUSTIVE = 8
MAX_MOVED = 32
_HEX = re.compile(r"[0-9A-Fa-f]{64}")
_BLOCK = 64  # SHA-256's block size in bytes
_INNER = bytes(byte ^ 0x36 for byte in range(256))
_OUTER = bytes(byte ^ 0x5C for byte in range(256))


class Match(NamedTuple):
    """A chain that reproduces the signature: its bugs in signing order, and the string each step produced."""

    bugs: tuple[Bug, ...]
    signed: str  # the message the client signed
    steps: tuple[tuple[Bug, str], ...]  # each bug with the message (or key, form) after it
    same_bytes: tuple[Bug, ...] = ()  # the other encodings that sign exactly the same string

    @property
    def causes(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(cause for bug in self.bugs for cause in bug.causes))


def read_signature(signature: str) -> tuple[bytes, Bug | None] | None:
    """The digest a signature carries and the form it was sent in (None: lowercase hex), or None if unreadable."""
    text = signature.strip()
    if _HEX.fullmatch(text):
        return bytes.fromhex(text), (bugs.UPPERCASE if text != text.lower() else None)
    try:  # a '+' of base64 sent raw in a query arrives as a space
        digest = base64.b64decode(text.replace(" ", "+"), validate=True)
    except (binascii.Error, ValueError):
        return None
    return (digest, bugs.BASE64) if len(digest) == 32 else None


def search(shape: Shape, secret: str, signature: str, language: str | None = None) -> Match | None:
    """The simplest chain of client bugs whose signature is ``signature``, or None when none is known."""
    read = read_signature(signature)
    if read is None:
        return None
    digest, form = read
    budget = MAX_BUGS - (form is not None)
    if len(shape.pairs) > MAX_CHAIN_PARAMS:  # no bot sends so many: one bug at a time keeps the search bounded
        budget = min(budget, 1)
    families = {family: _members(shape, family, language) for family in PREFERENCE}
    keys = _Keys(secret)
    seen: set[str] = set()
    by_size: list[list] = []
    for size in range(budget + 1):  # messages are built only as far as the search gets
        by_size.append(_messages(shape, families, size, seen))
        for count in range(size, -1, -1):  # message bugs before key bugs: bots get those more often
            for key_chain, key in keys.with_bugs(size - count):
                found = _first_signing(key, key_chain, by_size[count], digest)
                if found is not None:
                    return _match(shape, secret, found, key_chain, form)
    return _search_orderings(shape, secret, digest, form)


def _first_signing(key, key_chain, messages, digest: bytes):
    """The first chain whose message, signed with ``key``, gives ``digest`` (the search's inner loop: ~40,000
    HMACs for three bugs, so the HMAC is written out here on pre-encoded messages)."""
    if key_chain and key_chain[-1] is bugs.HMAC_SWAPPED:
        for chain, _, message in messages:
            if hmac.new(message, key, hashlib.sha256).digest() == digest:
                return chain
        return None
    inner, outer = key
    for chain, _, message in messages:
        inner_state, outer_state = inner.copy(), outer.copy()
        inner_state.update(message)
        outer_state.update(inner_state.digest())
        if outer_state.digest() == digest:
            return chain
    return None


def _members(shape: Shape, family: str, language: str | None) -> list[Bug]:
    found = getattr(bugs, f"{family}_bugs")(shape)
    if family == "encoding" and language:  # among calls that produce the same bytes, the paste's language first
        found.sort(key=lambda bug: bug.value.language != language)
    return found


def _messages(shape: Shape, families: dict[str, list[Bug]], size: int, seen: set[str]) -> list:
    """The messages chains of exactly ``size`` message bugs produce that no shorter chain produced."""
    found = []
    names = [family for family, members in families.items() if members]
    for chosen in itertools.combinations(names, size):
        for chain in itertools.product(*(families[family] for family in chosen)):
            text = bugs.message(shape, {bug.family: bug for bug in chain})
            if text not in seen:
                seen.add(text)
                found.append((chain, text, text.encode("utf-8", "surrogatepass")))
    return found


class _Keys:
    """The keys to try by the number of key bugs they carry, each keyed once when first needed."""

    def __init__(self, secret: str):
        self.secret, self.made = secret, {}

    def with_bugs(self, count: int) -> list:
        if count not in self.made:
            secret, padded = self.secret, bugs.secret_bugs()
            if count == 0:
                made = [((), _keyed(secret))]
            elif count == 1:
                made = [((bug,), _keyed(bugs.key_for(secret, bug))) for bug in padded]
                made.append(((bugs.HMAC_SWAPPED,), secret.encode()))
            elif count == 2:
                made = [((bug, bugs.HMAC_SWAPPED), bugs.key_for(secret, bug).encode()) for bug in padded]
            else:
                made = []
            self.made[count] = made
        return self.made[count]


def _keyed(key: str) -> tuple:
    """HMAC-SHA256's two keyed states for ``key`` (RFC 2104), copied for each message: local, never cached."""
    raw = key.encode("utf-8", "surrogatepass")
    if len(raw) > _BLOCK:
        raw = hashlib.sha256(raw).digest()
    raw = raw.ljust(_BLOCK, b"\0")
    return hashlib.sha256(raw.translate(_INNER)), hashlib.sha256(raw.translate(_OUTER))


def _match(shape: Shape, secret: str, chain, key_chain, form) -> Match:
    """The chain found, with the string each message bug produced on the way (and the key bugs, the form)."""
    steps, applied = [], {}
    for bug in sorted(chain, key=lambda bug: bugs.FAMILIES.index(bug.family)):
        applied[bug.family] = bug
        steps.append((bug, bugs.message(shape, applied)))
    signed = bugs.message(shape, applied)
    steps += [(bug, signed) for bug in key_chain]
    if form is not None:
        steps.append((form, signed))
    same = ()
    if "encoding" in applied:  # several languages' calls often encode these values alike: name them all
        others = [bug for bug in bugs.encoding_bugs(shape) if bug != applied["encoding"]]
        same = tuple(bug for bug in others if bugs.message(shape, {**applied, "encoding": bug}) == signed)
    return Match(tuple(bug for bug, _ in steps), signed, tuple(steps), same)


# --- every other ordering, alone --------------------------------------------------------------


def _search_orderings(shape: Shape, secret: str, digest: bytes, form: Bug | None) -> Match | None:
    if shape.futures_post or shape.body or shape.json_body is not None:
        return None
    pairs = shape.query
    encoded = shape.encoded(CANONICAL)
    if len(pairs) < 2:
        return None
    order_bug = bugs.order_bugs(shape)[0]
    inner, outer = _keyed(secret)
    seen = {tuple(range(len(pairs))), tuple(sorted(range(len(pairs)), key=lambda i: pairs[i]))}
    for order in _index_orders(len(pairs)):
        if order in seen:
            continue
        seen.add(order)
        text = shape.prefix + "&".join(itemgetter(*order)(encoded))
        inner_state, outer_state = inner.copy(), outer.copy()  # _digest, inlined: this loop runs 40,320 times
        inner_state.update(text.encode("utf-8", "surrogatepass"))
        outer_state.update(inner_state.digest())
        if outer_state.digest() == digest:
            steps = ((order_bug, text),) + (((form, text),) if form is not None else ())
            return Match(tuple(bug for bug, _ in steps), text, steps)
    return None


def _index_orders(count: int):
    if count <= MAX_EXHAUSTIVE:
        yield from itertools.permutations(range(count))
        return
    indexes = list(range(count))
    yield tuple(reversed(indexes))
    if count > MAX_MOVED:
        return
    for source in indexes:
        for target in indexes:
            if source != target:
                moved = indexes[:source] + indexes[source + 1 :]
                moved.insert(target, source)
                yield tuple(moved)
    for first, second in itertools.combinations(indexes, 2):
        swapped = list(indexes)
        swapped[first], swapped[second] = second, first
        yield tuple(swapped)
