"""What the province publishes to its counters: the procedure catalogue and the calendar of days off.

`motcua-hub publish-catalog FILE` takes the file a counter imports (`{"procedures": [...]}`, read by
the counter's own `domain.catalog.parse_catalogue`); `publish-calendar FILE` the CSV a counter imports
(`date,kind,note`, `domain.calendar.parse_overrides_csv`). Either the whole file is valid and becomes
the next numbered version of its kind, or nothing is stored and every problem is listed. Counters pull
the newest version with `GET /v1/catalog?after=N` / `GET /v1/calendar?after=N` (docs/sync-protocol.md).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Connection, Engine, func, insert, select

from motcua_desktop.domain.calendar import check_year, parse_overrides_csv
from motcua_desktop.domain.catalog import parse_catalogue, code_key
from motcua_desktop.domain.errors import UserError

from .schema import publications
from .store import BadInput, hub_time, read, write

Kind = Literal["catalog", "calendar"]
KINDS: tuple[Kind, ...] = ("catalog", "calendar")
MAX_FILE_BYTES = 50 * 1024 * 1024


class PublishInvalid(BadInput):
    """A file with problems: nothing was published."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        shown = "; ".join(problems[:20]) + (f"; … and {len(problems) - 20} more" if len(problems) > 20 else "")
        super().__init__("invalid_file", f"{path.name}: {len(problems)} problem(s), nothing published: {shown}",
                         problems=problems)
        self.problems = problems


def _read(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise BadInput("file_too_large", f"{path} is larger than {MAX_FILE_BYTES // 2**20} MiB")
        return path.read_bytes()
    except FileNotFoundError:
        raise BadInput("no_file", f"no such file: {path}") from None
    except (IsADirectoryError, PermissionError):
        raise BadInput("no_file", f"cannot read {path}") from None


def catalog_content(path: Path) -> tuple[str, int]:
    """The canonical JSON of a valid catalogue file, and its number of procedures."""
    try:
        data = json.loads(_read(path).decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise PublishInvalid(path, ["(tệp): không phải văn bản UTF-8"]) from None
    except json.JSONDecodeError as e:
        raise PublishInvalid(path, [f"dòng {e.lineno}, cột {e.colno}: JSON sai cú pháp: {e.msg}"]) from None
    except RecursionError:
        raise PublishInvalid(path, ["(tệp): JSON lồng nhau quá sâu"]) from None
    procedures, problems = parse_catalogue(data)
    if problems:
        raise PublishInvalid(path, [str(p) for p in problems])
    assert len({code_key(p.code) for p in procedures}) == len(procedures)
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")), len(procedures)


def calendar_content(path: Path) -> tuple[str, int]:
    try:
        text = _read(path).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PublishInvalid(path, ["(tệp): không phải văn bản UTF-8"]) from None
    rows, problems = parse_overrides_csv(text)
    for r in rows:
        try:
            check_year(r.day)
        except UserError as e:
            problems.append(f"{r.day.isoformat()}: {e.message_vi}")
    if problems:
        raise PublishInvalid(path, problems)
    if not rows:
        raise PublishInvalid(path, ["(tệp): không có dòng nào"])
    days = [{"date": r.day.isoformat(), "kind": r.kind, "note": r.note} for r in sorted(rows, key=lambda r: r.day)]
    return json.dumps({"days": days}, ensure_ascii=False, sort_keys=True, separators=(",", ":")), len(days)


def publish(engine: Engine, kind: Kind, path: Path) -> dict[str, Any]:
    """Validate the whole file, then store it as the next version of `kind` (one transaction)."""
    content, items = (catalog_content if kind == "catalog" else calendar_content)(Path(path))
    digest = hashlib.sha256(content.encode("utf-8")).hexdigest()

    def work(conn: Connection) -> dict[str, Any]:
        last = conn.execute(select(func.max(publications.c.version)).where(publications.c.kind == kind)).scalar()
        version = int(last or 0) + 1  # a concurrent publish takes the same number: the unique index
        stamp = hub_time()            # refuses one and store.write runs it again
        conn.execute(insert(publications).values(kind=kind, version=version, content=content, sha256=digest,
                                                 items=items, source=Path(path).name[:300], published_at=stamp))
        return {"kind": kind, "version": version, "items": items, "sha256": digest, "source": Path(path).name,
                "published_at": stamp}

    return write(engine, work)


def latest(engine: Engine, kind: Kind, after: int) -> dict[str, Any]:
    """`GET /v1/<kind>?after=N`: the newest version when it is newer than N, else none."""
    with read(engine) as conn:
        row = conn.execute(select(publications).where(publications.c.kind == kind)
                           .order_by(publications.c.version.desc()).limit(1)).first()
    newest = int(row.version) if row else 0
    out: dict[str, Any] = {"latest": newest, "publication": None}
    if row is not None and newest > after:
        out["publication"] = {"version": newest, "published_at": row.published_at, "source": row.source,
                              "sha256": row.sha256, "items": row._mapping["items"], "content": json.loads(row.content)}
    return out


def listing(engine: Engine, kind: Kind | None = None) -> list[dict[str, Any]]:
    q = select(publications.c.kind, publications.c.version, publications.c["items"], publications.c.sha256,
               publications.c.source, publications.c.published_at)
    if kind is not None:
        q = q.where(publications.c.kind == kind)
    with read(engine) as conn:
        rows = conn.execute(q.order_by(publications.c.kind, publications.c.version)).all()
    return [dict(r._mapping) for r in rows]
