"""Issuing, archiving and reprinting slips.

``issue_slip`` renders the slip of a dossier and keeps the PDF under the data dir
(``slips/YYYY/MM/<code>-<kind>-<n>.pdf``): that file is what the citizen was given. ``reprint``
hands back that archived file — never a re-render, which could differ if settings or the catalogue
changed since — and logs the print.
"""

from __future__ import annotations

from typing import Any

import contextlib
import hashlib
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..domain.dossier import Status
from ..domain.settings import NOT_ON_ROLL, SETTINGS
from ..errors import KnownError, NotFound, UserError
from ..slips import KINDS, PAPERS, Agency, Applicant, Component, ControlRow, SlipData, render
from ..slips import forms
from ..store import audit_repo, slip_repo
from . import dossiers, form_sets, outputs
from .context import Context, iso
from .dossiers import DossierView, EventView, normalize_code
from .outputs import OutputTarget

# Event types written by the intake and return-desk services (INTAKE-API.md, services/returns.py).
EV_SUPPLEMENT = "supplement"
EV_REFUSE = "refuse"
EV_FORWARD = "forward"
EV_RESULT_READY = "result_ready"
EV_RETURN = "return"
EV_APOLOGISE = "apologise"
EV_STOP = "stop"
EV_CORRECT = "correct"  # services/corrections.py


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


def _from_row(ctx: Context, row: dict[str, Any]) -> ArchivedSlip:
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


def default_paper(ctx: Context, kind: str | None = None) -> str:
    """This kind's paper from the print defaults, else the counter's default paper."""
    settings = ctx.settings()
    per_kind = (settings.get("print_defaults") or {}).get(kind or "", {}).get("paper")
    paper = str(per_kind or settings.get("default_paper") or "a4")
    # A counter printing its tickets on the roll still prints the control slip on A4.
    return "a4" if paper == "80mm" and kind in NOT_ON_ROLL else paper


def default_printer(ctx: Context, kind: str) -> str | None:
    """The printer this kind of slip goes to without asking; None = ask the clerk."""
    return (ctx.settings().get("print_defaults") or {}).get(kind, {}).get("printer") or None


def _private_folder(folder: Path) -> None:
    """mkdir -p with every new level 0700 (Path.mkdir gives the mode to the last level only)."""
    missing = [p for p in (folder, *folder.parents) if not p.exists()]
    for p in reversed(missing):
        p.mkdir(mode=0o700, exist_ok=True)


def _write_atomically(target: Path, content: bytes) -> None:
    """Temp file in the same folder, fsync, rename: the archive never holds half a PDF."""
    try:
        _private_folder(target.parent)
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


def _target(ctx: Context, copy_to: Path | OutputTarget | None, force: bool) -> OutputTarget | None:
    """The user's copy checked by the one rule for named files (services/outputs.py), before anything
    is rendered or recorded."""
    if copy_to is None or isinstance(copy_to, OutputTarget):
        return copy_to
    return outputs.check_output(copy_to, ctx.data_dir, force=force)


def archive(ctx: Context, data: SlipData, kind: str, paper: str, *, copy_to: Path | OutputTarget | None = None,
            force: bool = False, form_set: forms.FormSet | None = None) -> ArchivedSlip:
    """Render and keep one slip: the file and its `slips` row together, or neither. `copy_to`: the
    user's copy too, all or nothing with the archive (see `outputs.PendingOutput`); an existing file
    there is replaced only with `force`. `form_set`: the texts (default: the set in force today)."""
    check_kind_paper(kind, paper)
    user_copy = _target(ctx, copy_to, force)
    fs = form_set or form_sets.in_force(ctx)
    pdf = render(kind, data, paper, fs)  # outside the write lock: rendering takes tens of ms
    digest = hashlib.sha256(pdf).hexdigest()
    now = ctx.now()
    actor = ctx.who()
    store = ctx.store
    with outputs.pending_output(user_copy, pdf) as copy, store.transaction():
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
                              detail={"slip_id": slip_id, "kind": kind, "paper": paper, "path": rel.as_posix(),
                                      "form_set": fs.id, "form_set_source": fs.source})
            if copy is not None:
                copy.place()
        except BaseException:
            with contextlib.suppress(OSError):
                target.unlink()
            raise
    return ArchivedSlip(id=slip_id, dossier_code=data.code, kind=kind, paper=paper, number=number,
                        path=target, sha256=digest, created_at=iso(now), actor=actor)


# ------------------------------------------------------------------------- dossier -> slip model


def _last_event(view: DossierView, *types: str) -> EventView | None:
    found = [e for e in view.events if e.type in types]
    return found[-1] if found else None


def _dt(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _components(view: DossierView) -> tuple[Component, ...]:
    """Every component of the snapshot, marked provided or not, with what a missing one needs."""
    provided = {p.number: p for p in view.provided}
    missing = set(view.missing)
    out = []
    for number, doc in enumerate(view.procedure.documents, 1):
        originals, copies = doc.originals, doc.copies
        p = provided.get(number)
        if p is not None and p.form == "original":  # the clerk noted what was actually handed in
            originals, copies = p.count or originals or 1, 0
        elif p is not None and p.form == "copy":
            originals, copies = 0, p.count or copies or 1
        out.append(Component(name=doc.name, originals=originals, copies=copies, provided=p is not None,
                             required=number in missing or p is not None or doc.required,
                             needs=(doc.note or "") if number in missing else ""))
    return tuple(out)


def _result_label(done: datetime, due: datetime | None) -> str:
    lb = forms.CONTROL.labels
    if due is None:
        return ""
    if done.date() < due.date():
        return str(lb["early"])
    return str(lb["on_time"] if done <= due else lb["late"])


def _control_rows(view: DossierView, processing: str) -> tuple[ControlRow, ...]:
    """The three hand-overs (counter → agency → counter → citizen), filled in as far as events go."""
    forward = _last_event(view, EV_FORWARD)
    ready = _last_event(view, EV_RESULT_READY)
    returned = _last_event(view, EV_RETURN)
    to = (forward.payload.get("to") if forward else None) or processing
    due = view.original_due_at or view.due_at
    lb = forms.CONTROL.labels
    note = ""
    apology = _last_event(view, EV_APOLOGISE)
    if apology:
        new_due = _dt(apology.payload.get("new_due_at"))
        note = lb["apologised"].format(date=f"{new_due:%d/%m/%Y}") if new_due else lb["apologised_undated"]
    desk = forms.DESK_SENTENCE
    return (
        ControlRow(step=lb["step"].format(giver=desk, taker=to), at=forward.at if forward else None),
        ControlRow(step=lb["step"].format(giver=to, taker=desk), at=ready.at if ready else None,
                   result=_result_label(ready.at, due) if ready else "", note=note),
        ControlRow(step=lb["step"].format(giver=desk, taker=lb["citizen"]), at=returned.at if returned else None),
    )


def _clerk(name: str | None) -> str:
    """The receiving clerk's printed name; the settings placeholder is left blank to write by hand."""
    if not name or name == SETTINGS["clerk_name"].default:
        return ""
    return name


def slip_data(view: DossierView, settings: dict[str, Any], kind: str) -> SlipData:
    """The slip model of one dossier for one kind of slip; UserError when that slip does not apply."""
    a = view.applicant
    agency = Agency(name=settings.get("agency_name") or "", parent=settings.get("parent_agency") or "",
                    place=settings.get("place_name") or "", phone=settings.get("contact_phone") or "",
                    code=settings.get("agency_code") or "")
    proc = view.procedure
    data = SlipData(
        code=view.code,
        agency=agency,
        applicant=Applicant(name=a.name, address=a.address or "", phone=a.phone or "", email=a.email or "",
                            id_number=a.id_number or "", organisation=a.kind == "organisation"),
        procedure_name=proc.name,
        # "Mã thủ tục" is the national code; the counter's own catalogue key means nothing to a citizen.
        procedure_code=proc.national_code or "",
        components=_components(view),
        issued_at=view.received_at or view.first_contact_at,
        received_at=view.received_at,
        due_at=view.due_at,
        processing_time=proc.processing_time.label(),
        fee_amount=view.fee_amount,
        fee_exempt_reason=view.fee_exempt_reason or "",
        fee_receipt_no=view.fee_receipt_no or "",
        channel=view.channel,
        delivery=a.delivery,
        delivery_address=a.delivery_address or "",
        clerk_name=_clerk(view.clerk or settings.get("clerk_name")),
        supplement_note=view.supplement_note or "",
        refusal_reason=view.refusal_reason or "",
        processing_agency=forms.DEFAULT_PROCESSING_AGENCY,
    )
    fixes = [e for e in view.events if e.type == EV_CORRECT]
    if fixes and kind != "control":  # the control slip stays with the file; the citizen's slip is replaced
        last = fixes[-1]
        data = data.with_(replaces=f"Phiếu này thay thế phiếu đã cấp trước đó (thông tin người nộp được sửa ngày "
                                   f"{last.at:%d/%m/%Y}: {last.payload.get('reason') or ''}).")
    name = forms.form(kind).name
    if kind in ("receipt", "control") and view.received_at is None:
        raise UserError(
            f"Hồ sơ {view.code} chưa được tiếp nhận (trạng thái: {view.status.label}): chưa thể in {name.lower()}.",
            f"dossier {view.code} has not been received ({view.status.value}); no {kind} slip",
        )
    if kind == "supplement":
        ev = _last_event(view, EV_SUPPLEMENT, "intake")
        # Only a dossier waiting for papers gets a new request for them: once it is refused, withdrawn
        # or received (supplement done), the slips it was given can be reprinted, not issued anew.
        if view.status != Status.SUPPLEMENT_REQUESTED:
            raise UserError(
                f"Hồ sơ {view.code} không ở trạng thái chờ bổ sung (trạng thái: {view.status.label}): không cấp "
                "phiếu yêu cầu bổ sung. Phiếu đã cấp trước đây có thể in lại.",
                f"dossier {view.code} is not waiting for a supplement ({view.status.value}); no new supplement "
                "slip (reprint an earlier one instead)",
            )
        if not view.missing:
            raise UserError(
                f"Hồ sơ {view.code} không thiếu thành phần nào: không có gì để yêu cầu bổ sung. "
                "Phiếu đã cấp trước đây có thể in lại.",
                f"dossier {view.code} has nothing missing; reprint an earlier supplement slip instead",
            )
        data = data.with_(issued_at=ev.at if ev else view.first_contact_at)
    elif kind == "refusal":
        if view.status != Status.REFUSED:
            raise UserError(f"Hồ sơ {view.code} không bị từ chối (trạng thái: {view.status.label}).",
                            f"dossier {view.code} was not refused ({view.status.value})")
        ev = _last_event(view, EV_REFUSE, "intake")
        data = data.with_(issued_at=ev.at if ev else view.first_contact_at)
    elif kind == "apology":
        ev = _last_event(view, EV_APOLOGISE)
        if ev is None:
            raise UserError(
                f"Hồ sơ {view.code} chưa có lần xin lỗi, hẹn lại nào: hãy ghi nhận việc hẹn lại trước.",
                f"dossier {view.code} has no apology recorded; run `motcua apologise` first",
            )
        p = ev.payload
        previous = _dt(p.get("old_due_at")) or view.original_due_at
        no = int(p.get("apology_no") or 1)
        data = data.with_(issued_at=ev.at, apology_reason=p.get("reason") or "",
                          original_due_at=_dt(p.get("original_due_at")) or previous,
                          previous_due_at=previous, extension_no=no,
                          new_due_at=_dt(p.get("new_due_at")) or view.due_at,
                          number=f"{view.code.rsplit('-', 1)[-1]}.{no}")
    elif kind == "stop":
        ev = _last_event(view, EV_STOP)
        if view.status != Status.STOPPED or ev is None:
            raise UserError(
                f"Hồ sơ {view.code} không bị dừng giải quyết (trạng thái: {view.status.label}): không có thông báo dừng.",
                f"dossier {view.code} was not stopped ({view.status.value}); run `motcua stop` first",
            )
        forward = _last_event(view, EV_FORWARD)
        stage = ((forward.payload.get("to") if forward else None) or forms.DEFAULT_PROCESSING_AGENCY) if forward else ""
        refund = ev.payload.get("refund")
        data = data.with_(issued_at=ev.at, stopped_at=ev.at, stop_reason=ev.payload.get("reason") or "",
                          forwarded_to=stage, fee_refund=refund if isinstance(refund, bool) else None)
    elif kind == "control":
        forward = _last_event(view, EV_FORWARD)
        processing = (forward.payload.get("to") if forward else None) or data.processing_agency
        data = data.with_(processing_agency=processing, control_rows=_control_rows(view, processing))
    return data


def issue_slip(ctx: Context, code: str, kind: str, paper: str | None = None, *,
               copy_to: Path | None = None, force: bool = False) -> ArchivedSlip:
    """Render the dossier's slip of this kind, archive it, and return the archived slip. `copy_to`: also
    write it there (replacing an existing file only with `force`); if that fails, nothing is archived."""
    target = _target(ctx, copy_to, force)
    paper = (paper or default_paper(ctx, kind)).lower()
    check_kind_paper(kind, paper)
    view = dossiers.get(ctx, code)
    fs = form_sets.in_force(ctx)  # the set in force on the printing date
    with forms.using(fs):
        data = slip_data(view, ctx.settings(), kind)
    return archive(ctx, data, kind, paper, copy_to=target, form_set=fs)


def preview(ctx: Context, code: str, kind: str, paper: str | None = None) -> bytes:
    """The PDF as it would be issued, without archiving it (the window's preview)."""
    paper = (paper or default_paper(ctx, kind)).lower()
    check_kind_paper(kind, paper)
    fs = form_sets.in_force(ctx)
    with forms.using(fs):
        return render(kind, slip_data(dossiers.get(ctx, code), ctx.settings(), kind), paper, fs)


# ------------------------------------------------------------------------------ archive reading


def get_slip(ctx: Context, slip_id: int) -> ArchivedSlip:
    row = slip_repo.get(ctx.store, slip_id)
    if row is None:
        raise NotFound(f"Không có phiếu số {slip_id}.", f"no slip with id {slip_id}")
    return _from_row(ctx, row)


def slips_of(ctx: Context, code: str, kind: str | None = None) -> list[ArchivedSlip]:
    """Every slip handed out for a dossier, oldest first (the code as typed: spaces, lower case)."""
    return [_from_row(ctx, r) for r in slip_repo.for_dossier(ctx.store, normalize_code(code), kind)]


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


def reprint(ctx: Context, slip_id: int, printer: str | None = None, *,
            copy_to: Path | None = None, force: bool = False) -> ArchivedSlip:
    """'In lại': the archived file, checked against its recorded hash, and a reprint logged. `copy_to`:
    the file is copied there, and the reprint logged only if the copy was written."""
    target = _target(ctx, copy_to, force)
    slip = get_slip(ctx, slip_id)
    content = _verified(slip)
    now = iso(ctx.now())
    with outputs.pending_output(target, content) as copy, ctx.store.transaction():
        slip_repo.add_print(ctx.store, slip_id=slip_id, printed_at=now, printer=printer, actor=ctx.who(),
                            reprint=True)
        audit_repo.record(ctx.store, at=now, actor=ctx.who(), action="slip_reprint", subject=slip.dossier_code,
                          detail={"slip_id": slip_id, "printer": printer})
        if copy is not None:
            copy.place()
    return slip


def save_copy(ctx: Context, slip_id: int, copy_to: Path, *, force: bool = False) -> Path:
    """The window's "Lưu tệp PDF…": the archived file (checked against its hash) saved where the clerk
    chose, under the rule for named files; audited, not logged as a print."""
    target = _target(ctx, copy_to, force)
    assert target is not None
    slip = get_slip(ctx, slip_id)
    content = _verified(slip)
    now = iso(ctx.now())
    with outputs.pending_output(target, content) as copy, ctx.store.transaction():
        audit_repo.record(ctx.store, at=now, actor=ctx.who(), action="slip_save", subject=slip.dossier_code,
                          detail={"slip_id": slip_id})
        assert copy is not None
        copy.place()
    return target.path


def _verified(slip: ArchivedSlip) -> bytes:
    """The archived file's bytes, refused when it no longer matches the hash recorded at issue."""
    slip_id = slip.id
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
    return content


def prints_of(ctx: Context, slip_id: int) -> list[dict[str, Any]]:
    return slip_repo.prints(ctx.store, slip_id)


def issuable_kinds(ctx: Context, view: DossierView) -> list[str]:
    """The slips this dossier's state allows issuing now (the register offers them), in form order."""
    if view.status is Status.VOIDED:
        return []
    settings = ctx.settings()
    out = []
    for kind in KINDS:
        try:
            slip_data(view, settings, kind)
        except UserError:
            continue
        out.append(kind)
    return out


def kind_name(kind: str) -> str:
    """'Giấy tiếp nhận hồ sơ và hẹn trả kết quả' (the form's name, for menus)."""
    return forms.form(kind).name
