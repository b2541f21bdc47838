"""`motcua gui`, `motcua init`, `motcua settings`."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from ..paths import resolve_data_dir
from ..errors import UserError
from ..services import setup
from ..services.settings import update_settings
from .common import add_common, context, print_json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("gui", help="mở cửa sổ quầy")
    add_common(p)
    p.add_argument("--demo", action="store_true", help="dùng thư mục dữ liệu mẫu mới (có danh mục mẫu)")
    p.set_defaults(func=run_gui)

    p = sub.add_parser("init", help="khởi tạo quầy: mã đơn vị, tên đơn vị, số hiệu quầy")
    add_common(p)
    p.add_argument("--agency-code", required=True, help="mã đơn vị QCVN 102:2016, ví dụ 000.00.01.H22")
    p.add_argument("--agency-name", required=True, help="tên đơn vị, ví dụ 'UBND XÃ HÒA BÌNH'")
    p.add_argument("--counter-slot", type=int, default=None, help="số hiệu quầy 0–9")
    p.add_argument("--place-name", default=None, help="địa danh in trên phiếu")
    p.add_argument("--no-sample", action="store_true", help="không nạp danh mục thủ tục mẫu")
    p.set_defaults(func=run_init)

    p = sub.add_parser("settings", help="xem hoặc đặt thiết lập của quầy")
    add_common(p, json_flag=True)
    p.add_argument("assignments", nargs="*", metavar="KEY=VALUE")
    p.set_defaults(func=run_settings)


def run_gui(args: argparse.Namespace) -> int:
    from ..gui.app import run  # Qt is imported only when the window is wanted

    if args.demo and not getattr(args, "data_dir", None):
        data_dir = Path(tempfile.mkdtemp(prefix="motcua-demo-"))
    else:
        data_dir = resolve_data_dir(getattr(args, "data_dir", None))
    return run(data_dir, demo=args.demo)


def run_init(args: argparse.Namespace) -> int:
    # Check every value before the data dir is created: a mistake must not leave a half-made counter.
    setup.init_values(agency_code=args.agency_code, agency_name=args.agency_name,
                      counter_slot=args.counter_slot, place_name=args.place_name)
    with context(args, create=True) as ctx:
        setup.init(ctx, agency_code=args.agency_code, agency_name=args.agency_name,
                   counter_slot=args.counter_slot, place_name=args.place_name, load_sample=not args.no_sample)
        print(f"Đã khởi tạo quầy tại {ctx.data_dir}")
    return 0


def run_settings(args: argparse.Namespace) -> int:
    values: dict[str, str] = {}
    for item in args.assignments:
        key, sep, value = item.partition("=")
        if not sep:
            raise UserError(f"'{item}' phải có dạng KHÓA=GIÁ_TRỊ.", f"{item!r} must be KEY=VALUE")
        values[key.strip()] = value
    with context(args, create=False) as ctx:
        if values:
            update_settings(ctx, values)  # every value checked first; all saved together, audited
        values = ctx.settings()
        if args.json:
            print_json(values)
        else:
            for key, value in values.items():
                print(f"{key} = {value}")
    return 0
