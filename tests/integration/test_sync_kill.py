"""Kill tests: SIGKILL the hub at random moments while a counter pushes, SIGKILL the counter's own
`motcua sync` mid-batch, two hub processes on one PostgreSQL with counters alternating between them.
After restarts and one more sync: every event on the hub exactly once, nothing left in any outbox,
the counter's file passes `PRAGMA integrity_check`.

Real processes on loopback only; every loop is bounded in count and in time. Small batches and many
events, so that a kill lands inside a push (between a batch's commit and its answer, too).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from hubproc import AGENCY, HubProcess

from .counters import Counter, hub_event_ids

pytestmark = pytest.mark.slow

HUB_KILL_TRIALS = 10  # per database: 20 over the suite
COUNTER_KILL_TRIALS = 5  # per database
BUDGET_S = 240  # per test


def exactly_once(db_url: str, *counters: Counter) -> None:
    """The hub holds each counter event once, and nothing else; outboxes empty; files intact."""
    on_hub = hub_event_ids(db_url)
    assert len(on_hub) == len(set(on_hub))
    local: set[str] = set()
    for c in counters:
        assert c.outbox_count() == 0
        assert c.integrity() == "ok"
        local |= c.local_event_ids()
    assert set(on_hub) == local


def final_sync(c: Counter) -> None:
    out = c.sync()
    assert out.returncode == 0, out.stderr
    report = out.json()
    assert report["rejected"] == [] and report["outbox"]["total"] == 0, report


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_kill_the_hub_at_random_moments_during_pushes(kind: str, tmp_path: Path, new_hub_db: Callable[..., str],
                                                      hub_factory: Callable[..., HubProcess]) -> None:
    rng = random.Random(f"hub-kill-{kind}")
    db_url = new_hub_db(kind)
    hub = hub_factory(db_url)
    c = Counter(tmp_path, 1)
    c.set_hub(hub.url, hub.add_counter(AGENCY, 1))
    deadline = time.monotonic() + BUDGET_S
    interrupted, latest = 0, 1.6
    for _ in range(HUB_KILL_TRIALS):
        assert time.monotonic() < deadline, "kill trials took too long"
        c.write(15)  # 30 events, pushed 3 at a time
        proc = c.popen("sync", "--batch-size", "3")
        time.sleep(rng.uniform(0.3, latest))
        hub.kill()
        _, err = proc.communicate(timeout=60)
        assert proc.returncode in (0, 1), err
        if proc.returncode == 1:
            assert "hub unreachable" in err and "Traceback" not in err
            interrupted += 1
        else:
            latest = max(0.4, latest * 0.7)  # it finished before the kill: strike earlier next time
        hub.start()
        assert c.integrity() == "ok"
    final_sync(c)
    exactly_once(db_url, c)
    assert interrupted >= HUB_KILL_TRIALS // 2, f"only {interrupted} kills landed during a push"


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_kill_the_counters_sync_mid_batch(kind: str, tmp_path: Path, new_hub_db: Callable[..., str],
                                          hub_factory: Callable[..., HubProcess]) -> None:
    rng = random.Random(f"counter-kill-{kind}")
    db_url = new_hub_db(kind)
    hub = hub_factory(db_url)
    c = Counter(tmp_path, 1)
    c.set_hub(hub.url, hub.add_counter(AGENCY, 1))
    deadline = time.monotonic() + BUDGET_S
    killed = 0
    for _ in range(COUNTER_KILL_TRIALS):
        assert time.monotonic() < deadline, "kill trials took too long"
        c.write(40)
        before = c.outbox_count()
        proc = c.popen("sync", "--batch-size", "2")
        # Wait until the first batches are acknowledged (the outbox shrinks), then strike at random.
        watch = time.monotonic() + 30
        while c.outbox_count() == before and proc.poll() is None and time.monotonic() < watch:
            time.sleep(0.005)
        time.sleep(rng.uniform(0, 0.15))
        proc.kill()  # SIGKILL, wherever it is
        proc.communicate(timeout=30)
        if proc.returncode == -9 and 0 < c.outbox_count() < before:
            killed += 1  # killed with part of the queue sent: mid-push
        assert c.integrity() == "ok"
    final_sync(c)
    exactly_once(db_url, c)
    assert killed >= COUNTER_KILL_TRIALS // 2, f"only {killed} kills landed in the middle of a push"


def test_two_hubs_on_one_postgresql_counters_alternating(tmp_path: Path, pg_hub_url: str,
                                                        hub_factory: Callable[..., HubProcess]) -> None:
    hubs = (hub_factory(pg_hub_url), hub_factory(pg_hub_url))
    counters = [Counter(tmp_path, 1), Counter(tmp_path, 2)]
    tokens = [hubs[0].add_counter(AGENCY, 1), hubs[0].add_counter(AGENCY, 2)]
    deadline = time.monotonic() + BUDGET_S
    for round_ in range(4):
        assert time.monotonic() < deadline
        for i, c in enumerate(counters):
            c.write(10)
            c.set_hub(hubs[(round_ + i) % 2].url, tokens[i])
        procs = [c.popen("sync", "--batch-size", "4") for c in counters]  # at once, each on another hub
        if round_ == 2:
            time.sleep(0.6)
            hubs[1].kill()  # one of them dies mid-push; its counter comes back through the other
        for p in procs:
            _, err = p.communicate(timeout=60)
            assert p.returncode in (0, 1), err
        if round_ == 2:
            hubs[1].start()
    for i, c in enumerate(counters):
        c.set_hub(hubs[i % 2].url, tokens[i])
        final_sync(c)
    exactly_once(pg_hub_url, *counters)
