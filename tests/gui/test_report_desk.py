"""The supervisor's desk (F7) on the fixed November dataset: tiles, grid, charts, lists, exports, 1024×768."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from motcua_desktop.gui.desks import ReportsPage

from motcua_desktop.gui.qt import QPushButton, Qt

from .conftest import save_shot

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import report_dataset  # noqa: E402

SMALL = (1024, 768)


@pytest.fixture
def desk(qtbot, window, ctx):
    codes = report_dataset.build(ctx)
    d = window.desk(ReportsPage).desk
    loads: list[int] = []
    d.loaded.connect(lambda: loads.append(1))
    window.show_page("reports")  # this month loads on entering (F7 in the window's nav)
    assert window.current_page_key() == "reports"
    window.resize(*SMALL)
    qtbot.waitUntil(lambda: len(loads) == 1, timeout=20_000)
    d.set_custom(date(2026, 11, 1), date(2026, 11, 30))
    qtbot.mouseClick(d.show_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(loads) == 2 and len(d.entries) == 15, timeout=20_000)
    d.codes = codes
    return d


def test_f7_is_the_reports_desk():
    from motcua_desktop.gui.main_window import PAGES

    assert [(p.key, p.shortcut) for p in PAGES if p.shortcut == "F7"] == [("reports", "F7")]


def tile(d, label: str):
    return next(t for t in d.tiles if t.label.replace("\n", " ") == label)


def test_tiles_grid_and_charts_show_the_hand_count(desk, window, qtbot):
    assert tile(desk, "Tiếp nhận mới").text().split("\n")[0] == "12"
    assert tile(desk, "Quá hạn").text().split("\n")[0] == "2"
    assert tile(desk, "Tỉ lệ đúng hạn").text().split("\n")[0] == "77.8%"
    assert tile(desk, "Hài lòng").text().split("\n")[0] == "4.0 (2)"
    assert tile(desk, "Chờ trả kết quả").text().split("\n")[0] == "7"
    total = [desk.grid.item(2, c).text() for c in range(13)]
    assert total == ["", "Tổng cộng", "13", "1", "11", "1", "9", "2", "5", "2", "2", "1", "1"]
    assert desk.timeliness_chart.categories == ["Hộ tịch", "Đất đai"]
    assert desk.timeliness_chart.totals() == [9, 0]
    assert sum(desk.weekly_chart.series[0][2]) == 12 and sum(desk.weekly_chart.series[1][2]) == 9
    assert len(desk.due_chart.categories) == 6
    save_shot(window, "report-desk-1024.png")
    assert window.width() <= SMALL[0] and window.height() <= SMALL[1]
    for b in desk.findChildren(QPushButton):
        if b.isVisible():
            assert b.width() >= b.sizeHint().width() * 0.9, b.text()


def test_clicking_a_number_lists_its_dossiers(desk, qtbot):
    qtbot.mouseClick(tile(desk, "Quá hạn"), Qt.MouseButton.LeftButton)
    listed = [desk.dossier_list.item(i).text().split()[0] for i in range(desk.dossier_list.count())]
    assert sorted(listed) == sorted([desk.codes["C"], desk.codes["E"]])
    assert desk.list_title.text() == "Quá hạn: 2 hồ sơ"
    desk.tabs.setCurrentIndex(1)
    desk.list_grid_cell(1, 4)  # Đất đai · (5) trực tiếp, bưu chính
    assert desk.grid_list.count() == 2 and desk.codes["H"] in desk.grid_list.item(1).text()
    desk._due_clicked(0)  # overdue now
    assert any(desk.codes["I"] in desk.dossier_list.item(i).text() for i in range(desk.dossier_list.count()))


def test_book_filters_and_exports(desk, qtbot, dialogs, tmp_path, window):
    desk.tabs.setCurrentIndex(2)
    desk.book_text.setText("Người nộp H")
    qtbot.mouseClick(desk.book_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: desk.book_table.rowCount() == 1, timeout=20_000)
    assert desk.book_table.rowCount() == 1 and desk.book_table.item(0, 1).text() == desk.codes["H"]
    dialogs.answer(files=[str(tmp_path / "so.xlsx"), str(tmp_path / "bao-cao")])
    qtbot.mouseClick(desk.book_xlsx, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: (tmp_path / "so.xlsx").exists(), timeout=20_000)
    book = openpyxl.load_workbook(tmp_path / "so.xlsx")["Sổ theo dõi hồ sơ"]
    assert [r[1] for r in book.iter_rows(min_row=2, values_only=True)] == [desk.codes["H"]]
    qtbot.mouseClick(desk.pdf_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: [s.kind for s in dialogs.shown].count("info") == 2, timeout=20_000)
    assert (tmp_path / "bao-cao.pdf").read_bytes().startswith(b"%PDF")
    assert [s.kind for s in dialogs.shown].count("info") == 2 and not dialogs.errors()
