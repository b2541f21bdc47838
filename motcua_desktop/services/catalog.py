"""Importing and searching the procedure catalogue."""

from __future__ import annotations

from typing import Any

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..domain.catalog import Problem, Procedure, parse_catalogue
from ..domain.search import aliases_for, synonym_aliases
from ..domain.accounts import Permission
from ..errors import NotFound, UserError
from ..paths import resources_dir
from ..store import audit_repo, catalog_repo, sync_repo
from .context import Context, iso

MAX_FILE_BYTES = 50 * 1024 * 1024


class CatalogueInvalid(UserError):
    """A catalogue file with problems; nothing was imported."""

    def __init__(self, path: Path, problems: list[Problem]) -> None:
        shown = "\n".join(f"  - {p}" for p in problems[:200])
        more = f"\n  … và {len(problems) - 200} lỗi khác" if len(problems) > 200 else ""
        super().__init__(
            f"Tệp danh mục {path.name} có {len(problems)} lỗi, chưa nhập gì:\n{shown}{more}",
            f"catalogue {path} has {len(problems)} problem(s); nothing was imported:\n{shown}{more}",
        )
        self.problems = problems


@dataclass(frozen=True)
class ImportCounts:
    """What an import added, changed into a new version, and left as it was."""

    added: int
    updated: int
    unchanged: int


@dataclass(frozen=True)
class SearchHit:
    """One procedure found by `search`: what the result list shows and the version to open."""

    code: str
    name: str
    field: str
    national_code: str | None
    version_id: int


def _counts(found: catalog_repo.ImportCounts) -> ImportCounts:
    return ImportCounts(found.added, found.updated, found.unchanged)


@dataclass(frozen=True)
class ImportReport:
    procedures: int
    counts: ImportCounts
    dry_run: bool


@lru_cache(maxsize=1)
def abbreviations() -> dict[str, str]:
    data = json.loads((resources_dir() / "abbreviations.json").read_text(encoding="utf-8"))
    return dict(data["abbreviations"])


@lru_cache(maxsize=1)
def synonyms() -> dict[str, str]:
    """What people say → the official phrase (resources/abbreviations.json 'synonyms')."""
    data = json.loads((resources_dir() / "abbreviations.json").read_text(encoding="utf-8"))
    return dict(data.get("synonyms", {}))


def aliases(p: Procedure) -> list[str]:
    text = f"{p.name} {p.field}"
    return aliases_for(text, abbreviations()) + synonym_aliases(text, synonyms())


_aliases = aliases


def read_catalogue(path: Path) -> list[Procedure]:
    """Read and validate a whole file; raise CatalogueInvalid listing every problem."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise UserError(f"Tệp {path.name} quá lớn ({size // 1_000_000} MB).", f"{path} is too large")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise UserError(f"Không tìm thấy tệp {path}.", f"file not found: {path}") from None
    except IsADirectoryError:
        raise UserError(f"{path} là thư mục, không phải tệp.", f"{path} is a directory") from None
    except PermissionError:
        raise UserError(f"Không có quyền đọc tệp {path}.", f"permission denied: {path}") from None
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise CatalogueInvalid(path, [Problem("(tệp)", "không phải văn bản UTF-8")]) from None
    except json.JSONDecodeError as e:
        raise CatalogueInvalid(path, [Problem(f"dòng {e.lineno}, cột {e.colno}", f"JSON sai cú pháp: {e.msg}")]) from None
    except RecursionError:  # '[[[[…' nested deeper than Python's parser goes: not a catalogue
        raise CatalogueInvalid(path, [Problem("(tệp)", "JSON lồng nhau quá sâu")]) from None
    procedures, problems = parse_catalogue(data)
    if problems:
        raise CatalogueInvalid(path, problems)
    return procedures


def import_catalogue(ctx: Context, path: Path, *, dry_run: bool = False) -> ImportReport:
    """Validate all, then apply all-or-nothing. A changed procedure gets a new version."""
    ctx.require(Permission.CATALOG)
    procedures = read_catalogue(path)
    if dry_run:
        _refuse_case_clashes(ctx, path, procedures)
        return ImportReport(len(procedures), _counts(catalog_repo.plan_import(ctx.store, procedures)), True)
    at = iso(ctx.now())
    with ctx.store.transaction():
        _refuse_case_clashes(ctx, path, procedures)  # under the write lock: no other import in between
        counts = catalog_repo.apply_import(ctx.store, procedures, aliases=_aliases, source=Path(path).name, at=at)
        audit_repo.record(ctx.store, at=at, actor=ctx.who(), action="catalog.import", subject=Path(path).name,
                          detail={"added": counts.added, "updated": counts.updated, "unchanged": counts.unchanged})
        # In force now: a local file (the next catalogue the hub publishes replaces it again).
        sync_repo.set_published(ctx.store, "catalog", source="local", label=Path(path).name, at=at)
    return ImportReport(len(procedures), _counts(counts), False)


def _refuse_case_clashes(ctx: Context, path: Path, procedures: list[Procedure]) -> None:
    clashes = catalog_repo.case_clashes(ctx.store, [p.code for p in procedures])
    if clashes:
        raise CatalogueInvalid(Path(path), [
            Problem(f"{new}: id", f"danh mục đã có thủ tục '{old}': mã chỉ khác chữ hoa/thường là cùng một mã "
                                  f"(sửa id trong tệp thành '{old}' để cập nhật thủ tục đó)")
            for new, old in clashes])


def search(ctx: Context, query: str, limit: int = 50) -> list[SearchHit]:
    return [SearchHit(h.code, h.name, h.field, h.national_code, h.version_id)
            for h in catalog_repo.search(ctx.store, query, limit)]


def procedure(ctx: Context, code: str) -> tuple[int, Procedure]:
    """The current version of a procedure: (version id, procedure)."""
    found = catalog_repo.get_current(ctx.store, code.strip())
    if found is None:
        raise NotFound(f"Không có thủ tục mã '{code}' trong danh mục.", f"no procedure {code!r} in the catalogue")
    return found


def search_rows(ctx: Context, query: str, limit: int = 50) -> list[dict[str, Any]]:
    """The `catalog search --json` shape: [{code, name, field, processing_time}]."""
    out = []
    for hit in search(ctx, query, limit):
        proc = catalog_repo.get_version(ctx.store, hit.version_id)
        out.append({"code": hit.code, "name": hit.name, "field": hit.field,
                    "processing_time": proc.processing_time.label() if proc else None})
    return out
