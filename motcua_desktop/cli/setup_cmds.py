"""`motcua gui`, `motcua init`, `motcua settings`."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from ..paths import resolve_data_dir
from ..errors import KnownError, UserError
from ..services import setup
from ..services.settings import update_settings
from ..domain.accounts import Role, check_password, parse_full_name, parse_username
from ..services import accounts
from .common import add_common, context, password_from_env_or_prompt, print_json


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
    p.add_argument("--admin-user", default=None,
                   help="tạo tài khoản quản trị đầu tiên (mật khẩu từ $MOTCUA_PASSWORD hoặc hỏi)")
    p.add_argument("--admin-name", default=None, help="họ tên của quản trị viên (mặc định: tên đăng nhập)")
    p.set_defaults(func=run_init)

    p = sub.add_parser("settings", help="xem hoặc đặt thiết lập của quầy")
    add_common(p, json_flag=True)
    p.add_argument("assignments", nargs="*", metavar="KEY=VALUE")
    p.set_defaults(func=run_settings)


def check_display(env: dict[str, str] | None = None) -> None:
    """The window needs a display. Without one Qt aborts with a core dump and a misleading
    "libxcb-cursor0 is needed": say what is missing instead (exit status 1)."""
    env = dict(os.environ if env is None else env)
    if not sys.platform.startswith("linux"):
        return
    platform = (env.get("QT_QPA_PLATFORM") or "").split(":")[0]
    if platform and platform not in ("xcb", "wayland", "wayland-egl"):
        return  # offscreen, vnc, eglfs…: the platform needs no desktop session
    if env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        return
    raise KnownError(
        "Không có màn hình để mở cửa sổ (chưa đặt DISPLAY hay WAYLAND_DISPLAY): hãy chạy 'motcua gui' trong phiên "
        "làm việc có giao diện đồ họa. Các lệnh dòng lệnh (motcua dossiers, receive, …) vẫn dùng được.",
        "no display for the window (DISPLAY and WAYLAND_DISPLAY are unset): run 'motcua gui' in a graphical "
        "session (or set QT_QPA_PLATFORM=offscreen for a headless test); the other commands work without one")


def run_gui(args: argparse.Namespace) -> int:
    check_display()
    from ..gui.app import run  # Qt is imported only when the window is wanted

    if args.demo and not getattr(args, "data_dir", None):
        data_dir = Path(tempfile.mkdtemp(prefix="motcua-demo-"))
        # Beside the demo window, the command line works on the same counter while it is open.
        print(f"motcua: demo data dir {data_dir} (a new one each time); beside the window: "
              f"MOTCUA_DATA_DIR={data_dir} motcua dossiers", file=sys.stderr, flush=True)
    else:
        data_dir = resolve_data_dir(getattr(args, "data_dir", None))
    return run(data_dir, demo=args.demo)


def run_init(args: argparse.Namespace) -> int:
    # Check every value before the data dir is created: a mistake must not leave a half-made counter.
    setup.init_values(agency_code=args.agency_code, agency_name=args.agency_name,
                      counter_slot=args.counter_slot, place_name=args.place_name)
    admin = None
    if args.admin_user:
        admin = parse_username(args.admin_user)
        full_name = parse_full_name(args.admin_name or admin)
        password = password_from_env_or_prompt(f"Mật khẩu cho {admin}: ", confirm=True)
        check_password(password, admin)
    with context(args, create=True) as ctx:
        if admin and not accounts.has_accounts(ctx):
            # The administrator first, so that the set-up itself is audited under a real name.
            accounts.add_user(ctx, admin, full_name, Role.ADMINISTRATOR, password)
            accounts.sign_in(ctx, admin, password, audit_success=False)
        setup.init(ctx, agency_code=args.agency_code, agency_name=args.agency_name,
                   counter_slot=args.counter_slot, place_name=args.place_name, load_sample=not args.no_sample)
        print(f"Đã khởi tạo quầy tại {ctx.data_dir}")
        if not accounts.has_accounts(ctx):
            print("motcua: this counter has no accounts yet: anyone at this PC can act and the slips print the "
                  "clerk_name setting; add an administrator: motcua init … --admin-user NAME, or "
                  "motcua users add NAME --role administrator", file=sys.stderr)
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
