"""The reports as landscape A4 PDFs (reportlab, the embedded DejaVu fonts): Biểu II.06 with its
header and signature, the statistics and the charts; the tracking book (Sổ theo dõi hồ sơ)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, Literal

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (Flowable, KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table,
                                TableStyle)

from ..domain import reports as rules
from ..domain.reports import BookEntry, Period, Report
from . import fonts, forms
from .report_xlsx import HeaderLike, period_line, place_line, stat_rows

PAGE = landscape(A4)
MARGIN = 12 * mm
# Chart colours: early / on time / late read at a glance (and in grey on a laser printer).
C_EARLY, C_ON_TIME, C_LATE = colors.HexColor("#2e7d32"), colors.HexColor("#1565c0"), colors.HexColor("#c62828")
C_RECEIVED, C_RESOLVED = colors.HexColor("#6d4c41"), colors.HexColor("#1565c0")


def _style(size: float = 10, bold: bool = False, italic: bool = False,
           align: Literal[0, 1, 2, 4] = TA_LEFT) -> ParagraphStyle:
    name = fonts.SERIF + ("-Bold" if bold else "") + ("-Italic" if italic and not bold else "")
    if bold and italic:
        name = f"{fonts.SERIF}-BoldItalic"
    return ParagraphStyle(f"r{size}{bold}{italic}{align}", fontName=name, fontSize=size, leading=size * 1.25,
                          alignment=align)


def _p(text: str, **kw: Any) -> Paragraph:
    return Paragraph(text.replace("&", "&amp;").replace("<", "&lt;"), _style(**kw))


def _doc(out: io.BytesIO, title: str) -> SimpleDocTemplate:
    return SimpleDocTemplate(out, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                             bottomMargin=MARGIN, title=title, author="motcua-desktop")


def _footer(canvas: Any, doc: Any) -> None:
    canvas.saveState()
    canvas.setFont(fonts.SERIF, 8)
    canvas.drawRightString(PAGE[0] - MARGIN, 6 * mm, f"Trang {doc.page}")
    canvas.restoreState()


# --- the grid ---------------------------------------------------------------------------------------
def grid_table(r: Report) -> Table:
    heads = rules.GRID_HEADERS
    row0: list[Any] = [_p(heads[0], bold=True, align=TA_CENTER), _p(heads[1], bold=True, align=TA_CENTER)]
    for title, first, end in rules.GRID_GROUPS:
        row0 += [_p(title, bold=True, align=TA_CENTER)] + [""] * (end - first)
    row1: list[Any] = ["", ""] + [_p(h, bold=True, size=9, align=TA_CENTER) for h in heads[2:]]
    row2: list[Any] = [_p(f"({i})", italic=True, size=8, align=TA_CENTER) for i in range(1, len(heads) + 1)]
    body = rules.grid(r)
    data: list[list[Any]] = [row0, row1, row2]
    for values in body:
        total = values is body[-1]
        data.append([_p(str(v), bold=total, align=TA_LEFT if i == 1 else TA_CENTER, size=10)
                     for i, v in enumerate(values)])
    width = PAGE[0] - 2 * MARGIN
    first_two = [12 * mm, 62 * mm]
    rest = (width - sum(first_two)) / (len(heads) - 2)
    t = Table(data, colWidths=first_two + [rest] * (len(heads) - 2), repeatRows=3)
    style: list[tuple[Any, ...]] = [("FONTNAME", (0, 0), (-1, -1), fonts.SERIF), ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
             ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("SPAN", (0, 0), (0, 1)), ("SPAN", (1, 0), (1, 1)),
             ("BACKGROUND", (0, len(data) - 1), (-1, len(data) - 1), colors.HexColor("#eeeeee"))]
    for _, first, end in rules.GRID_GROUPS:
        style.append(("SPAN", (first, 0), (end, 0)))
    t.setStyle(TableStyle(style))
    return t


def _grid_page(r: Report, h: HeaderLike) -> list[Flowable]:
    top = Table([[_p(f"Đơn vị báo cáo: {h.agency}", bold=True), _p(rules.GRID_FORM, bold=True, align=TA_RIGHT)],
                 [_p(f"Đơn vị nhận báo cáo: {h.parent or '…'}", bold=True), ""]],
                colWidths=[(PAGE[0] - 2 * MARGIN) * 0.7, (PAGE[0] - 2 * MARGIN) * 0.3])
    top.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), fonts.SERIF), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    sign = Table([["", _p(place_line(h), italic=True, align=TA_CENTER)],
                  ["", _p("THỦ TRƯỞNG ĐƠN VỊ", bold=True, align=TA_CENTER)],
                  ["", _p("(Ký, ghi rõ họ tên, đóng dấu)", italic=True, size=9, align=TA_CENTER)]],
                 colWidths=[(PAGE[0] - 2 * MARGIN) * 0.6, (PAGE[0] - 2 * MARGIN) * 0.4])
    sign.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), fonts.SERIF)]))
    return [top, Spacer(1, 4 * mm), _p(rules.GRID_TITLE, bold=True, size=14, align=TA_CENTER), Spacer(1, 2 * mm),
            _p(f"({period_line(r.period)})", italic=True, align=TA_CENTER), Spacer(1, 2 * mm),
            _p(rules.GRID_UNIT, italic=True, size=9, align=TA_RIGHT), Spacer(1, 1 * mm), grid_table(r),
            Spacer(1, 6 * mm), KeepTogether([sign])]


# --- charts -----------------------------------------------------------------------------------------
def _label(d: Drawing, x: float, y: float, text: str, size: float = 10) -> None:
    d.add(String(x, y, text, fontName=f"{fonts.SERIF}-Bold", fontSize=size))


def _legend(d: Drawing, x: float, y: float, items: list[tuple[Any, str]]) -> None:
    lg = Legend()
    lg.x, lg.y = round(x), round(y)  # the graphics stubs say int; whole points are fine here
    lg.fontName, lg.fontSize = fonts.SERIF, 8
    lg.alignment = "right"
    lg.columnMaximum = 1
    lg.deltax = 70
    lg.colorNamePairs = items
    d.add(lg)


def _axes(chart: Any) -> None:
    chart.categoryAxis.labels.fontName = fonts.SERIF
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontName = fonts.SERIF
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.forceZero = True


def timeliness_chart(r: Report, width: float = 250 * mm, height: float = 62 * mm) -> Drawing:
    """Early / on time / late per field (stacked horizontal bars)."""
    fields = r.fields() or ["—"]
    d = Drawing(width, height)
    _label(d, 0, height - 12, "Kết quả giải quyết theo lĩnh vực: trước hạn / đúng hạn / quá hạn")
    chart = HorizontalBarChart()
    chart.x, chart.y = round(60 * mm), round(8 * mm)
    chart.width, chart.height = round(width - 70 * mm), round(height - 30 * mm)
    chart.data = [[r.by_field[f].n(k) if f in r.by_field else 0 for f in fields]
                  for k in (rules.EARLY, rules.ON_TIME, rules.LATE)]
    chart.categoryAxis.categoryNames = [f[:38] for f in fields]
    chart.categoryAxis.style = "stacked"
    chart.barWidth = 6
    for i, c in enumerate((C_EARLY, C_ON_TIME, C_LATE)):
        chart.bars[i].fillColor = c
    _axes(chart)
    chart.valueAxis.valueStep = max(1, _step(max((sum(col) for col in zip(*chart.data)), default=0)))
    d.add(chart)
    _legend(d, width - 230, height - 10, [(C_EARLY, "Trước hạn"), (C_ON_TIME, "Đúng hạn"), (C_LATE, "Quá hạn")])
    return d


def _step(top: int) -> int:
    for step in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000):
        if top / step <= 8:
            return step
    return 20000


def weekly_chart(r: Report, width: float = 125 * mm, height: float = 70 * mm) -> Drawing:
    """Received (new) vs resolved, per week of the period."""
    d = Drawing(width, height)
    _label(d, 0, height - 12, "Tiếp nhận và giải quyết theo tuần")
    chart = VerticalBarChart()
    chart.x, chart.y = round(12 * mm), round(14 * mm)
    chart.width, chart.height = round(width - 18 * mm), round(height - 34 * mm)
    chart.data = [[w[1] for w in r.weeks], [w[2] for w in r.weeks]]
    chart.categoryAxis.categoryNames = [f"{w[0]:%d/%m}" for w in r.weeks]
    chart.bars[0].fillColor, chart.bars[1].fillColor = C_RECEIVED, C_RESOLVED
    _axes(chart)
    chart.valueAxis.valueStep = _step(max(max(chart.data[0], default=0), max(chart.data[1], default=0)))
    d.add(chart)
    _legend(d, width - 150, height - 10, [(C_RECEIVED, "Tiếp nhận"), (C_RESOLVED, "Giải quyết")])
    return d


def due_chart(ahead: dict[str, list[str]], width: float = 125 * mm, height: float = 70 * mm) -> Drawing:
    """Dossiers due in the next working days (and already overdue)."""
    d = Drawing(width, height)
    _label(d, 0, height - 12, "Hồ sơ đến hạn trong 5 ngày làm việc tới")
    chart = VerticalBarChart()
    chart.x, chart.y = round(12 * mm), round(14 * mm)
    chart.width, chart.height = round(width - 18 * mm), round(height - 34 * mm)
    keys = list(ahead)
    chart.data = [[len(ahead[k]) for k in keys]]
    chart.categoryAxis.categoryNames = ["Quá hạn" if k == "overdue" else f"{date.fromisoformat(k):%d/%m}"
                                        for k in keys]
    chart.bars[0].fillColor = C_ON_TIME
    chart.bars[(0, 0)].fillColor = C_LATE
    _axes(chart)
    chart.valueAxis.valueStep = _step(max(chart.data[0], default=0))
    d.add(chart)
    return d


def stats_table(r: Report) -> Table:
    rows = stat_rows(r.total)
    data: list[list[Any]] = [[_p("Chỉ tiêu", bold=True, size=9), _p("Số lượng", bold=True, size=9,
                                                                     align=TA_CENTER)]]
    data += [[_p(label, size=8), _p(str(v), size=8, align=TA_CENTER)] for label, v in rows]
    t = Table(data, colWidths=[82 * mm, 22 * mm])
    t.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), fonts.SERIF), ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                           ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    return t


def _stats_page(r: Report, ahead: dict[str, list[str]]) -> list[Flowable]:
    charts = Table([[weekly_chart(r)], [due_chart(ahead)]])
    charts.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), fonts.SERIF), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    layout = Table([[stats_table(r), charts]], colWidths=[110 * mm, None])
    layout.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), fonts.SERIF), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return [_p("SỐ LIỆU THỐNG KÊ VÀ BIỂU ĐỒ", bold=True, size=13, align=TA_CENTER),
            _p(f"({period_line(r.period)}; số liệu tính đến {datetime.fromisoformat(r.as_of):%H:%M %d/%m/%Y})",
               italic=True, size=9, align=TA_CENTER), Spacer(1, 3 * mm), layout, PageBreak(),
            timeliness_chart(r, height=max(62 * mm, (len(r.fields()) * 12 + 50) * mm / 3))]


def report(r: Report, ahead: dict[str, list[str]], h: HeaderLike) -> bytes:
    """Page 1 the grid; then the statistics with the weekly and due-ahead charts; then per field."""
    fonts.register()
    out = io.BytesIO()
    doc = _doc(out, rules.GRID_TITLE)
    doc.build([*_grid_page(r, h), PageBreak(), *_stats_page(r, ahead)], onFirstPage=_footer, onLaterPages=_footer)
    return out.getvalue()


# --- the tracking book ------------------------------------------------------------------------------
BOOK_WIDTHS_MM = (8, 42, 30, 8, 24, 24, 22, 18, 18, 18, 18, 18, 0)  # the note takes the rest


def _when(dt: datetime | None) -> str:
    return f"{dt:%H:%M}<br/>{dt:%d/%m/%Y}" if dt else ""


def book(entries: Sequence[BookEntry], p: Period, h: HeaderLike, heading: tuple[str, str] | None = None) -> bytes:
    """The book as a landscape table, header row repeated on every page. `heading`: its form number
    and title in the form set in force (Mẫu số 07, SỔ THEO DÕI HỒ SƠ), see forms.tracking_book."""
    form_no, title = heading or forms.tracking_book()
    fonts.register()
    out = io.BytesIO()
    doc = _doc(out, "Sổ theo dõi hồ sơ")
    width = PAGE[0] - 2 * MARGIN
    widths = [w * mm for w in BOOK_WIDTHS_MM[:-1]]
    widths.append(width - sum(widths))
    head = [_p(t, bold=True, size=7, align=TA_CENTER) for t in rules.BOOK_HEADERS]
    cell = _style(size=7)
    data: list[list[Any]] = [head]
    for e in entries:
        values = e.cells()
        row: list[Any] = []
        for i, v in enumerate(values):
            if isinstance(v, datetime):
                row.append(Paragraph(_when(v), cell))
            else:
                text = "" if v is None else str(v)
                row.append(Paragraph(text.replace("&", "&amp;").replace("<", "&lt;"), cell))
        data.append(row)
    t = Table(data, colWidths=widths, repeatRows=1)
    t.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), fonts.SERIF), ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
                           ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 2),
                           ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                           ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee"))]))
    story: list[Flowable] = [Table([[_p(h.agency.upper(), bold=True, size=10),
                                    _p(form_no, bold=True, size=9, align=TA_RIGHT)]],
                                  colWidths=[width * 0.7, width * 0.3],
                                  style=[("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                         ("VALIGN", (0, 0), (-1, -1), "TOP")]),
                             _p(title, bold=True, size=14, align=TA_CENTER),
                             _p(f"({period_line(p)})", italic=True, size=9, align=TA_CENTER), Spacer(1, 3 * mm), t]
    doc.build(story, onFirstPage=_footer, onLaterPages=_footer)
    return out.getvalue()
