"""Helpers shared by the command modules: data dir, context, JSON output."""

from __future__ import annotations

import argparse
import json
import sys
from contextlib import contextmanager
from collections.abc import Iterator
from typing import Any

from ..errors import KnownError
from ..paths import resolve_data_dir
from ..services import setup
from ..services.context import Context, open_context


def add_common(parser: argparse.ArgumentParser, *, json_flag: bool = False) -> None:
    """Every subcommand accepts --data-dir (also after the subcommand name)."""
    parser.add_argument("--data-dir", default=argparse.SUPPRESS, help="thư mục dữ liệu")
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
        yield ctx
    finally:
        ctx.close()


def print_json(value: Any) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
