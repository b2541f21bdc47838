"""Procedures, their versions, and the full-text index over their folded text."""

from __future__ import annotations

from typing import Any

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..domain.catalog import Procedure
from ..domain.search import folded_phrase, match_expression
from ..domain.text import fold
from .db import Store


@dataclass(frozen=True)
class ImportCounts:
    added: int
    updated: int
    unchanged: int


@dataclass(frozen=True)
class SearchHit:
    code: str
    name: str
    field: str
    national_code: str | None
    version_id: int


def _hash(p: Procedure) -> str:
    return hashlib.sha256(p.to_json().encode("utf-8")).hexdigest()


def case_clashes(store: Store, codes: Iterable[str]) -> list[tuple[str, str]]:
    """(code in the file, code in the catalogue) pairs that differ only in case."""
    out = []
    for code in codes:
        for row in store.query("SELECT code FROM procedures WHERE code = ? COLLATE NOCASE AND code != ?",
                               (code, code)):
            out.append((code, row["code"]))
    return out


def plan_import(store: Store, procedures: Iterable[Procedure]) -> ImportCounts:
    """What an import would do, without doing it (for --dry-run)."""
    current = {r["code"]: r["content_hash"] for r in store.query(
        "SELECT p.code, v.content_hash FROM procedures p JOIN procedure_versions v ON v.id = p.current_version")}
    added = updated = unchanged = 0
    for p in procedures:
        if p.code not in current:
            added += 1
        elif current[p.code] != _hash(p):
            updated += 1
        else:
            unchanged += 1
    return ImportCounts(added, updated, unchanged)


def apply_import(store: Store, procedures: list[Procedure], *, aliases: Callable[[Procedure], list[str]],
                 source: str, at: str) -> ImportCounts:
    """Add new procedures and new versions of changed ones, in the caller's transaction."""
    added = updated = unchanged = 0
    for p in procedures:
        row = store.query_one(
            "SELECT p.id, v.content_hash, v.version FROM procedures p "
            "JOIN procedure_versions v ON v.id = p.current_version WHERE p.code = ?", (p.code,))
        digest = _hash(p)
        if row and row["content_hash"] == digest:
            unchanged += 1
            continue
        version = (row["version"] + 1) if row else 1
        version_id = store.execute(
            "INSERT INTO procedure_versions (code, version, content, content_hash, imported_at, source) "
            "VALUES (?, ?, ?, ?, ?, ?)", (p.code, version, p.to_json(), digest, at, source)).lastrowid
        fields = (version_id, p.name, fold(p.name), p.field, p.national_code)
        if row:
            updated += 1
            proc_id = row["id"]
            store.execute("UPDATE procedures SET current_version = ?, name = ?, name_folded = ?, field = ?, "
                          "national_code = ?, active = 1 WHERE id = ?", (*fields, proc_id))
            store.execute("DELETE FROM procedure_fts WHERE rowid = ?", (proc_id,))
        else:
            added += 1
            proc_id = store.execute(
                "INSERT INTO procedures (current_version, name, name_folded, field, national_code, code) "
                "VALUES (?, ?, ?, ?, ?, ?)", (*fields, p.code)).lastrowid
        store.execute(
            "INSERT INTO procedure_fts (rowid, name, code, national_code, field, aliases) VALUES (?, ?, ?, ?, ?, ?)",
            (proc_id, fold(p.name), _code_text(p.code), _code_text(p.national_code or ""), fold(p.field),
             " ".join(aliases(p))))
    return ImportCounts(added, updated, unchanged)


def _code_text(code: str) -> str:
    # 'HT-01' is indexed as 'ht 01 ht01' so both 'ht-01' and 'ht01' find it.
    folded = fold(code)
    return f"{folded} {''.join(ch for ch in folded if ch.isalnum())}".strip()


# bm25 column weights: name, code, national_code, field, aliases.
_RANK = "bm25(procedure_fts, 10.0, 8.0, 8.0, 2.0, 6.0)"
# Above this many matches (a one-letter prefix over a province catalogue) ranking every match costs more
# than a keystroke may (~1 µs a row for the sort keys alone): the page is then read off the name index.
BROAD_MATCHES = 400
_COLUMNS = "p.code, p.name, p.field, p.national_code, p.current_version AS version_id"
# Sorts after every character a folded name can hold: the upper end of a 'starts with' index range.
_TOP = "\U0010ffff"


def search(store: Store, query: str, limit: int = 50) -> list[SearchHit]:
    """Best matches first: exact code or name, names starting with the query, names containing it as a
    phrase; within each, the shorter (more specific) name, then bm25 across all columns."""
    expression = match_expression(query)
    if expression is None:
        return []
    phrase = folded_phrase(query)
    params = {"expr": expression, "phrase": phrase, "top": phrase + _TOP, "compact": phrase.replace(" ", ""),
              "limit": max(1, min(int(limit), 1000)), "cap": BROAD_MATCHES + 1}
    broad = store.scalar(
        "SELECT count(*) FROM (SELECT 1 FROM procedure_fts WHERE procedure_fts MATCH :expr LIMIT :cap)",
        params) > BROAD_MATCHES
    rows = _broad_page(store, params) if broad else store.query(
        f"""
        SELECT {_COLUMNS}
        FROM procedure_fts JOIN procedures p ON p.id = procedure_fts.rowid
        WHERE procedure_fts MATCH :expr AND p.active = 1
        ORDER BY
          (replace(replace(lower(p.code), '-', ''), '.', '') = :compact) DESC,
          (p.name_folded = :phrase) DESC,
          (substr(p.name_folded, 1, length(:phrase)) = :phrase) DESC,
          (instr(' ' || p.name_folded, ' ' || :phrase) > 0) DESC,
          length(p.name_folded), {_RANK}
        LIMIT :limit
        """,
        params,
    )
    return [SearchHit(**r) for r in rows]


def _broad_page(store: Store, params: dict[str, Any]) -> list[dict[str, Any]]:
    """A page for a query that matches most of the catalogue: names starting with it in dictionary
    order (the exact name first, a shorter name before its longer variants), then other matches."""
    rows = store.query(
        f"SELECT {_COLUMNS} FROM procedures p WHERE p.name_folded >= :phrase AND p.name_folded < :top "
        "AND p.active = 1 ORDER BY p.name_folded LIMIT :limit", params)
    if len(rows) < params["limit"]:
        rows += store.query(
            f"SELECT {_COLUMNS} FROM procedure_fts JOIN procedures p ON p.id = procedure_fts.rowid "
            "WHERE procedure_fts MATCH :expr AND p.active = 1 "
            "AND NOT (p.name_folded >= :phrase AND p.name_folded < :top) LIMIT :rest",
            {**params, "rest": params["limit"] - len(rows)})
    return rows


def get_current(store: Store, code: str) -> tuple[int, Procedure] | None:
    """The current version by code: the exact code, else the one code that differs only in case
    (a clerk types 'ht-04' for HT-04; codes that differ only in case stay ambiguous: None)."""
    sql = ("SELECT v.id, v.content FROM procedures p JOIN procedure_versions v ON v.id = p.current_version "
           "WHERE p.code = ? {} AND p.active = 1 LIMIT 2")
    rows = store.query(sql.format(""), (code,)) or store.query(sql.format("COLLATE NOCASE"), (code,))
    return (rows[0]["id"], Procedure.from_json(rows[0]["content"])) if len(rows) == 1 else None


def get_version(store: Store, version_id: int) -> Procedure | None:
    row = store.query_one("SELECT content FROM procedure_versions WHERE id = ?", (version_id,))
    return Procedure.from_json(row["content"]) if row else None


def versions_of(store: Store, code: str) -> list[dict[str, Any]]:
    return store.query("SELECT id, version, imported_at, source FROM procedure_versions WHERE code = ? "
                       "ORDER BY version", (code,))


def count(store: Store) -> int:
    return int(store.scalar("SELECT count(*) FROM procedures WHERE active = 1"))


def fields(store: Store) -> list[str]:
    return [r["field"] for r in store.query("SELECT DISTINCT field FROM procedures WHERE active = 1 ORDER BY field")]
