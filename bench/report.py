"""Timing and printing helpers shared by the benchmarks."""

import math
import statistics
import time


def median_us(call, *, times: int, budget: float) -> tuple[float, int]:
    """Median wall time of call() in µs over up to `times` calls (at least 5) within `budget` s."""
    samples = []
    deadline = time.perf_counter() + budget
    while len(samples) < times and (len(samples) < 5 or time.perf_counter() < deadline):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1e6)
    return statistics.median(samples), len(samples)


def percentile(values, q: float) -> float:
    """The nearest-rank q-th percentile (0 < q <= 100) of values."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def ratio(value: float, baseline: float) -> str:
    return f"{value / baseline:.2f}x" if baseline else "-"


def table(headers: list[str], rows: list[list], title: str | None = None) -> None:
    """Print rows under headers: the first column left-aligned, the others right-aligned."""
    cells = [[str(cell) for cell in row] for row in rows]
    widths = [max(len(h), *(len(row[i]) for row in cells)) for i, h in enumerate(headers)]

    def line(row):
        first, *rest = (cell for cell in row)
        parts = [first.ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(rest, widths[1:], strict=True)
        ]
        return "  ".join(parts).rstrip()

    if title:
        print(f"\n{title}")
    print(line(headers))
    print("  ".join("-" * w for w in widths))
    for row in cells:
        print(line(row))
    print(flush=True)
