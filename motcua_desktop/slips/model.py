"""What a slip needs to know, independent of where it comes from.

Renderers take these frozen values, never the database: the service layer builds them from a
dossier and the counter's settings (services/slips.py), tests and benchmarks build them by hand.
Every text is normalised to NFC on the way in, so a name typed with a decomposed input method
prints (and is extracted from the PDF) exactly like the stored one.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime
from typing import Any

KINDS = ("receipt", "supplement", "refusal", "apology", "stop", "control")
PAPERS = ("a4", "a5", "80mm")
CHANNELS = ("direct", "post", "online")
DELIVERIES = ("counter", "post")


def _nfc(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value).strip()
    return value


class _Normalised:
    """Mixin: NFC every str field after construction (frozen dataclasses need object.__setattr__)."""

    def __post_init__(self) -> None:
        for f in fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            if isinstance(value, str):
                object.__setattr__(self, f.name, _nfc(value))


@dataclass(frozen=True)
class Agency(_Normalised):
    name: str  # "UBND XÃ MẪU" — the receiving agency, printed upper case in the header
    parent: str = ""  # "UBND HUYỆN …" / "UBND TỈNH …": the line above the agency name
    place: str = ""  # "Xã Mẫu": the place in "<place>, ngày … tháng … năm …"
    phone: str = ""  # contact phone printed for help
    code: str = ""  # QCVN 102:2016 identifier (not printed on the forms, kept for the archive)


@dataclass(frozen=True)
class Applicant(_Normalised):
    name: str
    address: str = ""
    phone: str = ""
    email: str = ""
    id_number: str = ""  # CCCD / passport / tax code
    organisation: bool = False  # a company or body: no "Ông/Bà", its number is a tax code


@dataclass(frozen=True)
class Component(_Normalised):
    """One paper of the dossier, as checked at the counter."""

    name: str
    originals: int | None = None  # bản chính
    copies: int | None = None  # bản sao
    provided: bool = True
    needs: str = ""  # for a missing/wrong item: what the citizen must bring or fix
    required: bool = True  # an optional paper not handed in is neither listed as received nor as missing

    def form_rows(self) -> list[tuple[str, str]]:
        """(hình thức, số lượng) lines: one per kind of copy that is asked for."""
        rows = []
        if self.originals:
            rows.append(("Bản chính", f"{self.originals:02d}"))
        if self.copies:
            rows.append(("Bản sao", f"{self.copies:02d}"))
        return rows or [("", "")]

    def count_text(self) -> str:
        """'1 bản chính, 2 bản sao' for running text."""
        parts = []
        if self.originals:
            parts.append(f"{self.originals} bản chính")
        if self.copies:
            parts.append(f"{self.copies} bản sao")
        return ", ".join(parts)


@dataclass(frozen=True)
class ControlRow(_Normalised):
    """One hand-over on the control slip: who gave the dossier to whom, when, with what result."""

    step: str  # "Giao: Bộ phận TN&TKQ\nNhận: Công chức Tư pháp - Hộ tịch"
    at: datetime | None = None  # None: left blank to fill in by hand
    result: str = ""  # "Trước hạn" / "Đúng hạn" / "Quá hạn"
    note: str = ""


@dataclass(frozen=True)
class SlipData(_Normalised):
    code: str  # mã hồ sơ
    agency: Agency
    applicant: Applicant
    procedure_name: str
    procedure_code: str = ""
    components: tuple[Component, ...] = ()
    issued_at: datetime | None = None  # the "<place>, ngày … tháng … năm …" date; default received_at
    received_at: datetime | None = None
    due_at: datetime | None = None  # None: the procedure has no fixed time -> "chưa xác định"
    processing_time: str = ""  # "5 ngày làm việc"
    sets: int = 1  # số lượng hồ sơ (bộ)
    fee_amount: int | None = None  # VND; None = no fee line known
    fee_exempt_reason: str = ""
    fee_receipt_no: str = ""
    channel: str = "direct"
    delivery: str = "counter"
    delivery_address: str = ""
    number: str = ""  # "Số: …" — defaults to the dossier's sequence
    book_volume: str = ""  # Sổ theo dõi hồ sơ: quyển số
    book_number: str = ""  # số thứ tự
    clerk_name: str = ""
    supplement_note: str = ""
    refusal_reason: str = ""
    replaces: str = ""  # "Phiếu này thay thế phiếu đã cấp trước đó …" after the applicant's details were corrected
    apology_reason: str = ""
    original_due_at: datetime | None = None  # the first appointment (before any extension)
    new_due_at: datetime | None = None
    previous_due_at: datetime | None = None  # the appointment this apology moves (= original at the first)
    extension_no: int = 1  # the how-many-th apology/extension of this dossier
    stop_reason: str = ""  # the ground for stopping (Mẫu 05)
    stopped_at: datetime | None = None
    forwarded_to: str = ""  # the stage reached: "" = still at the counter, else the agency it went to
    fee_refund: bool | None = None  # whether the fees paid are refunded; None = not recorded (by hand)
    processing_agency: str = ""
    coordinating_agencies: str = ""
    head_title: str = ""  # who signs the apology and the stop notice; default from the form set
    control_rows: tuple[ControlRow, ...] = field(default_factory=tuple)

    @property
    def missing(self) -> tuple[Component, ...]:
        return tuple(c for c in self.components if not c.provided and c.required)

    @property
    def provided_components(self) -> tuple[Component, ...]:
        return tuple(c for c in self.components if c.provided)

    def issue_date(self) -> date | None:
        moment = self.issued_at or self.received_at
        return moment.date() if moment else None

    def slip_number(self) -> str:
        """'Số: 1001' — the slip's own number if set, else the dossier's daily sequence."""
        if self.number:
            return self.number
        tail = self.code.rsplit("-", 1)[-1]
        return tail if tail.isdigit() else ""

    def with_(self, **changes: Any) -> SlipData:
        return replace(self, **changes)
