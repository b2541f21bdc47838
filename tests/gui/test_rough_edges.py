"""Rough edges of issue 15, each reproduced first: F8 ticks only the required components; Esc in the
wizard asks with the safe choice as the default."""

from __future__ import annotations

from motcua_desktop.gui.qt import Qt

from .test_intake_wizard import ENTER, fill_applicant_by_qr, key, open_wizard_from_search


def test_f8_ticks_only_the_required_components(qtbot, window):
    wizard = open_wizard_from_search(qtbot, window, "xac nhan tinh trang hon nhan")  # HT-04: 1 required, 2 optional
    assert wizard.procedure_step.procedure.code == "HT-04"
    fill_applicant_by_qr(qtbot, wizard)
    key(qtbot, Qt.Key.Key_F8)
    assert [p.number for p in wizard.checklist_step.provided()] == [1]
    assert "Đủ thành phần" in wizard.checklist_step.summary.text()


def test_esc_in_the_wizard_defaults_to_keep_typing(qtbot, window, dialogs):
    wizard = open_wizard_from_search(qtbot, window)
    fill_applicant_by_qr(qtbot, wizard)
    dialogs.answer(confirms=[False])
    key(qtbot, Qt.Key.Key_Escape)
    asked = [s for s in dialogs.shown if s.kind == "confirm"][-1]
    assert "Hủy hồ sơ đang nhập" in asked.text and asked.safe_default
    assert wizard.current_key() == "checklist"
    key(qtbot, ENTER)  # still on the dossier: Enter goes on


def test_the_fee_field_shows_and_takes_vietnamese_numbers(qtbot, window):
    from motcua_desktop.gui.qt import QLocale

    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))  # a PC set to English
    try:
        wizard = open_wizard_from_search(qtbot, window)
        fee = wizard.outcome_step.fee_amount
        fee.setValue(8000)
        assert fee.text() == "8.000 đồng"
        fee.lineEdit().selectAll()
        qtbot.keyClicks(fee.lineEdit(), "25.000")
        fee.interpretText()
        assert fee.value() == 25000
    finally:
        QLocale.setDefault(QLocale.system())


def test_the_window_title_says_mot_cua_once(window, qapp):
    assert "Một cửa" not in window.windowTitle()  # the platform appends the display name itself
    assert qapp.applicationDisplayName() == "Một cửa"


def test_the_default_clerk_name_is_not_said_twice(ctx):
    from motcua_desktop.domain.applicant import Applicant
    from motcua_desktop.gui.dossier_html import detail_html
    from motcua_desktop.services import intake

    ctx.actor = None  # the counter's setting: 'Cán bộ tiếp nhận'
    v = intake.receive(ctx, "HT-04", Applicant(name="Trần Văn Bình", id_number="001088012345"), "all")
    html = detail_html(v, ctx.now())
    assert "Cán bộ tiếp nhận" in html and "cán bộ Cán bộ" not in html


def test_checklist_columns_stay_on_screen_and_names_wrap_at_1024(qtbot, window, ctx):
    """At 1024×768 'Yêu cầu / Hình thức / Số lượng' were behind a horizontal scroll bar and long names cut."""
    from motcua_desktop.gui.qt import QPoint

    window.resize(1024, 768)
    qtbot.wait(20)
    window.start_intake("CT-04")  # the longest component names of the sample catalogue
    wizard = window.wizard
    fill_applicant_by_qr(qtbot, wizard)
    qtbot.wait(20)
    step = wizard.checklist_step
    viewport = step.scroll_area.viewport()
    assert not step.scroll_area.horizontalScrollBar().isVisible()
    for row in step.rows:
        for w in (row.form, row.count, row.name):
            right = w.mapTo(viewport, QPoint(w.width(), 0)).x()
            assert right <= viewport.width(), (row.doc.name, w, right, viewport.width())
    longest = max(step.rows, key=lambda r: len(r.doc.name))
    line = longest.name.fontMetrics().height()
    assert longest.name.height() >= 2 * line  # wrapped, not cut
    assert longest.name.text() == longest.doc.name
    qtbot.mouseClick(longest.name, Qt.MouseButton.LeftButton)  # the name ticks its box
    assert longest.check.isChecked()


def test_the_applicant_forms_tab_stops_are_visible_and_in_reading_order(qtbot, window):
    """One Tab from 'Mã QR CCCD' landed on an unmarked radio button: the typed name was lost."""
    from motcua_desktop.gui.qt import QApplication, QPoint, QPushButton

    window.resize(1024, 768)
    wizard = open_wizard_from_search(qtbot, window)
    step = wizard.applicant_step
    assert QApplication.focusWidget() is step.qr
    key(qtbot, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is step.name
    seen, last_y = [], -1
    for _ in range(12):
        w = QApplication.focusWidget()
        if isinstance(w, QPushButton):
            break
        assert w.isVisible() and not w.visibleRegion().isEmpty(), w
        y = w.mapTo(step, QPoint(0, 0)).y()
        assert y >= last_y, (w, y, last_y)  # top to bottom
        last_y = y
        seen.append(w)
        key(qtbot, Qt.Key.Key_Tab)
    assert seen[:3] == [step.name, step.id_number, step.phone]
    step.name.setFocus()
    qtbot.keyClick(step.name, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)
    assert step.organisation.isChecked()


def test_agency_time_in_the_status_bar_and_a_warning_outside_office_hours(qtbot, window, clock):
    from datetime import datetime

    clock.now = datetime(2026, 12, 7, 22, 19)  # Monday night, as it happened
    window.refresh_clock()
    assert window.clock_label.text() == "Giờ VN 22:19" and "07/12/2026" in window.clock_label.toolTip()
    wizard = open_wizard_from_search(qtbot, window)
    fill_applicant_by_qr(qtbot, wizard)
    key(qtbot, Qt.Key.Key_F8)
    key(qtbot, ENTER)
    assert wizard.current_key() == "outcome"
    warning = wizard.outcome_step.hours_warning
    assert warning.isVisible() and "22:19 giờ Việt Nam" in warning.text() and "ngoài giờ làm việc" in warning.text()
    assert wizard.outcome_step.receive.isEnabled()  # warned, not blocked


def test_no_hours_warning_within_office_hours(qtbot, window, clock):
    from datetime import datetime

    clock.now = datetime(2026, 12, 7, 9, 0)
    wizard = open_wizard_from_search(qtbot, window)
    fill_applicant_by_qr(qtbot, wizard)
    key(qtbot, Qt.Key.Key_F8)
    key(qtbot, ENTER)
    assert not wizard.outcome_step.hours_warning.isVisible()


def test_the_search_key_hint_is_one_line_at_1024(qtbot, window):
    window.resize(1024, 768)
    qtbot.wait(20)
    window.show_page("search")
    hint = window.search_view.hint
    assert hint.isVisible()
    assert hint.height() < 2 * hint.fontMetrics().height()


def test_a_handed_over_dossiers_fields_do_not_look_editable(qtbot, window, ctx, clock):
    from datetime import datetime

    from motcua_desktop.domain.applicant import Applicant
    from motcua_desktop.services import intake, returns

    clock.now = datetime(2026, 12, 7, 9, 0)
    code = intake.receive(ctx, "HT-04", Applicant(name="Trần Văn Bình", id_number="001088012345"), "all").code
    returns.result_ready(ctx, code)
    returns.hand_over(ctx, code, returns.Collector("authorised", name="Lê Thị Hoa", id_number="079190000123"))
    other = intake.receive(ctx, "HT-04", Applicant(name="Lê Văn Chờ", id_number="001088012399"), "all").code
    returns.result_ready(ctx, other)
    window.show_page("returns")
    desk = window.pages["returns"]

    def field_colour():
        w = desk.collector_name
        return w.grab().toImage().pixelColor(w.width() - 6, w.height() // 2).name()

    desk.open_code(other)
    desk.by_authorised.setChecked(True)
    qtbot.wait(10)
    editable = field_colour()
    desk.open_code(code)
    qtbot.wait(10)
    assert not desk.collector_name.isEnabled()
    assert field_colour() != editable  # greyed, not the white of a field to type in
