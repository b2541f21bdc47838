"""The procedure detail pane: what a clerk checks before taking the papers."""

from __future__ import annotations

from ..domain.catalog import Procedure
from .fmt import AMBER, esc, fee_text, time_text, unconfirmed_html
from .qt import QTextBrowser, QWidget

_CSS = """
h2 { font-size: 15pt; margin: 0 0 4px 0; color: #14304f; }
.sub { color: #5a6673; margin-bottom: 8px; }
table.meta td { padding: 3px 10px 3px 0; vertical-align: top; }
table.meta td.k { color: #5a6673; white-space: nowrap; }
h3 { font-size: 11pt; margin: 14px 0 4px 0; color: #14304f; }
table.docs { border-collapse: collapse; }
table.docs th { background: #e8eef5; color: #14304f; padding: 5px 6px; text-align: left; }
table.docs td { padding: 5px 6px; border-bottom: 1px solid #e1e6ec; vertical-align: top; }
.n { text-align: center; }
.opt { color: #5a6673; }
.note { color: #5a6673; font-size: 9pt; }
"""


def _count(n: int | None) -> str:
    return "?" if n is None else str(n)


def procedure_html(p: Procedure) -> str:
    """HTML for QTextBrowser (Qt's rich-text subset): identity, time, fee, components, legal basis."""
    pt, fee = p.processing_time, p.fee
    national = esc(p.national_code) + unconfirmed_html(p.national_code_status) if p.national_code else "—"
    rows = [
        ("Mã thủ tục", esc(p.code)),
        ("Mã quốc gia", national),
        ("Lĩnh vực", esc(p.field)),
        ("Thời hạn giải quyết", f"<b>{esc(time_text(pt))}</b>{unconfirmed_html(pt.status)}"
         + (f'<br><span class="note">{esc(pt.text)}</span>' if pt.text else "")),
        ("Phí, lệ phí", f"<b>{esc(fee_text(fee))}</b>{unconfirmed_html(fee.status)}"
         + (f'<br><span class="note">{esc(fee.text)}</span>' if fee.text else "")),
    ]
    meta = "".join(f'<tr><td class="k">{k}</td><td>{v}</td></tr>' for k, v in rows)
    docs = "".join(
        f"<tr><td class='n'>{i}</td><td>{esc(d.name)}"
        + (f"<br><span class='note'>{esc(d.note)}</span>" if d.note else "")
        + f"</td><td class='n'>{_count(d.originals)}</td><td class='n'>{_count(d.copies)}</td>"
        + ("<td><b>Bắt buộc</b></td>" if d.required else "<td class='opt'>Nếu có</td>")
        + "</tr>"
        for i, d in enumerate(p.documents, start=1)
    )
    parts = [
        f"<style>{_CSS}</style>",
        f"<h2>{esc(p.name)}</h2>",
        f"<table class='meta'>{meta}</table>",
        f"<h3>Thành phần hồ sơ{unconfirmed_html(p.documents_status)}</h3>",
        "<table class='docs' width='100%'><tr><th>TT</th><th>Tên giấy tờ</th><th>Bản chính</th>"
        f"<th>Bản sao</th><th>Yêu cầu</th></tr>{docs}</table>",
    ]
    if p.documents_to_present:
        items = "".join(f"<li>{esc(x)}</li>" for x in p.documents_to_present)
        parts.append(f"<h3>Giấy tờ xuất trình khi nộp</h3><ul>{items}</ul>")
    if p.legal_basis:
        items = "".join(f"<li>{esc(x)}</li>" for x in p.legal_basis)
        parts.append(f"<h3>Căn cứ pháp lý</h3><ul>{items}</ul>")
    if any(s not in (None, "confirmed") for s in (pt.status, fee.status, p.national_code_status, p.documents_status)):
        parts.append(f"<p class='note'><span style='color:{AMBER}'>■</span> Số liệu đánh dấu "
                     "“chưa xác nhận” lấy từ danh mục mẫu, cần đối chiếu văn bản trước khi dùng.</p>")
    return "".join(parts)


class ProcedureDetail(QTextBrowser):
    """Read-only rich text of one procedure."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("procedureDetail")
        self.setOpenExternalLinks(False)
        self.procedure: Procedure | None = None
        self.show_placeholder()

    def show_placeholder(self, text: str = "Chọn một thủ tục để xem thành phần hồ sơ, thời hạn và phí.") -> None:
        self.procedure = None
        self.setHtml(f"<p style='color:#5a6673; margin-top:24px'>{esc(text)}</p>")

    def show_procedure(self, p: Procedure) -> None:
        self.procedure = p
        self.setHtml(procedure_html(p))
