"""The official slips as PDFs: receipt, supplement, refusal, apology, control.

``render(kind, data, paper) -> bytes``; ``data`` is a ``SlipData`` (slips/model.py), never a database
row. Titles and labels live in ``forms``.
"""

from .forms import FORMS
from .model import KINDS, PAPERS, Agency, Applicant, Component, ControlRow, SlipData
from .render import PAPER_SPECS, render

__all__ = ["FORMS", "KINDS", "PAPERS", "PAPER_SPECS", "Agency", "Applicant", "Component", "ControlRow",
           "SlipData", "render"]
