"""Who received, who handed over: the return desk keeps the receiving clerk (printed on the receipt)
and records the returning clerk apart (`returned_by`, migration 0006)."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime

import pytest

from motcua_desktop.domain.applicant import Applicant
from motcua_desktop.paths import DB_FILENAME
from motcua_desktop.services import dossiers, intake, returns, setup, slips
from motcua_desktop.services.returns import Collector

CITIZEN = Applicant(name="Trần Văn Bình", id_number="001088012345", phone="0912345678")
RECEIVER = "Nguyễn Thị Tiếp Nhận"
RETURNER = "Trần Văn Trả"


@pytest.fixture(autouse=True)
def quiet_week(clock):
    clock.now = datetime(2026, 12, 7, 9, 0)  # Monday of a week without holidays


def receive(ctx) -> str:
    ctx.actor = RECEIVER
    return intake.receive(ctx, "HT-04", CITIZEN, "all").code


def test_hand_over_by_another_clerk_keeps_the_receiving_clerk(ctx, clock):
    code = receive(ctx)
    returns.result_ready(ctx, code)
    clock.now = datetime(2026, 12, 10, 14, 5)
    ctx.actor = RETURNER
    view = returns.hand_over(ctx, code, Collector("applicant"))
    assert view.clerk == RECEIVER
    assert view.returned_by == RETURNER
    assert dossiers.get(ctx, code).to_json()["returned_by"] == RETURNER
    # The receipt and the control slip still name the clerk who took the papers.
    for kind in ("receipt", "control"):
        assert slips.slip_data(dossiers.get(ctx, code), ctx.settings(), kind).clerk_name == RECEIVER
    # A second hand-over names the clerk who returned it, not the one who received it.
    with pytest.raises(Exception) as info:
        returns.hand_over(ctx, code)
    assert f"cán bộ trả: {RETURNER}" in info.value.message_vi


def test_no_other_return_desk_step_changes_the_receiving_clerk(ctx, clock):
    forwarded, stopped, apologised = receive(ctx), receive(ctx), receive(ctx)
    ctx.actor = RETURNER
    returns.forward(ctx, forwarded, to="Công chức Tư pháp")
    returns.result_ready(ctx, forwarded)
    returns.stop(ctx, stopped, "Thiếu căn cứ pháp lý")
    returns.apologise(ctx, apologised, date(2026, 12, 18), "Chờ xác minh")
    for code in (forwarded, stopped, apologised):
        view = dossiers.get(ctx, code)
        assert view.clerk == RECEIVER and view.returned_by is None, code


def test_cli_return_names_both_clerks(run_cli):
    r = run_cli("init", "--agency-code", "000.00.01.H22", "--agency-name", "UBND XÃ HÒA BÌNH", "--counter-slot", "2")
    assert r.returncode == 0, r.stderr
    assert run_cli("settings", f"clerk_name={RECEIVER}").returncode == 0
    code = run_cli("receive", "--procedure", "HT-04", "--name", "Phạm Thị Lan", "--id-number", "001088012345",
                   "--provided", "all", "--json").json()["code"]
    assert run_cli("result-ready", code).returncode == 0
    assert run_cli("settings", f"clerk_name={RETURNER}").returncode == 0  # the next shift
    out = run_cli("return", code, "--json")
    assert out.returncode == 0, out.stderr
    assert (out.json()["clerk"], out.json()["returned_by"]) == (RECEIVER, RETURNER)
    shown = run_cli("dossier", "show", code, "--json").json()
    assert (shown["clerk"], shown["returned_by"]) == (RECEIVER, RETURNER)


# Undo, newest first, what each migration after 0006 added (extend it with every new migration).
LATER_THAN_5 = [
    # 0016_reports_open
    "DROP INDEX dossiers_open_report",
    # 0015_hub_versions
    *(f"ALTER TABLE sync_state DROP COLUMN {kind}_{col}" for kind in ("catalog", "calendar")
      for col in ("hub_version", "source", "label", "applied_at")),
    "ALTER TABLE sync_state DROP COLUMN calendar_hub_days",
    # 0013_form_sets (its index and trigger go with it)
    "DROP TABLE form_sets",
    # 0012_retention
    "DROP TRIGGER dossier_events_no_update",
    "CREATE TRIGGER dossier_events_no_update BEFORE UPDATE ON dossier_events "
    "BEGIN SELECT RAISE(ABORT, 'dossier_events is append-only'); END",
    "ALTER TABLE dossier_events DROP COLUMN erased_at", "ALTER TABLE dossiers DROP COLUMN personal_erased_at",
    # 0011_users
    "DROP TABLE users",
    # 0010_audit_chain
    "DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_log_no_delete",
    "ALTER TABLE audit_log DROP COLUMN hash", "ALTER TABLE audit_log DROP COLUMN prev_hash",
    "DELETE FROM settings WHERE key = 'audit_anchor'",
]


def test_migration_restores_the_receiving_clerk_of_dossiers_handed_over_before_it(data_dir, clock):
    ctx = setup.open_demo(data_dir)
    ctx.clock = clock
    code = receive(ctx)
    waiting = receive(ctx)
    returns.result_ready(ctx, code)
    ctx.actor = RETURNER
    returns.hand_over(ctx, code)
    ctx.close()
    # What an older version left: the receiving clerk overwritten, no returned_by column, schema 5.
    conn = sqlite3.connect(data_dir / DB_FILENAME)
    conn.execute("UPDATE dossiers SET clerk = ? WHERE code = ?", (RETURNER, code))
    conn.execute("ALTER TABLE dossiers DROP COLUMN returned_by")
    for statement in LATER_THAN_5:  # what the migrations after 0006 added, so 0006 onwards run again
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 5")
    conn.commit()
    conn.close()

    ctx = setup.open_demo(data_dir)
    try:
        view = dossiers.get(ctx, code)
        assert (view.clerk, view.returned_by) == (RECEIVER, RETURNER)
        other = dossiers.get(ctx, waiting)
        assert (other.clerk, other.returned_by) == (RECEIVER, None)
    finally:
        ctx.close()
