"""`motcua due-date|receive|supplement|refuse|withdraw|dossier show`."""

from __future__ import annotations

import argparse
from datetime import datetime

from ..domain.applicant import ID_KINDS, Applicant
from ..domain.dossier import Status
from ..domain.times import parse_minute
from ..errors import UserError
from ..services import calendar, dossiers, intake
from ..services.dossiers import DossierView, hhmm
from .common import add_common, context, print_json


def minute_arg(text: str) -> datetime:
    """parse_minute for argparse: a bad value is a one-line usage error (exit 2), not a traceback."""
    try:
        return parse_minute(text)
    except UserError as e:
        raise argparse.ArgumentTypeError(e.message_en) from None


DUE_HELP = "hẹn trả YYYY-MM-DDTHH:MM, chỉ cho thủ tục chưa có thời hạn giải quyết trong danh mục (bắt buộc khi đó)"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("due-date", help="tính ngày hẹn trả kết quả")
    add_common(p, json_flag=True)
    p.add_argument("procedure")
    p.add_argument("--received", required=True, type=minute_arg, help="thời điểm nhận đủ hồ sơ YYYY-MM-DDTHH:MM")
    p.set_defaults(func=run_due_date)

    p = sub.add_parser("receive", help="tiếp nhận hồ sơ (đủ: tiếp nhận; thiếu: yêu cầu bổ sung)")
    add_common(p, json_flag=True)
    p.add_argument("--procedure", required=True, help="mã thủ tục")
    p.add_argument("--name", required=True, help="họ tên người nộp / tên tổ chức")
    p.add_argument("--id-number", required=True, help="số CCCD (12 số), CMND (9 số), hộ chiếu; tổ chức: mã số thuế")
    p.add_argument("--id-kind", choices=ID_KINDS, help="loại giấy tờ (mặc định: theo số — 12 số CCCD, 9 số CMND, "
                   "có chữ cái: hộ chiếu; tổ chức: mã số thuế)")
    p.add_argument("--kind", choices=("individual", "organisation"), default="individual")
    p.add_argument("--phone")
    p.add_argument("--email")
    p.add_argument("--address")
    p.add_argument("--provided", default="all", help="all | none | 1,2,… (thành phần đánh số từ 1)")
    p.add_argument("--channel", choices=("direct", "post"), default="direct", help="trực tiếp / bưu chính")
    p.add_argument("--delivery", choices=("counter", "post"), default="counter", help="nhận kết quả tại quầy / qua bưu chính")
    p.add_argument("--delivery-address", help="địa chỉ nhận kết quả qua bưu chính (mặc định: --address)")
    p.add_argument("--fee-amount", type=int, help="số tiền phí, lệ phí đã thu (mặc định: theo thủ tục)")
    p.add_argument("--fee-receipt", help="số biên lai")
    p.add_argument("--fee-exempt-reason", help="lý do miễn phí, lệ phí")
    p.add_argument("--note", help="ghi chú hướng dẫn bổ sung")
    p.add_argument("--at", type=minute_arg, help="nhập lùi hồ sơ giấy: thời điểm tiếp nhận YYYY-MM-DDTHH:MM")
    p.add_argument("--due", type=minute_arg, help=DUE_HELP)
    p.set_defaults(func=run_receive)

    p = sub.add_parser("supplement", help="công dân bổ sung hồ sơ: đánh dấu thành phần đã nộp thêm")
    add_common(p, json_flag=True)
    p.add_argument("code")
    p.add_argument("--provided", required=True, help="all | 1,2,… thành phần nộp thêm")
    p.add_argument("--note")
    p.add_argument("--fee-amount", type=int)
    p.add_argument("--fee-receipt")
    p.add_argument("--fee-exempt-reason")
    p.add_argument("--at", type=minute_arg)
    p.add_argument("--due", type=minute_arg, help=DUE_HELP)
    p.set_defaults(func=run_supplement)

    p = sub.add_parser("refuse", help="từ chối tiếp nhận hồ sơ (cần lý do): hồ sơ chờ bổ sung theo mã, hoặc "
                       "ngay lần đầu với --procedure --name --id-number")
    add_common(p, json_flag=True)
    p.add_argument("code", nargs="?", help="mã hồ sơ đang chờ bổ sung (bỏ trống: từ chối ngay lần tiếp xúc đầu)")
    p.add_argument("--reason", required=True)
    p.add_argument("--procedure", help="lần đầu: mã thủ tục")
    p.add_argument("--name", help="lần đầu: họ tên người nộp / tên tổ chức")
    p.add_argument("--id-number", help="lần đầu: số giấy tờ")
    p.add_argument("--id-kind", choices=ID_KINDS)
    p.add_argument("--kind", choices=("individual", "organisation"), default="individual")
    p.add_argument("--phone")
    p.add_argument("--address")
    p.add_argument("--channel", choices=("direct", "post"), default="direct")
    p.add_argument("--at", type=minute_arg)
    p.set_defaults(func=run_refuse)

    p = sub.add_parser("withdraw", help="công dân rút hồ sơ")
    add_common(p, json_flag=True)
    p.add_argument("code")
    p.add_argument("--reason")
    p.add_argument("--at", type=minute_arg)
    p.set_defaults(func=run_withdraw)

    p = sub.add_parser("dossier", help="hồ sơ")
    add_common(p)
    dsub = p.add_subparsers(dest="dossier_command", required=True)
    d = dsub.add_parser("show", help="xem một hồ sơ")
    add_common(d, json_flag=True)
    d.add_argument("code")
    d.set_defaults(func=run_show)


def _fee(args: argparse.Namespace) -> intake.FeeInput | None:
    if args.fee_amount is None and not args.fee_receipt and not args.fee_exempt_reason:
        return None
    return intake.FeeInput(amount_vnd=args.fee_amount, exempt_reason=args.fee_exempt_reason,
                           receipt_no=args.fee_receipt)


def outcome_json(v: DossierView) -> dict:
    """The `receive`/`supplement` JSON: received_at is when the counter took the papers (first contact
    while a supplement is pending), due_at only once the dossier is complete."""
    return {"code": v.code, "status": v.status.value, "received_at": hhmm(v.received_at or v.first_contact_at),
            "due_at": hhmm(v.due_at), "missing": [d.name for d in v.missing_documents()]}


def _print_outcome(v: DossierView) -> None:
    print(f"Mã hồ sơ: {v.code}")
    print(f"Trạng thái: {v.status.label}")
    if v.status is Status.RECEIVED:
        print(f"Tiếp nhận lúc: {v.received_at:%H:%M %d/%m/%Y}")
        print(f"Hẹn trả kết quả: {v.due_at:%H:%M %d/%m/%Y}" if v.due_at else
              "Hẹn trả kết quả: chưa xác định (thủ tục chưa có thời hạn giải quyết)")
    elif v.status is Status.SUPPLEMENT_REQUESTED:
        print("Cần bổ sung:")
        for i, text in zip(v.missing, v.missing_texts()):
            print(f"  {i}. {text}")
    elif v.status is Status.REFUSED:
        print(f"Lý do: {v.refusal_reason}")


def _emit(args: argparse.Namespace, v: DossierView) -> int:
    if args.json:
        print_json(outcome_json(v))
    else:
        _print_outcome(v)
    return 0


def run_due_date(args: argparse.Namespace) -> int:
    with context(args) as ctx:
        due = calendar.due_date(ctx, args.procedure, args.received)
    if args.json:
        print_json({"due_at": hhmm(due)})
    else:
        print(f"{due:%Y-%m-%dT%H:%M}" if due else "Chưa xác định (thủ tục chưa có thời hạn giải quyết)")
    return 0


def run_receive(args: argparse.Namespace) -> int:
    applicant = Applicant(name=args.name, id_number=args.id_number, id_kind=args.id_kind, kind=args.kind,
                          phone=args.phone,
                          email=args.email, address=args.address, delivery=args.delivery,
                          delivery_address=args.delivery_address)
    with context(args) as ctx:
        v = intake.receive(ctx, args.procedure, applicant, args.provided, channel=args.channel, fee=_fee(args),
                           note=args.note, at=args.at, due_at=args.due)
    return _emit(args, v)


def run_supplement(args: argparse.Namespace) -> int:
    with context(args) as ctx:
        v = intake.supplement(ctx, args.code, args.provided, note=args.note, fee=_fee(args), at=args.at,
                              due_at=args.due)
    return _emit(args, v)


def run_refuse(args: argparse.Namespace) -> int:
    first_contact = (args.procedure, args.name, args.id_number)
    if args.code and any(first_contact):
        raise UserError("Từ chối theo mã hồ sơ thì không ghi --procedure/--name/--id-number.",
                        "give either a dossier CODE or --procedure/--name/--id-number, not both")
    if not args.code and not all(first_contact):
        raise UserError("Cần mã hồ sơ, hoặc đủ --procedure, --name và --id-number để từ chối ngay lần đầu.",
                        "give a dossier CODE, or --procedure, --name and --id-number to refuse at first contact")
    with context(args) as ctx:
        if args.code:
            v = intake.refuse(ctx, args.code, args.reason, at=args.at)
        else:
            applicant = Applicant(name=args.name, id_number=args.id_number, id_kind=args.id_kind, kind=args.kind,
                                  phone=args.phone, address=args.address)
            v = intake.refuse_new(ctx, args.procedure, applicant, args.reason, channel=args.channel, at=args.at)
    return _emit(args, v)


def run_withdraw(args: argparse.Namespace) -> int:
    with context(args) as ctx:
        v = intake.withdraw(ctx, args.code, args.reason, at=args.at)
    if args.json:
        print_json({"code": v.code, "status": v.status.value})
    else:
        print(f"Hồ sơ {v.code}: {v.status.label}")
    return 0


def run_show(args: argparse.Namespace) -> int:
    with context(args) as ctx:
        v = dossiers.get(ctx, args.code)
    if args.json:
        print_json(v.to_json())
        return 0
    a = v.applicant
    print(f"Mã hồ sơ: {v.code}  [{v.status.label}]")
    print(f"Thủ tục: {v.procedure.code} — {v.procedure.name} ({v.procedure.processing_time.label()})")
    print(f"Người nộp: {a.name}" + (f", {a.id_kind.upper()} {a.id_number}" if a.id_number and a.id_kind else ""))
    for label, value in (("Điện thoại", a.phone), ("Email", a.email), ("Địa chỉ", a.address)):
        if value:
            print(f"{label}: {value}")
    print(f"Kênh: {v.channel_label}; nhận kết quả: "
          + ("qua bưu chính tới " + (a.delivery_address or "") if a.delivery == "post" else "tại quầy"))
    print(f"Tiếp xúc lần đầu: {v.first_contact_at:%H:%M %d/%m/%Y}" + (" (nhập lùi)" if v.entered_late else ""))
    if v.received_at:
        print(f"Nhận đủ hồ sơ: {v.received_at:%H:%M %d/%m/%Y}")
    if v.due_at:
        print(f"Hẹn trả: {v.due_at:%H:%M %d/%m/%Y}")
    if v.returned_at:
        print(f"Đã trả kết quả: {v.returned_at:%H:%M %d/%m/%Y}" + (f" (cán bộ trả: {v.returned_by})" if v.returned_by else ""))
    print(f"Cán bộ tiếp nhận: {v.clerk}")
    print("Thành phần đã nộp:")
    for p, d in v.provided_documents():
        print(f"  {p.number}. {d.name}")
    if v.missing:
        print("Còn thiếu:")
        for i, text in zip(v.missing, v.missing_texts()):
            print(f"  {i}. {text}")
    if v.fee_amount is not None or v.fee_exempt_reason:
        fee = f"miễn ({v.fee_exempt_reason})" if v.fee_exempt_reason else f"{v.fee_amount:,} đồng".replace(",", ".")
        print(f"Phí, lệ phí: {fee}" + (f"; biên lai số {v.fee_receipt_no}" if v.fee_receipt_no else ""))
    if v.refusal_reason:
        print(f"Lý do từ chối: {v.refusal_reason}")
    print("Lịch sử:")
    for e in v.events:
        print(f"  {e.seq}. {e.at:%H:%M %d/%m/%Y} {e.type} — {e.actor}")
    return 0
