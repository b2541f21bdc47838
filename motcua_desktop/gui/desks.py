"""The window's desks as `Page`s: each builds its widget on the window (`DeskHost`) and wires what
the desk asks of the window. The window lists them in `MainWindow.PAGES`, in navigation order."""

from __future__ import annotations

from ..domain.accounts import Permission
from .ops import Changes
from .pages import DeskHost
from .pending_view import PendingView
from .printing import attach_apology_printing, attach_printing, present
from .register_desk import RegisterDesk
from .qt import QWidget
from .return_desk import ReturnDesk
from .search_view import SearchView
from .settings_view import SettingsView
from .wizard import IntakeWizard


class SearchPage:
    """Tra cứu thủ tục: find a procedure, read it, start an intake on it."""

    key, title, shortcut = "search", "Tra cứu thủ tục", "F2"

    def __init__(self, host: DeskHost) -> None:
        self.host = host
        self.view = SearchView(host.ctx, host.dialogs)
        self.view.intake_requested.connect(host.start_intake)
        self.view.dossier_requested.connect(self._open_dossier)

    def _open_dossier(self, code: str) -> None:
        desk = self.host.show_page(ReturnsPage.key)  # a role without the return desk is told why, stays
        if isinstance(desk, ReturnDesk):
            desk.open_code(code)

    @property
    def widget(self) -> QWidget:
        return self.view

    def entered(self) -> None:
        self.view.focus_box()

    def refresh(self) -> None:
        """Nothing held: every keystroke searches the store afresh."""

    def changed(self, changes: Changes) -> None:
        if changes.catalog and self.view.isVisible():  # a catalogue from the hub: the same words, anew
            self.view.search(self.view.box.text())


class IntakePage:
    """Tiếp nhận hồ sơ: the intake wizard, with its slips issued and printed after each write."""

    key, title, shortcut = "intake", "Tiếp nhận hồ sơ", "F3"

    def __init__(self, host: DeskHost) -> None:
        self.wizard = IntakeWizard(host.ctx, host.ops, host.dialogs)
        self.wizard.closed.connect(lambda: host.show_page(SearchPage.key))
        attach_printing(host, self.wizard)

    @property
    def widget(self) -> QWidget:
        return self.wizard

    def entered(self) -> None:
        self.wizard.page_entered()

    def refresh(self) -> None:
        """Nothing held: each step reads the store when it is shown."""


class PendingPage:
    """Chờ bổ sung: dossiers waiting for papers; choosing one resumes it in the intake wizard."""

    key, title, shortcut = "pending", "Chờ bổ sung", "F4"

    def __init__(self, host: DeskHost) -> None:
        self.view = PendingView(host.ctx, host.dialogs)
        self.view.resume_requested.connect(host.resume_dossier)

    @property
    def widget(self) -> QWidget:
        return self.view

    def entered(self) -> None:
        self.view.page_entered()

    def refresh(self) -> None:
        self.view.refresh()

    def changed(self, changes: Changes) -> None:
        if changes.touches_dossiers and self.view.isVisible():
            self.view.refresh()


class RegisterPage:
    """Sổ hồ sơ: find any dossier, open it with its history, reprint or issue its slips, correct or void it,
    go on with its next step."""

    key, title, shortcut = "register", "Sổ hồ sơ", "F5"

    def __init__(self, host: DeskHost) -> None:
        self.desk = RegisterDesk(host.ctx, host.dialogs, host.ops)
        self.desk.print_slip.connect(lambda slip: present(host, slip))
        self.desk.supplement_requested.connect(host.resume_dossier)
        self.desk.written.connect(lambda code, _what: host.show_status(f"Đã ghi hồ sơ {code}", 10_000))

    @property
    def widget(self) -> QWidget:
        return self.desk

    def entered(self) -> None:
        self.desk.page_entered()

    def refresh(self) -> None:
        self.desk.refresh()

    def changed(self, changes: Changes) -> None:
        self.desk.changed(changes)


class ReturnsPage:
    """Trả kết quả: the return desk; a scanned supplement slip goes to the intake wizard, an apology
    prints its slip."""

    key, title, shortcut = "returns", "Trả kết quả", "F6"

    def __init__(self, host: DeskHost) -> None:
        self.desk = ReturnDesk(host.ctx, host.dialogs, host.ops)
        self.desk.supplement_requested.connect(host.resume_dossier)
        attach_apology_printing(host, self.desk)

    def roles_changed(self) -> None:
        """Another account signed in: stop / apologise follow its role."""
        self.desk.panel.apply_permissions()

    @property
    def widget(self) -> QWidget:
        return self.desk

    def entered(self) -> None:
        self.desk.page_entered()

    def refresh(self) -> None:
        self.desk.refresh()

    def changed(self, changes: Changes) -> None:
        self.desk.changed(changes)


class ReportsPage:
    """Báo cáo: the supervisor's desk — statistics, Biểu II.06, charts, the tracking book, exports."""

    key, title, shortcut = "reports", "Báo cáo", "F7"
    permission = Permission.REPORTS  # the window hides the desk from a role without it

    def __init__(self, host: DeskHost) -> None:
        from .report_desk import ReportDesk  # its charts and tables cost nothing until the desk exists

        self.desk = ReportDesk(host.ctx, host.ops, host.dialogs)

    @property
    def widget(self) -> QWidget:
        return self.desk

    def entered(self) -> None:
        self.desk.page_entered()

    def refresh(self) -> None:
        self.desk.refresh()


class SettingsPage:
    """Thiết lập: the counter's settings and working calendar."""

    key, title, shortcut = "settings", "Thiết lập", "F9"
    permission = Permission.SETTINGS

    def __init__(self, host: DeskHost) -> None:
        self.view = SettingsView(host.ctx, host.dialogs, host.ops)

    @property
    def widget(self) -> QWidget:
        return self.view

    def entered(self) -> None:
        self.view.page_entered()

    def refresh(self) -> None:
        if self.view.values() == self.view._loaded:  # never over the clerk's unsaved edits
            self.view.load()
        self.view.calendar.refresh()

    def changed(self, changes: Changes) -> None:
        if (changes.settings or changes.calendar or changes.catalog) and self.view.isVisible():
            self.refresh()
