"""Dossier events: the typed, versioned record of everything that happens to a dossier.

The event is the sync protocol (docs/sync-protocol.md): the counter writes one per operation, pushes
it to the hub as `Event.to_wire()`, and the hub validates what it receives with the same
`Event.from_wire()` before storing it. One TypedDict per event type declares its payload; the
validator reads those declarations, so the schema and the check can never drift apart.

Times are the agency's wall clock (Asia/Ho_Chi_Minh, naive) as 'YYYY-MM-DDTHH:MM[:SS]'.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import types
import typing
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, NotRequired, TypedDict

from .dossier import TRANSITIONS, Status

SCHEMA_VERSION = 1
MAX_TEXT = 2000  # any one string in an event (names, reasons, notes); the store's own limits are tighter
MAX_LIST = 500  # any one list (components, missing numbers)

_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$", re.ASCII)
_CODE = re.compile(r"^[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-Z][0-9A-Z]{2}-\d{6}-\d{4}$", re.ASCII)

# Marker types for strings with a shape (the validator checks them; on the wire they are strings).
Time = typing.NewType("Time", str)
Code = typing.NewType("Code", str)
StatusName = Literal["supplement_requested", "received", "refused", "in_progress", "result_ready", "returned",
                     "withdrawn", "stopped", "voided"]


class ProvidedItem(TypedDict):
    number: int
    form: str | None
    count: int | None


class Collector(TypedDict):
    kind: Literal["applicant", "authorised"]
    name: str | None
    id_kind: str | None
    id_number: str | None
    note: str | None


class IntakePayload(TypedDict):
    """First contact: the whole dossier, so the hub can build its row from events alone."""
    status: Literal["received", "supplement_requested", "refused"]
    procedure_code: str
    procedure_version_id: int
    procedure_snapshot: dict[str, Any]
    applicant_kind: Literal["individual", "organisation"]
    applicant_name: str
    id_kind: str | None
    id_number: str | None
    phone: str | None
    email: str | None
    address: str | None
    delivery: Literal["counter", "post"]
    delivery_address: str | None
    channel: Literal["direct", "post", "online"]
    first_contact_at: Time
    received_at: Time | None
    due_at: Time | None
    original_due_at: Time | None
    provided: list[ProvidedItem]
    missing: list[int]
    supplement_note: str | None
    refusal_reason: str | None
    fee_amount: int | None
    fee_exempt_reason: str | None
    fee_receipt_no: str | None
    entered_late: int | bool
    clerk: str | None


class SupplementPayload(TypedDict):
    status: Literal["received", "supplement_requested"]
    provided: list[int]
    missing: list[int]
    entered_late: bool
    note: NotRequired[str]
    received_at: NotRequired[Time | None]
    due_at: NotRequired[Time | None]
    fee_amount: NotRequired[int | None]
    fee_exempt_reason: NotRequired[str | None]
    fee_receipt_no: NotRequired[str | None]


class RefusePayload(TypedDict):
    status: Literal["refused"]
    reason: str
    entered_late: NotRequired[bool]


class WithdrawPayload(TypedDict):
    status: Literal["withdrawn"]
    reason: str | None
    entered_late: NotRequired[bool]


class ForwardPayload(TypedDict):
    status: Literal["in_progress"]
    to: NotRequired[str]


class ResultReadyPayload(TypedDict):
    status: Literal["result_ready"]
    due_at: Time | None
    original_due_at: Time | None
    late: bool
    late_vs_original: bool


class StopPayload(TypedDict):
    status: Literal["stopped"]
    reason: str
    refund: NotRequired[bool | None]  # whether the fees are refunded (printed on the stop notice, Mẫu 05)


class ReturnPayload(TypedDict):
    status: Literal["returned"]
    collector: Collector
    rating: int | None
    clerk: str | None
    late: bool


class ApologisePayload(TypedDict):
    """A new appointment; the status does not change (it is the status the dossier is in)."""
    status: Literal["received", "in_progress"]
    reason: str
    old_due_at: Time | None
    new_due_at: Time
    original_due_at: Time | None
    apology_no: int
    after_due: bool


class HubStatusPayload(TypedDict):
    """What a processing agency recorded on the hub, as it arrives at the counter (actor = that agency)."""
    status: Literal["in_progress", "result_ready", "stopped"]
    due_at: NotRequired[Time | None]  # a new appointment the agency set
    reason: NotRequired[str | None]
    by: NotRequired[str | None]  # the person at the processing agency
    agency: NotRequired[str | None]  # the processing agency's name


class ApplicantFields(TypedDict):
    """Some of the applicant's details (the fields a correction may change)."""
    applicant_name: NotRequired[str]
    id_kind: NotRequired[str | None]
    id_number: NotRequired[str | None]
    phone: NotRequired[str | None]
    address: NotRequired[str | None]


class CorrectPayload(TypedDict):
    """Sửa thông tin người nộp after the dossier was written: the old and the new values, and why.
    The status does not change (it is the status the dossier is in)."""
    status: StatusName
    reason: str
    old: ApplicantFields
    new: ApplicantFields


class VoidPayload(TypedDict):
    """Hủy hồ sơ nhập nhầm: the dossier stays (an event, not a deletion); its code is never reused."""
    status: Literal["voided"]
    reason: str


class ResolveConflictPayload(TypedDict):
    """A supervisor settled a sync conflict (docs/sync-protocol.md, "Resolving a conflict"): `status` is
    the dossier's status after it on both sides. keep='hub': the counter takes the hub's status;
    keep='counter': the hub takes the counter's. A correction: allowed from any status."""
    status: StatusName
    keep: Literal["counter", "hub"]
    hub_conflict_id: NotRequired[int]  # the hub's conflict record it settles (none: all of the dossier's)
    superseded: NotRequired[list[str]]  # the counter's events the hub refused, never to be sent again
    note: NotRequired[str]


PAYLOADS: dict[str, type] = {
    "intake": IntakePayload,
    "supplement": SupplementPayload,
    "refuse": RefusePayload,
    "withdraw": WithdrawPayload,
    "forward": ForwardPayload,
    "result_ready": ResultReadyPayload,
    "stop": StopPayload,
    "return": ReturnPayload,
    "apologise": ApologisePayload,
    "hub_status": HubStatusPayload,
    "correct": CorrectPayload,
    "void": VoidPayload,
    "resolve_conflict": ResolveConflictPayload,
}
EVENT_TYPES = frozenset(PAYLOADS)
# Events that come from the hub (never pushed back by a counter).
HUB_ORIGIN = frozenset({"hub_status"})
# Events that leave the status as it is (the payload's status names the status the dossier is in).
KEEPS_STATUS = frozenset({"apologise", "correct"})
# Corrections that may set any status from any status (the payload's status is the one decided).
ANY_STATUS = frozenset({"resolve_conflict"})


class EventError(ValueError):
    """An event that does not follow the schema, or a move the dossier's state does not allow.

    `reason` is a short machine word the hub answers with (`unknown_type`, `bad_field`,
    `transition_not_allowed`, …); `detail` says where and what, in English.
    """

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


# --- the validator ----------------------------------------------------------------------------------
# Each type hint is turned into a check function once (per hint, cached): walking typing's
# introspection (get_origin/get_args/get_type_hints) for every value of every event was most of the
# hub's time validating a pushed batch. The checks, and the words of their errors, are the same.
Check = Callable[[Any, str], None]


def _check_value(value: Any, hint: Any, where: str) -> None:
    _checker(hint)(value, where)


def _check_typed_dict(value: Any, td: Any, where: str) -> None:
    _checker(td)(value, where)


def _accept(value: Any, where: str) -> None:
    return None


def _check_none(value: Any, where: str) -> None:
    if value is not None:
        raise EventError("bad_field", f"{where}: expected null, got {_describe(value)}")


def _check_bool(value: Any, where: str) -> None:
    if not isinstance(value, bool):
        raise EventError("bad_field", f"{where}: expected true/false, got {_describe(value)}")


def _check_int(value: Any, where: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or abs(value) > 2**53:
        raise EventError("bad_field", f"{where}: expected an integer, got {_describe(value)}")


def _check_str(value: Any, where: str) -> None:
    if type(value) is str and len(value) <= MAX_TEXT:
        return  # the common case first: most fields are text
    if not isinstance(value, str):
        raise EventError("bad_field", f"{where}: expected text, got {_describe(value)}")
    if len(value) > MAX_TEXT:
        raise EventError("bad_field", f"{where}: text longer than {MAX_TEXT} characters")


def _check_dict(value: Any, where: str) -> None:
    if not isinstance(value, dict):
        raise EventError("bad_field", f"{where}: expected an object, got {_describe(value)}")


def _pattern_checker(pattern: re.Pattern[str], shape: str) -> Check:
    match = pattern.match

    def check(value: Any, where: str) -> None:
        if not isinstance(value, str) or not match(value):
            raise EventError("bad_field", f"{where}: {_describe(value)} is not {shape}")
    return check


@functools.cache
def _checker(hint: Any) -> Check:
    """The check for one type hint, built once."""
    if hint is Any:
        return _accept
    origin = typing.get_origin(hint)
    if origin is typing.NotRequired or origin is typing.Required:
        return _checker(typing.get_args(hint)[0])
    if origin in (typing.Union, types.UnionType):
        return _union_checker(typing.get_args(hint))
    if hint is type(None):
        return _check_none
    if origin is Literal:
        return _literal_checker(typing.get_args(hint))
    if hint is Time:
        return _pattern_checker(_TIME, "YYYY-MM-DDTHH:MM[:SS]")
    if hint is Code:
        return _pattern_checker(_CODE, "a dossier code")
    if hint is bool:
        return _check_bool
    if hint is int:
        return _check_int
    if hint is str:
        return _check_str
    if origin is list:
        (item,) = typing.get_args(hint)
        return _list_checker(_checker(item))
    if origin is dict:
        return _check_dict
    if typing.is_typeddict(hint):
        return _typed_dict_checker(hint)
    raise TypeError(f"no check for {hint!r}")  # a schema bug, not bad input


def _union_checker(arms: tuple[Any, ...]) -> Check:
    checks = tuple(_checker(arm) for arm in arms)
    nullable = type(None) in arms
    text = str in arms

    def check(value: Any, where: str) -> None:
        if value is None and nullable:
            return  # an optional field left empty: no need to try (and describe) the other arms
        if text and type(value) is str and len(value) <= MAX_TEXT:
            return  # `str | None` with text: the str arm passes
        errors = []
        for arm in checks:
            try:
                arm(value, where)
                return
            except EventError as e:
                errors.append(e.detail)
        raise EventError("bad_field", errors[-1] if len(errors) == 1 else f"{where}: {_describe(value)} fits none of its types")
    return check


def _literal_checker(allowed: tuple[Any, ...]) -> Check:
    words = ", ".join(map(str, allowed))

    def check(value: Any, where: str) -> None:
        if not isinstance(value, str) or value not in allowed:
            raise EventError("bad_field", f"{where}: {_describe(value)} is not one of {words}")
    return check


def _list_checker(item: Check) -> Check:
    def check(value: Any, where: str) -> None:
        if not isinstance(value, list):
            raise EventError("bad_field", f"{where}: expected a list, got {_describe(value)}")
        if len(value) > MAX_LIST:
            raise EventError("bad_field", f"{where}: more than {MAX_LIST} items")
        for i, v in enumerate(value):
            item(v, f"{where}[{i}]")
    return check


def _typed_dict_checker(td: Any) -> Check:
    hints = typing.get_type_hints(td, include_extras=True)
    names = frozenset(hints)
    # Required keys from the resolved hints: with postponed annotations __required_keys__ cannot see
    # NotRequired[...] (it is still a string when the class is made).
    required = tuple(name for name, hint in hints.items() if typing.get_origin(hint) is not typing.NotRequired)
    fields = tuple((name, _checker(hint)) for name, hint in hints.items())

    def check(value: Any, where: str) -> None:
        if not isinstance(value, dict):
            raise EventError("bad_field", f"{where}: expected an object, got {_describe(value)}")
        if not names.issuperset(value):
            unknown = sorted(set(value) - names)
            raise EventError("unknown_field", f"{where}: unknown field(s) {', '.join(map(str, unknown))}")
        for name in required:
            if name not in value:
                raise EventError("missing_field", f"{where}.{name} is required")
        for name, field_check in fields:
            if name in value:
                field_check(value[name], f"{where}.{name}")
    return check


def _describe(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 40 else text[:37] + "..."


# --- the envelope -----------------------------------------------------------------------------------
_ENVELOPE = ("schema_version", "id", "type", "dossier_code", "seq", "at", "recorded_at", "actor", "payload")


def canonical_json(value: Any) -> str:
    """One text per value: sorted keys, no spaces, UTF-8 as is. What the body hash is taken over."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


@dataclass(frozen=True)
class Event:
    id: str  # UUID written by whoever recorded the event: pushing it twice is a no-op
    type: str
    dossier_code: str
    seq: int  # its place in the dossier's history on the side that recorded it (1-based)
    at: str  # business time (back-dated for paper dossiers)
    recorded_at: str  # when it was written
    actor: str  # the clerk, or the processing agency for hub events
    payload: Mapping[str, Any] = field(default_factory=dict)
    schema_version: int = SCHEMA_VERSION

    @property
    def status(self) -> Status:
        """The dossier's status after this event."""
        return Status(self.payload["status"])

    def to_wire(self) -> dict[str, Any]:
        return {"schema_version": self.schema_version, "id": self.id, "type": self.type,
                "dossier_code": self.dossier_code, "seq": self.seq, "at": self.at,
                "recorded_at": self.recorded_at, "actor": self.actor, "payload": dict(self.payload)}

    def to_json(self) -> str:
        return canonical_json(self.to_wire())

    def body_hash(self) -> str:
        """SHA-256 of the canonical wire form: the same id with another hash is another body."""
        return hashlib.sha256(self.to_json().encode("utf-8")).hexdigest()

    @classmethod
    def from_wire(cls, data: Any) -> Event:
        """Validate a wire event (a dict from JSON) against the schema; EventError says what is wrong."""
        if not isinstance(data, dict):
            raise EventError("bad_event", f"expected an object, got {_describe(data)}")
        unknown = sorted(set(data) - set(_ENVELOPE))
        if unknown:
            raise EventError("unknown_field", f"event: unknown field(s) {', '.join(map(str, unknown))}")
        missing = [k for k in _ENVELOPE if k not in data]
        if missing:
            raise EventError("missing_field", f"event: {', '.join(missing)} required")
        version = data["schema_version"]
        if version != SCHEMA_VERSION:
            raise EventError("unsupported_schema_version",
                             f"schema_version {_describe(version)} (this side speaks {SCHEMA_VERSION})")
        event_id = data["id"]
        try:
            if not isinstance(event_id, str) or str(uuid.UUID(event_id)) != event_id.lower():
                raise ValueError
        except ValueError:
            raise EventError("bad_field", f"id: {_describe(event_id)} is not a UUID") from None
        kind = data["type"]
        if not isinstance(kind, str) or kind not in PAYLOADS:
            raise EventError("unknown_type", f"type {_describe(kind)} is not one of {', '.join(sorted(PAYLOADS))}")
        _check_value(data["dossier_code"], Code, "dossier_code")
        seq = data["seq"]
        if isinstance(seq, bool) or not isinstance(seq, int) or not 1 <= seq <= 1_000_000:
            raise EventError("bad_field", f"seq: {_describe(seq)} is not a positive integer")
        _check_value(data["at"], Time, "at")
        _check_value(data["recorded_at"], Time, "recorded_at")
        actor = data["actor"]
        if not isinstance(actor, str) or not actor.strip() or len(actor) > 200:
            raise EventError("bad_field", "actor: 1-200 characters of text required")
        _check_typed_dict(data["payload"], PAYLOADS[kind], "payload")
        return cls(id=event_id.lower(), type=kind, dossier_code=data["dossier_code"], seq=seq, at=data["at"],
                   recorded_at=data["recorded_at"], actor=actor, payload=data["payload"], schema_version=version)

    @classmethod
    def from_json(cls, text: str) -> Event:
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            raise EventError("bad_json", "not a JSON document") from None
        return cls.from_wire(data)


def new_event_id() -> str:
    return str(uuid.uuid4())


def status_after(current: Status | None, event: Event) -> Status:
    """The dossier's status once `event` applies to a dossier now in `current` (None: no dossier yet).

    The one rule both sides use: the counter before it writes, the hub before it stores. Raises
    EventError('transition_not_allowed' / 'unknown_dossier' / 'dossier_exists').
    """
    new = event.status
    if event.type == "intake":
        if current is not None:
            raise EventError("dossier_exists", f"{event.dossier_code} already has its intake")
        return new
    if current is None:
        raise EventError("unknown_dossier", f"{event.dossier_code}: no intake received before this {event.type}")
    if event.type in ANY_STATUS:
        return new
    if event.type == "hub_status" and new is current:
        return current  # the processing agency moved the appointment, or said it again
    if event.type in KEEPS_STATUS:
        if new is not current:
            raise EventError("transition_not_allowed",
                             f"{event.dossier_code} is {current.value}; a {event.type} recorded it as {new.value}")
        return current
    if new not in TRANSITIONS[current]:
        raise EventError("transition_not_allowed",
                         f"{event.dossier_code} is {current.value}; cannot move to {new.value} ({event.type})")
    return new
