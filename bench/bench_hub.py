"""The hub alone, from a plain httpx client on loopback: 10,000 intake events pushed in batches of 500
to a real `motcua-hub serve`, on its SQLite default and on PostgreSQL (a throw-away cluster, as in the
tests). Figures: events/s (whole push, HTTP + validation + one committed transaction per batch).

    python bench/bench_hub.py [--quick]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))


def _push(db_url: str, workdir: Path, total: int, batch: int) -> float:
    import httpx

    import hubproc as H

    hub = H.HubProcess(db_url, workdir).start()
    try:
        token = hub.add_counter()
        days = [f"26{m:02d}{d:02d}" for m in range(1, 13) for d in range(1, 29)]
        events = [H.intake_event(H.dossier_code(1, 1 + i % 999, day=days[i // 999])) for i in range(total)]
        with httpx.Client(base_url=hub.url, headers={"Authorization": f"Bearer {token}"}, timeout=60) as c:
            start = time.perf_counter()
            for i in range(0, total, batch):
                r = c.post("/v1/events", json={"sent_at": H.sent_at(), "events": events[i:i + batch]})
                r.raise_for_status()
                assert all(x["result"] == "accepted" for x in r.json()["results"])
            elapsed = time.perf_counter() - start
        return total / elapsed
    finally:
        hub.stop()


def run(quick: bool = False) -> dict[str, float]:
    import hubproc as H

    total = 2000 if quick else 10_000
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        url = f"sqlite:///{work / 'hub.sqlite3'}"
        H._migrate(url)
        out["hub_push_events_per_s_sqlite"] = round(_push(url, work / "s", total, 500))
        bindir = H.pg_bindir()
        if bindir is not None:
            pg = H.PgCluster(bindir)
            try:
                pg.start()
                out["hub_push_events_per_s_postgresql"] = round(_push(pg.create_database(), work / "p", total, 500))
            finally:
                pg.stop()
    return out


if __name__ == "__main__":
    for k, v in run("--quick" in sys.argv).items():
        print(f"{k}: {v}")
