"""The dossier register's query: a page of dossiers, newest first contact first, by what the clerk knows.

Every filter is an equality or a range on one of the register indexes (db/0014_register.sql), so a
page costs a few index steps however large the store. Only the narrow columns are read (never the
procedure snapshot).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .db import Store

# What a register row needs: no snapshot, no checklist.
_COLUMNS = ("d.code, d.status, d.procedure_code, p.name AS procedure_name, d.applicant_name, d.id_kind, "
            "d.id_number, d.phone, d.first_contact_at, d.received_at, d.due_at")
# A name prefix matching more dossiers than this is read in time order (most pages fill within a few
# thousand rows); a rarer one off the name index, then sorted.
COMMON_PREFIX = 5000
_TOP = "\U0010ffff"
# The folded name's last word, the given name: word for word the expression of index dossiers_reg_given.
GIVEN_NAME = ("substr(applicant_name_folded, length(rtrim(applicant_name_folded, "
              "replace(applicant_name_folded, ' ', ''))) + 1)")


@dataclass(frozen=True)
class Filters:
    """Each set field narrows the register; the text fields are already in their stored form."""
    code: str | None = None  # the whole code
    digits: str | None = None  # typed digits: an identity or phone number, the code's last digits
    phone: str | None = None  # `digits` as a stored phone number
    id_number: str | None = None  # an identity document number (CCCD, CMND, passport) as stored
    name_prefix: str | None = None  # folded applicant name, prefix
    given_prefix: str | None = None  # or the start of the given name (one typed word)
    statuses: tuple[str, ...] = ()
    procedure_code: str | None = None
    first_from: str | None = None  # first contact at or after (ISO)
    first_before: str | None = None  # first contact before (ISO)


def _where(f: Filters, *, name_by_index: bool = True) -> tuple[str, list[Any]]:
    terms: list[str] = []
    params: list[Any] = []
    if f.code:
        terms.append("d.code = ?")
        params.append(f.code)
    alternatives: list[str] = []
    if f.id_number:
        alternatives.append("d.id_number = ?")
        params.append(f.id_number)
    if f.phone:
        alternatives.append("d.phone = ?")
        params.append(f.phone)
    if f.digits and f.digits.isdigit():
        if len(f.digits) <= 4:
            alternatives.append("substr(d.code, -4) = ?")
            params.append(f.digits.zfill(4))
        elif len(f.digits) == 10:  # YYMMDDNNNN typed without the dash
            alternatives.append("substr(d.code, -11) = ?")
            params.append(f"{f.digits[:6]}-{f.digits[6:]}")
    if alternatives:
        terms.append("(" + " OR ".join(alternatives) + ")")
    names: list[str] = []
    plus = "" if name_by_index else "+"  # unary plus: not off that index (a common prefix reads in time order)
    if f.name_prefix:
        names.append(f"({plus}applicant_name_folded >= ? AND {plus}applicant_name_folded < ?)")
        params += [f.name_prefix, f.name_prefix + _TOP]
    if f.given_prefix:
        names.append(f"({plus}{GIVEN_NAME} >= ? AND {plus}{GIVEN_NAME} < ?)")
        params += [f.given_prefix, f.given_prefix + _TOP]
    if names:
        terms.append("(" + " OR ".join(names) + ")")
    if f.statuses:
        terms.append(f"d.status IN ({', '.join('?' for _ in f.statuses)})")
        params += list(f.statuses)
    if f.procedure_code:
        terms.append("d.procedure_code = ?")
        params.append(f.procedure_code)
    if f.first_from:
        terms.append("d.first_contact_at >= ?")
        params.append(f.first_from)
    if f.first_before:
        terms.append("d.first_contact_at < ?")
        params.append(f.first_before)
    return (" WHERE " + " AND ".join(terms)) if terms else "", params


def _common(store: Store, expression: str, prefix: str | None) -> bool:
    """More than COMMON_PREFIX dossiers have a name (or given name) starting so (counted off its index)."""
    if not prefix:
        return False
    row = store.query_one(f"SELECT count(*) AS n FROM (SELECT 1 FROM dossiers WHERE {expression} >= ? "
                          f"AND {expression} < ? LIMIT ?)", (prefix, prefix + _TOP, COMMON_PREFIX))
    return bool(row and row["n"] >= COMMON_PREFIX)


def find(store: Store, f: Filters, *, limit: int, offset: int = 0) -> list[dict[str, Any]]:
    """One page of register rows, newest first contact first (then code)."""
    # Within a period the name index is read whole for the prefix (its entries carry first_contact_at:
    # no row is fetched to filter) and the few matches sorted; without one, a common prefix is read in
    # time order off the newest rows until the page is full.
    by_index = bool(f.first_from or f.first_before) or not (
        _common(store, "applicant_name_folded", f.name_prefix) or _common(store, GIVEN_NAME, f.given_prefix))
    where, params = _where(f, name_by_index=by_index)
    return store.query(
        f"SELECT {_COLUMNS} FROM dossiers d LEFT JOIN procedures p ON p.code = d.procedure_code{where} "
        "ORDER BY d.first_contact_at DESC, d.code DESC LIMIT ? OFFSET ?", (*params, limit, offset))
