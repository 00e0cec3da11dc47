"""Time per signed request: the kit's signers and their parts, side by side with one bare HMAC (the floor).

    python benchmarks/bench_signing.py

Prints a Markdown table measured in one run, each row as µs per call and as a ratio to the floor. The
functions are timed in interleaved rounds (floor, hmac_sha256_hex, ..., floor, ...) so that a noisy
neighbour slows all of them alike; each figure is the best round (timeit's advice: the slower rounds
measure the neighbours), in this thread's CPU time where that clock is fine enough (Linux, macOS), so
that time spent descheduled on a busy machine is not counted. Targets: sign_spot at most 3x the floor,
and faster than ccxt's mexc.sign() when ccxt is installed.

It also times sign_spot with a keyed-state cache of the secret, as mexc_helpers.protocol.digest once had
(RFC 2104 section 4: each secret's two keyed SHA-256 states computed once, copied per call), put back
for its rounds only: the cache stays out of the kit unless it saves more than a third of the call.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import platform
import time
import timeit
from unittest import mock

from mexc_helpers.protocol import signing
from mexc_helpers.protocol.digest import hmac_sha256_hex
from mexc_helpers.protocol.encoding import encode_params
from mexc_helpers.protocol.signing import sign_futures, sign_spot, spot_signature

KEY = "mx0aBYs33eIilxBWC5"
SECRET = "45d0b3c26f2644f19bfb98b07741b2f5"
TIMESTAMP = 1644489390087
ORDER = {"symbol": "BTCUSDT", "side": "BUY", "type": "LIMIT", "quantity": "1", "price": "11"}
FULL_ORDER = {**ORDER, "recvWindow": 5000, "timestamp": TIMESTAMP}
SIGNED_STRING = "symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=11&recvWindow=5000&timestamp=1644489390087"
FUTURES_QUERY = {"symbol": "BTC_USDT", "page_num": 1, "page_size": 20}
FUTURES_ORDER = {"symbol": "BTC_USDT", "price": "20000", "vol": 1, "side": 1, "type": 1, "openType": 1}

FLOOR = "bare `hmac.new(...).hexdigest()` (floor)"
SIGN_SPOT = "`sign_spot` POST (the order)"
SIGN_SPOT_CACHED = "`sign_spot` POST, with the keyed-state cache put back"
CCXT = "ccxt `mexc.sign()` (the same order)"

# CPU time of this thread if its clock ticks in at most a microsecond (on Windows it ticks in 15 ms).
CLOCK = time.thread_time if time.get_clock_info("thread_time").resolution <= 1e-6 else time.perf_counter


def best_us(rows: list[tuple], rounds: int = 200) -> list[float]:
    """Best µs per call of each row's function, over interleaved rounds of about 2 ms each.

    A row is (name, function) or (name, function, context): the context is entered around each of
    that row's rounds, outside the timing.
    """
    timers = [timeit.Timer(row[1], timer=CLOCK) for row in rows]
    contexts = [row[2] if len(row) > 2 else contextlib.nullcontext for row in rows]
    numbers = []
    for timer, context in zip(timers, contexts, strict=True):
        with context():
            numbers.append(max(1, int(timer.autorange()[0] * 0.01)))  # autorange: >= 0.2 s
    best = [float("inf")] * len(rows)
    for _ in range(rounds):
        for index, (timer, number, context) in enumerate(zip(timers, numbers, contexts, strict=True)):
            with context():
                best[index] = min(best[index], timer.timeit(number) / number * 1e6)
    return best


def cached_pad_hmac():
    """The cache digest.py had: each secret's two keyed SHA-256 states, looked up by hash(secret) and
    copied for each message."""
    states: dict[int, tuple] = {}

    def keyed_states(secret: str) -> tuple:
        key = secret.encode()
        key = (hashlib.sha256(key).digest() if len(key) > 64 else key).ljust(64, b"\0")
        states[hash(secret)] = (
            hashlib.sha256(bytes(byte ^ 0x36 for byte in key)),
            hashlib.sha256(bytes(byte ^ 0x5C for byte in key)),
        )
        return states[hash(secret)]

    def cached_hmac_sha256_hex(secret: str, message: str) -> str:
        inner_keyed, outer_keyed = states.get(hash(secret)) or keyed_states(secret)
        inner = inner_keyed.copy()
        inner.update(message.encode())
        outer = outer_keyed.copy()
        outer.update(inner.digest())
        return outer.hexdigest()

    return cached_hmac_sha256_hex


def ccxt_signer():
    try:
        import ccxt
    except ImportError:
        return None
    exchange = ccxt.mexc({"apiKey": KEY, "secret": SECRET})
    exchange.milliseconds = lambda: TIMESTAMP
    return lambda: exchange.sign("order", ["spot", "private"], "POST", dict(ORDER))


def spot_order():
    return sign_spot("POST", "/api/v3/order", ORDER, api_key=KEY, secret=SECRET, timestamp=TIMESTAMP, recv_window=5000)


def main() -> None:
    cached = cached_pad_hmac()
    with_cache = lambda: mock.patch.object(signing, "hmac_sha256_hex", cached)
    expected = hmac.new(SECRET.encode(), SIGNED_STRING.encode(), hashlib.sha256).hexdigest()
    assert spot_order().signed_string == SIGNED_STRING == encode_params(FULL_ORDER)  # every row signs this order
    assert spot_order().signature == hmac_sha256_hex(SECRET, SIGNED_STRING) == cached(SECRET, SIGNED_STRING)
    with with_cache():
        assert spot_order() == spot_order() and spot_order().signature == expected
    rows = [
        (FLOOR, lambda: hmac.new(SECRET.encode(), SIGNED_STRING.encode(), hashlib.sha256).hexdigest()),
        ("`digest.hmac_sha256_hex`", lambda: hmac_sha256_hex(SECRET, SIGNED_STRING)),
        ("`encode_params` (the 7-parameter order)", lambda: encode_params(FULL_ORDER)),
        ("`spot_signature`", lambda: spot_signature(SECRET, SIGNED_STRING)),
        (SIGN_SPOT, spot_order),
        ("`sign_futures` GET (3 parameters)", lambda: sign_futures(
            "GET", "/api/v1/private/order/list/open_orders", FUTURES_QUERY, api_key=KEY, secret=SECRET,
            request_time=TIMESTAMP,
        )),
        ("`sign_futures` POST (a 6-field JSON order)", lambda: sign_futures(
            "POST", "/api/v1/private/order/submit", FUTURES_ORDER, api_key=KEY, secret=SECRET, request_time=TIMESTAMP
        )),
        ("cached-pad HMAC (the cache digest.py had)", lambda: cached(SECRET, SIGNED_STRING)),
        (SIGN_SPOT_CACHED, spot_order, with_cache),
    ]  # fmt: skip
    ccxt_sign = ccxt_signer()
    if ccxt_sign is not None:
        rows.append((CCXT, ccxt_sign))
    micros = dict(zip((row[0] for row in rows), best_us(rows), strict=True))
    floor_us = micros[FLOOR]
    print(f"Signing one request (Python {platform.python_version()}, {platform.machine()}); ", end="")
    print(f"best of 200 rounds, {CLOCK.__name__}\n")
    print("| function | µs per call | vs floor |")
    print("|---|---:|---:|")
    for name, value in micros.items():
        print(f"| {name} | {value:.2f} | {value / floor_us:.2f}x |")

    spot_us = micros[SIGN_SPOT]
    ratio = spot_us / floor_us
    print(f"\nsign_spot / floor = {ratio:.2f}x (target <= 3x): {'met' if ratio <= 3 else 'MISSED'}")
    saving = spot_us - micros[SIGN_SPOT_CACHED]
    share = saving / spot_us
    print(
        f"the keyed-state cache would save {saving:.2f} µs, {share:.0%} of a sign_spot call "
        f"(kept only above a third): {'keep it' if share > 1 / 3 else 'not worth it'}"
    )
    if ccxt_sign is not None:
        speedup = micros[CCXT] / spot_us
        print(f"ccxt / sign_spot = {speedup:.2f}x (target > 1x): {'met' if speedup > 1 else 'MISSED'}")


if __name__ == "__main__":
    main()
