"""The bug recipes: for a request as sent, the strings that each known client bug would have signed.

The doctor signs each candidate with the user's secret and compares with the signature sent: a match
proves which bug the client has. Candidates come from the recipes below, never from a search over
parameter orderings, so a 20-parameter request costs a few dozen HMACs, not 20! of them.
"""

from __future__ import annotations

import itertools
import json
import re
from typing import NamedTuple
from urllib.parse import quote, quote_plus

from ..protocol.encoding import UNRESERVED, canonical_query
from ..protocol.request import parse_json

# What requests leaves unescaped when it puts a raw value into a URL (requote_uri's safe set).
_REQUESTS_SAFE = "!#$%&'()*+,/:;=?@[]~"
_LOWERCASE_ESCAPE = re.compile(r"%(?:[0-9a-f][a-f]|[a-f][0-9a-f])")
_ANY_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")


class Candidate(NamedTuple):
    """A string some client bug signs, and the causes (from the doctor's vocabulary) that produce it.

    A named tuple, not a dataclass: the order search makes tens of thousands of them.
    """

    causes: tuple[str, ...]
    signed_string: str
    secret_suffix: str = ""  # how the secret itself was mangled, for secret_whitespace
    secret_prefix: str = ""


def _encoded(pairs, style: str) -> str:
    """``pairs`` joined the way a client with encoding ``style`` would do it."""
    if style == "plus":
        quoted = [(quote_plus(k, safe=""), quote_plus(v, safe="")) for k, v in pairs]
    elif style == "lowercase":
        return _ANY_ESCAPE.sub(lambda m: m.group(0).lower(), canonical_query(pairs))
    elif style == "unescaped":
        quoted = list(pairs)
    elif style == "requests":
        quoted = [(quote(k, safe=_REQUESTS_SAFE), quote(v, safe=_REQUESTS_SAFE)) for k, v in pairs]
    else:
        return canonical_query(pairs)
    return "&".join(f"{k}={v}" for k, v in quoted)


ENCODING_CAUSE = {
    "plus": "encoding_plus_for_space",
    "lowercase": "encoding_lowercase_hex",
    "unescaped": "encoding_unescaped",
    "requests": "encoding_unescaped",
}


def sent_encoding_causes(raw: str) -> list[str]:
    """Which non-canonical encodings appear in a raw query or body, as sent."""
    causes = []
    if "+" in raw:
        causes.append("encoding_plus_for_space")
    if _LOWERCASE_ESCAPE.search(raw):
        causes.append("encoding_lowercase_hex")
    if raw.strip(UNRESERVED + "=&%+"):
        causes.append("encoding_unescaped")
    return causes


def without_signature(raw: str) -> str:
    return "&".join(piece for piece in raw.split("&") if piece and not piece.startswith("signature="))


SECRET_MANGLING = (("\n", ""), ("\r\n", ""), (" ", ""), ("", " "), ("", "\ufeff"))


def spot_candidates(pairs, body_pairs, raw_query: str, raw_body: str, json_body: str | None):
    """Candidates for a spot request: ``pairs`` and ``body_pairs`` are decoded, in the order sent, no signature;
    a JSON body is signed as sent (docs/protocol.md#spot-json-body)."""
    body_string = json_body if json_body is not None else canonical_query(body_pairs)
    server = canonical_query(pairs) + body_string
    yield Candidate(("ok",), server)
    ordered = sorted(pairs)
    yield Candidate(("signed_order_differs",), canonical_query(ordered) + body_string)
    yield Candidate(("signed_order_differs",), canonical_query(sorted(pairs + body_pairs)))
    for style in ("plus", "lowercase", "unescaped", "requests"):
        yield Candidate((ENCODING_CAUSE[style],), _encoded(pairs, style) + _encoded(body_pairs, style))
        yield Candidate(("signed_order_differs", ENCODING_CAUSE[style]), _encoded(ordered, style))
    raw = without_signature(raw_query)
    yield Candidate(tuple(sent_encoding_causes(raw)) or ("encoding_unescaped",), raw + without_signature(raw_body))
    if body_pairs:
        yield Candidate(("body_joined_with_ampersand",), f"{canonical_query(pairs)}&{body_string}")
        yield Candidate(("body_joined_with_ampersand",), f"{raw}&{without_signature(raw_body)}")
    if json_body is not None:
        yield Candidate(("json_body_signed",), json_body)
    for payload in (dict(pairs + body_pairs), dict(ordered)):
        yield Candidate(("json_body_signed",), json.dumps(payload, separators=(",", ":")))
        yield Candidate(("json_body_signed",), json.dumps(payload))
    yield from _joins(server)
    yield from _removals(pairs, body_string)
    for suffix, prefix in SECRET_MANGLING:
        yield Candidate(("secret_whitespace",), server, suffix, prefix)
    yield from _orderings(pairs, "", body_string, "signed_order_differs")


def _joins(server: str, prefix: str = ""):
    """Strings joined wrongly: a leading '&' (an empty parameter list formatted as "%s&timestamp=..."),
    a trailing '&', the '?' signed with the query, or '&&' where one parameter was empty."""
    for malformed in (f"&{server}", f"{server}&", f"?{server}"):
        yield Candidate(("join_malformed",), prefix + malformed)
    joins = [index for index, char in enumerate(server) if char == "&"][-MAX_REMOVALS:]  # n * n past that
    for start in joins:
        yield Candidate(("join_malformed",), f"{prefix}{server[:start]}&{server[start:]}")


# Every ordering of up to this many parameters is tried (8! = 40,320 HMACs, a few tens of ms); past
# it, every single move, every swap and the reversal; past MAX_MOVED (n * n strings of n parameters
# each), the reversal alone.
MAX_EXHAUSTIVE = 8
MAX_MOVED = 32


def _orderings(pairs, prefix: str, tail: str, cause: str):
    """The parameters signed in another order than sent (spot) or than dictionary order (futures)."""
    encoded = [canonical_query([pair]) for pair in pairs]
    causes = (cause,)
    seen = {tuple(range(len(pairs))), tuple(sorted(range(len(pairs)), key=lambda i: pairs[i]))}
    for order in _index_orders(len(pairs)):
        if order not in seen:
            seen.add(order)
            yield Candidate(causes, prefix + "&".join([encoded[i] for i in order]) + tail)


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


# Each removal candidate is as long as the request, so trying them all costs n * n: past this many
# parameters (no real order has them) only the last few are tried, which is where code adds them.
MAX_REMOVALS = 64


def _removals(pairs, tail: str):
    """A parameter added after signing: the string without each one, and without each run of last ones."""
    encoded = [canonical_query([pair]) for pair in pairs]
    first = max(0, len(pairs) - MAX_REMOVALS)
    for index in range(first, len(pairs)):
        yield Candidate(("param_added_after_signing",), "&".join(encoded[:index] + encoded[index + 1 :]) + tail)
    for end in range(max(1, first), len(pairs) - 1):
        yield Candidate(("param_added_after_signing",), "&".join(encoded[:end]) + tail)


def futures_get_candidates(prefix: str, pairs, raw_query: str):
    """Candidates for a futures GET/DELETE: ``prefix`` is accessKey + Request-Time."""
    ordered = sorted(pairs)
    server = prefix + canonical_query(ordered)
    yield Candidate(("ok",), server)
    yield Candidate(("contract_unsorted",), prefix + canonical_query(pairs))
    raw = without_signature(raw_query)
    yield Candidate(("contract_unsorted", *sent_encoding_causes(raw)), prefix + raw)
    for style in ("plus", "lowercase", "unescaped", "requests"):
        yield Candidate((ENCODING_CAUSE[style],), prefix + _encoded(ordered, style))
        yield Candidate(("contract_unsorted", ENCODING_CAUSE[style]), prefix + _encoded(pairs, style))
    yield from _joins(canonical_query(ordered), prefix)
    yield from (Candidate(c.causes, prefix + c.signed_string) for c in _removals(ordered, ""))
    for suffix, secret_prefix in SECRET_MANGLING:
        yield Candidate(("secret_whitespace",), server, suffix, secret_prefix)
    yield from _orderings(pairs, prefix, "", "contract_unsorted")


def futures_post_candidates(prefix: str, body: str):
    """Candidates for a futures POST: the raw body, k=v pairs of it, and other serializations of the same JSON."""
    yield Candidate(("ok",), prefix + body)
    try:
        decoded = parse_json(body) if body else None
    except ValueError:
        decoded = None
    if isinstance(decoded, dict):
        items = [(str(k), v if isinstance(v, str) else json.dumps(v)) for k, v in decoded.items()]
        for pairs in (items, sorted(items)):
            yield Candidate(("contract_post_not_raw_json",), prefix + canonical_query(pairs))
            yield Candidate(("contract_post_not_raw_json",), prefix + "&".join(f"{k}={v}" for k, v in pairs))
    if decoded is not None:
        for options in (
            {"separators": (",", ":")},
            {},
            {"separators": (",", ":"), "sort_keys": True},
            {"sort_keys": True},
            {"separators": (",", ":"), "ensure_ascii": False},
        ):
            variant = json.dumps(decoded, **options)
            if variant != body:
                yield Candidate(("contract_json_bytes_differ",), prefix + variant)
    yield Candidate(("contract_post_not_raw_json",), prefix)
    for suffix, secret_prefix in SECRET_MANGLING:
        yield Candidate(("secret_whitespace",), prefix + body, suffix, secret_prefix)
