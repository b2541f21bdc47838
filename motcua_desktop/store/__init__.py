"""The only place that speaks SQL: the counter's SQLite file and its repositories."""

from .db import Store, open_store

__all__ = ["Store", "open_store"]
