"""The `motcua` command. Each command group lives in its own module and registers itself here."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from ..domain.privacy import mask
from ..errors import MotcuaError
from ..logs import MaskingFormatter
from . import (audit_cmds, calendar_cmds, catalog_cmds, form_cmds, intake_cmds, register_cmds, report_cmds,
               return_cmds, setup_cmds, slip_cmds, sync_cmds, users_cmds)

# Modules with a `register(subparsers)` function; later features add theirs to this list.
COMMAND_MODULES = [setup_cmds, catalog_cmds, intake_cmds, calendar_cmds, return_cmds, slip_cmds, sync_cmds,
                   register_cmds, report_cmds, audit_cmds, users_cmds, form_cmds]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse's own exit status is 2 too; keep it one line
        self.exit(2, f"motcua: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="motcua", description="Bộ phận Một cửa — ứng dụng quầy tiếp nhận và trả kết quả.")
    parser.add_argument("--data-dir", help="thư mục dữ liệu (mặc định: $MOTCUA_DATA_DIR hoặc thư mục người dùng)")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    for handler in logging.getLogger().handlers:  # stderr is the command's log: masked like the GUI's
        handler.setFormatter(MaskingFormatter("%(levelname)s %(name)s: %(message)s"))
    parser = build_parser()
    words = list(sys.argv[1:] if argv is None else argv)
    for word in words:
        # argparse drops a value of exactly '--' ('--received=--') and hands the option an empty list
        # instead of calling its type: refuse it here as the typing mistake it is.
        if word.startswith("--") and word.endswith("=--"):
            parser.error(f"argument {word[:-3]}: '--' is not a value")
    args = parser.parse_args(words)
    if args.command is None:
        args.command = "gui"
        args.func = setup_cmds.run_gui
        args.demo = False
    try:
        return int(args.func(args) or 0)
    except MotcuaError as error:
        print(f"motcua: {mask(error.message_en)}", file=sys.stderr)
        return error.exit_status
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `motcua … | head`: the reader left; say nothing more (and not again when Python flushes at exit).
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1  # as Python itself does on EPIPE: the output was cut short


if __name__ == "__main__":
    sys.exit(main())
