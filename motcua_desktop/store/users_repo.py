"""Staff accounts: the users table. Password hashes are written and read here, never logged."""

from __future__ import annotations

from typing import Any

from .db import Store

_FIELDS = frozenset({"full_name", "role", "password_hash", "active", "failed_count", "locked_until", "must_change",
                     "password_changed_at", "last_login_at"})


def insert(store: Store, *, username: str, full_name: str, role: str, password_hash: str, created_at: str,
           must_change: bool = False) -> int:
    cur = store.execute(
        "INSERT INTO users (username, full_name, role, password_hash, must_change, created_at, password_changed_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)", (username, full_name, role, password_hash, int(must_change), created_at,
                                         created_at))
    return int(cur.lastrowid or 0)


def get(store: Store, username: str) -> dict[str, Any] | None:
    return store.query_one("SELECT * FROM users WHERE username = ?", (username,))


def update(store: Store, username: str, changes: dict[str, Any]) -> None:
    unknown = set(changes) - _FIELDS
    if unknown:
        raise ValueError(f"unknown user columns {sorted(unknown)}")
    sets = ", ".join(f"{k} = ?" for k in changes)
    store.execute(f"UPDATE users SET {sets} WHERE username = ?", (*changes.values(), username))


def all_users(store: Store) -> list[dict[str, Any]]:
    return store.query("SELECT * FROM users ORDER BY active DESC, role, username")


def count(store: Store, *, role: str | None = None, active_only: bool = True) -> int:
    sql = "SELECT count(*) AS n FROM users WHERE 1 = 1"
    params: list[Any] = []
    if active_only:
        sql += " AND active = 1"
    if role:
        sql += " AND role = ?"
        params.append(role)
    row = store.query_one(sql, tuple(params))
    return int(row["n"]) if row else 0
