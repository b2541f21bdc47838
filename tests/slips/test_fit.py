"""How the official forms fall on the sheet: one sheet per copy (liên), signatures never on a page alone."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from motcua_desktop.domain.applicant import Applicant
from motcua_desktop.errors import UserError
from motcua_desktop.paths import sample_catalogue
from motcua_desktop.services import intake
from motcua_desktop.services import slips as slip_service
from motcua_desktop.slips import Component, render
from motcua_desktop.slips.sample import sample_data
from pdf_checks import pdf_text

SIGN_LEFT, SIGN_RIGHT = "NGƯỜI NỘP HỒ SƠ", "NGƯỜI TIẾP NHẬN HỒ SƠ"
BOOK = "Vào Sổ theo dõi hồ sơ"


def page_texts(pdf: bytes) -> list[str]:
    """pdftotext per page (form feed between pages)."""
    return [p for p in pdf_text(pdf).split("\f") if p.strip()]


def sample_codes() -> list[str]:
    return [p["id"] for p in json.loads(sample_catalogue().read_text(encoding="utf-8"))["procedures"]]


def test_every_sample_procedure_receipt_is_one_page_per_copy(ctx):
    """The audit's case: an ordinary complete dossier (normal name and address) of any sample
    procedure gives a receipt of exactly two pages, Liên 1 and Liên 2, each signed on its own page."""
    person = Applicant(name="Trần Văn An", id_number="001099000001", address="Thôn Đồng Tâm, xã Hòa Bình")
    codes = sample_codes()
    assert len(codes) == 40
    spilled = []
    for code in codes:
        try:
            v = intake.receive(ctx, code, person, "all")
        except UserError:  # no processing time in the catalogue: the clerk sets the appointment
            v = intake.receive(ctx, code, person, "all", due_at=datetime(2026, 12, 4, 16, 0))
        for paper in ("a4", "a5"):
            pages = page_texts(slip_service.preview(ctx, v.code, "receipt", paper))
            ok = len(pages) == 2 and all(
                f"Liên {i}" in page and SIGN_LEFT in page and SIGN_RIGHT in page and BOOK in page
                for i, page in enumerate(pages, 1))
            if not ok:
                spilled.append((code, paper, len(pages)))
    assert spilled == []


def _papers(n: int) -> tuple[Component, ...]:
    return tuple(Component(f"Giấy tờ số {i}: bản kê khai thông tin đất đai"
                           + (", tài sản gắn liền với đất" if i % 2 else ""), originals=1)
                 for i in range(1, n + 1))


@pytest.mark.parametrize("paper", ["a4", "a5"])
def test_a_receipt_too_long_for_one_page_never_leaves_the_signatures_alone(paper):
    # Enough papers to push each copy over a page, at several break points (one more row each time).
    for n in range(6, 12):
        pages = page_texts(render("receipt", sample_data().with_(components=_papers(n)), paper))
        signed = [p for p in pages if SIGN_RIGHT in p]
        assert len(signed) == 2, (n, len(pages))  # one signature block per copy
        for page in signed:
            # Items 2-7 of the body go over with the signatures.
            assert "2. Số lượng hồ sơ" in page and "7. Phí, lệ phí:" in page and BOOK in page, (n, page)


@pytest.mark.parametrize("kind,line", [("supplement", "Thời gian hướng dẫn:"),
                                       ("refusal", "Xin thông báo cho"),
                                       ("apology", "Xin trân trọng cảm ơn")])
def test_other_slips_keep_their_last_line_with_the_signature(kind, line):
    for paper in ("a4", "a5"):
        assert len(page_texts(render(kind, sample_data(), paper))) == 1  # an ordinary slip: one sheet
        # Long lists of missing papers / long reasons, ending at several points of the first page.
        for n in (18, 22, 26, 30, 34):
            many = tuple(Component(f"Giấy tờ còn thiếu số {i}", originals=1, provided=False,
                                   needs="Bổ sung bản chính") for i in range(1, n))
            reason = " ".join(["Hồ sơ không đủ điều kiện theo quy định hiện hành."] * n)
            data = sample_data().with_(components=many, refusal_reason=reason, apology_reason=reason)
            signed = [p for p in page_texts(render(kind, data, paper)) if "(Ký" in p]
            assert len(signed) == 1 and line in signed[0], (paper, n)
