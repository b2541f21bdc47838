"""`motcua slip … -o` and `slip reprint -o` as a clerk (or a careless administrator) types them: the one
rule for files a user names (services/outputs.py) — never into the data dir, never over a symlink,
FIFO or device, an existing file replaced only with --force and keeping its mode."""

from __future__ import annotations

import hashlib
import os
import stat

import pytest

from motcua_desktop.domain.applicant import Applicant
from motcua_desktop.paths import DB_FILENAME
from motcua_desktop.services import intake
from motcua_desktop.services import slips as slip_service


def _citizen() -> Applicant:
    return Applicant(name="Lê Văn Bình", id_number="001099012345", phone="0912345678")


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _records(ctx) -> tuple[int, int, int]:
    q = ctx.store.query_one
    return (q("SELECT count(*) AS n FROM slips")["n"], q("SELECT count(*) AS n FROM slip_prints")["n"],
            q("SELECT count(*) AS n FROM audit_log")["n"])


def _refused(r) -> None:
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1


@pytest.fixture
def issued(ctx):
    v = intake.receive(ctx, "HT-01", _citizen(), "all")
    return v.code, slip_service.issue_slip(ctx, v.code, "receipt", "a4")


def test_no_slip_is_written_anywhere_inside_the_data_dir(ctx, run_cli, issued, tmp_path):
    code, slip = issued
    data = ctx.data_dir
    link = tmp_path / "shortcut"
    link.symlink_to(data, target_is_directory=True)
    archived = _sha(slip.path)
    before = _records(ctx)
    for target in (data / DB_FILENAME, data / f"{DB_FILENAME}-wal", data / f"{DB_FILENAME}-shm", slip.path,
                   data / "logs" / "motcua-gui.log", data / "new-name.pdf", data / "slips" / ".." / DB_FILENAME,
                   link / DB_FILENAME, link / "slips" / "x.pdf"):
        for force in ((), ("--force",)):
            _refused(run_cli("slip", "receipt", code, "-o", str(target), *force))
        _refused(run_cli("slip", "reprint", str(slip.id), "-o", str(target), "--force"))
    assert _records(ctx) == before  # nothing archived, printed or audited
    assert _sha(slip.path) == archived and not (data / "new-name.pdf").exists()
    # The database is still the database: the dossier and its slip are there, the reprint verifies.
    shown = run_cli("dossier", "show", code, "--json")
    assert shown.returncode == 0 and shown.json()["code"] == code
    out = tmp_path / "copy.pdf"
    assert run_cli("slip", "reprint", str(slip.id), "-o", str(out)).returncode == 0
    assert out.read_bytes() == slip.read()


def test_only_a_regular_file_or_a_new_name(ctx, run_cli, issued, tmp_path):
    code, slip = issued
    victim = tmp_path / "victim.txt"
    victim.write_text("someone else's file")
    link = tmp_path / "link.pdf"
    link.symlink_to(victim)
    fifo = tmp_path / "pipe.pdf"
    os.mkfifo(fifo)
    before = _records(ctx)
    for target in (link, fifo, "/dev/null", tmp_path):
        _refused(run_cli("slip", "receipt", code, "-o", str(target), "--force"))
        _refused(run_cli("slip", "reprint", str(slip.id), "-o", str(target), "--force"))
    assert link.is_symlink() and os.readlink(link) == str(victim) and victim.read_text() == "someone else's file"
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert stat.S_ISCHR(os.lstat("/dev/null").st_mode)
    assert _records(ctx) == before


def test_an_existing_file_is_replaced_only_with_force_and_keeps_its_mode(ctx, run_cli, issued, tmp_path):
    code, slip = issued
    out = tmp_path / "giay-hen.pdf"
    out.write_bytes(b"an older slip")
    out.chmod(0o640)
    before = _records(ctx)
    r = run_cli("slip", "receipt", code, "-o", str(out))
    _refused(r)
    assert "--force" in r.stderr
    _refused(run_cli("slip", "reprint", str(slip.id), "-o", str(out)))
    assert out.read_bytes() == b"an older slip" and _records(ctx) == before
    r = run_cli("slip", "receipt", code, "-o", str(out), "--force", "--json")
    assert r.returncode == 0, r.stderr
    assert out.read_bytes().startswith(b"%PDF") and stat.S_IMODE(out.stat().st_mode) == 0o640
    assert len(slip_service.slips_of(ctx, code)) == 2
    r = run_cli("slip", "reprint", str(slip.id), "-o", str(out), "--force")
    assert r.returncode == 0, r.stderr
    assert out.read_bytes() == slip.read() and stat.S_IMODE(out.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no temp files left
