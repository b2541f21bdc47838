"""The intake wizard walked by keyboard, like a clerk with a citizen in front of the counter.

Each walk ends by reading the dossier back through the services: what the clerk saw is what was written.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from motcua_desktop.domain.dossier import Status
from motcua_desktop.gui.qt import QApplication, QEvent, QKeyEvent, Qt
from motcua_desktop.gui.fmt import moment
from motcua_desktop.services import dossiers, intake

from .conftest import save_shot

QR = "001099012345|123456789|Nguyễn Văn An|01011990|Nam|Số 5, thôn Đông, xã Hòa Bình|01012021"
ENTER, ALT = Qt.Key.Key_Return, Qt.KeyboardModifier.AltModifier


def key(qtbot, k, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """Press a key on whatever has the focus, as the keyboard would."""
    qtbot.keyClick(QApplication.focusWidget(), k, modifier)


def type_text(qtbot, text: str) -> None:
    """Type into the focused widget. QTest aborts on non-ASCII keys, so Vietnamese letters arrive as
    key events carrying their text — what an input method (Telex/VNI) or a wedge scanner delivers."""
    widget = QApplication.focusWidget()
    for ch in text:
        if ch.isascii():
            qtbot.keyClick(widget, ch)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))


def open_wizard_from_search(qtbot, window, query: str = "dang ky khai sinh"):
    qtbot.keyClicks(window.search_view.box, query)
    key(qtbot, ENTER)  # show the procedure, focus "Tiếp nhận hồ sơ"
    key(qtbot, ENTER)  # start the wizard on it
    wizard = window.wizard
    assert window.current_page_key() == "intake"
    assert wizard.current_key() == "applicant"
    return wizard


def fill_applicant_by_qr(qtbot, wizard) -> None:
    assert QApplication.focusWidget() is wizard.applicant_step.qr
    type_text(qtbot, QR)
    key(qtbot, ENTER)  # the QR fills name, ID, address; focus moves to the phone
    assert wizard.applicant_step.name.text() == "Nguyễn Văn An"
    assert wizard.current_key() == "applicant"
    type_text(qtbot, "0912 345 678")
    key(qtbot, ENTER)
    assert wizard.current_key() == "checklist"


def write_and_wait(qtbot, wizard) -> tuple[str, str]:
    with qtbot.waitSignal(wizard.dossier_written, timeout=10_000) as blocker:
        key(qtbot, ENTER)
    return tuple(blocker.args)


def test_complete_dossier_received_by_keyboard_with_appointment_shown_before_writing(qtbot, window, ctx, clock):
    clock.now = datetime(2026, 11, 23, 14, 0)  # Monday, before the 15:00 cut-off
    hooked: list[tuple[str, str]] = []
    window.wizard.on_dossier_written.append(lambda code, kind: hooked.append((code, kind)))
    wizard = open_wizard_from_search(qtbot, window)
    save_shot(window, "wizard-2-applicant-empty.png")
    fill_applicant_by_qr(qtbot, wizard)
    save_shot(window, "wizard-3-checklist-empty.png")
    key(qtbot, Qt.Key.Key_F8)  # đủ tất cả
    assert "Đủ thành phần" in wizard.checklist_step.summary.text()
    key(qtbot, ENTER)
    assert wizard.current_key() == "outcome"
    assert "17:00, Thứ Hai 23/11/2026" in wizard.outcome_step.due.text()
    assert dossiers.by_status(ctx, *Status) == []  # shown, not written
    save_shot(window, "wizard-4-outcome-receive.png")
    code, kind = write_and_wait(qtbot, wizard)
    assert kind == "receipt" and hooked == [(code, "receipt")]
    d = dossiers.get(ctx, code)
    assert d.status is Status.RECEIVED
    assert d.due_at == datetime(2026, 11, 23, 17, 0)
    assert d.applicant.name == "Nguyễn Văn An" and d.applicant.id_number == "001099012345"
    assert d.applicant.phone == "0912345678"
    assert d.provided_numbers == (1, 2) and d.missing == ()
    assert d.channel == "direct" and d.fee_amount == 0
    assert wizard.done_step.code.text() == code
    save_shot(window, "wizard-5-done.png")
    key(qtbot, ENTER)  # "Tiếp nhận hồ sơ khác": back to the search box
    assert window.current_page_key() == "search"
    assert QApplication.focusWidget() is window.search_view.box


def test_after_cutoff_the_appointment_moves_to_the_next_working_day(qtbot, window, ctx, clock):
    clock.now = datetime(2026, 11, 23, 15, 30)
    wizard = open_wizard_from_search(qtbot, window)
    fill_applicant_by_qr(qtbot, wizard)
    key(qtbot, Qt.Key.Key_F8)
    key(qtbot, ENTER)
    # Tue 24/11/2026 is off in the `holidays` data (Ngày Văn hóa Việt Nam, from 2026), so Wednesday —
    # and whatever the calendar says, the window shows exactly what the service computes.
    assert moment(intake.preview_due(ctx, "HT-01")) in wizard.outcome_step.due.text()
    assert "Thứ Tư 25/11/2026" in wizard.outcome_step.due.text()


def test_incomplete_dossier_requests_supplement_then_citizen_returns_and_it_is_received(qtbot, window, ctx, clock):
    wizard = open_wizard_from_search(qtbot, window)
    fill_applicant_by_qr(qtbot, wizard)
    assert QApplication.focusWidget() is wizard.checklist_step.rows[0].check
    key(qtbot, Qt.Key.Key_Space)  # only the declaration form; no birth certificate
    summary = wizard.checklist_step.summary.text()
    assert "Còn thiếu 1" in summary and "Giấy chứng sinh" in summary
    save_shot(window, "wizard-3-checklist-missing.png")
    key(qtbot, ENTER)
    assert wizard.outcome_step.kind() == "supplement"
    assert not wizard.outcome_step.receive.isEnabled()
    save_shot(window, "wizard-4-outcome-supplement.png")
    code, kind = write_and_wait(qtbot, wizard)
    assert kind == "supplement"
    d = dossiers.get(ctx, code)
    assert d.status is Status.SUPPLEMENT_REQUESTED and d.missing == (2,) and d.provided_numbers == (1,)

    # Two days later the citizen comes back; the clerk finds the dossier on "Chờ bổ sung".
    key(qtbot, ENTER)  # leave the done page
    clock.now = datetime(2026, 11, 25, 9, 0)
    qtbot.keyClick(window, Qt.Key.Key_F4)
    assert window.current_page_key() == "pending"
    assert window.pending_view.codes() == [code]
    save_shot(window, "pending.png")
    key(qtbot, ENTER)
    assert window.current_page_key() == "intake" and wizard.current_key() == "checklist"
    assert wizard.checklist_step.rows[0].check.isChecked() and not wizard.checklist_step.rows[1].check.isChecked()
    key(qtbot, Qt.Key.Key_F8)
    key(qtbot, ENTER)
    assert wizard.outcome_step.kind() == "receipt"
    assert "Thứ Tư 25/11/2026" in wizard.outcome_step.due.text()
    code2, kind2 = write_and_wait(qtbot, wizard)
    assert (code2, kind2) == (code, "receipt")
    d = dossiers.get(ctx, code)
    assert d.status is Status.RECEIVED and d.received_at == datetime(2026, 11, 25, 9, 0)
    assert d.missing == ()


def test_refusal_with_reason_by_keyboard(qtbot, window, ctx):
    wizard = open_wizard_from_search(qtbot, window)
    fill_applicant_by_qr(qtbot, wizard)
    key(qtbot, ENTER)  # nothing ticked
    assert wizard.current_key() == "outcome"
    key(qtbot, Qt.Key.Key_C, ALT)  # "Từ &chối tiếp nhận"
    assert wizard.outcome_step.kind() == "refusal"
    key(qtbot, ENTER)  # no reason yet: refused by the form, nothing written
    assert "lý do" in wizard.outcome_step.problems.text()
    assert dossiers.by_status(ctx, *Status) == []
    assert QApplication.focusWidget() is wizard.outcome_step.reason
    type_text(qtbot, "Không thuộc thẩm quyền của UBND xã")
    save_shot(window, "wizard-4-outcome-refuse.png")
    code, kind = write_and_wait(qtbot, wizard)
    assert kind == "refusal"
    d = dossiers.get(ctx, code)
    assert d.status is Status.REFUSED and d.refusal_reason == "Không thuộc thẩm quyền của UBND xã"


def test_bad_id_number_keeps_the_clerk_on_the_applicant_step_with_a_clear_message(qtbot, window):
    wizard = open_wizard_from_search(qtbot, window)
    key(qtbot, Qt.Key.Key_Tab)
    step = wizard.applicant_step
    step.name.setFocus()
    type_text(qtbot, "Trần Thị Bình")
    key(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "12345")
    key(qtbot, ENTER)
    assert wizard.current_key() == "applicant"
    assert "CCCD gồm 12 chữ số" in step.problems.text()
    assert QApplication.focusWidget() is step.id_number
    save_shot(window, "wizard-2-applicant-error.png")


def test_bad_qr_is_explained_and_fills_nothing(qtbot, window):
    wizard = open_wizard_from_search(qtbot, window)
    type_text(qtbot, "không phải mã QR")
    key(qtbot, ENTER)
    assert "không phải mã QR" in wizard.applicant_step.problems.text()
    assert wizard.applicant_step.name.text() == ""


@pytest.mark.parametrize("at_step", ["applicant", "checklist", "outcome"])
def test_cancel_leaves_nothing_behind(qtbot, window, ctx, dialogs, at_step):
    wizard = open_wizard_from_search(qtbot, window)
    fill_applicant_by_qr(qtbot, wizard) if at_step != "applicant" else type_text(qtbot, QR) or key(qtbot, ENTER)
    if at_step == "outcome":
        key(qtbot, Qt.Key.Key_F8)
        key(qtbot, ENTER)
    assert wizard.current_key() == at_step
    dialogs.answer(confirms=[False, True])
    key(qtbot, Qt.Key.Key_Escape)  # "keep typing" first
    assert wizard.current_key() == at_step
    key(qtbot, Qt.Key.Key_Escape)  # then really cancel
    assert window.current_page_key() == "search"
    assert dossiers.by_status(ctx, *Status) == []
    qtbot.keyClick(window, Qt.Key.Key_F3)  # the desk starts afresh
    assert wizard.current_key() == "procedure" and wizard.applicant_step.name.text() == ""


def test_f3_without_a_procedure_starts_on_the_procedure_step(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_F3)
    wizard = window.wizard
    assert wizard.current_key() == "procedure"
    type_text(qtbot, "ket hon")
    save_shot(window, "wizard-1-procedure.png")
    key(qtbot, ENTER)
    assert wizard.current_key() == "applicant"
    assert "kết hôn" in wizard.strip.text()


def test_written_dossier_issues_its_slip_and_shows_the_preview(qtbot, window, ctx, dialogs):
    import subprocess

    wizard = open_wizard_from_search(qtbot, window)
    fill_applicant_by_qr(qtbot, wizard)
    key(qtbot, Qt.Key.Key_F8)
    key(qtbot, ENTER)
    with qtbot.waitSignal(window.ops.finished, timeout=10_000, check_params_cb=lambda name, ok: name == "in phiếu"):
        code, _kind = write_and_wait(qtbot, wizard)
    [preview] = [s for s in dialogs.shown if s.kind == "preview_pdf"]
    assert code in preview.title
    text = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", preview.text, "-"], capture_output=True,
                          text=True, encoding="utf-8", check=True).stdout
    assert code in text and "Nguyễn Văn An" in text


def reach_outcome(qtbot, window, query: str) -> object:
    wizard = open_wizard_from_search(qtbot, window, query)
    fill_applicant_by_qr(qtbot, wizard)
    key(qtbot, Qt.Key.Key_F8)  # đủ tất cả
    key(qtbot, ENTER)
    assert wizard.current_key() == "outcome"
    return wizard


def test_procedure_without_a_processing_time_is_received_only_with_a_typed_appointment(qtbot, window, ctx, clock):
    from motcua_desktop.gui.qt import QDateTime

    clock.now = datetime(2026, 11, 23, 9, 0)
    wizard = reach_outcome(qtbot, window, "chuyen muc dich su dung dat")
    outcome = wizard.outcome_step
    assert outcome.manual_due.isVisible() and QApplication.focusWidget() is outcome.manual_due
    assert "nhập ngày hẹn" in outcome.due.text()
    save_shot(window, "wizard-4-outcome-manual-due.png")
    key(qtbot, ENTER)  # untouched: the field still says "now"
    assert wizard.current_key() == "outcome" and "Nhập ngày hẹn trả" in outcome.problems.text()
    assert dossiers.by_status(ctx, *Status) == []
    outcome.manual_due.setDateTime(QDateTime(datetime(2026, 12, 7, 9, 30)))
    code, kind = write_and_wait(qtbot, wizard)
    d = dossiers.get(ctx, code)
    assert kind == "receipt" and d.status is Status.RECEIVED and d.due_at == datetime(2026, 12, 7, 9, 30)


def test_appointment_that_moved_while_the_page_was_open_is_shown_again_not_written(qtbot, window, ctx, clock,
                                                                                   dialogs):
    clock.now = datetime(2026, 11, 23, 14, 59)  # Monday, a minute before the 15:00 cut-off
    wizard = reach_outcome(qtbot, window, "dang ky khai sinh")
    assert "17:00, Thứ Hai 23/11/2026" in wizard.outcome_step.due.text()
    assert not wizard.outcome_step.manual_due.isVisible()
    clock.now = datetime(2026, 11, 23, 15, 2)  # the citizen asked a question; the cut-off passed
    key(qtbot, ENTER)
    assert dossiers.by_status(ctx, *Status) == []  # nothing written on a date nobody read out
    assert dialogs.shown[-1].kind == "warn" and "Thứ Tư 25/11/2026" in dialogs.shown[-1].text
    assert "Thứ Tư 25/11/2026" in wizard.outcome_step.due.text()
    code, _ = write_and_wait(qtbot, wizard)  # Enter again: written with the date now on screen
    assert dossiers.get(ctx, code).due_at == datetime(2026, 11, 25, 17, 0)


def test_resumed_dossier_writes_the_checklist_on_screen_including_an_untick(qtbot, window, ctx, clock):
    from motcua_desktop.domain.applicant import Applicant

    first = intake.receive(ctx, "HT-01", Applicant(name="Lê Văn Bình", id_number="001099012345"), "1")
    qtbot.keyClick(window, Qt.Key.Key_F4)
    key(qtbot, ENTER)  # resume the one waiting dossier
    wizard = window.wizard
    assert wizard.current_key() == "checklist" and wizard.checklist_step.rows[0].check.isChecked()
    assert QApplication.focusWidget() is wizard.checklist_step.rows[0].check
    key(qtbot, Qt.Key.Key_Space)  # paper 1 turns out to be unusable: unticked
    wizard.checklist_step.rows[1].check.setFocus()
    key(qtbot, Qt.Key.Key_Space)  # paper 2 brought now
    key(qtbot, ENTER)
    assert wizard.outcome_step.kind() == "supplement"
    code, kind = write_and_wait(qtbot, wizard)
    d = dossiers.get(ctx, code)
    assert (code, kind) == (first.code, "supplement")
    assert d.status is Status.SUPPLEMENT_REQUESTED and d.missing == (1,) and d.provided_numbers == (2,)


def test_a_foreign_passport_of_digits_only_is_taken_when_the_clerk_picks_passport(qtbot, window, ctx, clock):
    wizard = open_wizard_from_search(qtbot, window)
    step = wizard.applicant_step
    step.name.setText("John Smith")
    step.id_number.setText("123456789")  # 9 digits: a CMND by its shape
    assert step.applicant().id_kind is None
    step.id_kind.setCurrentIndex(step.id_kind.findData("passport"))
    step.name.setFocus()
    key(qtbot, ENTER)  # Enter on a field of the step: next step
    assert wizard.current_key() == "checklist"
    key(qtbot, Qt.Key.Key_F8)
    key(qtbot, ENTER)
    code, _ = write_and_wait(qtbot, wizard)
    a = dossiers.get(ctx, code).applicant
    assert (a.id_kind, a.id_number) == ("passport", "123456789")


def test_f8_ticks_everything_with_focus_on_the_wizard_buttons(qtbot, window):
    wizard = open_wizard_from_search(qtbot, window)
    fill_applicant_by_qr(qtbot, wizard)
    wizard.back_button.setFocus()
    key(qtbot, Qt.Key.Key_F8)
    assert "Đủ thành phần" in wizard.checklist_step.summary.text()


def test_a_copy_where_an_original_is_asked_shows_as_missing_live(qtbot, window):
    wizard = open_wizard_from_search(qtbot, window)
    fill_applicant_by_qr(qtbot, wizard)
    key(qtbot, Qt.Key.Key_F8)
    step = wizard.checklist_step
    assert "Đủ thành phần" in step.summary.text()
    row = step.rows[1]  # Giấy chứng sinh: 1 bản chính
    row.form.setCurrentIndex(row.form.findData("copy"))  # the citizen brought a photocopy
    assert "Còn thiếu 1" in step.summary.text() and "đã nộp 1 bản sao" in step.summary.text()
    key(qtbot, ENTER)
    assert wizard.outcome_step.kind() == "supplement" and not wizard.outcome_step.receive.isEnabled()


def test_tab_walks_the_applicant_form_in_the_clerks_order(qtbot, window):
    wizard = open_wizard_from_search(qtbot, window)
    step = wizard.applicant_step
    step.name.setFocus()
    seen = []
    for _ in range(3):
        key(qtbot, Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    assert seen == [step.id_number, step.phone, step.address]
    key(qtbot, Qt.Key.Key_L, ALT)  # the document kind, from the keyboard
    assert QApplication.focusWidget() is step.id_kind
