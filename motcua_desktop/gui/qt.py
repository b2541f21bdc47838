"""The one door to Qt: every gui module imports Qt names from here, never from PySide6 directly.

Keeping the list in one file makes a Qt upgrade (or a binding switch) a local change and shows at a
glance which parts of Qt the app depends on.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QDate,
    QDateTime,
    QEvent,
    QItemSelectionModel,
    QLocale,
    QMarginsF,
    QModelIndex,
    QRect,
    QObject,
    QRunnable,
    QSettings,
    QSize,
    QSizeF,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QColor,
    QFont,
    QFontDatabase,
    QFontMetrics,
    QGuiApplication,
    QIcon,
    QKeyEvent,
    QKeySequence,
    QPageLayout,
    QPageSize,
    QPainter,
    QPalette,
    QShortcut,
)
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDateEdit,
    QDateTimeEdit,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListView,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QStatusBar,
    QTableWidget,
    QTableWidgetItem,
    QTabBar,
    QTabWidget,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

__all__ = [name for name in dir() if name[0].isupper() and not name.startswith("_")]
