"""Procedures (thủ tục hành chính) as the counter knows them, and validation of catalogue files.

A catalogue file has the shape of ``resources/sample_procedures.json``: ``{"procedures": [...]}``.
Validation collects *every* problem with where it is, so an administrator fixes a file in one pass.
"""

from __future__ import annotations

import dataclasses

import json
import re
from dataclasses import asdict, dataclass
from datetime import time
from typing import Any

from .limits import LIMITS, MAX_DOCUMENTS, MAX_LIST_ITEMS
from .text import clean

UNITS = ("same_day", "working_days", "days")
UNIT_LABELS = {"same_day": "trong ngày", "working_days": "ngày làm việc", "days": "ngày"}
CONFIRMED = "confirmed"
STATUS_VALUES = ("confirmed", "single_secondary_source", "unconfirmed_from_domain_knowledge")
DEFAULT_SAME_DAY_CUTOFF = "15:00"
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]{0,63}$")
_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$", re.ASCII)


@dataclass(frozen=True)
class Document:
    """One component (thành phần hồ sơ) of a procedure's dossier."""

    name: str
    originals: int | None  # bản chính; None = unknown
    copies: int | None  # bản sao
    required: bool = True
    note: str | None = None

    def form_text(self) -> str:
        """'Bản chính: 1 - Bản sao: 0' as on the national database."""
        parts = []
        if self.originals:
            parts.append(f"{self.originals} bản chính")
        if self.copies:
            parts.append(f"{self.copies} bản sao")
        return ", ".join(parts) if parts else "chưa rõ số lượng"


@dataclass(frozen=True)
class ProcessingTime:
    unit: str  # one of UNITS
    value: int | None  # None = not known: no appointment date can be computed
    same_day_cutoff: str | None = None  # "HH:MM", same_day only
    text: str | None = None
    status: str | None = None

    @property
    def confirmed(self) -> bool:
        return self.status in (None, CONFIRMED)

    def cutoff(self) -> time:
        hh, mm = (self.same_day_cutoff or DEFAULT_SAME_DAY_CUTOFF).split(":")
        return time(int(hh), int(mm))

    def label(self) -> str:
        if self.unit == "same_day":
            return f"Trong ngày (nhận trước {self.same_day_cutoff or DEFAULT_SAME_DAY_CUTOFF})"
        if self.value is None:
            return "Chưa xác định"
        return f"{self.value} {UNIT_LABELS[self.unit]}"


@dataclass(frozen=True)
class Fee:
    amount_vnd: int | None
    text: str | None = None
    status: str | None = None
    set_by: str | None = None

    @property
    def confirmed(self) -> bool:
        return self.status in (None, CONFIRMED)


@dataclass(frozen=True)
class Procedure:
    code: str
    name: str
    field: str
    processing_time: ProcessingTime
    fee: Fee
    documents: tuple[Document, ...]
    national_code: str | None = None
    national_code_status: str | None = None
    documents_status: str | None = None
    documents_to_present: tuple[str, ...] = ()
    legal_basis: tuple[str, ...] = ()
    level: str | None = None
    notes: str | None = None
    extra: dict[str, Any] = dataclasses.field(default_factory=dict)  # `field` is a column here

    def to_json(self) -> str:
        """Canonical JSON: the version snapshot a dossier keeps, and what import compares."""
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Procedure:
        d = json.loads(text)
        return cls(
            code=d["code"],
            name=d["name"],
            field=d["field"],
            processing_time=ProcessingTime(**d["processing_time"]),
            fee=Fee(**d["fee"]),
            documents=tuple(Document(**x) for x in d["documents"]),
            national_code=d.get("national_code"),
            national_code_status=d.get("national_code_status"),
            documents_status=d.get("documents_status"),
            documents_to_present=tuple(d.get("documents_to_present") or ()),
            legal_basis=tuple(d.get("legal_basis") or ()),
            level=d.get("level"),
            notes=d.get("notes"),
            extra=d.get("extra") or {},
        )


@dataclass(frozen=True)
class Problem:
    where: str  # "HT-01: processing_time.unit" or "procedures[3]"
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class _Checker:
    """Reads one procedure record, noting problems instead of stopping at the first."""

    def __init__(self, where: str, problems: list[Problem]) -> None:
        self.where = where
        self.problems = problems

    def bad(self, path: str, message: str) -> None:
        self.problems.append(Problem(f"{self.where}: {path}", message))

    def text(self, obj: dict[str, Any], key: str, path: str, *, required: bool,
             limit: str = "catalogue_text") -> str | None:
        value = obj.get(key)
        if value is None:
            if required:
                self.bad(path, "thiếu (missing)")
            return None
        if not isinstance(value, str):
            self.bad(path, f"phải là chuỗi ký tự, không phải {type(value).__name__}")
            return None
        value = clean(value)
        if required and not value:
            self.bad(path, "để trống (empty)")
            return None
        return self.within(path, value, limit) or None

    def within(self, path: str, value: str, limit: str) -> str | None:
        """The value, or None with a problem naming the limit (what fits a slip and a register column)."""
        max_chars = LIMITS[limit].max_chars
        if len(value) > max_chars:
            self.bad(path, f"dài {len(value)} ký tự, tối đa {max_chars} ký tự")
            return None
        return value

    def count(self, obj: dict[str, Any], key: str, path: str) -> int | None:
        value = obj.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0 or value > 100_000:
            self.bad(path, f"phải là số nguyên không âm, không phải {value!r}")
            return None
        return int(value)

    def status(self, obj: dict[str, Any], key: str, path: str) -> str | None:
        value = obj.get(key)
        if value is not None and value not in STATUS_VALUES:
            self.bad(path, f"giá trị {value!r} không hợp lệ (một trong {', '.join(STATUS_VALUES)})")
            return None
        return value

    def texts(self, obj: dict[str, Any], key: str, path: str) -> tuple[str, ...]:
        value = obj.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
            self.bad(path, "phải là danh sách chuỗi ký tự")
            return ()
        if len(value) > MAX_LIST_ITEMS:
            self.bad(path, f"có {len(value)} mục, tối đa {MAX_LIST_ITEMS} mục")
            return ()
        return tuple(c for c in (self.within(f"{path}[{i}]", clean(x), "catalogue_text")
                                 for i, x in enumerate(value, 1)) if c)

    def section(self, obj: dict[str, Any], key: str, *, required: bool) -> dict[str, Any]:
        value = obj.get(key)
        if value is None:
            if required:
                self.bad(key, "thiếu (missing)")
            return {}
        if not isinstance(value, dict):
            self.bad(key, "phải là một đối tượng JSON")
            return {}
        return value


def _read_processing_time(c: _Checker, raw: dict[str, Any]) -> ProcessingTime:
    pt = c.section(raw, "processing_time", required=True)
    unit = pt.get("unit")
    if pt and unit not in UNITS:
        c.bad("processing_time.unit", f"đơn vị {unit!r} không hợp lệ (một trong {', '.join(UNITS)})")
        unit = None
    value = c.count(pt, "value", "processing_time.value")
    cutoff = pt.get("same_day_cutoff")
    if cutoff is not None and (not isinstance(cutoff, str) or not _HHMM.match(cutoff)):
        c.bad("processing_time.same_day_cutoff", f"giờ {cutoff!r} không đúng dạng HH:MM")
        cutoff = None
    if unit == "same_day" and cutoff is None:
        cutoff = DEFAULT_SAME_DAY_CUTOFF
    return ProcessingTime(
        unit=unit or "working_days",
        value=0 if unit == "same_day" else value,
        same_day_cutoff=cutoff if unit == "same_day" else None,
        text=c.text(pt, "text_vi", "processing_time.text_vi", required=False),
        status=c.status(pt, "status", "processing_time.status"),
    )


def _read_fee(c: _Checker, raw: dict[str, Any]) -> Fee:
    fee = c.section(raw, "fee", required=False)
    return Fee(
        amount_vnd=c.count(fee, "amount_vnd", "fee.amount_vnd"),
        text=c.text(fee, "text_vi", "fee.text_vi", required=False),
        status=c.status(fee, "status", "fee.status"),
        set_by=c.text(fee, "set_by", "fee.set_by", required=False),
    )


def _read_documents(c: _Checker, raw: dict[str, Any]) -> tuple[Document, ...]:
    docs = raw.get("documents")
    if not isinstance(docs, list) or not docs:
        c.bad("documents", "phải là danh sách có ít nhất một thành phần hồ sơ")
        return ()
    if len(docs) > MAX_DOCUMENTS:
        c.bad("documents", f"có {len(docs)} thành phần, tối đa {MAX_DOCUMENTS} thành phần một thủ tục")
        return ()
    out = []
    for i, doc in enumerate(docs, start=1):
        path = f"documents[{i}]"
        if not isinstance(doc, dict):
            c.bad(path, "phải là một đối tượng JSON")
            continue
        name = c.text(doc, "name_vi", f"{path}.name_vi", required=True, limit="documents.name_vi")
        required = doc.get("required", True)
        if not isinstance(required, bool):
            c.bad(f"{path}.required", "phải là true hoặc false")
            required = True
        out.append(
            Document(
                name=name or "",
                originals=c.count(doc, "originals", f"{path}.originals"),
                copies=c.count(doc, "copies", f"{path}.copies"),
                required=required,
                note=c.text(doc, "note", f"{path}.note", required=False, limit="documents.note"),
            )
        )
    return tuple(out)


def read_procedure(raw: Any, index: int, problems: list[Problem]) -> Procedure | None:
    """One record of the file; None (with problems noted) when it cannot be used."""
    if not isinstance(raw, dict):
        problems.append(Problem(f"procedures[{index}]", "phải là một đối tượng JSON"))
        return None
    code = raw.get("id")
    if not isinstance(code, str) or not _CODE.match(code.strip()):
        problems.append(
            Problem(f"procedures[{index}]: id", f"mã thủ tục {code!r} không hợp lệ (chữ, số, . _ -)")
        )
        return None
    code = code.strip()
    before = len(problems)
    c = _Checker(code, problems)
    name = c.text(raw, "name_vi", "name_vi", required=True, limit="name_vi")
    field_vi = c.text(raw, "field_vi", "field_vi", required=True, limit="field_vi")
    national = c.text(raw, "national_code", "national_code", required=False)
    procedure = Procedure(
        code=code,
        name=name or "",
        field=field_vi or "",
        processing_time=_read_processing_time(c, raw),
        fee=_read_fee(c, raw),
        documents=_read_documents(c, raw),
        national_code=national,
        national_code_status=c.status(raw, "national_code_status", "national_code_status"),
        documents_status=c.status(raw, "documents_status", "documents_status"),
        documents_to_present=c.texts(raw, "documents_to_present", "documents_to_present"),
        legal_basis=c.texts(raw, "legal_basis", "legal_basis"),
        level=c.text(raw, "level_post_2025", "level_post_2025", required=False),
        notes=c.text(raw, "notes", "notes", required=False, limit="notes"),
    )
    return procedure if len(problems) == before else None


def code_key(code: str) -> str:
    """The form two procedure codes are compared in: ASCII case folded (codes are ASCII, _CODE)."""
    return code.strip().lower()


def parse_catalogue(data: Any) -> tuple[list[Procedure], list[Problem]]:
    """All procedures of a decoded catalogue file, and every problem found in it."""
    problems: list[Problem] = []
    if not isinstance(data, dict) or not isinstance(data.get("procedures"), list):
        return [], [Problem("(tệp)", 'phải là một đối tượng JSON có danh sách "procedures"')]
    if not data["procedures"]:
        return [], [Problem("procedures", "danh sách thủ tục trống")]
    procedures: list[Procedure] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(data["procedures"]):
        procedure = read_procedure(raw, index, problems)
        if procedure is None:
            continue
        # Codes are unique case-insensitively: 'ZZ-01' and 'zz-01' are one code typed two ways.
        key = code_key(procedure.code)
        if key in seen:
            first = data["procedures"][seen[key]].get("id", "").strip()
            how = "" if first == procedure.code else f" ('{first}': mã chỉ khác chữ hoa/thường)"
            problems.append(Problem(f"{procedure.code}: id", f"trùng với thủ tục thứ {seen[key] + 1}{how}"))
            continue
        seen[key] = index
        procedures.append(procedure)
    return procedures, problems
