"""The dossier's life: statuses (with the national portal's codes), allowed moves, the checklist."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

from .errors import UserError
from .catalog import Document, Procedure

CHANNELS = ("direct", "post", "online")
CHANNEL_LABELS = {"direct": "Trực tiếp", "post": "Bưu chính công ích", "online": "Trực tuyến"}
FORMS = ("original", "copy")
FORM_LABELS = {"original": "Bản chính", "copy": "Bản sao"}


class Status(str, Enum):
    SUPPLEMENT_REQUESTED = "supplement_requested"
    RECEIVED = "received"
    REFUSED = "refused"
    IN_PROGRESS = "in_progress"
    RESULT_READY = "result_ready"
    RETURNED = "returned"
    WITHDRAWN = "withdrawn"
    STOPPED = "stopped"
    # Hủy: entered by mistake, voided at this counter before anything was forwarded or handed over.
    # The national portal has no such status: a voided dossier has no national code and is left out
    # of national exports; its code stays taken (never reused).
    VOIDED = "voided"

    @property
    def national_code(self) -> int | None:
        """The national portal's status code; None for `voided`, which the portal does not know."""
        return _NATIONAL.get(self)

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def final(self) -> bool:
        return not TRANSITIONS[self]

    def __str__(self) -> str:
        return self.value


_NATIONAL = {
    Status.SUPPLEMENT_REQUESTED: 5, Status.RECEIVED: 2, Status.REFUSED: 3, Status.IN_PROGRESS: 4,
    Status.RESULT_READY: 9, Status.RETURNED: 10, Status.WITHDRAWN: 7, Status.STOPPED: 8,
}
_LABELS = {
    Status.SUPPLEMENT_REQUESTED: "Chờ bổ sung",
    Status.RECEIVED: "Đã tiếp nhận",
    Status.REFUSED: "Từ chối tiếp nhận",
    Status.IN_PROGRESS: "Đang xử lý",
    Status.RESULT_READY: "Đã có kết quả",
    Status.RETURNED: "Đã trả kết quả",
    Status.WITHDRAWN: "Công dân rút hồ sơ",
    Status.STOPPED: "Dừng xử lý",
    Status.VOIDED: "Đã hủy (nhập nhầm)",
}

# The first status of a dossier (at first contact at the counter).
INITIAL = frozenset({Status.RECEIVED, Status.SUPPLEMENT_REQUESTED, Status.REFUSED})

TRANSITIONS: dict[Status, frozenset[Status]] = {
    # The citizen comes back: complete → received; still missing → another round; or refused/withdrawn.
    # A dossier entered by mistake is voided before anything left the counter (services/corrections.py
    # also checks that it was never forwarded).
    Status.SUPPLEMENT_REQUESTED: frozenset({Status.RECEIVED, Status.SUPPLEMENT_REQUESTED, Status.REFUSED,
                                            Status.WITHDRAWN, Status.VOIDED}),
    Status.RECEIVED: frozenset({Status.IN_PROGRESS, Status.RESULT_READY, Status.WITHDRAWN, Status.STOPPED,
                                Status.SUPPLEMENT_REQUESTED, Status.VOIDED}),
    # The processing agency may ask for more papers (national code 5) while it works.
    Status.IN_PROGRESS: frozenset({Status.RESULT_READY, Status.WITHDRAWN, Status.STOPPED,
                                   Status.SUPPLEMENT_REQUESTED}),
    Status.RESULT_READY: frozenset({Status.RETURNED}),
    Status.RETURNED: frozenset(),
    Status.REFUSED: frozenset(),
    Status.WITHDRAWN: frozenset(),
    Status.STOPPED: frozenset(),
    Status.VOIDED: frozenset(),
}
# Statuses a dossier can be voided from (nothing forwarded, nothing handed over).
VOIDABLE = frozenset({Status.RECEIVED, Status.SUPPLEMENT_REQUESTED})


def can_move(current: Status, new: Status) -> bool:
    return new in TRANSITIONS[current]


def check_move(code: str, current: Status, new: Status) -> None:
    if not can_move(current, new):
        raise UserError(
            f"Hồ sơ {code} đang ở trạng thái '{current.label}', không thể chuyển sang '{new.label}'.",
            f"dossier {code} is {current.value}; cannot move to {new.value}",
        )


@dataclass(frozen=True)
class Provided:
    """One component the citizen handed in: its number (1-based), form and count if the clerk noted them."""

    number: int
    form: str | None = None  # "original" | "copy"; None = as the procedure asks
    count: int | None = None


def _component_number(part: str) -> int | None:
    """'2' or a full-width '２' (an IME in full-width mode) → 2; '²', '①', '٢' or anything else → None.
    isdigit() would take '²' and then int() would fail: only decimal digits that NFKC makes ASCII count."""
    if not part.isdecimal() or len(part) > 6:  # no procedure has a million components
        return None
    ascii_part = unicodedata.normalize("NFKC", part)
    return int(ascii_part) if ascii_part.isascii() and ascii_part.isdecimal() else None


def parse_provided(text: str, procedure: Procedure) -> list[Provided]:
    """`all`, `none` or `1,2,…` (components numbered from 1 in catalogue order)."""
    n = len(procedure.documents)
    t = (text or "").strip().lower()
    if not t:  # an empty value is a typing mistake (a shell variable left unset), never "none"
        raise UserError(f"Chưa ghi thành phần đã nộp: ghi all, none hoặc các số 1–{n} cách nhau bởi dấu phẩy.",
                        f"no components given: use all, none or numbers 1-{n} separated by commas")
    if t in ("all", "tất cả"):
        return [Provided(i) for i in range(1, n + 1)]
    if t in ("none", "không"):
        return []
    numbers: list[int] = []
    # '1,2', '1, 2' and '1 2' all mean components 1 and 2 (never component 12); full-width ，too.
    parts = [part for part in re.split(r"[,;\s\uff0c\uff1b\u3001]+", t) if part]
    if not parts:
        raise UserError(f"'{text}' không ghi thành phần nào: ghi all, none hoặc các số 1–{n} cách nhau bởi dấu phẩy.",
                        f"{text!r} names no component: use all, none or numbers 1-{n} separated by commas")
    for part in parts:
        number = _component_number(part)
        if number is None or not 1 <= number <= n:
            raise UserError(
                f"Thành phần hồ sơ '{part}' không có: thủ tục {procedure.code} có {n} thành phần, đánh số 1–{n}.",
                f"component {part!r} does not exist: procedure {procedure.code} has components 1-{n}",
            )
        if number not in numbers:
            numbers.append(number)
    return [Provided(i) for i in sorted(numbers)]


def check_provided(items: Iterable[Provided | int], procedure: Procedure) -> list[Provided]:
    """Components as Provided items, sorted, validated against the procedure; UserError when wrong."""
    n = len(procedure.documents)
    out: dict[int, Provided] = {}
    for item in items:
        p = item if isinstance(item, Provided) else Provided(int(item))
        if not 1 <= p.number <= n:
            raise UserError(f"Thành phần hồ sơ số {p.number} không có (thủ tục có {n} thành phần).",
                            f"component {p.number} does not exist (1-{n})")
        if p.form is not None and p.form not in FORMS:
            raise UserError(f"Hình thức '{p.form}' không hợp lệ (bản chính hoặc bản sao).",
                            f"form {p.form!r} must be original or copy")
        if p.count is not None and not 0 < p.count <= 1000:
            raise UserError(f"Số lượng {p.count} của thành phần số {p.number} không hợp lệ.",
                            f"count {p.count} of component {p.number} invalid")
        out[p.number] = p
    return [out[k] for k in sorted(out)]


def falls_short(doc: Document, p: Provided) -> bool:
    """A paper handed in, but not as the procedure asks: a copy where only an original will do, or fewer
    than the number asked of that form. Unknown counts (None) are never held against the citizen."""
    if p.form == "copy" and doc.originals and not doc.copies:
        return True
    form = p.form or ("original" if doc.originals or not doc.copies else "copy")
    wanted = doc.originals if form == "original" else doc.copies
    return bool(p.count is not None and wanted and p.count < wanted)


def missing_components(procedure: Procedure, provided: Iterable[int | Provided]) -> tuple[int, ...]:
    """Numbers (1-based) of the required components not provided, or provided short of what the
    procedure asks (form, count). A bare number means "as the procedure asks". Optional ones never block."""
    given = {p.number: p for p in (x if isinstance(x, Provided) else Provided(int(x)) for x in provided)}
    return tuple(i for i, doc in enumerate(procedure.documents, start=1)
                 if doc.required and (i not in given or falls_short(doc, given[i])))


def component(procedure: Procedure, number: int) -> Document:
    return procedure.documents[number - 1]


def missing_text(doc: Document) -> str:
    """What one missing component needs, for the supplement slip: 'Giấy chứng sinh (1 bản chính)'."""
    extra = f"; {doc.note}" if doc.note else ""
    return f"{doc.name} ({doc.form_text()}{extra})"
