"""`motcua-hub export`: dossiers in the national portal's DongBoHoSoMC shape, from the stored events.

The mapping is pure (`domain/dvcqg.py`); every record is validated against `docs/dvcqg.schema.json`
before it leaves the hub: a record that does not fit is a bug here, never sent on.
"""

from __future__ import annotations

import functools
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]  # no stubs in the test extra
from sqlalchemy import Engine, select

from motcua_desktop.domain import dvcqg
from motcua_desktop.domain.events import Event

from .schema import dossiers, events
from .store import HUB_TZ, BadInput, NotFound, read

_PACKAGE = Path(__file__).resolve().parent.parent


def schema_path() -> Path:
    inside = _PACKAGE / "docs" / "dvcqg.schema.json"  # an installed wheel
    return inside if inside.is_file() else _PACKAGE.parent / "docs" / "dvcqg.schema.json"


@functools.cache
def _validator() -> Any:
    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


class ExportInvalid(Exception):
    """A record the schema refuses (a bug in the mapping)."""


def validate(record: dict[str, Any]) -> dict[str, Any]:
    errors = sorted(_validator().iter_errors(record), key=lambda e: list(e.absolute_path))
    if errors:
        e = errors[0]
        where = "/".join(str(p) for p in e.absolute_path) or "(record)"
        raise ExportInvalid(f"{record.get('MaHoSo')}: {where}: {e.message} ({len(errors)} problem(s))")
    return record


def parse_since(value: str) -> str:
    """A time (with offset, or the hub's wall clock) as the hub stores `updated_at`."""
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise BadInput("bad_since", f"--since {value[:40]!r}: expected YYYY-MM-DDTHH:MM[:SS][+07:00]") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=HUB_TZ)
    return moment.astimezone(HUB_TZ).replace(microsecond=0).isoformat()


def _records(engine: Engine, where: Any) -> list[dict[str, Any]]:
    with read(engine) as conn:
        rows = conn.execute(select(dossiers.c.code, dossiers.c.agency_code).where(where)
                            .order_by(dossiers.c.updated_at, dossiers.c.code)).all()
        bodies: dict[str, list[str]] = {r.code: [] for r in rows}
        if rows:
            q = (select(events.c.dossier_code, events.c.body)
                 .where(events.c.dossier_code.in_(select(dossiers.c.code).where(where)))
                 .order_by(events.c.pos))
            for e in conn.execute(q):
                if e.dossier_code in bodies:
                    bodies[e.dossier_code].append(e.body)
    return [validate(dvcqg.record([Event.from_json(b) for b in bodies[r.code]], agency_code=r.agency_code))
            for r in rows]


def export_one(engine: Engine, code: str) -> dict[str, Any]:
    found = _records(engine, dossiers.c.code == code)
    if not found:
        raise NotFound("unknown_dossier", f"the hub has no dossier {code}")
    return found[0]


def export_since(engine: Engine, since: str) -> list[dict[str, Any]]:
    """Every dossier the hub changed at or after `since` (its clock), oldest change first."""
    return _records(engine, dossiers.c.updated_at >= parse_since(since))
