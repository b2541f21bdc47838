"""The form sets a counter prints with: the shipped ones, corrections an administrator imports, and
(later) the sets the hub publishes.

- ``in_force(ctx, on)``: the set the slips of that day use — the setting ``form_set`` picks the set,
  its versions' ``effective_from`` pick the version (slips/forms.py ``in_force``). Slips issued are
  archived files: a later set never changes them (reprints are the file, services/slips.py).
- ``export_set(ctx, folder)``: the set in force as a JSON file to edit (a user-named output, the one
  rule of services/outputs.py).
- ``import_file(ctx, path)``: a corrected set, checked whole (every problem named, nothing kept when
  one is wrong), stored with source "local" and audited.
- ``install(ctx, content, source=…)``: the seam both paths share; the hub's sync will call it with
  ``source="hub"`` for a set it publishes.
"""

from __future__ import annotations

from typing import Any

import hashlib
import json
import logging
from datetime import date
from pathlib import Path

from ..domain.accounts import Permission
from ..errors import UserError
from ..slips import forms
from ..slips.forms import FormSet
from ..store import audit_repo, form_set_repo
from . import outputs
from .context import Context, iso

log = logging.getLogger(__name__)
SOURCES = ("local", "hub")
MAX_BYTES = 1_000_000  # a form set is a few tens of kilobytes


def installed(ctx: Context) -> list[FormSet]:
    """The sets stored on this counter, oldest installation first. A stored set that no longer passes
    the checks (a newer release needs a label it lacks) is skipped, and logged: the shipped set prints."""
    out = []
    for row in form_set_repo.all_sets(ctx.store):
        try:
            out.append(forms.parse(row["content"], f"#{row['id']}", source=row["source"]))
        except UserError as error:
            log.warning("installed form set #%s (%s) skipped: %s", row["id"], row["set_id"], error.message_en)
    return out


def candidates(ctx: Context) -> list[FormSet]:
    """Every set the setting may choose, shipped first, then installed ones in installation order."""
    return [forms.shipped(s) for s in forms.SHIPPED_SETS] + installed(ctx)


def in_force(ctx: Context, on: date | None = None) -> FormSet:
    """The set the slips printed on `on` (default today) carry."""
    chosen = str(ctx.settings().get("form_set") or forms.DEFAULT_SET)
    return forms.in_force(candidates(ctx), chosen, on or ctx.now().date())


def tracking_book(ctx: Context) -> tuple[str, str]:
    """The tracking book's (form number, title) in the set in force today: Mẫu số 07, SỔ THEO DÕI HỒ SƠ."""
    return forms.tracking_book(in_force(ctx))


def install(ctx: Context, content: bytes, *, source: str, what: str = "") -> FormSet:
    """Check a set whole and store it (all or nothing), audited. `source`: "local" for an
    administrator's import, "hub" for a set the hub publishes."""
    if source not in SOURCES:
        raise ValueError(f"form set source {source!r} not one of {SOURCES}")
    fs = forms.parse(content, what or "?", source=source)
    raw = dict(fs.raw)
    raw["source"] = source
    text = json.dumps(raw, ensure_ascii=False, indent=2)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    now = iso(ctx.now())
    with ctx.store.transaction():
        row_id = form_set_repo.insert(ctx.store, set_id=fs.id, effective_from=fs.effective_from.isoformat(),
                                      source=source, content=text, sha256=digest, installed_at=now,
                                      actor=ctx.who())
        audit_repo.record(ctx.store, at=now, actor=ctx.who(), action=f"form_set.install_{source}", subject=fs.id,
                          detail={"row": row_id, "name": fs.name, "effective_from": fs.effective_from.isoformat(),
                                  "sha256": digest, "file": what})
    return forms.load(raw, what, source=source)


def import_file(ctx: Context, path: Path) -> FormSet:
    """`motcua forms import FILE`: an administrator's corrected set, marked "local"."""
    ctx.require(Permission.SETTINGS)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise UserError(f"Tệp {path} quá lớn cho một bộ mẫu ({size} byte).",
                            f"{path} is too large for a form set ({size} bytes)")
        content = path.read_bytes()
    except OSError as error:
        raise UserError(f"Không đọc được tệp {path} ({error.strerror or error}).",
                        f"cannot read {path}: {error}") from error
    return install(ctx, content, source="local", what=path.name)


def export_set(ctx: Context, folder: Path, *, force: bool = False, on: date | None = None) -> Path:
    """`motcua forms export DIR`: the set in force written as DIR/<id>.json, to edit and import."""
    fs = in_force(ctx, on)
    target = outputs.check_output(Path(folder) / f"{fs.id}.json", ctx.data_dir, force=force)
    raw = dict(fs.raw)
    raw["source"] = fs.source
    content = (json.dumps(raw, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    outputs.write_output(target, content)
    audit_repo.record(ctx.store, at=iso(ctx.now()), actor=ctx.who(), action="form_set.export", subject=fs.id,
                      detail={"source": fs.source, "effective_from": fs.effective_from.isoformat()})
    return target.shown


def describe(ctx: Context) -> list[dict[str, Any]]:
    """Every set with where it comes from and whether it is the one in force today (lists, settings)."""
    sets = candidates(ctx)
    chosen = str(ctx.settings().get("form_set") or forms.DEFAULT_SET)
    current = forms.in_force(sets, chosen, ctx.now().date())
    out = []
    for fs in sets:
        out.append({"id": fs.id, "name": fs.name, "effective_from": fs.effective_from.isoformat(),
                    "source": fs.source, "in_force": fs is current})
    return out
