"""The window syncs by itself with a real hub process on loopback (`motcua-hub serve`): a dossier
received at the counter reaches the hub, a result decided on the hub shows in the return queue and
the open dossier without a click, a hub that accepts and never answers does not freeze the window,
closing during a sync loses nothing, and the sync screen shows what the hub refused."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator

import pytest

from hubproc import AGENCY, hub_cli
from integration.counters import hub_dossier, vn_now
from motcua_desktop.domain.applicant import Applicant
from motcua_desktop.domain.dossier import Status
from motcua_desktop.gui.app import create_main_window
from motcua_desktop.gui.sync_desk import SyncPage
from motcua_desktop.gui.qt import QTimer
from motcua_desktop.services import dossiers, intake, returns, sync, sync_status
from motcua_desktop.services import settings as settings_service

from .conftest import save_shot

pytestmark = pytest.mark.slow

CITIZEN = Applicant(name="Trần Văn Bình", id_number="001088012345", phone="0912345678")


@pytest.fixture
def hub_db(new_hub_db) -> str:
    return new_hub_db("sqlite")


@pytest.fixture
def live_clock(clock):
    clock.now = vn_now().replace(microsecond=0)  # the hub compares the counter's clock with its own
    return clock


def open_window(qtbot, ctx, dialogs):
    w = create_main_window(ctx, dialogs)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def on_hub(db_url: str) -> list[str]:
    return [d["code"] for d in json.loads(hub_cli(db_url, "dossiers", "--json", check=True).stdout)]


def queue_codes(window) -> list[str]:
    return window.pages["returns"].queue_table.codes()


def test_received_in_the_window_it_reaches_the_hub_and_the_result_comes_back_without_a_click(
        qtbot, ctx, dialogs, live_clock, hub_db, hub_factory) -> None:
    hub = hub_factory(hub_db)
    sync.set_hub(ctx, hub.url, hub.add_counter(AGENCY, 1))
    settings_service.update_settings(ctx, {"sync_interval_s": 10})
    window = open_window(qtbot, ctx, dialogs)
    qtbot.waitUntil(lambda: window.sync_label.text().startswith("Trực tuyến"), timeout=15_000)

    received: list[str] = []
    with qtbot.waitSignal(window.background_sync.synced, timeout=20_000):  # a moment after the write
        with qtbot.waitSignal(window.ops.finished, timeout=10_000):
            window.ops.run(intake.receive, "HT-04", CITIZEN, "all", doing="tiếp nhận hồ sơ",
                           on_done=lambda view: received.append(view.code))
        assert window.sync_label.text().startswith("Trực tuyến · chờ gửi 1")  # waiting…
    [code] = received
    assert on_hub(hub_db) == [code]  # …then on the hub, within seconds
    assert window.sync_label.text().startswith("Trực tuyến · chờ gửi 0")

    # The clerk has it open on the return desk; the hub records the result; no click.
    window.show_page("returns")
    desk = window.pages["returns"]
    desk.open_code(code)
    assert desk.panel.sync_line.text() == "✓ Đã lên hub"
    assert not desk.panel.handover_box.isVisible()
    hub_cli(hub_db, "set-status", code, "result_ready", "--by", "Lê Văn Xử Lý", check=True)
    qtbot.waitUntil(lambda: desk.panel.handover_box.isVisible(), timeout=25_000)  # the next cycle, ≤ 10 s
    assert dossiers.get(ctx, code).status.value == "result_ready"
    qtbot.waitUntil(lambda: code in queue_codes(window), timeout=10_000)
    save_shot(window, "sync-result-came-back.png")

    # The hub goes away: the window keeps working and says it is offline.
    hub.stop()
    with qtbot.waitSignal(window.background_sync.failed, timeout=20_000):
        with qtbot.waitSignal(window.ops.finished, timeout=10_000):
            window.ops.run(intake.receive, "HT-04", CITIZEN, "all", doing="tiếp nhận hồ sơ")
    assert window.sync_label.text().startswith("Ngoại tuyến · chờ gửi 1")
    window.close()
    assert not window.background_sync.running


@pytest.fixture
def silent_hub() -> Iterator[str]:
    """A TCP listener that accepts connections and never answers a byte."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            held.append(conn)  # kept open, never read, never answered

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}"
    stop.set()
    thread.join(2)
    for conn in held:
        conn.close()
    server.close()


def test_a_hub_that_never_answers_does_not_block_the_window(qtbot, ctx, dialogs, live_clock, silent_hub) -> None:
    code = intake.receive(ctx, "HT-04", CITIZEN, "all").code
    sync.set_hub(ctx, silent_hub, "t" * 43)
    window = open_window(qtbot, ctx, dialogs)  # its requests time out after 10 s: longer than this test
    ticks: list[float] = []
    timer = QTimer(window)
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    qtbot.waitUntil(lambda: window.sync_label.text().startswith("Đang đồng bộ"), timeout=10_000)
    ticks.clear()
    qtbot.wait(1500)  # the cycle is waiting for an answer all this time
    assert window.background_sync.in_cycle
    gaps = [b - a for a, b in zip(ticks, ticks[1:])]
    assert len(ticks) > 50 and max(gaps) < 0.5  # the timer kept firing: the UI thread was free
    window.show_page("register")  # and the clerk can work
    assert window.current_page_key() == "register"
    started = time.perf_counter()
    window.close()
    assert time.perf_counter() - started < 8  # closing waits a few seconds at most, then leaves
    box = sync.outbox(ctx)
    assert [(x["dossier_code"], x["state"]) for x in box] == [(code, "waiting")]  # nothing lost, nothing half-done


def test_closing_the_window_during_a_sync_loses_nothing(qtbot, ctx, dialogs, live_clock, pg_hub_url,
                                                         hub_factory) -> None:
    hub = hub_factory(pg_hub_url)
    codes = [intake.receive(ctx, "HT-04", CITIZEN, "all").code for _ in range(450)]  # three batches of 200
    sync.set_hub(ctx, hub.url, hub.add_counter(AGENCY, 1))
    window = open_window(qtbot, ctx, dialogs)
    qtbot.waitUntil(lambda: window.background_sync.in_cycle, timeout=10_000)
    window.close()  # mid-cycle: the batch in flight is answered and applied, or stays queued whole
    assert not window.background_sync.running
    left = sync_status.status_summary(ctx).waiting
    assert 0 <= left <= 450
    assert len(on_hub(pg_hub_url)) == 450 - left  # exactly what left the outbox is on the hub
    report = sync.sync(ctx)  # the next start sends the rest; what the hub had answers `duplicate`
    assert report.accepted + report.duplicate == left and report.outbox["total"] == 0
    assert sorted(on_hub(pg_hub_url)) == sorted(codes)  # each dossier once


def test_a_rejected_event_and_a_conflict_show_on_the_sync_screen(qtbot, ctx, dialogs, live_clock, hub_db,
                                                                  hub_factory) -> None:
    hub = hub_factory(hub_db)
    code = intake.receive(ctx, "HT-04", CITIZEN, "all").code
    sync.set_hub(ctx, hub.url, hub.add_counter(AGENCY, 1))
    sync.sync(ctx)
    hub_cli(hub_db, "set-status", code, "stopped", "--reason", "Hồ sơ giả mạo", "--by", "Lê Văn Xử Lý", check=True)
    returns.result_ready(ctx, code)  # meanwhile, at the counter: a result, handed over
    returns.hand_over(ctx, code)
    window = open_window(qtbot, ctx, dialogs)
    qtbot.waitUntil(lambda: window.sync_attention.isVisible(), timeout=15_000)
    assert window.sync_attention.text() == "3 cần xử lý"  # one rejected event, two conflicts
    desk = window.desk(SyncPage).desk
    with qtbot.waitSignal(desk.loaded, timeout=10_000):
        window.sync_attention.click()
    assert window.current_page_key() == "sync"
    events, conflicts = desk.events, desk.conflicts
    rows = [[events.item(r, c).text() for c in range(4)] for r in range(events.rowCount())]
    assert [r[:3] for r in rows] == [[code, "result_ready", "Hub từ chối"],
                                     [code, "return", "Chờ sau sự kiện bị từ chối"]]
    assert "trạng thái ở hub không cho phép" in rows[0][3]
    assert conflicts.rowCount() == 2
    sides = {(conflicts.item(r, 2).text(), conflicts.item(r, 3).text()) for r in range(2)}
    assert (Status.RETURNED.label, Status.STOPPED.label) in sides  # both sides' versions
    save_shot(window, "sync-screen.png")

    # Retry one: it goes again (and the hub refuses it again: it is still stopped there).
    events.selectRow(0)
    with qtbot.waitSignal(window.background_sync.synced, timeout=20_000):
        with qtbot.waitSignal(window.ops.finished, timeout=10_000):
            desk.retry_button.click()
    assert hub_dossier(hub_db, code)["status"] == "stopped"
    qtbot.waitUntil(lambda: conflicts.rowCount() == 2, timeout=10_000)  # refused again: the same conflict
    assert window.sync_attention.text() == "3 cần xử lý"

    # The supervisor asks the agency: the stop stands. Keep the hub's state; the decision reaches the hub.
    conflicts.selectRow(0)
    assert desk.keep_counter_button.isEnabled() and desk.keep_hub_button.isEnabled()
    dialogs.answer(texts=["Phòng Tư pháp xác nhận hồ sơ giả mạo"])
    with qtbot.waitSignal(window.background_sync.synced, timeout=20_000):
        with qtbot.waitSignal(window.ops.finished, timeout=10_000):
            desk.keep_hub_button.click()
    (asked,) = [x for x in dialogs.shown if x.kind == "ask_text"]
    assert f"Giữ trạng thái của hub ({Status.STOPPED.label})" in asked.text and code in asked.text
    assert dossiers.get(ctx, code).status is Status.STOPPED
    on_hub_now = hub_dossier(hub_db, code)
    assert on_hub_now["status"] == "stopped" and on_hub_now["events"][-1]["type"] == "resolve_conflict"
    assert on_hub_now["events"][-1]["payload"]["note"] == "Phòng Tư pháp xác nhận hồ sơ giả mạo"
    assert json.loads(hub_cli(hub_db, "conflicts", "--json", check=True).stdout) == []
    qtbot.waitUntil(lambda: conflicts.rowCount() == 0 and events.rowCount() == 0, timeout=10_000)
    qtbot.waitUntil(lambda: not window.sync_attention.isVisible(), timeout=10_000)
    audit = ctx.store.query("SELECT actor FROM audit_log WHERE action = 'sync.conflict_resolved' AND subject = ?",
                            (code,))
    assert len(audit) == 1
