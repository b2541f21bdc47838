"""Dossier codes: shape, slot ranges, the 1000th dossier of a day, parsing what scanners send."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from motcua_desktop.domain.applicant import Applicant
from motcua_desktop.domain.codes import DossierCode, format_code, next_seq, parse_code, slot_range
from motcua_desktop.errors import UserError
from motcua_desktop.services import intake
from motcua_desktop.store import settings_repo

A = Applicant(name="Lê Văn Cường", id_number="001099012345")


def test_format_and_slots() -> None:
    assert format_code("000.00.01.H22", date(2025, 9, 15), 7) == "000.00.01.H22-250915-0007"
    assert slot_range(0) == (1, 999)
    assert slot_range(1) == (1001, 1999)
    assert slot_range(9) == (9001, 9999)
    assert next_seq(None, 3) == 3001
    assert next_seq(3041, 3) == 3042
    assert next_seq(1999, 3) == 3001  # another slot's number never leaks into this slot
    with pytest.raises(UserError) as e:
        next_seq(3999, 3)
    assert "999" in e.value.message_vi


@pytest.mark.parametrize("text", [
    "000.00.01.H22-250915-0007", "  000.00.01.H22-250915-0007\r\n", "\t000.00.01.h22-250915-0007\x03",
    "\ufeff000.00.01.H22-250915-0007\u200b",
])
def test_parse_tolerates_surroundings(text: str) -> None:
    assert parse_code(text) == DossierCode("000.00.01.H22", date(2025, 9, 15), 7)


@pytest.mark.parametrize("text", [
    "", None, "000.00.01.H22-250915-007", "000.00.01.H22-250915-00071", "000.00.01.H22-251315-0007",
    "000.00.01.H22-250915-1000", "000.00.01.H22-250915-0000", "000.00.01.H22 250915 0007",
    "000.00.01.H22-250915-0007 x", "00.00.01.H22-250915-0007", "000.00.01.H22_250915_0007",
])
def test_parse_is_strict_on_shape(text) -> None:
    assert parse_code(text) is None


def test_codes_follow_the_slot_and_day(ctx, clock) -> None:
    clock.now = datetime(2026, 11, 23, 9, 0)
    codes = [intake.receive(ctx, "HT-01", A).code for _ in range(3)]
    assert codes == [f"000.00.01.H22-261123-{n}" for n in ("1001", "1002", "1003")]
    clock.now = datetime(2026, 11, 25, 9, 0)
    assert intake.receive(ctx, "HT-01", A).code == "000.00.01.H22-261125-1001"
    # Slot changed to 4 and back: slot 1 carries on after its own numbers, never reuses them.
    settings_repo.put(ctx.store, "counter_slot", 4)
    assert intake.receive(ctx, "HT-01", A).code == "000.00.01.H22-261125-4001"
    settings_repo.put(ctx.store, "counter_slot", 1)
    assert intake.receive(ctx, "HT-01", A).code == "000.00.01.H22-261125-1002"


def test_thousandth_dossier_of_the_day_is_refused_cleanly(ctx, clock) -> None:
    clock.now = datetime(2026, 11, 23, 9, 0)
    ctx.store.execute("INSERT INTO code_sequences (day, last_seq) VALUES ('261123', 1998)")
    assert intake.receive(ctx, "HT-01", A).code.endswith("-1999")
    before = ctx.store.query_one("SELECT COUNT(*) AS n FROM dossiers")["n"]
    with pytest.raises(UserError) as e:
        intake.receive(ctx, "HT-01", A)
    assert "999" in e.value.message_vi
    assert ctx.store.query_one("SELECT COUNT(*) AS n FROM dossiers")["n"] == before
    assert ctx.store.query_one("SELECT last_seq FROM code_sequences WHERE day='261123'")["last_seq"] == 1999
    # The next day starts again at 1001.
    clock.now = datetime(2026, 11, 25, 9, 0)
    assert intake.receive(ctx, "HT-01", A).code.endswith("261125-1001")
