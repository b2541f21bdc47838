"""`motcua report`: the period's statistics as JSON, or the workbook / PDF a supervisor sends on."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import UserError
from ..services import reports
from .common import add_common, context, print_json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("report", help="báo cáo kỳ: số liệu, biểu II.06, sổ theo dõi hồ sơ (mặc định: tháng này)")
    add_common(p)
    p.add_argument("--from", dest="date_from", help="từ ngày YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", help="đến ngày YYYY-MM-DD (tính cả ngày đó)")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="in số liệu dạng JSON")
    out.add_argument("--xlsx", type=Path, metavar="FILE", help="ghi tệp Excel: biểu II.06, số liệu, sổ theo dõi")
    out.add_argument("--pdf", type=Path, metavar="FILE", help="ghi tệp PDF: biểu II.06, số liệu, biểu đồ")
    p.add_argument("--force", action="store_true", help="ghi đè tệp đã có")
    p.set_defaults(func=run_report)


def _check_target(path: Path, suffix: str) -> None:
    if path.suffix.lower() != suffix:
        raise UserError(f"Tệp '{path}' phải có đuôi {suffix}.", f"{path} should end in {suffix}")


def run_report(args: argparse.Namespace) -> int:
    if args.xlsx:
        _check_target(args.xlsx, ".xlsx")
    if args.pdf:
        _check_target(args.pdf, ".pdf")
    with context(args) as ctx:
        period = reports.period(ctx, args.date_from, args.date_to)
        if args.xlsx:
            written = reports.write_xlsx(ctx, period, args.xlsx, force=args.force)
        elif args.pdf:
            written = reports.write_pdf(ctx, period, args.pdf, force=args.force)
        else:
            stats = reports.statistics(ctx, period)
            if args.json:
                print_json(stats.to_json())
            else:
                _print(stats)
            return 0
    print(f"Đã ghi {written}")
    return 0


def _print(stats: reports.Report) -> None:
    t = stats.total.to_json()
    p = stats.period
    print(f"Kỳ báo cáo: từ ngày {p.start:%d/%m/%Y} đến ngày {p.end:%d/%m/%Y}")
    print(f"Tiếp nhận: {t['received_total']} (từ kỳ trước {t['carried_over']}, mới {t['received']}: trực tiếp "
          f"{t['by_channel']['direct']}, bưu chính {t['by_channel']['post']}, trực tuyến {t['by_channel']['online']})")
    r = t["resolved"]
    print(f"Đã giải quyết: {r['total']} (trước hạn {r['early']}, đúng hạn {r['on_time']}, quá hạn {r['late']}"
          f" — có xin lỗi {r['late_with_apology']})")
    i = t["in_progress"]
    print(f"Đang giải quyết: {i['total']} (trong hạn {i['within_due']}, quá hạn {i['past_due']})")
    print(f"Từ chối {t['refused']}, rút {t['withdrawn']}, dừng {t['stopped']}; chờ bổ sung {t['supplement_requested']}"
          f" ({t['supplement_rounds']} lần yêu cầu bổ sung); phiếu xin lỗi {t['apologies']}; "
          f"chờ trả kết quả {t['awaiting_pickup']}")
    s = t["satisfaction"]
    rate = f"{t['on_time_rate'] * 100:.1f}%" if t["on_time_rate"] is not None else "—"
    print(f"Đánh giá: {s['count']} lượt" + (f", trung bình {s['mean']}" if s["mean"] is not None else "")
          + f"; tỉ lệ đúng hạn {rate}")
