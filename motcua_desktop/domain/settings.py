"""Every setting of a counter, declared once: name, type, default, description, validation."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Callable

from .errors import UserError
from .limits import LIMITS, check_length
from .text import ascii_upper, clean

# QCVN 102:2016 agency identifier, e.g. 000.00.01.H22 (V1V2V3.Z1Z2.Y1Y2.MX1X2).
AGENCY_CODE = re.compile(r"^[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-Z][0-9A-Z]{2}$")
HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$", re.ASCII)
PAPERS = ("a4", "a5", "80mm")


def _agency_code(value: Any) -> str:
    v = ascii_upper(unicodedata.normalize("NFKC", str(value)).strip())
    if not AGENCY_CODE.match(v):
        raise UserError(
            f"Mã đơn vị '{v}' không đúng dạng QCVN 102:2016 (ví dụ 000.00.01.H22).",
            f"agency code {v!r} is not of the QCVN 102:2016 shape (e.g. 000.00.01.H22)",
        )
    return v


def _slot(v: Any) -> int:
    try:
        n = int(v)
    except (TypeError, ValueError):
        n = -1
    if not 0 <= n <= 9:
        raise UserError(f"Số hiệu quầy phải từ 0 đến 9, không phải '{v}'.",
                        f"counter slot must be 0-9, not {v!r}")
    return n


def _text(value: Any) -> str:
    v = clean(str(value))  # NFC like every stored text: a pasted NFD name must print and match the same
    if not v:
        raise UserError("Giá trị không được để trống.", "value must not be empty")
    return v


def _hours(v: Any) -> str:
    """'07:30-11:30,13:30-17:00': the agency's office hours, in order."""
    text = unicodedata.normalize("NFKC", str(v)).replace(" ", "")  # full-width '０７:３０' is 07:30
    spans = [s.split("-") for s in text.split(",") if s]
    prev = ""
    for span in spans:
        if len(span) != 2 or not all(HHMM.match(t) for t in span) or not prev <= span[0] < span[1]:
            raise UserError(
                f"Giờ làm việc '{v}' không hợp lệ (ví dụ 07:30-11:30,13:30-17:00).",
                f"office hours {v!r} invalid (e.g. 07:30-11:30,13:30-17:00)",
            )
        prev = span[1]
    if not spans:
        raise UserError("Giờ làm việc không được để trống.", "office hours must not be empty")
    return ",".join("-".join(s) for s in spans)


def _paper(value: Any) -> str:
    v = str(value).lower()
    if v not in PAPERS:
        raise UserError(f"Khổ giấy '{v}' không hợp lệ (a4, a5, 80mm).", f"paper {v!r} not one of {PAPERS}")
    return v


# Slip kinds (slips/forms.py) named here too, so the settings schema can check print defaults
# without the domain importing the renderers.
SLIP_KINDS = ("receipt", "supplement", "refusal", "apology", "stop", "control")
NOT_ON_ROLL = ("control",)  # the control slip travels with the dossier: A4/A5 only


def _print_defaults(v: Any) -> dict[str, dict[str, str]]:
    """{kind: {"printer": name or "" (ask), "paper": a4|a5|80mm or "" (the counter's default)}}."""
    if isinstance(v, str):
        import json

        try:
            v = json.loads(v or "{}")
        except (json.JSONDecodeError, RecursionError):  # '[[[[…' nested past the parser's depth
            v = None
    if not isinstance(v, dict):
        raise UserError("Thiết lập in phải có dạng {loại phiếu: {printer, paper}}.",
                        "print_defaults must be an object {kind: {printer, paper}}")
    out: dict[str, dict[str, str]] = {}
    for kind, choice in v.items():
        if kind not in SLIP_KINDS or not isinstance(choice, dict):
            raise UserError(f"Loại phiếu '{kind}' không có (một trong: {', '.join(SLIP_KINDS)}).",
                            f"unknown slip kind {kind!r} in print_defaults")
        printer = check_length("printer", clean(str(choice.get("printer") or ""))) or ""
        paper = str(choice.get("paper") or "").lower()
        if paper:
            paper = _paper(paper)
            if paper == "80mm" and kind in NOT_ON_ROLL:
                raise UserError("Phiếu kiểm soát chỉ in khổ A4 hoặc A5.", "the control slip prints on A4/A5 only")
        if printer or paper:
            out[kind] = {"printer": printer, "paper": paper}
    return out


FORM_SET_ID = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,39}$", re.ASCII)


def _form_set(v: Any) -> str:
    """The form set the slips print with ("2025", "2018", or the id of an imported set)."""
    text = unicodedata.normalize("NFKC", str(v)).strip()
    if not FORM_SET_ID.match(text):
        raise UserError(f"Bộ mẫu '{text}' không hợp lệ (ví dụ 2025 hoặc 2018).",
                        f"form set {text!r} invalid (e.g. 2025 or 2018)")
    return text


def _optional(v: Any) -> str:
    return clean(str(v)) if v is not None else ""


def _whole(low: int, high: int, what_vi: str, key: str) -> Callable[[Any], int]:
    """A parser of a whole number in [low, high] typed as digits (ASCII: no '²', no '1e3')."""
    def parse(v: Any) -> int:
        text = str(v).strip()
        if isinstance(v, bool) or not (isinstance(v, int) or (text.isascii() and text.isdecimal())) \
                or not low <= int(text) <= high:
            raise UserError(f"{what_vi} phải từ {low} đến {high}, không phải '{v}'.",
                            f"{key} must be {low}-{high}, not {v!r}")
        return int(text)
    return parse


@dataclass(frozen=True)
class Setting:
    key: str
    default: Any
    description: str
    parse: Callable[[Any], Any]


SETTINGS: dict[str, Setting] = {
    s.key: s
    for s in [
        Setting("agency_code", "000.00.01.H22", "Mã đơn vị (QCVN 102:2016), đầu mã hồ sơ", _agency_code),
        Setting("agency_name", "UBND XÃ MẪU", "Tên đơn vị tiếp nhận (in trên phiếu)", _text),
        Setting("parent_agency", "", "Cơ quan cấp trên (dòng trên tên đơn vị)", _optional),
        Setting("place_name", "Xã Mẫu", "Địa danh ghi trên phiếu: '<địa danh>, ngày … tháng … năm …'", _text),
        Setting("counter_slot", 0, "Số hiệu quầy (0–9): quầy k cấp số k·1000+1 … k·1000+999 mỗi ngày", _slot),
        Setting("clerk_name", "Cán bộ tiếp nhận", "Họ tên cán bộ đang làm việc ở quầy", _text),
        Setting("office_hours", "07:30-11:30,13:30-17:00", "Giờ làm việc của đơn vị", _hours),
        Setting("default_paper", "a4", "Khổ giấy in phiếu mặc định (a4, a5, 80mm)", _paper),
        Setting("print_defaults", {}, "Máy in và khổ giấy mặc định theo từng loại phiếu", _print_defaults),
        Setting("form_set", "2025", "Bộ mẫu phiếu in (2025: Thông tư 03/2025/TT-VPCP; 2018: Thông tư 01/2018/TT-VPCP)",
                _form_set),
        Setting("contact_phone", "", "Số điện thoại hỗ trợ in trên phiếu", _optional),
        Setting("sync_interval_s", 60, "Đồng bộ với hub sau bao nhiêu giây (ngoài lần ngay sau mỗi thao tác ghi)",
                _whole(10, 3600, "Chu kỳ đồng bộ", "sync_interval_s")),
        Setting("backup_dir", "", "Thư mục sao lưu tự động hằng ngày (ví dụ ổ USB); trống = không tự sao lưu",
                _optional),
        Setting("backup_keep", 14, "Số bản sao lưu giữ lại trong thư mục sao lưu",
                _whole(1, 365, "Số bản sao lưu giữ lại", "backup_keep")),
        Setting("lockout_failures", 5, "Số lần nhập sai mật khẩu liên tiếp thì khóa tài khoản",
                _whole(3, 20, "Số lần nhập sai", "lockout_failures")),
        Setting("lockout_minutes", 15, "Thời gian khóa tài khoản (phút)",
                _whole(1, 1440, "Thời gian khóa", "lockout_minutes")),
        Setting("idle_lock_minutes", 10, "Khóa màn hình sau bao nhiêu phút không thao tác",
                _whole(1, 240, "Thời gian khóa màn hình", "idle_lock_minutes")),
        Setting("retention_years", 0, "Sau bao nhiêu năm kể từ khi hồ sơ kết thúc thì xóa số giấy tờ, điện thoại, "
                "email, địa chỉ của người nộp (0 = không xóa)", _whole(0, 100, "Thời hạn lưu", "retention_years")),
    ]
}


_PLACE_PREFIXES = ("UBND", "ỦY BAN NHÂN DÂN", "UỶ BAN NHÂN DÂN", "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG",
                   "XÃ", "PHƯỜNG", "THỊ TRẤN", "ĐẶC KHU", "HUYỆN", "QUẬN", "THỊ XÃ", "THÀNH PHỐ", "TỈNH")


def place_from_agency_name(agency_name: str) -> str | None:
    """'UBND XÃ HÒA BÌNH' → 'Hòa Bình': the place line of a slip when none was given."""
    agency_name = clean(agency_name)
    rest = agency_name.upper()
    changed = True
    while changed:
        changed = False
        for prefix in _PLACE_PREFIXES:
            if rest.startswith(prefix + " "):
                rest, changed = rest[len(prefix) + 1:], True
    return rest.title() if rest and rest != agency_name.upper() else None


def parse_setting(key: str, value: Any) -> Any:
    if key not in SETTINGS:
        raise UserError(f"Không có thiết lập '{key}'.", f"unknown setting {key!r}")
    parsed = SETTINGS[key].parse(value)
    if key in LIMITS and isinstance(parsed, str):  # what fits the slip's header and signature lines
        check_length(key, parsed)
    return parsed
