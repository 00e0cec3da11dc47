"""Median time to diagnose a 20-parameter spot request with the secret.

    python benchmarks/bench_doctor.py

Three cases: a request that is fine (the first candidate matches), one whose bug is found half way
(a parameter added after signing), and one signed with another secret (every candidate is tried:
the worst case). Target: at most 20 ms each.
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


def main() -> None:
    sent = encode_params(PARAMS)
    without_one = encode_params(PARAMS[:10] + PARAMS[11:])
    cases = [
        ("fine (ok)", url(sent, sent)),
        ("param_added_after_signing", url(without_one, sent)),
        ("wrong_secret (every recipe tried)", url(sent, sent, "another-secret-0123456789abcdef")),
    ]
    print("Diagnosing a 20-parameter spot request with the secret\n")
    print("| case | median ms | target |")
    print("|---|---:|---:|")
    worst = 0.0
    for name, request in cases:
        assert diagnose(request, SECRET, server_time=TIMESTAMP).causes[0] in name
        elapsed = median_ms(request)
        worst = max(worst, elapsed)
        print(f"| {name} | {elapsed:.2f} | <= {TARGET_MS:.0f} |")
    print(f"\nworst median {worst:.2f} ms (target <= {TARGET_MS:.0f} ms): {'met' if worst <= TARGET_MS else 'MISSED'}")


if __name__ == "__main__":
    main()
