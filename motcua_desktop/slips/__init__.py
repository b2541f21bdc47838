"""The official slips as PDFs: receipt, supplement, refusal, apology, control.

``render(kind, data, paper) -> bytes``; ``data`` is a ``SlipData`` (slips/model.py), never a database
row. Titles and labels live in ``forms``.
"""

from .forms import FORMS
from .model import KINDS, PAPERS, Agency, Applicant, Component, ControlRow, SlipData
from .render import render

__all__ = ["FORMS", "KINDS", "PAPERS", "PAPER_SPECS", "Agency", "Applicant", "Component", "ControlRow",
           "SlipData", "render"]


def __getattr__(name: str) -> object:
    if name == "PAPER_SPECS":  # imports reportlab: only when asked for (see render())
        from .papers import PAPER_SPECS

        return PAPER_SPECS
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
