"""Counter settings as JSON values in the settings table."""

from __future__ import annotations

import json
from typing import Any

from ..domain.settings import SETTINGS, parse_setting
from .db import Store


def get_all(store: Store) -> dict[str, Any]:
    values = {k: s.default for k, s in SETTINGS.items()}
    for row in store.query("SELECT key, value FROM settings"):
        if row["key"] in values:
            values[row["key"]] = json.loads(row["value"])
    return values


def get(store: Store, key: str) -> Any:
    row = store.query_one("SELECT value FROM settings WHERE key = ?", (key,))
    return json.loads(row["value"]) if row else SETTINGS[key].default


def put(store: Store, key: str, value: Any) -> Any:
    """Validate and store one setting; returns the stored (normalised) value."""
    parsed = parse_setting(key, value)
    with store.transaction():
        store.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, json.dumps(parsed, ensure_ascii=False)),
        )
    return parsed


def get_state(store: Store, key: str) -> Any:
    """A value the app keeps for itself in the settings table (not a user setting): None when unset."""
    row = store.query_one("SELECT value FROM settings WHERE key = ?", (key,))
    return json.loads(row["value"]) if row else None


def put_state(store: Store, key: str, value: Any) -> None:
    if key in SETTINGS:
        raise ValueError(f"{key} is a user setting; use put()")
    with store.transaction():
        store.execute("INSERT INTO settings (key, value) VALUES (?, ?) "
                      "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                      (key, json.dumps(value, ensure_ascii=False)))


def is_initialised(store: Store) -> bool:
    return store.query_one("SELECT 1 FROM settings WHERE key = 'agency_code'") is not None
