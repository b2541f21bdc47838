"""SQL of the reports: the rows and steps a period's statistics need, and the tracking book's rows.

A period [lo, hi) needs every dossier it can count: those touched since `lo` (a dossier's
`updated_at` is its last write, never before the business time of its last step) that the counter
had seen before `hi`, plus the older ones still open (carried over). Both read the narrow columns
off covering indexes (db/0009, and db/0016 for the open ones), never the wide snapshot JSON: a year
of a busy centre is 100,000 rows. Rows are plain tuples in the order of the column lists below.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from typing import Any

from .db import Store

# History columns, in this order (services/reports.py builds domain Histories from them).
HISTORY_COLUMNS = ("code", "procedure_version_id", "channel", "status", "first_contact_at", "received_at",
                   "due_at", "original_due_at", "result_ready_at", "returned_at", "rating")
_COLS = ", ".join(HISTORY_COLUMNS)
OPEN_STATUSES = ("supplement_requested", "received", "in_progress", "result_ready")
# The partial index dossiers_open_report (db/0016) is used only for its WHERE written out the same way.
_OPEN_LITERAL = "(" + ", ".join(f"'{s}'" for s in OPEN_STATUSES) + ")"
STEP_TYPES = ("supplement", "refuse", "withdraw", "stop", "apologise", "hub_status")

# The status after each step type; the three whose payload says it are read from the payload.
_STEP_STATUS = """CASE type WHEN 'refuse' THEN 'refused' WHEN 'withdraw' THEN 'withdrawn'
  WHEN 'stop' THEN 'stopped' ELSE json_extract(payload, '$.status') END"""


def _rows(store: Store, sql: str, params: tuple[Any, ...]) -> sqlite3.Cursor:
    cur = store.execute(sql, params)
    cur.row_factory = None  # plain tuples: a year is 100,000 rows
    return cur


def _all(store: Store, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = _rows(store, sql, params).fetchall()
    return rows


def period_rows(store: Store, lo: str, hi: str) -> list[tuple[Any, ...]]:
    """HISTORY_COLUMNS of every dossier the period [lo, hi) can count."""
    return list(iter_period_rows(store, lo, hi))


def iter_period_rows(store: Store, lo: str, hi: str) -> Iterator[tuple[Any, ...]]:
    """`period_rows` one at a time: a year's report folds them as they come instead of holding 100,000
    row tuples and their histories at once (the cyclic collector then walks them over and over)."""
    yield from _rows(store, f"SELECT {_COLS} FROM dossiers INDEXED BY dossiers_report "
                            "WHERE updated_at >= ? AND first_contact_at < ?", (lo, hi))
    # Ordered as the lists behind the numbers always showed them (the status index's order).
    yield from _rows(store, f"SELECT {_COLS} FROM dossiers INDEXED BY dossiers_open_report "
                            f"WHERE status IN {_OPEN_LITERAL} AND updated_at < ? AND first_contact_at < ? "
                            "ORDER BY status, first_contact_at, code", (lo, hi))


def open_rows(store: Store) -> list[tuple[Any, ...]]:
    """HISTORY_COLUMNS of the dossiers not closed yet (the due-ahead chart)."""
    marks = ",".join("?" * len(OPEN_STATUSES))
    return _all(store, f"SELECT {_COLS} FROM dossiers WHERE status IN ({marks})", OPEN_STATUSES)


def steps_before(store: Store, hi: str) -> list[tuple[str, str, str, str | None]]:
    """(code, type, at, status after) of the non-milestone steps dated before `hi`, in order."""
    marks = ",".join("?" * len(STEP_TYPES))
    rows = _all(store, f"SELECT dossier_code, type, at, {_STEP_STATUS} FROM dossier_events INDEXED BY "
                       f"dossier_events_type_at WHERE type IN ({marks}) AND at < ? ORDER BY dossier_code, seq",
                (*STEP_TYPES, hi))
    return rows  # type: ignore[return-value,unused-ignore]


def version_fields(store: Store) -> dict[int, str]:
    """Field (lĩnh vực) of every procedure version: what a dossier's snapshot says."""
    return {int(r[0]): str(r[1] or "") for r in _all(
        store, "SELECT id, json_extract(content, '$.field') FROM procedure_versions", ())}


# --- the tracking book --------------------------------------------------------------------------------
BOOK_COLUMNS = ("code", "procedure_code", "procedure_name", "field", "applicant_name", "address", "phone",
                "status", "first_contact_at", "received_at", "due_at", "original_due_at", "result_ready_at",
                "returned_at", "apology_count", "entered_late", "refusal_reason", "channel")


def book_rows(store: Store, lo: str, hi: str, *, field: str | None = None, status: str | None = None,
              folded_text: str | None = None, limit: int | None = None) -> list[sqlite3.Row]:
    """Dossiers first seen at the counter in [lo, hi) (the book's entries), oldest first, filtered."""
    sql = ["SELECT d.code, d.procedure_code, json_extract(v.content, '$.name') AS procedure_name,",
           "json_extract(v.content, '$.field') AS field, d.applicant_name, d.address, d.phone, d.status,",
           "d.first_contact_at, d.received_at, d.due_at, d.original_due_at, d.result_ready_at, d.returned_at,",
           "d.apology_count, d.entered_late, d.refusal_reason, d.channel",
           "FROM dossiers d JOIN procedure_versions v ON v.id = d.procedure_version_id",
           "WHERE d.first_contact_at >= ? AND d.first_contact_at < ?"]
    params: list[Any] = [lo, hi]
    if field:
        sql.append("AND json_extract(v.content, '$.field') = ?")
        params.append(field)
    if status:
        sql.append("AND d.status = ?")
        params.append(status)
    if folded_text:
        sql.append("AND (d.applicant_name_folded LIKE ? ESCAPE '\\' OR lower(d.code) LIKE ? ESCAPE '\\'"
                   " OR d.phone LIKE ? ESCAPE '\\')")
        like = "%" + folded_text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        params += [like, like, like]
    sql.append("ORDER BY d.first_contact_at, d.code")
    if limit:
        sql.append("LIMIT ?")
        params.append(limit)
    return list(store.execute(" ".join(sql), tuple(params)))


def forwards(store: Store, codes: list[str]) -> dict[str, tuple[str, str | None]]:
    """The first forward of each dossier: (at, to whom)."""
    out: dict[str, tuple[str, str | None]] = {}
    for i in range(0, len(codes), 900):
        chunk = codes[i:i + 900]
        marks = ",".join("?" * len(chunk))
        for code, at, payload in _all(store, "SELECT dossier_code, at, payload FROM dossier_events WHERE type = "
                                             f"'forward' AND dossier_code IN ({marks}) ORDER BY seq", tuple(chunk)):
            if code not in out:
                out[code] = (at, json.loads(payload).get("to"))
    return out


def labels(store: Store, codes: list[str]) -> dict[str, str]:
    """'applicant — procedure' per code (what a list of dossiers shows beside each code)."""
    out: dict[str, str] = {}
    for i in range(0, len(codes), 900):
        chunk = codes[i:i + 900]
        marks = ",".join("?" * len(chunk))
        for code, name, proc in _all(store, "SELECT d.code, d.applicant_name, json_extract(v.content, '$.name') "
                                            "FROM dossiers d JOIN procedure_versions v ON v.id = d.procedure_version_id "
                                            f"WHERE d.code IN ({marks})", tuple(chunk)):
            out[code] = f"{name} — {proc}"
    return out
