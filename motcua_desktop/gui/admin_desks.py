"""The administrator's and supervisor's desks: staff accounts (F10) and the audit trail (F11).

Reads and writes go through the worker store (`ops.query` / `ops.run`); the services check the
permission again, so a refused call shows the service's own message through the dialog service.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ..domain.accounts import Permission, Role
from ..domain.audit_chain import Verdict
from ..services import accounts, audit
from ..services.accounts import Account
from ..services.audit import AuditEntry
from .dialogs import FormField
from .pages import DeskHost
from .qt import (
    QAbstractItemView,
    QCheckBox,
    QDate,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
)

ROLE_CHOICES = tuple((r.value, r.label) for r in Role)
MISMATCH = "Hai lần nhập mật khẩu không giống nhau."


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return table


def _title(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("pageTitle")
    return label


def account_state(a: Account) -> str:
    if not a.active:
        return "Đã khóa (ngừng sử dụng)"
    if a.locked_until is not None:
        return f"Tạm khóa đến {a.locked_until:%H:%M %d/%m}"
    return "Phải đổi mật khẩu" if a.must_change else "Đang dùng"


class UsersView(QWidget):
    """List accounts; add one, reset a password, disable an account (administrators)."""

    loaded = Signal()  # the table shows what the store holds

    def __init__(self, host: DeskHost) -> None:
        super().__init__()
        self.host = host
        self.setObjectName("usersView")
        self.accounts: list[Account] = []
        self.table = _table(["Tên đăng nhập", "Họ tên", "Vai trò", "Trạng thái", "Đăng nhập gần nhất"])
        self.table.setObjectName("usersTable")
        self.add_button = QPushButton("Thêm tài khoản…")
        self.add_button.setObjectName("primaryButton")
        self.reset_button = QPushButton("Đặt lại mật khẩu…")
        self.disable_button = QPushButton("Ngừng sử dụng tài khoản")
        self.add_button.clicked.connect(self.add_account)
        self.reset_button.clicked.connect(self.reset_password)
        self.disable_button.clicked.connect(self.disable_account)
        buttons = QHBoxLayout()
        for b in (self.add_button, self.reset_button, self.disable_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        hint = QLabel("Mỗi cán bộ làm việc bằng tài khoản riêng: tên in trên phiếu và ghi trong nhật ký là họ tên "
                      "của tài khoản. Mật khẩu đặt lại phải được đổi ở lần đăng nhập sau.")
        hint.setObjectName("hintLabel")
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 12)
        layout.addWidget(_title("Tài khoản cán bộ"))
        layout.addWidget(hint)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)

    def refresh(self) -> None:
        if not self.host.ctx.may(Permission.USERS):
            return
        self.host.ops.query(accounts.list_accounts, on_done=self._fill, doing="tải danh sách tài khoản")

    def _fill(self, found: list[Account]) -> None:
        self.accounts = list(found)
        self.table.setRowCount(len(self.accounts))
        for row, a in enumerate(self.accounts):
            for col, text in enumerate((a.username, a.full_name, a.role.label, account_state(a),
                                        (a.last_login_at or "").replace("T", " "))):
                self.table.setItem(row, col, QTableWidgetItem(text))
        self.loaded.emit()

    def selected(self) -> Account | None:
        row = self.table.currentRow()
        if 0 <= row < len(self.accounts):
            return self.accounts[row]
        self.host.dialogs.info(self, "Chọn một tài khoản trong danh sách trước.")
        return None

    def add_account(self) -> None:
        fields = (FormField("username", "Tên đăng nhập:", hint="ví dụ lan.nguyen"), FormField("full_name", "Họ tên:"),
                  FormField("role", "Vai trò:", "choice", ROLE_CHOICES),
                  FormField("password", "Mật khẩu:", "password", hint="ít nhất 8 ký tự"),
                  FormField("again", "Nhập lại mật khẩu:", "password"))
        answer = self.host.dialogs.ask_form(self, "Thêm tài khoản", fields, ok="Thêm")
        if answer is None:
            return
        if answer.get("password") != answer.get("again"):
            self.host.dialogs.warn(self, MISMATCH)
            return
        self.host.ops.run(accounts.add_user, answer.get("username", ""), answer.get("full_name", ""),
                          answer.get("role", Role.CLERK.value), answer.get("password", ""), parent=self,
                          doing="thêm tài khoản", on_done=self._written("Đã thêm tài khoản {}."))

    def reset_password(self) -> None:
        a = self.selected()
        if a is None:
            return
        fields = (FormField("password", "Mật khẩu mới:", "password"), FormField("again", "Nhập lại:", "password"))
        answer = self.host.dialogs.ask_form(self, f"Đặt lại mật khẩu cho {a.username}", fields,
                                            message="Cán bộ phải đổi mật khẩu này ở lần đăng nhập sau.", ok="Đặt lại")
        if answer is None:
            return
        if answer.get("password") != answer.get("again"):
            self.host.dialogs.warn(self, MISMATCH)
            return
        self.host.ops.run(accounts.reset_password, a.username, answer.get("password", ""), parent=self,
                          doing="đặt lại mật khẩu", on_done=self._written("Đã đặt lại mật khẩu cho {}."))

    def disable_account(self) -> None:
        a = self.selected()
        if a is None:
            return
        if not self.host.dialogs.confirm(self, f"Ngừng sử dụng tài khoản {a.username} ({a.full_name})? Cán bộ này sẽ "
                                               "không đăng nhập được nữa.", "Ngừng sử dụng tài khoản",
                                         yes="Ngừng sử dụng", no="Hủy"):
            return
        self.host.ops.run(accounts.disable_user, a.username, parent=self, doing="ngừng sử dụng tài khoản",
                          on_done=self._written("Đã ngừng sử dụng tài khoản {}."))

    def _written(self, text: str) -> Any:
        def done(account: Account) -> None:
            self.host.show_status(text.format(account.username), 10_000)
            self.refresh()
        return done


class UsersPage:
    """Tài khoản: the administrator's management of staff accounts."""

    key, title, shortcut = "users", "Tài khoản", "F10"
    permission = Permission.USERS

    def __init__(self, host: DeskHost) -> None:
        self.view = UsersView(host)

    @property
    def widget(self) -> QWidget:
        return self.view

    def entered(self) -> None:
        self.view.refresh()
        self.view.table.setFocus()

    def refresh(self) -> None:
        self.view.refresh()


PROBLEMS_VI = {
    "unsealed": "mục chưa được niêm phong", "link_broken": "không nối với mục trước (bị xóa hoặc chèn)",
    "edited": "nội dung đã bị sửa", "after_anchor": "có mục được thêm sau mốc kiểm tra",
    "backup_mismatch": "không khớp với bản sao lưu", "no_anchor": "mất mốc kiểm tra",
    "tail_missing": "các mục cuối đã bị xóa", "anchor_mismatch": "không khớp với mốc kiểm tra",
}


def verdict_text(verdict: Verdict) -> str:
    f = verdict.finding
    if f is None:
        return f"Nhật ký toàn vẹn: {verdict.entries} mục, không mục nào bị sửa, xóa hay chèn."
    where = f"mục số {f.entry_id}" if f.entry_id is not None else "nhật ký"
    return (f"Nhật ký KHÔNG toàn vẹn: mục hỏng đầu tiên là {where} — {PROBLEMS_VI.get(f.problem, f.problem)}. "
            f"Hãy báo quản trị viên.\n({f.detail})")


class AuditView(QWidget):
    """The audit trail, filterable by period, user and action; "Kiểm tra toàn vẹn" checks the chain."""

    loaded = Signal()
    verified = Signal(object)  # the Verdict

    def __init__(self, host: DeskHost) -> None:
        super().__init__()
        self.host = host
        self.setObjectName("auditView")
        self.entries: list[AuditEntry] = []
        self.by_date = QCheckBox("Từ ngày")
        self.date_from, self.date_to = QDateEdit(), QDateEdit()
        today = QDate.currentDate()
        for edit, day in ((self.date_from, today.addDays(-30)), (self.date_to, today)):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd/MM/yyyy")
            edit.setDate(day)
            edit.setEnabled(False)
            self.by_date.toggled.connect(edit.setEnabled)
        self.user_box = QLineEdit()
        self.user_box.setPlaceholderText("họ tên cán bộ")
        self.action_box = QLineEdit()
        self.action_box.setPlaceholderText("thao tác, ví dụ login, users., receive")
        self.filter_button = QPushButton("Lọc")
        self.filter_button.clicked.connect(self.refresh)
        self.user_box.returnPressed.connect(self.refresh)
        self.action_box.returnPressed.connect(self.refresh)
        self.verify_button = QPushButton("Kiểm tra toàn vẹn")
        self.verify_button.setObjectName("primaryButton")
        self.verify_button.clicked.connect(self.verify)
        self.verdict_label = QLabel()
        self.verdict_label.setObjectName("verdictLabel")
        self.verdict_label.setWordWrap(True)
        filters = QHBoxLayout()
        filters.addWidget(self.by_date)
        filters.addWidget(self.date_from)
        filters.addWidget(QLabel("đến"))
        filters.addWidget(self.date_to)
        filters.addWidget(self.user_box, 1)
        filters.addWidget(self.action_box, 1)
        filters.addWidget(self.filter_button)
        top = QHBoxLayout()
        top.addWidget(_title("Nhật ký thao tác"))
        top.addStretch(1)
        top.addWidget(self.verify_button)
        self.table = _table(["Số", "Thời điểm", "Người thực hiện", "Thao tác", "Đối tượng", "Chi tiết"])
        self.table.setObjectName("auditTable")
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for col, width in enumerate((56, 175, 160, 140, 150)):
            self.table.setColumnWidth(col, width)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 12)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.verdict_label)
        layout.addWidget(self.table, 1)

    def _filters(self) -> dict[str, Any]:
        out: dict[str, Any] = {"user": self.user_box.text().strip() or None,
                               "action": self.action_box.text().strip() or None}
        if self.by_date.isChecked():
            out["date_from"] = date.fromisoformat(self.date_from.date().toString("yyyy-MM-dd"))
            out["date_to"] = date.fromisoformat(self.date_to.date().toString("yyyy-MM-dd"))
        return out

    def refresh(self) -> None:
        if not self.host.ctx.may(Permission.AUDIT):
            return
        self.host.ops.query(audit.entries, on_done=self._fill, parent=self, doing="tải nhật ký", **self._filters())

    def _fill(self, found: list[AuditEntry]) -> None:
        self.entries = list(found)
        self.table.setRowCount(len(self.entries))
        for row, e in enumerate(self.entries):
            detail = ", ".join(f"{k}={v}" for k, v in e.detail.items())
            for col, text in enumerate((str(e.id), e.at.replace("T", " "), e.actor, e.action, e.subject or "", detail)):
                self.table.setItem(row, col, QTableWidgetItem(text))
        self.loaded.emit()

    def verify(self) -> None:
        """The whole chain, checked on the worker (a million entries take seconds, not the UI's time)."""
        self.verify_button.setEnabled(False)
        self.verdict_label.setText("Đang kiểm tra toàn vẹn nhật ký…")
        self.host.ops.query(audit.verify, on_done=self._verified, on_error=self._verify_failed, parent=self,
                            doing="kiểm tra toàn vẹn nhật ký")

    def _verified(self, verdict: Verdict) -> None:
        self.verify_button.setEnabled(True)
        self.verdict_label.setText(verdict_text(verdict))
        self.verdict_label.setStyleSheet("" if verdict.ok else "color: #b3261e; font-weight: bold;")
        if not verdict.ok:
            self.host.dialogs.warn(self, verdict_text(verdict), "Nhật ký không toàn vẹn")
        self.verified.emit(verdict)

    def _verify_failed(self, exc: BaseException) -> None:
        self.verify_button.setEnabled(True)
        self.verdict_label.setText("")
        self.host.dialogs.show_error(self, exc, doing="kiểm tra toàn vẹn nhật ký")


class AuditPage:
    """Nhật ký: the audit trail for supervisors and administrators."""

    key, title, shortcut = "audit", "Nhật ký", "F11"
    permission = Permission.AUDIT

    def __init__(self, host: DeskHost) -> None:
        self.view = AuditView(host)

    @property
    def widget(self) -> QWidget:
        return self.view

    def entered(self) -> None:
        self.view.refresh()
        self.view.user_box.setFocus()

    def refresh(self) -> None:
        self.view.refresh()
