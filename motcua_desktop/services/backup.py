"""Backups that restore: the database (SQLite's online backup API), the slip archive and a manifest.

A backup is a folder `motcua-backup-<agency>-<YYYYmmdd-HHMMSS>/` holding `motcua.sqlite3`, the archived
slips under `slips/` and `manifest.json` (what it holds, each file's SHA-256, the audit anchor). It is
written as `.partial-…` and renamed only when complete, so a backup killed half-way is never counted as
good. A restore checks the copy first — manifest, hashes, integrity, schema version, agency — and keeps
the data it replaces aside in the data dir's `replaced-<stamp>/` folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from ..domain.accounts import Permission
from ..errors import KnownError, UserError
from ..paths import DB_FILENAME
from ..store import audit_repo, settings_repo
from ..store import snapshot
from ..store.db import schema_version
from . import outputs
from .context import Context, iso

FORMAT = "motcua-backup/1"
MANIFEST = "manifest.json"
_NAME = re.compile(r"^motcua-backup-(?P<agency>[0-9A-Z.]+)-(?P<stamp>\d{8}-\d{6})(?:-\d+)?$")
STALE_AFTER = timedelta(days=2)
LAST_BACKUP_KEY = "last_backup_at"  # the status bar warns when the newest backup is older
# Beside the database, outside it: where the backups went, so that a damaged database can still be
# offered its latest backup (the backup_dir setting lives inside the file that may be unreadable).
LOCATION_HINT = "backup-location.json"


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created_at: str
    agency_code: str
    dossiers: int
    slips: int
    audit_entries: int

    def to_json(self) -> dict[str, Any]:
        return {"path": str(self.path), "created_at": self.created_at, "agency_code": self.agency_code,
                "dossiers": self.dossiers, "slips": self.slips, "audit_entries": self.audit_entries}


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _check_dest(ctx: Context, dest: Path) -> Path:
    dest = Path(dest).expanduser()
    if not dest.is_dir():
        raise UserError(f"Thư mục sao lưu {dest} không tồn tại (cắm ổ USB hoặc tạo thư mục trước).",
                        f"backup folder {dest} does not exist")
    if outputs.inside_data_dir(Path(os.path.realpath(dest)), ctx.data_dir):  # the rule files a user names follow
        raise UserError("Không sao lưu vào chính thư mục dữ liệu: hãy chọn ổ hoặc thư mục khác (ví dụ ổ USB).",
                        f"backup folder {dest} is inside the data dir {ctx.data_dir}")
    return dest


def backup(ctx: Context, dest: Path, *, keep: int | None = None) -> BackupInfo:
    """Write a complete backup into the folder `dest`, then keep only the newest `keep` of this agency."""
    ctx.require(Permission.BACKUP)
    return _backup(ctx, dest, keep=keep)


def _backup(ctx: Context, dest: Path, *, keep: int | None) -> BackupInfo:
    dest = _check_dest(ctx, dest)
    settings = ctx.settings()
    agency = settings["agency_code"]
    now = ctx.now()
    name = f"motcua-backup-{agency}-{now:%Y%m%d-%H%M%S}"
    final, n = dest / name, 1
    while final.exists() or (dest / f".partial-{final.name}").exists():  # two backups in one second
        n += 1
        final = dest / f"{name}-{n}"
    partial = dest / f".partial-{final.name}"
    old_umask = os.umask(0o077)  # citizens' data: readable by the owner only, wherever it is copied
    try:
        partial.mkdir()
        try:
            db_copy = partial / DB_FILENAME
            snapshot.copy_to(ctx.store, db_copy)
            facts = snapshot.read_facts(db_copy)  # the slips and the anchor as of the copy, not as of now
            if facts.integrity != "ok":
                raise KnownError("Bản sao cơ sở dữ liệu không toàn vẹn; chưa có bản sao lưu nào được ghi.",
                                 f"the copy failed its integrity check: {facts.integrity}")
            files = {DB_FILENAME: _sha256(db_copy)}
            for slip in facts.slips:
                source = ctx.data_dir / slip["path"]
                target = partial / slip["path"]
                target.parent.mkdir(parents=True, exist_ok=True)
                try:
                    shutil.copyfile(source, target)
                except OSError as error:
                    raise KnownError(f"Không sao chép được phiếu lưu {slip['path']}: {error.strerror or error}.",
                                     f"cannot copy archived slip {slip['path']}: {error}") from error
                digest = _sha256(target)
                if digest != slip["sha256"]:
                    raise KnownError(f"Phiếu lưu {slip['path']} không khớp mã băm đã ghi; hãy báo quản trị viên.",
                                     f"archived slip {slip['path']} does not match its recorded sha256")
                files[slip["path"]] = digest
            anchor = facts.settings.get(audit_repo.ANCHOR_KEY)
            manifest = {"format": FORMAT, "created_at": iso(now), "agency_code": agency,
                        "counter_slot": settings["counter_slot"], "schema_version": facts.schema_version,
                        "dossiers": facts.dossiers, "slips": len(facts.slips),
                        "audit_anchor": anchor, "files": files}
            with open(partial / MANIFEST, "w", encoding="utf-8") as f:
                json.dump(manifest, f, ensure_ascii=False, indent=2)
                f.flush()
                os.fsync(f.fileno())
            _fsync_dir(partial)
            partial.rename(final)
            _fsync_dir(dest)
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            raise
    except OSError as error:
        raise KnownError(f"Không ghi được bản sao lưu vào {dest}: {error.strerror or error}.",
                         f"cannot write the backup into {dest}: {error}") from error
    finally:
        os.umask(old_umask)
    audit_repo.record(ctx.store, at=iso(ctx.now()), actor=ctx.who(), action="backup", subject=final.name,
                      detail={"dossiers": facts.dossiers, "slips": len(facts.slips)})
    settings_repo.put_state(ctx.store, LAST_BACKUP_KEY, iso(now))
    _remember_location(ctx.data_dir, dest, agency)
    if keep:
        rotate(dest, agency, keep)
    count = int(anchor["count"]) if isinstance(anchor, dict) else 0
    return BackupInfo(final, iso(now), agency, facts.dossiers, len(facts.slips), count)


def list_backups(dest: Path, agency: str | None = None) -> list[Path]:
    """Complete backups in `dest` (newest first), of one agency if given. Partial ones never count."""
    if not Path(dest).is_dir():
        return []
    found = []
    for child in Path(dest).iterdir():
        m = _NAME.match(child.name)
        if m and child.is_dir() and (child / MANIFEST).is_file() and (agency is None or m["agency"] == agency):
            found.append(child)
    return sorted(found, key=lambda p: p.name, reverse=True)


def rotate(dest: Path, agency: str, keep: int) -> list[Path]:
    """Remove all but the newest `keep` complete backups of `agency` (and leftovers of killed backups)."""
    removed = []
    for old in list_backups(dest, agency)[keep:]:
        shutil.rmtree(old, ignore_errors=True)
        removed.append(old)
    for child in Path(dest).iterdir():
        if child.name.startswith(".partial-motcua-backup-") and child.is_dir():
            shutil.rmtree(child, ignore_errors=True)
    return removed


def last_backup_at(ctx: Context) -> datetime | None:
    value = settings_repo.get_state(ctx.store, LAST_BACKUP_KEY)
    return datetime.fromisoformat(value) if isinstance(value, str) else None


def backup_is_stale(ctx: Context) -> bool:
    """No backup yet, or the newest is older than two days: the status bar says so."""
    last = last_backup_at(ctx)
    return last is None or ctx.now() - last > STALE_AFTER


def backup_if_due(ctx: Context) -> BackupInfo | None:
    """The daily backup into the configured folder (setting backup_dir), once per calendar day."""
    settings = ctx.settings()
    folder = settings.get("backup_dir") or ""
    if not folder:
        return None
    last = last_backup_at(ctx)
    if last is not None and last.date() == ctx.now().date():
        return None
    # The app's own daily routine: whoever is signed in, the counter is backed up.
    return _backup(ctx, Path(folder), keep=int(settings.get("backup_keep") or 14))


def _remember_location(data_dir: Path, dest: Path, agency: str) -> None:
    with contextlib.suppress(OSError):  # only a hint: the backup itself is done
        text = json.dumps({"backup_dir": str(Path(os.path.realpath(dest))), "agency_code": agency},
                          ensure_ascii=False)
        tmp = data_dir / f".{LOCATION_HINT}.tmp"
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(data_dir / LOCATION_HINT)


# --- at start: is the database file sound? ------------------------------------------------------------
@dataclass(frozen=True)
class Damage:
    """The data dir's database failed the quick check at start; what to tell the clerk and offer."""
    message_vi: str
    message_en: str
    latest_backup: Path | None  # the newest complete backup where this counter's backups went
    agency_code: str | None  # the agency those backups belong to (the restore checks it)


def check_store_file(data_dir: Path) -> Damage | None:
    """The quick integrity check at start, read-only (not a byte of the file changes). None when the file
    is sound or absent (a first run); a Damage otherwise — the caller never repairs, it may offer a restore."""
    path = Path(data_dir) / DB_FILENAME
    if not path.exists():
        return None
    try:
        facts = snapshot.read_facts(path, full_check=False)
    except KnownError as error:
        message_vi, message_en = error.message_vi, error.message_en
    else:
        if facts.integrity == "ok":
            return None
        message_vi = f"Tệp dữ liệu {path.name} bị hỏng (kiểm tra toàn vẹn: {facts.integrity})."
        message_en = f"{path} fails its integrity check: {facts.integrity}"
    latest, agency = latest_known_backup(Path(data_dir))
    return Damage(message_vi, message_en, latest, agency)


def latest_known_backup(data_dir: Path) -> tuple[Path | None, str | None]:
    """The newest complete backup in the folder this data dir last backed up to, and its agency."""
    try:
        hint = json.loads((Path(data_dir) / LOCATION_HINT).read_text(encoding="utf-8"))
        folder, agency = Path(hint["backup_dir"]), str(hint["agency_code"])
    except (OSError, ValueError, KeyError, TypeError):
        return None, None
    found = list_backups(folder, agency)
    return (found[0] if found else None), agency


# --- restore -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Checked:
    path: Path
    manifest: dict[str, Any]


def check_backup(source: Path, *, agency: str | None) -> Checked:
    """Everything a restore relies on, checked before anything is touched. UserError says what is wrong."""
    source = Path(source).expanduser()
    if source.is_file() and source.name == MANIFEST:
        source = source.parent
    manifest_path = source / MANIFEST
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UserError(f"{source} không phải bản sao lưu của quầy (không có {MANIFEST}).",
                        f"{source} is not a counter backup (no {MANIFEST})") from None
    except (OSError, ValueError) as error:
        raise UserError(f"Không đọc được {manifest_path}: {error}.", f"cannot read {manifest_path}: {error}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or not isinstance(manifest.get("files"), dict):
        raise UserError(f"{manifest_path} không phải tệp kê khai sao lưu của ứng dụng.",
                        f"{manifest_path} is not a motcua backup manifest")
    for rel, digest in manifest["files"].items():
        path = source / rel
        if ".." in Path(rel).parts or Path(rel).is_absolute():
            raise UserError(f"Bản sao lưu có đường dẫn không hợp lệ: {rel}.", f"backup names a bad path {rel!r}")
        if not path.is_file() or _sha256(path) != digest:
            raise UserError(f"Bản sao lưu bị thiếu hoặc hỏng tệp {rel}; không khôi phục.",
                            f"backup file {rel} is missing or does not match its hash; nothing restored")
    facts = snapshot.read_facts(source / DB_FILENAME)
    if facts.integrity != "ok":
        raise UserError("Cơ sở dữ liệu trong bản sao lưu không toàn vẹn; không khôi phục.",
                        f"the backup's database fails its integrity check: {facts.integrity}")
    if facts.schema_version > schema_version():
        raise UserError("Bản sao lưu do phiên bản mới hơn của ứng dụng tạo ra; hãy cập nhật ứng dụng trước.",
                        f"backup schema {facts.schema_version} is newer than this app's {schema_version()}")
    theirs = facts.settings.get("agency_code")
    if agency is not None and theirs != agency:
        raise UserError(f"Bản sao lưu thuộc đơn vị {theirs}, không phải đơn vị của quầy này ({agency}).",
                        f"the backup belongs to agency {theirs}, not {agency}")
    return Checked(source, manifest)


def restore(data_dir: Path, source: Path, *, current_agency: str | None, now: datetime) -> Path | None:
    """Put a checked backup in place of the data dir's store and archive. Returns where the replaced data
    was kept (None when there was none). The caller must have closed every connection to the store."""
    checked = check_backup(source, agency=current_agency)
    data_dir = Path(data_dir)
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    aside: Path | None = None
    live = [data_dir / name for name in (DB_FILENAME, f"{DB_FILENAME}-wal", f"{DB_FILENAME}-shm", "slips")]
    old_umask = os.umask(0o077)
    try:
        incoming = data_dir / f".restoring-{now:%Y%m%d-%H%M%S}"
        shutil.rmtree(incoming, ignore_errors=True)
        incoming.mkdir()
        for rel in checked.manifest["files"]:
            target = incoming / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(checked.path / rel, target)
        if any(p.exists() for p in live):
            aside = data_dir / f"replaced-{now:%Y%m%d-%H%M%S}"
            aside.mkdir()
            for p in live:
                if p.exists():
                    p.rename(aside / p.name)
        (incoming / DB_FILENAME).rename(data_dir / DB_FILENAME)
        if (incoming / "slips").exists():
            (incoming / "slips").rename(data_dir / "slips")
        shutil.rmtree(incoming, ignore_errors=True)
        _fsync_dir(data_dir)
    except OSError as error:
        raise KnownError(f"Không khôi phục được: {error.strerror or error}. Dữ liệu cũ được giữ ở {aside}.",
                         f"restore failed: {error}; the replaced data is kept in {aside}") from error
    finally:
        os.umask(old_umask)
    return aside
