"""The last step of the intake wizard: what happens to the dossier, shown before anything is written.

Receive (complete), request a supplement (something required is missing) or refuse (with a reason);
the channel and the fee collected. The appointment date is computed (not written) as soon as the
step is shown, so the clerk can tell the citizen before pressing "Ghi hồ sơ".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..domain.applicant import Applicant
from ..domain.catalog import Procedure
from ..domain.dossier import CHANNEL_LABELS, Provided, missing_text
from .fmt import esc, fee_text, moment, unconfirmed_html
from .qt import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateTime,
    QDateTimeEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QLineEdit,
    QRadioButton,
    QShortcut,
    QLocale,
    QSpinBox,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)

RECEIPT, SUPPLEMENT, REFUSAL = "receipt", "supplement", "refusal"
VIETNAMESE = QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam)


@dataclass(frozen=True)
class OutcomeChoice:
    kind: str  # receipt | supplement | refusal
    channel: str
    fee_amount: int | None
    fee_exempt_reason: str | None
    fee_receipt_no: str | None
    note: str | None  # supplement guidance
    reason: str | None  # refusal reason
    due_at: datetime | None = None  # typed by the clerk: only for a procedure without a processing time


def _minute(value: QDateTime) -> datetime:
    """A date-time edit's value as a datetime to the minute (the stubs type toPython() as object)."""
    moment = value.toPython()
    assert isinstance(moment, datetime)
    return moment.replace(second=0, microsecond=0)


class OutcomeStep(QWidget):
    enter_pressed = Signal()
    problems: QLabel
    kind_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.procedure: Procedure | None = None
        self.missing: tuple[int, ...] = ()
        self.summary = QLabel()
        self.summary.setObjectName("outcomeSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.receive = QRadioButton("Tiếp nhận hồ sơ, đủ thành phần  (Alt+T)")
        self.supplement = QRadioButton("Yêu cầu bổ sung, hoàn thiện hồ sơ  (Alt+B)")
        self.refuse = QRadioButton("Từ chối tiếp nhận  (Alt+C)")
        self.kinds = QButtonGroup(self)
        for b, keys in ((self.receive, "Alt+T"), (self.supplement, "Alt+B"), (self.refuse, "Alt+C")):
            self.kinds.addButton(b)
            b.toggled.connect(self._kind_toggled)
            # Explicit shortcuts rather than '&' mnemonics: Vietnamese labels start with letters that
            # collide, and the keys are printed on the label for the clerk.
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda b=b: self._pick(b))
        self.due = QLabel()
        self.due.setObjectName("dueLabel")
        self.due.setTextFormat(Qt.TextFormat.RichText)
        self.due.setWordWrap(True)
        # A procedure whose processing time the catalogue does not know still gets an appointment:
        # the clerk types it (the service checks it is a working day after receipt).
        self.manual_due_label = QLabel("Ngày hẹn trả (thủ tục chưa có thời hạn trong danh mục — bắt buộc nhập):")
        self.manual_due_label.setWordWrap(True)
        self.manual_due = QDateTimeEdit()
        self.manual_due.setDisplayFormat("HH:mm  dd/MM/yyyy")
        self.manual_due.setCalendarPopup(True)
        self.manual_due.setMaximumWidth(240)
        self.manual_due.dateTimeChanged.connect(lambda _v: self.problems.clear())
        self.manual_needed = False
        self.shown_due: datetime | None = None
        self.note = QLineEdit()
        self.note.setPlaceholderText("Hướng dẫn thêm cho công dân (không bắt buộc)")
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("Lý do từ chối (bắt buộc), ví dụ: không thuộc thẩm quyền của xã")
        self.problems = QLabel()
        self.problems.setObjectName("fieldError")
        self.problems.setWordWrap(True)

        self.channel = QComboBox()
        for key in ("direct", "post"):  # online dossiers do not come through the counter window
            self.channel.addItem(CHANNEL_LABELS[key], key)
        self.fee_rule = QLabel()
        self.fee_rule.setTextFormat(Qt.TextFormat.RichText)
        self.fee_amount = QSpinBox()
        self.fee_amount.setRange(0, 100_000_000)
        self.fee_amount.setSingleStep(1000)
        self.fee_amount.setSuffix(" đồng")
        self.fee_amount.setGroupSeparatorShown(True)
        # Vietnamese number format, typed and shown: 8.000 đồng (the system locale may say 8,000).
        self.fee_amount.setLocale(VIETNAMESE)
        self.exempt = QCheckBox("Miễn / không thu")
        self.exempt_reason = QLineEdit()
        self.exempt_reason.setPlaceholderText("Lý do miễn (ví dụ: đăng ký đúng hạn, hộ nghèo)")
        self.receipt_no = QLineEdit()
        self.receipt_no.setPlaceholderText("Số biên lai thu phí, lệ phí")

        choice_box = QGroupBox("Kết quả kiểm tra hồ sơ")
        choice = QVBoxLayout(choice_box)
        choice.addWidget(self.receive)
        choice.addWidget(self.supplement)
        choice.addWidget(self.refuse)
        choice.addWidget(self.due)
        choice.addWidget(self.manual_due_label)
        choice.addWidget(self.manual_due)
        choice.addWidget(self.note)
        choice.addWidget(self.reason)
        fee_box = QGroupBox("Kênh tiếp nhận và phí, lệ phí")
        fee = QFormLayout(fee_box)
        fee.addRow("Kênh tiếp nhận", self.channel)
        fee.addRow("Theo quy định", self.fee_rule)
        fee.addRow("Số tiền đã thu", self.fee_amount)
        fee.addRow("", self.exempt)  # its own row: beside the amount the box is too wide for 1024 pixels
        fee.addRow("Lý do miễn", self.exempt_reason)
        fee.addRow("Số biên lai", self.receipt_no)
        self.fee_box = fee_box

        title = QLabel("Kết quả tiếp nhận")
        title.setObjectName("stepTitle")
        columns = QHBoxLayout()
        columns.addWidget(choice_box, 3)
        columns.addWidget(fee_box, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(title)
        layout.addWidget(self.summary)
        self.hours_warning = QLabel()
        self.hours_warning.setObjectName("hoursWarning")
        self.hours_warning.setWordWrap(True)
        self.hours_warning.setStyleSheet("QLabel { color: #7a4b00; background: #fff1cc; padding: 6px 10px; "
                                         "border-radius: 4px; }")
        self.hours_warning.setVisible(False)
        layout.addWidget(self.hours_warning)
        layout.addLayout(columns)
        layout.addWidget(self.problems)
        layout.addStretch(1)
        self.exempt.toggled.connect(self._exempt_toggled)
        self.reason.textChanged.connect(lambda: self.problems.clear())

    def show_hours_warning(self, text: str | None) -> None:
        """Receiving outside office hours: said, not blocked."""
        self.hours_warning.setText(text or "")
        self.hours_warning.setVisible(bool(text))

    # --- filling -------------------------------------------------------------------------------
    def prepare(self, procedure: Procedure, applicant: Applicant, provided: list[Provided],
                missing: tuple[int, ...], *, resuming: str | None = None) -> None:
        """Show what will be written; pick the outcome the checklist implies."""
        self.procedure, self.missing = procedure, missing
        who = esc(applicant.name) + (f" · {esc(applicant.id_number)}" if applicant.id_number else "")
        head = f"Bổ sung hồ sơ <b>{esc(resuming)}</b> · " if resuming else ""
        self.summary.setText(
            f"{head}<b>{esc(procedure.name)}</b> ({esc(procedure.code)})<br>Người nộp: <b>{who}</b> · "
            f"Đã nộp {len(provided)}/{len(procedure.documents)} thành phần")
        self.receive.setEnabled(not missing)
        self.supplement.setEnabled(bool(missing))
        (self.supplement if missing else self.receive).setChecked(True)
        amount = procedure.fee.amount_vnd
        self.fee_rule.setText(f"{esc(fee_text(procedure.fee))}{unconfirmed_html(procedure.fee.status)}")
        self.fee_amount.setValue(amount or 0)
        self.exempt.setChecked(False)
        self.exempt_reason.clear()
        self.receipt_no.clear()
        self.note.clear()
        self.reason.clear()
        self.problems.clear()
        self.channel.setEnabled(resuming is None)  # the channel was recorded at first contact
        self._kind_toggled()

    def show_due(self, due: datetime | None, error: str | None = None, *, now: datetime | None = None) -> None:
        """The computed appointment; None (and no error): the procedure has no processing time, so the
        clerk types the date, starting from `now` so that an untouched field is refused, not written."""
        self.shown_due = due
        self.manual_needed = due is None and not error
        if self.manual_needed:
            start = (now or datetime.now()).replace(second=0, microsecond=0)
            self.manual_due.setMinimumDateTime(QDateTime(start))
            self.manual_due.setDateTime(QDateTime(start))
        self._show_manual_due()
        if error:
            self.due.setText(f"<span style='color:#b3261e'>{esc(error)}</span>")
        elif self.kind() == RECEIPT:
            self.due.setText(f"Hẹn trả kết quả: <b style='font-size:13pt'>{esc(moment(due))}</b>" if due else
                             "Hẹn trả kết quả: <b>nhập ngày hẹn bên dưới</b> (thủ tục chưa có thời hạn giải quyết)")

    def _show_manual_due(self) -> None:
        on = self.manual_needed and self.kind() == RECEIPT
        self.manual_due_label.setVisible(on)
        self.manual_due.setVisible(on)

    def _kind_toggled(self) -> None:
        kind = self.kind()
        self.note.setVisible(kind == SUPPLEMENT)
        self.reason.setVisible(kind == REFUSAL)
        if kind == REFUSAL and self.isVisible():
            self.reason.setFocus()  # the reason is the one thing left to type
        if kind == SUPPLEMENT and self.procedure is not None:
            items = "".join(f"<li>{esc(missing_text(self.procedure.documents[n - 1]))}</li>" for n in self.missing)
            self.due.setText(f"Phiếu yêu cầu bổ sung sẽ ghi các giấy tờ còn thiếu:<ul style='margin:2px'>{items}</ul>")
        elif kind == REFUSAL:
            self.due.setText("Phiếu từ chối tiếp nhận sẽ ghi lý do dưới đây.")
        self._show_manual_due()
        self.kind_changed.emit(kind)

    def set_fee_enabled(self, on: bool) -> None:
        """The fee is collected when the dossier is received, not with a supplement request or refusal."""
        for w in (self.fee_rule, self.fee_amount, self.exempt, self.receipt_no):
            w.setEnabled(on)
        self.exempt_reason.setEnabled(on and self.exempt.isChecked())
        self.fee_amount.setEnabled(on and not self.exempt.isChecked())

    def _pick(self, button: QRadioButton) -> None:
        if button.isEnabled():
            button.setChecked(True)
            if button is not self.refuse:
                button.setFocus()

    def _exempt_toggled(self, on: bool) -> None:
        self.fee_amount.setEnabled(not on)
        self.exempt_reason.setEnabled(on)
        if on:
            self.fee_amount.setValue(0)

    # --- reading -------------------------------------------------------------------------------
    def kind(self) -> str:
        if self.refuse.isChecked():
            return REFUSAL
        if self.supplement.isChecked():
            return SUPPLEMENT
        return RECEIPT

    def choice(self) -> OutcomeChoice:
        exempt = self.exempt.isChecked()
        return OutcomeChoice(
            kind=self.kind(),
            channel=self.channel.currentData(),
            fee_amount=0 if exempt else self.fee_amount.value(),
            fee_exempt_reason=(self.exempt_reason.text().strip() or None) if exempt else None,
            fee_receipt_no=self.receipt_no.text().strip() or None,
            note=self.note.text().strip() or None,
            reason=self.reason.text().strip() or None,
            due_at=_minute(self.manual_due.dateTime())
            if self.manual_needed and self.kind() == RECEIPT else None,
        )

    def validate(self) -> list[str]:
        c = self.choice()
        problems = []
        if c.kind == REFUSAL and not c.reason:
            problems.append("Từ chối tiếp nhận cần ghi lý do.")
        if self.exempt.isChecked() and not c.fee_exempt_reason:
            problems.append("Miễn phí, lệ phí cần ghi lý do miễn.")
        if c.due_at is not None and c.due_at <= _minute(self.manual_due.minimumDateTime()):
            problems.append("Nhập ngày hẹn trả kết quả: thủ tục chưa có thời hạn giải quyết trong danh mục.")
        self.problems.setText("\n".join(problems))
        return problems

    def focus_first(self) -> None:
        if self.kind() == REFUSAL:
            self.reason.setFocus()
        elif self.manual_due.isVisible():
            self.manual_due.setFocus()  # the one thing the clerk must type
        elif (checked := self.kinds.checkedButton()) is not None:
            checked.setFocus()
