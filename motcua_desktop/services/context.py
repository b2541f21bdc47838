"""What every operation needs: the store, the clock, and who is acting."""

from __future__ import annotations

from typing import Any

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from ..domain.accounts import PERMISSION_EN, PERMISSION_LABELS, Permission, Role, may
from ..errors import UserError
from ..store import Store, open_store
from ..store import settings_repo

# Vietnam has used UTC+7 without daylight saving since 1975: a fixed offset needs no tz database.
VN_TZ = timezone(timedelta(hours=7), "Asia/Ho_Chi_Minh")


def now_local() -> datetime:
    """The agency's wall-clock time, naive, to the second."""
    return datetime.now(VN_TZ).replace(tzinfo=None, microsecond=0)


def iso(dt: datetime) -> str:
    return dt.replace(microsecond=0).isoformat(timespec="seconds")


class PermissionDenied(UserError):
    """The account may not do this (exit status 2; nothing was changed)."""


@dataclass(frozen=True)
class SignedIn:
    """The account an operation runs under (services/accounts.py signs people in)."""
    username: str
    full_name: str
    role: Role

    def may(self, permission: Permission) -> bool:
        return may(self.role, permission)


@dataclass
class Context:
    store: Store
    clock: Callable[[], datetime] = now_local
    actor: str | None = None
    _settings: dict[str, Any] | None = field(default=None, repr=False)
    user: SignedIn | None = None  # None: a counter without accounts, or the app's own background work

    @property
    def data_dir(self) -> Path:
        return self.store.data_dir

    def now(self) -> datetime:
        return self.clock()

    def settings(self) -> dict[str, Any]:
        return settings_repo.get_all(self.store)

    def who(self) -> str:
        """The name slips print and the audit trail records: the signed-in account's, when there is one."""
        if self.user is not None:
            return self.user.full_name
        return self.actor or settings_repo.get(self.store, "clerk_name")

    def require(self, permission: Permission) -> None:
        """Refuse an operation the signed-in account's role does not allow (nothing is done)."""
        if self.user is not None and not self.user.may(permission):
            raise PermissionDenied(
                f"Tài khoản {self.user.username} ({self.user.role.label}) không được {PERMISSION_LABELS[permission]}.",
                f"user {self.user.username} ({self.user.role.value}) is not allowed to {PERMISSION_EN[permission]}")

    def may(self, permission: Permission) -> bool:
        return self.user is None or self.user.may(permission)

    def close(self) -> None:
        self.store.close()


def open_context(data_dir: Path, *, create: bool = True, clock: Callable[[], datetime] = now_local,
                 actor: str | None = None) -> Context:
    return Context(open_store(data_dir, create=create), clock=clock, actor=actor)
