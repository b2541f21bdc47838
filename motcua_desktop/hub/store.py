"""The hub's storage operations (SQLAlchemy Core). Everything the API and the CLI do goes through here.

Concurrency: every write is one transaction. On SQLite `BEGIN IMMEDIATE` serialises writers. On
PostgreSQL a transaction first takes advisory locks on the dossiers it touches (in one sorted order,
so two never deadlock), then reads and writes them; a writer of the change feed also takes FEED_LOCK
just before it inserts, held to its commit, so feed ids become visible in id order and a reader's
`id > cursor` never skips a change committed late. A unique-key race the locks do not cover (the same
event id pushed under two different dossiers at once) rolls back and the whole batch runs again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import secrets
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Literal, TypeVar

from sqlalchemy import (ARRAY, Connection, Engine, String, Table, and_, any_, bindparam, case, cast, func, insert, or_,
                        select, text, update)
from sqlalchemy.exc import DBAPIError, IntegrityError

from motcua_desktop.domain.codes import parse_code
from motcua_desktop.domain.dossier import Status
from motcua_desktop.domain.events import HUB_ORIGIN, Event, EventError, new_event_id, status_after

from .db import is_postgresql
from .schema import changes, clients, conflicts, dossiers, events

log = logging.getLogger("motcua_hub")

HUB_TZ = timezone(timedelta(hours=7), "ICT")  # Asia/Ho_Chi_Minh: no DST
FEED_LOCK = (2, 0)  # pg_advisory_xact_lock(2, 0): the change feed's writers
DOSSIER_LOCK_SPACE = 1  # pg_advisory_xact_lock(1, hash(code)): one dossier's writers
_TIME_MINUTES = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$", re.ASCII)
HUB_STATUSES = ("in_progress", "result_ready", "stopped")

T = TypeVar("T")


# --- clocks -----------------------------------------------------------------------------------------
def now() -> datetime:
    return datetime.now(HUB_TZ).replace(microsecond=0)


def hub_time() -> str:
    return now().isoformat()


def wall_clock(moment: datetime) -> str:
    """The agency's wall clock as events carry it: naive 'YYYY-MM-DDTHH:MM:SS'."""
    return moment.astimezone(HUB_TZ).strftime("%Y-%m-%dT%H:%M:%S")


# --- errors -----------------------------------------------------------------------------------------
class HubError(Exception):
    """A request the hub refuses; `status` is the HTTP status, `code` a short machine word."""

    status = 400

    def __init__(self, code: str, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.extra = extra


class BadInput(HubError):
    status = 422


class NotFound(HubError):
    status = 404


class Forbidden(HubError):
    status = 403


class Unauthorized(HubError):
    status = 401


class Refused(HubError):
    """The hub's state does not allow it (HTTP 409)."""
    status = 409


# --- transactions -----------------------------------------------------------------------------------
def write(engine: Engine, work: Callable[[Connection], T], *, attempts: int = 4) -> T:
    """Run `work` in one write transaction; again from scratch after a lost race (PostgreSQL)."""
    for attempt in range(attempts):
        try:
            with engine.begin() as conn:
                return work(conn)
        except (IntegrityError, DBAPIError) as e:
            if attempt == attempts - 1 or not _retryable(e):
                raise
            time.sleep(0.01 * (attempt + 1) + secrets.randbelow(20) / 1000)
    raise AssertionError("unreachable")


def _retryable(e: DBAPIError) -> bool:
    if isinstance(e, IntegrityError):
        return True  # a unique key another transaction took meanwhile: the rerun sees it
    sqlstate = getattr(e.orig, "sqlstate", None)
    return sqlstate in ("40001", "40P01")  # serialization failure, deadlock


def read(engine: Engine) -> Connection:
    """A connection for reading (on SQLite a DEFERRED transaction: it never takes the write lock)."""
    conn = engine.connect()
    if engine.dialect.name == "sqlite":
        conn = conn.execution_options(sqlite_begin="DEFERRED")
    return conn


def lock_dossiers(conn: Connection, codes: Iterable[str]) -> None:
    if not is_postgresql(conn):
        return
    keys = sorted({_lock_key(c) for c in codes})
    if keys:
        conn.execute(text("SELECT pg_advisory_xact_lock(:space, k) FROM unnest(CAST(:keys AS integer[])) "
                          "WITH ORDINALITY AS t(k, n) ORDER BY n"), {"space": DOSSIER_LOCK_SPACE, "keys": keys})


def lock_feed(conn: Connection) -> None:
    if is_postgresql(conn):
        conn.execute(text("SELECT pg_advisory_xact_lock(:a, :b)"), {"a": FEED_LOCK[0], "b": FEED_LOCK[1]})


def _lock_key(code: str) -> int:
    return int.from_bytes(hashlib.sha256(code.encode()).digest()[:4], "big", signed=True)


# --- clients (tokens) -------------------------------------------------------------------------------
ClientKind = Literal["counter", "processor"]


@dataclass(frozen=True)
class Client:
    id: int
    kind: ClientKind
    agency_code: str
    slot: int | None
    name: str | None

    @property
    def label(self) -> str:
        return f"{self.agency_code}/{self.slot}" if self.kind == "counter" else f"{self.agency_code}:processor{self.id}"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _check_agency(agency_code: str) -> None:
    from motcua_desktop.domain.settings import AGENCY_CODE
    if not AGENCY_CODE.match(agency_code):
        raise BadInput("bad_agency_code", f"{agency_code!r} is not an agency code (shape 000.00.01.H22)")


def _is_agency(text: str) -> bool:
    from motcua_desktop.domain.settings import AGENCY_CODE
    return AGENCY_CODE.match(text) is not None


def add_counter(engine: Engine, agency_code: str, slot: int, name: str | None = None) -> str:
    """Register a counter; returns its token (shown once, only its SHA-256 is kept)."""
    _check_agency(agency_code)
    if not 0 <= slot <= 9:
        raise BadInput("bad_slot", f"slot must be 0-9, not {slot}")
    token = secrets.token_urlsafe(32)

    def work(conn: Connection) -> None:
        taken = conn.execute(select(clients.c.id).where(
            clients.c.kind == "counter", clients.c.agency_code == agency_code, clients.c.slot == slot,
            clients.c.revoked_at.is_(None))).first()
        if taken:
            raise BadInput("counter_exists", f"counter {agency_code}/{slot} is already registered "
                                             "(revoke-counter first to issue a new token)")
        conn.execute(insert(clients).values(kind="counter", agency_code=agency_code, slot=slot, name=name,
                                            token_hash=token_hash(token), created_at=hub_time()))

    write(engine, work, attempts=1)
    return token


def revoke_counter(engine: Engine, agency_code: str, slot: int) -> None:
    def work(conn: Connection) -> None:
        r = conn.execute(update(clients).where(
            clients.c.kind == "counter", clients.c.agency_code == agency_code, clients.c.slot == slot,
            clients.c.revoked_at.is_(None)).values(revoked_at=hub_time()))
        if r.rowcount == 0:
            raise NotFound("no_counter", f"no active counter {agency_code}/{slot}")

    write(engine, work, attempts=1)


def add_processor(engine: Engine, agency_code: str, name: str) -> str:
    _check_agency(agency_code)
    if not name.strip() or len(name) > 200:
        raise BadInput("bad_name", "a processor's name is 1-200 characters")
    token = secrets.token_urlsafe(32)

    def work(conn: Connection) -> None:
        taken = conn.execute(select(clients.c.id).where(
            clients.c.kind == "processor", clients.c.agency_code == agency_code, clients.c.name == name,
            clients.c.revoked_at.is_(None))).first()
        if taken:
            raise BadInput("processor_exists", f"processor {name!r} of {agency_code} is already registered")
        conn.execute(insert(clients).values(kind="processor", agency_code=agency_code, name=name,
                                            token_hash=token_hash(token), created_at=hub_time()))

    write(engine, work, attempts=1)
    return token


def revoke_processor(engine: Engine, agency_code: str, name: str) -> None:
    def work(conn: Connection) -> None:
        r = conn.execute(update(clients).where(
            clients.c.kind == "processor", clients.c.agency_code == agency_code, clients.c.name == name,
            clients.c.revoked_at.is_(None)).values(revoked_at=hub_time()))
        if r.rowcount == 0:
            raise NotFound("no_processor", f"no active processor {name!r} of {agency_code}")

    write(engine, work, attempts=1)


def authenticate(engine: Engine, token: str | None) -> Client:
    if not token:
        raise Unauthorized("missing_token", "Authorization: Bearer <token> required")
    with read(engine) as conn:
        row = conn.execute(select(clients).where(clients.c.token_hash == token_hash(token))).first()
    if row is None or row.revoked_at is not None:
        raise Unauthorized("bad_token", "unknown or revoked token")
    kind: ClientKind = "counter" if row.kind == "counter" else "processor"
    return Client(id=row.id, kind=kind, agency_code=row.agency_code, slot=row.slot, name=row.name)


def list_counters(engine: Engine) -> list[dict[str, Any]]:
    with read(engine) as conn:
        rows = conn.execute(select(clients).where(clients.c.kind == "counter")
                            .order_by(clients.c.agency_code, clients.c.slot, clients.c.id)).all()
    return [{"agency_code": r.agency_code, "slot": r.slot, "name": r.name, "active": r.revoked_at is None,
             "created_at": r.created_at, "revoked_at": r.revoked_at, "last_contact_at": r.last_contact_at,
             "events_received": int(r.events_received), "clock_skew_s": r.last_skew_s,
             "max_clock_skew_s": r.max_skew_s} for r in rows]


def touch(engine: Engine, client: Client) -> None:
    """Record a contact (a pull) without a skew."""
    def work(conn: Connection) -> None:
        conn.execute(update(clients).where(clients.c.id == client.id).values(last_contact_at=hub_time()))

    write(engine, work)


# --- push -------------------------------------------------------------------------------------------
@dataclass
class _Dossier:
    code: str
    status: Status
    last_seq: int
    event_count: int
    new: bool = False
    current: dict[str, Any] = field(default_factory=dict)  # its row's mutable columns as read
    values: dict[str, Any] = field(default_factory=dict)  # columns to write


# What later events may change in a dossier's row.
_MUTABLE = ("status", "received_at", "due_at", "last_seq", "event_count", "updated_at", "processing_agency")


def in_scope(client: Client, code: str) -> bool:
    parsed = parse_code(code)
    if parsed is None or str(parsed) != code:
        return True  # not a code at all: the event is rejected on its own (bad_field)
    return parsed.agency == client.agency_code and parsed.slot == client.slot


def _mine(client: Client, code: str) -> bool:
    """For a code Event.from_wire and parse_code accepted: the counter's agency and slot?"""
    agency, _, rest = code.partition("-")
    return agency == client.agency_code and int(rest[-4:]) // 1000 == client.slot


def parse_sent_at(value: Any) -> datetime:
    if not isinstance(value, str):
        raise BadInput("bad_field", "sent_at: expected an ISO 8601 time with offset")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise BadInput("bad_field", f"sent_at: {value[:40]!r} is not an ISO 8601 time") from None
    if moment.tzinfo is None:
        raise BadInput("bad_field", "sent_at: the time needs its offset (e.g. +07:00)")
    return moment


def validate_push(body: Any, max_batch: int) -> tuple[datetime, list[Any]]:
    """The envelope `{"sent_at": …, "events": […]}` (BadInput → 422); the events stay raw."""
    if not isinstance(body, dict):
        raise BadInput("bad_envelope", "expected an object {\"sent_at\": …, \"events\": […]}")
    unknown = sorted(set(body) - {"sent_at", "events"})
    if unknown:
        raise BadInput("unknown_field", f"unknown field(s) {', '.join(map(str, unknown))[:200]}")
    for key in ("sent_at", "events"):
        if key not in body:
            raise BadInput("missing_field", f"{key} is required")
    sent_at = parse_sent_at(body["sent_at"])
    batch = body["events"]
    if not isinstance(batch, list):
        raise BadInput("bad_field", "events: expected a list")
    if len(batch) > max_batch:
        raise TooLarge("batch_too_large", f"{len(batch)} events in one batch; at most {max_batch}")
    return sent_at, batch


class TooLarge(HubError):
    status = 413


def push(engine: Engine, client: Client, sent_at: datetime, batch: Sequence[Any]) -> list[dict[str, Any]]:
    """Store a batch of counter events in one transaction; one result per event, in order."""
    # Validate outside the transaction (pure CPU work).
    parsed: list[Event | EventError] = []
    real_code: dict[str, bool] = {}  # parse_code once per dossier, not once per event
    for raw in batch:
        try:
            ev = Event.from_wire(raw)
            if ev.dossier_code not in real_code:
                real_code[ev.dossier_code] = parse_code(ev.dossier_code) is not None
            if not real_code[ev.dossier_code]:  # the shape is right, the date or number is not
                raise EventError("bad_field", f"dossier_code: {ev.dossier_code} is not a code a counter issues")
            parsed.append(ev)
        except EventError as e:
            parsed.append(e)
        except (RecursionError, TypeError, ValueError):
            parsed.append(EventError("bad_event", "the event cannot be read"))
    foreign = [ev.id for ev in parsed if isinstance(ev, Event) and not _mine(client, ev.dossier_code)]
    foreign += [raw["id"] for raw, ev in zip(batch, parsed) if isinstance(ev, EventError) and isinstance(raw, dict)
                and isinstance(raw.get("dossier_code"), str) and isinstance(raw.get("id"), str)
                and not in_scope(client, raw["dossier_code"])]
    if foreign:
        raise Forbidden("foreign_dossier", f"{len(foreign)} event(s) for dossiers outside counter "
                        f"{client.agency_code}/{client.slot}", event_ids=foreign)
    # The canonical body once per event: it is both what is stored and what the hash is taken over.
    bodies = {i: ev.to_json() for i, ev in enumerate(parsed) if isinstance(ev, Event)}
    hashes = {i: hashlib.sha256(body.encode("utf-8")).hexdigest() for i, body in bodies.items()}
    skew = int((sent_at - now()).total_seconds())

    def work(conn: Connection) -> list[dict[str, Any]]:
        return _push_tx(conn, client, batch, parsed, hashes, skew, bodies)

    results = write(engine, work)
    counts: dict[str, int] = {}
    for r in results:
        counts[r["result"]] = counts.get(r["result"], 0) + 1
    log.info("push counter=%s events=%d %s skew_s=%d", client.label, len(batch),
             " ".join(f"{k}={v}" for k, v in sorted(counts.items())), skew)
    return results


def _push_tx(conn: Connection, client: Client, batch: Sequence[Any], parsed: Sequence[Event | EventError],
             hashes: Mapping[int, str], skew: int, bodies: Mapping[int, str] | None = None) -> list[dict[str, Any]]:
    good = [ev for ev in parsed if isinstance(ev, Event)]
    codes = {ev.dossier_code for ev in good}
    lock_dossiers(conn, codes)
    stored: dict[str, str] = {}
    ids = list({ev.id for ev in good})
    for chunk in _chunks(ids, 500):
        stored.update({r.id: r.body_hash for r in conn.execute(
            select(events.c.id, events.c.body_hash).where(_among(conn, events.c.id, chunk)))})
    state: dict[str, _Dossier] = {}
    for chunk in _chunks(sorted(codes), 500):
        for r in conn.execute(select(*[dossiers.c[k] for k in ("code", *_MUTABLE)])
                              .where(_among(conn, dossiers.c.code, chunk))):
            state[r.code] = _Dossier(r.code, Status(r.status), r.last_seq, r.event_count,
                                     current={k: getattr(r, k) for k in _MUTABLE})
    known_conflicts: dict[str, int] = {}
    stamp = hub_time()
    new_events: list[dict[str, Any]] = []
    new_conflicts: list[dict[str, Any]] = []
    rejected_dossiers: set[str] = set()
    results: list[dict[str, Any]] = []
    conflict_slots: list[tuple[int, str]] = []  # (index in results, event id) waiting for their conflict id
    resolutions: list[Event] = []  # accepted resolve_conflict events: their conflicts are settled below

    for i, (raw, ev) in enumerate(zip(batch, parsed)):
        if isinstance(ev, EventError):
            rid = raw.get("id") if isinstance(raw, dict) and isinstance(raw.get("id"), str) else None
            results.append(_rejected(rid, ev.reason, ev.detail))
            code = raw.get("dossier_code") if isinstance(raw, dict) else None
            if isinstance(code, str):
                rejected_dossiers.add(code)
            continue
        if ev.type in HUB_ORIGIN:
            results.append(_rejected(ev.id, "hub_origin", f"a counter may not push a {ev.type} event"))
            rejected_dossiers.add(ev.dossier_code)
            continue
        h = hashes[i]
        if ev.id in stored:
            if stored[ev.id] == h:
                results.append({"id": ev.id, "result": "duplicate"})
            else:
                results.append(_rejected(ev.id, "conflicting_body", "the hub has this event id with another body"))
                rejected_dossiers.add(ev.dossier_code)
            continue
        if ev.dossier_code in rejected_dossiers:
            results.append(_rejected(ev.id, "after_rejected",
                                     "an earlier event of this dossier in the batch was rejected"))
            continue
        d = state.get(ev.dossier_code)
        try:
            after = _hub_after(d.status if d else None, ev)
        except EventError as e:
            res = _rejected(ev.id, e.reason, e.detail)
            if e.reason == "transition_not_allowed" and d is not None:
                res["hub_status"] = d.status.value  # so the counter can show both sides
                conflict_slots.append((len(results), ev.id))
                new_conflicts.append({"event_id": ev.id, "dossier_code": ev.dossier_code,
                                      "agency_code": client.agency_code, "client_id": client.id,
                                      "event_type": ev.type, "event_body": ev.to_json(),
                                      "hub_status": d.status.value, "reason": e.reason, "detail": e.detail,
                                      "created_at": stamp})
            results.append(res)
            rejected_dossiers.add(ev.dossier_code)
            continue
        if d is None:
            d = state[ev.dossier_code] = _Dossier(ev.dossier_code, after, 0, 0, new=True)
        _project(d, ev, after, client, stamp)
        new_events.append({"id": ev.id, "dossier_code": ev.dossier_code, "type": ev.type, "seq": ev.seq,
                           "origin": "counter", "client_id": client.id,
                           "body": bodies[i] if bodies is not None else ev.to_json(),
                           "body_hash": h, "stored_at": stamp})
        stored[ev.id] = h
        results.append({"id": ev.id, "result": "accepted"})
        if ev.type == "resolve_conflict":
            resolutions.append(ev)

    if new_conflicts:
        ids_c = [c["event_id"] for c in new_conflicts]
        known_conflicts = {r.event_id: r.id for r in conn.execute(
            select(conflicts.c.event_id, conflicts.c.id).where(conflicts.c.event_id.in_(ids_c)))}
        fresh = [c for c in new_conflicts if c["event_id"] not in known_conflicts]
        if fresh:
            conn.execute(insert(conflicts), fresh)
            known_conflicts.update({r.event_id: r.id for r in conn.execute(
                select(conflicts.c.event_id, conflicts.c.id).where(
                    conflicts.c.event_id.in_([c["event_id"] for c in fresh])))})
        for index, event_id in conflict_slots:
            results[index]["conflict_id"] = known_conflicts[event_id]
    if new_events:
        touched = [d for d in state.values() if d.values]
        fresh_d = [d for d in touched if d.new]
        if fresh_d:
            _insert_rows(conn, dossiers, [{"code": d.code, **d.values} for d in fresh_d])
        old_d = [d for d in touched if not d.new]
        if old_d:  # every row names the same columns: its mutable ones, as read, then as changed
            _update_rows(conn, dossiers, "code", [{"code": d.code, **{k: d.current[k] for k in _MUTABLE}, **{
                k: v for k, v in d.values.items() if k in _MUTABLE}} for d in old_d])
        _insert_rows(conn, events, new_events)
    for ev in resolutions:
        _settle_conflicts(conn, ev, stamp)
    accepted = len(new_events)
    conn.execute(update(clients).where(clients.c.id == client.id).values(
        last_contact_at=stamp, events_received=clients.c.events_received + accepted, last_skew_s=skew,
        max_skew_s=func.coalesce(_bigger(clients.c.max_skew_s, abs(skew)), abs(skew))))
    return results


def _hub_after(current: Status | None, ev: Event) -> Status:
    """`status_after` as the hub applies it. A resolution that keeps the hub's state must name the
    status the hub has: the processing side may have moved the dossier again since the counter learnt
    it, and that newer state is not to be undone (the counter gets a new conflict, with the new status)."""
    after = status_after(current, ev)
    if ev.type == "resolve_conflict" and ev.payload.get("keep") == "hub" and current is not None \
            and after is not current:
        raise EventError("transition_not_allowed",
                         f"{ev.dossier_code} is {current.value} on the hub; the resolution kept the hub's state "
                         f"as {after.value}")
    return after


def _settle_conflicts(conn: Connection, ev: Event, stamp: str) -> None:
    """A stored `resolve_conflict`: the conflict it names, else every open one of its dossier, is resolved."""
    where = [conflicts.c.dossier_code == ev.dossier_code, conflicts.c.resolved_at.is_(None)]
    named = ev.payload.get("hub_conflict_id")
    if isinstance(named, int):
        where.append(conflicts.c.id == named)
    conn.execute(update(conflicts).where(*where).values(resolved_at=stamp, resolution_event_id=ev.id))


def _among(conn: Connection, col: Any, values: Sequence[str]) -> Any:
    """`col IN (values)`; on PostgreSQL `col = ANY(:array)`: one parameter, so the statement's text
    is the same for every batch (psycopg caches and prepares it) instead of 500 placeholders."""
    if is_postgresql(conn):
        return col == any_(cast(bindparam(None, list(values), type_=ARRAY(String)), ARRAY(String)))
    return col.in_(values)


def _insert_rows(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert many rows (each naming the same columns) in one statement.

    On PostgreSQL psycopg's executemany sends one INSERT per row (pipelined, but each still parsed,
    planned and executed on its own: most of a batch's time); a multi-row VALUES list is a new long
    query text that psycopg converts without its cache; text arrays escape every quote of every
    event body in Python. So the rows travel as one JSON parameter (json.dumps is C) that the server
    unpacks with json_to_recordset: one short statement per batch. The same rows and the same unique
    keys (a duplicate still fails the whole transaction). SQLite's executemany runs in process and is
    already fast."""
    if not rows:
        return
    if not is_postgresql(conn):
        conn.execute(insert(table), list(rows))
        return
    names = list(rows[0])
    quote = conn.dialect.identifier_preparer.quote
    cols = ", ".join(quote(n) for n in names)
    conn.execute(text(f"INSERT INTO {quote(table.name)} ({cols}) SELECT {cols} FROM {_recordset(conn, table, names)}"),
                 {"rows": _rows_json(rows, names)})


def _update_rows(conn: Connection, table: Table, key: str, rows: Sequence[Mapping[str, Any]]) -> None:
    """Update many rows by their `key` column (each row naming the same columns) in one statement
    on PostgreSQL (UPDATE … FROM json_to_recordset, as `_insert_rows`), one executemany on SQLite."""
    if not rows:
        return
    names = list(rows[0])
    if not is_postgresql(conn):
        conn.execute(update(table).where(table.c[key] == bindparam(f"b_{key}"))
                     .values({n: bindparam(f"b_{n}") for n in names if n != key}),
                     [{f"b_{n}": row[n] for n in names} for row in rows])
        return
    quote = conn.dialect.identifier_preparer.quote
    sets = ", ".join(f"{quote(n)} = r.{quote(n)}" for n in names if n != key)
    conn.execute(text(f"UPDATE {quote(table.name)} AS t SET {sets} FROM {_recordset(conn, table, names)} "
                      f"WHERE t.{quote(key)} = r.{quote(key)}"),
                 {"rows": _rows_json(rows, names)})


def _recordset(conn: Connection, table: Table, names: Sequence[str]) -> str:
    quote = conn.dialect.identifier_preparer.quote
    types = ", ".join(f"{quote(n)} {table.c[n].type.compile(conn.dialect)}" for n in names)
    return f"json_to_recordset(CAST(:rows AS json)) AS r({types})"


def _rows_json(rows: Sequence[Mapping[str, Any]], names: Sequence[str]) -> str:
    return json.dumps([{n: row[n] for n in names} for row in rows], ensure_ascii=False, separators=(",", ":"))


def _bigger(col: Any, value: int) -> Any:
    return case((col > value, col), else_=value)


def _chunks(items: Sequence[T], n: int) -> Iterable[Sequence[T]]:
    for i in range(0, len(items), n):
        yield items[i:i + n]


def _rejected(event_id: str | None, reason: str, detail: str) -> dict[str, Any]:
    return {"id": event_id, "result": "rejected", "reason": reason, "detail": detail}


def _project(d: _Dossier, ev: Event, after: Status, client: Client | None, stamp: str) -> None:
    """Fold one event into the hub's row of its dossier."""
    p = ev.payload
    v = d.values
    if ev.type == "intake":
        agency, _, rest = ev.dossier_code.partition("-")  # a valid code (Event.from_wire checked it)
        v.update(agency_code=agency, slot=int(rest[-4:]) // 1000, procedure_code=p.get("procedure_code"),
                 applicant_name=p.get("applicant_name"), first_contact_at=p.get("first_contact_at"),
                 received_at=p.get("received_at"), due_at=p.get("due_at"),
                 counter_id=client.id if client else None, processing_agency=None)
    elif ev.type == "forward":
        to = p.get("to")
        if isinstance(to, str) and _is_agency(to):  # transfer between levels: that agency processes it
            v["processing_agency"] = to
    elif ev.type == "supplement":
        for key in ("received_at", "due_at"):
            if p.get(key) is not None:
                v[key] = p[key]
    elif ev.type == "apologise":
        v["due_at"] = p["new_due_at"]
    elif ev.type == "hub_status" and p.get("due_at"):
        v["due_at"] = p["due_at"]
    d.status = after
    d.last_seq = max(d.last_seq, ev.seq)
    d.event_count += 1
    v.update(status=after.value, last_seq=d.last_seq, event_count=d.event_count, updated_at=stamp)


# --- pull -------------------------------------------------------------------------------------------
def parse_cursor(value: str | None) -> int:
    if value is None or value == "":
        return 0
    if not value.isdigit() or len(value) > 18:
        raise BadInput("bad_cursor", "after: not a cursor this hub gave")
    return int(value)


def pull(engine: Engine, client: Client, after: int, limit: int) -> dict[str, Any]:
    with read(engine) as conn:
        rows = conn.execute(
            select(changes.c.id, events.c.body).join(events, events.c.id == changes.c.event_id)
            .where(changes.c.agency_code == client.agency_code, changes.c.slot == client.slot,
                   changes.c.id > after)
            .order_by(changes.c.id).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    out = [{"cursor": str(r.id), "event": json.loads(r.body)} for r in rows]
    log.info("pull counter=%s after=%d changes=%d more=%s", client.label, after, len(out), more)
    return {"changes": out, "next_cursor": str(rows[-1].id) if rows else str(after), "more": more}


# --- processing side --------------------------------------------------------------------------------
def check_due(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not _TIME_MINUTES.match(value):
        raise BadInput("bad_field", "due_at: expected YYYY-MM-DDTHH:MM")
    try:
        datetime.strptime(value, "%Y-%m-%dT%H:%M")
    except ValueError:
        raise BadInput("bad_field", f"due_at: {value} is not a real date and time") from None
    return value


def set_status(engine: Engine, code: str, status: str, *, due_at: str | None = None, reason: str | None = None,
               by: str | None = None, processor: Client | None = None) -> Event:
    """Record what a processing agency decided: a `hub_status` event, the projection, the change feed."""
    if status not in HUB_STATUSES:
        raise BadInput("bad_field", f"status: {status!r} is not one of {', '.join(HUB_STATUSES)}")
    check_due(due_at)
    parsed = parse_code(code)
    if parsed is None or str(parsed) != code:
        raise NotFound("unknown_dossier", f"{code[:60]!r} is not a dossier code")
    payload: dict[str, Any] = {"status": status}
    if due_at is not None:
        payload["due_at"] = due_at
    if reason is not None:
        payload["reason"] = reason
    if by is not None:
        payload["by"] = by
    if processor is not None and processor.name:
        payload["agency"] = processor.name
    actor = (processor.name if processor is not None and processor.name else None) or by or "motcua-hub"
    event_id = new_event_id()

    def work(conn: Connection) -> Event:
        lock_dossiers(conn, [code])
        row = conn.execute(select(dossiers.c.status, dossiers.c.last_seq, dossiers.c.event_count,
                                  dossiers.c.processing_agency).where(dossiers.c.code == code)).first()
        # A processor sets statuses of its agency's dossiers, and of those forwarded to it.
        if processor is not None and processor.agency_code not in (
                parsed.agency, row.processing_agency if row is not None else None):
            raise Forbidden("foreign_dossier", f"{code} is not a dossier of {processor.agency_code}")
        if row is None:
            raise NotFound("unknown_dossier", f"the hub has no dossier {code}")
        moment = wall_clock(now())
        try:
            ev = Event.from_wire({"schema_version": 1, "id": event_id, "type": "hub_status", "dossier_code": code,
                                  "seq": row.last_seq + 1, "at": moment, "recorded_at": moment, "actor": actor[:200],
                                  "payload": payload})
        except EventError as e:
            raise BadInput(e.reason, e.detail) from None
        d = _Dossier(code, Status(row.status), row.last_seq, row.event_count)
        try:
            after = status_after(d.status, ev)
        except EventError as e:
            raise Refused(e.reason, e.detail) from None
        stamp = hub_time()
        _project(d, ev, after, None, stamp)
        conn.execute(update(dossiers).where(dossiers.c.code == code).values(**d.values))
        lock_feed(conn)  # held to the commit: feed ids become visible in order
        conn.execute(insert(events).values(id=ev.id, dossier_code=code, type=ev.type, seq=ev.seq, origin="hub",
                                           client_id=processor.id if processor else None, body=ev.to_json(),
                                           body_hash=ev.body_hash(), stored_at=stamp))
        conn.execute(insert(changes).values(event_id=ev.id, agency_code=parsed.agency, slot=parsed.slot,
                                            dossier_code=code, created_at=stamp))
        return ev

    ev = write(engine, work)
    log.info("set-status dossier=%s status=%s by=%s", code, status,
             f"processor{processor.id}" if processor else "cli")
    return ev


# --- reading ----------------------------------------------------------------------------------------
def list_dossiers(engine: Engine, agency: str | None = None, status: str | None = None) -> list[dict[str, Any]]:
    q = select(dossiers)
    conds = []
    if agency:  # its own dossiers and those forwarded to it
        conds.append(or_(dossiers.c.agency_code == agency, dossiers.c.processing_agency == agency))
    if status:
        conds.append(dossiers.c.status == status)
    if conds:
        q = q.where(and_(*conds))
    with read(engine) as conn:
        rows = conn.execute(q.order_by(dossiers.c.code)).all()
    return [_dossier_out(r) for r in rows]


def _dossier_out(r: Any) -> dict[str, Any]:
    return {"code": r.code, "status": r.status, "procedure": r.procedure_code, "applicant": r.applicant_name,
            "received_at": r.received_at, "due_at": r.due_at,
            "counter": f"{r.agency_code}/{r.slot}", "processing_agency": r.processing_agency}


def get_dossier(engine: Engine, code: str) -> dict[str, Any]:
    with read(engine) as conn:
        row = conn.execute(select(dossiers).where(dossiers.c.code == code)).first()
        if row is None:
            raise NotFound("unknown_dossier", f"the hub has no dossier {code}")
        evs = conn.execute(select(events.c.body, events.c.origin, events.c.stored_at)
                           .where(events.c.dossier_code == code).order_by(events.c.pos)).all()
        cons = conn.execute(select(conflicts).where(conflicts.c.dossier_code == code)
                            .order_by(conflicts.c.id)).all()
    out = _dossier_out(row)
    out.update(agency_code=row.agency_code, first_contact_at=row.first_contact_at, updated_at=row.updated_at,
               events=[{**json.loads(e.body), "origin": e.origin, "stored_at": e.stored_at} for e in evs],
               conflicts=[{"id": c.id, "event_id": c.event_id, "event_type": c.event_type,
                           "hub_status": c.hub_status, "reason": c.reason, "detail": c.detail,
                           "created_at": c.created_at, "resolved_at": c.resolved_at,
                           "resolution_event_id": c.resolution_event_id,
                           "event": json.loads(c.event_body)} for c in cons])
    return out


def list_conflicts(engine: Engine, include_resolved: bool = False, limit: int = 10_000) -> list[dict[str, Any]]:
    """The hub's conflicts (open ones only unless `include_resolved`), oldest first, each with the
    counter that pushed the refused event and, once resolved, what the resolution decided."""
    resolution = events.alias("resolution")
    q = (select(conflicts, clients.c.slot.label("client_slot"), resolution.c.body.label("resolution_body"))
         .select_from(conflicts.outerjoin(clients, clients.c.id == conflicts.c.client_id)
                      .outerjoin(resolution, resolution.c.id == conflicts.c.resolution_event_id)))
    if not include_resolved:
        q = q.where(conflicts.c.resolved_at.is_(None))
    with read(engine) as conn:
        rows = conn.execute(q.order_by(conflicts.c.id).limit(limit)).all()
    out = []
    for r in rows:
        decided = None
        if r.resolution_body is not None:
            body = json.loads(r.resolution_body)
            p = body.get("payload", {})
            decided = {"event_id": r.resolution_event_id, "keep": p.get("keep"), "status": p.get("status"),
                       "actor": body.get("actor"), "at": body.get("at"), "note": p.get("note")}
        out.append({"id": r.id, "dossier_code": r.dossier_code,
                    "counter": f"{r.agency_code}/{r.client_slot}" if r.client_slot is not None else r.agency_code,
                    "event_id": r.event_id, "event_type": r.event_type, "hub_status": r.hub_status,
                    "reason": r.reason, "detail": r.detail, "created_at": r.created_at,
                    "resolved_at": r.resolved_at, "resolution": decided})
    return out


