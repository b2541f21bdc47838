"""Changing a counter's settings: every value validated first, then all written together."""

from __future__ import annotations

from typing import Any

from ..domain.accounts import Permission
from ..domain.errors import UserError
from ..domain.settings import SETTINGS, parse_setting
from ..store import audit_repo, dossier_repo, settings_repo
from .context import Context, iso

# Changing these changes the codes of dossiers received from now on (printed codes never change).
CODE_SHAPING = ("agency_code", "counter_slot")


class SettingsInvalid(UserError):
    """One or more values are wrong; nothing was saved. `problems` maps key → Vietnamese message."""

    def __init__(self, problems: dict[str, str]) -> None:
        lines = "\n".join(f"- {SETTINGS[k].description}: {m}" for k, m in problems.items())
        super().__init__(f"Chưa lưu thiết lập nào vì có giá trị không hợp lệ:\n{lines}",
                         "settings not saved: " + "; ".join(f"{k}: {m}" for k, m in problems.items()))
        self.problems = problems


def validate(values: dict[str, Any]) -> dict[str, Any]:
    """Parsed values, or SettingsInvalid naming every bad one."""
    parsed: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for key, value in values.items():
        if key not in SETTINGS:
            raise UserError(f"Không có thiết lập '{key}'.", f"unknown setting {key!r}")
        try:
            parsed[key] = parse_setting(key, value)
        except UserError as error:
            problems[key] = error.message_vi
    if problems:
        raise SettingsInvalid(problems)
    return parsed


def update_settings(ctx: Context, values: dict[str, Any]) -> dict[str, Any]:
    """Validate all, then write the changed ones in one transaction with an audit entry."""
    ctx.require(Permission.SETTINGS)
    parsed = validate(values)
    current = settings_repo.get_all(ctx.store)
    changed = {k: v for k, v in parsed.items() if current.get(k) != v}
    if changed:
        with ctx.store.transaction():
            for key, value in changed.items():
                settings_repo.put(ctx.store, key, value)
            audit_repo.record(ctx.store, at=iso(ctx.now()), actor=ctx.who(), action="settings.update",
                              detail={k: {"from": current.get(k), "to": v} for k, v in changed.items()})
    return changed


def outbox_waiting(ctx: Context) -> int:
    """How many recorded events wait to be sent to the hub (status bar)."""
    return dossier_repo.outbox_waiting(ctx.store)
