"""Code128 and QR of the dossier code, as reportlab flowables.

Code128 module width stays at 0.35 mm (PLATFORM-NOTES: 0.2 mm did not decode at 200 dpi, 0.35 mm
did). A 25-character code is then ~114 mm long with its quiet zones: wider than an 80 mm roll, so the
ticket prints it turned 90° down the roll instead of shrinking the bars below what scanners read.
"""

from __future__ import annotations

import itertools
from functools import lru_cache

from reportlab.graphics.barcode import qrencoder
from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

BAR_WIDTH = 0.35 * mm


def code128(value: str, height: float) -> Code128:
    # quiet=1 keeps the 10-module quiet zones inside the flowable's width, so layout reserves them.
    return Code128(value, barWidth=BAR_WIDTH, barHeight=height, quiet=1, humanReadable=False)


QR_BORDER = 4  # modules of quiet zone, inside the flowable's size


@lru_cache(maxsize=64)
def qr_modules(value: str) -> tuple[tuple[bool, ...], ...]:
    """The QR matrix (level M). Cached: choosing the mask is most of a slip's render time, and both
    copies of a receipt carry the same code."""
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(value)
    code.make()
    return tuple(tuple(bool(m) for m in row) for row in code.modules)


class QR(Flowable):
    """A QR code drawn as one filled path of horizontal runs (fast, and crisp at any resolution)."""

    def __init__(self, value: str, size: float) -> None:
        super().__init__()
        self.value = value
        self.width = self.height = size

    def wrap(self, avail_w: float, avail_h: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        modules = qr_modules(self.value)
        n = len(modules)
        box = self.width / (n + 2 * QR_BORDER)
        path = self.canv.beginPath()
        for r, row in enumerate(modules):
            y = self.height - (r + QR_BORDER + 1) * box
            c = 0
            for dark, run in itertools.groupby(row):
                count = len(list(run))
                if dark:
                    path.rect((c + QR_BORDER) * box, y, count * box, box)
                c += count
        self.canv.saveState()
        self.canv.setFillColorRGB(0, 0, 0)
        self.canv.drawPath(path, stroke=0, fill=1)
        self.canv.restoreState()


def qr(value: str, size: float) -> QR:
    return QR(value, size)


class Rotated(Flowable):
    """A flowable turned 90° counter-clockwise: its height becomes our width."""

    def __init__(self, inner: Flowable) -> None:
        super().__init__()
        self.inner = inner
        w, h = inner.wrap(0, 0) if not hasattr(inner, "width") else (inner.width, inner.height)
        self.inner_w, self.inner_h = w, h
        self.width, self.height = h, w

    def wrap(self, avail_w: float, avail_h: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        c.saveState()
        c.translate(self.width, 0)
        c.rotate(90)
        self.inner.drawOn(c, 0, 0)
        c.restoreState()
