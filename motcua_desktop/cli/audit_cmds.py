"""`motcua audit [verify]`, `motcua backup DEST`, `motcua restore SRC`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import KnownError
from ..paths import resolve_data_dir
from ..services import audit, backup
from ..services.calendar import parse_day
from ..services.context import now_local, open_context
from .common import add_common, context, print_json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("audit", help="nhật ký thao tác: xem, kiểm tra tính toàn vẹn (audit verify)")
    add_common(p, json_flag=True, acting_user=False)  # --user filters; the account comes from $MOTCUA_USER
    p.add_argument("verb", nargs="?", choices=["verify"], help="verify: kiểm tra chuỗi mã băm của nhật ký")
    p.add_argument("--from", dest="date_from", help="từ ngày YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", help="đến ngày YYYY-MM-DD (tính cả ngày đó)")
    p.add_argument("--user", help="chỉ thao tác của người này")
    p.add_argument("--action", help="chỉ loại thao tác bắt đầu bằng (ví dụ dossier., slip_)")
    p.add_argument("--limit", type=int, default=500)
    p.set_defaults(func=run_audit)

    p = sub.add_parser("backup", help="sao lưu dữ liệu và kho phiếu vào một thư mục (ví dụ ổ USB)")
    add_common(p, json_flag=True)
    p.add_argument("dest", help="thư mục đích (đã có)")
    p.add_argument("--keep", type=int, default=None, help="chỉ giữ N bản mới nhất của đơn vị trong thư mục đó")
    p.set_defaults(func=run_backup)

    p = sub.add_parser("restore", help="khôi phục từ một bản sao lưu (dữ liệu hiện tại được giữ lại bên cạnh)")
    add_common(p, json_flag=True)
    p.add_argument("source", help="thư mục bản sao lưu (motcua-backup-…)")
    p.set_defaults(func=run_restore)


def run_audit(args: argparse.Namespace) -> int:
    with context(args) as ctx:
        if args.verb == "verify":
            verdict = audit.verify(ctx)
            f = verdict.finding
            if args.json:
                print_json({"ok": verdict.ok, "entries": verdict.entries,
                            "first_bad": None if f is None else
                            {"id": f.entry_id, "problem": f.problem, "detail": f.detail}})
            elif f is None:
                print(f"audit trail intact: {verdict.entries} entries")
            else:
                print(f"audit trail broken at entry {f.entry_id}: {f.detail} ({f.problem})", file=sys.stderr)
            return 0 if verdict.ok else 1
        found = audit.entries(ctx, date_from=parse_day(args.date_from) if args.date_from else None,
                              date_to=parse_day(args.date_to) if args.date_to else None, user=args.user,
                              action=args.action, limit=max(1, min(args.limit, 100_000)))
        if args.json:
            print_json([e.to_json() for e in found])
        else:
            for e in found:
                print(f"{e.id:>7}  {e.at}  {e.actor}  {e.action}  {e.subject or ''}")
    return 0


def run_backup(args: argparse.Namespace) -> int:
    with context(args) as ctx:
        info = backup.backup(ctx, Path(args.dest), keep=args.keep)
    if args.json:
        print_json(info.to_json())
    else:
        print(f"backup written: {info.path} ({info.dossiers} dossiers, {info.slips} slips)")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    data_dir = resolve_data_dir(getattr(args, "data_dir", None))
    agency = None
    try:
        current = open_context(data_dir, create=False)
        try:
            agency = current.settings()["agency_code"]
        finally:
            current.close()
    except KnownError:
        pass  # no store, or a damaged one: the backup is what the clerk wants back
    aside = backup.restore(data_dir, Path(args.source), current_agency=agency, now=now_local())
    ctx = open_context(data_dir, create=False)  # migrates a backup of an older version
    try:
        verdict = audit.verify(ctx)
    finally:
        ctx.close()
    result = {"restored_from": str(Path(args.source)), "replaced_data_kept_in": str(aside) if aside else None,
              "audit_ok": verdict.ok, "audit_entries": verdict.entries}
    if args.json:
        print_json(result)
    else:
        print(f"restored from {args.source}; audit trail {'intact' if verdict.ok else 'BROKEN'}"
              + (f"; the replaced data is kept in {aside}" if aside else ""))
    return 0 if verdict.ok else 1
