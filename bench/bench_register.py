"""The dossier register at scale: find any dossier among 1,000,000 (quick: 100,000).

The store is filled as bench_queue.py fills it (synthetic rows over ~3 years, real snapshots), plus a
phone number per dossier. The searches a clerk types, in turn: a whole code, its last four digits, its
date-and-sequence tail, an identity number, a phone number, a full unaccented name, a common surname
('nguyen': a tenth of the store), a given name, today's dossiers, a status filter, a period.

Figures:
- register_find_p95_ms: `register.find` first page (50 rows, newest first) over that mix;
- register_floor_p95_ms / register_ratio: a bare indexed lookup of the same page size
  (`SELECT … FROM dossiers WHERE first_contact_at < ? ORDER BY first_contact_at DESC LIMIT 51`) interleaved;
- register_worst_ms: the slowest single search (which kind, in the key name of the printout's context);
- fill_s: time to insert the synthetic rows (context).
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_queue  # noqa: E402  (same directory; the register reuses its synthetic store)

from motcua_desktop.domain.text import fold  # noqa: E402
from motcua_desktop.services import register, setup  # noqa: E402
from motcua_desktop.services.context import open_context  # noqa: E402

NOW = bench_queue.NOW


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] if len(samples) >= 20 else max(samples)


def _queries(ctx, rnd: random.Random, rounds: int) -> list[dict]:
    rows = ctx.store.query("SELECT code, applicant_name, id_number, phone, procedure_code FROM dossiers "
                           "WHERE rowid IN (SELECT abs(random()) % (SELECT max(rowid) FROM dossiers) + 1 "
                           "FROM dossiers LIMIT ?)", (rounds,))
    today = NOW.date()
    out = []
    for r in rows:
        given = fold(r["applicant_name"]).split()[-1]
        week = today - timedelta(days=rnd.randint(1, 900))
        out += [
            {"text": r["code"]}, {"text": r["code"][-4:]}, {"text": r["code"][-11:]},
            {"text": r["id_number"]}, {"text": r["phone"]}, {"text": fold(r["applicant_name"])},
            {"text": r["applicant_name"]}, {"text": "nguyen"}, {"text": given},
            {"date_from": today, "date_to": today}, {"status": "supplement_requested"},
            {"status": "result_ready", "procedure_code": r["procedure_code"]},
            {"date_from": week, "date_to": week + timedelta(days=6)},
            {"text": "tran van", "date_from": week, "date_to": week + timedelta(days=30)},
        ]
    rnd.shuffle(out)
    return out


def _kind(q: dict) -> str:
    text = q.get("text") or ""
    kind = ("code" if text.count("-") == 2 else "code tail" if "-" in text else
            "digits" if text.isdigit() else "name" if text else "")
    return "+".join(x for x in (kind, "status" if "status" in q else "", "procedure" if "procedure_code" in q else "",
                                "period" if "date_from" in q else "") if x) or "all"


def run(quick: bool) -> dict[str, float]:
    n = 100_000 if quick else 1_000_000
    with tempfile.TemporaryDirectory(prefix="bench-register-") as tmp:
        data_dir = Path(tmp) / "data"
        ctx = setup.open_demo(data_dir)
        t0 = time.perf_counter()
        bench_queue.fill(ctx, n)
        with ctx.store.transaction():
            ctx.store.execute("UPDATE dossiers SET phone = '09' || substr(id_number, -8)")
        ctx.store.execute("ANALYZE")
        fill_s = time.perf_counter() - t0
        ctx.close()

        ctx = open_context(data_dir, clock=lambda: NOW, actor="Bench")
        rnd = random.Random(5)
        queries = _queries(ctx, rnd, 30 if quick else 60)
        conn = ctx.store.conn
        found, floor, worst = [], [], (0.0, "")
        by_kind: dict[str, list[float]] = {}
        register.find(ctx)  # warm the page cache as a window's first search would
        for q in queries:
            t0 = time.perf_counter()
            page = register.find(ctx, q.get("text"), status=q.get("status"), procedure_code=q.get("procedure_code"),
                                 date_from=q.get("date_from"), date_to=q.get("date_to"))
            ms = (time.perf_counter() - t0) * 1000
            found.append(ms)
            by_kind.setdefault(_kind(q), []).append(ms)
            if ms > worst[0]:
                worst = (ms, repr(q))
            assert page.rows or "date_from" in q or "status" in q, q
            cut = f"{NOW - timedelta(days=rnd.randint(0, 900)):%Y-%m-%dT%H:%M:%S}"
            t0 = time.perf_counter()
            conn.execute("SELECT code, status, applicant_name, first_contact_at, due_at FROM dossiers "
                         "WHERE first_contact_at < ? ORDER BY first_contact_at DESC LIMIT 51", (cut,)).fetchall()
            floor.append((time.perf_counter() - t0) * 1000)
        ctx.close()
    for kind, samples in sorted(by_kind.items()):
        print(f"# bench_register: {kind:24} p95 {_p95(samples):7.2f} ms  median {statistics.median(samples):6.2f} ms",
              file=sys.stderr)
    print(f"# bench_register: slowest search {worst[0]:.1f} ms: {worst[1]}", file=sys.stderr)
    return {
        "register_find_p95_ms": _p95(found),
        "register_floor_p95_ms": _p95(floor),
        "register_ratio": _p95(found) / _p95(floor),
        "register_find_median_ms": statistics.median(found),
        "register_worst_ms": worst[0],
        "register_fill_s": fill_s,
    }


if __name__ == "__main__":
    for key, value in run("--quick" in sys.argv).items():
        print(f"{key:28} {value:12.3f}")
