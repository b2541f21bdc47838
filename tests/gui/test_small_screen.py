"""A small counter monitor (1024×768): the window fits and no button has its label cut off."""

from __future__ import annotations

from datetime import datetime

import pytest

from motcua_desktop.domain.applicant import Applicant
from motcua_desktop.gui.qt import QApplication, QPushButton, QStyleOptionViewItem, Qt
from motcua_desktop.services import intake, returns

from .conftest import save_shot
from .test_intake_wizard import ENTER, QR, key, open_wizard_from_search, type_text

CITIZEN = Applicant(name="Đỗ Minh Châu", id_number="001088012345", phone="0912345678")
SMALL = (1024, 768)


def cut_buttons(page) -> list[str]:
    """Visible buttons narrower than their label needs, or partly hidden by the edge of a scroll area
    (the clerk would read half a word)."""
    cut = []
    for b in page.findChildren(QPushButton):
        if not b.isVisible():
            continue
        if b.width() < b.sizeHint().width() or b.visibleRegion().boundingRect() != b.rect():
            cut.append(f"{b.text()!r}: {b.width()} of {b.sizeHint().width()}, shown {b.visibleRegion().boundingRect()}")
    return cut


@pytest.fixture
def small(window, qtbot):
    window.resize(*SMALL)
    qtbot.wait(20)
    return window


def test_the_window_can_be_as_small_as_a_1024_by_768_monitor(small):
    assert small.minimumSizeHint().width() <= SMALL[0]
    assert small.width() <= SMALL[0] and small.height() <= SMALL[1]


@pytest.mark.parametrize("size", [SMALL, (1280, 800)])
def test_return_desk_buttons_show_their_whole_label(qtbot, window, ctx, clock, size):
    clock.now = datetime(2026, 12, 7, 9, 0)
    working = intake.receive(ctx, "HT-04", CITIZEN, "all").code
    ready = intake.receive(ctx, "HT-05", CITIZEN, "all").code
    returns.result_ready(ctx, ready)
    window.resize(*size)
    qtbot.keyClick(window, Qt.Key.Key_F6)
    desk = window.pages["returns"]
    desk.open_code(working)
    qtbot.wait(20)
    assert desk.ready_button.isVisible() and desk.withdraw_button.isVisible()
    save_shot(window, f"returns-working-{size[0]}.png")
    assert cut_buttons(desk) == []
    assert_panel_not_cut(desk)
    desk.open_code(ready)
    qtbot.wait(20)
    assert desk.handover_button.isVisible()
    assert cut_buttons(desk) == []
    assert_panel_not_cut(desk)


def assert_panel_not_cut(desk) -> None:
    """The dossier panel never scrolls sideways: its content (the code above all) must fit its width."""
    inner = desk.panel.widget()
    assert inner.width() <= desk.panel.viewport().width()
    assert desk.detail.width() >= desk.detail.minimumSizeHint().width()  # the code is one unbreakable word


def test_every_wizard_step_fits_at_1024(qtbot, small, ctx):
    wizard = open_wizard_from_search(qtbot, small)
    assert cut_buttons(small) == []
    type_text(qtbot, QR)
    key(qtbot, ENTER)
    type_text(qtbot, "0912345678")
    key(qtbot, ENTER)
    assert wizard.current_key() == "checklist"
    key(qtbot, Qt.Key.Key_F8)
    key(qtbot, ENTER)
    assert wizard.current_key() == "outcome"
    qtbot.wait(20)
    save_shot(small, "wizard-outcome-1024.png")
    outcome = wizard.outcome_step
    for w in (outcome.receive, outcome.refuse, outcome.exempt, outcome.fee_amount, outcome.channel):
        assert w.width() >= w.minimumSizeHint().width(), w
    assert wizard.next_button.geometry().right() <= wizard.width()
    assert cut_buttons(small) == []


def test_search_results_stay_readable_at_1024(qtbot, small):
    qtbot.keyClicks(small.search_view.box, "dat dai")
    qtbot.wait(20)
    save_shot(small, "search-1024.png")
    # The result names are what the clerk reads all day: never squeezed to a few words a line.
    assert small.search_view.results.width() >= 300
    assert cut_buttons(small.search_view) == []


@pytest.mark.parametrize("size", [SMALL, (1280, 800)])
def test_return_queue_names_and_whole_codes_are_readable(qtbot, window, ctx, clock, size):
    """At 1024 the fixed code and appointment columns left the names ~100 px, cut mid-letter."""
    clock.now = datetime(2026, 12, 7, 9, 0)
    code = intake.receive(ctx, "HT-04", CITIZEN, "all").code  # "Cấp Giấy xác nhận tình trạng hôn nhân"
    returns.result_ready(ctx, code)
    window.resize(*size)
    desk = window.pages["returns"]
    with qtbot.waitSignal(desk.lists_shown, timeout=5000):  # the lists load on the worker store
        qtbot.keyClick(window, Qt.Key.Key_F6)
    desk.open_code(code)
    qtbot.wait(20)
    save_shot(window, f"returns-queue-{size[0]}.png")
    table = desk.queue_table
    assert table.codes() == [code]
    assert table.columnWidth(table.NAME_COLUMN) >= 200
    # What is painted: the whole code (no '…'), the procedure elided with '…' only when it does not fit.
    delegate = table.itemDelegate()
    option = QStyleOptionViewItem()
    option.initFrom(table.viewport())
    for col in (table.CODE_COLUMN, table.NAME_COLUMN):
        option.rect = table.visualRect(table.model().index(0, col))
        shown = delegate.shown_text(option, table.model().index(0, col)).split("\u2028")
        if col == table.CODE_COLUMN:
            assert shown[0] == code
            assert table.columnWidth(col) > table.fontMetrics().horizontalAdvance(code)
        else:
            name, procedure = shown
            assert name == CITIZEN.name
            full = "Cấp Giấy xác nhận tình trạng hôn nhân"
            fits = table.fontMetrics().horizontalAdvance(full) < table.columnWidth(col) - 8
            assert procedure == full if fits else (procedure.endswith("…") and full.startswith(procedure[:-1]))
    assert table.item(0, table.NAME_COLUMN).toolTip() == f"{CITIZEN.name}\nCấp Giấy xác nhận tình trạng hôn nhân"
    header = table.horizontalHeader()
    assert header.sectionSize(table.NAME_COLUMN) >= header.fontMetrics().horizontalAdvance("Người nộp · thủ tục")
    assert_panel_not_cut(desk)
    assert cut_buttons(desk) == []


def test_on_a_screen_smaller_than_the_window_starts_within_it(styled_app, qtbot, ctx, dialogs):
    """The offscreen screen is smaller than the window's own 1280×800 (a 1024×768 monitor in the field);
    the window never starts past its edges, down to what its layout needs (965 pixels wide)."""
    from motcua_desktop.gui.app import create_main_window, show_within_screen

    w = create_main_window(ctx, dialogs)
    qtbot.addWidget(w)
    room = w.screen().availableGeometry()
    assert room.width() < w.width() or room.height() < w.height()
    show_within_screen(w)
    qtbot.waitExposed(w)
    assert w.height() <= room.height()
    assert w.width() <= max(room.width(), w.minimumSizeHint().width())
    w.ops.wait()


def test_the_status_message_after_a_receipt_is_not_cut_at_1024_pixels(qtbot, small, ctx):
    """'Đã tiếp nhận hồ sơ CODE' on the left of the status bar, whole, beside the permanent sections."""
    small.show()
    qtbot.waitExposed(small)
    code = intake.receive(ctx, "HT-05", CITIZEN, "all").code
    small._dossier_written(code, "receipt")
    bar = small.statusBar()
    message = bar.currentMessage()
    assert code in message
    permanent = sum(w.width() for w in (small.busy_label, small.backup_label, small.sync_attention, small.sync_label,
                                        small.counter_label, small.clerk_label, small.clock_label) if w.isVisible())
    room = bar.width() - permanent - 40  # the bar's margins and the gaps between sections
    assert bar.fontMetrics().horizontalAdvance(message) <= room, (message, room)
