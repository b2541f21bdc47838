"""Code128 and QR of the dossier code, as reportlab flowables.

Code128 module width stays at 0.35 mm (PLATFORM-NOTES: 0.2 mm did not decode at 200 dpi, 0.35 mm
did). A 25-character code is then ~114 mm long with its quiet zones: wider than an 80 mm roll, so the
ticket prints it turned 90° down the roll instead of shrinking the bars below what scanners read.
"""

from __future__ import annotations

from reportlab.graphics.barcode.code128 import Code128
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

BAR_WIDTH = 0.35 * mm


def code128(value: str, height: float) -> Code128:
    # quiet=1 keeps the 10-module quiet zones inside the flowable's width, so layout reserves them.
    return Code128(value, barWidth=BAR_WIDTH, barHeight=height, quiet=1, humanReadable=False)


def qr(value: str, size: float) -> Drawing:
    widget = QrCodeWidget(value, barLevel="M", barBorder=4)
    x0, y0, x1, y1 = widget.getBounds()
    widget.barWidth = size
    widget.barHeight = size
    drawing = Drawing(size, size)
    drawing.add(widget)
    return drawing


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
