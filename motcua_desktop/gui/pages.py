"""The contract between the counter window and its desks (one page per desk in the side navigation).

A desk is added by writing a `Page` (see `gui/desks.py`) and listing it in `MainWindow.PAGES`; the
page gets the window as a `DeskHost`, which is all a desk may use of it. Neither side imports the
other's module: the window knows pages only through `Page`, desks know the window only through
`DeskHost`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from ..services.context import Context
    from .dialogs import Dialogs
    from .ops import Ops
    from .qt import QWidget


class DeskHost(Protocol):
    """What the window offers its desks."""

    ctx: Context  # the UI thread's context (fast reads); long reads and writes go through `ops`
    ops: Ops
    dialogs: Dialogs

    def host_widget(self) -> QWidget:
        """The window as a widget: the parent of the dialogs a desk opens."""
        ...

    def show_page(self, key: str) -> QWidget:
        """Switch to another desk (by its key) and return its widget."""
        ...

    def show_status(self, text: str, msecs: int = 10_000) -> None:
        """A passing message in the window's status bar."""
        ...

    def start_intake(self, procedure_code: str) -> None:
        """Open the intake desk on a procedure."""
        ...

    def resume_dossier(self, code: str) -> None:
        """Open the intake desk's supplement flow for a dossier waiting for papers."""
        ...

    def sync_now(self) -> None:
        """Ask the background sync for a cycle at once (the result comes as changes)."""
        ...


class Page(Protocol):
    """One desk of the window: its place in the navigation, its widget, and what to do when shown."""

    key: str  # "returns": how other desks and the window name it
    title: str  # "Trả kết quả": the navigation's text
    shortcut: str  # "F6": the key that shows it
    # Optionally `permission: Permission`: a role without it sees no such desk and its key is refused.
    # Optionally `changed(changes: gui.ops.Changes) -> None`: what an operation or a sync changed;
    # the desk reloads what it shows of it (at once when on screen, else when entered).

    @property
    def widget(self) -> QWidget:
        """The desk itself, put in the window's page stack."""
        ...

    def entered(self) -> None:
        """The window switched to this desk: fresh data, keyboard focus where the clerk starts."""
        ...

    def refresh(self) -> None:
        """Reload what the desk shows from the store (e.g. after another desk wrote)."""
        ...
