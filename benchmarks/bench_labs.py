"""Time per slider step of the clock lab: drawing its window chart, and the whole refresh.

    python benchmarks/bench_labs.py

The chart is SVG drawn by the package (it was a matplotlib PNG, about 40 ms a step). The whole
refresh also signs and sends a spot and a futures request to the embedded exchange over loopback
HTTP and draws the two verdict cards. Target: the whole refresh under 5 ms in the kernel, so that
dragging the slider stays fluid.
"""

from __future__ import annotations

import statistics
import time

from mexc_helpers import widgets
from mexc_helpers.lab import labs
from mexc_helpers.lab.figures import window_figure_svg

TARGET_MS = 5.0


def median_ms(step, runs: int = 201) -> float:
    samples = []
    for index in range(runs):
        start = time.perf_counter()
        step(index)
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    offsets = [-70_000 + 350 * i for i in range(216)]
    chart = median_ms(lambda i: window_figure_svg(offsets[i % len(offsets)], 5000))
    lab = widgets.clock_lab()
    refresh = median_ms(lambda i: setattr(lab.controls["offset"], "value", offsets[i % len(offsets)]), runs=101)
    exchange = labs.lab_exchange()
    round_trips = median_ms(lambda i: labs.clock_case(exchange, offsets[i % len(offsets)], 5000), runs=101)
    print("The clock lab, one slider step (medians)\n")
    print("| part | ms |")
    print("|---|---:|")
    print(f"| the window chart (SVG) | {chart:.3f} |")
    print(f"| the two requests to the embedded exchange and back | {round_trips:.2f} |")
    print(f"| the whole refresh | {refresh:.2f} |")
    verdict = "met" if refresh < TARGET_MS else "MISSED"
    print(f"\nthe whole refresh {refresh:.2f} ms (target < {TARGET_MS:.0f} ms): {verdict}")


if __name__ == "__main__":
    main()
