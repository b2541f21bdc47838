"""The applicant (người nộp hồ sơ): who they are, how to reach them, where the result goes.

`validate` returns every problem at once, in Vietnamese, so the clerk fixes the form in one pass.
`parse_cccd_qr` reads the QR on a chip ID card (CCCD) to pre-fill the form.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date

from .errors import UserError
from .limits import too_long
from .text import ascii_upper, clean

KINDS = ("individual", "organisation")
ID_KINDS = ("cccd", "cmnd", "passport", "tax_code")
ID_KIND_LABELS = {"cccd": "CCCD", "cmnd": "CMND", "passport": "Hộ chiếu", "tax_code": "Mã số thuế"}
DELIVERIES = ("counter", "post")
DELIVERY_LABELS = {"counter": "Tại Bộ phận Một cửa", "post": "Qua dịch vụ bưu chính công ích"}

_CCCD = re.compile(r"^\d{12}$", re.ASCII)
_CMND = re.compile(r"^\d{9}$", re.ASCII)
# Vietnamese passports are one letter + 7 digits; foreign ones vary, so accept 6–9 letters/digits.
_PASSPORT = re.compile(r"^[A-Z0-9]{6,9}$")
_TAX_CODE = re.compile(r"^\d{10}(-\d{3})?$", re.ASCII)
_MOBILE = re.compile(r"^0[35789]\d{8}$", re.ASCII)
_LANDLINE = re.compile(r"^02\d{9}$", re.ASCII)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Applicant:
    name: str
    id_number: str | None = None
    id_kind: str | None = None  # None: guessed from the number (12 digits CCCD, 9 CMND, else passport)
    kind: str = "individual"
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    delivery: str = "counter"
    delivery_address: str | None = None  # post only; defaults to the address


def guess_id_kind(number: str, kind: str = "individual") -> str | None:
    """The document kind a number's shape implies; None for digits only of another length (a CCCD or
    CMND mistyped — never silently a passport: a passport with only digits is chosen explicitly)."""
    if kind == "organisation":
        return "tax_code"
    if _CCCD.match(number):
        return "cccd"
    if _CMND.match(number):
        return "cmnd"
    if number.isascii() and number.isdigit():
        return None
    return "passport"


def normalize_phone(phone: str) -> str:
    """'+84 912.345.678' → '0912345678' (spaces, dots, dashes and brackets dropped)."""
    digits = re.sub(r"[\s.\-()]", "", phone)
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    return digits


def _opt(text: str | None) -> str | None:
    return clean(text) or None if text is not None else None


def normalized(a: Applicant) -> Applicant:
    """NFC, collapsed whitespace, ID numbers upper case without spaces, phone in 0… form."""
    # NFKC: an IME in full-width mode types '００１…'; the stored number must be plain ASCII digits.
    id_number = (ascii_upper(re.sub(r"\s", "", unicodedata.normalize("NFKC", clean(a.id_number))))
                 if a.id_number else None)
    kind = (a.kind or "individual").strip().lower()
    id_kind = a.id_kind or (guess_id_kind(id_number, kind) if id_number else None)
    address = _opt(a.address)
    delivery_address = _opt(a.delivery_address)
    if a.delivery == "post" and not delivery_address:
        delivery_address = address
    return replace(
        a,
        name=clean(a.name or ""),
        id_number=id_number or None,
        id_kind=id_kind,
        kind=kind,
        phone=normalize_phone(unicodedata.normalize("NFKC", clean(a.phone))) or None if a.phone else None,
        email=_opt(a.email.lower()) if a.email else None,
        address=address,
        delivery_address=delivery_address if a.delivery == "post" else None,
    )


def validate(a: Applicant) -> list[str]:
    """Every problem with the (normalized) applicant, as Vietnamese messages; [] when valid."""
    a = normalized(a)
    problems: list[str] = []
    who = "tổ chức" if a.kind == "organisation" else "người nộp"
    if a.kind not in KINDS:
        problems.append(f"Loại người nộp '{a.kind}' không hợp lệ (cá nhân hoặc tổ chức).")
    if not a.name:
        problems.append(f"Chưa nhập tên {who}.")
    else:
        problems.extend(p for p in [too_long("name", a.name)] if p)
    if not a.id_number:
        problems.append("Chưa nhập mã số thuế của tổ chức." if a.kind == "organisation"
                        else "Chưa nhập số giấy tờ tùy thân (CCCD, CMND hoặc hộ chiếu).")
    elif a.id_kind is None:
        problems.append(f"Số giấy tờ '{a.id_number}' có {len(a.id_number)} chữ số: CCCD gồm 12 chữ số, CMND 9 chữ "
                        "số; hộ chiếu chỉ gồm chữ số thì chọn loại giấy tờ là hộ chiếu.")
    elif a.id_kind not in ID_KINDS:
        problems.append(f"Loại giấy tờ '{a.id_kind}' không hợp lệ.")
    elif a.id_kind == "cccd" and not _CCCD.match(a.id_number):
        problems.append(f"Số CCCD '{a.id_number}' phải gồm đúng 12 chữ số.")
    elif a.id_kind == "cmnd" and not _CMND.match(a.id_number):
        problems.append(f"Số CMND '{a.id_number}' phải gồm đúng 9 chữ số.")
    elif a.id_kind == "passport" and not _PASSPORT.match(a.id_number):
        problems.append(f"Số hộ chiếu '{a.id_number}' không hợp lệ: CCCD có 12 chữ số, CMND 9 chữ số, "
                        "hộ chiếu 6–9 chữ cái và chữ số (hộ chiếu Việt Nam: 1 chữ cái và 7 chữ số).")
    elif a.id_kind == "tax_code" and not _TAX_CODE.match(a.id_number):
        problems.append(f"Mã số thuế '{a.id_number}' phải gồm 10 chữ số, hoặc 13 dạng 0123456789-001.")
    if a.phone and not (_MOBILE.match(a.phone) or _LANDLINE.match(a.phone)):
        problems.append(f"Số điện thoại '{a.phone}' không hợp lệ: di động 10 chữ số bắt đầu bằng 03, 05, 07, "
                        "08, 09 (hoặc +84…), cố định 11 chữ số bắt đầu bằng 02.")
    problems.extend(p for p in (too_long("email", a.email), too_long("address", a.address),
                                too_long("delivery_address", a.delivery_address)) if p)
    if a.email and not _EMAIL.match(a.email) and not too_long("email", a.email):
        problems.append(f"Địa chỉ email '{a.email}' không hợp lệ.")
    if a.delivery not in DELIVERIES:
        problems.append(f"Hình thức nhận kết quả '{a.delivery}' không hợp lệ (tại quầy hoặc qua bưu chính).")
    elif a.delivery == "post" and not a.delivery_address:
        problems.append("Nhận kết quả qua bưu chính cần địa chỉ nhận.")
    return problems


def checked(a: Applicant) -> Applicant:
    """The normalized applicant, or a UserError listing every problem."""
    problems = validate(a)
    if problems:
        raise UserError("Thông tin người nộp chưa đúng:\n" + "\n".join(f"  - {p}" for p in problems),
                        "applicant details invalid: " + "; ".join(problems))
    return normalized(a)


@dataclass(frozen=True)
class CccdData:
    """What the QR on a chip ID card holds."""

    id_number: str
    old_id_number: str | None
    name: str
    birth_date: date | None
    sex: str | None
    address: str | None
    issue_date: date | None

    def to_applicant(self, **overrides: object) -> Applicant:
        return Applicant(name=self.name, id_number=self.id_number, id_kind="cccd", address=self.address,
                         **overrides)  # type: ignore[arg-type]


def _ddmmyyyy(text: str) -> date | None:
    if not re.fullmatch(r"\d{8}", text, re.ASCII):
        return None
    try:
        return date(int(text[4:]), int(text[2:4]), int(text[:2]))
    except ValueError:
        return None


def parse_cccd_qr(text: str) -> CccdData:
    """`id|old id|name|ddmmyyyy|sex|address|issue date` → CccdData; UserError when it is not one."""
    parts = [clean(p) for p in clean(text or "").split("|")] if text else []
    if len(parts) < 6 or not _CCCD.match(parts[0]) or not parts[2]:
        raise UserError("Mã QR không phải mã QR của thẻ căn cước công dân.",
                        "the QR text is not a chip ID card (CCCD) QR")
    return CccdData(
        id_number=parts[0],
        old_id_number=parts[1] or None,
        name=parts[2],
        birth_date=_ddmmyyyy(parts[3]),
        sex=parts[4] or None,
        address=parts[5] or None,
        issue_date=_ddmmyyyy(parts[6]) if len(parts) > 6 else None,
    )
