"""The main window: the operator's panes as dock widgets (layout remembered between runs), the
Ctrl+K search, menus, and a status bar with the live link's state and who is signed in."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QIcon, QKeySequence
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QWidget

from ema_desktop import __version__
from ema_desktop.models.global_search import GlobalSearchModel
from ema_desktop.paths import resource
from ema_desktop.views import theme
from ema_desktop.views.about import show_about
from ema_desktop.views.search_palette import SearchPalette
from ema_desktop.views.status import ConnectionIndicator, OperatorBadge
from ema_desktop.views.sync_status import SyncStatus

# Bump when the default arrangement changes, so an old saved layout does not hide a new pane.
LAYOUT_VERSION = 3
MESSAGE_SECONDS = 10


@dataclass(frozen=True)
class Pane:
    """A pane the window shows: a stable key (settings, snapshots), its title and its widget."""

    key: str
    title: str
    widget: QWidget


class MainWindow(QMainWindow):
    """The console's window.

    Signals:
        sign_out_requested(): the operator chose Sign out.
        closed(): the window was closed (quit).
        customer_chosen(str): global search picked a customer (its id).
        station_chosen(str): global search picked a station (its id).
        field_preparation_requested(): the operator chose "Prepare for field…".
        sync_requested(): the operator chose "Sync now".
    """

    sign_out_requested = Signal()
    field_preparation_requested = Signal()
    sync_requested = Signal()
    closed = Signal()
    customer_chosen = Signal(str)
    station_chosen = Signal(str)

    def __init__(self, panes: Sequence[Pane], search: GlobalSearchModel, operator_name: str, roles: list[str],
                 server_label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("EMA Console — {server}").format(server=server_label))
        self.setWindowIcon(QIcon(str(resource("icons", "ema-desktop-256.png"))))
        self.setDockOptions(QMainWindow.DockOption.AnimatedDocks | QMainWindow.DockOption.AllowTabbedDocks
                            | QMainWindow.DockOption.AllowNestedDocks)
        self.setDocumentMode(True)
        self.panes = {p.key: p for p in panes}
        self.docks: dict[str, QDockWidget] = {}
        for pane in panes:
            dock = QDockWidget(pane.title, self)
            dock.setObjectName(f"dock-{pane.key}")
            dock.setWidget(pane.widget)
            dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                             | QDockWidget.DockWidgetFeature.DockWidgetFloatable
                             | QDockWidget.DockWidgetFeature.DockWidgetClosable)
            self.docks[pane.key] = dock
        self._arrange_default()

        self.connection = ConnectionIndicator()
        self.sync_status = SyncStatus()
        self._message = QLabel()
        self._message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._message_timer = QTimer(self)
        self._message_timer.setSingleShot(True)
        self._message_timer.timeout.connect(self._on_message_timer_timeout)
        self.statusBar().addWidget(self._message, 1)
        self.statusBar().addPermanentWidget(self.sync_status)
        self.statusBar().addPermanentWidget(self.connection)
        self.statusBar().addPermanentWidget(OperatorBadge(operator_name, roles))
        self.statusBar().setSizeGripEnabled(True)

        self.palette_box = SearchPalette(search, self)
        self.palette_box.customer_chosen.connect(self.customer_chosen)
        self.palette_box.station_chosen.connect(self.station_chosen)
        self._build_menus()
        self.resize(1600, 1000)

    # ------------------------------------------------------------------ layout
    def _arrange_default(self) -> None:
        """Work panes tabbed on the left (customers, tickets, privacy, audit, retention), the map above live
        telemetry on the right."""
        docks = self.docks
        left = [docks[k] for k in ("customers", "tickets", "privacy", "audit", "retention") if k in docks]
        right = [docks[k] for k in ("device-map", "telemetry") if k in docks]
        for dock in left:
            self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
        for dock in right:
            self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        for dock in left[1:]:
            self.tabifyDockWidget(left[0], dock)
        if len(right) == 2:
            self.splitDockWidget(right[0], right[1], Qt.Orientation.Vertical)
            self.resizeDocks(right, [620, 380], Qt.Orientation.Vertical)
        if left and right:
            self.resizeDocks([left[0], right[0]], [760, 840], Qt.Orientation.Horizontal)
        if left:
            left[0].raise_()

    def restore_layout(self) -> bool:
        """Put the window back as the operator left it; False when nothing usable was saved."""
        settings = QSettings()
        if settings.value("window/layout_version", 0, int) != LAYOUT_VERSION:
            return False
        geometry = settings.value("window/geometry")
        state = settings.value("window/state")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)  # may be refused on another screen setup: the size stays default
        return isinstance(state, QByteArray) and self.restoreState(state, LAYOUT_VERSION)

    def save_layout(self) -> None:
        settings = QSettings()
        settings.setValue("window/layout_version", LAYOUT_VERSION)
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/state", self.saveState(LAYOUT_VERSION))

    def reset_layout(self) -> None:
        for dock in self.docks.values():
            dock.setFloating(False)
            dock.show()
        self._arrange_default()

    def raise_pane(self, key: str) -> None:
        dock = self.docks.get(key)
        if dock is not None:
            dock.show()
            dock.raise_()

    def show_only(self, key: str) -> None:
        """Give the whole window to one pane (snapshots); `reset_layout` brings the others back."""
        for other, dock in self.docks.items():
            dock.setVisible(other == key)

    # ------------------------------------------------------------------ menus
    def _build_menus(self) -> None:
        console = self.menuBar().addMenu(self.tr("&Console"))
        find = QAction(self.tr("Find customer or station…"), self)
        find.setShortcuts([QKeySequence("Ctrl+K"), QKeySequence(QKeySequence.StandardKey.Find)])
        find.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        find.triggered.connect(self._on_find_triggered)
        console.addAction(find)
        self.addAction(find)
        console.addSeparator()
        sync = QAction(self.tr("Sync now"), self)
        sync.setShortcut(QKeySequence("F5"))
        sync.triggered.connect(self.sync_requested)
        console.addAction(sync)
        field = QAction(self.tr("Prepare for field…"), self)
        field.triggered.connect(self.field_preparation_requested)
        console.addAction(field)
        console.addSeparator()
        sign_out = QAction(self.tr("Sign out"), self)
        sign_out.triggered.connect(self.sign_out_requested)
        console.addAction(sign_out)
        quit_action = QAction(self.tr("Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        console.addAction(quit_action)

        view = self.menuBar().addMenu(self.tr("&View"))
        for number, (key, dock) in enumerate(self.docks.items(), start=1):
            action = dock.toggleViewAction()
            action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.triggered.connect(lambda checked=False, k=key: self._on_pane_toggled(k, checked))
            view.addAction(action)
        view.addSeparator()
        reset = QAction(self.tr("Reset layout"), self)
        reset.triggered.connect(self.reset_layout)
        view.addAction(reset)

        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        about = QAction(self.tr("About EMA Console"), self)
        about.triggered.connect(lambda: show_about(self, __version__))
        help_menu.addAction(about)

    def _on_pane_toggled(self, key: str, shown: bool) -> None:
        if shown:  # shown again: bring it to the front of its tab group
            self.raise_pane(key)

    def _on_find_triggered(self) -> None:
        self.palette_box.popup()

    # ------------------------------------------------------------------ messages
    def show_message(self, text: str, error: bool = True) -> None:
        """An unobtrusive message in the status bar, gone after a few seconds."""
        colour = theme.DANGER if error else theme.MUTED
        self._message.setStyleSheet(f"color: {colour};")
        self._message.setText(text)
        self._message.setToolTip(text)
        self._message_timer.start(MESSAGE_SECONDS * 1000)

    def message(self) -> str:
        return self._message.text()

    def _on_message_timer_timeout(self) -> None:
        self._message.clear()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        self._message_timer.stop()
        self.palette_box.shutdown()
        super().closeEvent(event)
        self.closed.emit()
