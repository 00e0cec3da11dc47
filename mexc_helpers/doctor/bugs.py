"""Client bugs as transformations of what is signed, one family at a time, composable.

A bot that gets 700002 (spot) or 602 (futures) signed other bytes than the server rebuilt, or signed
them with another key, or sent the digest in another form. Each :class:`Bug` is one such
transformation, and bugs of different families compose into a chain: the parameters signed in
sorted order, *then* encoded with ``encodeURIComponent``, with ``recvWindow`` added after signing.

The families, in the order a signer applies them:

- ``added``: a parameter added to the request after the signature was made (signed without it);
- ``order``: the parameters signed in another order than sent (spot) or than sorted (futures);
- ``encoding``: values encoded by a library call that differs from the canonical form (:mod:`.encoders`);
- ``join``: query and body signed wrongly together (an ``&`` between, the body left out, JSON signed);
- ``framing``: a stray or missing ``&`` or ``?``, a trailing newline, the method and path signed too;
- ``secret``: the secret padded (whitespace, quotes, an ``export NAME=`` line from an env file);
- ``hmac``: the HMAC's key and message swapped;
- ``form``: the digest sent in uppercase hex or base64.

Everything here is a pure function of the request as sent; :mod:`.search` tries the chains.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import NamedTuple

from ..protocol.encoding import canonical_query
from ..protocol.request import ReceivedRequest, parse_json
from .encoders import CANONICAL, ENCODERS, Encoder

FAMILIES = ("added", "order", "encoding", "join", "framing", "secret", "hmac", "form")
MESSAGE_FAMILIES = FAMILIES[:5]
# The env-file variable names a secret is often stored under (for `NAME=secret` and `export NAME=...`).
SECRET_NAMES = ("MEXC_SECRET_KEY", "MEXC_API_SECRET", "SECRET_KEY")
# A run of removals or "&&" positions costs a string as long as the request each: past these, the last few.
MAX_POSITIONS = 16


class Bug(NamedTuple):
    """One client bug: its family, the doctor's causes for it, and what it did, in words."""

    family: str
    causes: tuple[str, ...]
    detail: str
    value: object = None  # the family's parameter: indexes removed, an Encoder, a frame, a secret's wrapping

    @property
    def encoder(self) -> Encoder | None:
        return self.value if self.family == "encoding" else None


@dataclass(frozen=True)
class Shape:
    """What the server received, as the bug families see it: decoded pairs in the order sent (no signature)."""

    @classmethod
    def of(cls, received: ReceivedRequest, prefix: str = "") -> Shape:
        """The shape of a received request (``prefix``: futures' accessKey + Request-Time)."""
        if received.api == "futures":
            post = received.method == "POST"
            query = () if post else tuple(received.query_pairs)
            return cls(
                "futures",
                received.method,
                received.path or "",
                query,
                json_body=received.body_text if post else None,
                prefix=prefix,
            )
        json_body = received.body_text if received.body_read and received.body_is_json else None
        return cls(
            "spot",
            received.method,
            received.path or "",
            tuple(received.spot_pairs),
            tuple(received.spot_body_pairs),
            json_body,
        )

    api: str
    method: str
    path: str
    query: tuple[tuple[str, str], ...]
    body: tuple[tuple[str, str], ...] = ()  # a spot form body
    json_body: str | None = None  # a JSON body as sent (spot, or the futures POST body)
    prefix: str = ""  # futures: accessKey + Request-Time
    _encoded: dict = field(default_factory=dict, compare=False, repr=False)

    def encoded(self, encoder: Encoder) -> list[str]:
        """Each pair as ``encoder`` writes it, ``k=v``, computed once per shape."""
        found = self._encoded.get(encoder.name)
        if found is None:
            found = self._encoded[encoder.name] = [f"{encoder.encode(k)}={encoder.encode(v)}" for k, v in self.pairs]
        return found

    @property
    def futures_post(self) -> bool:
        return self.api == "futures" and self.method == "POST"

    @property
    def pairs(self) -> tuple[tuple[str, str], ...]:
        return self.query + self.body


# --- the message families -----------------------------------------------------------------------


def added_bugs(shape: Shape) -> list[Bug]:
    """Each parameter, and each run of last parameters, signed without: added after signing."""
    names = [name for name, _ in shape.pairs]
    count = len(names)
    bugs = []
    for index in range(max(0, count - MAX_POSITIONS), count):
        bugs.append(Bug("added", ("param_added_after_signing",), f"{names[index]} added after signing", {index}))
    for start in range(max(1, count - MAX_POSITIONS), count - 1):
        gone = names[start:]
        bugs.append(
            Bug(
                "added",
                ("param_added_after_signing",),
                f"{', '.join(gone)} added after signing",
                set(range(start, count)),
            )
        )
    return bugs


def order_bugs(shape: Shape) -> list[Bug]:
    """The orders searched in chains: sorted by name (spot), or as sent (futures, which must be sorted)."""
    if shape.futures_post:
        return []
    cause = "contract_unsorted" if shape.api == "futures" else "signed_order_differs"
    detail = "signed in the order sent, not sorted" if shape.api == "futures" else "signed sorted, sent unsorted"
    return [Bug("order", (cause,), detail, "other")]


def encoding_bugs(shape: Shape) -> list[Bug]:
    """Each library call that encodes these values differently from the canonical form."""
    if shape.futures_post:
        return []
    text = "".join(name + value for name, value in shape.pairs)
    bugs = []
    for encoder in ENCODERS:
        causes = encoder.differences(text)
        if causes:
            bugs.append(Bug("encoding", causes, f"encoded with {encoder.call}", encoder))
    return bugs


def join_bugs(shape: Shape) -> list[Bug]:
    """Query and body signed wrongly together (spot), or the futures POST body signed as something else."""
    if shape.futures_post:
        return _futures_body_bugs(shape)
    if shape.api != "spot":
        return []
    bugs = []
    if shape.body:
        bugs.append(Bug("join", ("body_joined_with_ampersand",), "query and body joined with '&'", "ampersand"))
        bugs.append(Bug("join", ("param_added_after_signing",), "the body left out of what was signed", "query"))
    if shape.json_body is not None and shape.query:
        bugs.append(Bug("join", ("json_body_signed",), "the JSON body signed on its own", "json"))
    if shape.pairs:
        for spaced in (False, True):
            bugs.append(
                Bug(
                    "join",
                    ("json_body_signed",),
                    "the parameters signed as a JSON object",
                    "dumps" + ("_spaced" if spaced else ""),
                )
            )
    return bugs


def _futures_body_bugs(shape: Shape) -> list[Bug]:
    body = shape.json_body or ""
    try:
        decoded = parse_json(body) if body else None
    except ValueError:
        decoded = None
    bugs = []
    if isinstance(decoded, dict):
        items = [(str(k), v if isinstance(v, str) else json.dumps(v)) for k, v in decoded.items()]
        for pairs in (items, sorted(items)):
            for text in (canonical_query(pairs), "&".join(f"{k}={v}" for k, v in pairs)):
                bugs.append(Bug("join", ("contract_post_not_raw_json",), "the body signed as k=v pairs", text))
    if decoded is not None:
        for options in (
            {"separators": (",", ":")},
            {},
            {"separators": (",", ":"), "sort_keys": True},
            {"sort_keys": True},
            {"separators": (",", ":"), "ensure_ascii": False},
        ):
            text = json.dumps(decoded, **options)
            if text != body:
                bugs.append(Bug("join", ("contract_json_bytes_differ",), "the JSON serialized again", text))
    bugs.append(Bug("join", ("contract_post_not_raw_json",), "the body left out of what was signed", ""))
    return bugs


def framing_bugs(shape: Shape) -> list[Bug]:
    """A stray or missing '&' or '?', a trailing newline, the method and path signed with the query."""
    path = shape.path or ""
    frames = [
        ("join_malformed", "a leading '&' signed", "&{}"),
        ("join_malformed", "a trailing '&' signed", "{}&"),
        ("join_malformed", "the '?' signed with the query", "?{}"),
        ("newline_signed", "a trailing newline signed", "{}\n"),
        ("newline_signed", "a trailing CRLF signed", "{}\r\n"),
    ]
    if not shape.prefix:
        frames += [
            ("method_path_signed", "the path and '?' signed with the query", path + "?{}"),
            ("method_path_signed", "the method and path signed with the query", shape.method + path + "?{}"),
            ("method_path_signed", "the method and path signed with the query", f"{shape.method} {path}?{{}}"),
        ]
    bugs = [Bug("framing", (cause,), detail, frame) for cause, detail, frame in frames]
    for position in range(max(0, len(shape.pairs) - MAX_POSITIONS), len(shape.pairs) - 1):
        bugs.append(Bug("framing", ("join_malformed",), "'&&' signed where a parameter was empty", position))
    return bugs


def message(shape: Shape, chain: dict[str, Bug]) -> str:
    """The string a client with the bugs of ``chain`` (one per family) signs for the request ``shape``."""
    join = chain.get("join")
    if shape.futures_post:
        text = (shape.json_body or "") if join is None else join.value
        return _framed(shape.prefix + text, chain.get("framing"), shape)
    added = chain.get("added")
    kept = [i for i in range(len(shape.pairs)) if added is None or i not in added.value]
    parts = [[i for i in kept if i < len(shape.query)], [i for i in kept if i >= len(shape.query)]]
    server_sorted = shape.api == "futures"
    if (chain.get("order") is not None) != server_sorted:
        parts = [sorted(part, key=lambda i: shape.pairs[i]) for part in parts]
    encoder = chain["encoding"].value if "encoding" in chain else CANONICAL
    if join is not None and join.value in ("json", "dumps", "dumps_spaced"):
        text = _json_text(shape, join.value, parts[0] + parts[1])
    else:
        query, body = (_joined(shape, part, encoder) for part in parts)
        if join is None:
            text = query + (shape.json_body if shape.json_body is not None else body)
        else:
            text = f"{query}&{body}" if join.value == "ampersand" else query
    return _framed(shape.prefix + text, chain.get("framing"), shape)


def _joined(shape: Shape, indexes: list[int], encoder: Encoder) -> str:
    encoded = shape.encoded(encoder)
    return "&".join([encoded[i] for i in indexes])


def _json_text(shape: Shape, how: str, indexes: list[int]) -> str:
    if how == "json":
        return shape.json_body or ""
    payload = dict(shape.pairs[i] for i in indexes)
    return json.dumps(payload) if how.endswith("spaced") else json.dumps(payload, separators=(",", ":"))


def _framed(text: str, frame: Bug | None, shape: Shape) -> str:
    if frame is None:
        return text
    if isinstance(frame.value, int):  # '&&' at the position-th '&' of the parameters
        head, tail = text[: len(shape.prefix)], text[len(shape.prefix) :]
        pieces = tail.split("&")
        if frame.value + 1 >= len(pieces):
            return text
        return head + "&".join(pieces[: frame.value + 1]) + "&&" + "&".join(pieces[frame.value + 1 :])
    return shape.prefix + frame.value.replace("{}", text[len(shape.prefix) :], 1)


# --- the key families -----------------------------------------------------------------------


def secret_bugs() -> list[Bug]:
    """The secret as copied into a bot wrongly: whitespace, quotes, a whole env-file line."""
    bugs = []
    for end, end_name in (
        ("", ""),
        ("\n", "a newline"),
        ("\r\n", "CRLF"),
        ("\r", "a carriage return"),
        ("\t", "a tab"),
        (" ", "a space"),
    ):
        wraps = [("{}", "")] if end else []
        wraps += [('"{}"', "in double quotes"), ("'{}'", "in single quotes")]
        for name in SECRET_NAMES if end in ("", "\n", "\r") else ():  # a whole env-file line
            wraps += [
                (f"{name}={{}}", f"as the line {name}=..."),
                (f'{name}="{{}}"', f'as the line {name}="..."'),
                (f"export {name}={{}}", f"as the line export {name}=..."),
                (f'export {name}="{{}}"', f'as the line export {name}="..."'),
            ]
        for wrap, wrap_name in wraps:
            detail = " ".join(
                part for part in ("the secret", wrap_name, f"ending in {end_name}" if end else "") if part
            )
            cause = "secret_whitespace" if wrap == "{}" else "secret_quoted"
            bugs.append(Bug("secret", (cause,), detail, wrap + end))
    for start, name in ((" ", "a space"), ("\ufeff", "a byte-order mark"), ("\t", "a tab")):
        bugs.append(Bug("secret", ("secret_whitespace",), f"the secret starting with {name}", start + "{}"))
    return bugs


def key_for(secret: str, bug: Bug | None) -> str:
    return secret if bug is None else bug.value.replace("{}", secret, 1)


HMAC_SWAPPED = Bug("hmac", ("hmac_key_message_swapped",), "the HMAC keyed by the message, over the secret")
UPPERCASE = Bug("form", ("signature_uppercase",), "the digest sent in uppercase hex")
BASE64 = Bug("form", ("signature_base64",), "the digest sent in base64, not hex")
