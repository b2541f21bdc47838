"""`motcua hub set|show`, `motcua sync`, `motcua outbox [retry]`, `motcua conflicts [resolve]`."""

from __future__ import annotations

import argparse
from typing import Any

from ..errors import UserError
from ..services import sync, sync_conflicts, sync_status
from .common import add_common, context, print_json


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    hub = sub.add_parser("hub", help="địa chỉ hub (hệ thống của tỉnh) và mã truy cập của quầy")
    hsub = hub.add_subparsers(dest="hub_command", required=True)
    p = hsub.add_parser("set", help="nối quầy với hub: motcua hub set URL --token T [--ca-file F]")
    add_common(p, json_flag=True)
    p.add_argument("url", help="ví dụ https://hub.tinh.gov.vn:8765")
    p.add_argument("--token", required=True,
                   help="mã truy cập do 'motcua-hub add-counter' cấp; viết --token=T (mã có thể bắt đầu bằng '-')")
    p.add_argument("--ca-file", help="chứng chỉ CA (PEM) để kiểm tra chứng chỉ TLS của hub")
    p.set_defaults(func=run_hub_set)
    p = hsub.add_parser("show", help="hub đang nối, lần đồng bộ gần nhất (mã truy cập được che)")
    add_common(p, json_flag=True)
    p.set_defaults(func=run_hub_show)

    p = sub.add_parser("sync", help="đồng bộ với hub một lượt: gửi sự kiện, nhận kết quả xử lý")
    add_common(p, json_flag=True)
    p.add_argument("--batch-size", type=int, default=sync.DEFAULT_BATCH,
                   help=f"số sự kiện mỗi lô (1–{sync.MAX_BATCH}, mặc định {sync.DEFAULT_BATCH})")
    p.set_defaults(func=run_sync)

    p = sub.add_parser("outbox", help="sự kiện chưa lên hub: đang chờ gửi và bị từ chối (kèm lý do)")
    add_common(p, json_flag=True)
    p.add_argument("--export", metavar="FILE",
                   help="ghi danh sách (cả xung đột chưa xử lý) ra tệp .csv hoặc .xlsx, không có dữ liệu cá nhân")
    p.add_argument("--force", action="store_true", help="ghi đè tệp --export đã có")
    osub = p.add_subparsers(dest="outbox_command")
    r = osub.add_parser("retry", help="gửi lại sự kiện bị từ chối (người giám sát)")
    add_common(r, json_flag=True)
    r.add_argument("event_id", nargs="?")
    r.add_argument("--all", action="store_true", help="mọi sự kiện bị từ chối")
    r.set_defaults(func=run_outbox_retry)
    p.set_defaults(func=run_outbox)

    p = sub.add_parser("conflicts", help="xung đột giữa quầy và hub chờ người giám sát xử lý")
    add_common(p, json_flag=True)
    p.add_argument("--all", action="store_true", help="cả xung đột đã xử lý")
    csub = p.add_subparsers(dest="conflicts_command")
    r = csub.add_parser("resolve", help="xử lý xung đột: giữ trạng thái của quầy hoặc của hub (người giám sát)")
    add_common(r, json_flag=True)
    r.add_argument("conflict_id", type=int, metavar="ID", help="số xung đột trong 'motcua conflicts'")
    r.add_argument("--keep", required=True, choices=sync_conflicts.KEEPS,
                   help="counter: hub nhận trạng thái của quầy; hub: quầy nhận trạng thái của hub")
    r.add_argument("--note", help="lý do (ghi vào sự kiện và nhật ký)")
    r.set_defaults(func=run_conflicts_resolve)
    p.set_defaults(func=run_conflicts)


def run_hub_set(args: argparse.Namespace) -> int:
    with context(args) as ctx:
        shown = sync.set_hub(ctx, args.url, args.token, args.ca_file)
    if args.json:
        print_json(shown)
    else:
        print(f"Đã nối quầy với hub {shown['url']} (mã truy cập {shown['token']})."
              + (f" CA: {shown['ca_file']}" if shown["ca_file"] else ""))
    return 0


def run_hub_show(args: argparse.Namespace) -> int:
    with context(args) as ctx:
        shown = sync.show_hub(ctx)
    if args.json:
        print_json(shown)
        return 0
    if not shown["url"]:
        print("Chưa nối với hub: motcua hub set URL --token T")
        return 0
    print(f"Hub:        {shown['url']}")
    print(f"Mã truy cập: {shown['token']}")
    if shown["ca_file"]:
        print(f"Tệp CA:     {shown['ca_file']}")
    print(f"Lần thành công gần nhất: {shown['last_success_at'] or 'chưa có'}")
    if shown["last_error"]:
        print(f"Lỗi lần gần nhất: {shown['last_error']}")
    box = shown["outbox"]
    print(f"Chờ gửi: {box['pending']}, bị từ chối: {box['rejected']}; xung đột chưa xử lý: {shown['open_conflicts']}")
    if shown["skew_warning"]:
        print(f"CẢNH BÁO: đồng hồ máy lệch với hub {shown['last_skew_s']:+.0f} giây")
    for kind, title in (("catalog", "Danh mục thủ tục"), ("calendar", "Lịch ngày nghỉ/làm bù")):
        print(f"{title}: {sync_status.in_force_text(shown[kind])}")
    return 0


def _print_report(r: sync.SyncReport) -> None:
    print(f"Hub {r.hub_url}")
    print(f"Đã gửi {r.sent} sự kiện: {r.accepted} nhận mới, {r.duplicate} đã có (trùng), "
          f"{len(r.rejected)} bị từ chối.")
    for x in r.rejected:
        print(f"  TỪ CHỐI {x['dossier_code']} {x['type']} {x['event_id']}: {x['reason']}"
              + (f" — {x['detail']}" if x["detail"] else ""))
    if r.catalog:
        print(f"Danh mục thủ tục từ hub v{r.catalog['version']}: {r.catalog['procedures']} thủ tục "
              f"({r.catalog['added']} mới, {r.catalog['updated']} thay đổi).")
    if r.calendar:
        print(f"Lịch từ hub v{r.calendar['version']}: {r.calendar['days']} ngày.")
    for err in r.published_errors:
        print(f"  KHÔNG ÁP DỤNG {err}")
    print(f"Nhận về {r.pulled} thay đổi: {r.applied} đã áp dụng, {r.already} đã có"
          + (f", {r.waiting} chờ gửi xong sự kiện của quầy" if r.waiting else "") + ".")
    for c in r.conflicts:
        print(f"  XUNG ĐỘT #{c['id']} {c['dossier_code']}: {c['reason']}")
    box = r.outbox
    print(f"Hàng đợi gửi còn {box.get('total', 0)} sự kiện ({box.get('rejected', 0)} bị từ chối).")
    if r.skew_warning and r.skew_s is not None:
        print(f"CẢNH BÁO: đồng hồ máy lệch với hub {r.skew_s:+.0f} giây (quá 5 phút): chỉnh lại giờ máy.")


def run_sync(args: argparse.Namespace) -> int:
    if not 1 <= args.batch_size <= sync.MAX_BATCH:
        raise UserError(f"Số sự kiện mỗi lô phải từ 1 đến {sync.MAX_BATCH}.", f"--batch-size must be 1-{sync.MAX_BATCH}")
    with context(args) as ctx:
        report = sync.sync(ctx, batch_size=args.batch_size)
    if args.json:
        print_json(report.to_json())
    else:
        _print_report(report)
    return 0


def _outbox_line(x: dict[str, Any]) -> str:
    state = {"waiting": "chờ gửi", "blocked": "chờ sau sự kiện bị từ chối", "rejected": "BỊ TỪ CHỐI"}[x["state"]]
    why = f": {x['reason']}" + (f" — {x['detail']}" if x["detail"] else "") if x["state"] == "rejected" else ""
    return f"{x['event_id']}  {x['dossier_code']}  {x['type']:<12} {state}{why}"


def run_outbox(args: argparse.Namespace) -> int:
    if args.export:
        with context(args) as ctx:
            path = sync_status.export_ledger(ctx, args.export, force=args.force)
        if args.json:
            print_json({"written": str(path)})
        else:
            print(f"Đã ghi danh sách đồng bộ vào {path}")
        return 0
    with context(args) as ctx:
        rows = sync.outbox(ctx)
    if args.json:
        print_json(rows)
        return 0
    rejected = sum(1 for x in rows if x["state"] == "rejected")
    print(f"{len(rows)} sự kiện chưa lên hub ({rejected} bị từ chối).")
    for x in rows:
        print(_outbox_line(x))
    return 0


def run_outbox_retry(args: argparse.Namespace) -> int:
    if bool(args.event_id) == bool(args.all):
        raise UserError("Ghi mã sự kiện cần gửi lại, hoặc --all.", "give EVENT_ID or --all (one of them)")
    with context(args) as ctx:
        ids = sync.retry(ctx, None if args.all else args.event_id)
    if args.json:
        print_json({"requeued": ids})
    else:
        print(f"Đã đưa lại {len(ids)} sự kiện vào hàng đợi; lần đồng bộ tới sẽ gửi lại.")
    return 0


def run_conflicts(args: argparse.Namespace) -> int:
    with context(args) as ctx:
        rows = sync.conflicts(ctx, include_resolved=args.all)
    if args.json:
        print_json(rows)
        return 0
    print(f"{len(rows)} xung đột" + ("" if args.all else " chưa xử lý") + ".")
    for c in rows:
        print(f"#{c['id']}  {c['dossier_code']}  {c['origin']}  {c['reason']}: quầy {c['local_status'] or '-'}, "
              f"hub {c['hub_status'] or '-'}" + (f" — {c['detail']}" if c["detail"] else "")
              + (f" [đã xử lý: giữ trạng thái của {_SIDE_VI[c['resolution']['keep']]}, "
                 f"{c['resolution']['status']}]" if c["resolution"] else ""))
    return 0


_SIDE_VI = {"counter": "quầy", "hub": "hub"}


def run_conflicts_resolve(args: argparse.Namespace) -> int:
    with context(args) as ctx:
        done = sync_conflicts.resolve_conflict(ctx, args.conflict_id, args.keep, args.note)
    if args.json:
        print_json(done)
    else:
        print(f"Đã xử lý xung đột {', '.join(f'#{i}' for i in done['conflicts'])} của hồ sơ {done['dossier_code']}: "
              f"giữ trạng thái của {_SIDE_VI[done['keep']]} ({done['status']}); {len(done['superseded'])} sự kiện "
              "chưa gửi được thay bằng quyết định này. Lần đồng bộ tới sẽ gửi quyết định lên hub.")
    return 0
