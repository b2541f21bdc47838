"""Setting a counter up: agency identity, the sample catalogue, the demo data dir."""

from __future__ import annotations

from typing import Any

from pathlib import Path

from ..errors import UserError
from ..paths import sample_catalogue
from ..store import audit_repo, catalog_repo, settings_repo
from . import catalog
from .context import Context, iso, open_context


def init_values(*, agency_code: str, agency_name: str, counter_slot: int | str | None = None,
                place_name: str | None = None) -> dict[str, Any]:
    """The settings `init` writes, each checked: call it before creating a data dir, so that a typing
    mistake leaves no half-made counter behind."""
    from ..domain.settings import parse_setting, place_from_agency_name

    values = {"agency_code": parse_setting("agency_code", agency_code),
              "agency_name": parse_setting("agency_name", agency_name)}
    if counter_slot is not None:
        values["counter_slot"] = parse_setting("counter_slot", counter_slot)
    place_name = place_name or place_from_agency_name(values["agency_name"])
    if place_name:
        values["place_name"] = parse_setting("place_name", place_name)
    return values


def init(ctx: Context, *, agency_code: str, agency_name: str, counter_slot: int | None = None,
         place_name: str | None = None, load_sample: bool = True) -> None:
    """Record the agency identity (validated first, then written together) and load the sample catalogue.

    An initialised counter keeps its identity: its codes are already on citizens' slips, so a second
    `init` with other values is refused (changing them is a deliberate `settings` change)."""
    values = init_values(agency_code=agency_code, agency_name=agency_name, counter_slot=counter_slot,
                         place_name=place_name)
    if settings_repo.is_initialised(ctx.store):
        current = settings_repo.get_all(ctx.store)
        changed = sorted(k for k, v in values.items() if current.get(k) != v)
        if changed:
            raise UserError(
                f"Quầy đã được khởi tạo ({current['agency_code']}, {current['agency_name']}); muốn đổi "
                f"{', '.join(changed)} thì dùng phần Thiết lập.",
                f"this counter is already initialised ({current['agency_code']}); change "
                f"{', '.join(changed)} with 'motcua settings KEY=VALUE'")
    with ctx.store.transaction():
        for key, value in values.items():
            settings_repo.put(ctx.store, key, value)
        audit_repo.record(ctx.store, at=iso(ctx.now()), actor=ctx.who(), action="init", detail=values)
    if load_sample and catalog_repo.count(ctx.store) == 0:
        catalog.import_catalogue(ctx, sample_catalogue())


def is_initialised(ctx: Context) -> bool:
    """Whether this data dir is a set-up counter (an agency recorded), not just a database file."""
    return settings_repo.is_initialised(ctx.store)


def open_demo(data_dir: Path) -> Context:
    """A ready demo counter in data_dir (created and loaded with the sample catalogue if new)."""
    ctx = open_context(data_dir)
    if not settings_repo.is_initialised(ctx.store):
        init(ctx, agency_code="000.00.01.H22", agency_name="UBND XÃ HÒA BÌNH", counter_slot=1,
             place_name="Hòa Bình")
    return ctx
