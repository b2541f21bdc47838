"""Staff accounts: sign-in with lock-out, adding and disabling users, passwords (argon2id).

Passwords exist only in this module's arguments: they are hashed with argon2-cffi's PasswordHasher
(argon2id, memory-hard) and never logged, audited or shown. Sign-in failures are audited by user name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from ..domain.accounts import (LockoutPolicy, Permission, Role, check_password, lock_after_failure, parse_full_name,
                               parse_role, parse_username)
from ..errors import UserError
from ..store import audit_repo, users_repo
from .context import Context, PermissionDenied, SignedIn, iso

_HASHER = PasswordHasher()


@dataclass(frozen=True)
class Account:
    username: str
    full_name: str
    role: Role
    active: bool
    locked_until: datetime | None
    must_change: bool
    last_login_at: str | None

    def to_json(self) -> dict[str, object]:
        return {"username": self.username, "full_name": self.full_name, "role": self.role.value,
                "active": self.active, "locked_until": iso(self.locked_until) if self.locked_until else None,
                "must_change_password": self.must_change, "last_login_at": self.last_login_at}


def _account(row: dict[str, object]) -> Account:
    locked = row["locked_until"]
    return Account(str(row["username"]), str(row["full_name"]), Role(str(row["role"])), bool(row["active"]),
                   datetime.fromisoformat(str(locked)) if locked else None, bool(row["must_change"]),
                   str(row["last_login_at"]) if row["last_login_at"] else None)


def has_accounts(ctx: Context) -> bool:
    """Once a counter has an account, everything is done signed in."""
    return users_repo.count(ctx.store, active_only=False) > 0


def _policy(ctx: Context) -> LockoutPolicy:
    s = ctx.settings()
    return LockoutPolicy(failures=int(s.get("lockout_failures", 5)), minutes=int(s.get("lockout_minutes", 15)))


def add_user(ctx: Context, username: str, full_name: str, role: str | Role, password: str) -> Account:
    """A new account. The first account of a counter must be an administrator (and needs no sign-in)."""
    name = parse_username(username)
    person = parse_full_name(full_name)
    kind = role if isinstance(role, Role) else parse_role(role)
    check_password(password, name)
    with ctx.store.transaction():
        first = not has_accounts(ctx)
        if first and kind is not Role.ADMINISTRATOR:
            raise UserError("Tài khoản đầu tiên của quầy phải là quản trị viên.",
                            "the first account of a counter must be an administrator")
        if not first:
            _require_signed_in(ctx, Permission.USERS)
        if users_repo.get(ctx.store, name) is not None:
            raise UserError(f"Đã có tài khoản '{name}'.", f"user {name!r} already exists")
        now = iso(ctx.now())
        users_repo.insert(ctx.store, username=name, full_name=person, role=kind.value,
                          password_hash=_HASHER.hash(password), created_at=now)
        audit_repo.record(ctx.store, at=now, actor=ctx.who() if not first else person, action="users.add",
                          subject=name, detail={"role": kind.value, "full_name": person})
    return get_account(ctx, name)


def get_account(ctx: Context, username: str) -> Account:
    row = users_repo.get(ctx.store, parse_username(username))
    if row is None:
        raise UserError(f"Không có tài khoản '{username}'.", f"no user {username!r}")
    return _account(row)


def list_accounts(ctx: Context) -> list[Account]:
    ctx.require(Permission.USERS)
    return [_account(r) for r in users_repo.all_users(ctx.store)]


_WRONG = UserError("Sai tên đăng nhập hoặc mật khẩu.", "wrong user name or password")


def sign_in(ctx: Context, username: str, password: str, *, audit_success: bool = True) -> SignedIn:
    """Check a user name and password; on success the context runs as that account.

    The same message for an unknown user and a wrong password (no hint of which names exist); the
    account locks after `lockout_failures` wrong passwords in a row, for `lockout_minutes`. A failure is
    committed (count, lock, audit entry) before it is reported. `audit_success=False` for the command
    line, which signs in for every command (its actions are audited under the account anyway)."""
    try:
        name = parse_username(username)
    except UserError:
        raise _WRONG from None
    now = ctx.now()
    refusal: UserError | None = None
    with ctx.store.transaction():
        row = users_repo.get(ctx.store, name)
        if row is None or not row["active"]:
            audit_repo.record(ctx.store, at=iso(now), actor=name, action="login.failed", subject=name,
                              detail={"why": "unknown or disabled"})
            refusal = _WRONG
        elif row["locked_until"] and now < datetime.fromisoformat(row["locked_until"]):
            locked = datetime.fromisoformat(row["locked_until"])
            refusal = UserError(
                f"Tài khoản {name} đang bị khóa do nhập sai mật khẩu nhiều lần, đến {locked:%H:%M %d/%m/%Y}.",
                f"account {name} is locked after repeated wrong passwords until {iso(locked)}")
        elif not _matches(row["password_hash"], password):
            failures = int(row["failed_count"]) + 1
            until = lock_after_failure(failures, now, _policy(ctx))
            users_repo.update(ctx.store, name, {"failed_count": 0 if until else failures,
                                                "locked_until": iso(until) if until else None})
            audit_repo.record(ctx.store, at=iso(now), actor=name, action="login.failed", subject=name,
                              detail={"failures": failures, "locked_until": iso(until) if until else None})
            refusal = _WRONG if until is None else UserError(
                f"Nhập sai mật khẩu {failures} lần: tài khoản {name} bị khóa đến {until:%H:%M}.",
                f"wrong password {failures} times: account {name} locked until {iso(until)}")
        else:
            changes: dict[str, object] = {"failed_count": 0, "locked_until": None, "last_login_at": iso(now)}
            if _HASHER.check_needs_rehash(row["password_hash"]):
                changes["password_hash"] = _HASHER.hash(password)
            users_repo.update(ctx.store, name, changes)
            if audit_success:
                audit_repo.record(ctx.store, at=iso(now), actor=row["full_name"], action="login", subject=name)
    if refusal is not None:
        raise refusal
    assert row is not None
    ctx.user = SignedIn(name, row["full_name"], Role(row["role"]))
    return ctx.user


def _matches(password_hash: str, password: str) -> bool:
    try:
        return bool(_HASHER.verify(password_hash, password))
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def sign_out(ctx: Context) -> None:
    ctx.user = None


def _require_signed_in(ctx: Context, permission: Permission) -> None:
    if ctx.user is None and has_accounts(ctx):
        raise PermissionDenied("Cần đăng nhập bằng tài khoản quản trị.", "sign in as an administrator first")
    ctx.require(permission)


def disable_user(ctx: Context, username: str) -> Account:
    _require_signed_in(ctx, Permission.USERS)
    account = get_account(ctx, username)
    with ctx.store.transaction():
        if account.role is Role.ADMINISTRATOR and users_repo.count(ctx.store, role="administrator") <= 1:
            raise UserError("Không khóa được quản trị viên cuối cùng của quầy.", "cannot disable the last administrator")
        users_repo.update(ctx.store, account.username, {"active": 0})
        audit_repo.record(ctx.store, at=iso(ctx.now()), actor=ctx.who(), action="users.disable",
                          subject=account.username)
    return get_account(ctx, account.username)


def reset_password(ctx: Context, username: str, new_password: str) -> Account:
    """An administrator sets a new password (the user must change it at the next sign-in); unlocks."""
    _require_signed_in(ctx, Permission.USERS)
    account = get_account(ctx, username)
    check_password(new_password, account.username)
    now = iso(ctx.now())
    with ctx.store.transaction():
        users_repo.update(ctx.store, account.username, {
            "password_hash": _HASHER.hash(new_password), "failed_count": 0, "locked_until": None, "must_change": 1,
            "password_changed_at": now, "active": 1})
        audit_repo.record(ctx.store, at=now, actor=ctx.who(), action="users.reset_password", subject=account.username)
    return get_account(ctx, account.username)


def change_password(ctx: Context, old_password: str, new_password: str) -> None:
    """The signed-in user changes their own password (the old one is checked again)."""
    if ctx.user is None:
        raise PermissionDenied("Cần đăng nhập trước.", "sign in first")
    name = ctx.user.username
    row = users_repo.get(ctx.store, name)
    assert row is not None
    if not _matches(row["password_hash"], old_password):
        raise UserError("Mật khẩu hiện tại không đúng.", "the current password is wrong")
    check_password(new_password, name)
    if new_password == old_password:
        raise UserError("Mật khẩu mới phải khác mật khẩu cũ.", "the new password must differ from the old one")
    now = iso(ctx.now())
    with ctx.store.transaction():
        users_repo.update(ctx.store, name, {"password_hash": _HASHER.hash(new_password), "must_change": 0,
                                            "password_changed_at": now})
        audit_repo.record(ctx.store, at=now, actor=ctx.who(), action="users.change_password", subject=name)
