"""Two processes receiving on one data dir, and kill -9 in the middle of receives."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from motcua_desktop.services import setup
from motcua_desktop.store import open_store

WORKER = r'''
import json, os, sys, time
from pathlib import Path
from motcua_desktop.domain.applicant import Applicant
from motcua_desktop.services import intake
from motcua_desktop.services.context import open_context

data_dir, start_file, count = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
ctx = open_context(data_dir, create=False, actor=f"worker {os.getpid()}")
a = Applicant(name="Đỗ Thị Lan", id_number="001203004567")
print("ready", flush=True)
while not start_file.exists():
    time.sleep(0.001)
i = 0
while count < 0 or i < count:
    v = intake.receive(ctx, "HT-05", a, "1" if i % 3 == 0 else "all")
    print(v.code, flush=True)
    i += 1
'''


def _spawn(tmp_path: Path, data_dir: Path, start: Path, count: int) -> subprocess.Popen:
    script = tmp_path / "worker.py"
    script.write_text(WORKER, encoding="utf-8")
    p = subprocess.Popen([sys.executable, str(script), str(data_dir), str(start), str(count)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "ready", p.stderr.read()
    return p


@pytest.fixture
def counter(data_dir: Path) -> Path:
    setup.open_demo(data_dir).close()
    return data_dir


def test_two_processes_get_distinct_codes(tmp_path: Path, counter: Path) -> None:
    start = tmp_path / "go"
    procs = [_spawn(tmp_path, counter, start, 40) for _ in range(2)]
    start.touch()
    codes: list[str] = []
    for p in procs:
        out, err = p.communicate(timeout=60)
        assert p.returncode == 0, err
        codes += out.split()
    assert len(codes) == 80 and len(set(codes)) == 80
    seqs = sorted(int(c[-4:]) for c in codes)
    assert seqs == list(range(1001, 1081))  # no gaps, no duplicates, all in slot 1
    with open_store(counter) as store:
        assert store.query_one("SELECT COUNT(*) AS n FROM dossiers")["n"] == 80


@pytest.mark.slow
def test_kill_9_during_receives_leaves_whole_dossiers(tmp_path: Path, counter: Path) -> None:
    rng = random.Random(1234)
    start = tmp_path / "go"
    start.touch()
    printed: set[str] = set()
    deadline = time.monotonic() + 12
    rounds = 0
    while rounds < 25 and time.monotonic() < deadline:
        # At most 30 each: 25 rounds stay under the 999 codes of a day even on a fast machine.
        p = _spawn(tmp_path, counter, start, 30)
        printed.add(p.stdout.readline().strip())  # it is receiving: now kill it somewhere in the stream
        time.sleep(rng.uniform(0.002, 0.05))  # short: stay well under the 999 codes of a day
        os.kill(p.pid, signal.SIGKILL)
        out, _ = p.communicate(timeout=10)
        printed.update(out.split())
        printed.discard("")
        rounds += 1
    with open_store(counter) as store:
        assert store.query_one("PRAGMA integrity_check")["integrity_check"] == "ok"
        assert store.query("PRAGMA foreign_key_check") == []
        rows = store.query("SELECT code, status, provided, missing FROM dossiers")
        assert len(rows) >= rounds  # every process got at least one receive through
        codes = {r["code"] for r in rows}
        assert printed <= codes  # what a process reported as done is there
        for r in rows:
            events = store.query("SELECT e.id, e.seq, e.type, e.payload, o.event_id FROM dossier_events e "
                                 "LEFT JOIN outbox o ON o.event_id = e.id WHERE e.dossier_code = ?", (r["code"],))
            assert len(events) == 1, r["code"]
            [e] = events
            assert (e["seq"], e["type"]) == (1, "intake") and e["event_id"] == e["id"]
            assert json.loads(e["payload"])["status"] == r["status"]
            assert json.loads(r["missing"]) == ([] if r["status"] == "received" else [2])
        audited = {a["subject"] for a in store.query("SELECT subject FROM audit_log WHERE action LIKE 'dossier.%'")}
        assert audited == codes
        orphans = store.query_one("SELECT COUNT(*) AS n FROM dossier_events WHERE dossier_code NOT IN "
                                  "(SELECT code FROM dossiers)")["n"]
        assert orphans == 0
        seqs = sorted(int(c[-4:]) for c in codes)
        assert len(seqs) == len(set(seqs))
