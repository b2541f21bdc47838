"""`motcua forward|result-ready|stop|return|apologise|queue`: the return desk on the command line."""

from __future__ import annotations

import argparse
from datetime import date, datetime

from ..domain.times import parse_day_or_minute
from ..errors import UserError
from ..services import returns
from ..services.dossiers import DossierView, hhmm
from .common import add_common, context, print_json
from .intake_cmds import minute_arg


def due_arg(text: str) -> date | datetime:
    """'YYYY-MM-DD' (keeps the clock time of the current appointment) or 'YYYY-MM-DDTHH:MM'."""
    try:
        return parse_day_or_minute(text)
    except UserError as e:
        raise argparse.ArgumentTypeError(e.message_en) from None


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("forward", help="chuyển hồ sơ cho cơ quan giải quyết (đang xử lý)")
    add_common(p, json_flag=True)
    p.add_argument("code")
    p.add_argument("--to", help="cơ quan / công chức nhận hồ sơ; mã đơn vị (000.00.02.H22): chuyển cấp qua hub")
    p.add_argument("--at", type=minute_arg, help="nhập lùi: thời điểm chuyển YYYY-MM-DDTHH:MM")
    p.set_defaults(func=run_forward)

    p = sub.add_parser("result-ready", help="ghi nhận hồ sơ đã có kết quả")
    add_common(p, json_flag=True)
    p.add_argument("code")
    p.add_argument("--at", type=minute_arg, help="nhập lùi: thời điểm nhận kết quả YYYY-MM-DDTHH:MM")
    p.set_defaults(func=run_result_ready)

    p = sub.add_parser("stop", help="dừng xử lý hồ sơ (cần lý do)")
    add_common(p, json_flag=True)
    p.add_argument("code")
    p.add_argument("--reason", required=True)
    p.add_argument("--at", type=minute_arg)
    refund = p.add_mutually_exclusive_group()
    refund.add_argument("--refund", dest="refund", action="store_const", const=True, default=None,
                        help="phí, lệ phí đã nộp được hoàn trả (in trên thông báo dừng)")
    refund.add_argument("--no-refund", dest="refund", action="store_const", const=False,
                        help="phí, lệ phí đã nộp không hoàn trả")
    p.set_defaults(func=run_stop)

    p = sub.add_parser("return", help="trả kết quả cho công dân")
    add_common(p, json_flag=True)
    p.add_argument("code")
    p.add_argument("--collector-name", help="người được ủy quyền nhận thay (mặc định: người nộp)")
    p.add_argument("--collector-id", help="số giấy tờ tùy thân của người nhận thay (CCCD, CMND, hộ chiếu)")
    p.add_argument("--collector-note", help="ví dụ: số giấy ủy quyền")
    p.add_argument("--rating", type=int, help="mức độ hài lòng 1–5")
    p.add_argument("--at", type=minute_arg)
    p.set_defaults(func=run_return)

    p = sub.add_parser("apologise", aliases=["apologize"], help="xin lỗi và hẹn lại ngày trả kết quả")
    add_common(p, json_flag=True)
    p.add_argument("code")
    p.add_argument("--new-due", required=True, type=due_arg, help="ngày hẹn mới YYYY-MM-DD[THH:MM]")
    p.add_argument("--reason", required=True)
    p.add_argument("--at", type=minute_arg, help="nhập lùi: thời điểm xin lỗi YYYY-MM-DDTHH:MM")
    p.set_defaults(func=run_apologise)

    p = sub.add_parser("queue", help="hồ sơ đã có kết quả chờ trả (hẹn sớm nhất trước)")
    add_common(p, json_flag=True)
    p.add_argument("--due-soon", action="store_true",
                   help="thay vào đó: hồ sơ đang xử lý hẹn trong vòng một ngày làm việc hoặc đã quá hẹn")
    p.add_argument("--field", help="lọc theo lĩnh vực")
    p.add_argument("--from", dest="date_from", help="hẹn trả từ ngày YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", help="hẹn trả đến ngày YYYY-MM-DD")
    p.add_argument("--limit", type=int, default=returns.QUEUE_PAGE)
    p.add_argument("--offset", type=int, default=0)
    p.set_defaults(func=run_queue)


def _status(args: argparse.Namespace, v: DossierView, extra: dict | None = None) -> int:
    if args.json:
        print_json({"code": v.code, "status": v.status.value, **(extra or {})})
    else:
        print(f"Hồ sơ {v.code}: {v.status.label}")
    return 0


def run_forward(args: argparse.Namespace) -> int:
    with context(args) as ctx:
        v = returns.forward(ctx, args.code, to=args.to, at=args.at)
    return _status(args, v)


def run_result_ready(args: argparse.Namespace) -> int:
    with context(args) as ctx:
        v = returns.result_ready(ctx, args.code, at=args.at)
    return _status(args, v, {"result_ready_at": hhmm(v.result_ready_at), "due_at": hhmm(v.due_at)})


def run_stop(args: argparse.Namespace) -> int:
    with context(args) as ctx:
        v = returns.stop(ctx, args.code, args.reason, at=args.at, refund=args.refund)
    return _status(args, v)


def run_return(args: argparse.Namespace) -> int:
    if args.collector_id and not args.collector_name:
        raise UserError("Nhập cả họ tên người nhận thay (--collector-name).",
                        "--collector-id needs --collector-name")
    collector = (returns.Collector("authorised", name=args.collector_name, id_number=args.collector_id,
                                   note=args.collector_note)
                 if args.collector_name else returns.Collector("applicant", note=args.collector_note))
    with context(args) as ctx:
        v = returns.hand_over(ctx, args.code, collector, rating=args.rating, at=args.at)
    if args.json:
        print_json({"code": v.code, "status": v.status.value, "returned_at": hhmm(v.returned_at),
                    "returned_to": v.returned_to, "rating": v.rating, "returned_by": v.returned_by,
                    "clerk": v.clerk})
    else:
        to = v.returned_to or {}
        print(f"Đã trả kết quả hồ sơ {v.code} lúc {v.returned_at:%H:%M %d/%m/%Y} cho {to.get('name')}"
              + (" (người được ủy quyền)" if to.get("kind") == "authorised" else ""))
    return 0


def run_apologise(args: argparse.Namespace) -> int:
    with context(args) as ctx:
        v = returns.apologise(ctx, args.code, args.new_due, args.reason, at=args.at)
    if args.json:
        print_json({"code": v.code, "status": v.status.value, "due_at": hhmm(v.due_at),
                    "original_due_at": hhmm(v.original_due_at), "apology_count": v.apology_count})
    else:
        print(f"Hồ sơ {v.code}: hẹn lại {v.due_at:%H:%M %d/%m/%Y} (hẹn ban đầu "
              f"{v.original_due_at:%H:%M %d/%m/%Y}; lần xin lỗi thứ {v.apology_count})")
        print(f"In phiếu xin lỗi: motcua slip apology {v.code} -o phieu-xin-loi.pdf")
    return 0


def run_queue(args: argparse.Namespace) -> int:
    with context(args) as ctx:
        if args.due_soon:
            rows = returns.due_soon(ctx, limit=max(1, args.limit))
            header = f"{len(rows)} hồ sơ đang xử lý sắp đến hoặc đã quá hẹn"
        else:
            if args.field and returns.resolve_field(ctx, args.field) is None:
                raise UserError(f"Không có lĩnh vực '{args.field}'.",
                                f"no field {args.field!r}; fields: {', '.join(returns.fields(ctx))}")
            page = returns.results_queue(ctx, field=args.field, date_from=args.date_from, date_to=args.date_to,
                                         limit=args.limit, offset=args.offset)
            rows = page.rows
            header = (f"{page.total} hồ sơ có kết quả chờ trả: {page.overdue} quá hẹn, "
                      f"{page.due_today} hẹn hôm nay")
    if args.json:
        print_json([r.to_json() for r in rows])
        return 0
    print(header)
    for r in rows:
        mark = "QUÁ HẸN " if r.overdue else "HÔM NAY " if r.due_today else ""
        due = f"{r.due_at:%H:%M %d/%m/%Y}" if r.due_at else "chưa xác định"
        print(f"{r.code}  {due}  {mark}{r.applicant} — {r.procedure}")
    return 0
