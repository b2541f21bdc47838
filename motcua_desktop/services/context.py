"""What every operation needs: the store, the clock, and who is acting."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from ..store import Store, open_store
from ..store import settings_repo

# Vietnam has used UTC+7 without daylight saving since 1975: a fixed offset needs no tz database.
VN_TZ = timezone(timedelta(hours=7), "Asia/Ho_Chi_Minh")


def now_local() -> datetime:
    """The agency's wall-clock time, naive, to the second."""
    return datetime.now(VN_TZ).replace(tzinfo=None, microsecond=0)


def iso(dt: datetime) -> str:
    return dt.replace(microsecond=0).isoformat(timespec="seconds")


@dataclass
class Context:
    store: Store
    clock: Callable[[], datetime] = now_local
    actor: str | None = None
    _settings: dict | None = field(default=None, repr=False)

    @property
    def data_dir(self) -> Path:
        return self.store.data_dir

    def now(self) -> datetime:
        return self.clock()

    def settings(self) -> dict:
        return settings_repo.get_all(self.store)

    def who(self) -> str:
        return self.actor or settings_repo.get(self.store, "clerk_name")

    def close(self) -> None:
        self.store.close()


def open_context(data_dir: Path, *, create: bool = True, clock: Callable[[], datetime] = now_local,
                 actor: str | None = None) -> Context:
    return Context(open_store(data_dir, create=create), clock=clock, actor=actor)
