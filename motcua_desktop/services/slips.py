"""Issuing, archiving and reprinting slips.

``issue_slip`` renders the slip of a dossier and keeps the PDF under the data dir
(``slips/YYYY/MM/<code>-<kind>-<n>.pdf``): that file is what the citizen was given. ``reprint``
hands back that archived file — never a re-render, which could differ if settings or the catalogue
changed since — and logs the print.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import KnownError, NotFound, UserError
from ..slips import KINDS, PAPERS, SlipData, render
from ..store import audit_repo, slip_repo
from .context import Context, iso


@dataclass(frozen=True)
class ArchivedSlip:
    id: int
    dossier_code: str
    kind: str
    paper: str
    number: str | None
    path: Path  # absolute
    sha256: str
    created_at: str
    actor: str

    def read(self) -> bytes:
        return self.path.read_bytes()


def _from_row(ctx: Context, row: dict) -> ArchivedSlip:
    return ArchivedSlip(id=row["id"], dossier_code=row["dossier_code"], kind=row["kind"], paper=row["paper"],
                        number=row["number"], path=ctx.data_dir / row["path"], sha256=row["sha256"],
                        created_at=row["created_at"], actor=row["actor"])


def check_kind_paper(kind: str, paper: str) -> None:
    if kind not in KINDS:
        raise UserError(f"Loại phiếu '{kind}' không có (một trong: {', '.join(KINDS)}).",
                        f"unknown slip kind {kind!r} (one of {', '.join(KINDS)})")
    if paper not in PAPERS:
        raise UserError(f"Khổ giấy '{paper}' không hợp lệ (a4, a5, 80mm).",
                        f"paper {paper!r} not one of {', '.join(PAPERS)}")


def default_paper(ctx: Context) -> str:
    return str(ctx.settings().get("default_paper") or "a4")


def _write_atomically(target: Path, content: bytes) -> None:
    """Temp file in the same folder, fsync, rename: the archive never holds half a PDF."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as error:
        raise _disk_error(target, error) from error
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(content)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise _disk_error(target, error) from error


def _disk_error(target: Path, error: OSError) -> KnownError:
    return KnownError(
        f"Không ghi được tệp phiếu vào {target.parent} ({error.strerror or error}). Hãy kiểm tra ổ đĩa "
        "(còn chỗ trống, quyền ghi) rồi in lại; chưa có gì được lưu.",
        f"cannot write slip file {target}: {error}; nothing was archived",
    )


def archive(ctx: Context, data: SlipData, kind: str, paper: str) -> ArchivedSlip:
    """Render and keep one slip: the file and its `slips` row together, or neither."""
    check_kind_paper(kind, paper)
    pdf = render(kind, data, paper)  # outside the write lock: rendering takes tens of ms
    digest = hashlib.sha256(pdf).hexdigest()
    now = ctx.now()
    actor = ctx.who()
    store = ctx.store
    with store.transaction():
        n = slip_repo.count(store, data.code, kind) + 1
        rel = Path("slips") / f"{now:%Y}" / f"{now:%m}" / f"{data.code}-{kind}-{n}.pdf"
        target = ctx.data_dir / rel
        while target.exists():  # a file left by a crash between rename and commit: never overwrite
            n += 1
            rel = rel.with_name(f"{data.code}-{kind}-{n}.pdf")
            target = ctx.data_dir / rel
        _write_atomically(target, pdf)
        try:
            number = data.slip_number() or None
            slip_id = slip_repo.insert(store, dossier_code=data.code, kind=kind, paper=paper, number=number,
                                       path=rel.as_posix(), sha256=digest, created_at=iso(now), actor=actor)
            audit_repo.record(store, at=iso(now), actor=actor, action="slip_issue", subject=data.code,
                              detail={"slip_id": slip_id, "kind": kind, "paper": paper, "path": rel.as_posix()})
        except BaseException:
            with contextlib.suppress(OSError):
                target.unlink()
            raise
    return ArchivedSlip(id=slip_id, dossier_code=data.code, kind=kind, paper=paper, number=number,
                        path=target, sha256=digest, created_at=iso(now), actor=actor)


def get_slip(ctx: Context, slip_id: int) -> ArchivedSlip:
    row = slip_repo.get(ctx.store, slip_id)
    if row is None:
        raise NotFound(f"Không có phiếu số {slip_id}.", f"no slip with id {slip_id}")
    return _from_row(ctx, row)


def slips_of(ctx: Context, code: str, kind: str | None = None) -> list[ArchivedSlip]:
    """Every slip handed out for a dossier, oldest first."""
    return [_from_row(ctx, r) for r in slip_repo.for_dossier(ctx.store, code, kind)]


def latest(ctx: Context, code: str, kind: str) -> ArchivedSlip | None:
    found = slips_of(ctx, code, kind)
    return found[-1] if found else None


def record_print(ctx: Context, slip_id: int, printer: str | None = None, *, reprint: bool = False) -> int:
    """Log that a slip went to a printer (the GUI calls this after Qt accepted the job)."""
    get_slip(ctx, slip_id)
    now = iso(ctx.now())
    with ctx.store.transaction():
        return slip_repo.add_print(ctx.store, slip_id=slip_id, printed_at=now, printer=printer,
                                   actor=ctx.who(), reprint=reprint)


def reprint(ctx: Context, slip_id: int, printer: str | None = None) -> ArchivedSlip:
    """'In lại': the archived file, checked against its recorded hash, and a reprint logged."""
    slip = get_slip(ctx, slip_id)
    try:
        content = slip.path.read_bytes()
    except OSError as error:
        raise KnownError(
            f"Không đọc được tệp lưu của phiếu {slip_id} ({slip.path}). Hãy khôi phục thư mục dữ liệu từ bản "
            "sao lưu, hoặc cấp phiếu mới.",
            f"archived slip file {slip.path} unreadable: {error}",
        ) from error
    if hashlib.sha256(content).hexdigest() != slip.sha256:
        raise KnownError(
            f"Tệp lưu của phiếu {slip_id} đã bị thay đổi sau khi cấp; không in lại tệp này.",
            f"archived slip {slip.path} does not match its recorded sha256; refusing to reprint it",
        )
    now = iso(ctx.now())
    with ctx.store.transaction():
        slip_repo.add_print(ctx.store, slip_id=slip_id, printed_at=now, printer=printer, actor=ctx.who(),
                            reprint=True)
        audit_repo.record(ctx.store, at=now, actor=ctx.who(), action="slip_reprint", subject=slip.dossier_code,
                          detail={"slip_id": slip_id, "printer": printer})
    return slip


def prints_of(ctx: Context, slip_id: int) -> list[dict]:
    return slip_repo.prints(ctx.store, slip_id)
