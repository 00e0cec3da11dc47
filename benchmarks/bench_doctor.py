"""Median time to diagnose spot requests with the secret: chains of bugs, long requests, the order search.

    python benchmarks/bench_doctor.py

First the chain search on a 10-parameter request: one bug, two, three (a parameter added after signing,
signed sorted, a value encoded with encodeURIComponent: the bot of the issue), and one signed with another
secret (every chain of up to three bugs tried: the worst case). Target: at most 200 ms each.

Then a 20-parameter request (fine, one bug, another secret), and the order search: an 8-parameter request
signed in an order only the exhaustive search explains (among the 8! = 40,320 orderings) and one signed
with another secret (every ordering and every chain tried). Target for both: 500 ms (the kit's own: a 20-parameter
request is rare, and the issue's 200 ms is for 10 parameters).
"""

from __future__ import annotations

import hmac
import statistics
import time
from urllib.parse import quote

from mexc_helpers.doctor import diagnose
from mexc_helpers.protocol.encoding import encode_params

SECRET = "45d0b3c26f2644f19bfb98b07741b2f5"
TIMESTAMP = 1_700_000_000_000
PARAMS = [(f"param{i:02d}", f"value {i},({i})") for i in range(19)] + [("timestamp", TIMESTAMP)]
CHAIN_TARGET_MS = 200.0
LONG_TARGET_MS = 500.0
TEN = [
    ("symbol", "BTCUSDT"),
    ("side", "BUY"),
    ("type", "LIMIT"),
    ("timeInForce", "GTC"),
    ("quantity", "0.001"),
    ("price", "60000"),
    ("newClientOrderId", "my bot (1)"),
    ("stpMode", "cancel_maker"),
    ("timestamp", TIMESTAMP),
    ("recvWindow", 5000),
]
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
        causes = diagnose(request, SECRET, server_time=TIMESTAMP).causes
        assert all(cause in name for cause in causes), (name, causes)
        elapsed = median_ms(request, runs)
        worst = max(worst, elapsed)
        print(f"| {name} | {elapsed:.2f} | < {target_ms:.0f} |")
    verdict = "met" if worst < target_ms else "MISSED"
    print(f"\nworst median {worst:.2f} ms, {worst / target_ms:.2f} of the target ({target_ms:.0f} ms): {verdict}\n")


def encode_uri_component(pairs) -> str:
    return "&".join(f"{k}={quote(str(v), safe='-_.!~*()')}" for k, v in pairs)


def main() -> None:
    ten = encode_params(TEN)
    no_window = TEN[:-1]
    chains = [
        ("param_added_after_signing", url(encode_params(no_window), ten)),
        ("param_added_after_signing, signed_order_differs", url(encode_params(sorted(no_window)), ten)),
        (
            "param_added_after_signing, signed_order_differs, encoding_unescaped (the issue's bot)",
            url(encode_uri_component(sorted(no_window)), ten),
        ),
        ("signature_unexplained (every chain tried)", url(ten, ten, "another-secret-0123456789abcdef")),
    ]
    table("The chain search: a 10-parameter spot request with up to three bugs", chains, CHAIN_TARGET_MS, runs=11)
    sent = encode_params(PARAMS)
    without_one = encode_params(PARAMS[:10] + PARAMS[11:])
    typical = [
        ("ok (fine)", url(sent, sent)),
        ("param_added_after_signing", url(without_one, sent)),
        ("signature_unexplained (every chain tried)", url(sent, sent, "another-secret-0123456789abcdef")),
    ]
    table("A 20-parameter spot request", typical, LONG_TARGET_MS, runs=11)
    eight = encode_params(EIGHT)
    scrambled = encode_params([EIGHT[i] for i in (7, 2, 5, 0, 6, 1, 4, 3)])
    orders = [
        ("signed_order_differs (an order found by the exhaustive search)", url(scrambled, eight)),
        ("signature_unexplained (all 40,320 orderings and every chain tried)", url(eight, eight, "another-0123456789")),
    ]
    table("The order search: an 8-parameter spot request", orders, LONG_TARGET_MS, runs=7)


if __name__ == "__main__":
    main()
