"""The first three steps of the intake wizard: procedure, applicant, checklist.

Each step is a plain widget with `focus_first()`, `validate() -> list[str]` (Vietnamese problems; []
when the wizard may go on) and an `enter_pressed` signal the wizard treats as "Tiếp tục". Nothing is
written here: the outcome step is the only one that calls a service.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..domain.applicant import ID_KIND_LABELS, Applicant, DELIVERY_LABELS, normalized, parse_cccd_qr, validate
from ..domain.catalog import Document, Procedure
from ..domain.dossier import FORM_LABELS, Provided, missing_components
from ..errors import UserError
from ..services import catalog
from ..services.context import Context
from .dialogs import Dialogs
from .fmt import esc, fee_text, time_text, unconfirmed_mark
from .procedure_view import ProcedureDetail
from .qt import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QKeyEvent,
    QKeySequence,
    QLabel,
    QLineEdit,
    QMouseEvent,
    QRadioButton,
    QScrollArea,
    QShortcut,
    QSpinBox,
    QSplitter,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from .result_list import ResultList
from .search_view import MAX_QUERY_CHARS, SearchBox


def _title(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("stepTitle")
    return label


def _mark_invalid(widget: QWidget, invalid: bool) -> None:
    """Red border through the QSS `[invalid="true"]` rule."""
    if widget.property("invalid") != invalid:
        widget.setProperty("invalid", invalid)
        widget.style().unpolish(widget)
        widget.style().polish(widget)


# --- 1. procedure ------------------------------------------------------------------------------
class ProcedureStep(QWidget):
    """Pick the procedure (already chosen when the wizard starts from the search desk)."""

    enter_pressed = Signal()

    def __init__(self, ctx: Context, dialogs: Dialogs, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.dialogs = ctx, dialogs
        self.procedure: Procedure | None = None
        self.box = SearchBox()
        self.box.setObjectName("searchBox")
        self.box.setMaxLength(MAX_QUERY_CHARS)
        self.box.setPlaceholderText("Gõ tên hoặc mã thủ tục (không cần dấu)")
        self.results = ResultList()
        self.results.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.detail = ProcedureDetail()
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.results)
        split.addWidget(self.detail)
        split.setSizes([420, 560])
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(_title("Chọn thủ tục hành chính"))
        layout.addWidget(self.box)
        layout.addWidget(split, 1)
        self.box.textChanged.connect(self._search)
        self.box.navigate.connect(lambda e: self.results.move_by(
            {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1, Qt.Key.Key_PageUp: -8, Qt.Key.Key_PageDown: 8}[Qt.Key(e.key())]))
        self.box.activated.connect(self.enter_pressed)
        self.results.currentItemChanged.connect(lambda *_: self._show_current())
        self.results.itemActivated.connect(lambda *_: self.enter_pressed.emit())

    def _search(self, text: str) -> None:
        try:
            hits = catalog.search(self.ctx, text, 50) if text.strip() else []
        except Exception as exc:
            hits = []
            self.dialogs.show_error(self, exc, doing="tìm thủ tục")
        self.results.set_hits(hits)
        if not hits and self.procedure is None:
            self.detail.show_placeholder()

    def _show_current(self) -> None:
        code = self.results.current_code()
        if code is None:
            return
        try:
            _version, self.procedure = catalog.procedure(self.ctx, code)
        except Exception as exc:
            self.dialogs.show_error(self, exc, doing="xem thủ tục")
            return
        self.detail.show_procedure(self.procedure)

    def choose(self, code: str) -> Procedure:
        """Pre-select a procedure by code (from the search desk)."""
        _version, self.procedure = catalog.procedure(self.ctx, code)
        self.box.blockSignals(True)
        self.box.setText(self.procedure.name)
        self.box.blockSignals(False)
        self.results.clear()
        self.detail.show_procedure(self.procedure)
        return self.procedure

    def reset(self) -> None:
        self.procedure = None
        self.box.clear()
        self.results.clear()
        self.detail.show_placeholder()

    def focus_first(self) -> None:
        self.box.setFocus()
        self.box.selectAll()

    def validate(self) -> list[str]:
        return [] if self.procedure is not None else ["Chưa chọn thủ tục."]


# --- 2. applicant ------------------------------------------------------------------------------
class _Line(QLineEdit):
    """A form field. QLineEdit lets Enter travel up to its parents: the wizard takes it as "next"."""


class QrBox(QLineEdit):
    """Where a scanner types (or the clerk pastes) the CCCD QR; its Enter fills the form, nothing more."""

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.returnPressed.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class ApplicantStep(QWidget):
    enter_pressed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.qr = QrBox()
        self.qr.setObjectName("qrBox")
        self.qr.setPlaceholderText("Quét mã QR trên thẻ CCCD (hoặc dán chuỗi QR) để điền sẵn")
        self.individual = QRadioButton("Cá nhân  (Alt+N)")
        self.organisation = QRadioButton("Tổ chức  (Alt+T)")
        self.individual.setChecked(True)
        self.kind_group = QButtonGroup(self)
        self.kind_group.addButton(self.individual)
        self.kind_group.addButton(self.organisation)
        self.name = _Line()
        self.id_number = _Line()
        # Guessed from the number by default; a foreign passport of digits only is chosen here. Off the
        # Tab chain (name → number → phone stays three keys); Alt+L reaches it from the keyboard.
        self.id_kind = QComboBox()
        self.id_kind.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.id_kind.addItem("Theo số (CCCD 12 số, CMND 9 số)", None)
        for key in ("cccd", "cmnd", "passport"):
            self.id_kind.addItem(ID_KIND_LABELS[key], key)
        self.phone = _Line()
        self.address = _Line()
        self.email = _Line()
        self.delivery = QComboBox()
        for key, label in DELIVERY_LABELS.items():
            self.delivery.addItem(label, key)
        self.delivery_address = _Line()
        self.delivery_address.setPlaceholderText("Để trống: gửi về địa chỉ ở trên")
        self.name.setPlaceholderText("Họ và tên đầy đủ, có dấu")
        self.phone.setPlaceholderText("Ví dụ 0912345678")
        self.problems = QLabel()
        self.problems.setObjectName("fieldError")
        self.problems.setWordWrap(True)
        self.notice = QLabel()
        self.notice.setObjectName("fieldNotice")

        kind_row = QHBoxLayout()
        kind_row.addWidget(self.individual)
        kind_row.addWidget(self.organisation)
        kind_row.addStretch(1)
        self.form = QFormLayout()
        self.form.setHorizontalSpacing(18)
        self.form.setVerticalSpacing(9)
        self.form.addRow("Mã QR CCCD", self.qr)
        self.form.addRow("Người nộp là", kind_row)
        self.name_label = QLabel("Họ và tên *")
        self.id_label = QLabel("Số CCCD / CMND / hộ chiếu *")
        self.form.addRow(self.name_label, self.name)
        id_row = QHBoxLayout()
        id_row.addWidget(self.id_number, 3)
        kind_label = QLabel("&Loại")
        kind_label.setBuddy(self.id_kind)
        id_row.addSpacing(10)
        id_row.addWidget(kind_label)
        id_row.addWidget(self.id_kind, 2)
        self.form.addRow(self.id_label, id_row)
        self.form.addRow("Số điện thoại", self.phone)
        self.form.addRow("Địa chỉ", self.address)
        self.form.addRow("Email", self.email)
        self.form.addRow("Nhận kết quả", self.delivery)
        self.form.addRow("Địa chỉ nhận qua bưu chính", self.delivery_address)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(_title("Thông tin người nộp hồ sơ"))
        layout.addLayout(self.form)
        layout.addWidget(self.notice)
        layout.addWidget(self.problems)
        layout.addStretch(1)

        self.qr.returnPressed.connect(self.fill_from_qr)
        self.organisation.toggled.connect(self._kind_changed)
        self.delivery.currentIndexChanged.connect(self._delivery_changed)
        self._delivery_changed()
        # The clerk's order, whatever order the widgets were made in. Tab goes from the QR box straight to
        # the name: a focused radio button showed no mark, and a name typed there was lost (its number
        # then landed in the name field). The kind is Alt+N / Alt+T; the document-kind list is guessed.
        for radio, keys in ((self.individual, "Alt+N"), (self.organisation, "Alt+T")):
            radio.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(radio.click)
        chain = (self.qr, self.name, self.id_number, self.phone, self.address, self.email,
                 self.delivery, self.delivery_address)
        for first, second in zip(chain, chain[1:]):
            self.setTabOrder(first, second)

    def _kind_changed(self) -> None:
        org = self.organisation.isChecked()
        self.name_label.setText("Tên tổ chức *" if org else "Họ và tên *")
        self.id_label.setText("Mã số thuế *" if org else "Số CCCD / CMND / hộ chiếu *")
        self.id_kind.setVisible(not org)

    def _delivery_changed(self) -> None:
        self.delivery_address.setEnabled(self.delivery.currentData() == "post")

    def fill_from_qr(self) -> bool:
        """Pre-fill name, ID and address from a scanned CCCD QR; the clerk still checks them."""
        text = self.qr.text()
        if not text.strip():
            self.name.setFocus()
            return False
        try:
            data = parse_cccd_qr(text)
        except UserError as exc:
            self.problems.setText(exc.message_vi)
            self.notice.clear()
            _mark_invalid(self.qr, True)
            return False
        _mark_invalid(self.qr, False)
        self.individual.setChecked(True)
        self.name.setText(data.name)
        self.id_number.setText(data.id_number)
        self.id_kind.setCurrentIndex(self.id_kind.findData("cccd"))
        if data.address:
            self.address.setText(data.address)
        self.problems.clear()
        self.notice.setText("✔ Đã điền họ tên, số CCCD và địa chỉ theo mã QR — đối chiếu lại với thẻ.")
        self.qr.clear()
        self.phone.setFocus()  # name, ID and address came from the card: the phone is next
        return True

    def applicant(self) -> Applicant:
        return Applicant(
            name=self.name.text(),
            id_number=self.id_number.text() or None,
            id_kind=None if self.organisation.isChecked() else self.id_kind.currentData(),
            kind="organisation" if self.organisation.isChecked() else "individual",
            phone=self.phone.text() or None,
            email=self.email.text() or None,
            address=self.address.text() or None,
            delivery=self.delivery.currentData(),
            delivery_address=self.delivery_address.text() or None,
        )

    def set_applicant(self, a: Applicant) -> None:
        (self.organisation if a.kind == "organisation" else self.individual).setChecked(True)
        self.name.setText(a.name or "")
        self.id_number.setText(a.id_number or "")
        self.id_kind.setCurrentIndex(max(0, self.id_kind.findData(a.id_kind)))
        self.phone.setText(a.phone or "")
        self.address.setText(a.address or "")
        self.email.setText(a.email or "")
        self.delivery.setCurrentIndex(max(0, self.delivery.findData(a.delivery)))
        self.delivery_address.setText(a.delivery_address or "")

    def validate(self) -> list[str]:
        problems = validate(self.applicant())
        text = " ".join(problems)
        _mark_invalid(self.name, "tên" in text)
        _mark_invalid(self.id_number, any(w in text for w in ("CCCD", "CMND", "hộ chiếu", "giấy tờ", "thuế")))
        _mark_invalid(self.phone, "điện thoại" in text)
        _mark_invalid(self.email, "email" in text)
        _mark_invalid(self.delivery_address, "bưu chính cần địa chỉ" in text)
        self.problems.setText("\n".join(problems))
        invalid = [w for w in (self.name, self.id_number, self.phone, self.email, self.delivery_address)
                   if w.property("invalid")]
        if invalid:
            invalid[0].setFocus()
            invalid[0].selectAll()
        return problems

    def has_input(self) -> bool:
        return any(w.text().strip() for w in (self.name, self.id_number, self.phone, self.address, self.email))

    def reset(self) -> None:
        for line in (self.qr, self.name, self.id_number, self.phone, self.address, self.email, self.delivery_address):
            line.clear()
            _mark_invalid(line, False)
        self.individual.setChecked(True)
        self.id_kind.setCurrentIndex(0)
        self.delivery.setCurrentIndex(0)
        self.problems.clear()
        self.notice.clear()

    def focus_first(self) -> None:
        self.qr.setFocus() if not self.name.text() else self.name.setFocus()


# --- 3. checklist ------------------------------------------------------------------------------
@dataclass
class _Row:
    doc: Document
    check: QCheckBox
    form: QComboBox
    count: QSpinBox
    name: QLabel | None = None  # the component's name, wrapped (a check box's own text never wraps)


class _NameLabel(QLabel):
    """A component's name beside its check box: wraps at the column's width; a click ticks the box."""

    def __init__(self, text: str, check: QCheckBox) -> None:
        super().__init__(text)
        self.check = check
        self.setWordWrap(True)
        self.setObjectName("componentName")

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self.check.isEnabled():
            self.check.toggle()
            self.check.setFocus(Qt.FocusReason.MouseFocusReason)
        event.accept()


class ChecklistStep(QWidget):
    """Each component: handed in or not, original or copy, how many; a live list of what is missing."""

    enter_pressed = Signal()
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.procedure: Procedure | None = None
        self.rows: list[_Row] = []
        self.grid_host = QWidget()
        self.grid_host.setObjectName("checklist")
        self.grid = QGridLayout(self.grid_host)
        self.grid.setHorizontalSpacing(14)
        self.grid.setVerticalSpacing(8)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        # Names wrap instead: the columns Yêu cầu / Hình thức / Số lượng are never off-screen at 1024 px.
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.grid_host)
        self.scroll_area = scroll
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes from the last component to the buttons
        self.summary = QLabel()
        self.summary.setObjectName("checklistSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        hint = QLabel("Dấu cách: đánh dấu đã nộp · Tab: sang ô kế · F8: đủ thành phần bắt buộc · Enter: tiếp tục")
        hint.setObjectName("hintLabel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(_title("Kiểm tra thành phần hồ sơ"))
        layout.addWidget(scroll, 1)
        layout.addWidget(self.summary)
        layout.addWidget(hint)

    def set_procedure(self, procedure: Procedure, provided: list[Provided] | None = None) -> None:
        """Build the rows; `provided` pre-ticks components (a supplement round resumes from them)."""
        self.procedure = procedure
        while self.grid.count():
            item = self.grid.takeAt(0)
            old = item.widget() if item is not None else None
            if old is not None:
                old.deleteLater()
        self.rows = []
        for col, text in enumerate(["Thành phần hồ sơ", "Yêu cầu", "Hình thức", "Số lượng"]):
            head = QLabel(text)
            head.setObjectName("gridHeader")
            self.grid.addWidget(head, 0, col)
        given = {p.number: p for p in provided or []}
        previous: QWidget | None = None
        for i, doc in enumerate(procedure.documents, start=1):
            check = QCheckBox(f"{i}.")
            check.setObjectName("componentCheck")
            check.setToolTip(doc.note or doc.name)
            check.setAccessibleName(f"{i}. {doc.name}")
            name = _NameLabel(doc.name, check)
            name.setToolTip(doc.note or doc.name)
            cell = QWidget()
            cell_layout = QHBoxLayout(cell)
            cell_layout.setContentsMargins(0, 0, 0, 0)
            cell_layout.setSpacing(4)
            cell_layout.addWidget(check, 0, Qt.AlignmentFlag.AlignTop)
            cell_layout.addWidget(name, 1)
            need = QLabel("Bắt buộc" if doc.required else "Nếu có")
            need.setObjectName("required" if doc.required else "optional")
            form = QComboBox()
            for key, label in FORM_LABELS.items():
                form.addItem(label, key)
            count = QSpinBox()
            count.setRange(1, 99)
            default_form = "original" if (doc.originals or 0) > 0 or not doc.copies else "copy"
            p = given.get(i)
            form.setCurrentIndex(form.findData((p.form if p and p.form else default_form)))
            count.setValue((p.count if p and p.count else None)
                           or (doc.originals if default_form == "original" else doc.copies) or 1)
            check.setChecked(p is not None)
            self.grid.addWidget(cell, i, 0)
            for col, w in ((1, need), (2, form), (3, count)):
                self.grid.addWidget(w, i, col, Qt.AlignmentFlag.AlignTop)
            row = _Row(doc, check, form, count, name)
            self.rows.append(row)
            check.toggled.connect(lambda _on, r=row: self._row_changed(r))
            # A copy where an original is asked, or too few, leaves the component missing: say so live.
            form.currentIndexChanged.connect(lambda _i: self._form_or_count_changed())
            count.valueChanged.connect(lambda _v: self._form_or_count_changed())
            stop: QWidget
            for stop in (check, form, count):
                if previous is not None:
                    QWidget.setTabOrder(previous, stop)
                previous = stop
            self._row_changed(row)
        self.grid.setColumnStretch(0, 1)
        self.grid.setRowStretch(len(self.rows) + 1, 1)

    def _row_changed(self, row: _Row) -> None:
        row.form.setEnabled(row.check.isChecked())
        row.count.setEnabled(row.check.isChecked())
        self._refresh_summary()
        self.changed.emit()

    def _form_or_count_changed(self) -> None:
        self._refresh_summary()
        self.changed.emit()

    def tick_all(self) -> None:
        """"Đủ tất cả": every required component handed in as the procedure asks. Optional ones (nếu có)
        are ticked one by one: ticked, they print on the receipt as handed in."""
        docs = self.procedure.documents if self.procedure is not None else ()
        for row, doc in zip(self.rows, docs):
            if doc.required:
                row.check.setChecked(True)

    def provided(self) -> list[Provided]:
        return [Provided(i, r.form.currentData(), r.count.value())
                for i, r in enumerate(self.rows, start=1) if r.check.isChecked()]

    def missing(self) -> tuple[int, ...]:
        if self.procedure is None:
            return ()
        return missing_components(self.procedure, self.provided())

    def _refresh_summary(self) -> None:
        if self.procedure is None:
            return
        missing = self.missing()
        if not missing:
            handed = len(self.provided())
            self.summary.setText(f"<span style='color:#1f6f43; font-weight:bold'>✔ Đủ thành phần hồ sơ bắt buộc"
                                 f"</span> ({handed}/{len(self.rows)} thành phần đã nộp).")
            return
        given = {p.number: p for p in self.provided()}
        procedure = self.procedure
        assert procedure is not None  # rows exist only once a procedure is set

        def line(n: int) -> str:
            doc, p = procedure.documents[n - 1], given.get(n)
            short = (f" — <i>đã nộp {p.count} {FORM_LABELS.get(p.form or '', '').lower()}, chưa đúng yêu cầu</i>"
                     if p else "")
            return f"<li>{n}. {esc(doc.name)} ({esc(doc.form_text())}){short}</li>"

        items = "".join(line(n) for n in missing)
        self.summary.setText(f"<span style='color:#b3261e; font-weight:bold'>Còn thiếu {len(missing)} "
                             f"thành phần bắt buộc:</span><ul style='margin:2px'>{items}</ul>")

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_F8:
            self.tick_all()
        else:
            super().keyPressEvent(event)

    def focus_first(self) -> None:
        if self.rows:
            self.rows[0].check.setFocus()

    def validate(self) -> list[str]:
        return [] if self.procedure is not None else ["Chưa chọn thủ tục."]


def procedure_line(p: Procedure) -> str:
    """One line naming the procedure, its time and fee, for the wizard's header strip."""
    marks = " ".join(m for m in (unconfirmed_mark(p.processing_time.status),) if m)
    return f"{p.name} ({p.code}) · Thời hạn: {time_text(p.processing_time)} {marks}· Phí: {fee_text(p.fee)}"
