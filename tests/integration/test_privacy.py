"""Citizens' data stays private, end to end through the real command: a counter made under the
default umask is readable by its user only, and no log line carries an identity or phone number."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from motcua_desktop.paths import DB_FILENAME

ID = "001099012345"
PHONE = "0912345678"
INIT = ("init", "--agency-code", "000.00.01.H22", "--agency-name", "UBND XÃ HÒA BÌNH", "--counter-slot", "1")


@pytest.fixture
def umask_022():
    old = os.umask(0o022)  # the subprocesses inherit it: Debian's default for a user
    yield
    os.umask(old)


def _modes(data_dir: Path) -> dict[str, int]:
    return {str(p.relative_to(data_dir)): stat.S_IMODE(p.lstat().st_mode) for p in [data_dir, *data_dir.rglob("*")]}


def test_a_counter_made_under_umask_022_is_readable_by_its_user_only(umask_022, run_cli, data_dir, tmp_path):
    assert run_cli(*INIT).returncode == 0
    r = run_cli("receive", "--procedure", "HT-04", "--name", "Nguyễn Văn An", "--id-number", ID, "--phone", PHONE,
                "--json")
    assert r.returncode == 0, r.stderr
    code = r.json()["code"]
    assert run_cli("slip", "receipt", code, "-o", str(tmp_path / "r.pdf")).returncode == 0
    modes = _modes(data_dir)
    assert DB_FILENAME in modes and any(name.endswith(".pdf") for name in modes)  # the archive is there
    dirs = {name for name in modes if (data_dir / name).is_dir()}
    assert {modes[d] for d in dirs} == {0o700}, modes
    assert {m for name, m in modes.items() if name not in dirs} == {0o600}, modes
    # The copy the clerk asked for is the clerk's file, but no wider than the archived one.
    assert stat.S_IMODE((tmp_path / "r.pdf").stat().st_mode) & 0o077 == 0


def test_no_log_or_error_line_carries_an_identity_or_phone_number(umask_022, run_cli, data_dir, tmp_path):
    assert run_cli(*INIT).returncode == 0
    outputs = []
    for args in (
        ("receive", "--procedure", "HT-04", "--name", "Nguyễn Văn An", "--id-number", ID[:-1], "--phone", PHONE),
        ("receive", "--procedure", "HT-04", "--name", "Nguyễn Văn An", "--id-number", ID, "--phone", PHONE + "9"),
        ("receive", "--procedure", "HT-04", "--name", "Nguyễn Văn An", "--id-number", ID, "--phone", PHONE,
         "--provided", "²"),
        ("receive", "--procedure", "HT-04", "--name", "Nguyễn Văn An", "--id-number", ID, "--phone", PHONE,
         "--email", f"{PHONE}@example.vn x"),
        ("receive", "--procedure", "HT-04", "--name", "Nguyễn Văn An", "--id-number", ID, "--phone", PHONE),
    ):
        r = run_cli(*args)
        outputs.append(r.stderr)
    assert [bool(e.strip()) for e in outputs] == [True, True, True, True, False]
    for text in outputs:
        assert ID not in text and ID[:-1] not in text and PHONE not in text, text
    logs = [p for p in data_dir.rglob("*") if p.is_file() and ("log" in p.name or p.parent.name == "logs")]
    for log in logs:
        body = log.read_text(encoding="utf-8", errors="replace")
        assert ID[:-1] not in body and PHONE not in body
