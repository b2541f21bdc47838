"""Staff accounts: roles, what each role may do, the rules for user names, passwords and lock-out.

A counter PC is shared by several clerks and holds citizens' identity numbers. Each person works under
an account; the name printed on slips and written in the audit trail is the account's, never a setting.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from .errors import UserError


class Role(str, Enum):
    CLERK = "clerk"
    SUPERVISOR = "supervisor"
    ADMINISTRATOR = "administrator"

    @property
    def label(self) -> str:
        return {"clerk": "Cán bộ tiếp nhận", "supervisor": "Lãnh đạo bộ phận",
                "administrator": "Quản trị viên"}[self.value]


class Permission(str, Enum):
    RECEIVE = "receive"  # intake, supplement, refuse, withdraw, forward, result ready, hand-over, slips
    APOLOGISE = "apologise"
    STOP = "stop"
    VOID = "void"
    CORRECT = "correct"
    REPORTS = "reports"
    AUDIT = "audit"
    SYNC_RESOLVE = "sync_resolve"
    FULL_IDS = "full_ids"  # see whole identity numbers in lists, exports and the register
    BACKUP = "backup"
    CATALOG = "catalog"  # import catalogues
    CALENDAR = "calendar"
    SETTINGS = "settings"
    USERS = "users"
    RESTORE = "restore"


_CLERK = frozenset({Permission.RECEIVE})
_SUPERVISOR = _CLERK | {Permission.APOLOGISE, Permission.STOP, Permission.VOID, Permission.CORRECT,
                        Permission.REPORTS, Permission.AUDIT, Permission.SYNC_RESOLVE, Permission.FULL_IDS,
                        Permission.BACKUP}
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.CLERK: _CLERK,
    Role.SUPERVISOR: frozenset(_SUPERVISOR),
    Role.ADMINISTRATOR: frozenset(Permission),
}
PERMISSION_LABELS = {
    Permission.RECEIVE: "tiếp nhận và trả kết quả", Permission.APOLOGISE: "xin lỗi, hẹn lại ngày trả",
    Permission.STOP: "dừng xử lý hồ sơ", Permission.VOID: "hủy hồ sơ nhập nhầm",
    Permission.CORRECT: "sửa thông tin người nộp", Permission.REPORTS: "xem báo cáo",
    Permission.AUDIT: "xem nhật ký thao tác", Permission.SYNC_RESOLVE: "xử lý xung đột đồng bộ",
    Permission.FULL_IDS: "xem đầy đủ số giấy tờ", Permission.BACKUP: "sao lưu dữ liệu",
    Permission.CATALOG: "nạp danh mục thủ tục", Permission.CALENDAR: "sửa lịch ngày nghỉ",
    Permission.SETTINGS: "sửa thiết lập", Permission.USERS: "quản lý tài khoản",
    Permission.RESTORE: "khôi phục dữ liệu",
}

PERMISSION_EN = {
    Permission.RECEIVE: "receive and hand over dossiers", Permission.APOLOGISE: "apologise with a new date",
    Permission.STOP: "stop processing", Permission.VOID: "void dossiers", Permission.CORRECT: "correct applicants",
    Permission.REPORTS: "see reports", Permission.AUDIT: "see the audit trail",
    Permission.SYNC_RESOLVE: "resolve sync conflicts", Permission.FULL_IDS: "see full identity numbers",
    Permission.BACKUP: "back up", Permission.CATALOG: "import catalogues", Permission.CALENDAR: "edit the calendar",
    Permission.SETTINGS: "change settings", Permission.USERS: "manage accounts", Permission.RESTORE: "restore data",
}


def may(role: Role, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS[role]


_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$", re.ASCII)
MIN_PASSWORD = 8
MAX_PASSWORD = 256
MAX_FULL_NAME = 100


def parse_username(text: str) -> str:
    """Log-in names: 2–32 ASCII letters, digits, '.', '_' or '-', compared in lower case."""
    name = unicodedata.normalize("NFKC", str(text or "")).strip()
    if name.isascii():
        name = name.lower()
    if not _USERNAME.match(name):
        raise UserError(f"Tên đăng nhập '{text}' không hợp lệ: 2–32 chữ cái không dấu, chữ số, '.', '_' hoặc '-'.",
                        f"user name {text!r} must be 2-32 ASCII letters, digits, '.', '_' or '-'")
    return name


def parse_role(text: str) -> Role:
    try:
        return Role(str(text).strip().lower())
    except ValueError:
        raise UserError(f"Vai trò '{text}' không có (clerk, supervisor, administrator).",
                        f"role {text!r} must be clerk, supervisor or administrator") from None


def parse_full_name(text: str) -> str:
    name = " ".join(unicodedata.normalize("NFC", str(text or "")).split())
    if not name or len(name) > MAX_FULL_NAME or any(unicodedata.category(c).startswith("C") for c in name):
        raise UserError(f"Họ tên cán bộ phải có từ 1 đến {MAX_FULL_NAME} ký tự.",
                        f"full name must be 1-{MAX_FULL_NAME} printable characters")
    return name


def check_password(password: str, username: str) -> None:
    """What a new password must be: long enough, not the user name. Says nothing of the password itself."""
    if not isinstance(password, str) or not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise UserError(f"Mật khẩu phải có từ {MIN_PASSWORD} đến {MAX_PASSWORD} ký tự.",
                        f"password must be {MIN_PASSWORD}-{MAX_PASSWORD} characters")
    if password.strip().lower() == username.lower():
        raise UserError("Mật khẩu không được trùng tên đăng nhập.", "password must differ from the user name")


@dataclass(frozen=True)
class LockoutPolicy:
    failures: int = 5  # wrong passwords in a row that lock the account
    minutes: int = 15  # for how long


def lock_after_failure(failed_count: int, now: datetime, policy: LockoutPolicy) -> datetime | None:
    """When an account with `failed_count` failures in a row (this one included) unlocks, or None."""
    return now + timedelta(minutes=policy.minutes) if failed_count >= policy.failures else None
