"""services/sync_status.py: what the status bar, the dossier panel and the ledger export say, and
sync()'s stop between batches — against the in-test hub stand-in of test_sync.py."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from motcua_desktop.errors import UserError
from motcua_desktop.services import returns, sync, sync_status

from .test_sync import CITIZEN, StandIn, hub, quiet_week, receive, run  # noqa: F401  (fixtures)


def test_status_summary_before_and_after_a_hub(ctx) -> None:
    receive(ctx)
    s = sync_status.status_summary(ctx)
    assert (s.configured, s.online, s.waiting, s.attention) == (False, False, 1, 0)
    assert sync_status.dossier_sync_state(ctx, sync.outbox(ctx)[0]["dossier_code"]).state == "no_hub"


def test_summary_and_dossier_line_follow_the_outbox(ctx, hub: StandIn) -> None:
    a, b = receive(ctx), receive(ctx)
    s = sync_status.status_summary(ctx)
    assert (s.configured, s.online, s.waiting, s.last_success_at) == (True, False, 2, None)
    assert sync_status.dossier_sync_state(ctx, a).text == "Chờ gửi lên hub (1 sự kiện)"
    report = run(ctx, hub)
    assert set(report.pushed_codes) == {a, b} and report.changed_codes == {a, b}
    s = sync_status.status_summary(ctx)
    assert (s.online, s.waiting, s.rejected, s.conflicts) == (True, 0, 0, 0) and s.last_success_at
    assert sync_status.dossier_sync_state(ctx, a).state == "on_hub"
    # the hub stopped `a` meanwhile; this counter records a result: rejected + conflicts
    hub.set_status(a, "stopped")
    returns.result_ready(ctx, a)
    report = run(ctx, hub)
    assert a in report.changed_codes
    s = sync_status.status_summary(ctx)
    assert s.rejected == 1 and s.conflicts == 2 and s.attention == 3
    assert sync_status.dossier_sync_state(ctx, a).state == "conflict"
    assert sync_status.dossier_sync_state(ctx, b).state == "on_hub"
    hub.down = 100
    receive(ctx)
    with pytest.raises(Exception, match="unreachable"):
        run(ctx, hub)
    s = sync_status.status_summary(ctx)
    assert not s.online and "unreachable" in (s.last_error or "") and s.last_success_at


def _rejected_and_conflict(ctx, hub: StandIn) -> str:
    a = receive(ctx)
    run(ctx, hub)
    hub.set_status(a, "stopped")
    returns.result_ready(ctx, a)
    run(ctx, hub)
    receive(ctx)  # one more, still waiting
    return a


def test_export_csv_lists_events_and_conflicts_without_personal_data(ctx, hub: StandIn, tmp_path) -> None:
    a = _rejected_and_conflict(ctx, hub)
    path = sync_status.export_ledger(ctx, tmp_path / "dong-bo.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads the Vietnamese letters only with the BOM
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Loại", "Mã hồ sơ", "Sự kiện"]
    events = [r for r in rows[1:] if r[0] == "Sự kiện"]
    assert [(r[1] == a, r[2], r[4]) for r in events][0] == (True, "result_ready", "bị hub từ chối")
    assert events[0][7] == "transition_not_allowed"
    assert [r[4] for r in events[1:]] == ["chờ gửi"]
    conflicts = [r for r in rows[1:] if r[0].startswith("Xung đột")]
    assert len(conflicts) == 2 and {r[1] for r in conflicts} == {a}
    assert any(r[9] == "result_ready" and r[10] == "stopped" for r in conflicts)
    text = raw.decode("utf-8-sig")
    assert CITIZEN.name not in text and CITIZEN.id_number not in text and CITIZEN.phone not in text


def test_export_xlsx_and_the_rules_for_the_file(ctx, hub: StandIn, tmp_path) -> None:
    _rejected_and_conflict(ctx, hub)
    path = sync_status.export_ledger(ctx, tmp_path / "dong-bo.xlsx")
    ws = openpyxl.load_workbook(path).active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values[0][0] == "Loại" and len(values) == 1 + 2 + 2
    with pytest.raises(UserError, match="already exists"):
        sync_status.export_ledger(ctx, path)
    assert sync_status.export_ledger(ctx, path, force=True) == path
    with pytest.raises(UserError, match=".csv or .xlsx"):
        sync_status.export_ledger(ctx, tmp_path / "dong-bo.pdf")
    with pytest.raises(UserError, match="data dir"):
        sync_status.export_ledger(ctx, ctx.data_dir / "dong-bo.csv")


def test_a_stop_between_batches_keeps_the_rest_in_the_outbox(ctx, hub: StandIn) -> None:
    for _ in range(5):
        receive(ctx)
    asked = []

    def stop_after_two() -> bool:
        asked.append(1)
        return len(asked) > 2

    with pytest.raises(sync.SyncStopped):
        run(ctx, hub, batch_size=2, should_stop=stop_after_two)
    assert len(hub.events) == 4 and sync_status.status_summary(ctx).waiting == 1
    assert sync.show_hub(ctx)["last_error"] is None  # a stop is not a failure of the hub
    report = run(ctx, hub)
    assert report.accepted == 1 and len(hub.events) == 5
