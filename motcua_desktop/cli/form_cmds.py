"""`motcua forms list|export DIR|import FILE`: the form sets the slips print with (issue 16)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..services import form_sets
from .common import add_common, context, print_json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("forms", help="bộ mẫu phiếu (Thông tư 03/2025/TT-VPCP, 01/2018/TT-VPCP): xem, xuất, nhập bản sửa")
    add_common(p)
    fsub = p.add_subparsers(dest="forms_command", required=True)

    c = fsub.add_parser("list", help="các bộ mẫu có trên quầy (nguồn: shipped/local) và bộ đang áp dụng")
    add_common(c, json_flag=True)
    c.set_defaults(func=run_list)

    c = fsub.add_parser("export", help="ghi bộ mẫu đang áp dụng ra DIR/<bộ mẫu>.json để sửa")
    add_common(c, json_flag=True)
    c.add_argument("dir", type=Path, help="thư mục đầu ra")
    c.add_argument("--force", action="store_true", help="ghi đè tệp đã có")
    c.set_defaults(func=run_export)

    c = fsub.add_parser("import", help="nạp bộ mẫu đã sửa (kiểm tra hết; nạp tất cả hoặc không gì)")
    add_common(c, json_flag=True)
    c.add_argument("file", type=Path)
    c.set_defaults(func=run_import)


def run_list(args: argparse.Namespace) -> int:
    with context(args) as ctx:
        sets = form_sets.describe(ctx)
    if args.json:
        print_json(sets)
    else:
        for s in sets:
            mark = "*" if s["in_force"] else " "
            print(f"{mark} {s['id']:<8} {s['source']:<8} từ {s['effective_from']}  {s['name']}")
    return 0


def run_export(args: argparse.Namespace) -> int:
    with context(args) as ctx:
        path = form_sets.export_set(ctx, args.dir, force=args.force)
    if args.json:
        print_json({"output": str(path)})
    else:
        print(f"Đã ghi bộ mẫu đang áp dụng ra {path}. Sửa lời văn rồi nạp lại: motcua forms import {path}")
    return 0


def run_import(args: argparse.Namespace) -> int:
    with context(args) as ctx:
        fs = form_sets.import_file(ctx, args.file)
    if args.json:
        print_json({"id": fs.id, "name": fs.name, "effective_from": fs.effective_from.isoformat(),
                    "source": fs.source})
    else:
        print(f"Đã nạp bộ mẫu {fs.id} ({fs.name}, nguồn: {fs.source}), áp dụng từ {fs.effective_from:%d/%m/%Y}. "
              "Phiếu đã cấp không thay đổi.")
    return 0
