"""Tiếp nhận hồ sơ: the intake wizard (procedure → applicant → checklist → outcome → done).

Nothing is written until the clerk presses "Ghi hồ sơ" on the outcome step; then ONE service call
(`intake.receive`, `intake.refuse_new`, `intake.supplement` or `intake.refuse`) runs through `Ops`
and the dossier exists whole or not at all. Cancel at any step therefore leaves nothing behind.

The same widget resumes a dossier waiting for papers ("Chờ bổ sung"): `resume(code)` starts at the
checklist with what was already handed in ticked.

After a write, `dossier_written(code, kind)` is emitted (kind: receipt | supplement | refusal) and
every callable in `on_dossier_written` is called — the slip printing hangs on this.

Keys: Enter = Tiếp tục / Ghi; Alt+← = Quay lại; Esc = Hủy; F8 on the checklist = đủ các thành phần bắt buộc.
"""

from __future__ import annotations

from typing import Any

import logging
from collections.abc import Callable
from datetime import datetime

from ..domain.dossier import Status
from ..services import calendar as calendar_service
from ..services import dossiers, intake
from ..services.context import Context
from ..services.dossiers import DossierView
from .dialogs import Dialogs
from .fmt import esc, moment
from .ops import Ops
from .qt import (
    QHBoxLayout,
    QKeyEvent,
    QKeySequence,
    QLabel,
    QPushButton,
    QShortcut,
    QStackedWidget,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from .wizard_outcome import RECEIPT, REFUSAL, SUPPLEMENT, OutcomeChoice, OutcomeStep
from .wizard_steps import ApplicantStep, ChecklistStep, ProcedureStep

log = logging.getLogger("motcua.gui.wizard")

STEP_TITLES = {"procedure": "Thủ tục", "applicant": "Người nộp", "checklist": "Thành phần hồ sơ",
               "outcome": "Kết quả tiếp nhận"}
KIND_OF_STATUS = {Status.RECEIVED: RECEIPT, Status.SUPPLEMENT_REQUESTED: SUPPLEMENT, Status.REFUSED: REFUSAL}


class DoneStep(QWidget):
    """What was written: the code, the status, the appointment — what the clerk reads to the citizen."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.code = QLabel()
        self.code.setObjectName("dossierCode")
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.body = QLabel()
        self.body.setObjectName("doneBody")
        self.body.setWordWrap(True)
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.print_button = QPushButton("In phiếu  (Ctrl+P)")
        self.print_button.setVisible(False)
        self.new_button = QPushButton("Tiếp nhận hồ sơ khác  (Enter)")
        self.new_button.setObjectName("primaryButton")
        self.new_button.setAutoDefault(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.print_button)
        buttons.addStretch(1)
        buttons.addWidget(self.new_button)
        title = QLabel("Đã ghi hồ sơ")
        title.setObjectName("stepTitle")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(title)
        layout.addWidget(self.code)
        layout.addWidget(self.body)
        layout.addStretch(1)
        layout.addLayout(buttons)

    def show_dossier(self, d: DossierView) -> None:
        self.code.setText(d.code)
        lines = [f"Trạng thái: <b>{esc(d.status_label)}</b>",
                 f"Thủ tục: {esc(d.procedure.name)}",
                 f"Người nộp: {esc(d.applicant.name)}"]
        if d.status is Status.RECEIVED:
            lines.append(f"Hẹn trả kết quả: <b style='font-size:14pt'>{esc(moment(d.due_at))}</b>")
        elif d.status is Status.SUPPLEMENT_REQUESTED:
            items = "".join(f"<li>{esc(t)}</li>" for t in d.missing_texts())
            lines.append(f"Cần bổ sung:<ul style='margin:2px'>{items}</ul>")
        elif d.status is Status.REFUSED:
            lines.append(f"Lý do từ chối: {esc(d.refusal_reason or '')}")
        self.body.setText("<br>".join(lines))


class IntakeWizard(QWidget):
    dossier_written = Signal(str, str)  # code, kind (receipt | supplement | refusal)
    closed = Signal()  # cancelled or finished: the window goes back to the search desk

    def __init__(self, ctx: Context, ops: Ops, dialogs: Dialogs, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.ops, self.dialogs = ctx, ops, dialogs
        self.setObjectName("intakeWizard")
        self.on_dossier_written: list[Callable[[str, str], None]] = []
        self.resuming: DossierView | None = None
        self.written: DossierView | None = None
        self.written_kind = RECEIPT
        self.writing = False

        self.procedure_step = ProcedureStep(ctx, dialogs)
        self.applicant_step = ApplicantStep()
        self.checklist_step = ChecklistStep()
        self.outcome_step = OutcomeStep()
        self.done_step = DoneStep()
        # Every step has enter_pressed, validate() and focus_first() (duck-typed: Qt classes and Protocols
        # do not mix well in the stubs).
        self.steps: dict[str, Any] = {"procedure": self.procedure_step, "applicant": self.applicant_step,
                                          "checklist": self.checklist_step, "outcome": self.outcome_step}
        self.order: list[str] = list(self.steps)
        self.stack = QStackedWidget()
        for w in (*self.steps.values(), self.done_step):
            self.stack.addWidget(w)

        self.crumbs = QLabel()
        self.crumbs.setObjectName("crumbs")
        self.crumbs.setTextFormat(Qt.TextFormat.RichText)
        self.strip = QLabel()
        self.strip.setObjectName("procedureStrip")
        self.strip.setWordWrap(True)
        self.cancel_button = QPushButton("Hủy  (Esc)")
        self.back_button = QPushButton("◂ Quay lại  (Alt+←)")
        self.next_button = QPushButton("Tiếp tục ▸  (Enter)")
        self.next_button.setObjectName("primaryButton")
        self.next_button.setMinimumWidth(300)  # its label changes with the outcome; the bar must not jump
        for b in (self.cancel_button, self.back_button, self.next_button):
            b.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            b.setAutoDefault(True)  # Enter on a focused button clicks THAT button
        self.nav_bar = QWidget()
        nav = QHBoxLayout(self.nav_bar)
        nav.setContentsMargins(0, 0, 0, 0)
        nav.addWidget(self.cancel_button)
        nav.addStretch(1)
        nav.addWidget(self.back_button)
        nav.addWidget(self.next_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 14)
        layout.setSpacing(10)
        layout.addWidget(self.crumbs)
        layout.addWidget(self.strip)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.nav_bar)

        self.cancel_button.clicked.connect(self.cancel)
        self.back_button.clicked.connect(self.back)
        self.next_button.clicked.connect(self.next)
        for step in self.steps.values():
            step.enter_pressed.connect(self.next)
        self.outcome_step.kind_changed.connect(self._outcome_kind_changed)
        self.done_step.new_button.clicked.connect(self._finish)
        back = QShortcut(QKeySequence("Alt+Left"), self)
        back.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        back.activated.connect(self.back)
        self.reset()

    # --- starting ------------------------------------------------------------------------------
    def start(self, procedure_code: str | None = None) -> None:
        """A new dossier; with a code (from the search desk) the procedure is already chosen."""
        self.reset()
        if procedure_code:
            try:
                self.procedure_step.choose(procedure_code)
            except Exception as exc:
                self.dialogs.show_error(self, exc, doing="chọn thủ tục")
                self.go("procedure")
                return
            self.go("applicant")
        else:
            self.go("procedure")

    def resume(self, code: str) -> bool:
        """The citizen came back with the missing papers: open the checklist of dossier `code`."""
        try:
            d = dossiers.get(self.ctx, code)
        except Exception as exc:
            self.dialogs.show_error(self, exc, doing="mở hồ sơ chờ bổ sung")
            return False
        if d.status is not Status.SUPPLEMENT_REQUESTED:
            self.dialogs.warn(self, f"Hồ sơ {d.code} đang ở trạng thái “{d.status_label}”, không chờ bổ sung.")
            return False
        self.reset()
        self.resuming = d
        self.order = ["checklist", "outcome"]
        self.applicant_step.set_applicant(d.applicant)
        self.checklist_step.set_procedure(d.procedure, list(d.provided))
        self.go("checklist")
        return True

    def page_entered(self) -> None:
        """The window switched to this desk (F3): continue where the clerk was, or start afresh."""
        if self.written is not None or self.current_key() is None:
            self.start()
        else:
            self.focus_current()

    def reset(self) -> None:
        self.resuming = None
        self.written = None
        self.writing = False
        self.order = list(self.steps)
        self.procedure_step.reset()
        self.applicant_step.reset()
        self.checklist_step.procedure = None
        self.checklist_step.rows = []
        self.stack.setCurrentWidget(self.procedure_step)
        self._update_chrome()

    # --- moving --------------------------------------------------------------------------------
    def current_key(self) -> str | None:
        w = self.stack.currentWidget()
        return next((k for k, s in self.steps.items() if s is w), None)

    def go(self, key: str) -> None:
        if key == "checklist":
            proc = self.procedure_step.procedure
            if self.resuming is None and proc is not None and self.checklist_step.procedure is not proc:
                self.checklist_step.set_procedure(proc)
        if key == "outcome":
            self._prepare_outcome()
        self.stack.setCurrentWidget(self.steps[key])
        self._update_chrome()
        self.focus_current()

    def next(self) -> None:
        key = self.current_key()
        if key is None or self.writing:
            return
        step = self.steps[key]
        if step.validate():  # the step shows its problems and focuses the first one
            return
        if key == "outcome":
            self.write()
            return
        self.go(self.order[self.order.index(key) + 1])

    def back(self) -> None:
        key = self.current_key()
        if key is None or self.writing or self.order.index(key) == 0:
            return
        self.go(self.order[self.order.index(key) - 1])

    def has_input(self) -> bool:
        return (self.applicant_step.has_input() or bool(self.checklist_step.provided())
                or self.resuming is not None)

    def cancel(self) -> None:
        """Leave without writing anything (asks first when the clerk has typed something)."""
        if self.writing:
            return
        if self.current_key() is not None and self.has_input() and not self.dialogs.confirm(
                self, "Hủy hồ sơ đang nhập? Chưa có gì được ghi vào sổ.", "Hủy tiếp nhận",
                yes="Hủy hồ sơ", no="Tiếp tục nhập", safe_default=True):
            self.focus_current()
            return
        self._finish()

    def _finish(self) -> None:
        self.reset()
        self.closed.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Escape:
            self.cancel()
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            # Fields let Enter travel up to here: Enter anywhere in a step means "Tiếp tục".
            if self.current_key() is None:
                self.done_step.new_button.click()
            else:
                self.next()
        elif event.key() == Qt.Key.Key_P and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            if self.done_step.print_button.isVisible():
                self.done_step.print_button.click()
        elif event.key() == Qt.Key.Key_F8 and self.current_key() == "checklist":
            self.checklist_step.tick_all()  # focus on the wizard's own buttons: F8 still means "đủ tất cả"
        else:
            super().keyPressEvent(event)

    def focus_current(self) -> None:
        key = self.current_key()
        if key is None:
            self.done_step.new_button.setFocus()
        else:
            self.steps[key].focus_first()

    def _update_chrome(self) -> None:
        key = self.current_key()
        parts = []
        for i, k in enumerate(self.order, start=1):
            style = "color:#ffffff; background:#2f6db3; padding:3px 8px;" if k == key else "color:#5a6673;"
            parts.append(f"<span style='{style}'>&nbsp;{i}. {STEP_TITLES[k]}&nbsp;</span>")
        head = "Bổ sung hồ sơ" if self.resuming else "Tiếp nhận hồ sơ mới"
        self.crumbs.setText(f"<b style='font-size:13pt; color:#14304f'>{head}</b>&nbsp;&nbsp;&nbsp;"
                            + " <span style='color:#9aa6b2'>›</span> ".join(parts))
        proc = self.resuming.procedure if self.resuming else self.procedure_step.procedure
        if proc is None:
            return
        if self.resuming:
            self.strip.setText(f"Hồ sơ {self.resuming.code} · {proc.name} · Người nộp: {self.resuming.applicant.name}")
        else:
            self.strip.setText(f"Thủ tục: {proc.name} ({proc.code})" if proc and key != "procedure" else "")
        self.strip.setVisible(bool(self.strip.text()))
        self.nav_bar.setVisible(key is not None)
        self.back_button.setEnabled(key is not None and self.order.index(key) > 0)
        self._outcome_kind_changed(self.outcome_step.kind())

    def _outcome_kind_changed(self, kind: str) -> None:
        if self.current_key() == "outcome":
            label = {RECEIPT: "Ghi: tiếp nhận", SUPPLEMENT: "Ghi: yêu cầu bổ sung", REFUSAL: "Ghi: từ chối"}[kind]
            self.next_button.setText(f"{label}  (Enter)")
            self.outcome_step.set_fee_enabled(kind == RECEIPT)
        else:
            self.next_button.setText("Tiếp tục ▸  (Enter)")

    # --- outcome -------------------------------------------------------------------------------
    def _prepare_outcome(self) -> None:
        proc = self.checklist_step.procedure
        assert proc is not None
        self.outcome_step.prepare(proc, self.applicant_step.applicant(), self.checklist_step.provided(),
                                  self.checklist_step.missing(),
                                  resuming=self.resuming.code if self.resuming else None)
        self.outcome_step.show_hours_warning(calendar_service.outside_hours_warning(self.ctx))
        if not self.checklist_step.missing():
            try:
                self.outcome_step.show_due(self.preview_due(), now=self.ctx.now())
            except Exception as exc:  # the date is shown, not written: say why it is missing
                log.exception("preview of the due date failed")
                self.outcome_step.show_due(None, getattr(exc, "message_vi", "Không tính được ngày hẹn trả."))

    def preview_due(self) -> datetime | None:
        """The appointment the dossier would get if written now (nothing is written)."""
        if self.resuming is not None:  # a resumed dossier keeps the procedure version it came under
            return intake.preview_supplement_due(self.ctx, self.resuming.code)
        chosen = self.procedure_step.procedure
        return intake.preview_due(self.ctx, chosen.code) if chosen is not None else None

    def _due_moved(self) -> bool:
        """True (and the new date shown) when the appointment read out to the citizen is no longer the
        one a write would record: the clock crossed a cut-off or closing time while the page was open."""
        shown = self.outcome_step.shown_due
        if shown is None:
            return False
        now_due = self.preview_due()
        if now_due == shown:
            return False
        log.info("appointment moved from %s to %s while the outcome page was open", shown, now_due)
        self.outcome_step.show_due(now_due, now=self.ctx.now())
        self.dialogs.warn(self, f"Đã qua giờ tiếp nhận trong ngày: ngày hẹn trả nay là {moment(now_due)} "
                                f"(không còn là {moment(shown)}).\nBáo lại cho công dân, rồi nhấn Ghi lần nữa.",
                          "Ngày hẹn đã thay đổi")
        self.focus_current()
        return True

    def write(self) -> None:
        """The one write of the wizard, off the UI thread."""
        choice = self.outcome_step.choice()
        if choice.kind == RECEIPT and self._due_moved():
            return
        provided = self.checklist_step.provided()
        fee = intake.FeeInput(choice.fee_amount, choice.fee_exempt_reason, choice.fee_receipt_no)
        if self.resuming is not None:
            code = self.resuming.code
            if choice.kind == REFUSAL:
                args: tuple = (intake.refuse, code, choice.reason)
                kwargs: dict = {}
            else:
                args = (intake.supplement, code, provided)
                kwargs = {"note": choice.note, "fee": fee if choice.kind == RECEIPT else None,
                          "replace": True,  # the checklist on screen is the whole truth, unticks included
                          "due_at": choice.due_at}
        else:
            chosen = self.checklist_step.procedure
            assert chosen is not None  # the outcome step comes after the checklist of a procedure
            proc_code, applicant = chosen.code, self.applicant_step.applicant()
            if choice.kind == REFUSAL:
                args = (intake.refuse_new, proc_code, applicant, choice.reason, provided)
                kwargs = {"channel": choice.channel}
            else:
                args = (intake.receive, proc_code, applicant, provided)
                kwargs = {"channel": choice.channel, "note": choice.note,
                          "fee": fee if choice.kind == RECEIPT else None, "due_at": choice.due_at}
        self.writing = True
        self.next_button.setEnabled(False)
        self.ops.run(*args, on_done=self._written, on_error=self._write_failed, parent=self,
                     doing="ghi hồ sơ", **kwargs)

    def _write_failed(self, exc: BaseException) -> None:
        self.writing = False
        self.next_button.setEnabled(True)
        self.dialogs.show_error(self, exc, doing="ghi hồ sơ")
        self.focus_current()

    def _written(self, d: DossierView) -> None:
        self.writing = False
        self.next_button.setEnabled(True)
        self.written = d
        kind = KIND_OF_STATUS.get(d.status, RECEIPT)
        self.written_kind = kind
        log.info("dossier %s written (%s)", d.code, kind)
        self.done_step.show_dossier(d)
        self.stack.setCurrentWidget(self.done_step)
        self._update_chrome()
        self.done_step.new_button.setFocus()
        self.dossier_written.emit(d.code, kind)
        for hook in list(self.on_dossier_written):
            try:
                hook(d.code, kind)
            except Exception as exc:  # the dossier IS written; a printing problem must not hide that
                self.dialogs.show_error(self, exc, doing="sau khi ghi hồ sơ")
