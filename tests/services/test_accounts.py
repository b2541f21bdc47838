"""Staff accounts: the first administrator, sign-in and lock-out, roles, the name on slips and in the audit."""

from __future__ import annotations

from datetime import timedelta

import pytest

from motcua_desktop.domain.accounts import Role
from motcua_desktop.errors import UserError
from motcua_desktop.services import accounts, audit, returns, settings as settings_service
from motcua_desktop.services.context import PermissionDenied
from motcua_desktop.services.intake import receive
from motcua_desktop.domain.applicant import Applicant


@pytest.fixture
def staffed(ctx):
    ctx.actor = None
    accounts.add_user(ctx, "admin", "Trần Quản Trị", "administrator", "admin-pass-1")
    accounts.sign_in(ctx, "admin", "admin-pass-1")
    accounts.add_user(ctx, "lan", "Nguyễn Thị Lan", "clerk", "lan-pass-1")
    accounts.add_user(ctx, "hoa", "Lê Thị Hoa", "supervisor", "hoa-pass-1")
    accounts.sign_out(ctx)
    return ctx


def test_the_first_account_must_be_an_administrator(ctx):
    with pytest.raises(UserError, match="first account"):
        accounts.add_user(ctx, "lan", "Nguyễn Thị Lan", "clerk", "lan-pass-1")
    accounts.add_user(ctx, "admin", "Trần Quản Trị", Role.ADMINISTRATOR, "admin-pass-1")
    with pytest.raises(PermissionDenied):  # the second needs an administrator signed in
        accounts.add_user(ctx, "lan", "Nguyễn Thị Lan", "clerk", "lan-pass-1")


def test_passwords_are_stored_as_argon2_hashes_only(staffed):
    row = staffed.store.query_one("SELECT password_hash FROM users WHERE username = 'lan'")
    assert row["password_hash"].startswith("$argon2id$") and "lan-pass-1" not in row["password_hash"]
    texts = " ".join(str(r) for r in staffed.store.query("SELECT * FROM audit_log"))
    assert "pass-1" not in texts


def test_the_clerks_name_on_slips_and_audit_comes_from_the_account(staffed):
    accounts.sign_in(staffed, "lan", "lan-pass-1")
    view = receive(staffed, "HT-01", Applicant(name="Nguyễn Văn An", id_number="001099012345"), "all")
    assert view.clerk == "Nguyễn Thị Lan"
    entry = staffed.store.query_one("SELECT actor FROM audit_log WHERE subject = ?", (view.code,))
    assert entry["actor"] == "Nguyễn Thị Lan"


def test_five_wrong_passwords_lock_the_account_for_the_configured_time(staffed, clock):
    for _ in range(4):
        with pytest.raises(UserError, match="wrong user name or password"):
            accounts.sign_in(staffed, "lan", "nope")
    with pytest.raises(UserError, match="locked until"):
        accounts.sign_in(staffed, "lan", "nope")
    with pytest.raises(UserError, match="is locked"):  # even the right password, while locked
        accounts.sign_in(staffed, "lan", "lan-pass-1")
    clock.now += timedelta(minutes=16)
    assert accounts.sign_in(staffed, "lan", "lan-pass-1").username == "lan"
    failed = staffed.store.query("SELECT * FROM audit_log WHERE action = 'login.failed'")
    assert len(failed) == 5


def test_an_unknown_user_gets_the_same_answer_as_a_wrong_password(staffed):
    with pytest.raises(UserError) as unknown:
        accounts.sign_in(staffed, "nobody", "whatever-1")
    with pytest.raises(UserError) as wrong:
        accounts.sign_in(staffed, "lan", "whatever-1")
    assert unknown.value.message_en == wrong.value.message_en


def test_a_clerk_may_not_change_settings_apologise_or_manage_users(staffed):
    accounts.sign_in(staffed, "lan", "lan-pass-1")
    with pytest.raises(PermissionDenied, match="change settings"):
        settings_service.update_settings(staffed, {"clerk_name": "Ai đó"})
    view = receive(staffed, "HT-01", Applicant(name="Nguyễn Văn An", id_number="001099012345"), "all")
    with pytest.raises(PermissionDenied, match="apologise"):
        returns.apologise(staffed, view.code, view.due_at + timedelta(days=7), "chậm")
    with pytest.raises(PermissionDenied):
        accounts.list_accounts(staffed)
    with pytest.raises(PermissionDenied):
        audit.verify(staffed)


def test_a_supervisor_may_apologise_and_audit_but_not_manage_users(staffed):
    accounts.sign_in(staffed, "hoa", "hoa-pass-1")
    assert audit.verify(staffed).ok
    with pytest.raises(PermissionDenied):
        accounts.reset_password(staffed, "lan", "new-pass-12")


def test_reset_disable_and_change_password(staffed):
    accounts.sign_in(staffed, "admin", "admin-pass-1")
    assert accounts.reset_password(staffed, "lan", "fresh-pass-1").must_change
    accounts.disable_user(staffed, "hoa")
    with pytest.raises(UserError, match="last administrator"):
        accounts.disable_user(staffed, "admin")
    accounts.sign_out(staffed)
    with pytest.raises(UserError, match="wrong user name or password"):
        accounts.sign_in(staffed, "hoa", "hoa-pass-1")  # disabled
    accounts.sign_in(staffed, "lan", "fresh-pass-1")
    accounts.change_password(staffed, "fresh-pass-1", "my-own-pass-1")
    assert not accounts.get_account(staffed, "lan").must_change
    with pytest.raises(UserError, match="8"):
        accounts.change_password(staffed, "my-own-pass-1", "short")
