"""`motcua slip {receipt,supplement,refusal,apology,stop,control} CODE -o FILE.pdf [--paper a4|a5|80mm]`,
`motcua slip list CODE`, `motcua slip reprint SLIP_ID -o FILE.pdf`."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..paths import resolve_data_dir
from ..services import dossiers, form_sets, outputs
from ..services import slips as slip_service
from ..slips import FORMS, KINDS, PAPERS
from .common import add_common, context, print_json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("slip", help="in phiếu của hồ sơ (giấy tiếp nhận, phiếu bổ sung, từ chối, xin lỗi - gia hạn, thông báo dừng, kiểm soát)")
    add_common(p)
    ssub = p.add_subparsers(dest="slip_command", required=True)
    for kind in KINDS:
        c = ssub.add_parser(kind, help=FORMS[kind].name)
        add_common(c, json_flag=True)
        c.add_argument("code", help="mã hồ sơ")
        c.add_argument("-o", "--output", type=Path, required=True, help="tệp PDF đầu ra")
        c.add_argument("--force", action="store_true", help="ghi đè tệp đầu ra đã có")
        # type before choices: A4 or 80MM as typed (or as printed on the paper box) is the same paper.
        c.add_argument("--paper", type=str.lower, choices=PAPERS, help="khổ giấy (mặc định: thiết lập default_paper)")
        c.set_defaults(func=run_issue, kind=kind)

    c = ssub.add_parser("list", help="các phiếu đã cấp của một hồ sơ")
    add_common(c, json_flag=True)
    c.add_argument("code")
    c.set_defaults(func=run_list)

    c = ssub.add_parser("reprint", help="in lại đúng tệp phiếu đã lưu")
    add_common(c, json_flag=True)
    c.add_argument("slip_id", type=int)
    c.add_argument("-o", "--output", type=Path, required=True)
    c.add_argument("--force", action="store_true", help="ghi đè tệp đầu ra đã có")
    c.add_argument("--printer", help="tên máy in (ghi vào nhật ký in)")
    c.set_defaults(func=run_reprint)


def _check_output(args: argparse.Namespace) -> Path:
    """The one rule for files a user names (services/outputs.py), checked before the slip is issued:
    a typing mistake in -o must not leave an archived slip (and its audit entry) behind."""
    data_dir = resolve_data_dir(getattr(args, "data_dir", None))
    return outputs.check_output(args.output, data_dir, force=args.force).shown


def _as_json(slip: slip_service.ArchivedSlip, output: Path | None = None) -> dict:
    d = {"id": slip.id, "code": slip.dossier_code, "kind": slip.kind, "paper": slip.paper, "number": slip.number,
         "archived": str(slip.path), "sha256": slip.sha256, "created_at": slip.created_at}
    if output is not None:
        d["output"] = str(output)
    return d


def run_issue(args: argparse.Namespace) -> int:
    output = _check_output(args)
    with context(args) as ctx:
        # The copy is written as part of issuing: if it cannot be, no slip is archived or audited.
        slip = slip_service.issue_slip(ctx, args.code, args.kind, args.paper, copy_to=output, force=args.force)
        name = form_sets.in_force(ctx).form(args.kind).name  # as printed (the 2018 set names its apology otherwise)
    if args.json:
        print_json(_as_json(slip, args.output))
    else:
        print(f"Đã cấp {name} ({slip.paper}) cho hồ sơ {slip.dossier_code}: {args.output} "
              f"(lưu: {slip.path}, số phiếu {slip.id})")
    return 0


def run_list(args: argparse.Namespace) -> int:
    with context(args) as ctx:
        code = dossiers.get(ctx, args.code).code  # an unknown code is a mistake, not an empty list
        found = slip_service.slips_of(ctx, code)
    if args.json:
        print_json([_as_json(s) for s in found])
    else:
        for s in found:
            print(f"{s.id:>6}  {s.created_at}  {s.kind:<10} {s.paper:<5} {s.path}")
    return 0


def run_reprint(args: argparse.Namespace) -> int:
    output = _check_output(args)
    with context(args) as ctx:
        slip = slip_service.reprint(ctx, args.slip_id, args.printer, copy_to=output, force=args.force)  # logged once written
    if args.json:
        print_json(_as_json(slip, args.output))
    else:
        print(f"In lại phiếu {slip.id} ({FORMS[slip.kind].name}, hồ sơ {slip.dossier_code}): {args.output}")
    return 0
