"""`motcua calendar add-day-off|add-working-day|remove|import|list`."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from ..domain.calendar import FIRST_YEAR, LAST_YEAR
from ..errors import UserError

from ..services import calendar
from .common import add_common, context, print_json


def day_arg(text: str) -> date:
    try:
        return calendar.parse_day(text)
    except UserError as e:
        raise argparse.ArgumentTypeError(e.message_en) from None


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("calendar", help="lịch làm việc: ngày nghỉ, ngày làm bù")
    add_common(p)
    csub = p.add_subparsers(dest="calendar_command", required=True)

    c = csub.add_parser("add-day-off", help="thêm ngày nghỉ theo thông báo")
    add_common(c)
    c.add_argument("date", type=day_arg, help="YYYY-MM-DD")
    c.add_argument("--note")
    c.set_defaults(func=run_set, kind="off")

    c = csub.add_parser("add-working-day", help="thêm ngày làm việc (làm bù) theo thông báo")
    add_common(c)
    c.add_argument("date", type=day_arg, help="YYYY-MM-DD")
    c.add_argument("--note")
    c.set_defaults(func=run_set, kind="work")

    c = csub.add_parser("remove", help="bỏ một ngày đã thêm")
    add_common(c)
    c.add_argument("date", type=day_arg, help="YYYY-MM-DD")
    c.set_defaults(func=run_remove)

    c = csub.add_parser("import", help="nhập tệp CSV date,kind,note (kind: off|work); kiểm tra hết rồi nhập tất cả")
    add_common(c, json_flag=True)
    c.add_argument("file", type=Path)
    c.set_defaults(func=run_import)

    c = csub.add_parser("list", help="ngày lễ, ngày nghỉ bù, ngày làm bù và ngày đã thêm của một năm")
    add_common(c, json_flag=True)
    c.add_argument("--year", type=int, help="năm (mặc định: năm nay)")
    c.set_defaults(func=run_list)


def run_set(args: argparse.Namespace) -> int:
    with context(args) as ctx:
        calendar.set_day(ctx, args.date, args.kind, args.note)
    what = "ngày nghỉ" if args.kind == "off" else "ngày làm việc"
    print(f"Đã ghi {args.date:%d/%m/%Y} là {what}.")
    return 0


def run_remove(args: argparse.Namespace) -> int:
    with context(args) as ctx:
        removed = calendar.remove_override(ctx, args.date)
    print(f"Đã bỏ {args.date:%d/%m/%Y}." if removed else f"{args.date:%d/%m/%Y} không có trong bảng ngày đã thêm.")
    return 0


def run_import(args: argparse.Namespace) -> int:
    with context(args) as ctx:
        n = calendar.import_overrides(ctx, args.file)
    if args.json:
        print_json({"imported": n})
    else:
        print(f"Đã nhập {n} ngày.")
    return 0


def run_list(args: argparse.Namespace) -> int:
    with context(args) as ctx:
        year = ctx.now().year if args.year is None else args.year
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise UserError(f"Năm {year} không hợp lệ (từ {FIRST_YEAR} đến {LAST_YEAR}).",
                            f"year {year} out of range {FIRST_YEAR}-{LAST_YEAR}")
        days = calendar.special_days(ctx, year)
    if args.json:
        print_json([d.to_json() for d in days])
    else:
        for d in days:
            mark = "nghỉ" if d.kind == "off" else "làm"
            src = " (đã thêm)" if d.source == "override" else ""
            print(f"{d.day:%Y-%m-%d}  {mark:<4} {d.name}{src}")
    return 0
