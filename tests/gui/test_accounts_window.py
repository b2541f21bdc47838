"""The window side of staff accounts: first run, log-in and lock-out, idle lock, roles, who the worker
writes as, backups in the status bar, a damaged database at start, the accounts and audit desks."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from motcua_desktop.domain.applicant import Applicant
from motcua_desktop.gui import app as gui_app
from motcua_desktop.gui.admin_desks import AuditPage, UsersPage
from motcua_desktop.gui.app import create_main_window
from motcua_desktop.gui.desks import ReturnsPage
from motcua_desktop.gui.dialogs import RecordingDialogs
from motcua_desktop.gui.main_window import MainWindow
from motcua_desktop.gui.qt import Qt
from motcua_desktop.paths import DB_FILENAME
from motcua_desktop.services import accounts, backup, dossiers, intake, returns, setup, sync
from motcua_desktop.services import settings as settings_service
from motcua_desktop.services.context import open_context

from .conftest import save_shot

ADMIN = ("quantri", "Trần Quản Trị", "admin-pass-1")
CLERK = ("lan", "Nguyễn Thị Lan", "lan-pass-1")
BOSS = ("hoa", "Lê Thị Hoa", "hoa-pass-1")
GOOD_FIRST_RUN = {"agency_code": "000.00.07.H22", "agency_name": "UBND XÃ AN PHÚ", "place_name": "An Phú",
                  "counter_slot": "2", "hub_url": "https://hub.example.vn", "hub_token": "k" * 43,
                  "admin_user": "quantri",
                  "admin_name": "Trần Quản Trị", "password": "admin-pass-1", "again": "admin-pass-1"}


def login(user: tuple[str, str, str], password: str | None = None) -> dict[str, str]:
    return {"username": user[0], "password": password or user[2]}


def staff(ctx) -> None:
    """An administrator, a clerk and a supervisor on the counter; nobody left signed in."""
    ctx.actor = None
    accounts.add_user(ctx, ADMIN[0], ADMIN[1], "administrator", ADMIN[2])
    accounts.sign_in(ctx, ADMIN[0], ADMIN[2])
    accounts.add_user(ctx, CLERK[0], CLERK[1], "clerk", CLERK[2])
    accounts.add_user(ctx, BOSS[0], BOSS[1], "supervisor", BOSS[2])
    accounts.sign_out(ctx)


@pytest.fixture
def staffed(ctx):
    staff(ctx)
    return ctx


@pytest.fixture
def counter_dir(data_dir: Path) -> Path:
    """A counter with accounts on disk, closed (as the app finds it at start)."""
    c = setup.open_demo(data_dir)
    staff(c)
    c.close()
    return data_dir


def open_window(qtbot, ctx, dialogs) -> MainWindow:
    w = create_main_window(ctx, dialogs)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()  # window shortcuts (F9, Ctrl+L) need the active window
    qtbot.waitUntil(w.isActiveWindow, timeout=3000)
    return w


@pytest.fixture
def as_user(styled_app, qtbot, staffed, dialogs) -> Iterator:
    """window_as(user): the main window with that account signed in."""
    windows: list[MainWindow] = []

    def make(user: tuple[str, str, str]) -> MainWindow:
        accounts.sign_in(staffed, user[0], user[2])
        w = open_window(qtbot, staffed, dialogs)
        windows.append(w)
        return w

    yield make
    for w in windows:
        w.ops.wait()


# --- first run -----------------------------------------------------------------------------------------
def test_first_run_creates_the_counter_and_its_administrator(tmp_path: Path):
    dialogs = RecordingDialogs().answer(forms=[{**GOOD_FIRST_RUN, "place_name": ""},  # nothing defaulted
                                               {**GOOD_FIRST_RUN, "again": "something-else"},
                                               {**GOOD_FIRST_RUN, "hub_token": ""},  # a hub needs its token
                                               GOOD_FIRST_RUN])
    ctx = gui_app.open_counter(tmp_path / "new", demo=False, dialogs=dialogs)
    try:
        assert ctx is not None and ctx.data_dir == tmp_path / "new"
        _, no_place, mismatch, no_token = dialogs.forms_shown("Khởi tạo quầy")  # a refusal shows on the next form
        assert "Chưa nhập địa danh in trên phiếu" in no_place.text
        assert "không giống nhau" in mismatch.text
        assert "Chưa nhập mã truy cập của quầy" in no_token.text
        s = ctx.settings()
        assert (s["agency_code"], s["agency_name"], s["place_name"], s["counter_slot"]) == (
            "000.00.07.H22", "UBND XÃ AN PHÚ", "An Phú", 2)
        hub = sync.show_hub(ctx)  # the hub with the counter's token, as 'motcua hub set' stores it
        assert hub["url"] == "https://hub.example.vn" and hub["token"] == "…kkkk"
        assert ctx.user is not None and ctx.user.username == "quantri" and ctx.user.role.value == "administrator"
        assert [a.username for a in accounts.list_accounts(ctx)] == ["quantri"]
    finally:
        ctx.close()
    # Opened again: a log-in, not a second first run.
    dialogs = RecordingDialogs().answer(forms=[None])
    assert gui_app.open_counter(tmp_path / "new", demo=False, dialogs=dialogs) is None
    assert [f.title for f in dialogs.forms_shown()] == ["Đăng nhập"]


def test_a_wrong_agency_code_is_said_in_vietnamese_and_nothing_is_created(tmp_path: Path):
    dialogs = RecordingDialogs().answer(forms=[{**GOOD_FIRST_RUN, "agency_code": "H22"}, None], confirms=[False])
    assert gui_app.open_counter(tmp_path / "new", demo=False, dialogs=dialogs) is None
    assert "không đúng dạng QCVN 102:2016" in dialogs.forms_shown()[1].text
    assert not (tmp_path / "new").exists()


# --- log-in at start ---------------------------------------------------------------------------------
def test_log_in_is_required_at_start_and_a_wrong_password_is_said(counter_dir: Path):
    dialogs = RecordingDialogs().answer(forms=[login(CLERK, "wrong-password"), login(CLERK)])
    ctx = gui_app.open_counter(counter_dir, demo=False, dialogs=dialogs)
    try:
        assert ctx is not None and ctx.user is not None and ctx.user.full_name == "Nguyễn Thị Lan"
        first, second = dialogs.forms_shown("Đăng nhập")
        assert second.text == "Sai tên đăng nhập hoặc mật khẩu."
    finally:
        ctx.close()


def test_cancelling_the_log_in_opens_nothing(counter_dir: Path):
    dialogs = RecordingDialogs().answer(forms=[None])
    assert gui_app.open_counter(counter_dir, demo=False, dialogs=dialogs) is None


def test_five_wrong_passwords_lock_the_account(counter_dir: Path):
    dialogs = RecordingDialogs().answer(forms=[login(CLERK, "nope-nope")] * 5 + [login(CLERK), None])
    assert gui_app.open_counter(counter_dir, demo=False, dialogs=dialogs) is None
    texts = [f.text for f in dialogs.forms_shown("Đăng nhập")]
    assert texts[1:5] == ["Sai tên đăng nhập hoặc mật khẩu."] * 4
    assert "Nhập sai mật khẩu 5 lần" in texts[5] and "bị khóa" in texts[5]
    assert "đang bị khóa" in texts[6]  # even the right password, while locked


def test_a_reset_password_must_be_changed_at_the_next_log_in(counter_dir: Path):
    c = open_context(counter_dir, create=False)
    accounts.sign_in(c, ADMIN[0], ADMIN[2])
    accounts.reset_password(c, CLERK[0], "temporary-1")
    c.close()
    dialogs = RecordingDialogs().answer(forms=[login(CLERK, "temporary-1"),
                                               {"new": "my-own-pass", "again": "my-own-typo"},
                                               {"new": "my-own-pass", "again": "my-own-pass"}])
    ctx = gui_app.open_counter(counter_dir, demo=False, dialogs=dialogs)
    try:
        assert ctx is not None and ctx.user.username == "lan"
        assert "không giống nhau" in dialogs.forms_shown("Đổi mật khẩu")[1].text
        assert not accounts.get_account(ctx, "lan").must_change
        accounts.sign_in(ctx, "lan", "my-own-pass")
    finally:
        ctx.close()


# --- in the window -------------------------------------------------------------------------------------
def test_the_status_bar_names_the_account_and_its_role(as_user):
    w = as_user(CLERK)
    assert w.clerk_label.text() == "Nguyễn Thị Lan"
    assert "Cán bộ tiếp nhận" in w.clerk_label.toolTip() and "lan" in w.clerk_label.toolTip()


def test_idle_lock_fires_and_a_sign_in_opens_the_counter_again(qtbot, as_user, dialogs):
    w = as_user(CLERK)
    w.idle_timer.start(50)  # instead of idle_lock_minutes
    qtbot.waitUntil(lambda: w.locked, timeout=3000)
    assert w.outer.currentWidget() is w.lock_screen
    assert not any(s.isEnabled() for s in w.shortcuts)  # F-keys do not reach the desks behind the lock
    dialogs.forms.extend([None])  # cancelled: still locked
    qtbot.mouseClick(w.unlock_button, Qt.MouseButton.LeftButton)
    assert w.locked
    dialogs.forms.extend([login(BOSS)])  # another clerk may take the counter
    qtbot.mouseClick(w.unlock_button, Qt.MouseButton.LeftButton)
    assert not w.locked and w.outer.currentWidget() is w.work_area
    assert w.ctx.user.username == "hoa" and "Lê Thị Hoa" in w.clerk_label.text()
    assert w.idle_timer.isActive()


def test_activity_keeps_the_counter_unlocked(qtbot, as_user):
    w = as_user(CLERK)
    w.idle_timer.start(400)
    for _ in range(6):
        qtbot.wait(100)
        qtbot.keyClick(w.search_view, Qt.Key.Key_A)
    assert not w.locked


def test_ctrl_l_locks(qtbot, as_user):
    w = as_user(CLERK)
    qtbot.keyClick(w, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert w.locked


def test_a_counter_without_accounts_never_locks(qtbot, window):
    assert not window.idle_timer.isActive() and not window.lock_button.isVisible()
    window.lock()
    assert not window.locked


def test_a_clerks_window_has_no_settings_nor_user_management(qtbot, as_user, dialogs):
    w = as_user(CLERK)
    for key in ("settings", "users", "audit", "reports"):
        assert w.nav_items[key].isHidden()
    assert not w.nav_items["returns"].isHidden()
    qtbot.keyClick(w, Qt.Key.Key_F9)
    assert w.current_page_key() == "search"
    [refusal] = dialogs.errors()
    assert refusal.text == "Tài khoản lan (Cán bộ tiếp nhận) không được sửa thiết lập."
    w.show_page("users")
    assert w.current_page_key() == "search" and "quản lý tài khoản" in dialogs.errors()[-1].text
    assert not w.backup_button.isEnabled() and "lãnh đạo" in w.backup_button.toolTip()


def test_a_clerk_may_not_stop_or_apologise_and_the_service_refuses_anyway(qtbot, as_user, dialogs):
    w = as_user(CLERK)
    view = intake.receive(w.ctx, "HT-01", Applicant(name="Nguyễn Văn An", id_number="001099012345"), "all")
    desk = w.desk(ReturnsPage).desk
    w.show_page("returns")
    desk.show_dossier(dossiers.get(w.ctx, view.code))
    assert desk.stop_button.isVisible() and not desk.stop_button.isEnabled()
    assert not desk.apology_button.isEnabled() and "không được xin lỗi" in desk.apology_button.toolTip()
    with qtbot.waitSignal(w.ops.finished, timeout=10_000):
        w.ops.run(returns.stop, view.code, "thử")
    assert "không được dừng xử lý hồ sơ" in dialogs.errors()[-1].text
    assert dossiers.get(w.ctx, view.code).status.value == "received"


def test_a_supervisors_window_allows_stop_and_shows_the_audit_but_not_users(as_user):
    w = as_user(BOSS)
    assert not w.nav_items["audit"].isHidden() and not w.nav_items["reports"].isHidden()
    assert w.nav_items["users"].isHidden() and w.nav_items["settings"].isHidden()
    assert w.backup_button.isEnabled()


def test_the_workers_writes_carry_the_accounts_name(qtbot, as_user):
    w = as_user(CLERK)
    got = []
    with qtbot.waitSignal(w.ops.finished, timeout=10_000):
        w.ops.run(intake.receive, "HT-01", Applicant(name="Nguyễn Văn An", id_number="001099012345"), "all",
                  on_done=got.append, doing="tiếp nhận")
    [view] = got
    assert view.clerk == "Nguyễn Thị Lan"
    actors = {r["actor"] for r in w.ctx.store.query("SELECT actor FROM audit_log WHERE subject = ?", (view.code,))}
    assert actors == {"Nguyễn Thị Lan"}


# --- backups -------------------------------------------------------------------------------------------
def test_the_status_bar_warns_when_there_is_no_recent_backup(as_user):
    w = as_user(CLERK)
    assert w.backup_label.text() == "Chưa sao lưu" and w.backup_label.property("stale") is True


def test_the_daily_backup_runs_in_the_background_at_start(qtbot, styled_app, staffed, dialogs, tmp_path):
    usb = tmp_path / "usb"
    usb.mkdir()
    accounts.sign_in(staffed, ADMIN[0], ADMIN[2])
    settings_service.update_settings(staffed, {"backup_dir": str(usb)})
    accounts.sign_in(staffed, CLERK[0], CLERK[2])
    w = open_window(qtbot, staffed, dialogs)
    qtbot.waitUntil(lambda: len(backup.list_backups(usb)) == 1, timeout=10_000)
    qtbot.waitUntil(lambda: w.backup_label.property("stale") is False, timeout=5000)
    assert w.backup_label.text().startswith("Sao lưu:")
    w.ops.wait()


def test_backup_now_by_a_supervisor(qtbot, as_user, staffed, dialogs, tmp_path):
    usb = tmp_path / "usb"
    usb.mkdir()
    accounts.sign_in(staffed, ADMIN[0], ADMIN[2])
    settings_service.update_settings(staffed, {"backup_dir": str(usb)})
    w = as_user(BOSS)
    qtbot.waitUntil(lambda: len(backup.list_backups(usb)) == 1, timeout=10_000)  # the daily one, at start
    w.ops.wait()
    with qtbot.waitSignal(w.ops.finished, timeout=10_000):
        qtbot.mouseClick(w.backup_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "info" in dialogs.kinds(), timeout=5000)
    assert len(backup.list_backups(usb)) == 2 and w.backup_label.property("stale") is False


# --- a damaged database at start -----------------------------------------------------------------------
@pytest.fixture
def backed_up(counter_dir: Path, tmp_path: Path) -> tuple[Path, Path, str]:
    """The counter with one dossier and one backup on the 'USB stick'; returns (data dir, usb, code)."""
    usb = tmp_path / "usb"
    usb.mkdir()
    c = open_context(counter_dir, create=False)
    accounts.sign_in(c, ADMIN[0], ADMIN[2])
    code = intake.receive(c, "HT-01", Applicant(name="Nguyễn Văn An", id_number="001099012345"), "all").code
    settings_service.update_settings(c, {"backup_dir": str(usb)})
    backup.backup(c, usb)
    c.close()
    return counter_dir, usb, code


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_a_damaged_database_is_told_offered_the_latest_backup_and_left_unchanged(backed_up, damage):
    data_dir, usb, code = backed_up
    db = data_dir / DB_FILENAME
    original = db.read_bytes()
    damaged = b"\x00garbage, not SQLite\xff" * 500 if damage == "garbage" else original[: len(original) // 3]
    db.write_bytes(damaged)
    dialogs = RecordingDialogs().answer(confirms=[False])
    assert gui_app.open_counter(data_dir, demo=False, dialogs=dialogs) is None
    [offer] = dialogs.shown
    assert offer.title == "Dữ liệu bị hỏng" and backup.list_backups(usb)[0].name in offer.text
    assert "giữ nguyên" in offer.text
    assert db.read_bytes() == damaged  # byte for byte
    assert sorted(p.name for p in data_dir.iterdir() if p.name.startswith(DB_FILENAME)) == [DB_FILENAME]


def test_a_damaged_database_restored_from_its_backup_on_confirmation(backed_up):
    data_dir, usb, code = backed_up
    db = data_dir / DB_FILENAME
    damaged = b"\x00garbage\xff" * 1000
    db.write_bytes(damaged)
    dialogs = RecordingDialogs().answer(confirms=[True], forms=[login(CLERK)])
    ctx = gui_app.open_counter(data_dir, demo=False, dialogs=dialogs)
    try:
        assert ctx is not None and ctx.user.username == "lan"
        assert dossiers.get(ctx, code).code == code
        [aside] = [p for p in data_dir.iterdir() if p.name.startswith("replaced-")]
        assert (aside / DB_FILENAME).read_bytes() == damaged  # kept aside as it was
        assert any(s.kind == "info" and "Đã khôi phục" in s.text for s in dialogs.shown)
    finally:
        ctx.close()


def test_a_damaged_database_without_a_known_backup_can_quit(counter_dir: Path):
    db = counter_dir / DB_FILENAME
    db.write_bytes(b"nope" * 100)
    dialogs = RecordingDialogs().answer(confirms=[False])
    assert gui_app.open_counter(counter_dir, demo=False, dialogs=dialogs) is None
    assert "Không tìm thấy bản sao lưu" in dialogs.shown[0].text and db.read_bytes() == b"nope" * 100


# --- the accounts and audit desks -------------------------------------------------------------------
def test_the_administrator_lists_and_adds_accounts(qtbot, as_user, dialogs):
    w = as_user(ADMIN)
    view = w.desk(UsersPage).view
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        w.show_page("users")
    assert {a.username for a in view.accounts} == {"quantri", "lan", "hoa"}
    assert view.table.rowCount() == 3
    dialogs.forms.append({"username": "minh", "full_name": "Phạm Văn Minh", "role": "clerk",
                          "password": "minh-pass-1", "again": "minh-pass-1"})
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
    assert "minh" in {a.username for a in view.accounts}
    row = [a.username for a in view.accounts].index("lan")
    view.table.selectRow(row)
    dialogs.confirms.append(True)
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        qtbot.mouseClick(view.disable_button, Qt.MouseButton.LeftButton)
    assert not accounts.get_account(w.ctx, "lan").active
    w.resize(1024, 768)
    save_shot(w, "users-desk-1024.png")


def test_the_audit_desk_filters_and_names_the_first_bad_entry(qtbot, as_user, dialogs):
    w = as_user(BOSS)
    view = w.desk(AuditPage).view
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        w.show_page("audit")
    assert view.entries and view.entries[0].action == "login"
    view.action_box.setText("users.")
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        qtbot.mouseClick(view.filter_button, Qt.MouseButton.LeftButton)
    assert {e.action for e in view.entries} == {"users.add"}
    with qtbot.waitSignal(view.verified, timeout=10_000) as ok:
        qtbot.mouseClick(view.verify_button, Qt.MouseButton.LeftButton)
    assert ok.args[0].ok and "toàn vẹn" in view.verdict_label.text()
    bad = view.entries[-1].id
    raw = sqlite3.connect(w.ctx.data_dir / DB_FILENAME)
    raw.execute("DROP TRIGGER audit_log_no_update")
    raw.execute("UPDATE audit_log SET actor = 'Người khác' WHERE id = ?", (bad,))
    raw.commit()
    raw.close()
    with qtbot.waitSignal(view.verified, timeout=10_000) as broken:
        qtbot.mouseClick(view.verify_button, Qt.MouseButton.LeftButton)
    assert not broken.args[0].ok and broken.args[0].finding.entry_id == bad
    assert f"mục số {bad}" in view.verdict_label.text() and dialogs.shown[-1].kind == "warn"
    w.resize(1024, 768)
    save_shot(w, "audit-desk-1024.png")


# --- the real forms fit a 1024×768 counter monitor -------------------------------------------------------
def test_the_first_run_and_log_in_forms_fit_a_small_screen(qtbot, styled_app):
    from motcua_desktop.gui.dialogs import build_form
    from motcua_desktop.gui.session import FIRST_RUN_FIELDS, FIRST_RUN_TEXT, LOGIN_FIELDS

    dialog, edits = build_form(None, "Khởi tạo quầy", FIRST_RUN_FIELDS, message=FIRST_RUN_TEXT,
                               error="Chưa nhập địa danh in trên phiếu.", values={"agency_code": "000.00.07.H22"})
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    hint = dialog.sizeHint()
    assert hint.width() <= 1000 and hint.height() <= 700
    assert edits["agency_code"]() == "000.00.07.H22" and edits["password"]() == ""
    save_shot(dialog, "first-run-form.png")
    login_dialog, _ = build_form(None, "Đăng nhập", LOGIN_FIELDS, error="Sai tên đăng nhập hoặc mật khẩu.")
    qtbot.addWidget(login_dialog)
    assert login_dialog.sizeHint().height() <= 400


def test_the_lock_screen_at_1024x768(qtbot, as_user):
    w = as_user(CLERK)
    w.resize(1024, 768)
    w.lock()
    save_shot(w, "lock-screen-1024.png")
    assert w.lock_text.text().startswith("Cán bộ Nguyễn Thị Lan")


def test_a_sound_database_left_with_its_wal_after_a_crash_is_not_called_damaged(tmp_path: Path):
    import subprocess
    import sys

    # A writer killed with everything still in its -wal: the main file alone has no tables yet.
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    script = (f"import os, sqlite3; c = sqlite3.connect({str(fresh / DB_FILENAME)!r}); "
              "c.execute('PRAGMA journal_mode = WAL'); c.execute('PRAGMA wal_autocheckpoint = 0'); "
              "c.executescript('CREATE TABLE settings(key TEXT, value TEXT); CREATE TABLE dossiers(code TEXT); "
              "CREATE TABLE slips(id INTEGER, path TEXT, sha256 TEXT); CREATE TABLE audit_log(id INTEGER);'); "
              "c.commit(); os._exit(0)")
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)
    assert (fresh / f"{DB_FILENAME}-wal").stat().st_size > 0
    before = (fresh / DB_FILENAME).read_bytes()
    assert backup.check_store_file(fresh) is None
    assert (fresh / DB_FILENAME).read_bytes() == before


def test_the_daily_routine_erases_expired_personal_data_only_under_an_administrator(qtbot, styled_app, staffed,
                                                                                    dialogs):
    accounts.sign_in(staffed, ADMIN[0], ADMIN[2])
    settings_service.update_settings(staffed, {"retention_years": 1})
    w = create_main_window(staffed, dialogs)
    qtbot.addWidget(w)
    with qtbot.waitSignal(w.ops.finished, timeout=10_000) as done:
        w.show()
    assert done.args == ["xóa dữ liệu cá nhân quá hạn lưu", True]
    w.ops.wait()
    accounts.sign_in(staffed, CLERK[0], CLERK[2])
    clerks = create_main_window(staffed, dialogs)
    qtbot.addWidget(clerks)
    with qtbot.assertNotEmitted(clerks.ops.finished, wait=300):
        clerks.show()


def test_changing_ones_own_password_from_the_window(qtbot, as_user, dialogs):
    w = as_user(CLERK)
    dialogs.forms.extend([{"old": "wrong-old-1", "new": "lan-new-pass", "again": "lan-new-pass"},
                          {"old": CLERK[2], "new": "lan-new-pass", "again": "lan-new-pass"}])
    qtbot.mouseClick(w.password_button, Qt.MouseButton.LeftButton)
    assert dialogs.forms_shown("Đổi mật khẩu")[1].text == "Mật khẩu hiện tại không đúng."
    assert accounts.sign_in(w.ctx, "lan", "lan-new-pass").username == "lan"
