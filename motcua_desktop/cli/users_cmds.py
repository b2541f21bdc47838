"""`motcua users add|list|disable|reset-password`, `motcua password` (change your own)."""

from __future__ import annotations

import argparse

from ..services import accounts, privacy
from .common import add_common, context, password_from_env_or_prompt, print_json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("users", help="tài khoản cán bộ (quản trị viên)")
    verbs = p.add_subparsers(dest="verb", required=True)
    q = verbs.add_parser("add", help="thêm tài khoản (mật khẩu ban đầu từ $MOTCUA_NEW_PASSWORD hoặc hỏi)")
    add_common(q, json_flag=True)
    q.add_argument("username")
    q.add_argument("--name", required=True, help="họ tên (in trên phiếu, ghi trong nhật ký)")
    q.add_argument("--role", required=True, choices=["clerk", "supervisor", "administrator"])
    q.set_defaults(func=run_add)
    q = verbs.add_parser("list", help="danh sách tài khoản")
    add_common(q, json_flag=True)
    q.set_defaults(func=run_list)
    q = verbs.add_parser("disable", help="khóa một tài khoản")
    add_common(q, json_flag=True)
    q.add_argument("username")
    q.set_defaults(func=run_disable)
    q = verbs.add_parser("reset-password", help="đặt lại mật khẩu (người dùng đổi lại khi đăng nhập)")
    add_common(q, json_flag=True)
    q.add_argument("username")
    q.set_defaults(func=run_reset)

    p = sub.add_parser("privacy", help="dữ liệu cá nhân: xóa số giấy tờ, điện thoại, địa chỉ của hồ sơ đã quá hạn lưu")
    verbs = p.add_subparsers(dest="verb", required=True)
    q = verbs.add_parser("erase-expired", help="xóa dữ liệu cá nhân của hồ sơ đã kết thúc quá thời hạn lưu")
    add_common(q, json_flag=True)
    q.add_argument("--dry-run", action="store_true", help="chỉ liệt kê, không xóa")
    q.set_defaults(func=run_erase)


def _new_password(prompt: str) -> str:
    return password_from_env_or_prompt(prompt, env="MOTCUA_NEW_PASSWORD", confirm=True)


def _show(args: argparse.Namespace, account: accounts.Account) -> int:
    if args.json:
        print_json(account.to_json())
    else:
        print(f"{account.username}  {account.full_name}  {account.role.value}  "
              f"{'active' if account.active else 'disabled'}")
    return 0


def run_add(args: argparse.Namespace) -> int:
    with context(args) as ctx:
        password = _new_password(f"Mật khẩu ban đầu cho {args.username}: ")
        return _show(args, accounts.add_user(ctx, args.username, args.name, args.role, password))


def run_list(args: argparse.Namespace) -> int:
    with context(args) as ctx:
        found = accounts.list_accounts(ctx)
    if args.json:
        print_json([a.to_json() for a in found])
    else:
        for a in found:
            print(f"{a.username:20} {a.full_name:30} {a.role.value:14} {'active' if a.active else 'disabled'}")
    return 0


def run_disable(args: argparse.Namespace) -> int:
    with context(args) as ctx:
        return _show(args, accounts.disable_user(ctx, args.username))


def run_reset(args: argparse.Namespace) -> int:
    with context(args) as ctx:
        password = _new_password(f"Mật khẩu mới cho {args.username}: ")
        return _show(args, accounts.reset_password(ctx, args.username, password))


def run_erase(args: argparse.Namespace) -> int:
    with context(args) as ctx:
        done = privacy.erase_expired(ctx, dry_run=args.dry_run)
    if args.json:
        print_json(done.to_json())
    elif done.closed_before is None:
        print("retention_years is 0: personal data is kept")
    else:
        verb = "would erase" if args.dry_run else "erased"
        print(f"{verb} the personal data of {len(done.codes)} dossiers closed before {done.closed_before}")
    return 0
