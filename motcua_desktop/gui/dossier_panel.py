"""The return desk's right-hand panel: the scanned dossier and what can be done with it — record that
the result came back, stop or withdraw, hand the result over (who collects, identity, rating), or
apologise with a new date in working days.

The panel shows and collects; the desk does the writes (its buttons are connected by the desk).
"""

from __future__ import annotations

from collections.abc import Callable

from ..domain.accounts import PERMISSION_LABELS, Permission
from ..domain.dossier import Status
from ..errors import MotcuaError
from ..services import returns, sync_status
from ..services.context import Context
from ..services.dossiers import DossierView
from ..services.returns import Collector
from .dossier_html import CODE_PT, EMPTY_HTML, detail_html
from .qt import (
    QButtonGroup,
    QComboBox,
    QFont,
    QFontMetrics,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    Qt,
    QVBoxLayout,
    QWidget,
)
from .return_wording import RATINGS, when


class DossierPanel(QScrollArea):
    """A scroll area as narrow as the dossier code allows, holding the dossier and its actions."""

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.current: DossierView | None = None
        # How identity numbers show (the register masks them); None: whole.
        self.show_id: Callable[[str | None], str | None] | None = None
        self.detail = QLabel()
        self.detail.setObjectName("dossierDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.RichText)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.ready_button = QPushButton("Ghi nhận đã có kết quả")
        self.ready_button.setObjectName("readyButton")
        self.ready_button.setAutoDefault(True)  # focused after a scan: Enter presses it
        # A dossier still being processed can also end without a result (national statuses 8 and 7).
        self.stop_button = QPushButton("Dừng xử lý…")
        self.stop_button.setObjectName("stopButton")
        self.withdraw_button = QPushButton("Công dân rút hồ sơ…")
        self.withdraw_button.setObjectName("withdrawButton")

        # Hand-over: who collects, identity document, rating.
        self.handover_box = QGroupBox("Trả kết quả cho công dân")
        self.handover_box.setObjectName("handoverBox")
        self.by_applicant = QRadioButton("Người nộp hồ sơ")
        self.by_authorised = QRadioButton("Người được ủy quyền")
        self.by_applicant.setChecked(True)
        group = QButtonGroup(self.handover_box)
        group.addButton(self.by_applicant)
        group.addButton(self.by_authorised)
        self.collector_name = QLineEdit()
        self.collector_name.setObjectName("collectorName")
        self.collector_name.setPlaceholderText("Họ tên người nhận thay")
        self.collector_id = QLineEdit()
        self.collector_id.setObjectName("collectorId")
        self.collector_id.setPlaceholderText("Số CCCD / CMND / hộ chiếu")
        self.collector_note = QLineEdit()
        self.collector_note.setPlaceholderText("Giấy ủy quyền số … (nếu có)")
        self.rating = QComboBox()
        self.rating.setObjectName("rating")
        for i, text in enumerate(RATINGS):
            self.rating.addItem(text, i or None)
        self.rating.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.rating.setMinimumContentsLength(11)  # "5 – Rất hài lòng"; longer ones elide when closed
        self.handover_button = QPushButton("Trả kết quả")
        self.handover_button.setObjectName("primaryButton")
        self.handover_button.setAutoDefault(True)
        self.by_authorised.toggled.connect(self._collector_kind_changed)
        who = QVBoxLayout()
        who.setSpacing(2)
        who.addWidget(self.by_applicant)
        who.addWidget(self.by_authorised)
        form = QFormLayout()
        form.addRow("Người nhận", who)
        form.addRow("Họ tên", self.collector_name)
        form.addRow("Giấy tờ tùy thân", self.collector_id)
        form.addRow("Ghi chú", self.collector_note)
        form.addRow("Mức độ hài lòng", self.rating)
        box_layout = QVBoxLayout(self.handover_box)
        box_layout.addLayout(form)
        box_layout.addWidget(self.handover_button, 0, Qt.AlignmentFlag.AlignRight)
        self._collector_kind_changed(False)

        # Apology: reason and a new date in working days.
        self.apology_box = QGroupBox("Xin lỗi và hẹn lại ngày trả kết quả")
        self.apology_box.setObjectName("apologyBox")
        self.apology_reason = QLineEdit()
        self.apology_reason.setObjectName("apologyReason")
        self.apology_reason.setPlaceholderText("Lý do chậm trả kết quả")
        self.apology_days = QSpinBox()
        self.apology_days.setObjectName("apologyDays")
        self.apology_days.setRange(1, 60)
        self.apology_days.setValue(3)
        self.apology_days.setSuffix(" ngày làm việc")
        self.apology_days.valueChanged.connect(lambda _v: self._update_new_due())
        self.new_due_label = QLabel()
        self.new_due_label.setObjectName("newDue")
        self.apology_button = QPushButton("Xin lỗi và hẹn lại")
        self.apology_button.setObjectName("apologyButton")
        aform = QFormLayout()
        aform.addRow("Lý do", self.apology_reason)
        aform.addRow("Hẹn thêm", self.apology_days)
        aform.addRow("Ngày hẹn mới", self.new_due_label)
        a_layout = QVBoxLayout(self.apology_box)
        a_layout.addLayout(aform)
        a_layout.addWidget(self.apology_button, 0, Qt.AlignmentFlag.AlignRight)

        inner = QWidget()
        inner.setObjectName("dossierPanel")
        layout = QVBoxLayout(inner)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.detail)
        # Whether this dossier has reached the hub (waiting, rejected, in conflict): a one-line read.
        self.sync_line = QLabel()
        self.sync_line.setObjectName("dossierSyncLine")
        self.sync_line.setWordWrap(True)
        layout.addWidget(self.sync_line)
        # Two rows: three buttons side by side are wider than the panel on a small monitor.
        actions = QVBoxLayout()
        actions.addWidget(self.ready_button, 0, Qt.AlignmentFlag.AlignLeft)
        ends = QHBoxLayout()
        ends.addWidget(self.stop_button)
        ends.addWidget(self.withdraw_button)
        ends.addStretch(1)
        actions.addLayout(ends)
        layout.addLayout(actions)
        layout.addWidget(self.handover_box)
        layout.addWidget(self.apology_box)
        layout.addStretch(1)
        self._layout = layout
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # wrap, never cut
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a Tab stop with no visible focus loses the clerk
        self.setWidget(inner)
        # The dossier code (one unbreakable word) plus a vertical scroll bar; no wider, so the queue
        # keeps room for the code and ~200 px of names on a 1024-pixel monitor.
        code_font = QFont(self.detail.font())
        code_font.setPointSizeF(CODE_PT)
        code_font.setBold(True)
        code_width = QFontMetrics(code_font).horizontalAdvance("000.00.00.H00-000000-0000") + 8
        content = max(code_width, inner.minimumSizeHint().width())  # built, not yet hidden: every box counts
        self.setMinimumWidth(content + self.verticalScrollBar().sizeHint().width() + 2 * self.frameWidth())

    def show_dossier(self, view: DossierView | None) -> None:
        """The dossier's facts and the actions its status allows (None: the hint to scan)."""
        self.current = view
        self.update_sync_line()
        if view is None:
            self.detail.setText(EMPTY_HTML)
            for w in (self.ready_button, self.stop_button, self.withdraw_button, self.handover_box,
                      self.apology_box):
                w.setVisible(False)
            return
        self.detail.setText(detail_html(view, self.ctx.now(), self.show_id))
        working = view.status in returns.WORKING
        for w in (self.ready_button, self.stop_button, self.withdraw_button, self.apology_box):
            w.setVisible(working)
        self.handover_box.setVisible(view.status in (Status.RESULT_READY, Status.RETURNED))
        self.apply_permissions()
        self.handover_button.setEnabled(view.status is Status.RESULT_READY)
        self.handover_button.setText("Trả kết quả" if view.status is Status.RESULT_READY else "Đã trả kết quả")
        self.handover_box.setTitle("Trả kết quả cho công dân" if view.status is Status.RESULT_READY
                                   else "Đã trả kết quả cho công dân")
        if view.status is Status.RESULT_READY:
            self.by_applicant.setChecked(True)
            self.collector_name.clear()
            self.collector_id.clear()
            self.collector_note.clear()
            self.rating.setCurrentIndex(0)
            self._set_handover_editable(True)
        elif view.status is Status.RETURNED:  # what was recorded, read-only
            to = view.returned_to or {}
            authorised = to.get("kind") == "authorised"
            (self.by_authorised if authorised else self.by_applicant).setChecked(True)
            self.collector_name.setText(to.get("name") or "" if authorised else "")
            self.collector_id.setText(to.get("id_number") or "" if authorised else "")
            self.collector_note.setText(to.get("note") or "")
            self.rating.setCurrentIndex(view.rating or 0)
            self._set_handover_editable(False)
        if working:
            self.apology_reason.clear()
            self._update_new_due()

    def update_sync_line(self) -> None:
        view = self.current
        if view is None:
            self.sync_line.setVisible(False)
            return
        state = sync_status.dossier_sync_state(self.ctx, view.code)
        colour = {"on_hub": "#2e7d32", "waiting": "#6b5d00", "no_hub": "#555555"}.get(state.state, "#c62828")
        self.sync_line.setText(("✓ " if state.state == "on_hub" else "• ") + state.text)
        self.sync_line.setStyleSheet(f"color: {colour};")
        self.sync_line.setProperty("state", state.state)
        self.sync_line.setVisible(True)

    def apply_permissions(self) -> None:
        """Actions the signed-in role may not do stay visible but disabled, the tooltip saying why."""
        for button, permission in ((self.stop_button, Permission.STOP), (self.apology_button, Permission.APOLOGISE)):
            allowed = self.ctx.may(permission)
            button.setEnabled(allowed)
            button.setToolTip("" if allowed else
                              f"Vai trò {self.ctx.user.role.label if self.ctx.user else ''} không được "
                              f"{PERMISSION_LABELS[permission]}: cần lãnh đạo bộ phận.")

    def add_section(self, widget: QWidget) -> None:
        """More below the actions (the register adds the history, slips, corrections)."""
        self._layout.insertWidget(self._layout.count() - 1, widget)

    def next_step(self, view: DossierView) -> QWidget | None:
        """What Enter should press after opening `view`: hand over a result, record that it came back;
        None when there is nothing to do."""
        if view.status is Status.RESULT_READY:
            return self.handover_button
        if view.status in returns.WORKING:
            return self.ready_button
        return None

    def collector(self) -> Collector:
        if self.by_authorised.isChecked():
            return Collector("authorised", name=self.collector_name.text(), id_number=self.collector_id.text(),
                             note=self.collector_note.text() or None)
        return Collector("applicant")

    def _set_handover_editable(self, editable: bool) -> None:
        for w in (self.by_applicant, self.by_authorised, self.rating):
            w.setEnabled(editable)
        if editable:
            self._collector_kind_changed(self.by_authorised.isChecked())
        else:
            for field in (self.collector_name, self.collector_id, self.collector_note):
                field.setEnabled(False)

    def _collector_kind_changed(self, authorised: bool) -> None:
        for w in (self.collector_name, self.collector_id, self.collector_note):
            w.setEnabled(authorised)

    def _update_new_due(self) -> None:
        if self.current is None or self.current.status not in returns.WORKING:
            return
        try:
            due = returns.new_due_in_working_days(self.ctx, self.current.code, self.apology_days.value())
        except MotcuaError as exc:
            self.new_due_label.setText(exc.message_vi)
            return
        self.new_due_label.setText(when(due))
