"""One pushed batch mixing every case, through the hub's store on SQLite and on PostgreSQL: the rows
of a batch go in one statement per table on PostgreSQL (json_to_recordset), so what is stored must be
exactly what was sent (bodies with quotes, backslashes, accents, emoji; NULLs), each event once, each
dossier once, and a refused move a conflict, as with one statement per row."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from hubproc import (AGENCY, dossier_code, event, forward_event, intake_event, result_ready_event, return_event,
                     sent_at)
from sqlalchemy import func, select

from motcua_desktop.domain.events import canonical_json
from motcua_desktop.hub import db as hub_db, store
from motcua_desktop.hub.schema import conflicts, dossiers, events


def _push(engine, client, batch):
    return [(r["result"], r.get("reason")) for r in store.push(engine, client, datetime.fromisoformat(sent_at()),
                                                                 json.loads(json.dumps(batch)))]


def test_a_mixed_batch_is_applied_once_and_exactly(hub_db_url):
    engine = hub_db.make_engine(hub_db_url)
    try:
        client = store.authenticate(engine, store.add_counter(engine, AGENCY, 1))
        a, b, c, d, e = (dossier_code(1, n) for n in range(1, 6))
        tricky = 'Nguyễn "Văn" \\ An \U0001F600 \'ok\' \t'
        first = [intake_event(a), intake_event(b), intake_event(c, name=tricky), intake_event(e)]
        assert _push(engine, client, first) == [("accepted", None)] * 4

        fwd_a = forward_event(a)
        to_agency = event("forward", b, 2, {"status": "in_progress", "to": "000.00.02.H22"})
        new_intake = intake_event(d, status="supplement_requested")
        batch = [
            first[0],  # a duplicate of an earlier batch
            fwd_a,  # existing dossier a: received → in_progress
            fwd_a,  # the same event twice in one batch: one event
            to_agency,  # existing dossier b: forwarded to another agency (processing_agency set)
            return_event(c, seq=2),  # existing dossier c: received → returned is refused (a conflict)
            forward_event(c, seq=3),  # queues behind it
            new_intake,  # a new dossier, NULL due dates
            event("apologise", e, 2, {"status": "received", "reason": tricky, "old_due_at": "2026-12-08T09:15",
                                      "new_due_at": "2026-12-10T09:15", "original_due_at": "2026-12-08T09:15",
                                      "apology_no": 1, "after_due": False}),
            result_ready_event(a, seq=3),  # a again, after its forward in this batch
        ]
        assert _push(engine, client, batch) == [
            ("duplicate", None), ("accepted", None), ("duplicate", None), ("accepted", None),
            ("rejected", "transition_not_allowed"), ("rejected", "after_rejected"), ("accepted", None),
            ("accepted", None), ("accepted", None)]
        # The whole batch again (the answer was lost): nothing changes, nothing is applied twice.
        before = {code: store.get_dossier(engine, code) for code in (a, b, c, d, e)}
        assert _push(engine, client, batch) == [
            ("duplicate", None), ("duplicate", None), ("duplicate", None), ("duplicate", None),
            ("rejected", "transition_not_allowed"), ("rejected", "after_rejected"), ("duplicate", None),
            ("duplicate", None), ("duplicate", None)]
        assert {code: store.get_dossier(engine, code) for code in (a, b, c, d, e)} == before

        with engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(dossiers)).scalar() == 5
            assert conn.execute(select(func.count()).select_from(events)).scalar() == 4 + 5
            assert conn.execute(select(func.count(func.distinct(events.c.id))).select_from(events)).scalar() == 9
            rows = conn.execute(select(events.c.id, events.c.body, events.c.body_hash, events.c.client_id,
                                       events.c.origin)).all()
            assert conn.execute(select(func.count()).select_from(conflicts)).scalar() == 1
        sent = {ev["id"]: canonical_json(ev) for ev in first + batch}
        for r in rows:  # each body stored byte for byte as the canonical form of what was sent
            assert r.body == sent[r.id]
            assert r.body_hash == hashlib.sha256(r.body.encode("utf-8")).hexdigest()
            assert r.client_id == client.id and r.origin == "counter"

        got = before
        assert (got[a]["status"], [x["type"] for x in got[a]["events"]]) == (
            "result_ready", ["intake", "forward", "result_ready"])
        assert got[b]["status"] == "in_progress" and got[b]["processing_agency"] == "000.00.02.H22"
        assert got[c]["status"] == "received" and got[c]["applicant"] == tricky
        assert [(x["event_type"], x["hub_status"]) for x in got[c]["conflicts"]] == [("return", "received")]
        assert got[d]["status"] == "supplement_requested" and got[d]["due_at"] is None
        assert got[d]["received_at"] is None and got[d]["processing_agency"] is None
        assert got[e]["due_at"] == "2026-12-10T09:15" and got[e]["events"][1]["payload"]["reason"] == tricky
        with engine.connect() as conn:
            seqs = dict(conn.execute(select(dossiers.c.code, dossiers.c.last_seq)).all())
            counts = dict(conn.execute(select(dossiers.c.code, dossiers.c.event_count)).all())
        assert seqs == {a: 3, b: 2, c: 1, d: 1, e: 2} and counts == {a: 3, b: 2, c: 1, d: 1, e: 2}
        assert store.list_counters(engine)[0]["events_received"] == 9
    finally:
        engine.dispose()
