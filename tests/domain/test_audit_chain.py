"""The audit hash chain: an edit, a deletion, an insertion and a cut tail are each found, by entry."""

from __future__ import annotations

import json

from motcua_desktop.domain.audit_chain import GENESIS, Anchor, entry_hash, verify


def chain(n: int) -> tuple[list[dict], Anchor]:
    rows, prev = [], GENESIS
    for i in range(1, n + 1):
        row = {"id": i, "at": f"2026-12-01T09:{i:02d}:00", "actor": "Lan", "action": "dossier.intake",
               "subject": f"S{i}", "detail": json.dumps({"n": i})}
        row["prev_hash"], row["hash"] = prev, entry_hash(prev, row)
        prev = row["hash"]
        rows.append(row)
    return rows, Anchor(n, prev, n)


def test_an_intact_chain_and_an_empty_trail_pass():
    rows, anchor = chain(5)
    assert verify(rows, anchor).ok and verify(rows, anchor).entries == 5
    assert verify([], None).ok


def test_an_edited_entry_is_named():
    rows, anchor = chain(5)
    rows[2] = {**rows[2], "actor": "Someone else"}
    v = verify(rows, anchor)
    assert (v.finding.entry_id, v.finding.problem) == (3, "edited")


def test_a_deleted_entry_breaks_the_link_of_the_next():
    rows, anchor = chain(5)
    del rows[1]
    v = verify(rows, anchor)
    assert (v.finding.entry_id, v.finding.problem) == (3, "link_broken")


def test_an_inserted_entry_is_found():
    rows, anchor = chain(5)
    forged = {**rows[2], "id": 3}
    rows.insert(3, {**forged, "prev_hash": rows[2]["hash"], "hash": entry_hash(rows[2]["hash"], forged)})
    assert not verify(rows, anchor).ok


def test_a_cut_tail_is_found_by_the_anchor():
    rows, anchor = chain(5)
    v = verify(rows[:4], anchor)
    assert v.finding.problem == "tail_missing" and "entry 5 of 5" in v.finding.detail


def test_entries_after_the_anchor_and_a_missing_anchor_are_found():
    rows, anchor = chain(5)
    assert verify(rows, Anchor(4, rows[3]["hash"], 4)).finding.problem == "after_anchor"
    assert verify(rows, None).finding.problem == "no_anchor"


def test_a_trail_rewritten_from_scratch_differs_from_a_backup_checkpoint():
    rows, anchor = chain(5)
    rewritten, new_anchor = chain(5)
    rewritten = [{**r, "actor": "X"} for r in rewritten]
    prev = GENESIS
    for r in rewritten:
        r["prev_hash"], r["hash"] = prev, entry_hash(prev, r)
        prev = r["hash"]
    new_anchor = Anchor(5, prev, 5)
    assert verify(rewritten, new_anchor).ok  # consistent in itself...
    v = verify(rewritten, new_anchor, [Anchor(3, rows[2]["hash"], 3)])  # ...but not with the backup
    assert (v.finding.entry_id, v.finding.problem) == (3, "backup_mismatch")
