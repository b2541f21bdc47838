"""SQL of the return desk: the results queue, the due-soon list and their counts.

Everything here reads the `dossiers` projection through the `(status, due_at, code)` index of
0001, so a page of the queue is an index range scan whatever the size of the store. The procedure
name and field come from the snapshot the dossier was received under (what the citizen's slip says),
the field filter from the catalogue row of the procedure code.
"""

from __future__ import annotations

from .db import Store

# Columns the desk shows; the snapshot's name is what was printed on the receipt.
_COLUMNS = """
  d.code, d.status, d.applicant_name, d.procedure_code,
  COALESCE(json_extract(d.procedure_snapshot, '$.name'), p.name, d.procedure_code) AS procedure_name,
  COALESCE(json_extract(d.procedure_snapshot, '$.field'), p.field, '') AS field,
  d.received_at, d.due_at, d.original_due_at, d.result_ready_at, d.apology_count, d.phone, d.delivery
"""


def _filters(field: str | None, date_from: str | None, date_to: str | None) -> tuple[str, list]:
    """Extra WHERE terms: field via the catalogue row; dates bound the appointment (due_at)."""
    sql, params = "", []
    if field:
        sql += " AND p.field = ?"
        params.append(field)
    if date_from:
        sql += " AND d.due_at >= ?"
        params.append(date_from)
    if date_to:
        sql += " AND d.due_at < ?"
        params.append(date_to)
    return sql, params


def queue_page(store: Store, *, status: str, field: str | None, date_from: str | None, date_to: str | None,
               limit: int, offset: int) -> list[dict]:
    """Dossiers of one status, oldest appointment first (no appointment last), then by code."""
    extra, params = _filters(field, date_from, date_to)
    # Two index ranges (due_at set, then NULL) keep "NULLs last" without a sort over the whole status.
    return store.query(
        f"""SELECT {_COLUMNS} FROM dossiers d LEFT JOIN procedures p ON p.code = d.procedure_code
            WHERE d.status = ? {extra}
            ORDER BY d.due_at IS NULL, d.due_at, d.code LIMIT ? OFFSET ?""",
        (status, *params, limit, offset),
    )


def queue_counts(store: Store, *, status: str, field: str | None, date_from: str | None, date_to: str | None,
                 day_start: str, day_end: str) -> dict[str, int]:
    """total / overdue (due before today) / due_today for the same filters as the page."""
    extra, params = _filters(field, date_from, date_to)
    join = "LEFT JOIN procedures p ON p.code = d.procedure_code" if field else ""
    row = store.query_one(
        f"""SELECT COUNT(*) AS total,
                   COALESCE(SUM(d.due_at < ?), 0) AS overdue,
                   COALESCE(SUM(d.due_at >= ? AND d.due_at < ?), 0) AS due_today
            FROM dossiers d {join} WHERE d.status = ? {extra}""",
        (day_start, day_start, day_end, status, *params),
    )
    assert row is not None
    return {"total": int(row["total"]), "overdue": int(row["overdue"]), "due_today": int(row["due_today"])}


def due_before(store: Store, statuses: tuple[str, ...], before: str, limit: int) -> list[dict]:
    """Dossiers still being worked on whose appointment is before `before` (past ones included)."""
    marks = ",".join("?" * len(statuses))
    return store.query(
        f"""SELECT {_COLUMNS} FROM dossiers d LEFT JOIN procedures p ON p.code = d.procedure_code
            WHERE d.status IN ({marks}) AND d.due_at IS NOT NULL AND d.due_at < ?
            ORDER BY d.due_at, d.code LIMIT ?""",
        (*statuses, before, limit),
    )


def fields(store: Store) -> list[str]:
    """The catalogue's fields (lĩnh vực), for the queue's filter."""
    return [r["field"] for r in store.query("SELECT DISTINCT field FROM procedures ORDER BY field")]


def events_of(store: Store, code: str, types: tuple[str, ...]) -> list[dict]:
    marks = ",".join("?" * len(types))
    return store.query(
        f"SELECT * FROM dossier_events WHERE dossier_code = ? AND type IN ({marks}) ORDER BY seq",
        (code, *types),
    )
