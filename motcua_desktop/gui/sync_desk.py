"""Đồng bộ (F12), the supervisor's sync screen: what has not reached the hub and what needs a person —
events the hub rejected (with its reason) and conflicts (both sides' statuses) — with the actions:
sync now, send one or every rejected event again, export the list, resolve a conflict by keeping the
counter's or the hub's state.

Reads and writes go through the worker store; the services check the permission again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from ..domain.accounts import Permission
from ..domain.dossier import Status
from ..services import sync, sync_conflicts, sync_status
from ..services.context import Context
from ..services.sync_status import SyncStatus
from .ops import Changes
from .pages import DeskHost
from .qt import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
)

STATE_VI = {"waiting": "Chờ gửi", "blocked": "Chờ sau sự kiện bị từ chối", "rejected": "Hub từ chối"}
REASON_VI = {
    "transition_not_allowed": "trạng thái ở hub không cho phép bước này",
    "conflicting_body": "hub đã có sự kiện cùng mã nhưng nội dung khác",
    "forbidden": "quầy không được ghi hồ sơ này",
    "too_large": "sự kiện quá lớn",
    "invalid_event": "sự kiện không hợp lệ",
    "unknown_dossier": "quầy không có hồ sơ này",
    "not_a_hub_event": "hub gửi một loại sự kiện không phải của hub",
}
SHOWN_EVENTS = 500  # the screen lists at most this many waiting events (the export has them all)


def status_vi(value: str | None) -> str:
    if not value:
        return "—"
    try:
        return Status(value).label
    except ValueError:
        return value


def when(text: str | None) -> str:
    if not text:
        return "chưa có"
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        return text
    return f"{at:%H:%M %d/%m/%Y}"


@dataclass(frozen=True)
class Ledger:
    status: SyncStatus
    events: list[dict[str, Any]]  # rejected first, then what waits
    conflicts: list[dict[str, Any]]


def load_ledger(ctx: Context) -> Ledger:
    rows = sync.outbox(ctx, limit=SHOWN_EVENTS)
    rows.sort(key=lambda r: r["state"] != "rejected")  # stable: the queue's order within each group
    return Ledger(sync_status.status_summary(ctx), rows, sync.conflicts(ctx))


def _table(headers: list[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.setWordWrap(True)
    header = table.horizontalHeader()
    header.setStretchLastSection(True)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return table


class SyncDesk(QWidget):
    loaded = Signal()  # the tables show what the store holds (tests wait on it)

    def __init__(self, host: DeskHost) -> None:
        super().__init__()
        self.host = host
        self.setObjectName("syncDesk")
        self.ledger: Ledger | None = None
        title = QLabel("Đồng bộ với hub")
        title.setObjectName("pageTitle")
        self.summary = QLabel()
        self.summary.setObjectName("syncSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)

        self.sync_button = QPushButton("Đồng bộ ngay")
        self.sync_button.setObjectName("syncNowButton")
        self.retry_all_button = QPushButton("Gửi lại mọi sự kiện bị từ chối")
        self.retry_all_button.setObjectName("retryAllButton")
        self.retry_button = QPushButton("Gửi lại sự kiện đang chọn")
        self.retry_button.setObjectName("retryOneButton")
        self.export_button = QPushButton("Xuất danh sách…")
        self.export_button.setObjectName("exportLedgerButton")
        self.sync_button.clicked.connect(self.sync_now)
        self.retry_all_button.clicked.connect(lambda: self.retry(all_rejected=True))
        self.retry_button.clicked.connect(lambda: self.retry(all_rejected=False))
        self.export_button.clicked.connect(self.export)
        actions = QHBoxLayout()
        for b in (self.sync_button, self.retry_all_button, self.retry_button, self.export_button):
            actions.addWidget(b)
        actions.addStretch(1)

        self.events = _table(["Mã hồ sơ", "Sự kiện", "Tình trạng", "Lý do của hub", "Ghi lúc", "Mã sự kiện"],
                             "syncEvents")
        # The hub's reason takes the room that is left (its whole text in the tooltip): no sideways scrolling.
        self.events.horizontalHeader().setStretchLastSection(False)
        self.events.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.conflicts = _table(["#", "Mã hồ sơ", "Ở quầy", "Ở hub", "Lý do", "Mở lúc", "Chi tiết"], "syncConflicts")
        self.events_title = QLabel()
        self.conflicts_title = QLabel()
        for label in (self.events_title, self.conflicts_title):
            label.setObjectName("sectionTitle")
        self.keep_counter_button = QPushButton("Giữ trạng thái của quầy…")
        self.keep_counter_button.setObjectName("keepCounterButton")
        self.keep_counter_button.setToolTip("Hub nhận trạng thái hồ sơ đang có ở quầy")
        self.keep_hub_button = QPushButton("Giữ trạng thái của hub…")
        self.keep_hub_button.setObjectName("keepHubButton")
        self.keep_hub_button.setToolTip("Quầy nhận trạng thái hồ sơ đang có ở hub")
        self.keep_counter_button.clicked.connect(lambda: self.resolve("counter"))
        self.keep_hub_button.clicked.connect(lambda: self.resolve("hub"))
        self.conflicts.itemSelectionChanged.connect(self._conflict_chosen)
        self.conflict_actions = QHBoxLayout()
        self.conflict_actions.addWidget(self.keep_counter_button)
        self.conflict_actions.addWidget(self.keep_hub_button)
        self.conflict_actions.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 12)
        layout.addWidget(title)
        layout.addWidget(self.summary)
        layout.addLayout(actions)
        layout.addWidget(self.events_title)
        layout.addWidget(self.events, 3)
        layout.addWidget(self.conflicts_title)
        layout.addWidget(self.conflicts, 2)
        layout.addLayout(self.conflict_actions)

    # --- loading -------------------------------------------------------------------------------
    def refresh(self) -> None:
        if not self.host.ctx.may(Permission.SYNC_RESOLVE):
            return
        self.host.ops.query(load_ledger, on_done=self._fill, parent=self, doing="tải danh sách đồng bộ")

    def _fill(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.summary.setText(summary_text(ledger.status))
        rejected = sum(1 for e in ledger.events if e["state"] == "rejected")
        waiting = ledger.status.waiting
        shown = f" (hiện {len(ledger.events)} đầu tiên)" if len(ledger.events) < waiting + rejected else ""
        self.events_title.setText(f"Sự kiện chưa lên hub: {rejected} bị từ chối, {waiting} chờ gửi{shown}")
        self.events.setRowCount(len(ledger.events))
        for row, e in enumerate(ledger.events):
            reason = ""
            if e["state"] == "rejected":
                reason = REASON_VI.get(e["reason"] or "", e["reason"] or "")
                if e["detail"]:
                    reason += f" — {e['detail']}"
            elif e["last_error"] and e["last_error"] != "after_rejected":
                reason = f"lần gửi trước: {e['last_error']}"
            cells = (e["dossier_code"], e["type"], STATE_VI.get(e["state"], e["state"]), reason, when(e["at"]),
                     e["event_id"])
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if e["state"] == "rejected":
                    item.setForeground(Qt.GlobalColor.darkRed)
                self.events.setItem(row, col, item)
        self.conflicts_title.setText(f"Xung đột chưa xử lý: {len(ledger.conflicts)}")
        self.conflicts.setRowCount(len(ledger.conflicts))
        for row, c in enumerate(ledger.conflicts):
            conflict_cells = (str(c["id"]), c["dossier_code"], status_vi(c["local_status"]), status_vi(c["hub_status"]),
                              REASON_VI.get(c["reason"], c["reason"]), when(c["opened_at"]), c["detail"] or "")
            for col, text in enumerate(conflict_cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.conflicts.setItem(row, col, item)
        self.retry_all_button.setEnabled(rejected > 0)
        self.retry_button.setEnabled(rejected > 0)
        if ledger.conflicts and self.conflicts.currentRow() < 0:
            self.conflicts.selectRow(0)
        self._conflict_chosen()
        self.loaded.emit()

    def _selected_conflict(self) -> dict[str, Any] | None:
        row = self.conflicts.currentRow()
        if self.ledger is None or not 0 <= row < len(self.ledger.conflicts):
            return None
        return self.ledger.conflicts[row]

    def _conflict_chosen(self) -> None:
        c = self._selected_conflict()
        decidable = c is not None and c["reason"] not in sync_conflicts.HUB_ONLY
        self.keep_counter_button.setEnabled(decidable)
        self.keep_hub_button.setEnabled(decidable and c is not None and bool(c["hub_status"]))

    def changed(self, changes: Changes) -> None:
        if (changes.outbox or changes.touches_dossiers) and self.isVisible():
            self.refresh()

    # --- actions -------------------------------------------------------------------------------
    def sync_now(self) -> None:
        if not self.host.ctx.may(Permission.SYNC_RESOLVE) and not self.ledger:
            return
        if self.ledger is not None and not self.ledger.status.configured:
            self.host.dialogs.warn(self, "Quầy chưa được nối với hub. Quản trị viên chạy "
                                         "'motcua hub set ĐỊA_CHỈ --token MÃ' với mã do tỉnh cấp.")
            return
        self.host.sync_now()
        self.host.show_status("Đang đồng bộ với hub…", 5_000)

    def _selected_event(self) -> dict[str, Any] | None:
        row = self.events.currentRow()
        if self.ledger is None or not 0 <= row < len(self.ledger.events):
            return None
        return self.ledger.events[row]

    def retry(self, *, all_rejected: bool) -> None:
        event_id: str | None = None
        if not all_rejected:
            chosen = self._selected_event()
            if chosen is None or chosen["state"] != "rejected":
                self.host.dialogs.info(self, "Chọn một sự kiện bị hub từ chối trong danh sách trước.")
                return
            event_id = chosen["event_id"]

        def done(ids: list[str]) -> None:
            self.host.show_status(f"Đã đưa lại {len(ids)} sự kiện vào hàng đợi gửi hub", 10_000)
            self.host.sync_now()

        self.host.ops.run(sync.retry, event_id, on_done=done, parent=self, doing="đưa sự kiện vào hàng đợi gửi lại",
                          changes=Changes(outbox=True))

    def resolve(self, keep: str) -> None:
        c = self._selected_conflict()
        if c is None:
            self.host.dialogs.info(self, "Chọn một xung đột trong danh sách trước.")
            return
        code = c["dossier_code"]
        if keep == "counter":
            what = (f"Giữ trạng thái của quầy ({status_vi(c['local_status'])}): hub sẽ nhận trạng thái này "
                    f"cho hồ sơ {code}.")
        else:
            what = (f"Giữ trạng thái của hub ({status_vi(c['hub_status'])}): hồ sơ {code} ở quầy sẽ chuyển "
                    "sang trạng thái này.")
        note = self.host.dialogs.ask_text(
            self, f"{what}\nCác sự kiện của hồ sơ chưa gửi được lên hub sẽ được thay bằng quyết định này "
                  "(vẫn còn trong lịch sử hồ sơ).\n\nLý do (ghi vào nhật ký, có thể để trống):",
            "Xử lý xung đột đồng bộ")
        if note is None:
            return

        def done(decided: dict[str, Any]) -> None:
            self.host.show_status(f"Đã xử lý xung đột của hồ sơ {decided['dossier_code']}; đang gửi quyết định "
                                  "lên hub", 10_000)
            self.host.sync_now()

        self.host.ops.run(sync_conflicts.resolve_conflict, c["id"], keep, note, on_done=done, parent=self,
                          doing="xử lý xung đột đồng bộ", changes=Changes(dossiers=frozenset({code}), outbox=True))

    def export(self) -> None:
        chosen = self.host.dialogs.choose_save_file(self, "Xuất danh sách đồng bộ", "dong-bo.xlsx",
                                                    "Excel (*.xlsx);;CSV UTF-8 (*.csv)")
        if not chosen:
            return
        path = Path(chosen)
        if path.suffix.lower() not in sync_status.LEDGER_KINDS:
            path = path.with_suffix(".xlsx")
        # The file dialog has already asked before replacing a file: force here.
        self.host.ops.query(sync_status.export_ledger, path, force=True, parent=self, doing="xuất danh sách đồng bộ",
                            on_done=lambda written: self.host.show_status(f"Đã ghi {written}", 10_000))


def summary_text(s: SyncStatus) -> str:
    if not s.configured:
        return ("Quầy chưa được nối với hub: mọi hồ sơ vẫn được tiếp nhận và lưu tại quầy, chờ gửi khi có hub "
                "(quản trị viên chạy 'motcua hub set').")
    state = "đang kết nối được" if s.online else "chưa kết nối được" if s.last_attempt_at else "chưa đồng bộ lần nào"
    lines = [f"Hub {s.hub_url}: {state}. Lần đồng bộ thành công gần nhất: {when(s.last_success_at)}."]
    if s.last_error and not s.online:
        lines.append(f"Lỗi lần gần nhất ({when(s.last_attempt_at)}): {s.last_error}")
    if s.skew_warning:
        lines.append("Cảnh báo: đồng hồ máy lệch với hub quá 5 phút — chỉnh lại giờ máy.")
    return "\n".join(lines)


class SyncPage:
    """Đồng bộ: the supervisor's view of the outbox, rejected events and conflicts."""

    key, title, shortcut = "sync", "Đồng bộ", "F12"
    permission = Permission.SYNC_RESOLVE

    def __init__(self, host: DeskHost) -> None:
        self.desk = SyncDesk(host)

    @property
    def widget(self) -> QWidget:
        return self.desk

    def entered(self) -> None:
        self.desk.refresh()
        self.desk.events.setFocus()

    def refresh(self) -> None:
        self.desk.refresh()

    def changed(self, changes: Changes) -> None:
        self.desk.changed(changes)
