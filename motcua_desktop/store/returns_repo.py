"""SQL of the return desk: the results queue, the due-soon list and their counts.

Everything here reads the `dossiers` projection through the `(status, due_at, code)` index of
0001, so a page of the queue is an index range scan whatever the size of the store. The procedure
name and field come from the snapshot the dossier was received under (what the citizen's slip says),
the field filter from the catalogue row of the procedure code.
"""

from __future__ import annotations

from typing import Any

from .db import Store

# Columns the desk shows; the snapshot's name is what was printed on the receipt.
_COLUMNS = """
  d.code, d.status, d.applicant_name, d.procedure_code,
  COALESCE(json_extract(d.procedure_snapshot, '$.name'), p.name, d.procedure_code) AS procedure_name,
  COALESCE(json_extract(d.procedure_snapshot, '$.field'), p.field, '') AS field,
  d.received_at, d.due_at, d.original_due_at, d.result_ready_at, d.apology_count, d.phone, d.delivery
"""


def _filters(field: str | None, date_from: str | None, date_to: str | None) -> tuple[str, list[Any]]:
    """Extra WHERE terms on `d` only (so the indexes cover them): field via the procedure codes of
    that field in the catalogue; dates bound the appointment (due_at)."""
    sql, params = "", []
    if field:
        sql += " AND d.procedure_code IN (SELECT code FROM procedures WHERE field = ?)"
        params.append(field)
    if date_from:
        sql += " AND d.due_at >= ?"
        params.append(date_from)
    if date_to:
        sql += " AND d.due_at < ?"
        params.append(date_to)
    return sql, params


def _rows(store: Store, codes: list[str]) -> list[dict[str, Any]]:
    """The displayed columns of these dossiers, in the order given."""
    if not codes:
        return []
    marks = ",".join("?" * len(codes))
    found = {r["code"]: r for r in store.query(
        f"SELECT {_COLUMNS} FROM dossiers d LEFT JOIN procedures p ON p.code = d.procedure_code "
        f"WHERE d.code IN ({marks})", tuple(codes))}
    return [found[c] for c in codes if c in found]


def queue_page(store: Store, *, status: str, field: str | None, date_from: str | None, date_to: str | None,
               limit: int, offset: int) -> list[dict[str, Any]]:
    """Dossiers of one status, oldest appointment first (no appointment last), then by code.

    Codes first, from the indexes alone; the wide columns (snapshot JSON) only for the page's rows.
    Two halves rather than `ORDER BY due_at IS NULL, …`: that expression is in no index, so SQLite
    would sort every row of the status for each page.
    """
    extra, params = _filters(field, date_from, date_to)
    base = f"SELECT d.code FROM dossiers d WHERE d.status = ? {extra}"
    codes = [r["code"] for r in store.query(
        f"{base} AND d.due_at IS NOT NULL ORDER BY d.due_at, d.code LIMIT ? OFFSET ?",
        (status, *params, limit, offset))]
    if len(codes) < limit and not (date_from or date_to):  # a date filter never matches a missing date
        if codes:
            dated = offset + len(codes)
        else:
            count = store.query_one(f"SELECT COUNT(*) AS n FROM ({base} AND d.due_at IS NOT NULL)",
                                    (status, *params))
            dated = int(count["n"]) if count else 0
        codes += [r["code"] for r in store.query(
            f"{base} AND d.due_at IS NULL ORDER BY d.code LIMIT ? OFFSET ?",
            (status, *params, limit - len(codes), max(0, offset - dated)))]
    return _rows(store, codes)


def queue_counts(store: Store, *, status: str, field: str | None, date_from: str | None, date_to: str | None,
                 now: str, day_end: str) -> dict[str, int]:
    """total / overdue (appointment passed, earlier today included) / due_today (later today) for the
    same filters as the page."""
    extra, params = _filters(field, date_from, date_to)
    row = store.query_one(
        f"""SELECT COUNT(*) AS total,
                   COALESCE(SUM(d.due_at < ?), 0) AS overdue,
                   COALESCE(SUM(d.due_at >= ? AND d.due_at < ?), 0) AS due_today
            FROM dossiers d WHERE d.status = ? {extra}""",
        (now, now, day_end, status, *params),
    )
    assert row is not None
    return {"total": int(row["total"]), "overdue": int(row["overdue"]), "due_today": int(row["due_today"])}


def due_before(store: Store, statuses: tuple[str, ...], before: str, limit: int) -> list[dict[str, Any]]:
    """Dossiers still being worked on whose appointment is before `before` (past ones included).

    One index walk per status (each already in due order, stopping at `limit`), merged here: an
    `IN (…)` over two statuses would make SQLite sort every matching row, snapshot JSON included.
    """
    keys: list[tuple[str, str]] = []
    for status in statuses:
        keys += [(r["due_at"], r["code"]) for r in store.query(
            "SELECT due_at, code FROM dossiers WHERE status = ? AND due_at IS NOT NULL AND due_at < ? "
            "ORDER BY due_at, code LIMIT ?", (status, before, limit))]
    return _rows(store, [code for _, code in sorted(keys)[:limit]])


def fields(store: Store) -> list[str]:
    """The catalogue's fields (lĩnh vực), for the queue's filter."""
    return [r["field"] for r in store.query("SELECT DISTINCT field FROM procedures ORDER BY field")]


def events_of(store: Store, code: str, types: tuple[str, ...]) -> list[dict[str, Any]]:
    marks = ",".join("?" * len(types))
    return store.query(
        f"SELECT * FROM dossier_events WHERE dossier_code = ? AND type IN ({marks}) ORDER BY seq",
        (code, *types),
    )
