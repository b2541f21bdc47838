"""Calendar overrides: days off / working days the government announced after the holidays package."""

from __future__ import annotations

from typing import Any

from datetime import date

from .db import Store


def all_overrides(store: Store) -> list[dict[str, Any]]:
    return store.query("SELECT day, kind, note, created_at FROM calendar_overrides ORDER BY day")


def in_year(store: Store, year: int) -> list[dict[str, Any]]:
    return store.query("SELECT day, kind, note, created_at FROM calendar_overrides WHERE day BETWEEN ? AND ? "
                       "ORDER BY day", (f"{year:04d}-01-01", f"{year:04d}-12-31"))


def get(store: Store, day: date) -> dict[str, Any] | None:
    return store.query_one("SELECT day, kind, note, created_at FROM calendar_overrides WHERE day = ?",
                           (day.isoformat(),))


def put(store: Store, day: date, kind: str, note: str | None, created_at: str) -> None:
    """Insert or replace the override of a day (the latest announcement wins)."""
    store.execute(
        "INSERT INTO calendar_overrides (day, kind, note, created_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, note = excluded.note, created_at = excluded.created_at",
        (day.isoformat(), kind, note, created_at),
    )


def delete(store: Store, day: date) -> bool:
    return store.execute("DELETE FROM calendar_overrides WHERE day = ?", (day.isoformat(),)).rowcount > 0
