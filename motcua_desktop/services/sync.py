"""Sync with the hub (docs/sync-protocol.md): the hub settings, one push/pull cycle, the outbox and
conflicts as a clerk or supervisor sees them.

Push: the pushable outbox rows in queue order, in batches; a row leaves the outbox only when the hub
answered `accepted` or `duplicate` for it; `rejected` marks it (reason kept, visible, not resent until
retried) and the dossier's later events wait behind it. Pull (after the push): the hub's changes after
our cursor, applied idempotently in ONE local transaction together with the new cursor; a change for a
dossier with local events still to push stops the page there (the cursor stays before it, the next
cycle pushes first); a change the local state forbids becomes a conflict record and the cursor moves on.
Nothing here is needed to receive a dossier: intake never touches the network.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ..domain.accounts import Permission
from ..domain.calendar import check_year, parse_kind
from ..domain.catalog import parse_catalogue
from ..domain.limits import too_long
from ..domain.times import parse_day
from ..domain.dossier import Status
from ..domain.events import HUB_ORIGIN, Event, EventError, status_after
from ..errors import KnownError, UserError
from ..store import audit_repo, calendar_repo, catalog_repo, dossier_repo, sync_repo
from ..sync.client import ChangesPage, HubClient, HubUnreachable, PushAnswer, check_url, skew_seconds
from . import catalog as catalog_service
from . import dossiers
from .context import VN_TZ, Context, iso

DEFAULT_BATCH = 200
MAX_BATCH = 500  # the hub's default max_batch
PULL_LIMIT = 500
MAX_PULL_PAGES = 10_000  # bounds one cycle: 5,000,000 changes
SKEW_LIMIT_S = 300.0  # more than 5 minutes apart is reported

ClientFactory = Callable[[str, str, str | None], HubClient]
ShouldStop = Callable[[], bool]


class SyncStopped(KnownError):
    """The window is closing: the cycle stopped between two batches (what was done stays done)."""


def _default_client(url: str, token: str, ca_file: str | None) -> HubClient:
    return HubClient(url, token, ca_file=ca_file)


# --- hub settings ----------------------------------------------------------------------------------
def mask(token: str | None) -> str | None:
    if not token:
        return None
    return "…" + token[-4:] if len(token) > 12 else "…"


def check_hub(url: str, token: str) -> tuple[str, str]:
    """The hub URL and counter token as `set_hub` stores them, or UserError (nothing written)."""
    clean_url = check_url(url)
    tok = (token or "").strip()
    if not tok or any(ch.isspace() for ch in tok) or len(tok) > 512:
        raise UserError("Mã truy cập (token) của quầy không hợp lệ.", "the counter token is empty or malformed")
    return clean_url, tok


def set_hub(ctx: Context, url: str, token: str, ca_file: str | None = None) -> dict[str, Any]:
    """Point this counter at a hub with its token (shown once by `motcua-hub add-counter`). A new hub
    URL starts reading its changes from the beginning (its cursor means nothing elsewhere)."""
    ctx.require(Permission.SETTINGS)
    clean_url, tok = check_hub(url, token)
    ca: str | None = None
    if ca_file:
        path = Path(ca_file).expanduser().resolve()
        if not path.is_file() or not os.access(path, os.R_OK):
            raise UserError(f"Không đọc được tệp CA {ca_file}.", f"CA file {ca_file} is not a readable file")
        ca = str(path)
    if clean_url.startswith("http:") and ca:
        raise UserError("Tệp CA chỉ dùng với địa chỉ https://.", "--ca-file needs an https:// hub URL")
    now = iso(ctx.now())
    with ctx.store.transaction():
        before = sync_repo.state(ctx.store)
        sync_repo.set_hub(ctx.store, url=clean_url, token=tok, ca_file=ca, now=now,
                          reset_cursor=before.get("hub_url") != clean_url)
        audit_repo.record(ctx.store, at=now, actor=ctx.who(), action="sync.hub_set", subject=clean_url,
                          detail={"ca_file": ca})  # never the token
    return show_hub(ctx)


def show_hub(ctx: Context) -> dict[str, Any]:
    st = sync_repo.state(ctx.store)
    counts = sync_repo.counts(ctx.store)
    skew = st.get("last_skew_s")
    return {"url": st.get("hub_url"), "token": mask(st.get("token")), "ca_file": st.get("ca_file"),
            "pull_cursor": st.get("pull_cursor"), "last_attempt_at": st.get("last_attempt_at"),
            "last_success_at": st.get("last_success_at"), "last_error": st.get("last_error"),
            "last_skew_s": skew, "skew_warning": bool(skew is not None and abs(skew) > SKEW_LIMIT_S),
            "outbox": counts, "open_conflicts": sync_repo.open_conflict_count(ctx.store),
            **{kind: in_force(st, kind) for kind in sync_repo.PUBLISHED_KINDS}}


def in_force(st: dict[str, Any], kind: str) -> dict[str, Any]:
    """Which catalogue / calendar is in force: {source 'hub'|'local'|None, label ('hub v3' or the
    local file), hub_version (the newest applied from the hub), applied_at}."""
    return {"source": st.get(f"{kind}_source"), "label": st.get(f"{kind}_label"),
            "hub_version": st.get(f"{kind}_hub_version"), "applied_at": st.get(f"{kind}_applied_at")}


# --- the outbox and conflicts as people see them --------------------------------------------------
def outbox(ctx: Context, limit: int = 1000) -> list[dict[str, Any]]:
    """Every event not yet on the hub: waiting, queued behind a rejected one, or rejected (with why)."""
    out = []
    for r in sync_repo.listing(ctx.store, limit):
        state = "rejected" if r["state"] == "rejected" else "blocked" if r["blocked"] else "waiting"
        out.append({"event_id": r["event_id"], "dossier_code": r["dossier_code"], "type": r["type"],
                    "seq": r["seq"], "at": r["at"], "actor": r["actor"], "queued_at": r["queued_at"],
                    "state": state, "attempts": r["attempts"], "last_attempt_at": r["last_attempt_at"],
                    "last_error": r["last_error"], "rejected_at": r["rejected_at"],
                    "reason": r["rejected_reason"], "detail": r["rejected_detail"]})
    return out


def conflicts(ctx: Context, include_resolved: bool = False) -> list[dict[str, Any]]:
    out = []
    for r in sync_repo.conflicts(ctx.store, include_resolved=include_resolved):
        out.append({"id": r["id"], "dossier_code": r["dossier_code"], "origin": r["origin"], "reason": r["reason"],
                    "detail": r["detail"], "local_event_id": r["local_event_id"], "local_status": r["local_status"],
                    "hub_event_id": r["hub_event_id"],
                    "hub_event": json.loads(r["hub_event"]) if r["hub_event"] else None,
                    "hub_status": r["hub_status"], "hub_conflict_id": r["hub_conflict_id"],
                    "opened_at": r["opened_at"], "resolved_at": r["resolved_at"], "resolved_by": r["resolved_by"],
                    "resolution": json.loads(r["resolution"]) if r["resolution"] else None})
    return out


def retry(ctx: Context, event_id: str | None) -> list[str]:
    """A supervisor re-queues a rejected event (or all of them): the next sync sends it again, and the
    dossier's events queued behind it follow."""
    ctx.require(Permission.SYNC_RESOLVE)
    now = iso(ctx.now())
    with ctx.store.transaction():
        if event_id is not None:
            row = sync_repo.outbox_row(ctx.store, event_id.strip().lower())
            if row is None:
                raise UserError(f"Không có sự kiện {event_id} trong hàng đợi gửi hub.",
                                f"no event {event_id} in the outbox")
            if row["state"] != "rejected":
                raise UserError(f"Sự kiện {event_id} không bị từ chối; nó đang chờ gửi.",
                                f"event {event_id} was not rejected; it is waiting to be sent")
        ids = sync_repo.retry(ctx.store, event_id.strip().lower() if event_id else None)
        for i in ids:
            audit_repo.record(ctx.store, at=now, actor=ctx.who(), action="sync.outbox_retry", subject=i)
    return ids


# --- one cycle -------------------------------------------------------------------------------------
@dataclass
class SyncReport:
    hub_url: str
    sent: int = 0
    accepted: int = 0
    duplicate: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)
    batches: int = 0
    pulled: int = 0  # changes read from the hub
    applied: int = 0
    already: int = 0  # changes this counter had already applied
    waiting: int = 0  # changes held back behind local events still to push
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    skew_s: float | None = None
    skew_warning: bool = False
    outbox: dict[str, int] = field(default_factory=dict)
    catalog: dict[str, Any] | None = None  # a hub catalogue version applied in this cycle
    calendar: dict[str, Any] | None = None  # a hub calendar version applied in this cycle
    published_errors: list[str] = field(default_factory=list)  # a published version this counter refused
    pushed_codes: list[str] = field(default_factory=list)  # dossiers whose events reached the hub
    applied_codes: list[str] = field(default_factory=list)  # dossiers a hub change updated here
    error: str | None = None

    @property
    def changed_codes(self) -> set[str]:
        """Every dossier this cycle changed as the window shows it (its state or its sync line)."""
        return {*self.pushed_codes, *self.applied_codes, *(x["dossier_code"] for x in self.rejected),
                *(c["dossier_code"] for c in self.conflicts)}

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _wire(row: dict[str, Any]) -> dict[str, Any]:
    return {"schema_version": 1, "id": row["id"], "type": row["type"], "dossier_code": row["dossier_code"],
            "seq": row["seq"], "at": row["at"], "recorded_at": row["recorded_at"], "actor": row["actor"],
            "payload": json.loads(row["payload"])}


def _aware_now(ctx: Context) -> datetime:
    return ctx.now().replace(tzinfo=VN_TZ)


def _note_skew(ctx: Context, report: SyncReport, hub_time: str | None) -> None:
    skew = skew_seconds(hub_time, _aware_now(ctx))
    if skew is not None:
        report.skew_s = round(skew, 1)
        report.skew_warning = abs(skew) > SKEW_LIMIT_S


def _apply_push(ctx: Context, rows: list[dict[str, Any]], answer: PushAnswer, report: SyncReport) -> None:
    """One transaction per answer: delete what the hub has, mark what it rejected (+ conflicts)."""
    now = iso(ctx.now())
    by_id = {r["id"]: r for r in rows}
    done: list[str] = []
    with ctx.store.transaction():
        for result in answer.results:
            kind = result["result"]
            if kind in ("accepted", "duplicate"):
                done.append(result["id"])
                code = by_id[result["id"]]["dossier_code"]
                if not report.pushed_codes or report.pushed_codes[-1] != code:
                    report.pushed_codes.append(code)
                if kind == "accepted":
                    report.accepted += 1
                else:
                    report.duplicate += 1
                continue
            reason = str(result.get("reason") or "rejected")
            row = by_id[result["id"]]
            if reason == "after_rejected":
                # Not this event's fault: it stays pending, queued behind the dossier's rejected one.
                sync_repo.note_attempt(ctx.store, [row["id"]], at=now, error="after_rejected")
                continue
            detail = str(result.get("detail") or "") or None
            sync_repo.mark_rejected(ctx.store, row["id"], reason=reason, detail=detail, at=now)
            report.rejected.append({"event_id": row["id"], "dossier_code": row["dossier_code"], "type": row["type"],
                                    "reason": reason, "detail": detail})
            opens_conflict = reason == "transition_not_allowed" or result.get("conflict_id") is not None
            if opens_conflict and not sync_repo.has_open_push_conflict(ctx.store, row["id"]):
                local = dossier_repo.get(ctx.store, row["dossier_code"])
                conflict_id = result.get("conflict_id")
                hub_status = _known_status(result.get("hub_status"))
                cid = sync_repo.add_conflict(
                    ctx.store, dossier_code=row["dossier_code"], origin="push", reason=reason, detail=detail,
                    opened_at=now, local_event_id=row["id"], local_status=local["status"] if local else None,
                    hub_status=hub_status, hub_conflict_id=int(conflict_id) if isinstance(conflict_id, int) else None)
                report.conflicts.append({"id": cid, "dossier_code": row["dossier_code"], "origin": "push",
                                         "reason": reason, "local_event_id": row["id"],
                                         "hub_status": hub_status, "hub_conflict_id": conflict_id})
            audit_repo.record(ctx.store, at=now, actor=ctx.who(), action="sync.rejected", subject=row["dossier_code"],
                              detail={"event_id": row["id"], "reason": reason})
        sync_repo.delete(ctx.store, done)


def _known_status(value: Any) -> str | None:
    """The hub's status as it named it, when it is one of ours (anything else is not shown as a status)."""
    try:
        return Status(value).value if isinstance(value, str) else None
    except ValueError:
        return None


def _check_stop(should_stop: ShouldStop | None) -> None:
    if should_stop is not None and should_stop():
        raise SyncStopped("Đã dừng đồng bộ (đang đóng chương trình).", "sync stopped: the window is closing")


def _push(ctx: Context, client: HubClient, report: SyncReport, batch_size: int,
          should_stop: ShouldStop | None = None) -> None:
    size = max(1, min(batch_size, MAX_BATCH))
    after = 0
    # Bounded: every pass either moves `after` forward or halves the batch size.
    for _ in range(sync_repo.pushable_count(ctx.store) * 2 + 20):
        _check_stop(should_stop)
        rows = sync_repo.pushable(ctx.store, size, after)
        if not rows:
            return
        events = [_wire(r) for r in rows]
        try:
            answer = client.push(events, sent_at=_aware_now(ctx).isoformat(timespec="seconds"))
        except HubUnreachable as e:
            with ctx.store.transaction():
                sync_repo.note_attempt(ctx.store, [r["id"] for r in rows], at=iso(ctx.now()), error=e.message_en)
            raise
        report.batches += 1
        if answer.too_large:
            if size == 1:
                answer = PushAnswer(results=[{"id": rows[0]["id"], "result": "rejected", "reason": "too_large",
                                              "detail": "the hub refuses this event's size (413)"}])
            else:
                size = max(1, size // 2)
                continue
        if answer.forbidden_ids:
            # 403 for the whole batch, nothing stored: mark the named events, send the rest again.
            forbidden = set(answer.forbidden_ids)
            refused = PushAnswer(results=[{"id": r["id"], "result": "rejected", "reason": "forbidden",
                                           "detail": answer.forbidden_detail} for r in rows if r["id"] in forbidden])
            if not refused.results:
                raise KnownError("Hub từ chối lô sự kiện nhưng không nêu sự kiện nào.",
                                 "hub answered 403 naming no event of the batch")
            _apply_push(ctx, [r for r in rows if r["id"] in forbidden], refused, report)
            report.sent += len(refused.results)
            continue  # `after` unchanged: the rest of the batch goes again
        report.sent += len(rows)
        _note_skew(ctx, report, answer.hub_time)
        _apply_push(ctx, rows, answer, report)
        after = rows[-1]["position"]
    raise KnownError("Đẩy sự kiện lên hub không kết thúc (lỗi nội bộ).", "push did not terminate (bug)")


def _time(text: str) -> str:
    return text if len(text) > 16 else text + ":00"


def hub_changes(row: dict[str, Any], current: Status, new: Status, *, at: str, due_at: Any) -> dict[str, Any]:
    """The dossier row's fields a status taken from the hub sets: when the result became ready, and a
    new due date (the first one given kept as `original_due_at`)."""
    changes: dict[str, Any] = {}
    if new is Status.RESULT_READY and current is not Status.RESULT_READY:
        changes["result_ready_at"] = _time(at)
    if isinstance(due_at, str) and due_at:
        changes["due_at"] = _time(due_at)
        changes["original_due_at"] = row["original_due_at"] or row["due_at"] or _time(due_at)
    return changes


def _apply_change(ctx: Context, change: dict[str, Any], report: SyncReport) -> bool:
    """Apply one hub change inside the caller's transaction; False = it must wait (stop here)."""
    now = iso(ctx.now())
    data = change["event"]
    code = str(data.get("dossier_code") or "?") if isinstance(data, dict) else "?"

    def conflict(reason: str, detail: str, local_status: str | None, hub_status: str | None) -> None:
        hub_event = dict(data) if isinstance(data, dict) else {"raw": data}
        if not isinstance(hub_event.get("id"), str):  # the conflict still needs a key of its own
            hub_event["id"] = f"cursor:{change.get('cursor')}"
        cid = sync_repo.add_conflict(ctx.store, dossier_code=code, origin="pull", reason=reason, detail=detail,
                                     opened_at=now, local_event_id=sync_repo.last_event_id(ctx.store, code),
                                     local_status=local_status, hub_event=hub_event, hub_status=hub_status)
        if cid:
            report.conflicts.append({"id": cid, "dossier_code": code, "origin": "pull", "reason": reason,
                                     "local_status": local_status, "hub_status": hub_status})
            audit_repo.record(ctx.store, at=now, actor=ctx.who(), action="sync.conflict", subject=code,
                              detail={"reason": reason, "hub_event_id": hub_event.get("id")})

    try:
        event = Event.from_wire(data)
    except EventError as e:
        conflict("invalid_event", e.detail, None, None)
        return True
    if event.type not in HUB_ORIGIN:
        conflict("not_a_hub_event", f"the hub sent a {event.type} event as a change", None, None)
        return True
    if dossier_repo.event_exists(ctx.store, event.id):
        report.already += 1
        return True
    row = dossier_repo.get(ctx.store, event.dossier_code)
    if row is None:
        conflict("unknown_dossier", f"{code} is not in this counter's store", None, event.status.value)
        return True
    if sync_repo.has_pushable(ctx.store, event.dossier_code):
        report.waiting += 1
        return False
    current = Status(row["status"])
    try:
        status_after(current, event)
    except EventError as e:
        conflict(e.reason, e.detail, current.value, event.status.value)
        return True
    changes = hub_changes(row, current, event.status, at=event.at, due_at=event.payload.get("due_at"))
    dossiers.record(ctx, event.dossier_code, current, event_type=event.type, payload=dict(event.payload),
                    at=_time(event.at), now=now, actor=event.actor, changes=changes, event_id=event.id,
                    outbox=False, audit_action="dossier.hub_status",
                    audit_detail={"hub_event_id": event.id, **dict(event.payload)})
    report.applied += 1
    report.applied_codes.append(event.dossier_code)
    return True


def _pull(ctx: Context, client: HubClient, report: SyncReport, limit: int,
          should_stop: ShouldStop | None = None) -> None:
    cursor = sync_repo.state(ctx.store).get("pull_cursor")
    for _ in range(MAX_PULL_PAGES):
        _check_stop(should_stop)
        page: ChangesPage = client.changes(cursor, limit)
        report.pulled += len(page.changes)
        _note_skew(ctx, report, page.hub_time)
        stopped = False
        with ctx.store.transaction():
            if sync_repo.state(ctx.store).get("pull_cursor") != cursor:
                # Another sync of this counter moved the cursor meanwhile: read again from there.
                cursor = sync_repo.state(ctx.store).get("pull_cursor")
                report.pulled -= len(page.changes)
                continue
            new_cursor = cursor
            for change in page.changes:
                if not _apply_change(ctx, change, report):
                    stopped = True
                    break
                new_cursor = str(change["cursor"])
            if not stopped and page.next_cursor is not None and page.changes:
                new_cursor = page.next_cursor
            sync_repo.set_cursor(ctx.store, new_cursor)
        cursor = new_cursor
        if stopped or not page.more or not page.changes:
            return


# --- the province's catalogue and calendar --------------------------------------------------------
class _Refused(Exception):
    """A published version this counter cannot apply: nothing of it was written."""


def _pull_published(ctx: Context, client: HubClient, report: SyncReport) -> None:
    """The newest catalogue and calendar the hub published after the versions applied here, each
    applied in one transaction (with the version it came as)."""
    for kind, apply in (("catalog", _apply_catalog), ("calendar", _apply_calendar)):
        st = sync_repo.state(ctx.store)
        after = int(st.get(f"{kind}_hub_version") or 0)
        pub = client.published(kind, after)
        if pub is None:
            continue
        try:
            setattr(report, kind, apply(ctx, pub, st))
        except _Refused as e:
            report.published_errors.append(f"{kind} v{pub['version']}: {e}")


def _apply_catalog(ctx: Context, pub: dict[str, Any], st: dict[str, Any]) -> dict[str, Any]:
    version = int(pub["version"])
    procedures, problems = parse_catalogue(pub["content"])
    if problems:
        raise _Refused(f"{len(problems)} problem(s): " + "; ".join(str(p) for p in problems[:5]))
    label, at = f"hub v{version}", iso(ctx.now())
    with ctx.store.transaction():
        clashes = catalog_repo.case_clashes(ctx.store, [p.code for p in procedures])
        if clashes:
            raise _Refused("codes that differ from this counter's only in case: "
                           + ", ".join(f"{a}/{b}" for a, b in clashes[:5]))
        # The counter's own import code: a changed procedure gets a new version; a dossier keeps the
        # snapshot it was received under (it stores it), so nothing received moves.
        counts = catalog_repo.apply_import(ctx.store, procedures, aliases=catalog_service.aliases, source=label,
                                           at=at)
        detail = {"procedures": len(procedures), "added": counts.added, "updated": counts.updated,
                  "unchanged": counts.unchanged, "sha256": pub.get("sha256")}
        audit_repo.record(ctx.store, at=at, actor=ctx.who(), action="catalog.hub", subject=label, detail=detail)
        sync_repo.set_published(ctx.store, "catalog", source="hub", label=label, at=at, hub_version=version)
    return {"version": version, **detail}


def _apply_calendar(ctx: Context, pub: dict[str, Any], st: dict[str, Any]) -> dict[str, Any]:
    version = int(pub["version"])
    content = pub["content"]
    days = content.get("days") if isinstance(content, dict) else None
    if not isinstance(days, list) or not days:
        raise _Refused("no days")
    rows: dict[str, tuple[str, str | None]] = {}
    for i, d in enumerate(days):
        try:
            if not isinstance(d, dict) or not isinstance(d.get("date"), str):
                raise UserError("not a day", "not a day")
            day = parse_day(d["date"])
            check_year(day)
            kind = parse_kind(str(d.get("kind")))
            note = d.get("note")
            if note is not None and (not isinstance(note, str) or too_long("calendar_note", note)):
                raise UserError("bad note", "bad note")
        except UserError as e:
            raise _Refused(f"days[{i}]: {e.message_en}") from None
        rows[day.isoformat()] = (kind, note or None)
    previous = json.loads(st.get("calendar_hub_days") or "{}")
    label, at = f"hub v{version}", iso(ctx.now())
    removed = 0
    with ctx.store.transaction():
        # A day the previous hub version set and this one drops goes, unless it was changed here since.
        for day_text, (kind, note) in previous.items():
            if day_text in rows:
                continue
            here = calendar_repo.get(ctx.store, parse_day(day_text))
            if here is not None and (here["kind"], here["note"]) == (kind, note):
                calendar_repo.delete(ctx.store, parse_day(day_text))
                removed += 1
        # The same override code a local CSV import uses. Appointments already given are stored on
        # their dossiers and never recomputed: only dossiers received from now on see the new days.
        for day_text, (kind, note) in rows.items():
            calendar_repo.put(ctx.store, parse_day(day_text), kind, note, at)
        detail = {"days": len(rows), "removed": removed, "sha256": pub.get("sha256")}
        audit_repo.record(ctx.store, at=at, actor=ctx.who(), action="calendar.hub", subject=label, detail=detail)
        sync_repo.set_published(ctx.store, "calendar", source="hub", label=label, at=at, hub_version=version,
                                hub_days=json.dumps(rows, ensure_ascii=False, sort_keys=True))
    return {"version": version, **detail}


def sync(ctx: Context, *, batch_size: int = DEFAULT_BATCH, pull_limit: int = PULL_LIMIT,
         client_factory: ClientFactory = _default_client, should_stop: ShouldStop | None = None) -> SyncReport:
    """One cycle: push everything pushable, then pull until the hub has no more. Raises KnownError
    (HubUnreachable, TokenRefused…) after recording the failure; what was done before it stays done.
    `should_stop` is asked before each batch and page (the window closing): SyncStopped then, with
    every answered batch applied and every unanswered one still in the outbox."""
    st = sync_repo.state(ctx.store)
    if not st.get("hub_url") or not st.get("token"):
        raise KnownError("Quầy chưa được nối với hub: chạy 'motcua hub set URL --token T' trước.",
                         "no hub set up; run 'motcua hub set URL --token T' first")
    report = SyncReport(hub_url=st["hub_url"])
    client = client_factory(st["hub_url"], st["token"], st.get("ca_file"))
    try:
        _push(ctx, client, report, batch_size, should_stop)
        _pull(ctx, client, report, max(1, min(pull_limit, 1000)), should_stop)
        _check_stop(should_stop)
        _pull_published(ctx, client, report)
    except SyncStopped:
        raise  # not a failure of the hub: the last contact stays as it was
    except KnownError as e:
        report.error = e.message_en
        with ctx.store.transaction():
            sync_repo.record_contact(ctx.store, at=iso(ctx.now()), error=e.message_en, skew_s=report.skew_s)
        raise
    finally:
        client.close()
    with ctx.store.transaction():
        sync_repo.record_contact(ctx.store, at=iso(ctx.now()), error=None, skew_s=report.skew_s)
    report.outbox = sync_repo.counts(ctx.store)
    return report
