"""Time per signed spot order: mexc_helpers.sign_spot against the floor (bare HMAC) and ccxt.

    python benchmarks/bench_signing.py

Prints a Markdown table measured in one run, with ratios to the floor. The signers are timed in
interleaved rounds (floor, kit, ccxt, floor, kit, ccxt ...) so that a noisy neighbour slows all
of them alike; each figure is the median over rounds. Targets: sign_spot at most 3x the floor,
and faster than ccxt's mexc.sign().
"""

from __future__ import annotations

import hashlib
import hmac
import platform
import statistics
import timeit

from mexc_helpers.protocol.signing import sign_spot

KEY = "mx0aBYs33eIilxBWC5"
SECRET = "45d0b3c26f2644f19bfb98b07741b2f5"
TIMESTAMP = 1644489390087
ORDER = {"symbol": "BTCUSDT", "side": "BUY", "type": "LIMIT", "quantity": "1", "price": "11"}
SIGNED_STRING = "symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=11&recvWindow=5000&timestamp=1644489390087"


def interleaved_us(funcs: list, rounds: int = 15) -> list[float]:
    """Median microseconds per call of each function, timed in interleaved rounds of ~20 ms each."""
    timers = [timeit.Timer(func) for func in funcs]
    numbers = [max(1, int(timer.autorange()[0] * 0.1)) for timer in timers]
    samples = [[] for _ in funcs]
    for _ in range(rounds):
        for timer, number, sample in zip(timers, numbers, samples, strict=True):
            sample.append(timer.timeit(number) / number * 1e6)
    return [statistics.median(sample) for sample in samples]


def floor():
    return hmac.new(SECRET.encode(), SIGNED_STRING.encode(), hashlib.sha256).hexdigest()


def kit():
    return sign_spot("POST", "/api/v3/order", ORDER, api_key=KEY, secret=SECRET, timestamp=TIMESTAMP, recv_window=5000)


def ccxt_signer():
    try:
        import ccxt
    except ImportError:
        return None
    exchange = ccxt.mexc({"apiKey": KEY, "secret": SECRET})
    exchange.milliseconds = lambda: TIMESTAMP
    return lambda: exchange.sign("order", ["spot", "private"], "POST", dict(ORDER))


def main() -> None:
    assert kit().signed_string == SIGNED_STRING  # all three sign the same 7-parameter order
    names = ["bare hmac.new(...).hexdigest() (floor)", "mexc_helpers.sign_spot"]
    funcs = [floor, kit]
    ccxt_sign = ccxt_signer()
    if ccxt_sign is not None:
        names.append("ccxt mexc.sign()")
        funcs.append(ccxt_sign)
    rows = list(zip(names, interleaved_us(funcs), strict=True))
    floor_us = rows[0][1]
    print(f"Signing a 7-parameter spot order (Python {platform.python_version()}, {platform.machine()})\n")
    print("| signer | µs per call | vs floor |")
    print("|---|---:|---:|")
    for name, micros in rows:
        print(f"| {name} | {micros:.2f} | {micros / floor_us:.2f}x |")
    kit_ratio = rows[1][1] / floor_us
    print(f"\nsign_spot / floor = {kit_ratio:.2f}x (target <= 3x): {'met' if kit_ratio <= 3 else 'MISSED'}")
    if ccxt_sign is not None:
        speedup = rows[2][1] / rows[1][1]
        print(f"ccxt / sign_spot = {speedup:.2f}x (target > 1x): {'met' if speedup > 1 else 'MISSED'}")


if __name__ == "__main__":
    main()
