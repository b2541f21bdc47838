"""Independent checks of slip PDFs: poppler's text extraction and page rendering, zxing-cpp decoding."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import zxingcpp
from PIL import Image


def pdf_text(pdf: bytes, layout: bool = True) -> str:
    """poppler's text; layout=False gives reading order, where a wrapped table cell stays in one piece."""
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "slip.pdf"
        path.write_bytes(pdf)
        mode = ["-layout"] if layout else []
        return subprocess.run(["pdftotext", *mode, "-enc", "UTF-8", str(path), "-"], check=True,
                              capture_output=True).stdout.decode("utf-8")


def flat(text: str) -> str:
    """Whitespace collapsed: a reader follows a sentence across a line wrap."""
    return " ".join(text.split())


def pages(pdf: bytes, dpi: int = 200) -> list[Image.Image]:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "slip.pdf"
        path.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(path), str(Path(d) / "page")], check=True)
        out = []
        for png in sorted(Path(d).glob("page-*.png"), key=lambda p: int(p.stem.split("-")[-1])):
            with Image.open(png) as im:
                out.append(im.convert("RGB").copy())
        return out


def barcodes(image: Image.Image) -> dict[str, list[str]]:
    """Decoded texts by format name ('Code128', 'QRCode')."""
    found: dict[str, list[str]] = {}
    for r in zxingcpp.read_barcodes(image):
        found.setdefault(r.format.name, []).append(r.text)
    return found


def ink_box(image: Image.Image) -> tuple[int, int, int, int] | None:
    """Bounding box (left, top, right, bottom) of everything not white."""
    gray = image.convert("L").point(lambda v: 255 if v < 200 else 0)
    return gray.getbbox()


def page_size_pt(pdf: bytes) -> list[tuple[float, float]]:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "slip.pdf"
        path.write_bytes(pdf)
        out = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(path)], check=True,
                             capture_output=True, text=True).stdout
    sizes = []
    for line in out.splitlines():
        if line.startswith("Page") and "size:" in line:
            parts = line.split("size:")[1].split()
            sizes.append((float(parts[0]), float(parts[2])))
    return sizes
