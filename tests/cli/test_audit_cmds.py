"""`motcua audit verify` after someone edits the audit table with the sqlite3 shell; backups that restore."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from motcua_desktop.services import backup as backups

ID = "001099012345"


def receive(run_cli, n: int = 1) -> list[str]:
    codes = []
    for _ in range(n):
        r = run_cli("receive", "--procedure", "HT-01", "--name", "Nguyễn Văn An", "--id-number", ID,
                    "--provided", "all", "--json")
        assert r.returncode == 0, r.stderr
        codes.append(r.json()["code"])
    return codes


@pytest.fixture
def counter(run_cli, data_dir):
    assert run_cli("init", "--agency-code", "000.00.01.H22", "--agency-name", "UBND XÃ HÒA BÌNH",
                   "--counter-slot", "1").returncode == 0
    return data_dir


def shell(db: Path, *sql: str) -> None:
    """What a person with the sqlite3 shell does: drop the guard, change the table."""
    conn = sqlite3.connect(db)
    for s in sql:
        conn.execute(s)
    conn.commit()
    conn.close()


def test_verify_passes_then_names_an_edited_row(run_cli, counter):
    receive(run_cli, 2)
    ok = run_cli("audit", "verify", "--json")
    assert ok.returncode == 0 and ok.json()["ok"] and ok.json()["entries"] >= 4
    shell(counter / "motcua.sqlite3", "DROP TRIGGER audit_log_no_update",
          "UPDATE audit_log SET actor = 'Người khác' WHERE id = 3")
    bad = run_cli("audit", "verify", "--json")
    assert bad.returncode == 1
    assert bad.json()["first_bad"] == {"id": 3, "problem": "edited",
                                       "detail": "entry 3: content does not match its hash"}


def test_deleting_the_last_row_is_detected(run_cli, counter):
    receive(run_cli, 2)
    total = run_cli("audit", "verify", "--json").json()["entries"]
    shell(counter / "motcua.sqlite3", "DROP TRIGGER audit_log_no_delete",
          "DELETE FROM audit_log WHERE id = (SELECT MAX(id) FROM audit_log)")
    bad = run_cli("audit", "verify", "--json")
    assert bad.returncode == 1 and bad.json()["first_bad"]["problem"] == "tail_missing"
    assert f"of {total}" in bad.json()["first_bad"]["detail"]


def test_the_table_refuses_edits_and_deletions_without_the_shell_trick(counter, run_cli):
    receive(run_cli)
    conn = sqlite3.connect(counter / "motcua.sqlite3")
    for sql in ("UPDATE audit_log SET actor = 'x' WHERE id = 1", "DELETE FROM audit_log WHERE id = 1"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute(sql)
    conn.close()


def test_audit_lists_filtered_entries(run_cli, counter):
    [code] = receive(run_cli)
    rows = run_cli("audit", "--action", "dossier.", "--json").json()
    assert [r["subject"] for r in rows] == [code]
    assert run_cli("audit", "--from", "2026-12-10", "--to", "2026-12-01").returncode == 2


def test_a_backup_restored_elsewhere_has_every_dossier_and_slip(run_cli, counter, tmp_path):
    codes = receive(run_cli, 3)
    for code in codes:
        assert run_cli("slip", "receipt", code, "-o", str(tmp_path / f"{code}.pdf")).returncode == 0
    dest = tmp_path / "usb"
    dest.mkdir()
    made = run_cli("backup", str(dest), "--json")
    assert made.returncode == 0, made.stderr
    info = made.json()
    assert (info["dossiers"], info["slips"]) == (3, 3)
    assert oct(os.stat(info["path"]).st_mode & 0o777) == "0o700"

    other = tmp_path / "other"
    restored = run_cli("restore", info["path"], "--json", env={"MOTCUA_DATA_DIR": str(other)})
    assert restored.returncode == 0, restored.stderr
    assert restored.json()["audit_ok"] is True
    env = {"MOTCUA_DATA_DIR": str(other)}
    for code in codes:
        assert run_cli("dossier", "show", code, "--json", env=env).json()["status"] == "received"
        [slip] = [line for line in run_cli("slip", "list", code, env=env).stdout.splitlines() if "receipt" in line]
        slip_id = slip.split()[0]
        copy = tmp_path / f"again-{code}.pdf"
        assert run_cli("slip", "reprint", slip_id, "-o", str(copy), env=env).returncode == 0  # sha256 checked
    assert run_cli("audit", "verify", env=env).returncode == 0


def test_restore_refuses_a_damaged_or_foreign_backup_and_keeps_the_data(run_cli, counter, tmp_path):
    receive(run_cli)
    dest = tmp_path / "usb"
    dest.mkdir()
    path = Path(run_cli("backup", str(dest), "--json").json()["path"])
    db = counter / "motcua.sqlite3"
    before = db.read_bytes()
    with open(path / "motcua.sqlite3", "r+b") as f:  # one flipped byte
        f.seek(5000)
        byte = f.read(1)
        f.seek(5000)
        f.write(bytes([byte[0] ^ 0xFF]))
    r = run_cli("restore", str(path))
    assert r.returncode == 2 and "does not match its hash" in r.stderr
    assert db.read_bytes() == before
    assert run_cli("restore", str(tmp_path)).returncode == 2  # not a backup at all
    foreign = tmp_path / "foreign"
    env = {"MOTCUA_DATA_DIR": str(foreign)}
    run_cli("init", "--agency-code", "000.00.02.H22", "--agency-name", "UBND XÃ KHÁC", env=env)
    theirs = Path(run_cli("backup", str(dest), "--json", env=env).json()["path"])
    r = run_cli("restore", str(theirs))
    assert r.returncode == 2 and "belongs to agency 000.00.02.H22" in r.stderr


def test_backup_refuses_the_data_dir_itself(run_cli, counter):
    r = run_cli("backup", str(counter / "slips"))
    assert r.returncode == 2
    r = run_cli("backup", str(counter))
    assert r.returncode == 2 and "inside the data dir" in r.stderr


def test_rotation_keeps_the_newest(run_cli, counter, tmp_path):
    dest = tmp_path / "usb"
    dest.mkdir()
    for _ in range(3):
        assert run_cli("backup", str(dest), "--keep", "2").returncode == 0
        time.sleep(1.05)  # backups are named by the second
    assert len(backups.list_backups(dest)) == 2


@pytest.mark.slow
def test_kill_during_a_backup_leaves_the_live_file_intact_and_no_good_backup(run_cli, counter, tmp_path):
    receive(run_cli, 2)
    # Make the file large enough that a backup takes a while: a padding row of 150 MB.
    conn = sqlite3.connect(counter / "motcua.sqlite3")
    conn.execute("INSERT INTO settings (key, value) VALUES ('test_padding', json_quote(hex(randomblob(75000000))))")
    conn.commit()
    conn.close()
    dest = tmp_path / "usb"
    dest.mkdir()
    env = {**os.environ, "MOTCUA_DATA_DIR": str(counter)}
    for delay in (0.3, 0.6, 0.9):
        p = subprocess.Popen([sys.executable, "-m", "motcua_desktop.cli", "backup", str(dest)], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        p.send_signal(signal.SIGKILL)
        p.wait()
        for good in backups.list_backups(dest):  # whatever is counted as a backup must check out
            backups.check_backup(good, agency="000.00.01.H22")
    conn = sqlite3.connect(counter / "motcua.sqlite3")
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT count(*) FROM dossiers").fetchone()[0] == 2
    conn.close()
    assert run_cli("audit", "verify").returncode == 0
    assert run_cli("backup", str(dest)).returncode == 0  # and the next backup works, leftovers or not
