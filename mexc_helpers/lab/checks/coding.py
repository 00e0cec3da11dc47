"""The checks of the exercises where the learner writes a function: a signer, an encoder, a paramString,
a clock offset. Each runs the function on the same inputs every time (simple ones first, then spaces,
``( ) * ~ !``, commas, non-ASCII, empty values, many parameters), judges the output by the kit's own
rules and, for the signers, by the exchange's answer and the doctor's proof, and names the
misconception on the smallest input that still fails (:mod:`.runner`).
"""

from __future__ import annotations

import hashlib
import random
import string
from collections.abc import Callable

from ...doctor.encoders import ENCODERS
from ...protocol.encoding import encode_params, percent_encode
from ...protocol.signing import SignedRequest, futures_signed_string, spot_signature
from ..labs import FUTURES_GET_PATH, lab_exchange
from .lessons import canonical_mistake
from .runner import CheckResult, Failure, LearnerError, call, exchange_failure, run, shown, unexplained

# The values real bugs trip on, each in a parameter of its own: the encoders differ on exactly these.
TRICKY_VALUES = ("my bot 1", "1,2,3", "(a)", "*~!'", "façade", "日本", "", "a+b", "50%", "a&b=c")
_NAMES = ("symbol", "side", "type", "quantity", "price", "newClientOrderId", "memo", "note", "network", "remark")


def _seeded_params(seed: int, count: int) -> list[tuple[str, str]]:
    """``count`` parameters with values drawn from the tricky ones and random text (the same for a seed)."""
    rng = random.Random(seed)
    alphabet = string.ascii_letters + string.digits + " ,()*~!'%+&=/?#@:;$-._çé日😀"
    pairs = []
    for index in range(count):
        value = (
            rng.choice(TRICKY_VALUES) if rng.random() < 0.5 else "".join(rng.choices(alphabet, k=rng.randint(1, 12)))
        )
        pairs.append((f"{rng.choice(_NAMES)}{index}", value))
    return pairs


def _fewer_pairs(pairs: list[tuple[str, object]]):
    """Smaller inputs: one pair left out, then one character left out of a value."""
    for index in range(len(pairs)):
        yield pairs[:index] + pairs[index + 1 :]
    for index, (name, value) in enumerate(pairs):
        if isinstance(value, str):
            for cut in range(len(value) if len(value) > 1 else 0):  # a value shrinks to one character, not to none
                yield pairs[:index] + [(name, value[:cut] + value[cut + 1 :])] + pairs[index + 1 :]


def _wrong_type(name: str, got: object, expected: str) -> Failure | None:
    """A failure for an output that is not a str, or None."""
    if isinstance(got, str):
        return None
    if got is None:
        return Failure("none", (f"{name} returned None: a `return` is missing (or not reached).",))
    if isinstance(got, bytes):
        return Failure("bytes", (f"{name} returned bytes ({len(got)} of them): {expected}.",))
    return Failure(
        f"type {type(got).__name__}", (f"{name} returned a {type(got).__name__} ({shown(got)}): {expected}.",)
    )


# --- sign(secret, query) -> str: notebook 00 ------------------------------------------------------------------

SIGN_INPUTS = (
    [],
    [("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "LIMIT"), ("quantity", "1"), ("price", "11")],
    [("symbol", "BTCUSDT"), ("newClientOrderId", "my bot 1")],
    [("memo", "(a),*~!'"), ("name", "façade 日本")],
    [("note", "")],
    *(_seeded_params(seed, 3 + seed * 5) for seed in range(6)),
)


def check_sign(sign: Callable[[str, str], str]) -> CheckResult:
    """00: ``sign(secret, query)`` returns MEXC's spot signature of ``query``: HMAC-SHA256, lowercase hex.

    Each query is signed by your function and sent to the lab exchange; a refusal (700002) is explained
    by the doctor, which reproduces your signature to prove the cause.
    """
    exchange = lab_exchange()

    def judge(pairs):
        query = encode_params([*pairs, ("timestamp", exchange.server_time())])
        got = call(sign, exchange.secret, query)
        failure = _wrong_type("sign", got, "a signature is a str of 64 lowercase hex digits (hexdigest())")
        if failure:
            return failure
        url = f"{exchange.base_url}/api/v3/account?{query}&signature={percent_encode(got)}"
        failure = exchange_failure(SignedRequest("GET", url, {"X-MEXC-APIKEY": exchange.api_key}), exchange)
        if unexplained(failure):
            hint = _signature_hint(exchange.secret, query, got)
            return Failure(f"{failure.kind}: {hint}", (f"sign returned {shown(got)}.", *failure.lines, hint))
        return failure and Failure(failure.kind, (f"sign returned {shown(got)}.", *failure.lines))

    def describe(pairs):
        return f"sign(secret, {encode_params([*pairs, ('timestamp', exchange.server_time())])!r})"

    praise = "your sign() gives MEXC's signature, and the exchange accepted every request signed with it"
    return run("sign", sign, "sign", SIGN_INPUTS, judge, _fewer_pairs, describe, praise)


_OTHER_DIGESTS = {40: "SHA-1", 128: "SHA-512", 32: "MD5", 56: "SHA-224", 96: "SHA-384"}


def _signature_hint(secret: str, query: str, got: str) -> str:
    """What a signature no client bug explains looks like (the doctor found no chain that makes it)."""
    if got != got.strip():
        return "There are spaces or a newline around it: MEXC compares the 64 characters exactly."
    if len(got) in _OTHER_DIGESTS and all(char in string.hexdigits for char in got):
        return f"{len(got)} hex digits is {_OTHER_DIGESTS[len(got)]}: MEXC uses SHA-256 (hashlib.sha256), 64 digits."
    plain = {
        hashlib.sha256((secret + query).encode()).hexdigest(),
        hashlib.sha256((query + secret).encode()).hexdigest(),
    }
    if got in plain:
        return "That is a plain SHA-256 of the secret and the query: MEXC uses HMAC (hmac.new) with the secret as key."
    if len(got) != 64:
        return f"{len(got)} characters: a signature is 64 lowercase hex digits (hmac's hexdigest())."
    return "Not HMAC-SHA256(key=secret, message=query) and no known client bug makes it: check each argument."


# --- futures_param_string(params) -> str: notebook 01 ---------------------------------------------------------

FUTURES_INPUTS = (
    {"symbol": "BTC_USDT"},
    {"symbol": "BTC_USDT", "page_size": 20, "page_num": 1},
    {"symbol": "BTC_USDT", "side": 1, "type": 5, "vol": 2, "price": "60000", "openType": 1, "externalOid": "my bot 1"},
    {"symbol": "BTC_USDT", "states": "1,2,3", "memo": "(a)*~!'"},
    {"symbol": "BTC_USDT", "remark": "façade 日本", "category": ""},
    *(dict(_seeded_params(100 + seed, 2 + seed * 4)) for seed in range(5)),
)


def check_futures_param_string(futures_param_string_fn: Callable[[dict], str]) -> CheckResult:
    """01: ``futures_param_string(params)`` returns a futures GET's paramString: the parameters sorted by name
    (ASCII order), each ``k=v`` canonically encoded, joined with ``&``.

    Each request is signed with your string (``accessKey + Request-Time + paramString``) and sent, the
    parameters in the order given, to the lab exchange, which sorts what it receives (602 otherwise).
    """
    exchange = lab_exchange()
    name = "futures_param_string"

    def judge(pairs):
        params = dict(pairs)
        got = call(futures_param_string_fn, dict(params))  # a copy: the function may change what it is given
        failure = _wrong_type(name, got, "the paramString is a str like 'a=1&b=2'")
        if failure:
            return failure
        now = exchange.server_time()
        signature = spot_signature(exchange.secret, futures_signed_string(exchange.api_key, now, got))
        headers = {"ApiKey": exchange.api_key, "Request-Time": str(now), "Signature": signature}
        url = f"{exchange.base_url}{FUTURES_GET_PATH}?{encode_params(params)}"
        failure = exchange_failure(SignedRequest("GET", url, headers), exchange)
        if unexplained(failure):
            hint = _param_string_hint(params, got, exchange.api_key)
            return Failure(f"{failure.kind}: {hint}", (f"{name} returned {shown(got)}.", *failure.lines, hint))
        return failure and Failure(failure.kind, (f"{name} returned {shown(got)}.", *failure.lines))

    praise = "sorted by name, encoded canonically, joined with '&': the futures exchange accepted every request"
    inputs = [list(params.items()) for params in FUTURES_INPUTS]
    return run(
        name,
        futures_param_string_fn,
        name,
        inputs,
        judge,
        _fewer_pairs,
        lambda pairs: f"{name}({dict(pairs)!r})",
        praise,
    )


def _param_string_hint(params: dict, got: str, api_key: str) -> str:
    """What a paramString no client bug explains shows."""
    if got.lstrip().startswith("{"):
        return "JSON is what a futures POST signs (its body): a GET signs k=v pairs joined by '&'."
    if got.startswith(api_key):
        return "Only the parameters: the signer puts accessKey and Request-Time before paramString itself."
    if "timestamp=" in got and "timestamp" not in params:
        return "No timestamp parameter on futures: the time travels in the Request-Time header."
    if "None" in got:
        return "A None value written as 'None': leave parameters without a value out."
    return "Not the sorted, canonically encoded k=v pairs of these parameters: compare with the exchange's string."


# --- canonical(value) -> str: notebook 04 ---------------------------------------------------------------------

CANONICAL_INPUTS = (
    "abc",
    "my bot 1",
    "1,2,3",
    "(a)",
    "*",
    "~",
    "!'",
    "façade",
    "日本",
    "",
    "a+b",
    "50%",
    "a&b=c",
    "a/b?c#d",
    "-._~",
    "😀",
    *("".join(random.Random(200 + seed).choices(string.printable[:95] + "çé日😀", k=8 + seed)) for seed in range(8)),
)


def check_canonical(canonical: Callable[[str], str]) -> CheckResult:
    """04: ``canonical(value)`` returns MEXC's canonical encoding of one value: UTF-8 bytes, ``%XX`` in
    uppercase hex, ``%20`` for a space, only ``A-Z a-z 0-9 - . _ ~`` left as they are.

    A different output is matched against the doctor's models of the usual library calls (urlencode,
    encodeURIComponent, URLSearchParams, ...), so the message names the call that behaves like yours.
    """

    library = _library_like(canonical)

    def judge(value):
        got = call(canonical, value)
        failure = _wrong_type("canonical", got, "an encoded value is a str")
        if failure or got == percent_encode(value):
            return failure
        lines = [f"canonical returned {shown(got)}; the exchange rebuilds {shown(percent_encode(value))}."]
        if library is not None:
            said = f"On every value tried, your function does what {_call_of(library)} does"
            lines.append(f"{said}: {', '.join(library.differences(value))}.")
        else:
            alike = [_call_of(encoder) for encoder in ENCODERS if encoder.encode(value) == got]
            if alike:
                lines.append(f"On this value, that is what {' and '.join(alike)} give.")
        return Failure(library.name if library else "wrong", (*lines, canonical_mistake(got, value)))

    def smaller(value):
        return (value[:cut] + value[cut + 1 :] for cut in range(len(value)))

    praise = "canonical: what the exchange rebuilds from every value, spaces, ( ) * ~ ! and non-ASCII included"
    return run(
        "canonical", canonical, "canonical", CANONICAL_INPUTS, judge, smaller, lambda v: f"canonical({v!r})", praise
    )


def _library_like(canonical: Callable[[str], str]):
    """The library call (:data:`ENCODERS`) whose output equals the learner's on every input, or None."""
    try:
        outputs = [(value, canonical(value)) for value in CANONICAL_INPUTS]
    except Exception:  # the check itself reports the learner's exception, on its smallest input
        return None
    return next((encoder for encoder in ENCODERS if all(encoder.encode(v) == got for v, got in outputs)), None)


def _call_of(encoder) -> str:
    return encoder.call + (f" ({encoder.language})" if encoder.language else "")


# --- server_offset(samples) -> int: notebook 02 ---------------------------------------------------------------


def _samples(seed: int, count: int) -> list[tuple[int, int, int]]:
    """``count`` (sent_ms, server_ms, received_ms) samples: a clock 1 to 9 s off, trips of 4 to 400 ms each way."""
    rng = random.Random(seed)
    offset = rng.choice((-1, 1)) * rng.randint(1000, 9000)
    local = 1_700_000_000_000 + rng.randint(0, 10**6)
    taken, trips = [], set()
    while len(taken) < count:
        out, back = rng.randint(4, 400), rng.randint(4, 400)
        if out + back in trips:  # one smallest round trip: the right answer is never ambiguous
            continue
        trips.add(out + back)
        taken.append((local, local + out + offset, local + out + back))
        local += out + back + rng.randint(1, 50)
    return taken


def best_offset(samples: list[tuple[int, int, int]]) -> int:
    """The kit's rule (client.ServerClock): the sample with the smallest round trip, the server assumed to answer
    halfway through it."""
    sent, server, received = min(samples, key=lambda sample: sample[2] - sample[0])
    return server - (sent + (received - sent) // 2)


OFFSET_INPUTS = tuple(_samples(300 + seed, count) for seed, count in enumerate((1, 2, 3, 5, 5, 8, 8, 12)))


def _offset_misconceptions(samples) -> list[tuple[str, int]]:
    """What each usual mistake returns for ``samples``, with the misconception's name (a name may come twice)."""
    offsets = [server - (sent + received) // 2 for sent, server, received in samples]
    trips = [received - sent for sent, _, received in samples]
    sent, server, received = samples[trips.index(min(trips))]
    best = server - (sent + received) // 2
    ordered = sorted(offsets)
    median = "the median of every sample: keep the sample with the smallest round trip instead"
    return [
        ("the sign flipped: the offset is server minus local, it moves your clock toward the server's", -best),
        ("no allowance for the trip out: the server answered halfway through the round trip", server - sent),
        ("no allowance for the trip back: the server answered halfway through the round trip", server - received),
        (
            "the mean of every sample: slow, lopsided trips pull it off; keep the one with the smallest round trip",
            round(sum(offsets) / len(offsets)),
        ),
        (median, ordered[(len(ordered) - 1) // 2]),
        (median, ordered[len(ordered) // 2]),
        (median, round((ordered[(len(ordered) - 1) // 2] + ordered[len(ordered) // 2]) / 2)),
        ("the first sample: keep the one with the smallest round trip", offsets[0]),
        ("the last sample: keep the one with the smallest round trip", offsets[-1]),
        ("the largest round trip's sample: the smallest one is the most precise", offsets[trips.index(max(trips))]),
        ("seconds: MEXC's clock is in milliseconds", best // 1000),
    ]


def _offset_mistakes(got: int, samples) -> list[str]:
    return list(dict.fromkeys(mistake for mistake, value in _offset_misconceptions(samples) if abs(got - value) <= 1))


def _consistent_mistakes(server_offset) -> set[str]:
    """The misconceptions that match the function's answer on every input it gets wrong: on one input the first
    sample may also be the median, the other inputs tell them apart."""
    common: set[str] | None = None
    for samples in OFFSET_INPUTS:
        try:
            got = call(server_offset, list(samples))
        except (LearnerError, NotImplementedError):  # the check reports these itself
            continue
        if isinstance(got, int) and not isinstance(got, bool) and abs(got - best_offset(samples)) > 1:
            named = set(_offset_mistakes(got, samples))
            common = named if common is None else common & named
    return common or set()


def check_server_offset(server_offset: Callable[[list], int]) -> CheckResult:
    """02: ``server_offset(samples)`` returns the server's clock minus yours, in ms, from ``(sent_ms, server_ms,
    received_ms)`` samples: the sample with the smallest round trip, the server having answered halfway."""

    consistent = _consistent_mistakes(server_offset)

    def judge(samples):
        got = call(server_offset, list(samples))
        if isinstance(got, bool) or not isinstance(got, int):
            expected = "an offset is an int of milliseconds (round() or //)"
            return _wrong_type("server_offset", got, expected) or Failure("type str", (f"A str: {expected}.",))
        right = best_offset(samples)
        if abs(got - right) <= 1:  # rounding half a millisecond either way is as good
            return None
        named = _offset_mistakes(got, samples)
        named = [mistake for mistake in named if mistake in consistent] or named
        why = "; or ".join(named) or "not the offset of the sample with the smallest round trip"
        return Failure(why, (f"server_offset returned {got}: {why}.",))

    def smaller(samples):
        return (samples[:index] + samples[index + 1 :] for index in range(len(samples)) if len(samples) > 1)

    praise = "the smallest round trip's offset: your clock now agrees with the server's"
    describe = lambda samples: f"server_offset({samples!r})"  # noqa: E731
    return run("server_offset", server_offset, "server_offset", OFFSET_INPUTS, judge, smaller, describe, praise)
