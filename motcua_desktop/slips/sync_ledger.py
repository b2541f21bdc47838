"""The sync ledger as a file a supervisor sends to the province: every event not yet on the hub (with
the hub's reason when it was rejected) and every open conflict with both sides' statuses. No personal
data: codes, event types, states and reasons only (never a payload)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

HEADERS = ("Loại", "Mã hồ sơ", "Sự kiện", "Mã sự kiện", "Trạng thái", "Ghi lúc", "Số lần gửi", "Lý do của hub",
           "Chi tiết", "Trạng thái ở quầy", "Trạng thái ở hub")
STATES_VI = {"waiting": "chờ gửi", "blocked": "chờ sau sự kiện bị từ chối", "rejected": "bị hub từ chối"}


def ledger_rows(outbox: Sequence[dict[str, Any]], conflicts: Sequence[dict[str, Any]]) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for e in outbox:
        rows.append(["Sự kiện", e["dossier_code"], e["type"], e["event_id"], STATES_VI.get(e["state"], e["state"]),
                     e["at"], e["attempts"], e["reason"] or "", e["detail"] or e["last_error"] or "", "", ""])
    for c in conflicts:
        rows.append([f"Xung đột #{c['id']}", c["dossier_code"], (c.get("hub_event") or {}).get("type") or "",
                     c["local_event_id"] or "", "chưa xử lý", c["opened_at"], "", c["reason"], c["detail"] or "",
                     c["local_status"] or "", c["hub_status"] or ""])
    return rows


def csv_bytes(rows: Sequence[Sequence[Any]]) -> bytes:
    """UTF-8 with a BOM: Excel on the commune PCs opens it with the Vietnamese letters intact."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADERS)
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(rows: Sequence[Sequence[Any]]) -> bytes:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "Đồng bộ"
    ws.append(list(HEADERS))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(list(row))
    for letter, width in zip("ABCDEFGHIJK", (12, 26, 18, 38, 22, 20, 10, 24, 40, 14, 14)):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()
