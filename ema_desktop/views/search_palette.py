"""The Ctrl+K palette: type a name, phone, customer number, serial or OCPP id from anywhere and
jump to the customer or the station."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QKeyEvent, QPainter
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from ema_desktop.data.tasks import OwnedTasks
from ema_desktop.models.global_search import GlobalSearchModel, SearchHit
from ema_desktop.views import theme


class _HitDelegate(QStyledItemDelegate):
    """Two lines per hit: bold title with a kind tag, grey details below."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        return QSize(option.rect.width(), 2 * option.fontMetrics.height() + 14)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        hit: SearchHit = index.data(GlobalSearchModel.HitRole)
        painter.save()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        rect: QRect = option.rect
        if selected:
            painter.fillRect(rect, QColor(theme.ACCENT_LIGHT))
        tag = self.tr("Customer") if hit.kind == "customer" else self.tr("Station")
        bold = QFont(option.font)
        bold.setBold(True)
        line = option.fontMetrics.height()
        painter.setFont(bold)
        painter.setPen(QColor(theme.TEXT))
        painter.drawText(rect.adjusted(12, 6, -90, 0), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                         hit.title)
        painter.setFont(option.font)
        painter.setPen(QColor(theme.ACCENT if hit.kind == "customer" else theme.OK))
        painter.drawText(rect.adjusted(0, 6, -12, 0), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop, tag)
        painter.setPen(QColor(theme.MUTED))
        painter.drawText(rect.adjusted(12, 8 + line, -12, 0), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                         hit.subtitle)
        painter.restore()


class _QueryEdit(QLineEdit):
    """The palette's input: arrows move through the results, Enter chooses, Esc closes.

    Signals:
        key_pressed(int): one of those keys was pressed (Qt.Key value).
    """

    key_pressed = Signal(int)
    KEYS = (Qt.Key.Key_Escape, Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_Return, Qt.Key.Key_Enter)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in self.KEYS:
            self.key_pressed.emit(event.key())
            event.accept()
            return
        super().keyPressEvent(event)


class SearchPalette(QFrame):
    """A floating search box over the main window.

    Signals:
        customer_chosen(str): the operator picked a customer (its id).
        station_chosen(str): the operator picked a station or other device (its id).
    """

    customer_chosen = Signal(str)
    station_chosen = Signal(str)

    DEBOUNCE_MS = 200

    def __init__(self, model: GlobalSearchModel, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("searchPalette")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(
            f"#searchPalette {{ background: {theme.BASE}; border: 1px solid {theme.BORDER}; border-radius: 8px; }}"
        )
        self._model = model
        self._tasks = OwnedTasks(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 10)
        self.input = _QueryEdit()
        self.input.setPlaceholderText(self.tr("Find a customer or station: name, phone, e-mail, customer no., "
                                              "IČO, serial, OCPP id"))
        self.input.setClearButtonEnabled(True)
        self.input.key_pressed.connect(self._on_input_key_pressed)
        self.results = QListView()
        self.results.setModel(model)
        self.results.setItemDelegate(_HitDelegate(self.results))
        self.results.setFrameShape(QFrame.Shape.NoFrame)
        self.results.activated.connect(self._on_results_activated)
        self.status = QLabel(self.tr("Type at least two characters."))
        self.status.setStyleSheet(f"color: {theme.MUTED};")
        layout.addWidget(self.input)
        layout.addWidget(self.results)
        layout.addWidget(self.status)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(self.DEBOUNCE_MS)
        self._debounce.timeout.connect(self._on_debounce_timeout)
        self.input.textChanged.connect(self._on_input_changed)
        model.modelReset.connect(self._on_model_reset)
        model.failed.connect(self.status.setText)
        self.hide()

    def popup(self) -> None:
        """Show over the parent's top centre, focused, with the last query selected."""
        parent = self.parentWidget()
        assert parent is not None
        width = min(720, max(420, parent.width() - 80))
        self.setGeometry((parent.width() - width) // 2, 60, width, min(480, parent.height() - 100))
        self.show()
        self.raise_()
        self.input.setFocus()
        self.input.selectAll()

    def _on_input_changed(self, _text: str) -> None:
        self._debounce.start()

    def _on_debounce_timeout(self) -> None:
        self._tasks.start(self._model.search(self.input.text()))

    def _on_model_reset(self) -> None:
        count = self._model.rowCount()
        if len(self._model.query.strip()) < 2:
            self.status.setText(self.tr("Type at least two characters."))
        elif count == 0:
            self.status.setText(self.tr("Nothing found for “{query}”.").format(query=self._model.query.strip()))
        else:
            self.status.setText(self.tr("{count} found · Enter opens · Esc closes").format(count=count))
            self.results.setCurrentIndex(self._model.index(0, 0))

    def _on_results_activated(self, index: QModelIndex) -> None:
        self._choose(index.row())

    def _choose(self, row: int) -> None:
        if not 0 <= row < self._model.rowCount():
            return
        hit = self._model.hit_at(row)
        self.hide()
        (self.customer_chosen if hit.kind == "customer" else self.station_chosen).emit(hit.id)

    def _on_input_key_pressed(self, key: int) -> None:
        if key == Qt.Key.Key_Escape:
            self.hide()
        elif key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            step = 1 if key == Qt.Key.Key_Down else -1
            row = max(0, min(self._model.rowCount() - 1, self.results.currentIndex().row() + step))
            self.results.setCurrentIndex(self._model.index(row, 0))
        elif not self._debounce.isActive():  # Enter: unless results for the latest text are not in yet
            self._choose(max(self.results.currentIndex().row(), 0))

    def shutdown(self) -> None:
        self._debounce.stop()
        self._tasks.cancel()
