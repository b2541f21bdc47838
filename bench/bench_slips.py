"""Slip render time: a receipt (two copies) on A4, A5 and the 80 mm roll, after warm-up, new code each time.

The font registration (~12 ms, once per process) is measured apart as slip_first_ms.

The floor: a one-page reportlab canvas with the same font (DejaVu Serif, registered), a line of the
slip's text and one Code128 barcode of the code, saved to bytes — what any slip costs at the least.
"""

from __future__ import annotations

import io
import statistics
import time

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from motcua_desktop.slips import barcodes, fonts, render
from motcua_desktop.slips.sample import sample_data


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] if len(samples) >= 20 else max(samples)


def floor_pdf(code: str, line: str) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setFont(fonts.SERIF, 12)
    c.drawString(25 * mm, A4[1] - 30 * mm, line)
    barcodes.code128(code, 11 * mm).drawOn(c, 25 * mm, A4[1] - 50 * mm)
    c.showPage()
    c.save()
    return buf.getvalue()


def run(quick: bool) -> dict[str, float]:
    data = sample_data()
    started = time.perf_counter()
    render("receipt", data, "a4")
    first = (time.perf_counter() - started) * 1000
    n = 20 if quick else 100
    figures = {"slip_first_ms": first}
    floor: list[float] = []
    line = f"{data.applicant.name} — {data.procedure_name}"
    for paper, key in (("a4", "slip_p95_ms"), ("a5", "slip_a5_p95_ms"), ("80mm", "slip_80mm_p95_ms")):
        samples = []
        for i in range(n):
            # A fresh code each time: the QR matrix cache must not flatter the figure.
            fresh = data.with_(code=f"000.00.01.H22-261123-{1000 + i + 200 * len(figures):04d}")
            t0 = time.perf_counter()
            render("receipt", fresh, paper)
            samples.append((time.perf_counter() - t0) * 1000)
            if paper == "a4":  # interleaved with the A4 receipts it is the floor of
                t0 = time.perf_counter()
                floor_pdf(fresh.code, line)
                floor.append((time.perf_counter() - t0) * 1000)
        figures[key] = _p95(samples)
    figures["slip_floor_p95_ms"] = _p95(floor)
    figures["slip_ratio"] = figures["slip_p95_ms"] / figures["slip_floor_p95_ms"]
    big = sample_data(components=40)
    samples = []
    for _ in range(max(5, n // 10)):
        t0 = time.perf_counter()
        render("receipt", big, "a4")
        samples.append((time.perf_counter() - t0) * 1000)
    figures["slip_40_components_ms"] = statistics.median(samples)
    return figures
