"""`motcua catalog import|search|show`."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from pathlib import Path

from ..services import catalog
from .common import add_common, context, print_json


def _limit(text: str) -> int:
    """1–1000: the store clamps silently, but a clerk who typed 0 or -3 should hear about it."""
    try:
        n = int(text)
    except ValueError:
        n = 0
    if not 1 <= n <= 1000:
        raise argparse.ArgumentTypeError(f"limit {text!r} must be a whole number 1-1000")
    return n


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("catalog", help="danh mục thủ tục hành chính")
    add_common(p)
    csub = p.add_subparsers(dest="catalog_command", required=True)

    c = csub.add_parser("import", help="nhập danh mục từ tệp JSON (kiểm tra hết, rồi nhập tất cả hoặc không gì)")
    add_common(c, json_flag=True)
    c.add_argument("file", type=Path)
    c.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi")
    c.set_defaults(func=run_import)

    c = csub.add_parser("search", help="tìm thủ tục (không dấu, viết tắt, theo mã)")
    add_common(c, json_flag=True)
    c.add_argument("query")
    c.add_argument("--limit", type=_limit, default=20, help="số kết quả tối đa (1–1000)")
    c.set_defaults(func=run_search)

    c = csub.add_parser("show", help="xem một thủ tục")
    add_common(c, json_flag=True)
    c.add_argument("code")
    c.set_defaults(func=run_show)


def run_import(args: argparse.Namespace) -> int:
    with context(args, create=True) as ctx:
        report = catalog.import_catalogue(ctx, args.file, dry_run=args.dry_run)
    counts = report.counts
    if args.json:
        print_json({"procedures": report.procedures, "added": counts.added, "updated": counts.updated,
                    "unchanged": counts.unchanged, "dry_run": report.dry_run})
    else:
        verb = "Sẽ nhập" if report.dry_run else "Đã nhập"
        print(f"{verb} {report.procedures} thủ tục: {counts.added} mới, {counts.updated} phiên bản mới, "
              f"{counts.unchanged} không đổi.")
    return 0


def run_search(args: argparse.Namespace) -> int:
    with context(args) as ctx:
        rows = catalog.search_rows(ctx, args.query, args.limit)
    if args.json:
        print_json(rows)
    else:
        for r in rows:
            print(f"{r['code']:<10} {r['name']}  [{r['field']}; {r['processing_time']}]")
    return 0


def run_show(args: argparse.Namespace) -> int:
    with context(args) as ctx:
        version_id, proc = catalog.procedure(ctx, args.code)
    if args.json:
        print_json({"version_id": version_id, **json.loads(proc.to_json())})
    else:
        print(f"{proc.code} — {proc.name}\nLĩnh vực: {proc.field}\nThời hạn: {proc.processing_time.label()}")
        for i, d in enumerate(proc.documents, 1):
            print(f"  {i}. {d.name} ({d.form_text()}{'' if d.required else ', không bắt buộc'})")
    return 0
