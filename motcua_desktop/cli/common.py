"""Helpers shared by the command modules: data dir, context, JSON output."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from contextlib import contextmanager
from collections.abc import Iterator
from typing import Any

from ..errors import KnownError, UserError
from ..services import accounts
from ..paths import resolve_data_dir
from ..services import setup
from ..services.context import Context, open_context


def add_common(parser: argparse.ArgumentParser, *, json_flag: bool = False, acting_user: bool = True) -> None:
    """Every subcommand accepts --data-dir and --user (also after the subcommand name). `acting_user=False`
    where --user means something else (`audit --user`: a filter); $MOTCUA_USER still names the account."""
    parser.add_argument("--data-dir", default=argparse.SUPPRESS, help="thư mục dữ liệu")
    if acting_user:
        parser.add_argument("--user", dest="acting_user", default=argparse.SUPPRESS,
                            help="tài khoản thực hiện (mặc định $MOTCUA_USER; mật khẩu từ $MOTCUA_PASSWORD hoặc hỏi)")
    if json_flag:
        parser.add_argument("--json", action="store_true", help="in kết quả dạng JSON")


@contextmanager
def context(args: argparse.Namespace, *, create: bool = False) -> Iterator[Context]:
    ctx = open_context(resolve_data_dir(getattr(args, "data_dir", None)), create=create)
    try:
        if not create and not setup.is_initialised(ctx):
            # A database file without an agency (an empty file, a data dir from a failed set-up) is no
            # counter: working on it would number dossiers under the demo defaults.
            raise KnownError(f"Thư mục {ctx.data_dir} chưa được khởi tạo; chạy 'motcua init' trước.",
                             f"no counter set up in {ctx.data_dir}; run 'motcua init' first")
        if accounts.has_accounts(ctx):
            sign_in(ctx, args)
        yield ctx
    finally:
        ctx.close()


def password_from_env_or_prompt(prompt: str = "Mật khẩu: ", *, env: str = "MOTCUA_PASSWORD",
                                confirm: bool = False) -> str:
    """$MOTCUA_PASSWORD (or `env`), else a prompt on the terminal (never echoed); neither → exit 2."""
    value = os.environ.get(env)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise UserError(f"Cần mật khẩu: đặt biến {env} hoặc chạy lệnh trong cửa sổ dòng lệnh.",
                        f"a password is needed: set {env} or run from a terminal")
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass("Nhập lại mật khẩu: ") != first:
        raise UserError("Hai lần nhập mật khẩu không khớp.", "the two passwords differ")
    return first


def sign_in(ctx: Context, args: argparse.Namespace) -> None:
    """A counter with accounts runs every command as a named user: --user or $MOTCUA_USER, and a password."""
    username = getattr(args, "acting_user", None) or os.environ.get("MOTCUA_USER")
    if not username:
        raise UserError("Quầy này có tài khoản: ghi --user TÊN (hoặc đặt MOTCUA_USER) và mật khẩu.",
                        "this counter has accounts: give --user NAME (or MOTCUA_USER) and the password")
    accounts.sign_in(ctx, username, password_from_env_or_prompt(f"Mật khẩu của {username}: "), audit_success=False)


def print_json(value: Any) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
