"""Accounts from the command line: init --admin-user, --user / MOTCUA_USER, a wrong password changes nothing."""

from __future__ import annotations

ADMIN = {"MOTCUA_USER": "admin", "MOTCUA_PASSWORD": "admin-pass-1"}


def init(run_cli):
    r = run_cli("init", "--agency-code", "000.00.01.H22", "--agency-name", "UBND XÃ HÒA BÌNH", "--counter-slot",
                "1", "--admin-user", "admin", "--admin-name", "Trần Quản Trị", env={"MOTCUA_PASSWORD": "admin-pass-1"})
    assert r.returncode == 0, r.stderr


def test_a_counter_with_accounts_needs_a_signed_in_user(run_cli):
    init(run_cli)
    r = run_cli("queue")
    assert r.returncode == 2 and "--user NAME" in r.stderr
    r = run_cli("queue", env={"MOTCUA_USER": "admin", "MOTCUA_PASSWORD": "wrong-one"})
    assert r.returncode == 2 and "wrong user name or password" in r.stderr
    assert run_cli("queue", env=ADMIN).returncode == 0
    assert run_cli("queue", "--user", "admin", env={"MOTCUA_PASSWORD": "admin-pass-1"}).returncode == 0


def test_a_wrong_password_does_nothing(run_cli):
    init(run_cli)
    r = run_cli("receive", "--procedure", "HT-01", "--name", "Nguyễn Văn An", "--id-number", "001099012345",
                "--provided", "all", env={"MOTCUA_USER": "admin", "MOTCUA_PASSWORD": "wrong-one"})
    assert r.returncode == 2
    audit = run_cli("audit", "--action", "dossier.", "--json", env=ADMIN).json()
    assert audit == []


def test_users_add_list_disable_reset(run_cli):
    init(run_cli)
    r = run_cli("users", "add", "lan", "--name", "Nguyễn Thị Lan", "--role", "clerk",
                env={**ADMIN, "MOTCUA_NEW_PASSWORD": "lan-pass-1"})
    assert r.returncode == 0, r.stderr
    listed = run_cli("users", "list", "--json", env=ADMIN).json()
    assert [(u["username"], u["role"]) for u in listed] == [("admin", "administrator"), ("lan", "clerk")]
    lan = {"MOTCUA_USER": "lan", "MOTCUA_PASSWORD": "lan-pass-1"}
    r = run_cli("settings", "clerk_name=Ai đó", env=lan)
    assert r.returncode == 2 and "not allowed to change settings" in r.stderr
    assert run_cli("users", "list", env=lan).returncode == 2
    rcv = run_cli("receive", "--procedure", "HT-01", "--name", "Nguyễn Văn An", "--id-number", "001099012345",
                  "--provided", "all", "--json", env=lan)
    assert rcv.returncode == 0
    shown = run_cli("dossier", "show", rcv.json()["code"], "--json", env=lan).json()
    assert shown["clerk"] == "Nguyễn Thị Lan"
    assert run_cli("users", "reset-password", "lan", env={**ADMIN, "MOTCUA_NEW_PASSWORD": "lan-pass-2"}).returncode == 0
    assert run_cli("queue", env=lan).returncode == 2
    assert run_cli("users", "disable", "lan", env=ADMIN).returncode == 0
    assert run_cli("queue", env={"MOTCUA_USER": "lan", "MOTCUA_PASSWORD": "lan-pass-2"}).returncode == 2


def test_init_checks_the_admin_password_before_creating_anything(run_cli, data_dir):
    r = run_cli("init", "--agency-code", "000.00.01.H22", "--agency-name", "UBND XÃ HÒA BÌNH",
                "--admin-user", "admin", env={"MOTCUA_PASSWORD": "short"})
    assert r.returncode == 2 and not data_dir.exists()
    r = run_cli("init", "--agency-code", "000.00.01.H22", "--agency-name", "UBND XÃ HÒA BÌNH",
                "--admin-user", "admin", env={})
    assert r.returncode == 2 and "MOTCUA_PASSWORD" in r.stderr and not data_dir.exists()
