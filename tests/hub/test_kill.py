"""kill -9 the hub at random moments while a simple client pushes (an outbox that drops an event only
on accepted/duplicate): after a restart and a re-push every event is stored exactly once."""

from __future__ import annotations

import random
import threading
import time

import httpx
import pytest
from sqlalchemy import func, select

from hubproc import (HubProcess, dossier_code, forward_event, intake_event, result_ready_event, return_event,
                     sent_at)
from motcua_desktop.hub import db
from motcua_desktop.hub.schema import clients, dossiers, events

TRIALS = 6  # per database: 12 in all


class Outbox:
    """The counter's side at its simplest: rows leave only on accepted/duplicate."""

    def __init__(self, rows: list[dict]) -> None:
        self.rows = list(rows)
        self.lock = threading.Lock()
        self.acknowledged = 0

    def push_until(self, client: httpx.Client, stop: threading.Event | None, batch: int = 12) -> None:
        while self.rows and not (stop and stop.is_set()):
            with self.lock:
                chunk = self.rows[:batch]
            try:
                r = client.post("/v1/events", json={"sent_at": sent_at(), "events": chunk}, timeout=10)
            except httpx.TransportError:  # the hub is gone or the answer was lost: keep the rows
                if stop is None:
                    raise
                time.sleep(0.01)
                continue
            assert r.status_code == 200, r.text
            done = {x["id"] for x in r.json()["results"] if x["result"] in ("accepted", "duplicate")}
            assert len(done) == len(chunk), r.json()["results"]
            with self.lock:
                self.rows = [e for e in self.rows if e["id"] not in done]
                self.acknowledged += len(done)


@pytest.mark.slow
def test_kill_9_during_pushes_exactly_once(hub_db_url, hub_factory):
    hub: HubProcess = hub_factory(hub_db_url)
    token = hub.add_counter()
    rng = random.Random(20261203)
    sent: list[dict] = []
    n = 0
    mid_push = 0
    for trial in range(TRIALS):
        rows = []
        for _ in range(40):
            n += 1
            code = dossier_code(1, n)
            rows += [intake_event(code), forward_event(code), result_ready_event(code), return_event(code)]
        sent += rows
        outbox = Outbox(rows)
        stop = threading.Event()
        with hub.client(token) as c:
            t = threading.Thread(target=outbox.push_until, args=(c, stop))
            t.start()
            # Kill at a random point of the push's progress, not after a fixed delay: on a fast machine
            # 160 events are all in before 0.35 s, on a loaded one the first batch may not be.
            target = rng.randrange(0, len(rows) - 24)
            deadline = time.monotonic() + 30
            while outbox.acknowledged < target and t.is_alive() and time.monotonic() < deadline:
                time.sleep(0.001)
            time.sleep(rng.uniform(0, 0.005))  # into the next request, wherever the hub is in it
            hub.kill()
            mid_push += bool(outbox.rows)
            stop.set()
            t.join(60)
        hub.start()
        with hub.client(token) as c:
            outbox.push_until(c, None)
        assert outbox.rows == []
    hub.stop()
    assert mid_push >= TRIALS // 2, f"only {mid_push} of {TRIALS} kills came during a push"
    engine = db.make_engine(hub_db_url)
    try:
        with engine.connect() as conn:
            total, distinct = conn.execute(select(func.count(), func.count(events.c.id.distinct()))).one()
            ids = set(conn.execute(select(events.c.id)).scalars())
            statuses = set(conn.execute(select(dossiers.c.status)).scalars())
            received = conn.execute(select(clients.c.events_received)).scalar_one()
            per_dossier = set(conn.execute(select(dossiers.c.event_count)).scalars())
            if engine.dialect.name == "sqlite":
                assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    finally:
        engine.dispose()
    assert total == distinct == len(sent)
    assert ids == {e["id"] for e in sent}
    assert statuses == {"returned"} and per_dossier == {4}
    assert received == len(sent)  # counted once each, however often they were sent
