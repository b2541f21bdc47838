"""The supervisor's desk (F7): a period, its numbers as tiles, Biểu II.06, charts, the tracking book.

Every read runs off the UI thread through `window.ops` (a year of a busy centre is 100,000 dossiers);
clicking a tile or a number of the grid lists the dossiers behind it. Charts are painted with
QPainter (PySide6-Essentials has no QtCharts): early / on time / late per field, received vs resolved
per week, dossiers due in the next working days — the same three the PDF draws.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from ..domain import reports as rules
from ..domain.dossier import Status
from ..domain.reports import BookEntry, Period
from ..services import reports
from .dialogs import Dialogs
from .ops import Ops
from .qt import (
    QColor,
    QComboBox,
    QDate,
    QDateEdit,
    QFont,
    QFontMetrics,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPainter,
    QPushButton,
    QRect,
    QSize,
    QSizePolicy,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    Signal,
)

EARLY, ON_TIME, LATE = QColor("#2e7d32"), QColor("#1565c0"), QColor("#c62828")
RECEIVED, RESOLVED = QColor("#6d4c41"), QColor("#1565c0")
PERIODS = (("week", "Tuần này"), ("month", "Tháng này"), ("quarter", "Quý này"), ("custom", "Tùy chọn"))

# Tiles: label, buckets behind the number ("rate"/"mean" are computed).
TILES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Tiếp nhận mới", ("received",)), ("Từ kỳ trước", ("carried_over",)),
    ("Trước hạn", (rules.EARLY,)), ("Đúng hạn", (rules.ON_TIME,)), ("Quá hạn", (rules.LATE,)),
    ("Tỉ lệ đúng hạn", ("rate",)), ("Hài lòng", ("rated",)),
    ("Đang giải quyết\ntrong hạn", ("within_due",)), ("Đang giải quyết\nquá hạn", ("past_due",)),
    ("Chờ bổ sung", ("supplement_requested",)), ("Từ chối", ("refused",)),
    ("Rút / dừng", ("withdrawn", "stopped")), ("Xin lỗi, hẹn lại", ("apologies",)),
    ("Chờ trả kết quả", ("awaiting_pickup",)),
)


class BarChart(QWidget):
    """A small bar chart: categories × series, grouped or stacked, painted (no QtCharts)."""

    clicked = Signal(int)  # category index

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.categories: list[str] = []
        self.series: list[tuple[str, QColor, list[int]]] = []
        self.stacked = False
        self.horizontal = False
        self.setMinimumSize(QSize(240, 190))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_data(self, categories: Sequence[str], series: Sequence[tuple[str, QColor, list[int]]], *,
                 stacked: bool = False, horizontal: bool = False) -> None:
        self.categories, self.series = list(categories), list(series)
        self.stacked, self.horizontal = stacked, horizontal
        self.update()

    def totals(self) -> list[int]:
        return [sum(s[2][i] for s in self.series) for i in range(len(self.categories))]

    def _top(self) -> int:
        if not self.categories:
            return 1
        if self.stacked:
            return max(1, max(self.totals()))
        return max(1, max((max(s[2], default=0) for s in self.series), default=0))

    def paintEvent(self, _event: Any) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("white"))
        font = QFont(self.font())
        font.setBold(True)
        p.setFont(font)
        p.setPen(QColor("#14304f"))
        p.drawText(QRect(6, 2, self.width() - 12, 20), Qt.AlignmentFlag.AlignLeft, self.title)
        small = QFont(self.font())
        small.setPointSizeF(max(6.5, small.pointSizeF() - 2))
        p.setFont(small)
        fm = QFontMetrics(small)
        # legend
        x = 6
        for name, color, _ in self.series:
            p.fillRect(QRect(x, 24, 10, 10), color)
            p.setPen(QColor("#333"))
            p.drawText(x + 14, 33, name)
            x += 22 + fm.horizontalAdvance(name)
        area = QRect(8, 42, self.width() - 16, self.height() - 62)
        if not self.categories:
            p.drawText(area, Qt.AlignmentFlag.AlignCenter, "Không có số liệu")
            return
        top = self._top()
        n = len(self.categories)
        if self.horizontal:
            label_w = min(110, max(fm.horizontalAdvance(c) for c in self.categories) + 6)
            bars = QRect(area.left() + label_w, area.top(), area.width() - label_w - 24, area.height())
            step = bars.height() / n
            for i, cat in enumerate(self.categories):
                y = int(bars.top() + i * step + step * 0.2)
                h = max(4, int(step * 0.6))
                p.setPen(QColor("#333"))
                p.drawText(QRect(area.left(), y, label_w - 4, h), Qt.AlignmentFlag.AlignRight
                           | Qt.AlignmentFlag.AlignVCenter, fm.elidedText(cat, Qt.TextElideMode.ElideRight, label_w - 6))
                left = bars.left()
                for _name, color, values in self.series:
                    w = int(bars.width() * values[i] / top)
                    p.fillRect(QRect(left, y, w, h), color)
                    left += w
                p.drawText(left + 4, y + h - 2, str(self.totals()[i]))
            return
        p.setPen(QColor("#999"))
        p.drawLine(area.left(), area.bottom(), area.right(), area.bottom())
        step = area.width() / n
        groups = 1 if self.stacked else max(1, len(self.series))
        for i, cat in enumerate(self.categories):
            x0 = area.left() + i * step + step * 0.15
            bw = step * 0.7 / groups
            base = area.bottom()
            for k, (_name, color, values) in enumerate(self.series):
                h = int((area.height() - 14) * values[i] / top)
                bx = int(x0 if self.stacked else x0 + k * bw)
                p.fillRect(QRect(bx, base - h, max(2, int(bw)), h), color)
                if not self.stacked and values[i]:
                    p.setPen(QColor("#333"))
                    p.drawText(QRect(bx - 4, base - h - 13, int(bw) + 8, 12), Qt.AlignmentFlag.AlignCenter,
                               str(values[i]))
                if self.stacked:
                    base -= h
            p.setPen(QColor("#333"))
            p.drawText(QRect(int(area.left() + i * step), area.bottom() + 2, int(step), 14),
                       Qt.AlignmentFlag.AlignCenter, cat)

    def mousePressEvent(self, event: Any) -> None:  # noqa: N802
        if not self.categories:
            return
        pos = event.position()
        if self.horizontal:
            i = int((pos.y() - 42) / max(1, (self.height() - 62) / len(self.categories)))
        else:
            i = int((pos.x() - 8) / max(1, (self.width() - 16) / len(self.categories)))
        if 0 <= i < len(self.categories):
            self.clicked.emit(i)


class Tile(QPushButton):
    def __init__(self, label: str, buckets: tuple[str, ...]) -> None:
        super().__init__()
        self.label, self.buckets = label, buckets
        self.setObjectName("reportTile")
        self.setMinimumHeight(58)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setStyleSheet("QPushButton#reportTile { text-align: center; padding: 2px; }")
        self.set_value("—")

    def set_value(self, value: str) -> None:
        self.setText(f"{value}\n{self.label}")


class ReportDesk(QWidget):
    """The supervisor's desk. `loaded` fires when a period's numbers are on screen (tests wait on it)."""

    loaded = Signal()
    book_loaded = Signal()

    def __init__(self, ctx: Any, ops: Ops, dialogs: Dialogs, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.ops, self.dialogs = ctx, ops, dialogs
        self.overview: reports.Overview | None = None
        self.entries: list[BookEntry] = []
        self.period_value: Period | None = None

        self.kind = QComboBox()
        for key, label in PERIODS:
            self.kind.addItem(label, key)
        self.kind.setCurrentIndex(1)
        self.date_from, self.date_to = QDateEdit(), QDateEdit()
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd/MM/yyyy")
            edit.setEnabled(False)
        self.show_button = QPushButton("Xem")
        self.xlsx_button = QPushButton("Xuất Excel…")
        self.pdf_button = QPushButton("Xuất PDF…")
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Kỳ báo cáo:"))
        bar.addWidget(self.kind)
        bar.addWidget(QLabel("từ"))
        bar.addWidget(self.date_from)
        bar.addWidget(QLabel("đến"))
        bar.addWidget(self.date_to)
        bar.addWidget(self.show_button)
        bar.addStretch(1)
        bar.addWidget(self.xlsx_button)
        bar.addWidget(self.pdf_button)
        self.period_label = QLabel()
        self.period_label.setObjectName("reportPeriod")

        # overview: tiles, charts, the list behind a number
        self.tiles = [Tile(label, buckets) for label, buckets in TILES]
        tiles = QGridLayout()
        tiles.setSpacing(4)
        for i, tile in enumerate(self.tiles):
            tiles.addWidget(tile, i // 7, i % 7)
            tile.clicked.connect(lambda _=False, t=tile: self.list_tile(t))
        self.timeliness_chart = BarChart("Kết quả theo lĩnh vực")
        self.weekly_chart = BarChart("Tiếp nhận / giải quyết theo tuần")
        self.due_chart = BarChart("Đến hạn 5 ngày làm việc tới")
        self.timeliness_chart.clicked.connect(self._field_clicked)
        self.due_chart.clicked.connect(self._due_clicked)
        charts = QHBoxLayout()
        for chart in (self.timeliness_chart, self.weekly_chart, self.due_chart):
            charts.addWidget(chart)
        self.list_title = QLabel("Bấm vào một con số để xem danh sách hồ sơ.")
        self.dossier_list = QListWidget()
        self.dossier_list.setObjectName("reportDossiers")
        self.dossier_list.setMinimumHeight(80)
        overview = QWidget()
        ov = QVBoxLayout(overview)
        ov.setContentsMargins(0, 4, 0, 0)
        ov.addLayout(tiles)
        ov.addLayout(charts, 3)
        ov.addWidget(self.list_title)
        ov.addWidget(self.dossier_list, 2)

        # the grid
        self.grid = QTableWidget(0, len(rules.GRID_HEADERS))
        self.grid.setObjectName("reportGrid")
        self.grid.setHorizontalHeaderLabels([f"({i}) {h}" if i > 2 else h for i, h in
                                             enumerate(rules.GRID_HEADERS, start=1)])
        self.grid.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.grid.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.grid.horizontalHeader().setMinimumSectionSize(40)
        self.grid.verticalHeader().setVisible(False)
        self.grid.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.grid.cellClicked.connect(self.list_grid_cell)
        self.grid_list = QListWidget()
        gw = QWidget()
        gl = QVBoxLayout(gw)
        gl.setContentsMargins(0, 4, 0, 0)
        groups = QLabel("Tiếp nhận: (3) tổng số = (4) trực tuyến + (5) trực tiếp, bưu chính + (6) từ kỳ trước · "
                        "Đã giải quyết: (7)–(10) · Đang giải quyết: (11)–(13)")
        groups.setWordWrap(True)
        gl.addWidget(groups)
        gl.addWidget(self.grid, 3)
        gl.addWidget(self.grid_list, 2)

        # the tracking book
        self.book_field, self.book_status, self.book_text = QComboBox(), QComboBox(), QLineEdit()
        self.book_field.addItem("Mọi lĩnh vực", "")
        self.book_status.addItem("Mọi trạng thái", "")
        for s in Status:
            self.book_status.addItem(s.label, s.value)
        self.book_text.setPlaceholderText("Tên, mã hồ sơ, số điện thoại…")
        self.book_button = QPushButton("Lọc")
        self.book_xlsx = QPushButton("Sổ ra Excel…")
        self.book_pdf = QPushButton("Sổ ra PDF…")
        fb = QHBoxLayout()
        for w in (self.book_field, self.book_status, self.book_text, self.book_button, self.book_xlsx, self.book_pdf):
            fb.addWidget(w)
        self.book_table = QTableWidget(0, len(rules.BOOK_HEADERS))
        self.book_table.setObjectName("bookTable")
        self.book_table.setHorizontalHeaderLabels(list(rules.BOOK_HEADERS))
        self.book_table.verticalHeader().setVisible(False)
        self.book_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        bw = QWidget()
        bl = QVBoxLayout(bw)
        bl.setContentsMargins(0, 4, 0, 0)
        bl.addLayout(fb)
        bl.addWidget(self.book_table, 1)

        self.tabs = QTabWidget()
        self.tabs.addTab(overview, "Tổng quan")
        self.tabs.addTab(gw, "Biểu II.06")
        self.tabs.addTab(bw, "Sổ theo dõi hồ sơ")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 6)
        layout.addLayout(bar)
        layout.addWidget(self.period_label)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        layout.addWidget(line)
        layout.addWidget(self.tabs, 1)

        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.show_button.clicked.connect(self.refresh)
        self.xlsx_button.clicked.connect(lambda: self.export("xlsx"))
        self.pdf_button.clicked.connect(lambda: self.export("pdf"))
        self.book_button.clicked.connect(self.load_book)
        self.book_text.returnPressed.connect(self.load_book)
        self.book_xlsx.clicked.connect(lambda: self.export_book("xlsx"))
        self.book_pdf.clicked.connect(lambda: self.export_book("pdf"))
        self._kind_changed()

    # --- period -------------------------------------------------------------------------------------
    def _kind_changed(self, *_: Any) -> None:
        key = self.kind.currentData()
        custom = key == "custom"
        self.date_from.setEnabled(custom)
        self.date_to.setEnabled(custom)
        if not custom:
            p = reports.named_period(self.ctx, key)
            self.date_from.setDate(QDate(p.start.year, p.start.month, p.start.day))
            self.date_to.setDate(QDate(p.end.year, p.end.month, p.end.day))

    def period(self) -> Period:
        f, t = self.date_from.date(), self.date_to.date()
        return reports.period(self.ctx, date(f.year(), f.month(), f.day()), date(t.year(), t.month(), t.day()))

    def set_custom(self, start: date, end: date) -> None:
        self.kind.setCurrentIndex([k for k, _ in PERIODS].index("custom"))
        self.date_from.setDate(QDate(start.year, start.month, start.day))
        self.date_to.setDate(QDate(end.year, end.month, end.day))

    def page_entered(self) -> None:
        if self.overview is None and self.period_value is None:  # first visit: this month
            self.refresh()
        self.kind.setFocus()

    # --- loading (off the UI thread) --------------------------------------------------------------
    def refresh(self) -> None:
        try:
            p = self.period()
        except Exception as exc:
            self.dialogs.show_error(self, exc, doing="chọn kỳ báo cáo")
            return
        self.period_value = p
        self.period_label.setText(f"Đang tính số liệu từ ngày {p.start:%d/%m/%Y} đến ngày {p.end:%d/%m/%Y}…")
        self.ops.run(reports.overview, p, on_done=self._show, parent=self, doing="tính số liệu báo cáo")
        self.load_book()

    def _show(self, ov: reports.Overview) -> None:
        self.overview = ov
        r, t = ov.report, ov.report.total
        self.period_label.setText(f"Từ ngày {r.period.start:%d/%m/%Y} đến ngày {r.period.end:%d/%m/%Y} · "
                                  f"{t.received_total} hồ sơ tiếp nhận (kể cả từ kỳ trước), {t.resolved} đã giải quyết")
        for tile in self.tiles:
            if tile.buckets == ("rate",):
                tile.set_value(f"{t.on_time_rate * 100:.1f}%" if t.on_time_rate is not None else "—")
            elif tile.buckets == ("rated",):
                mean = t.to_json()["satisfaction"]["mean"]
                tile.set_value(f"{mean:.1f} ({len(t.ratings)})" if mean is not None else "—")
            else:
                tile.set_value(str(sum(t.n(b) for b in tile.buckets)))
        fields = r.fields()
        self.timeliness_chart.set_data(fields, [
            ("Trước hạn", EARLY, [r.by_field[f].n(rules.EARLY) for f in fields]),
            ("Đúng hạn", ON_TIME, [r.by_field[f].n(rules.ON_TIME) for f in fields]),
            ("Quá hạn", LATE, [r.by_field[f].n(rules.LATE) for f in fields])], stacked=True, horizontal=True)
        self.weekly_chart.set_data([f"{w:%d/%m}" for w, _, _ in r.weeks], [
            ("Tiếp nhận", RECEIVED, [n for _, n, _ in r.weeks]), ("Giải quyết", RESOLVED, [n for _, _, n in r.weeks])])
        keys = list(ov.due_ahead)
        self.due_chart.set_data(["Quá hạn" if k == "overdue" else f"{date.fromisoformat(k):%d/%m}" for k in keys],
                                [("Hồ sơ", ON_TIME, [len(ov.due_ahead[k]) for k in keys])])
        rows = rules.grid(r)
        self.grid.setRowCount(len(rows))
        for i, values in enumerate(rows):
            for j, v in enumerate(values):
                item = QTableWidgetItem(str(v))
                if j != 1:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if i == len(rows) - 1:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.grid.setItem(i, j, item)
        current = self.book_field.currentData()
        self.book_field.blockSignals(True)
        self.book_field.clear()
        self.book_field.addItem("Mọi lĩnh vực", "")
        for f in fields:
            self.book_field.addItem(f, f)
        self.book_field.setCurrentIndex(max(0, self.book_field.findData(current)))
        self.book_field.blockSignals(False)
        self.loaded.emit()

    # --- the dossiers behind a number ---------------------------------------------------------------
    def _list(self, target: QListWidget, title: str, codes: list[str]) -> None:
        if target is self.dossier_list:
            self.list_title.setText(f"{title}: {len(codes)} hồ sơ")
        target.clear()
        if title and target is self.grid_list:
            target.addItem(f"{title}: {len(codes)} hồ sơ")
        names = reports.labels(self.ctx, codes[:500])
        for code in codes[:500]:
            target.addItem(f"{code}   {names.get(code, '')}")
        if len(codes) > 500:
            target.addItem(f"… và {len(codes) - 500} hồ sơ khác (xuất Excel để xem hết)")

    def list_tile(self, tile: Tile) -> None:
        if self.overview is None or tile.buckets == ("rate",):
            buckets: tuple[str, ...] = (rules.EARLY, rules.ON_TIME) if tile.buckets == ("rate",) else ()
        else:
            buckets = tile.buckets
        if self.overview is None:
            return
        codes = rules.codes_of(self.overview.report.total, buckets)
        self._list(self.dossier_list, tile.label.replace("\n", " "), codes)

    def list_grid_cell(self, row: int, col: int) -> None:
        if self.overview is None or col < 2:
            return
        r = self.overview.report
        fields = r.fields()
        tally = r.by_field[fields[row]] if row < len(fields) else r.total
        name = fields[row] if row < len(fields) else "Tổng cộng"
        codes = rules.codes_of(tally, rules.GRID_BUCKETS[col - 2])
        self._list(self.grid_list, f"{name} · ({col + 1}) {rules.GRID_HEADERS[col]}", codes)

    def _field_clicked(self, i: int) -> None:
        if self.overview is None:
            return
        f = self.overview.report.fields()[i]
        codes = rules.codes_of(self.overview.report.by_field[f], (rules.EARLY, rules.ON_TIME, rules.LATE))
        self._list(self.dossier_list, f"Đã giải quyết · {f}", codes)

    def _due_clicked(self, i: int) -> None:
        if self.overview is None:
            return
        key = list(self.overview.due_ahead)[i]
        title = "Đang giải quyết đã quá hạn" if key == "overdue" else f"Hẹn trả ngày {date.fromisoformat(key):%d/%m/%Y}"
        self._list(self.dossier_list, title, self.overview.due_ahead[key])

    # --- the tracking book -------------------------------------------------------------------------
    def load_book(self) -> None:
        p = self.period_value or self.period()
        self.ops.run(reports.book, p, field=self.book_field.currentData() or None,
                     status=self.book_status.currentData() or None, text=self.book_text.text() or None,
                     on_done=self._show_book, parent=self, doing="đọc sổ theo dõi hồ sơ")

    def _show_book(self, entries: list[BookEntry]) -> None:
        self.entries = entries
        shown = entries[:2000]  # the screen shows the first 2,000; the exports have them all
        self.book_table.setRowCount(len(shown))
        for i, e in enumerate(shown):
            for j, v in enumerate(e.cells()):
                text = f"{v:%H:%M %d/%m/%Y}" if hasattr(v, "strftime") else ("" if v is None else str(v))
                self.book_table.setItem(i, j, QTableWidgetItem(text))
        self.book_table.resizeColumnsToContents()
        self.book_loaded.emit()

    # --- exports -----------------------------------------------------------------------------------
    def _ask_path(self, what: str, suffix: str) -> tuple[Path, bool] | None:
        """Where to write, and whether the user agreed to replace a file already there."""
        p = self.period_value or self.period()
        name = f"{what}-{p.start:%Y%m%d}-{p.end:%Y%m%d}.{suffix}"
        chosen = self.dialogs.choose_save_file(self, f"Lưu {what}", name,
                                               "Excel (*.xlsx)" if suffix == "xlsx" else "PDF (*.pdf)")
        if not chosen:
            return None
        path = Path(chosen)
        path = path if path.suffix.lower() == f".{suffix}" else path.with_name(path.name + f".{suffix}")
        if path.exists():
            if not self.dialogs.confirm(self, f"Tệp {path} đã có. Ghi đè?", "Ghi đè tệp", yes="Ghi đè", no="Không"):
                return None
            return path, True
        return path, False

    def export(self, kind: str) -> None:
        chosen = self._ask_path("bao-cao", kind)
        if chosen is None:
            return
        path, force = chosen
        p = self.period_value or self.period()
        write = reports.write_xlsx if kind == "xlsx" else reports.write_pdf
        self.ops.run(write, p, path, force=force, on_done=lambda out: self.dialogs.info(self, f"Đã ghi {out}"), parent=self,
                     doing="xuất báo cáo")

    def export_book(self, kind: str) -> None:
        chosen = self._ask_path("so-theo-doi", kind)
        if chosen is None:
            return
        path, force = chosen
        p = self.period_value or self.period()
        self.ops.run(reports.write_book, p, path, kind, force=force, field=self.book_field.currentData() or None,
                     status=self.book_status.currentData() or None, text=self.book_text.text() or None,
                     on_done=lambda out: self.dialogs.info(self, f"Đã ghi {out}"), parent=self,
                     doing="xuất sổ theo dõi hồ sơ")

