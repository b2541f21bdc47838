"""The archive of slips handed out (`slips`) and every print of them (`slip_prints`)."""

from __future__ import annotations

from typing import Any

from .db import Store


def count(store: Store, dossier_code: str, kind: str) -> int:
    row = store.query_one("SELECT COUNT(*) AS n FROM slips WHERE dossier_code = ? AND kind = ?",
                          (dossier_code, kind))
    return int(row["n"]) if row else 0


def insert(store: Store, *, dossier_code: str, kind: str, paper: str, number: str | None, path: str,
           sha256: str, created_at: str, actor: str) -> int:
    cur = store.execute(
        "INSERT INTO slips (dossier_code, kind, paper, number, path, sha256, created_at, actor) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (dossier_code, kind, paper, number, path, sha256, created_at, actor),
    )
    return int(cur.lastrowid or 0)


def get(store: Store, slip_id: int) -> dict[str, Any] | None:
    return store.query_one("SELECT * FROM slips WHERE id = ?", (slip_id,))


def for_dossier(store: Store, dossier_code: str, kind: str | None = None) -> list[dict[str, Any]]:
    if kind:
        return store.query("SELECT * FROM slips WHERE dossier_code = ? AND kind = ? ORDER BY id",
                           (dossier_code, kind))
    return store.query("SELECT * FROM slips WHERE dossier_code = ? ORDER BY id", (dossier_code,))


def add_print(store: Store, *, slip_id: int, printed_at: str, printer: str | None, actor: str,
              reprint: bool) -> int:
    cur = store.execute(
        "INSERT INTO slip_prints (slip_id, printed_at, printer, actor, reprint) VALUES (?, ?, ?, ?, ?)",
        (slip_id, printed_at, printer, actor, int(reprint)),
    )
    return int(cur.lastrowid or 0)


def prints(store: Store, slip_id: int) -> list[dict[str, Any]]:
    return store.query("SELECT * FROM slip_prints WHERE slip_id = ? ORDER BY id", (slip_id,))
