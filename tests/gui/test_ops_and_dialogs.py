"""Background operations and the one dialog service: results and errors come back on the UI thread,
errors are sorted (the clerk's message vs a bug with its traceback), and nothing blocks on a modal."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from motcua_desktop.errors import KnownError, UserError
from motcua_desktop.gui import app as gui_app
from motcua_desktop.gui.dialogs import RecordingDialogs
from motcua_desktop.gui.ops import Ops
from motcua_desktop.services import catalog
from motcua_desktop.store import settings_repo


def test_op_runs_on_a_worker_with_its_own_connection_and_delivers_on_ui_thread(qtbot, ctx, dialogs):
    ops = Ops(ctx, dialogs)
    ui_thread = threading.get_ident()
    seen: dict = {}

    def work(worker_ctx, query):
        seen["thread"] = threading.get_ident()
        seen["same_connection"] = worker_ctx.store.conn is ctx.store.conn
        seen["clock"] = worker_ctx.now()
        return [h.name for h in catalog.search(worker_ctx, query, 3)]

    def done(result):
        seen["result"] = result
        seen["delivered_on"] = threading.get_ident()

    with qtbot.waitSignal(ops.finished, timeout=5000) as blocker:
        ops.run(work, "dang ky khai sinh", on_done=done, doing="tìm thử")
    assert blocker.args == ["tìm thử", True]
    assert seen["thread"] != ui_thread
    assert seen["same_connection"] is False
    assert seen["clock"] == ctx.now()  # the window's (fake) clock travels with the job
    assert seen["result"][0] == "Đăng ký khai sinh"
    assert seen["delivered_on"] == ui_thread
    assert dialogs.shown == []


def test_op_writes_are_visible_to_the_window_afterwards(qtbot, ctx, dialogs):
    ops = Ops(ctx, dialogs)
    with qtbot.waitSignal(ops.finished, timeout=5000):
        ops.run(lambda c: settings_repo.put(c.store, "clerk_name", "Trần Văn Bốn"))
    assert settings_repo.get(ctx.store, "clerk_name") == "Trần Văn Bốn"


def test_user_error_in_op_shows_its_vietnamese_message(qtbot, ctx, dialogs):
    ops = Ops(ctx, dialogs)

    def bad(_ctx):
        raise UserError("Số CCCD phải có 12 chữ số.", "id must have 12 digits")

    with qtbot.waitSignal(ops.finished, timeout=5000) as blocker:
        ops.run(bad)
    assert blocker.args[1] is False
    [shown] = dialogs.errors()
    assert shown.text == "Số CCCD phải có 12 chữ số."
    assert shown.details is None  # no traceback for a clerk's mistake


def test_bug_in_op_shows_bug_dialog_with_traceback_and_log_tail(qtbot, ctx, dialogs, caplog):
    ops = Ops(ctx, dialogs)

    def buggy(_ctx):
        return {}["missing"]

    with qtbot.waitSignal(ops.finished, timeout=5000):
        ops.run(buggy, doing="thử lỗi")
    [shown] = dialogs.errors()
    assert shown.title == "Lỗi chương trình"
    assert "chưa được ghi" in shown.text
    assert "KeyError" in shown.details and "buggy" in shown.details
    assert any("thử lỗi" in r.getMessage() and r.exc_info for r in caplog.records)


def test_on_error_hook_takes_the_error_instead_of_a_dialog(qtbot, ctx, dialogs):
    ops = Ops(ctx, dialogs)
    got = []

    def fail(_ctx):
        raise KnownError("Ổ đĩa đầy.", "disk full")

    with qtbot.waitSignal(ops.finished, timeout=5000):
        ops.run(fail, on_error=got.append)
    assert [e.message_vi for e in got] == ["Ổ đĩa đầy."]
    assert dialogs.shown == []


def test_unscripted_question_fails_instead_of_hanging():
    with pytest.raises(AssertionError, match="unscripted"):
        RecordingDialogs().confirm(None, "Xóa?")


def test_uninitialised_data_dir_explains_motcua_init_and_can_quit(tmp_path: Path):
    dialogs = RecordingDialogs().answer(forms=[None], confirms=[False])  # the first run cancelled
    assert gui_app.open_counter(tmp_path / "empty", demo=False, dialogs=dialogs) is None
    first_run, question = dialogs.shown
    assert first_run.title == "Khởi tạo quầy"
    assert "motcua init --agency-code" in question.text
    assert not (tmp_path / "empty").exists()  # nothing created behind the administrator's back


def test_uninitialised_data_dir_can_open_a_throwaway_demo(tmp_path: Path):
    dialogs = RecordingDialogs().answer(forms=[None], confirms=[True])
    ctx = gui_app.open_counter(tmp_path / "empty", demo=False, dialogs=dialogs)
    try:
        assert ctx is not None and ctx.data_dir != tmp_path / "empty"
        assert catalog.search(ctx, "khai sinh", 1)
    finally:
        ctx.close()


def test_demo_flag_opens_the_given_dir_with_the_sample_catalogue(tmp_path: Path):
    ctx = gui_app.open_counter(tmp_path / "demo", demo=True, dialogs=RecordingDialogs())
    try:
        assert ctx.data_dir == tmp_path / "demo"
        assert ctx.settings()["agency_name"] == "UBND XÃ HÒA BÌNH"
    finally:
        ctx.close()


def test_every_op_runs_on_one_long_lived_worker_store(qtbot, ctx, dialogs):
    from motcua_desktop.gui.ops import CollectionOp, QueryOp

    ops = Ops(ctx, dialogs)
    seen: list[tuple[int, int, str]] = []

    def note(worker_ctx, what):
        seen.append((threading.get_ident(), id(worker_ctx.store.conn), what))
        return what

    results: list[str] = []
    with qtbot.waitSignal(ops.query_finished, timeout=5000, check_params_cb=lambda name, ok: name == "đọc 2"):
        CollectionOp(note, "ghi 1", doing="ghi 1").success(results.append).run(ops)
        QueryOp(note, "đọc 1", doing="đọc 1").success(results.append).run(ops)
        ops.run(note, "ghi 2", on_done=results.append)
        ops.query(note, "đọc 2", on_done=results.append, doing="đọc 2")
    assert results == ["ghi 1", "đọc 1", "ghi 2", "đọc 2"]  # in the order asked
    assert len({(thread, conn) for thread, conn, _ in seen}) == 1  # one thread, one connection
    assert seen[0][0] == ops.worker.thread_ident != threading.get_ident()
    assert ops.close(5000)
    assert ops.worker.wait(0)


def test_reads_do_not_say_busy_nor_count_as_writes(qtbot, ctx, dialogs):
    ops = Ops(ctx, dialogs)
    busy: list[bool] = []
    started: list[str] = []
    ops.busy_changed.connect(busy.append)
    ops.started.connect(started.append)
    with qtbot.assertNotEmitted(ops.finished, wait=50):
        with qtbot.waitSignal(ops.query_finished, timeout=5000) as read:
            ops.query(lambda c: catalog.search(c, "khai sinh", 1), doing="tìm")
    assert read.args == ["tìm", True] and busy == [] and started == [] and not ops.busy
    with qtbot.waitSignal(ops.finished, timeout=5000):
        ops.run(lambda c: None, doing="ghi")
    assert busy == [True, False] and started == ["ghi"]


def test_a_failing_read_reports_like_a_write(qtbot, ctx, dialogs):
    ops = Ops(ctx, dialogs)

    def locked(_ctx):
        raise KnownError("Tệp dữ liệu đang bị khóa.", "database is locked")

    with qtbot.waitSignal(ops.query_finished, timeout=5000) as read:
        ops.query(locked, doing="tải danh sách")
    assert read.args == ["tải danh sách", False]
    [shown] = dialogs.errors()
    assert shown.text == "Tệp dữ liệu đang bị khóa." and shown.details is None


def test_the_worker_store_closes_its_connection_and_starts_again_when_needed(qtbot, ctx, dialogs):
    ops = Ops(ctx, dialogs)
    conns = []
    with qtbot.waitSignal(ops.finished, timeout=5000):
        ops.run(lambda c: conns.append(c.store.conn))
    assert ops.close(5000)
    with pytest.raises(Exception, match="closed"):
        conns[0].execute("SELECT 1")  # closed on its own thread when the worker ended
    with qtbot.waitSignal(ops.finished, timeout=5000) as again:
        ops.run(lambda c: conns.append(c.store.conn))
    assert again.args[1] is True and conns[1] is not conns[0]
    ops.close(5000)


def test_the_return_desk_loads_its_lists_on_the_worker_store(qtbot, window, monkeypatch):
    from motcua_desktop.gui import return_desk

    threads: list[int] = []
    real = return_desk.load_lists

    def spying(*args, **kwargs):
        threads.append(threading.get_ident())
        return real(*args, **kwargs)

    monkeypatch.setattr(return_desk, "load_lists", spying)
    desk = window.pages["returns"]
    with qtbot.waitSignal(desk.lists_shown, timeout=5000):
        window.show_page("returns")
    assert threads == [window.ops.worker.thread_ident] and threads[0] != threading.get_ident()
