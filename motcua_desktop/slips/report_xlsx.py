"""The reports as Excel workbooks (openpyxl): the II.06 grid with its merged header cells, the
statistics, the tracking book (Vietnamese headers, widths, frozen header row, real Excel dates)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from typing import Any, Protocol

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..domain import reports as rules
from ..domain.reports import BookEntry, Period, Report

FONT = "Times New Roman"  # what the province's own templates use; Excel substitutes when missing
_THIN = Side(style="thin", color="000000")
BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP = Alignment(vertical="top", wrap_text=True)
DATE_FORMAT = "dd/mm/yyyy hh:mm"
BOOK_WIDTHS = (6, 28, 40, 6, 24, 30, 26, 16, 16, 16, 16, 16, 36)


class HeaderLike(Protocol):
    """The shape of services.reports.Header (slips never imports services)."""

    @property
    def agency(self) -> str: ...
    @property
    def parent(self) -> str: ...
    @property
    def place(self) -> str: ...
    @property
    def signed_on(self) -> date: ...


def _font(bold: bool = False, italic: bool = False, size: int = 12) -> Font:
    return Font(name=FONT, bold=bold, italic=italic, size=size)


def period_line(p: Period) -> str:
    return f"Kỳ báo cáo: Từ ngày {p.start:%d/%m/%Y} đến ngày {p.end:%d/%m/%Y}"


def place_line(h: HeaderLike) -> str:
    d = h.signed_on
    return f"{h.place}, ngày {d.day:02d} tháng {d.month:02d} năm {d.year}"


def _merge(ws: Worksheet, ref: str, value: Any, *, font: Font | None = None,
           align: Alignment | None = None) -> None:
    ws.merge_cells(ref)
    cell = ws[ref.split(":")[0]]
    cell.value = value
    cell.font = font or _font()
    cell.alignment = align or CENTER


def grid_sheet(ws: Worksheet, r: Report, h: HeaderLike) -> None:
    """Biểu II.06 as the form lays it out: 13 numbered columns, three merged groups."""
    ws.title = "Biểu II.06"
    last = get_column_letter(len(rules.GRID_HEADERS))  # M
    left = Alignment(horizontal="left", vertical="center")
    _merge(ws, "A1:F1", f"Đơn vị báo cáo: {h.agency}", font=_font(bold=True), align=left)
    _merge(ws, f"J1:{last}1", rules.GRID_FORM, font=_font(bold=True), align=Alignment(horizontal="right"))
    _merge(ws, "A2:F2", f"Đơn vị nhận báo cáo: {h.parent or '…'}", font=_font(bold=True), align=left)
    _merge(ws, f"A3:{last}3", rules.GRID_TITLE, font=_font(bold=True, size=14))
    _merge(ws, f"A4:{last}4", period_line(r.period), font=_font(italic=True))
    _merge(ws, f"A5:{last}5", rules.GRID_UNIT, font=_font(italic=True), align=Alignment(horizontal="right"))
    head = 6
    for col in (1, 2):  # TT, Lĩnh vực: two rows tall
        ref = f"{get_column_letter(col)}{head}:{get_column_letter(col)}{head + 1}"
        _merge(ws, ref, rules.GRID_HEADERS[col - 1], font=_font(bold=True))
    for title, first, end in rules.GRID_GROUPS:
        _merge(ws, f"{get_column_letter(first + 1)}{head}:{get_column_letter(end + 1)}{head}", title,
               font=_font(bold=True))
    for col, text in enumerate(rules.GRID_HEADERS, start=1):
        if col > 2:
            cell = ws.cell(head + 1, col, text)
            cell.font, cell.alignment = _font(bold=True), CENTER
        num = ws.cell(head + 2, col, f"({col})")
        num.font, num.alignment = _font(italic=True, size=10), CENTER
    rows = rules.grid(r)
    for i, values in enumerate(rows):
        total = i == len(rows) - 1
        for col, value in enumerate(values, start=1):
            cell = ws.cell(head + 3 + i, col, value)
            cell.font = _font(bold=total)
            cell.alignment = Alignment(horizontal="left" if col == 2 else "center", vertical="center",
                                       wrap_text=True)
    for row in ws.iter_rows(min_row=head, max_row=head + 2 + len(rows), max_col=len(rules.GRID_HEADERS)):
        for boxed in row:
            boxed.border = BOX
    foot = head + 4 + len(rows)
    _merge(ws, f"I{foot}:{last}{foot}", place_line(h), font=_font(italic=True))
    _merge(ws, f"I{foot + 1}:{last}{foot + 1}", "THỦ TRƯỞNG ĐƠN VỊ", font=_font(bold=True))
    _merge(ws, f"I{foot + 2}:{last}{foot + 2}", "(Ký, ghi rõ họ tên, đóng dấu)", font=_font(italic=True, size=11))
    widths = (5, 30, 10, 11, 14, 10, 10, 10, 10, 10, 10, 10, 10)
    for col, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = w
    ws.row_dimensions[head + 1].height = 48
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    if ws.sheet_properties.pageSetUpPr is not None:
        ws.sheet_properties.pageSetUpPr.fitToPage = True


STAT_LINES: tuple[tuple[str, str], ...] = (
    ("Tiếp nhận mới trong kỳ", "received"), ("  - Trực tiếp", "direct"), ("  - Qua bưu chính công ích", "post"),
    ("  - Trực tuyến", "online"), ("Từ kỳ trước chuyển sang", "carried_over"),
    ("Đã giải quyết trước hạn", rules.EARLY), ("Đã giải quyết đúng hạn", rules.ON_TIME),
    ("Đã giải quyết quá hạn", rules.LATE), ("  - trong đó đã có phiếu xin lỗi, hẹn lại", "late_with_apology"),
    ("Đang giải quyết trong hạn (cuối kỳ)", "within_due"), ("Đang giải quyết quá hạn (cuối kỳ)", "past_due"),
    ("Từ chối tiếp nhận", "refused"), ("Công dân rút hồ sơ", "withdrawn"), ("Dừng xử lý", "stopped"),
    ("Đang chờ bổ sung hồ sơ (cuối kỳ)", "supplement_requested"), ("Số lần yêu cầu bổ sung", "supplement_rounds"),
    ("Phiếu xin lỗi, hẹn lại đã phát hành", "apologies"), ("Kết quả chờ trả (cuối kỳ)", "awaiting_pickup"),
    ("Lượt đánh giá mức độ hài lòng", "rated"),
)


def stat_rows(t: rules.Tally) -> list[tuple[str, Any]]:
    """The statistics as (label, value) lines, the way the PDF and the window list them too."""
    out: list[tuple[str, Any]] = [(label, t.n(b)) for label, b in STAT_LINES]
    j = t.to_json()
    mean = j["satisfaction"]["mean"]
    out.append(("Mức độ hài lòng trung bình (1–5)", mean if mean is not None else "—"))
    out += [(f"  - {k} điểm", v) for k, v in j["satisfaction"]["distribution"].items()]
    rate = t.on_time_rate
    out.append(("Tỉ lệ giải quyết đúng hạn (trước hạn + đúng hạn)", f"{rate * 100:.1f}%" if rate is not None else "—"))
    return out


def stats_sheet(ws: Worksheet, r: Report) -> None:
    ws.title = "Số liệu"
    ws.cell(1, 1, "SỐ LIỆU THỐNG KÊ").font = _font(bold=True, size=14)
    ws.cell(2, 1, period_line(r.period)).font = _font(italic=True)
    fields = r.fields()
    heads = ["Chỉ tiêu", "Toàn đơn vị", *fields]
    for col_no, text in enumerate(heads, start=1):
        cell = ws.cell(4, col_no, text)
        cell.font, cell.alignment, cell.border = _font(bold=True), CENTER, BOX
    columns = [stat_rows(r.total), *(stat_rows(r.by_field[f]) for f in fields)]
    for i, (label, _) in enumerate(columns[0]):
        ws.cell(5 + i, 1, label).border = BOX
        for c, column in enumerate(columns, start=2):
            cell = ws.cell(5 + i, c, column[i][1])
            cell.border, cell.alignment = BOX, Alignment(horizontal="center")
    ws.column_dimensions["A"].width = 50
    for c in range(2, len(heads) + 1):
        ws.column_dimensions[get_column_letter(c)].width = 16
    ws.freeze_panes = "B5"


def book_sheet(ws: Worksheet, entries: Sequence[BookEntry]) -> None:
    """Header row 1 (frozen), one row per dossier; dates are Excel dates shown dd/mm/yyyy hh:mm."""
    ws.title = "Sổ theo dõi hồ sơ"
    for col, text in enumerate(rules.BOOK_HEADERS, start=1):
        cell = ws.cell(1, col, text)
        cell.font, cell.alignment, cell.border = _font(bold=True, size=11), CENTER, BOX
    date_cols = range(8, 13)
    for e in entries:
        ws.append(e.cells())
    for col in date_cols:
        letter = get_column_letter(col)
        for (dated,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
            dated.number_format = DATE_FORMAT
        ws.column_dimensions[letter].width = BOOK_WIDTHS[col - 1]
    for col, w in enumerate(BOOK_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(col)].width = w
    ws.row_dimensions[1].height = 32
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(rules.BOOK_HEADERS))}{max(1, len(entries) + 1)}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.print_title_rows = "1:1"


def _bytes(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _first_sheet(wb: Workbook) -> Worksheet:
    sheet = wb.active
    assert isinstance(sheet, Worksheet)  # a new workbook's one sheet
    return sheet


def workbook(r: Report, entries: Sequence[BookEntry], h: HeaderLike) -> bytes:
    """Three sheets: the grid, the statistics, the tracking book of the period."""
    wb = Workbook()
    grid_sheet(_first_sheet(wb), r, h)
    stats_sheet(wb.create_sheet(), r)
    book_sheet(wb.create_sheet(), entries)
    return _bytes(wb)


def book_workbook(entries: Sequence[BookEntry], p: Period, h: HeaderLike) -> bytes:
    wb = Workbook()
    book_sheet(_first_sheet(wb), entries)
    return _bytes(wb)
