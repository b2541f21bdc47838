"""Audit trail and backups at scale: verify a 1,000,000-entry chain; back up a 1,000,000-dossier store.

Figures (quick: 100,000 of each):
- audit_verify_1m_s: `audit.verify` over the whole chain (read in batches, SHA-256 per entry, anchor);
  floor audit_verify_floor_s: one bare SELECT of the same rows with one SHA-256 each; audit_verify_ratio.
- backup_1m_s: `backup.backup` of the store (online backup API + manifest; no slips archived);
  floor backup_floor_s: a plain file copy of the same database file; backup_ratio.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_queue import NOW, fill  # noqa: E402

from motcua_desktop.domain.audit_chain import GENESIS, Anchor, entry_hash  # noqa: E402
from motcua_desktop.services import audit, backup, setup  # noqa: E402
from motcua_desktop.services.context import open_context  # noqa: E402


def _fill_audit(ctx, n: int) -> None:
    """n chained entries inserted directly (bench-only SQL), with the anchor the app would write."""
    def rows():
        prev = GENESIS
        start = ctx.store.query_one("SELECT COALESCE(MAX(id), 0) AS id FROM audit_log")["id"]
        for i in range(start + 1, start + n + 1):
            entry = {"id": i, "at": "2026-12-01T09:00:00", "actor": "Cán bộ Một Cửa", "action": "dossier.forward",
                     "subject": f"000.00.01.H22-261201-{1001 + i % 999:04d}", "detail": json.dumps({"status": "in_progress"})}
            digest = entry_hash(prev, entry)
            yield (i, entry["at"], entry["actor"], entry["action"], entry["subject"], entry["detail"], prev, digest)
            prev = digest
        rows.last = (start + n, prev)
    with ctx.store.transaction():
        ctx.store.execute("DELETE FROM settings WHERE key = 'audit_anchor'")
        ctx.store.execute("DROP TRIGGER audit_log_no_delete")
        ctx.store.execute("DELETE FROM audit_log")
        ctx.store.conn.executemany("INSERT INTO audit_log (id, at, actor, action, subject, detail, prev_hash, hash) "
                                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows())
        last_id, last_hash = rows.last
        ctx.store.execute("INSERT INTO settings (key, value) VALUES ('audit_anchor', ?)",
                          (json.dumps(Anchor(last_id, last_hash, n).to_json()),))


def run(quick: bool) -> dict[str, float]:
    n = 100_000 if quick else 1_000_000
    with tempfile.TemporaryDirectory(prefix="bench-audit-") as tmp:
        data_dir = Path(tmp) / "data"
        ctx = setup.open_demo(data_dir)
        _fill_audit(ctx, n)
        fill(ctx, n)
        ctx.close()
        ctx = open_context(data_dir, clock=lambda: NOW, actor="Bench")

        t0 = time.perf_counter()
        verdict = audit.verify(ctx)
        verify_s = time.perf_counter() - t0
        assert verdict.ok and verdict.entries == n, verdict
        t0 = time.perf_counter()
        for row in ctx.store.conn.execute("SELECT id, at, actor, action, subject, detail, prev_hash, hash FROM audit_log"):
            hashlib.sha256(repr(tuple(row)).encode()).hexdigest()
        verify_floor = time.perf_counter() - t0

        dest = Path(tmp) / "usb"
        dest.mkdir()
        t0 = time.perf_counter()
        backup.backup(ctx, dest)
        backup_s = time.perf_counter() - t0
        ctx.close()
        t0 = time.perf_counter()
        shutil.copyfile(data_dir / "motcua.sqlite3", Path(tmp) / "plain-copy.sqlite3")
        backup_floor = time.perf_counter() - t0
    return {"audit_verify_1m_s": verify_s, "audit_verify_floor_s": verify_floor,
            "audit_verify_ratio": verify_s / verify_floor,
            "backup_1m_s": backup_s, "backup_floor_s": backup_floor, "backup_ratio": backup_s / backup_floor}


if __name__ == "__main__":
    for key, value in run("--quick" in sys.argv).items():
        print(f"{key:28} {value:12.3f}")
