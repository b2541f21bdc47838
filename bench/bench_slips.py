"""Slip render time: a receipt (two copies) on A4, A5 and the 80 mm roll, after warm-up, new code each time.

The font registration (~12 ms, once per process) is measured apart as slip_first_ms.
"""

from __future__ import annotations

import statistics
import time

from motcua_desktop.slips import render
from motcua_desktop.slips.sample import sample_data


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] if len(samples) >= 20 else max(samples)


def run(quick: bool) -> dict[str, float]:
    data = sample_data()
    started = time.perf_counter()
    render("receipt", data, "a4")
    first = (time.perf_counter() - started) * 1000
    n = 20 if quick else 100
    figures = {"slip_first_ms": first}
    for paper, key in (("a4", "slip_p95_ms"), ("a5", "slip_a5_p95_ms"), ("80mm", "slip_80mm_p95_ms")):
        samples = []
        for i in range(n):
            # A fresh code each time: the QR matrix cache must not flatter the figure.
            fresh = data.with_(code=f"000.00.01.H22-261123-{1000 + i + 200 * len(figures):04d}")
            t0 = time.perf_counter()
            render("receipt", fresh, paper)
            samples.append((time.perf_counter() - t0) * 1000)
        figures[key] = _p95(samples)
    big = sample_data(components=40)
    samples = []
    for _ in range(max(5, n // 10)):
        t0 = time.perf_counter()
        render("receipt", big, "a4")
        samples.append((time.perf_counter() - t0) * 1000)
    figures["slip_40_components_ms"] = statistics.median(samples)
    return figures
