"""Lay out the forms with reportlab platypus: A4/A5 official layout, 80 mm roll ticket.

Entry point: ``render(kind, data, paper) -> bytes`` (a PDF). The pieces: ``papers`` (sizes, margins,
styles), ``layout`` (text and page furniture), ``blocks`` (what the forms share), ``official`` (the
A4/A5 forms) and ``ticket`` (the roll). Wording comes from ``forms`` (the form set in force); dates from ``vn``; every piece
of text passes ``layout.para`` (NFC + XML escaping) so user input can neither break the markup nor
print decomposed diacritics.
"""

from __future__ import annotations

from ..errors import UserError
from . import forms
from .model import KINDS, PAPERS, SlipData

__all__ = ["render"]


def render(kind: str, data: SlipData, paper: str = "a4", form_set: forms.FormSet | None = None) -> bytes:
    """The PDF of one slip. kind in model.KINDS, paper in model.PAPERS; its texts from `form_set`
    (None: the set already current, see forms.using; by default the shipped 2025 set)."""
    if kind not in KINDS:
        raise UserError(f"Loại phiếu '{kind}' không có (một trong: {', '.join(KINDS)}).",
                        f"unknown slip kind {kind!r} (one of {', '.join(KINDS)})")
    paper = (paper or "a4").lower()
    if paper not in PAPERS:
        raise UserError(f"Khổ giấy '{paper}' không hợp lệ (a4, a5, 80mm).",
                        f"paper {paper!r} not one of {', '.join(PAPERS)}")
    # reportlab (~100 ms of imports) is loaded by the first slip, not by every start of the window,
    # which needs the slips' model and wording only (cold start is measured against a bare Qt window).
    from . import fonts
    from .official import official
    from .papers import PAPER_SPECS
    from .ticket import ticket

    fonts.register()
    p = PAPER_SPECS[paper]
    with forms.using(form_set) as fs:
        fs.form(kind)  # a set without this form (the 2018 set has no stop notice) says so
        if p.height is None:
            return ticket(kind, data, p)
        return official(kind, data, p)
