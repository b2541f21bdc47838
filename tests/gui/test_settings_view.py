"""Thiết lập: editing by keyboard, all-or-nothing saving, print defaults, the status bar.

The calendar tab has its own file (test_calendar_view.py)."""

from __future__ import annotations

import pytest

from motcua_desktop.domain.applicant import Applicant
from motcua_desktop.gui.qt import QApplication, QEvent, QKeyEvent, Qt
from motcua_desktop.services import intake, slips
from motcua_desktop.store import settings_repo

from .conftest import save_shot


def type_text(qtbot, widget, text: str) -> None:
    """Vietnamese letters arrive as key events carrying text (QTest aborts on non-ASCII keys)."""
    for ch in text:
        if ch.isascii():
            qtbot.keyClick(widget, ch)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))


@pytest.fixture
def settings(qtbot, window):
    window.show_page("settings")
    assert window.current_page_key() == "settings"
    return window.settings_view


def retype(qtbot, editor, text: str) -> None:
    editor.setFocus()
    editor.selectAll()
    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    type_text(qtbot, editor, text)


def test_a_setting_typed_and_saved_by_keyboard_persists(qtbot, window, settings, ctx, written):
    retype(qtbot, settings.editors["clerk_name"], "Lê Thu Hà")
    with written():  # on the worker store, as every write of the window
        qtbot.keyClick(settings, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert settings_repo.get(ctx.store, "clerk_name") == "Lê Thu Hà"
    assert window.clerk_label.text() == "Nguyễn Thị Tiếp Nhận"  # the session's actor is unchanged
    save_shot(window, "settings.png")


def test_renaming_the_agency_updates_the_title(qtbot, window, settings, ctx, written):
    retype(qtbot, settings.editors["agency_name"], "UBND XÃ AN KHÁNH")
    with written():
        settings.save()
    assert "UBND XÃ AN KHÁNH" in window.windowTitle()


def test_an_invalid_agency_code_saves_nothing(qtbot, window, settings, ctx, dialogs):
    before = settings_repo.get_all(ctx.store)
    retype(qtbot, settings.editors["clerk_name"], "Lê Thu Hà")  # a valid change riding along
    retype(qtbot, settings.editors["agency_code"], "H22")
    dialogs.answer(confirms=[True])  # yes, change the agency code
    assert settings.save() is False
    assert settings_repo.get_all(ctx.store) == before
    assert settings.errors["agency_code"].isVisibleTo(settings)
    assert "QCVN 102:2016" in settings.errors["agency_code"].text()
    save_shot(window, "settings-error.png")
    assert dialogs.errors() and "Chưa lưu thiết lập nào" in dialogs.errors()[-1].text


def test_changing_the_counter_slot_asks_first(qtbot, settings, ctx, dialogs, written):
    settings.editors["counter_slot"].setValue(3)
    dialogs.answer(confirms=[False])
    assert settings.save() is False
    assert settings_repo.get(ctx.store, "counter_slot") == 1
    dialogs.answer(confirms=[True])
    with written():
        assert settings.save() is True
    assert settings_repo.get(ctx.store, "counter_slot") == 3


def test_print_defaults_per_kind_are_stored(qtbot, settings, ctx, written):
    settings.tabs.setCurrentIndex(1)
    settings.printers["receipt"].setEditText("Máy in quầy 1")
    settings.papers["receipt"].setCurrentIndex(settings.papers["receipt"].findData("a5"))
    settings.papers["apology"].setCurrentIndex(settings.papers["apology"].findData("80mm"))
    save_shot(settings.window(), "settings-printing.png")
    with written():
        assert settings.save()
    assert settings_repo.get(ctx.store, "print_defaults") == {
        "receipt": {"printer": "Máy in quầy 1", "paper": "a5"},
        "apology": {"printer": "", "paper": "80mm"},
    }
    assert settings.papers["control"].findData("80mm") < 0  # the control slip is A4/A5 only


def test_status_bar_counts_events_waiting_for_the_hub(qtbot, window, ctx):
    window.refresh_sync_state()
    assert window.sync_label.text() == "Chưa nối hub · chờ gửi 0"
    with qtbot.waitSignal(window.ops.finished, timeout=10_000):
        window.ops.run(intake.receive, "HT-04", Applicant(name="An", id_number="001190012345"), "all")
    assert window.sync_label.text() == "Chưa nối hub · chờ gửi 1"
    assert not window.sync_attention.isVisible()


def test_revert_brings_back_the_stored_values(qtbot, settings, ctx):
    retype(qtbot, settings.editors["place_name"], "Xã Khác")
    settings.findChild(type(settings.save_button), "revertSettings").click()
    assert settings.editors["place_name"].text() == "Hòa Bình"
    assert settings_repo.get(ctx.store, "place_name") == "Hòa Bình"


def test_bad_office_hours_are_named_next_to_the_field(qtbot, settings, ctx, dialogs, written):
    retype(qtbot, settings.editors["office_hours"], "17:00-07:30")
    qtbot.keyClick(settings.editors["office_hours"], Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert "Giờ làm việc" in settings.errors["office_hours"].text()
    assert settings.errors["office_hours"].isVisibleTo(settings)
    assert settings_repo.get(ctx.store, "office_hours") == "07:30-11:30,13:30-17:00"
    retype(qtbot, settings.editors["office_hours"], "07:00-11:00,13:00-16:30")
    with written():
        qtbot.keyClick(settings.editors["office_hours"], Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not settings.errors["office_hours"].isVisibleTo(settings)  # the message goes once fixed
    assert settings_repo.get(ctx.store, "office_hours") == "07:00-11:00,13:00-16:30"


def test_print_defaults_chosen_on_screen_drive_the_slip_and_the_preview(qtbot, window, settings, ctx, dialogs,
                                                                       written):
    from motcua_desktop.gui import printing

    settings.printers["receipt"].setEditText("Máy in quầy 1")
    settings.papers["receipt"].setCurrentIndex(settings.papers["receipt"].findData("80mm"))
    with written():
        assert settings.save()
    view = intake.receive(ctx, "HT-04", Applicant(name="Vũ Thị Hạnh", id_number="001190012345"), "all")
    slip = slips.issue_slip(ctx, view.code, "receipt")  # no paper given: the kind's default
    assert slip.paper == "80mm"
    printing.present(window, slip)  # the recording dialogs close the preview unprinted
    [preview] = [s for s in dialogs.shown if s.kind == "preview_pdf"]
    assert preview.details == "Máy in quầy 1"  # Enter will print there, no printer dialog


def test_connecting_the_hub_on_its_tab_clears_the_not_configured_notice(qtbot, window, settings, ctx, dialogs,
                                                                       written):
    assert window.sync_label.text().startswith("Chưa nối hub")
    settings.tabs.setCurrentIndex(3)
    assert settings.hub_values["url"].text().startswith("chưa nối")
    assert settings.hub_values["catalog"].text().startswith("nhập tại quầy")  # the demo catalogue
    token = "k" * 43
    # a typing mistake is named on the same form; then the right values
    dialogs.answer(forms=[{"url": "hub.example.vn", "token": token, "ca_file": ""},
                          {"url": "http://127.0.0.1:9", "token": token, "ca_file": ""}])
    with written():
        settings.connect_hub_button.click()
    first, second = dialogs.forms_shown("Nối quầy với hub")
    assert second.text and "không hợp lệ" in second.text
    assert settings.hub_values["url"].text() == "http://127.0.0.1:9"
    assert settings.hub_values["token"].text() == "…kkkk" and token not in settings.hub_values["token"].text()
    assert not window.sync_label.text().startswith("Chưa nối hub")  # a hub now: it tries, in the background
    assert window.background_sync.running


def test_unsaved_edits_survive_a_trip_to_another_desk(qtbot, window, settings, ctx):
    retype(qtbot, settings.editors["place_name"], "Xã Khác")
    window.show_page("search")
    window.show_page("settings")
    assert settings.editors["place_name"].text() == "Xã Khác"
    assert "chưa lưu" in settings.status.text()
    assert settings_repo.get(ctx.store, "place_name") == "Hòa Bình"


def test_values_changed_elsewhere_show_when_the_page_is_entered(qtbot, window, settings, ctx):
    from motcua_desktop.services.settings import update_settings

    window.show_page("search")
    update_settings(ctx, {"contact_phone": "0203 3812 345"})  # e.g. `motcua settings` on the command line
    window.show_page("settings")
    assert settings.editors["contact_phone"].text() == "0203 3812 345"


def test_the_form_set_in_force_is_named_and_a_local_one_marked(qtbot, settings, ctx, tmp_path):
    import json

    from motcua_desktop.services import form_sets
    from motcua_desktop.slips import forms

    settings.load()
    assert "Thông tư 03/2025/TT-VPCP — kèm phần mềm" in settings.form_set_note.text()
    raw = json.loads(forms.shipped_path("2025").read_text(encoding="utf-8"))
    (tmp_path / "2025.json").write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    form_sets.import_file(ctx, tmp_path / "2025.json")
    settings.load()
    assert "(local)" in settings.form_set_note.text()
