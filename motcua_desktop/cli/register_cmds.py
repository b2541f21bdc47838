"""`motcua dossiers|correct|void`: the dossier register, corrections and voids on the command line."""

from __future__ import annotations

import argparse

from ..services import corrections
from ..services import register as register_service
from ..services.dossiers import DossierView
from .common import add_common, context, print_json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("dossiers", help="sổ hồ sơ: tìm mọi hồ sơ của quầy (mới nhất trước)")
    add_common(p, json_flag=True)
    p.add_argument("--find", help="mã hồ sơ (hoặc các số cuối), tên người nộp (có dấu hay không), "
                                  "số giấy tờ, số điện thoại")
    p.add_argument("--status", help="lọc theo trạng thái (received, supplement_requested, …, voided)")
    p.add_argument("--procedure", help="lọc theo mã thủ tục")
    p.add_argument("--from", dest="date_from", help="tiếp nhận từ ngày YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", help="tiếp nhận đến ngày YYYY-MM-DD (tính cả ngày đó)")
    p.add_argument("--today", action="store_true", help="chỉ hồ sơ tiếp nhận hôm nay")
    p.add_argument("--limit", type=int, default=register_service.PAGE)
    p.add_argument("--offset", type=int, default=0)
    p.set_defaults(func=run_dossiers)

    p = sub.add_parser("correct", help="sửa thông tin người nộp của hồ sơ đã ghi (cần lý do)")
    add_common(p, json_flag=True)
    p.add_argument("code")
    p.add_argument("--name", help="họ tên đúng")
    p.add_argument("--id-number", help="số giấy tờ đúng")
    p.add_argument("--phone", help="số điện thoại đúng ('' để xóa)")
    p.add_argument("--address", help="địa chỉ đúng ('' để xóa)")
    p.add_argument("--reason", required=True, help="lý do sửa")
    p.set_defaults(func=run_correct)

    p = sub.add_parser("void", help="hủy hồ sơ nhập nhầm (chỉ khi chưa chuyển xử lý, chưa trả kết quả)")
    add_common(p, json_flag=True)
    p.add_argument("code")
    p.add_argument("--reason", required=True, help="lý do hủy")
    p.set_defaults(func=run_void)


def run_dossiers(args: argparse.Namespace) -> int:
    with context(args) as ctx:
        date_from, date_to = args.date_from, args.date_to
        if args.today:
            date_from = date_to = ctx.now().date()
        page = register_service.find(ctx, args.find, status=args.status, procedure_code=args.procedure,
                             date_from=date_from, date_to=date_to, limit=args.limit, offset=args.offset)
    if args.json:
        print_json([r.to_json() for r in page.rows])
        return 0
    if not page.rows:
        print("Không có hồ sơ nào khớp.")
    for r in page.rows:
        when = f"{r.first_contact_at:%H:%M %d/%m/%Y}"
        print(f"{r.code}  {when}  {r.status.label}  {r.applicant} — {r.procedure}")
    if page.has_more:
        print(f"… còn nữa: --offset {page.offset + page.limit}")
    return 0


def _done(args: argparse.Namespace, v: DossierView, text: str) -> int:
    if args.json:
        print_json(v.to_json())
    else:
        print(text)
    return 0


def run_correct(args: argparse.Namespace) -> int:
    with context(args) as ctx:
        v = corrections.correct(ctx, args.code, name=args.name, id_number=args.id_number, phone=args.phone,
                                address=args.address, reason=args.reason)
    changed = ", ".join(corrections.FIELDS_BY_COLUMN.get(k, k) for k in v.events[-1].payload["new"])
    return _done(args, v, f"Đã sửa {changed} của hồ sơ {v.code}. In lại giấy tiếp nhận: "
                          f"motcua slip receipt {v.code} -o phieu.pdf")


def run_void(args: argparse.Namespace) -> int:
    with context(args) as ctx:
        v = corrections.void(ctx, args.code, reason=args.reason)
    return _done(args, v, f"Đã hủy hồ sơ {v.code} (nhập nhầm). Mã hồ sơ này không được cấp lại.")

