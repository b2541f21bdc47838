"""Counters for the end-to-end sync tests: a real data dir set up with the real `motcua` CLI, dossiers
written through the counter's own services (fast, in process, the same code the window calls), and
`motcua sync` always run as a real subprocess against a real `motcua-hub serve` (tests/hubproc.py)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from motcua_desktop.domain.applicant import Applicant
from motcua_desktop.paths import DB_FILENAME
from motcua_desktop.services import intake, returns
from motcua_desktop.services.context import open_context

AGENCY = "000.00.01.H22"
CITIZEN = Applicant(name="Trần Văn Bình", id_number="001088012345", phone="0912345678")


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


class Counter:
    def __init__(self, root: Path, slot: int, name: str | None = None) -> None:
        self.slot = slot
        self.data_dir = root / (name or f"counter{slot}")
        out = self.cli("init", "--agency-code", AGENCY, "--agency-name", "UBND XÃ HÒA BÌNH", "--counter-slot", str(slot))
        assert out.returncode == 0, out.stderr

    def env(self) -> dict[str, str]:
        return {**os.environ, "MOTCUA_DATA_DIR": str(self.data_dir), "PYTHONIOENCODING": "utf-8"}

    def cmd(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "motcua_desktop.cli", *args]

    def cli(self, *args: str, timeout: float = 120) -> Run:
        p = subprocess.run(self.cmd(*args), capture_output=True, text=True, encoding="utf-8", env=self.env(),
                           timeout=timeout)
        return Run(p.returncode, p.stdout, p.stderr)

    def popen(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(self.cmd(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                encoding="utf-8", env=self.env())

    def set_hub(self, url: str, token: str, ca_file: Path | None = None) -> None:
        extra = ["--ca-file", str(ca_file)] if ca_file else []
        out = self.cli("hub", "set", url, f"--token={token}", *extra)  # a token may start with "-"
        assert out.returncode == 0, (out.returncode, out.stdout, out.stderr, len(token))

    def sync(self, *args: str) -> Run:
        return self.cli("sync", "--json", *args)

    def write(self, dossiers: int, *, forward: bool = True, day: datetime | None = None) -> list[str]:
        """Receive `dossiers` complete dossiers (and forward each: 2 events per dossier) in process."""
        ctx = open_context(self.data_dir, create=False)
        if day is not None:
            ctx.clock = lambda: day
        try:
            codes = []
            for _ in range(dossiers):
                code = intake.receive(ctx, "HT-04", CITIZEN, "all").code
                if forward:
                    returns.forward(ctx, code, to="Công chức Tư pháp - Hộ tịch")
                codes.append(code)
            return codes
        finally:
            ctx.close()

    def db(self) -> sqlite3.Connection:
        return sqlite3.connect(self.data_dir / DB_FILENAME)

    def local_event_ids(self) -> set[str]:
        with self.db() as conn:
            return {r[0] for r in conn.execute("SELECT id FROM dossier_events WHERE type != 'hub_status'")}

    def outbox_count(self) -> int:
        with self.db() as conn:
            return int(conn.execute("SELECT COUNT(*) FROM outbox").fetchone()[0])

    def integrity(self) -> str:
        with self.db() as conn:
            return str(conn.execute("PRAGMA integrity_check").fetchone()[0])

    def wire_events(self) -> list[dict[str, Any]]:
        """The counter's own events as it pushes them (same ids, same bodies)."""
        with self.db() as conn:
            conn.row_factory = sqlite3.Row
            rows = conn.execute("SELECT * FROM dossier_events WHERE type != 'hub_status' ORDER BY rowid").fetchall()
        return [{"schema_version": 1, "id": r["id"], "type": r["type"], "dossier_code": r["dossier_code"],
                 "seq": r["seq"], "at": r["at"], "recorded_at": r["recorded_at"], "actor": r["actor"],
                 "payload": json.loads(r["payload"])} for r in rows]


def hub_event_ids(db_url: str) -> list[str]:
    """Every event id the hub stored (a list: a duplicate would show twice)."""
    import sqlalchemy as sa
    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as conn:
            return [r[0] for r in conn.execute(sa.text("SELECT id FROM events"))]
    finally:
        engine.dispose()


def hub_dossier(db_url: str, code: str) -> dict[str, Any]:
    from hubproc import hub_cli
    p = hub_cli(db_url, "dossier", code, "--json", check=True)
    return dict(json.loads(p.stdout))


def vn_now() -> datetime:
    return datetime.utcnow() + timedelta(hours=7)
