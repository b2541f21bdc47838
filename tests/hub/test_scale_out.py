"""Two `motcua-hub serve` on one PostgreSQL: counters alternating between them still get exactly once,
and the change feed loses nothing however many writers commit at once."""

from __future__ import annotations

import random
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
from sqlalchemy import func, select

from hubproc import HubProcess, dossier_code, forward_event, intake_event, result_ready_event, sent_at
from motcua_desktop.hub import db
from motcua_desktop.hub.schema import events


def count_events(url: str) -> tuple[int, int]:
    engine = db.make_engine(url)
    try:
        with engine.connect() as conn:
            return tuple(conn.execute(select(func.count(), func.count(events.c.id.distinct()))).one())
    finally:
        engine.dispose()


def test_two_hubs_alternating_exactly_once(pg_hub_url, hub_factory):
    a: HubProcess = hub_factory(pg_hub_url)
    b: HubProcess = hub_factory(pg_hub_url)
    token = a.add_counter()
    outbox = []
    for n in range(1, 41):
        code = dossier_code(1, n)
        outbox += [intake_event(code), forward_event(code), result_ready_event(code)]
    sent = list(outbox)
    hubs = [a.client(token), b.client(token)]
    rng = random.Random(10)
    try:
        turn = 0
        while outbox:
            batch = outbox[:rng.randint(1, 25)]
            client = hubs[turn % 2]
            turn += 1
            if rng.random() < 0.3:  # the answer is lost: send to one hub, give up, send again to the other
                try:
                    client.post("/v1/events", json={"sent_at": sent_at(), "events": batch}, timeout=0.002)
                except httpx.TimeoutException:
                    pass
                client = hubs[turn % 2]
                turn += 1
            r = client.post("/v1/events", json={"sent_at": sent_at(), "events": batch})
            assert r.status_code == 200, r.text
            res = r.json()["results"]
            assert all(x["result"] in ("accepted", "duplicate") for x in res), res
            outbox = outbox[len(batch):]
        # The same batch to both hubs at the same moment: each event is accepted once, in total.
        code = dossier_code(1, 500)
        both = [intake_event(code), forward_event(code)]
        sent += both
        barrier = threading.Barrier(2)

        def send(c: httpx.Client) -> list[str]:
            barrier.wait()
            return [x["result"] for x in c.post("/v1/events", json={"sent_at": sent_at(), "events": both}).json()["results"]]

        with ThreadPoolExecutor(2) as pool:
            got = list(pool.map(send, hubs))
        assert sorted(got[0] + got[1]) == ["accepted", "accepted", "duplicate", "duplicate"], got
        # Each hub answers for the other's writes.
        for c in hubs:
            for i in range(0, len(sent), 100):
                res = c.post("/v1/events", json={"sent_at": sent_at(), "events": sent[i:i + 100]}).json()["results"]
                assert {x["result"] for x in res} == {"duplicate"}
    finally:
        for c in hubs:
            c.close()
    assert count_events(pg_hub_url) == (len(sent), len(sent))


def test_change_feed_concurrent_writers_seen_exactly_once(pg_hub_url, hub_factory):
    """Many set-status at once through two hubs, while a counter pulls: every change seen once."""
    a: HubProcess = hub_factory(pg_hub_url)
    b: HubProcess = hub_factory(pg_hub_url)
    token = a.add_counter()
    processor = a.add_processor()
    codes = [dossier_code(1, n) for n in range(1, 25)]
    with a.client(token) as c:
        r = c.post("/v1/events", json={"sent_at": sent_at(), "events": [intake_event(x) for x in codes]})
        assert {x["result"] for x in r.json()["results"]} == {"accepted"}

    written: list[str] = []
    lock = threading.Lock()
    done = threading.Event()

    def writer(i: int) -> None:
        hub = (a, b)[i % 2]
        rng = random.Random(i)
        with hub.client(processor) as p:
            for k in range(12):
                code = codes[(i * 7 + k) % len(codes)]
                r = p.post(f"/v1/dossiers/{code}/status", json={
                    "status": "in_progress", "due_at": f"2026-12-{10 + rng.randint(0, 9)}T{8 + k % 9:02d}:00"})
                assert r.status_code == 200, r.text
                with lock:
                    written.append(r.json()["event"]["id"])

    seen: list[str] = []
    cursors: list[int] = []

    def puller() -> None:
        cursor = None
        clients = [a.client(token), b.client(token)]
        turn = 0
        try:
            while True:
                finished = done.is_set()
                while True:
                    params = {"limit": "7"} | ({"after": cursor} if cursor else {})
                    page = clients[turn % 2].get("/v1/changes", params=params).json()
                    turn += 1
                    seen.extend(ch["event"]["id"] for ch in page["changes"])
                    cursors.extend(int(ch["cursor"]) for ch in page["changes"])
                    cursor = page["next_cursor"]
                    if not page["more"]:
                        break
                if finished:
                    return
        finally:
            for c in clients:
                c.close()

    pull_thread = threading.Thread(target=puller)
    pull_thread.start()
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(writer, range(8)))
    done.set()
    pull_thread.join(120)
    assert len(written) == 8 * 12
    assert len(seen) == len(set(seen)), "a change seen twice"
    assert set(seen) == set(written), f"{len(set(written) - set(seen))} change(s) never seen"
    assert cursors == sorted(cursors)


def test_serve_with_workers(pg_hub_url, hub_factory):
    hub: HubProcess = hub_factory(pg_hub_url, args=("--workers", "2"))
    token = hub.add_counter()
    for n in range(1, 7):
        with hub.client(token) as c:  # a new connection each time: both workers get some
            r = c.post("/v1/events", json={"sent_at": sent_at(), "events": [intake_event(dossier_code(1, n))]})
            assert r.json()["results"][0]["result"] == "accepted"
    hub.stop()
    log = hub.log()
    assert log.count("Started server process") == 2
    assert log.count("push counter=") == 6  # the workers log too
    assert count_events(pg_hub_url) == (6, 6)
