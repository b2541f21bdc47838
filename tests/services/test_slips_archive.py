"""The archive: what the citizen was given is kept, and 'in lại' prints that very file."""

from __future__ import annotations

import errno
import hashlib
import os
from datetime import datetime

import pytest

from motcua_desktop.errors import KnownError, NotFound
from motcua_desktop.services import slips as slip_service
from motcua_desktop.slips.sample import sample_data
from pdf_checks import flat, pdf_text

CODE = "000.00.01.H22-261123-1001"


def _raw_dossier(ctx, code: str = CODE) -> None:
    """A bare dossier row so the archive's foreign key holds (the archive does not read it)."""
    version = ctx.store.query_one("SELECT id, code, content FROM procedure_versions LIMIT 1")
    with ctx.store.transaction():
        ctx.store.execute(
            "INSERT INTO dossiers (code, procedure_code, procedure_version_id, procedure_snapshot, applicant_name,"
            " applicant_name_folded, status, first_contact_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)",
            (code, version["code"], version["id"], version["content"], "Nguyễn Thị Ánh Tuyết",
             "nguyen thi anh tuyet", "received", "2026-11-23T09:00:00", "2026-11-23T09:00:00"))


@pytest.fixture
def dossier(ctx):
    _raw_dossier(ctx)
    return sample_data()


def test_archive_writes_the_pdf_under_year_month_and_records_it(ctx, dossier):
    slip = slip_service.archive(ctx, dossier, "receipt", "a4")
    assert slip.path == ctx.data_dir / "slips" / "2026" / "11" / f"{CODE}-receipt-1.pdf"
    content = slip.path.read_bytes()
    assert content.startswith(b"%PDF") and hashlib.sha256(content).hexdigest() == slip.sha256
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in flat(pdf_text(content))
    again = slip_service.archive(ctx, dossier, "receipt", "80mm")
    assert again.path.name == f"{CODE}-receipt-2.pdf" and again.paper == "80mm"
    assert [s.id for s in slip_service.slips_of(ctx, CODE)] == [slip.id, again.id]
    assert slip_service.latest(ctx, CODE, "receipt").id == again.id
    audit = ctx.store.query("SELECT action, subject FROM audit_log WHERE action = 'slip_issue'")
    assert len(audit) == 2 and audit[0]["subject"] == CODE
    # No temporary files left beside the archive.
    assert sorted(p.name for p in slip.path.parent.iterdir()) == [f"{CODE}-receipt-1.pdf", f"{CODE}-receipt-2.pdf"]


def test_reprint_returns_the_archived_file_not_a_re_render(ctx, dossier, clock):
    slip = slip_service.archive(ctx, dossier, "receipt", "a4")
    original = slip.path.read_bytes()
    clock.now = datetime(2026, 12, 1, 10, 0)  # a re-render now would differ; the archive must not
    again = slip_service.reprint(ctx, slip.id, printer="Quầy 1 - HP")
    assert again.path == slip.path and again.read() == original
    prints = slip_service.prints_of(ctx, slip.id)
    assert [(p["printer"], p["reprint"], p["printed_at"]) for p in prints] == [("Quầy 1 - HP", 1, "2026-12-01T10:00:00")]
    slip_service.record_print(ctx, slip.id, "Quầy 1 - HP")
    assert [p["reprint"] for p in slip_service.prints_of(ctx, slip.id)] == [1, 0]


def test_reprint_refuses_a_missing_or_altered_archive(ctx, dossier):
    slip = slip_service.archive(ctx, dossier, "receipt", "a4")
    slip.path.write_bytes(slip.path.read_bytes() + b"% altered")
    with pytest.raises(KnownError):
        slip_service.reprint(ctx, slip.id)
    slip.path.unlink()
    with pytest.raises(KnownError):
        slip_service.reprint(ctx, slip.id)
    assert slip_service.prints_of(ctx, slip.id) == []
    with pytest.raises(NotFound):
        slip_service.reprint(ctx, 9999)


def test_disk_error_is_a_known_error_and_leaves_nothing(ctx, dossier, monkeypatch):
    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(KnownError) as caught:
        slip_service.archive(ctx, dossier, "receipt", "a4")
    assert "ổ đĩa" in caught.value.message_vi
    folder = ctx.data_dir / "slips" / "2026" / "11"
    assert not folder.exists() or list(folder.iterdir()) == []
    assert slip_service.slips_of(ctx, CODE) == []
    assert ctx.store.query("SELECT * FROM audit_log WHERE action = 'slip_issue'") == []


def test_unwritable_archive_folder_is_a_known_error(ctx, dossier):
    (ctx.data_dir / "slips").write_text("not a folder")  # e.g. a bad restore: mkdir must fail
    with pytest.raises(KnownError):
        slip_service.archive(ctx, dossier, "receipt", "a4")
    assert slip_service.slips_of(ctx, CODE) == []


def test_database_failure_removes_the_written_file(ctx, dossier, monkeypatch):
    from motcua_desktop.store import slip_repo

    def broken(*args, **kwargs):
        raise RuntimeError("simulated bug after the file was written")

    monkeypatch.setattr(slip_repo, "insert", broken)
    with pytest.raises(RuntimeError):
        slip_service.archive(ctx, dossier, "refusal", "a4")
    folder = ctx.data_dir / "slips" / "2026" / "11"
    assert list(folder.iterdir()) == []


def test_a_copy_that_cannot_be_put_in_place_rolls_the_slip_back(ctx, dossier, tmp_path, monkeypatch):
    """Even the last step (renaming the user's copy into place) failing leaves no slip, no audit entry,
    no archived file and no temp file beside the user's path."""
    real_replace = os.replace
    out = tmp_path / "out" / "giay-hen.pdf"
    out.parent.mkdir()

    def refuse_user_path(src, dst):
        if str(dst) == str(out):
            raise OSError(errno.EROFS, "Read-only file system")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", refuse_user_path)
    with pytest.raises(KnownError) as caught:
        slip_service.archive(ctx, dossier, "receipt", "a4", copy_to=out)
    assert str(out) in caught.value.message_vi
    assert slip_service.slips_of(ctx, CODE) == []
    assert ctx.store.query("SELECT * FROM audit_log WHERE action = 'slip_issue'") == []
    assert list(out.parent.iterdir()) == []
    folder = ctx.data_dir / "slips" / "2026" / "11"
    assert not folder.exists() or list(folder.iterdir()) == []
    # A reprint whose copy cannot be put in place is not logged either.
    monkeypatch.setattr(os, "replace", real_replace)
    slip = slip_service.archive(ctx, dossier, "receipt", "a4")
    monkeypatch.setattr(os, "replace", refuse_user_path)
    with pytest.raises(KnownError):
        slip_service.reprint(ctx, slip.id, "HP", copy_to=out)
    assert slip_service.prints_of(ctx, slip.id) == []
    assert ctx.store.query("SELECT * FROM audit_log WHERE action = 'slip_reprint'") == []
    assert list(out.parent.iterdir()) == []
