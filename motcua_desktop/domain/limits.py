"""How long each piece of free text may be: what fits on a slip and in a register column.

Data, declared once (the README's table is this one). A value over its limit is a UserError naming
the field and the limit, raised before anything is written. Lengths count characters after NFC and
whitespace collapsing (what would be stored).
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import UserError


@dataclass(frozen=True)
class Limit:
    key: str  # how the English message names the field (the CLI option or catalogue path)
    label_vi: str
    max_chars: int


def _limits(*items: Limit) -> dict[str, Limit]:
    return {item.key: item for item in items}


LIMITS: dict[str, Limit] = _limits(
    # The applicant (slip header lines, register columns)
    Limit("name", "Họ tên / tên tổ chức", 200),
    Limit("email", "Địa chỉ email", 254),  # RFC 5321's longest address
    Limit("address", "Địa chỉ", 300),
    Limit("delivery_address", "Địa chỉ nhận kết quả", 300),
    # The dossier
    Limit("fee_receipt", "Số biên lai", 50),
    Limit("fee_exempt_reason", "Lý do miễn phí, lệ phí", 500),
    Limit("note", "Ghi chú hướng dẫn bổ sung", 2000),
    Limit("reason", "Lý do", 1000),
    Limit("to", "Cơ quan / công chức nhận hồ sơ (--to)", 200),
    Limit("collector_note", "Ghi chú người nhận thay", 500),
    Limit("calendar_note", "Ghi chú ngày nghỉ / làm bù", 200),
    Limit("conflict_note", "Ghi chú xử lý xung đột đồng bộ (--note)", 500),
    # Settings (slip header and signature lines)
    Limit("agency_name", "Tên đơn vị", 200),
    Limit("parent_agency", "Cơ quan cấp trên", 200),
    Limit("place_name", "Địa danh", 100),
    Limit("clerk_name", "Họ tên cán bộ", 100),
    Limit("contact_phone", "Số điện thoại hỗ trợ", 50),
    Limit("printer", "Tên máy in", 200),
    # The catalogue
    Limit("name_vi", "Tên thủ tục", 500),
    Limit("field_vi", "Lĩnh vực", 200),
    Limit("documents.name_vi", "Tên thành phần hồ sơ", 500),
    Limit("documents.note", "Ghi chú thành phần hồ sơ", 1000),
    Limit("catalogue_text", "Văn bản mô tả trong danh mục", 2000),  # text_vi, set_by, legal basis, …
    Limit("notes", "Ghi chú thủ tục", 5000),
)
MAX_DOCUMENTS = 100  # components of one procedure (the checklist, the supplement slip)
MAX_LIST_ITEMS = 100  # documents_to_present, legal_basis


def too_long(key: str, value: str | None) -> str | None:
    """The Vietnamese problem when `value` is over its field's limit, else None."""
    limit = LIMITS[key]
    if value is not None and len(value) > limit.max_chars:
        return f"{limit.label_vi} quá dài: {len(value)} ký tự, tối đa {limit.max_chars} ký tự."
    return None


def check_length(key: str, value: str | None) -> str | None:
    """`value` unchanged, or a UserError naming the field and its limit."""
    problem = too_long(key, value)
    if problem:
        limit = LIMITS[key]
        raise UserError(problem, f"{key} is {len(value or '')} characters long; at most {limit.max_chars}")
    return value
