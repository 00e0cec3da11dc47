"""Median time to diagnose a 20-parameter spot request with the secret, and the exhaustive order search.

    python benchmarks/bench_doctor.py

Three cases of a typical request: one that is fine (the first candidate matches), one whose bug is
found half way (a parameter added after signing), and one signed with another secret (every
candidate is tried: the worst case). Target: at most 20 ms each.

Then the order search: an 8-parameter request signed in an order no other recipe explains (found
among the 8! = 40,320 orderings) and one signed with another secret (every ordering tried, and every
other recipe). Target: a median under 100 ms.
"""

from __future__ import annotations

import hmac
import statistics
import time

from mexc_helpers.doctor import diagnose
from mexc_helpers.protocol.encoding import encode_params

SECRET = "45d0b3c26f2644f19bfb98b07741b2f5"
TIMESTAMP = 1_700_000_000_000
PARAMS = [(f"param{i:02d}", f"value {i},({i})") for i in range(19)] + [("timestamp", TIMESTAMP)]
TARGET_MS = 20.0
ORDER_TARGET_MS = 100.0
EIGHT = [
    ("symbol", "BTCUSDT"),
    ("side", "BUY"),
    ("type", "LIMIT"),
    ("quantity", "0.001"),
    ("price", "60000"),
    ("newClientOrderId", "bot-1"),
    ("recvWindow", 5000),
    ("timestamp", TIMESTAMP),
]


def url(signed: str, sent: str, secret: str = SECRET) -> str:
    signature = hmac.new(secret.encode(), signed.encode(), "sha256").hexdigest()
    return f"https://api.mexc.com/api/v3/order?{sent}&signature={signature}"


def median_ms(request: str, runs: int = 41) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        diagnose(request, SECRET, server_time=TIMESTAMP)
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def table(title: str, cases: list[tuple[str, str]], target_ms: float, runs: int) -> None:
    """Time each case (its first cause must be the one its name says) and print the table and the verdict."""
    print(f"{title}\n")
    print("| case | median ms | target |")
    print("|---|---:|---:|")
    worst = 0.0
    for name, request in cases:
        assert diagnose(request, SECRET, server_time=TIMESTAMP).causes[0] in name
        elapsed = median_ms(request, runs)
        worst = max(worst, elapsed)
        print(f"| {name} | {elapsed:.2f} | < {target_ms:.0f} |")
    print(f"\nworst median {worst:.2f} ms (target < {target_ms:.0f} ms): {'met' if worst < target_ms else 'MISSED'}\n")


def main() -> None:
    sent = encode_params(PARAMS)
    without_one = encode_params(PARAMS[:10] + PARAMS[11:])
    typical = [
        ("fine (ok)", url(sent, sent)),
        ("param_added_after_signing", url(without_one, sent)),
        ("wrong_secret (every recipe tried)", url(sent, sent, "another-secret-0123456789abcdef")),
    ]
    table("Diagnosing a 20-parameter spot request with the secret", typical, TARGET_MS, runs=41)
    eight = encode_params(EIGHT)
    scrambled = encode_params([EIGHT[i] for i in (7, 2, 5, 0, 6, 1, 4, 3)])
    orders = [
        ("signed_order_differs (an order found by the search)", url(scrambled, eight)),
        ("wrong_secret (all 40,320 orderings tried)", url(eight, eight, "another-secret-0123456789abcdef")),
    ]
    table("The order search: an 8-parameter spot request", orders, ORDER_TARGET_MS, runs=11)


if __name__ == "__main__":
    main()
