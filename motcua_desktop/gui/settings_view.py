"""Thiết lập: the counter's identity and defaults, as declared once in domain/settings.py."""

from __future__ import annotations

from ..domain.settings import SETTINGS
from ..services.context import Context
from .dialogs import Dialogs
from .qt import QFormLayout, QLabel, QVBoxLayout, QWidget


class SettingsView(QWidget):
    """Read-only for now: an administrator changes values with `motcua settings KEY=VALUE`."""

    def __init__(self, ctx: Context, dialogs: Dialogs, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.dialogs = ctx, dialogs
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        title = QLabel("Thiết lập quầy")
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        self.form = QFormLayout()
        self.form.setHorizontalSpacing(24)
        self.form.setVerticalSpacing(10)
        layout.addLayout(self.form)
        hint = QLabel("Quản trị viên thay đổi thiết lập bằng lệnh: motcua settings KHÓA=GIÁ_TRỊ "
                      "(ví dụ: motcua settings clerk_name=\"Nguyễn Văn A\").")
        hint.setObjectName("hintLabel")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        layout.addStretch(1)
        self.values: dict[str, QLabel] = {}
        for key, setting in SETTINGS.items():
            value = QLabel()
            value.setObjectName("settingValue")
            label = QLabel(setting.description)
            label.setToolTip(key)
            self.form.addRow(label, value)
            self.values[key] = value
        self.page_entered()

    def page_entered(self) -> None:
        values = self.ctx.settings()
        for key, label in self.values.items():
            label.setText(str(values.get(key, "")) or "—")
