"""Retention: closed dossiers' identity numbers, phones and addresses are erased, statistics stay."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta

import pytest

from motcua_desktop.domain.applicant import Applicant
from motcua_desktop.services import intake, privacy, returns
from motcua_desktop.services.settings import update_settings

ID, PHONE = "001099012345", "0912345678"


def person() -> Applicant:
    return Applicant(name="Nguyễn Văn An", id_number=ID, phone=PHONE, address="Thôn Đông, xã Hòa Bình")


def test_closed_dossiers_past_retention_lose_their_personal_data_and_nothing_else(ctx, clock):
    done = intake.receive(ctx, "HT-01", person(), "all")
    returns.result_ready(ctx, done.code)
    returns.hand_over(ctx, done.code)
    refused = intake.refuse(ctx, intake.receive(ctx, "HT-01", person(), "none").code, "không đủ điều kiện")
    open_one = intake.receive(ctx, "HT-01", person(), "all")
    update_settings(ctx, {"retention_years": 1})
    ctx.store.execute("DELETE FROM outbox")  # everything reached the hub
    assert privacy.erase_expired(ctx).codes == ()  # not a year yet
    clock.now += timedelta(days=400)

    result = privacy.erase_expired(ctx)
    assert set(result.codes) == {done.code, refused.code}
    db = ctx.store
    for code in result.codes:
        row = db.query_one("SELECT * FROM dossiers WHERE code = ?", (code,))
        assert (row["id_number"], row["phone"], row["address"]) == (None, None, None)
        assert row["applicant_name"] == "Nguyễn Văn An" and row["status"] in ("returned", "refused")
        history = " ".join(e["payload"] for e in db.query("SELECT payload FROM dossier_events WHERE dossier_code = ?",
                                                            (code,)))
        assert ID not in history and PHONE not in history and "Thôn Đông" not in history
    kept = db.query_one("SELECT id_number FROM dossiers WHERE code = ?", (open_one.code,))
    assert kept["id_number"] == ID
    audit = db.query_one("SELECT detail FROM audit_log WHERE action = 'privacy.erase'")
    assert json.loads(audit["detail"])["dossiers"] == 2
    assert privacy.erase_expired(ctx).codes == ()  # once


def test_an_erased_event_cannot_be_rewritten_again_and_others_not_at_all(ctx, clock, data_dir):
    done = intake.refuse(ctx, intake.receive(ctx, "HT-01", person(), "none").code, "không đủ điều kiện")
    other = intake.receive(ctx, "HT-01", person(), "all")
    update_settings(ctx, {"retention_years": 1})
    ctx.store.execute("DELETE FROM outbox")
    clock.now += timedelta(days=400)
    privacy.erase_expired(ctx)
    conn = sqlite3.connect(data_dir / "motcua.sqlite3")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("UPDATE dossier_events SET payload = '{}', erased_at = 'x' WHERE dossier_code = ?", (done.code,))
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("UPDATE dossier_events SET payload = '{}' WHERE dossier_code = ?", (other.code,))
    conn.close()


def test_a_dossier_not_yet_synced_keeps_its_data(ctx, clock):
    done = intake.refuse(ctx, intake.receive(ctx, "HT-01", person(), "none").code, "không đủ điều kiện")
    update_settings(ctx, {"retention_years": 1})
    clock.now += timedelta(days=400)
    assert done.code not in privacy.erase_expired(ctx).codes
