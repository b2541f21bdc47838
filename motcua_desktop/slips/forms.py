"""Every title and label printed on the slips: a *form set*, read from a data file.

The form set is law, and the law changes (Thông tư 01/2018/TT-VPCP, then 03/2025/TT-VPCP since
15/9/2025), and the exact wording of a new annex reaches communes late, through the province. So the
texts are not code: each set is a versioned JSON file (``resources/forms/2018.json``, ``2025.json``;
an administrator's corrected copy, imported with ``motcua forms import``, is kept in the counter's
store). What *is* code is the schema below: which labels each form uses and which ``{placeholders}``
each label may contain. ``load`` checks a file against it and names every problem, so a set with a
label missing or a misspelt placeholder is refused before it can print a broken slip.

The renderers read the set in force through this module's names, as before a set was data:
``forms.DESK``, ``forms.form(kind)``, ``forms.FORMS``, ``forms.RECEIPT`` … resolve in the set that
``using(form_set)`` made current (a context variable, so a worker thread rendering with one set does
not disturb another), else in the default shipped set.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import string
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import UserError
from ..paths import resources_dir

DEFAULT_SET = "2025"
SHIPPED_SETS = ("2018", "2025")
FORMAT = 1

# ----------------------------------------------------------------------------------------- schema
# label -> the placeholders it may contain. Every label listed is required (a form the renderer
# prints needs all its words); a label not listed, or a placeholder not allowed, is refused.

_TEXTS: dict[str, tuple[str, ...]] = {
    "national_name": (), "national_motto": (), "desk": (), "desk_sentence": (), "number": (), "code": (),
    "sign_hint": (), "sign_hint_seal": (), "unknown_due": (), "blank_moment": (), "blank_date": (),
    "default_clerk": (), "page": ("page", "pages"), "honorific": (), "organisation": (), "tax_code": (),
    "you_person": (), "you_organisation": (),
    "ticket_procedure": (), "ticket_clerk": (), "ticket_phone": (),
    "channel_direct": (), "channel_post": (), "channel_online": (),
    "delivery_counter": (), "delivery_post": (),
    "control_step_1": ("processing", "coordinating"), "control_step_2": ("processing", "coordinating"),
    "control_step_3": ("processing", "coordinating"), "control_step_4": ("processing", "coordinating"),
    "default_processing_agency": (), "default_coordinating_agency": (),
}

_PERSON = {"received_from": ("unit",), "applicant": (), "address": (), "phone": (), "email": (),
           "request": (), "procedure_code": ()}
_FEE = {"fee_amount": ("amount",), "fee_receipt": ("receipt",), "fee_exempt": (), "fee_none": ()}

_LABELS: dict[str, dict[str, tuple[str, ...]]] = {
    "receipt": {
        **_PERSON, "id_number": (), "channel": (), "components": (), "col_no": (), "col_name": (),
        "col_form": (), "col_count": (), "sets": ("sets",), "processing_time": (), "received_at": (),
        "due_at": (), "delivery": (), "delivery_post": ("address",), "fee": (), **_FEE,
        "book": ("volume", "number"), "sign_left": (), "sign_right": (), "ticket_title": (), "ticket_due": (),
        "ticket_received": (), "ticket_fee": (), "ticket_delivery": (), "ticket_bring": (),
    },
    "supplement": {
        **_PERSON, "intro": (), "needs": (), "reason": (), "help": ("you", "clerk", "phone"),
        "help_no_phone": ("you", "clerk", "unit"), "once": ("you",), "guided_at": (), "sign_left": (),
        "sign_right": (),
    },
    "refusal": {
        **_PERSON, "intro": ("unit",), "inform": ("you",), "ticket_reason": (), "sign_left": (),
        "sign_right": (),
    },
    "apology": {
        "to": (), "received": ("received", "agency", "you", "procedure"), "code": (), "original_due": (),
        "previous_due": (), "extension": ("n",), "late": ("agency", "you"), "sorry": ("agency", "you"),
        "thanks": ("you",), "sign_right": (), "ticket_new_due": (), "ticket_original_due": (),
        "ticket_reason": (), "ticket_extension": ("n",),
    },
    "stop": {
        "to": (), "received": ("received", "agency", "you", "procedure"), "code": (), "original_due": (),
        "intro": ("agency", "you"), "stage": (), "stage_counter": ("unit",), "stage_forwarded": ("processing",),
        "stopped_at": (), "fee": (), **_FEE, "refund": (), "refund_yes": (), "refund_no": (),
        "refund_unknown": (), "inform": ("you",), "sign_right": (), "ticket_title": (), "ticket_reason": (),
        "ticket_stage": (), "ticket_fee": (),
    },
    "control": {
        "applicant": (), "request": (), "procedure_code": (), "received_at": (), "due_at": (),
        "processing_agency": (), "coordinating": (), "col_step": (), "col_at": (), "col_result": (),
        "col_note": (), "giver": (), "taker": (), "not_set": (), "step": ("giver", "taker"), "citizen": (),
        "early": (), "on_time": (), "late": (), "apologised": ("date",), "apologised_undated": (),
    },
}
REQUIRED_FORMS = ("receipt", "supplement", "refusal", "apology", "control")
OPTIONAL_FORMS = ("stop",)  # the 2018 annex had no stop notice: a set may lack it
_FORM_FIELDS = {"form_no", "title", "name", "number_suffix", "copies", "labels", "unverified", "comment"}
_SET_FIELDS = {"format", "id", "name", "effective_from", "comment", "texts", "forms", "book", "unverified",
               "source"}


# ------------------------------------------------------------------------------------- the model


@dataclass(frozen=True)
class Form:
    kind: str
    title: str  # as printed
    name: str  # proper-case name for menus and logs
    number_suffix: str  # "Số: 1001/TNHS"
    labels: dict[str, str] = field(default_factory=dict)
    copies: tuple[str, ...] = ("",)  # one page set per copy (liên); "" = no copy note
    form_no: str = ""  # "Mẫu số 01", printed top right; "" = not printed
    unverified: tuple[str, ...] = ()  # which of its texts are not known from the annex itself


@dataclass(frozen=True)
class FormSet:
    id: str  # "2025"
    name: str  # "Thông tư 03/2025/TT-VPCP"
    effective_from: date
    texts: dict[str, str]
    forms: dict[str, Form]
    book: Form  # the tracking book (Sổ theo dõi hồ sơ): its number and title only
    source: str = "shipped"  # "shipped" | "local" (imported by an administrator) | later "hub"
    raw: dict = field(default_factory=dict, compare=False, repr=False)  # the file as loaded (export)

    def form(self, kind: str) -> Form:
        try:
            return self.forms[kind]
        except KeyError:
            raise UserError(f"Bộ mẫu {self.id} ({self.name}) không có mẫu '{kind}'.",
                            f"form set {self.id} has no {kind!r} form") from None


class FormSetError(UserError):
    """A form-set file refused: `problems` names every label at fault (exit 2)."""

    def __init__(self, what: str, problems: list[str]) -> None:
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"Bộ mẫu {what} không hợp lệ, không nạp:\n{lines}",
                         f"form set {what} refused: " + "; ".join(problems))


def _placeholders(text: str) -> list[str] | None:
    """The {names} in a text; None when its braces do not parse."""
    try:
        return [name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(text)
                if name is not None]
    except ValueError:
        return None


def _check_labels(where: str, given: Any, schema: dict[str, tuple[str, ...]], problems: list[str]) -> dict[str, str]:
    if not isinstance(given, dict):
        problems.append(f"{where}: phải là một bảng nhãn")
        return {}
    out: dict[str, str] = {}
    for key in schema:
        if key not in given:
            problems.append(f"{where}.{key}: thiếu nhãn")
    for key, text in given.items():
        if key not in schema:
            problems.append(f"{where}.{key}: nhãn không có trong mẫu (không dùng)")
            continue
        if not isinstance(text, str):
            problems.append(f"{where}.{key}: phải là chữ")
            continue
        names = _placeholders(text)
        if names is None:
            problems.append(f"{where}.{key}: dấu ngoặc {{ }} không đúng")
            continue
        for name in names:
            if name not in schema[key]:
                allowed = ", ".join("{" + a + "}" for a in schema[key]) or "không có"
                problems.append(f"{where}.{key}: chỗ điền không biết {{{name}}} (được dùng: {allowed})")
        out[key] = unicodedata.normalize("NFC", text)
    return out


def _text_field(where: str, d: dict, key: str, problems: list[str], *, required: bool = True) -> str:
    value = d.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        problems.append(f"{where}.{key}: thiếu hoặc không phải chữ")
        return ""
    return unicodedata.normalize("NFC", value.strip())


def load(raw: Any, what: str = "", *, source: str | None = None) -> FormSet:
    """A form set from its parsed JSON, or FormSetError naming every problem (all or nothing)."""
    problems: list[str] = []
    if not isinstance(raw, dict):
        raise FormSetError(what or "?", ["tệp phải là một đối tượng JSON"])
    what = what or str(raw.get("id") or "?")
    if raw.get("format") != FORMAT:
        problems.append(f"format: phải là {FORMAT}")
    for key in raw:
        if key not in _SET_FIELDS:
            problems.append(f"{key}: trường không biết")
    set_id = _text_field("", raw, "id", problems).strip()
    name = _text_field("", raw, "name", problems)
    effective: date | None = None
    try:
        effective = date.fromisoformat(str(raw.get("effective_from")))
    except ValueError:
        problems.append("effective_from: phải là ngày dạng YYYY-MM-DD")
    texts = _check_labels("texts", raw.get("texts"), _TEXTS, problems)
    forms_raw = raw.get("forms")
    built: dict[str, Form] = {}
    if not isinstance(forms_raw, dict):
        problems.append("forms: phải là bảng các mẫu")
        forms_raw = {}
    for kind in REQUIRED_FORMS:
        if kind not in forms_raw:
            problems.append(f"forms.{kind}: thiếu mẫu")
    for kind, fd in forms_raw.items():
        where = f"forms.{kind}"
        if kind not in _LABELS:
            problems.append(f"{where}: loại mẫu không biết")
            continue
        if not isinstance(fd, dict):
            problems.append(f"{where}: phải là một đối tượng")
            continue
        for key in fd:
            if key not in _FORM_FIELDS:
                problems.append(f"{where}.{key}: trường không biết")
        labels = _check_labels(f"{where}.labels", fd.get("labels"), _LABELS[kind], problems)
        copies = fd.get("copies", [""])
        if not isinstance(copies, list) or not copies or not all(isinstance(c, str) for c in copies):
            problems.append(f"{where}.copies: phải là danh sách chữ")
            copies = [""]
        built[kind] = Form(kind=kind, title=_text_field(where, fd, "title", problems),
                           name=_text_field(where, fd, "name", problems),
                           number_suffix=_text_field(where, fd, "number_suffix", problems),
                           labels=labels, copies=tuple(unicodedata.normalize("NFC", c) for c in copies),
                           form_no=_text_field(where, fd, "form_no", problems, required=False),
                           unverified=tuple(str(u) for u in fd.get("unverified") or ()))
    bd = raw.get("book") if isinstance(raw.get("book"), dict) else None
    if bd is None:
        problems.append("book: thiếu (số và tên Sổ theo dõi hồ sơ)")
        bd = {}
    book = Form(kind="book", title=_text_field("book", bd, "title", problems),
                name=_text_field("book", bd, "name", problems), number_suffix="",
                form_no=_text_field("book", bd, "form_no", problems, required=False))
    if problems:
        raise FormSetError(what, problems)
    assert effective is not None
    return FormSet(id=set_id, name=name, effective_from=effective, texts=texts, forms=built, book=book,
                   source=source or str(raw.get("source") or "shipped"), raw=raw)


def parse(content: bytes | str, what: str, *, source: str | None = None) -> FormSet:
    """A set from the bytes of a file (JSON), every problem named."""
    try:
        raw = json.loads(content)
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as error:
        raise FormSetError(what, [f"không đọc được JSON ({error})"]) from None
    return load(raw, what, source=source)


def shipped_path(set_id: str) -> Path:
    return resources_dir() / "forms" / f"{set_id}.json"


@lru_cache(maxsize=None)
def shipped(set_id: str = DEFAULT_SET) -> FormSet:
    """A set shipped with the app (resources/forms/<id>.json), checked like any other."""
    if set_id not in SHIPPED_SETS:
        raise UserError(f"Không có bộ mẫu '{set_id}' (có: {', '.join(SHIPPED_SETS)}).",
                        f"no shipped form set {set_id!r} (one of {', '.join(SHIPPED_SETS)})")
    path = shipped_path(set_id)
    return parse(path.read_bytes(), path.name, source="shipped")


def in_force(candidates: list[FormSet], chosen: str, on: date) -> FormSet:
    """The set in force on `on`: of the versions of the chosen set, the latest already effective
    (a later one in the list wins a tie: an import corrects the shipped file); before the chosen set
    applies, the latest other set already effective; failing all, the chosen set's first version."""
    mine = [s for s in candidates if s.id == chosen]
    if not mine:
        known = sorted({s.id for s in candidates})
        raise UserError(f"Không có bộ mẫu '{chosen}' (có: {', '.join(known)}).",
                        f"no form set {chosen!r} (one of {', '.join(known)})")
    ready = [s for s in mine if s.effective_from <= on]
    if ready:
        return max(reversed(ready), key=lambda s: s.effective_from)  # max keeps the first of equals
    others = [s for s in candidates if s.effective_from <= on]
    if others:
        return max(reversed(others), key=lambda s: s.effective_from)
    return min(mine, key=lambda s: s.effective_from)


# ------------------------------------------------------------------------- the set being printed

_current: contextvars.ContextVar[FormSet | None] = contextvars.ContextVar("form_set", default=None)


def current() -> FormSet:
    return _current.get() or shipped(DEFAULT_SET)


@contextlib.contextmanager
def using(form_set: FormSet | None) -> Iterator[FormSet]:
    """Within the block, every name of this module reads `form_set` (None: the one already current)."""
    token = _current.set(form_set or current())
    try:
        yield _current.get()  # type: ignore[misc]
    finally:
        _current.reset(token)


def form(kind: str) -> Form:
    return current().form(kind)


def you(organisation: bool) -> str:
    t = current().texts
    return t["you_organisation"] if organisation else t["you_person"]


def tracking_book(form_set: FormSet | None = None) -> tuple[str, str]:
    """(form number, title) of the tracking book in the set in force: Mẫu số 07 / SỔ THEO DÕI HỒ SƠ."""
    book = (form_set or current()).book
    return book.form_no, book.title


# The names the renderers use, resolved in the current set at each use.
_UPPER = {k.upper(): k for k in _TEXTS}
_FORM_NAMES = {"RECEIPT": "receipt", "SUPPLEMENT": "supplement", "REFUSAL": "refusal", "APOLOGY": "apology",
               "CONTROL": "control", "STOP": "stop"}


def __getattr__(name: str) -> Any:
    if name in _UPPER:
        return current().texts[_UPPER[name]]
    if name in _FORM_NAMES:
        return current().form(_FORM_NAMES[name])
    t = current().texts if name in ("FORMS", "TICKET", "CHANNEL", "DELIVERY", "DEFAULT_CONTROL_STEPS",
                                    "YOU_PERSON", "YOU_ORGANISATION") else None
    if name == "FORMS":
        return dict(current().forms)
    if t is not None:
        if name == "DEFAULT_CONTROL_STEPS":
            return tuple(t[f"control_step_{i}"] for i in range(1, 5))
        prefix = name.lower() + "_"
        return {k[len(prefix):]: v for k, v in t.items() if k.startswith(prefix)}
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
