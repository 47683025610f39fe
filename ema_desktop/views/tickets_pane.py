"""The tickets pane: the operator's queue on the left, the open ticket on the right.

The queue (ema_desktop.models.tickets.TicketQueueModel behind a TicketFilterProxy) is picked by
scope (open work, mine, overdue, resolved, all), narrowed by text, priority and kind, and sorted
by due date unless the operator clicks another column; overdue rows are tinted red, due-soon
rows amber. The detail shows the ticket held by a TicketEditor: header with chips and links to
the customer and station, the running deadline, the description, the history as a timeline,
the moves the state machine allows, the owner, and a composer for public replies and internal
notes with "Attach photo…" beside it: a technician's service report is a comment plus photos.

Work the server does not have yet (kept in the local store's outbox, offline or not) is marked
plainly: the queue row says "unsent" in its state cell, the detail's header says "Changes not
sent yet", and each unsent history entry says "not sent yet". Sent work looks as it always did.

Everything live comes from the models: a ticket changed elsewhere updates its row and, if it is
open, the detail; the composer is never touched by a reload, so what the operator is typing
stays. Work is started as asyncio tasks from slots (the GUI never waits) and cancelled when the
pane is destroyed; failures appear in a message bar at the top of the pane.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QItemSelectionModel,
    QModelIndex,
    QRect,
    QSize,
    QStandardPaths,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QKeySequence, QResizeEvent, QShortcut, QShowEvent, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ema_desktop.backend.records import TicketDetail, TicketEntry
from ema_desktop.data.tasks import OwnedTasks
from ema_desktop.models.privacy import TicketOrigin
from ema_desktop.models.stations import status_label
from ema_desktop.models.tickets import (
    ATTACHMENT_PATTERNS,
    DUE_SOON_COLOUR,
    MAX_ATTACHMENT_BYTES,
    OVERDUE_COLOUR,
    PENDING_COLOUR,
    PENDING_TINT,
    PRIORITY_COLOURS,
    TICKET_KINDS,
    TICKET_PRIORITIES,
    TICKET_STATES,
    Column,
    TicketEditor,
    TicketFilterProxy,
    TicketQueueModel,
    due_level,
    due_sentence,
    field_label,
    format_local,
    format_span,
    kind_label,
    owner_choices,
    pending_explanation,
    priority_label,
    scope_label,
    state_colours,
    state_label,
    unsent_label,
)

TEXT = "#2f333a"
MUTED = "#6b717b"
BORDER = "#d5d9df"
CARD = "#ffffff"
ACCENT = "#0b6fc2"
# Comment blocks in the timeline: public replies in the customer-facing blue, internal notes on
# a pale yellow like a note pinned to the file, so the two are never confused.
PUBLIC_BADGE = ("#174ea6", "#e8f0fe")
INTERNAL_BADGE = ("#7a5a00", "#fdf3c8")
PUBLIC_BLOCK = "#f3f7fe"
INTERNAL_BLOCK = "#fffbea"
PENDING_BORDER = "#e9c88f"

_COLUMN_WIDTHS = {
    Column.NUMBER: 112,
    Column.PRIORITY: 80,
    Column.STATE: 142,
    Column.OWNER: 128,
    Column.DUE: 112,
    Column.UPDATED: 98,
}


def _chip_style(foreground: str, background: str, border: str | None = None) -> str:
    edge = f"border: 1px solid {border};" if border else "border: none;"
    return (f"QLabel {{ color: {foreground}; background: {background}; {edge} border-radius: 3px;"
            " padding: 1px 7px; font-weight: 600; }")


def _scaled_font(widget: QWidget, factor: float, weight: QFont.Weight | None = None) -> QFont:
    font = QFont(widget.font())
    font.setPointSizeF(font.pointSizeF() * factor)
    if weight is not None:
        font.setWeight(weight)
    return font


class _DescriptionBox(QScrollArea):
    """The ticket's description: as tall as its text up to five lines; longer text scrolls."""

    MAX_LINES = 5

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setContentsMargins(8, 6, 8, 6)
        self.label.setStyleSheet(f"color: {TEXT}; background: transparent;")
        self.setWidget(self.label)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setStyleSheet("QScrollArea { background: #f7f8fa; border: 1px solid #e6e9ee; border-radius: 3px; }"
                           "QLabel { background: #f7f8fa; }")

    def text(self) -> str:
        return self.label.text()

    def set_text(self, text: str) -> None:
        self.label.setText(text)
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        margins = self.label.contentsMargins()
        metrics = self.label.fontMetrics()
        width = max(self.width() - margins.left() - margins.right() - 4, 80)
        text_height = metrics.boundingRect(QRect(0, 0, width, 100_000), Qt.TextFlag.TextWordWrap,
                                           self.label.text()).height()
        lines = min(text_height, metrics.lineSpacing() * self.MAX_LINES)
        height = max(lines, metrics.lineSpacing()) + margins.top() + margins.bottom() + 4
        if height != self.height():
            self.setFixedHeight(height)


class TicketsPane(QWidget):
    """The ticket queue and the open ticket; shows the models and forwards the operator's actions.

    Signals:
        customer_requested(str): the operator clicked the ticket's customer (customer id).
        station_requested(str): the operator clicked the ticket's station (device id).
    """

    customer_requested = Signal(str)
    station_requested = Signal(str)

    def __init__(self, queue: TicketQueueModel, editor: TicketEditor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._queue = queue
        self._editor = editor
        self._proxy = TicketFilterProxy(self)
        self._proxy.setSourceModel(queue)
        # Connected before the table's selection model sees the proxy: Qt calls slots in the
        # order they were connected, and the selection model moves the current row (emitting
        # currentRowChanged) while handling these very signals.
        self._proxy.rowsAboutToBeRemoved.connect(self._on_proxy_moving)
        self._proxy.modelAboutToBeReset.connect(self._on_proxy_moving)
        self._proxy.layoutAboutToBeChanged.connect(self._on_proxy_moving)
        # Tasks started by slots, in a plain set so cancelling them needs no reference to the
        # dying pane.
        self._tasks = OwnedTasks(self)
        # Unsent comment text per ticket: switching tickets never loses what was typed.
        self._drafts: dict[str, str] = {}
        self._composer_ticket: str | None = None
        # Set while the model moves rows (reset, removal, re-sort): selection changes then are
        # not the operator's choice and must not open another ticket.
        self._model_moving = False
        self._shown_version: tuple[str, int] | None = None
        self._photo_dialog: QFileDialog | None = None
        self._photo_dir = ""  # where the last photo came from, for the next "Attach photo…"
        self._start_privacy_request: Callable[[TicketOrigin], object] | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        layout.addWidget(self._build_message_bar())
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("tickets-splitter")
        splitter.setChildrenCollapsible(False)
        splitter.setHandleWidth(8)
        splitter.addWidget(self._build_queue_side())
        splitter.addWidget(self._build_detail_side())
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([870, 510])
        layout.addWidget(splitter, 1)

        queue.loading_changed.connect(self._on_queue_loading_changed)
        queue.loaded.connect(self._on_queue_loaded)
        queue.failed.connect(self._on_queue_failed)
        for changed in (self._proxy.rowsInserted, self._proxy.rowsRemoved, self._proxy.modelReset,
                        self._proxy.dataChanged, self._proxy.layoutChanged):
            changed.connect(self._on_proxy_rows_changed)
        # Connected after the table's selection model (which moves the current row), so the
        # selection is put back on the open ticket once the table has done its own moving.
        self._proxy.rowsRemoved.connect(self._on_proxy_moved)
        self._proxy.modelReset.connect(self._on_proxy_moved)
        self._proxy.layoutChanged.connect(self._on_proxy_moved)
        editor.changed.connect(self._on_editor_changed)
        editor.failed.connect(self._on_editor_failed)
        editor.busy_changed.connect(self._on_editor_busy_changed)
        self._refresh_count()
        self._refresh_owner_choices()
        self._on_editor_changed()

    # --- what the console and tests read ----------------------------------------------------------

    @property
    def proxy(self) -> TicketFilterProxy:
        return self._proxy

    def has_data(self) -> bool:
        """The queue loaded with at least one row."""
        return self._queue.is_loaded and self._queue.rowCount() > 0

    def message(self) -> str:
        """The message bar's text ("" when hidden)."""
        return "" if self._message_bar.isHidden() else self._message_text.text()

    def history_text(self) -> str:
        """The timeline as plain text, as the operator reads it."""
        return self._history.toPlainText()

    def pending_notice(self) -> str:
        """The detail header's notice of unsent changes ("" when the server has everything)."""
        return "" if self._pending_chip.isHidden() else self._pending_chip.text()

    def attach_photo(self, path: Path) -> None:
        """Attach a file to the open ticket as if the operator picked it in "Attach photo…"."""
        ticket_id = self._editor.ticket_id
        if ticket_id is not None:
            self._clear_message()
            self._start(self._editor.attach_file(path))

    def select_ticket(self, ticket_id: str) -> None:
        """Select the ticket's row (when the queue shows it) and open it in the detail."""
        self._clear_message()
        self._select_row_of(ticket_id)
        self._start(self._editor.open(ticket_id))

    # --- construction ---------------------------------------------------------------------------

    def _build_message_bar(self) -> QWidget:
        self._message_bar = QFrame()
        self._message_bar.setObjectName("tickets-message")
        self._message_bar.setStyleSheet(
            "QFrame#tickets-message { background: #fdf3e1; border: 1px solid #f0d6a8; border-radius: 3px; }"
            "QLabel { color: #6b4200; background: transparent; }"
            "QToolButton { border: none; color: #6b4200; padding: 0 4px; background: transparent; }"
            "QToolButton:hover { color: #000000; }"
        )
        row = QHBoxLayout(self._message_bar)
        row.setContentsMargins(10, 4, 4, 4)
        self._message_text = QLabel()
        self._message_text.setWordWrap(True)
        self._message_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row.addWidget(self._message_text, 1)
        dismiss = QToolButton()
        dismiss.setText("\u2715")
        dismiss.setToolTip(self.tr("Dismiss"))
        dismiss.setCursor(Qt.CursorShape.PointingHandCursor)
        dismiss.clicked.connect(self._on_dismiss_clicked)
        row.addWidget(dismiss, 0, Qt.AlignmentFlag.AlignTop)
        self._message_bar.hide()
        return self._message_bar

    def _build_queue_side(self) -> QWidget:
        side = QWidget()
        column = QVBoxLayout(side)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(6)

        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(self._build_scope_selector())
        top.addStretch(1)
        self._count = QLabel()
        self._count.setObjectName("tickets-count")
        self._count.setTextFormat(Qt.TextFormat.RichText)
        self._count.setStyleSheet(f"color: {MUTED};")
        top.addWidget(self._count)
        column.addLayout(top)

        filters = QHBoxLayout()
        filters.setSpacing(6)
        self._search = QLineEdit()
        self._search.setObjectName("tickets-search")
        self._search.setPlaceholderText(self.tr("Filter by number or title"))
        self._search.setClearButtonEnabled(True)
        self._search.textChanged.connect(self._on_search_text_changed)
        filters.addWidget(self._search, 1)
        self._priority = QComboBox()
        self._priority.setObjectName("tickets-priority")
        self._priority.addItem(self.tr("All priorities"), None)
        for priority in TICKET_PRIORITIES:
            self._priority.addItem(priority_label(priority), priority)
        self._priority.currentIndexChanged.connect(self._on_priority_index_changed)
        filters.addWidget(self._priority)
        self._kind = QComboBox()
        self._kind.setObjectName("tickets-kind")
        self._kind.addItem(self.tr("All kinds"), None)
        for kind in TICKET_KINDS:
            self._kind.addItem(kind_label(kind), kind)
        self._kind.currentIndexChanged.connect(self._on_kind_index_changed)
        filters.addWidget(self._kind)
        column.addLayout(filters)

        self._table = QTableView()
        self._table.setObjectName("tickets-table")
        self._table.setModel(self._proxy)
        self._table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self._table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self._table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self._table.setSortingEnabled(True)
        self._table.sortByColumn(Column.DUE, Qt.SortOrder.AscendingOrder)
        self._table.setShowGrid(False)
        self._table.setWordWrap(False)
        self._table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self._table.setIconSize(QSize(12, 12))
        self._table.setAlternatingRowColors(True)
        self._table.setStyleSheet(
            f"QTableView {{ border: 1px solid {BORDER}; background: {CARD}; alternate-background-color: #f7f8fa;"
            f" selection-background-color: #cfe3fa; selection-color: {TEXT}; }}"
        )
        vertical = self._table.verticalHeader()
        vertical.hide()
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 10)
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self._table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(Column.TITLE, QHeaderView.ResizeMode.Stretch)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for column_id, width in self._column_widths().items():
            self._table.setColumnWidth(column_id, width)
        selection = self._table.selectionModel()
        selection.currentRowChanged.connect(self._on_table_current_row_changed)
        column.addWidget(self._table, 1)
        return side

    def _column_widths(self) -> dict[Column, int]:
        """The default widths, widened where the operator's language needs more room: the longest
        priority, state and due texts (and the headers) are never cut off."""
        metrics, header_metrics = self._table.fontMetrics(), self._table.horizontalHeader().fontMetrics()
        chip = self._table.iconSize().width() + 6  # the priority chip or the due dot before the text
        overdue = QCoreApplication.translate("TicketLabels", "overdue {span}").format(span=format_span(999 * 86400))
        unsent = f" · {unsent_label()}"
        texts = {
            Column.PRIORITY: ([priority_label(p) for p in TICKET_PRIORITIES], chip),
            # Wide enough for the common states with the unsent marker and its clock; a long state
            # ("Waiting for customer") may elide the marker, whose clock and tooltip still show.
            Column.STATE: ([state_label(s) for s in TICKET_STATES]
                           + [state_label(s) + unsent for s in ("new", "open", "in_progress", "resolved")], chip),
            Column.DUE: ([overdue], chip),
        }
        widths = dict(_COLUMN_WIDTHS)
        for column, (labels, extra) in texts.items():
            title = str(self._queue.headerData(column, Qt.Orientation.Horizontal))
            needed = max(max(metrics.horizontalAdvance(t) for t in labels) + extra,
                         header_metrics.horizontalAdvance(title) + 16) + 16  # cell padding; the sort arrow
            widths[column] = max(widths[column], needed)
        return widths

    def _build_scope_selector(self) -> QWidget:
        frame = QFrame()
        frame.setObjectName("tickets-scope")
        frame.setStyleSheet(
            f"QFrame#tickets-scope {{ border: 1px solid {BORDER}; border-radius: 4px; background: #f6f7f9; }}"
            f"QToolButton {{ border: none; border-radius: 3px; padding: 3px 11px; color: {TEXT};"
            " background: transparent; }"
            "QToolButton:hover:!checked { background: #e8ecf2; }"
            f"QToolButton:checked {{ background: {ACCENT}; color: white; }}"
        )
        row = QHBoxLayout(frame)
        row.setContentsMargins(2, 2, 2, 2)
        row.setSpacing(2)
        self._scope_buttons = QButtonGroup(self)
        self._scope_buttons.setExclusive(True)
        for index, scope in enumerate(TicketQueueModel.SCOPES):
            button = QToolButton()
            button.setObjectName(f"tickets-scope-{scope}")
            button.setText(scope_label(scope))
            button.setCheckable(True)
            button.setChecked(scope == self._queue.scope)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            self._scope_buttons.addButton(button, index)
            row.addWidget(button)
        self._scope_buttons.idClicked.connect(self._on_scope_buttons_clicked)
        return frame

    def _build_detail_side(self) -> QWidget:
        self._detail_stack = QStackedWidget()
        self._detail_stack.setObjectName("tickets-detail")
        self._detail_stack.setStyleSheet(
            f"QStackedWidget#tickets-detail {{ background: {CARD}; border: 1px solid {BORDER}; }}")
        self._placeholder = QLabel(self.tr("Select a ticket in the queue to see its details and history."))
        self._placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._placeholder.setWordWrap(True)
        self._placeholder.setStyleSheet(f"color: {MUTED}; padding: 24px; background: {CARD};")
        self._detail_stack.addWidget(self._placeholder)
        self._detail_stack.addWidget(self._build_detail())
        return self._detail_stack

    def _build_detail(self) -> QWidget:
        detail = QWidget()
        detail.setObjectName("tickets-detail-page")
        detail.setStyleSheet(f"QWidget#tickets-detail-page {{ background: {CARD}; }}")
        column = QVBoxLayout(detail)
        column.setContentsMargins(14, 12, 14, 12)
        column.setSpacing(8)

        chips = QHBoxLayout()
        chips.setSpacing(6)
        self._number = QLabel()
        self._number.setObjectName("ticket-number")
        self._number.setFont(_scaled_font(self, 1.0, QFont.Weight.DemiBold))
        self._number.setStyleSheet(f"color: {MUTED};")
        self._number.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        chips.addWidget(self._number)
        chips.addSpacing(4)
        self._kind_chip = QLabel()
        self._kind_chip.setObjectName("ticket-kind")
        self._priority_chip = QLabel()
        self._priority_chip.setObjectName("ticket-priority")
        self._state_chip = QLabel()
        self._state_chip.setObjectName("ticket-state")
        for chip in (self._kind_chip, self._priority_chip, self._state_chip):
            chips.addWidget(chip)
        self._pending_chip = QLabel(self.tr("Changes not sent yet"))
        self._pending_chip.setObjectName("ticket-pending")
        self._pending_chip.setToolTip(pending_explanation())
        self._pending_chip.setStyleSheet(_chip_style(PENDING_COLOUR, PENDING_TINT, PENDING_BORDER))
        self._pending_chip.hide()
        chips.addWidget(self._pending_chip)
        chips.addStretch(1)
        # For privacy officers (shown once the console wires the privacy pane's intake in).
        self._privacy_start = QPushButton(self.tr("Start privacy request…"))
        self._privacy_start.setObjectName("ticket-start-privacy-request")
        self._privacy_start.setToolTip(self.tr("Register a data-subject request from this ticket: the customer and "
                                               "text are filled in, and the two stay linked"))
        self._privacy_start.clicked.connect(self._on_privacy_start_clicked)
        self._privacy_start.hide()
        chips.addWidget(self._privacy_start)
        self._loading = QLabel()
        self._loading.setStyleSheet(f"color: {MUTED};")
        chips.addWidget(self._loading)
        column.addLayout(chips)

        self._title = QLabel()
        self._title.setObjectName("ticket-title")
        self._title.setWordWrap(True)
        self._title.setFont(_scaled_font(self, 1.3, QFont.Weight.DemiBold))
        self._title.setStyleSheet(f"color: {TEXT};")
        self._title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        column.addWidget(self._title)

        facts = QGridLayout()
        facts.setHorizontalSpacing(12)
        facts.setVerticalSpacing(5)
        facts.setColumnStretch(1, 1)
        self._customer = self._link_label("ticket-customer")
        self._station = self._link_label("ticket-station")
        self._due = QLabel()
        self._due.setObjectName("ticket-due")
        self._due.setWordWrap(True)
        self._owner = QComboBox()
        self._owner.setObjectName("ticket-owner")
        self._owner.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self._owner.setMinimumContentsLength(18)
        self._owner.activated.connect(self._on_owner_activated)
        owner_row = QHBoxLayout()
        owner_row.setContentsMargins(0, 0, 0, 0)
        owner_row.addWidget(self._owner)
        owner_row.addStretch(1)
        self._moves = QHBoxLayout()
        self._moves.setContentsMargins(0, 0, 0, 0)
        self._moves.setSpacing(6)
        self._move_buttons: list[QPushButton] = []
        moves_row = QHBoxLayout()
        moves_row.setContentsMargins(0, 0, 0, 0)
        moves_row.addLayout(self._moves)
        moves_row.addStretch(1)
        rows: list[tuple[str, QWidget | QHBoxLayout]] = [
            (self.tr("Customer"), self._customer),
            (self.tr("Station"), self._station),
            (self.tr("Deadline"), self._due),
            (self.tr("Owner"), owner_row),
            (self.tr("Move to"), moves_row),
        ]
        for row, (caption, content) in enumerate(rows):
            label = QLabel(caption)
            label.setStyleSheet(f"color: {MUTED};")
            facts.addWidget(label, row, 0, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            if isinstance(content, QWidget):
                facts.addWidget(content, row, 1)
            else:
                facts.addLayout(content, row, 1)
        column.addLayout(facts)

        self._description = _DescriptionBox()
        self._description.setObjectName("ticket-description")
        column.addWidget(self._description)

        history_caption = QLabel(self.tr("History"))
        history_caption.setFont(_scaled_font(self, 1.0, QFont.Weight.DemiBold))
        history_caption.setStyleSheet(f"color: {TEXT}; padding-top: 2px;")
        column.addWidget(history_caption)
        self._history = QTextBrowser()
        self._history.setObjectName("ticket-history")
        self._history.setOpenLinks(False)
        self._history.setStyleSheet(f"QTextBrowser {{ border: 1px solid #e6e9ee; background: {CARD}; }}")
        self._history.document().setDocumentMargin(8)
        # Whether the newest entries are in view (and stay in view as entries arrive): decided
        # by the operator's scrolling, not read from a scroll bar whose range lags the layout.
        self._history_at_end = True
        self._history_rendering = False
        history_bar = self._history.verticalScrollBar()
        history_bar.valueChanged.connect(self._on_history_bar_value_changed)
        history_bar.rangeChanged.connect(self._on_history_bar_range_changed)
        column.addWidget(self._history, 1)

        column.addWidget(self._build_composer())
        return detail

    def _build_composer(self) -> QWidget:
        composer = QWidget()
        column = QVBoxLayout(composer)
        column.setContentsMargins(0, 2, 0, 0)
        column.setSpacing(4)
        self._comment = QPlainTextEdit()
        self._comment.setObjectName("ticket-comment")
        self._comment.setTabChangesFocus(True)
        self._comment.setFixedHeight(self.fontMetrics().height() * 3 + 14)
        self._comment.setStyleSheet(f"QPlainTextEdit {{ border: 1px solid {BORDER}; border-radius: 3px; }}")
        self._comment.textChanged.connect(self._on_comment_text_changed)
        column.addWidget(self._comment)
        row = QHBoxLayout()
        row.setSpacing(8)
        # Under the text, where a service report is written: the photos go with the words.
        self._attach = QPushButton(self.tr("Attach photo…"))
        self._attach.setObjectName("ticket-attach")
        self._attach.setToolTip(self.tr("Attach photos (JPEG, PNG) or PDF documents to this ticket, e.g. for a "
                                        "service report; at most {limit} MB each.").format(
            limit=MAX_ATTACHMENT_BYTES // (1024 * 1024)))
        self._attach.clicked.connect(self._on_attach_clicked)
        row.addWidget(self._attach)
        self._public = QCheckBox(self.tr("Public reply (the customer sees it)"))
        self._public.setObjectName("ticket-public")
        self._public.toggled.connect(self._on_public_toggled)
        row.addWidget(self._public)
        row.addStretch(1)
        self._send = QPushButton(self.tr("Send"))
        self._send.setObjectName("ticket-send")
        self._send.setToolTip(self.tr("Send (Ctrl+Enter)"))
        self._send.clicked.connect(self._on_send_clicked)
        row.addWidget(self._send)
        column.addLayout(row)
        shortcut = QShortcut(QKeySequence("Ctrl+Return"), self._comment)
        shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        shortcut.activated.connect(self._on_send_clicked)
        self._on_public_toggled(False)
        return composer

    def _link_label(self, name: str) -> QLabel:
        label = QLabel()
        label.setObjectName(name)
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                      | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        label.linkActivated.connect(self._on_link_activated)
        label.setWordWrap(True)
        return label

    # --- tasks and messages ---------------------------------------------------------------------

    def _start(self, work: Coroutine[Any, Any, Any]) -> None:
        self._tasks.start(work)

    def _show_message(self, text: str) -> None:
        self._message_text.setText(text)
        self._message_bar.show()

    def _clear_message(self) -> None:
        self._message_bar.hide()
        self._message_text.clear()

    def _on_dismiss_clicked(self) -> None:
        self._clear_message()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._queue.is_loaded and not self._queue.is_loading:
            self._start(self._queue.reload())

    # --- queue ----------------------------------------------------------------------------------

    def _on_scope_buttons_clicked(self, index: int) -> None:
        self._clear_message()
        self._start(self._queue.set_scope(TicketQueueModel.SCOPES[index]))

    def _on_search_text_changed(self, text: str) -> None:
        self._proxy.set_text(text)
        self._refresh_count()

    def _on_priority_index_changed(self, _index: int) -> None:
        self._proxy.set_priority(self._priority.currentData())
        self._refresh_count()

    def _on_kind_index_changed(self, _index: int) -> None:
        self._proxy.set_kind(self._kind.currentData())
        self._refresh_count()

    def _on_queue_loading_changed(self, loading: bool) -> None:
        self._refresh_count()

    def _on_queue_loaded(self) -> None:
        self._refresh_owner_choices()
        self._refresh_count()
        self._render()  # owner names in the history may have been unknown before

    def _on_queue_failed(self, message: str) -> None:
        self._show_message(message)

    def _on_proxy_rows_changed(self, *_: object) -> None:
        self._refresh_count()

    def _on_proxy_moving(self, *_: object) -> None:
        self._model_moving = True

    def _on_proxy_moved(self, *_: object) -> None:
        self._model_moving = False
        # Keep the selection on the ticket in the detail, or on nothing when it left the queue.
        ticket_id = self._editor.ticket_id
        if ticket_id is None or not self._select_row_of(ticket_id):
            self._model_moving = True
            self._table.selectionModel().clearSelection()
            self._table.selectionModel().setCurrentIndex(QModelIndex(), QItemSelectionModel.SelectionFlag.Clear)
            self._model_moving = False

    def _on_table_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._model_moving or not current.isValid():
            return
        ticket_id = self._proxy.ticket_at(current.row()).id
        if ticket_id != self._editor.ticket_id:
            self._clear_message()
            self._start(self._editor.open(ticket_id))

    def _select_row_of(self, ticket_id: str) -> bool:
        """Select the ticket's row without opening it again; False when the queue does not show it."""
        row = self._proxy.row_of(ticket_id)
        if row is None:
            return False
        index = self._proxy.index(row, 0)
        moving, self._model_moving = self._model_moving, True
        try:
            self._table.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        finally:
            self._model_moving = moving
        self._table.scrollTo(index)
        return True

    def _refresh_count(self) -> None:
        if self._queue.is_loading:
            self._count.setText(self.tr("Loading tickets…"))
            return
        if not self._queue.is_loaded:
            self._count.setText("")
            return
        total = self._queue.rowCount()
        shown = self._proxy.rowCount()
        overdue = self._proxy.overdue_count()
        if self._proxy.is_filtering:
            tickets = self.tr("{shown} of {total} tickets").format(shown=shown, total=total)
        elif shown == 1:
            tickets = self.tr("1 ticket")
        else:
            tickets = self.tr("{n} tickets").format(n=shown)
        overdue_text = html.escape(self.tr("{n} overdue").format(n=overdue))
        if overdue:
            overdue_text = f'<span style="color:{OVERDUE_COLOUR}; font-weight:600">{overdue_text}</span>'
        self._count.setText(f"{html.escape(tickets)} · {overdue_text}")

    def _refresh_owner_choices(self) -> None:
        self._owner.clear()
        for owner_id, label in owner_choices(self._queue.colleagues(), self._queue.operator_id):
            self._owner.addItem(label, owner_id)
        self._sync_owner()

    # --- detail ---------------------------------------------------------------------------------

    def _on_editor_changed(self) -> None:
        self._swap_draft()
        self._render()

    def _on_editor_failed(self, message: str) -> None:
        self._show_message(message)

    def _on_editor_busy_changed(self, busy: bool) -> None:
        self._loading.setText(self.tr("Working…") if busy else "")
        self._refresh_actions()

    def _swap_draft(self) -> None:
        ticket_id = self._editor.ticket_id
        if ticket_id == self._composer_ticket:
            return
        if self._composer_ticket is not None:
            text = self._comment.toPlainText()
            if text.strip():
                self._drafts[self._composer_ticket] = text
            else:
                self._drafts.pop(self._composer_ticket, None)
        self._composer_ticket = ticket_id
        self._comment.setPlainText(self._drafts.pop(ticket_id, "") if ticket_id else "")
        self._public.setChecked(False)

    def _render(self) -> None:
        ticket = self._editor.ticket
        if ticket is None:
            if self._editor.ticket_id is None:
                self._placeholder.setText(self.tr("Select a ticket in the queue to see its details and history."))
            else:
                self._placeholder.setText(self.tr("Loading the ticket…"))
            self._detail_stack.setCurrentWidget(self._placeholder)
            self._shown_version = None
            return
        self._queue.upsert(ticket)
        first_show = self._shown_version is None or self._shown_version[0] != ticket.id
        self._shown_version = (ticket.id, ticket.version)
        self._detail_stack.setCurrentIndex(1)
        self._number.setText(ticket.number)
        self._kind_chip.setText(kind_label(ticket.kind))
        self._kind_chip.setStyleSheet(_chip_style(TEXT, "#f1f3f5", BORDER))
        self._priority_chip.setText(priority_label(ticket.priority))
        self._priority_chip.setStyleSheet(_chip_style("#ffffff", PRIORITY_COLOURS.get(ticket.priority, "#80868b")))
        self._state_chip.setText(state_label(ticket.state))
        self._state_chip.setStyleSheet(_chip_style(*state_colours(ticket.state)))
        self._pending_chip.setVisible(ticket.pending)
        self._title.setText(ticket.title)
        self._customer.setText(self._customer_html(ticket))
        self._station.setText(self._station_html(ticket))
        self._render_due(ticket)
        self._description.set_text(ticket.description or self.tr("No description."))
        self._render_history(ticket, scroll_to_end=first_show)
        self._render_moves(ticket)
        self._sync_owner()
        self._refresh_actions()

    def _render_due(self, ticket: TicketDetail) -> None:
        level = due_level(ticket)
        colour = {"overdue": OVERDUE_COLOUR, "due_soon": DUE_SOON_COLOUR}.get(level or "", TEXT)
        weight = "600" if level else "normal"
        self._due.setText(due_sentence(ticket))
        self._due.setStyleSheet(f"color: {colour}; font-weight: {weight};")

    def _customer_html(self, ticket: TicketDetail) -> str:
        customer = ticket.customer
        if customer is None:
            return f'<span style="color:{MUTED}">{html.escape(self.tr("No customer"))}</span>'
        parts = [f'<a href="customer:{html.escape(customer.id)}">{html.escape(customer.name)}</a>',
                 html.escape(customer.customer_number)]
        parts += [html.escape(v) for v in (customer.phone, customer.email) if v]
        return f'<span style="color:{MUTED}">{" · ".join(parts)}</span>'

    def _station_html(self, ticket: TicketDetail) -> str:
        device = ticket.device
        if device is None:
            return f'<span style="color:{MUTED}">{html.escape(self.tr("No station"))}</span>'
        identity = device.ocpp_identity or device.serial
        parts = [f'<a href="station:{html.escape(device.id)}">{html.escape(identity)}</a>',
                 html.escape(f"{device.vendor} {device.model}")]
        if ticket.connector_no:
            parts.append(html.escape(self.tr("connector {n}").format(n=ticket.connector_no)))
        if ticket.error_code:
            parts.append(html.escape(ticket.error_code))
        parts.append(html.escape(status_label(device.status)))
        return f'<span style="color:{MUTED}">{" · ".join(parts)}</span>'

    def _render_moves(self, ticket: TicketDetail) -> None:
        for button in self._move_buttons:
            self._moves.removeWidget(button)
            button.deleteLater()
        self._move_buttons = []
        for state in self._editor.allowed_states():
            button = QPushButton(state_label(state))
            button.setObjectName(f"ticket-move-{state}")
            button.setToolTip(self.tr("Move {number} to “{state}”").format(number=ticket.number,
                                                                        state=state_label(state)))
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.clicked.connect(functools.partial(self._on_move_clicked, state))
            self._moves.addWidget(button)
            self._move_buttons.append(button)

    def _sync_owner(self) -> None:
        ticket = self._editor.ticket
        if ticket is None:
            return
        index = self._owner.findData(ticket.owner_id)
        if index < 0 and ticket.owner_id is not None:
            self._owner.addItem(self._queue.owner_name(ticket.owner_id), ticket.owner_id)
            index = self._owner.count() - 1
        self._owner.setCurrentIndex(max(index, 0))

    def set_privacy_intake(self, start: Callable[[TicketOrigin], object] | None) -> None:
        """Offer "Start privacy request…" on a ticket: `start` opens the privacy pane's intake
        dialog for it (only for privacy officers; None hides the action)."""
        self._start_privacy_request = start
        self._privacy_start.setVisible(start is not None)

    def start_privacy_request(self) -> bool:
        """What "Start privacy request…" does; False when no ticket is open or it is not offered."""
        ticket = self._editor.ticket
        if ticket is None or self._start_privacy_request is None:
            return False
        customer = ticket.customer
        self._start_privacy_request(TicketOrigin(
            ticket_id=ticket.id, number=ticket.number, text=f"{ticket.title}\n\n{ticket.description}".strip(),
            customer_id=customer.id if customer else ticket.customer_id,
            customer_number=customer.customer_number if customer else None,
            customer_name=customer.name if customer else None,
            customer_email=customer.email if customer else None))
        return True

    def _on_privacy_start_clicked(self) -> None:
        self.start_privacy_request()

    def _refresh_actions(self) -> None:
        ready = self._editor.ticket is not None and not self._editor.busy
        self._privacy_start.setEnabled(ready)
        for button in self._move_buttons:
            button.setEnabled(ready)
        self._owner.setEnabled(ready)
        self._attach.setEnabled(ready)
        self._send.setEnabled(ready and bool(self._comment.toPlainText().strip()))

    # --- history --------------------------------------------------------------------------------

    def _render_history(self, ticket: TicketDetail, scroll_to_end: bool) -> None:
        bar = self._history.verticalScrollBar()
        position = bar.value()
        if scroll_to_end:
            self._history_at_end = True
        groups: list[list[TicketEntry]] = []
        for entry in ticket.history:
            last = groups[-1][0] if groups else None
            # One change of several fields is written as entries sharing author and time.
            if (last is not None and entry.kind == "change" and last.kind == "change"
                    and last.author_id == entry.author_id and last.at == entry.at
                    and last.pending == entry.pending):
                groups[-1].append(entry)
            else:
                groups.append([entry])
        blocks = [self._group_html(group) for group in groups]
        if not blocks:
            blocks = [f'<p style="color:{MUTED}">{html.escape(self.tr("No history yet."))}</p>']
        self._history_rendering = True
        try:
            self._history.setHtml(f'<div style="color:{TEXT}">{"".join(blocks)}</div>')
        finally:
            self._history_rendering = False
        if self._history_at_end:
            # The document is laid out lazily: moving the cursor to the end lays it out and
            # scrolls there; the range growing later (the rest of the layout, a resize) is
            # followed by _on_history_bar_range_changed.
            self._history.moveCursor(QTextCursor.MoveOperation.End)
            self._history.ensureCursorVisible()
            bar.setValue(bar.maximum())
        else:
            bar.setValue(position)

    def _on_history_bar_value_changed(self, value: int) -> None:
        if not self._history_rendering:
            # The operator scrolled: follow new entries only while the end is in view.
            self._history_at_end = value >= self._history.verticalScrollBar().maximum() - 4

    def _on_history_bar_range_changed(self, _minimum: int, maximum: int) -> None:
        if self._history_at_end and not self._history_rendering:
            self._history.verticalScrollBar().setValue(maximum)

    def _group_html(self, group: list[TicketEntry]) -> str:
        first = group[0]
        if first.pending:
            author = self.tr("You")  # only the operator's own work waits in this console's outbox
        else:
            author = first.author_name or (self.tr("EMA (automatic)") if first.author_id is None
                                           else self._queue.owner_name(first.author_id))
        head = (f'<table width="100%" cellspacing="0" cellpadding="0"><tr>'
                f'<td><b>{html.escape(author)}</b></td>'
                f'<td align="right" style="color:{MUTED}">{html.escape(format_local(first.at))}</td>'
                f"</tr></table>")
        lines = [self._entry_html(entry) for entry in group]
        return (f'<table width="100%" cellspacing="0" cellpadding="0" style="margin-bottom:10px">'
                f'<tr><td>{head}{"".join(lines)}</td></tr></table>')

    def _entry_html(self, entry: TicketEntry) -> str:
        # Entries the server does not have yet say so after their text; sent ones are unchanged.
        unsent = f"&nbsp;&nbsp;{self._unsent_html()}" if entry.pending else ""
        if entry.kind in ("reply", "note"):
            public = entry.public or entry.kind == "reply"
            badge_fg, badge_bg = PUBLIC_BADGE if public else INTERNAL_BADGE
            badge = self.tr("Public reply") if public else self.tr("Internal note")
            body = html.escape(entry.body or "").replace("\n", "<br>")
            block = PUBLIC_BLOCK if public else INTERNAL_BLOCK
            return (f'<table width="100%" cellspacing="0" cellpadding="6" bgcolor="{block}"'
                    f' style="margin-top:3px"><tr><td>'
                    f'<span style="color:{badge_fg}; background-color:{badge_bg}; font-weight:600">'
                    f"&nbsp;{html.escape(badge)}&nbsp;</span>{unsent}<br>{body}</td></tr></table>")
        if entry.kind == "created":
            text = self.tr("Opened the ticket")
        elif entry.kind == "change":
            return f'<div style="margin-top:2px">{self._change_html(entry)}{unsent}</div>'
        elif entry.kind == "attachment":
            text = self.tr("Attached {name}").format(name=entry.body or self.tr("a file"))
        else:
            text = entry.body or entry.kind
        return f'<div style="margin-top:2px">{html.escape(text)}{unsent}</div>'

    def _unsent_html(self) -> str:
        """The "not sent yet" mark of an entry the server does not have yet."""
        return (f'<span style="color:{PENDING_COLOUR}; background-color:{PENDING_TINT}; font-style:italic">'
                f"&nbsp;{html.escape(self.tr('not sent yet'))}&nbsp;</span>")

    def _change_html(self, entry: TicketEntry) -> str:
        field = entry.field or ""
        caption = html.escape(field_label(field))
        if field == "description":
            return html.escape(self.tr("Edited the description"))
        if field in ("customer_id", "device_id"):
            what = self.tr("Linked to another customer") if field == "customer_id" else \
                self.tr("Linked to another station")
            return html.escape(what if entry.new_value else self.tr("{field} removed").format(field=field_label(field)))
        old = html.escape(self._value_text(field, entry.old_value))
        new = html.escape(self._value_text(field, entry.new_value))
        return f'<span style="color:{MUTED}">{caption}:</span> {old} \u2192 <b>{new}</b>'

    def _value_text(self, field: str, value: str | None) -> str:
        if field == "state":
            return state_label(value) if value else "\u2013"
        if field == "priority":
            return priority_label(value) if value else "\u2013"
        if field == "owner_id":
            return self._queue.owner_name(value)
        return value if value not in (None, "") else "\u2013"

    # --- actions --------------------------------------------------------------------------------

    def _on_link_activated(self, link: str) -> None:
        kind, _, target = link.partition(":")
        if kind == "customer":
            self.customer_requested.emit(target)
        elif kind == "station":
            self.station_requested.emit(target)

    def _on_move_clicked(self, state: str) -> None:
        self._clear_message()
        self._start(self._editor.change_state(state))

    def _on_owner_activated(self, index: int) -> None:
        ticket = self._editor.ticket
        owner_id = self._owner.itemData(index)
        if ticket is None or owner_id == ticket.owner_id:
            return
        self._clear_message()
        self._start(self._editor.assign(owner_id))

    def _on_comment_text_changed(self) -> None:
        self._refresh_actions()

    def _on_attach_clicked(self) -> None:
        if self._editor.ticket is None or self._editor.busy:
            return
        if self._photo_dialog is not None:
            self._photo_dialog.raise_()
            return
        patterns = " ".join(ATTACHMENT_PATTERNS + tuple(p.upper() for p in ATTACHMENT_PATTERNS))
        dialog = QFileDialog(self, self.tr("Attach photos to {number}").format(number=self._number.text()),
                             self._photo_dir or QStandardPaths.writableLocation(
                                 QStandardPaths.StandardLocation.PicturesLocation),
                             self.tr("Photos and PDF documents ({patterns})").format(patterns=patterns))
        dialog.setObjectName("ticket-attach-dialog")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.filesSelected.connect(functools.partial(self._on_photo_dialog_files_selected,
                                                       self._editor.ticket_id))
        dialog.finished.connect(self._on_photo_dialog_finished)
        self._photo_dialog = dialog
        dialog.open()  # window-modal, never exec(): the event loop (and its tasks) keep running

    def _on_photo_dialog_files_selected(self, ticket_id: str | None, files: list[str]) -> None:
        if not files:
            return
        self._photo_dir = str(Path(files[0]).parent)
        if ticket_id != self._editor.ticket_id:
            return  # the ticket changed while the dialog was open: not what the operator chose for
        self._clear_message()
        self._start(self._attach_all([Path(f) for f in files]))

    def _on_photo_dialog_finished(self, _result: int) -> None:
        self._photo_dialog = None

    async def _attach_all(self, paths: list[Path]) -> None:
        for path in paths:  # one after another: each is queued in the order picked
            await self._editor.attach_file(path)

    def _on_public_toggled(self, public: bool) -> None:
        if public:
            self._comment.setPlaceholderText(self.tr("Public reply — the customer will read this…"))
            self._send.setText(self.tr("Send reply"))
        else:
            self._comment.setPlaceholderText(self.tr("Internal note — only SECTRON staff see it…"))
            self._send.setText(self.tr("Add note"))

    def _on_send_clicked(self) -> None:
        ticket_id = self._editor.ticket_id
        if ticket_id is None or self._editor.busy:
            return
        self._clear_message()
        self._start(self._send_comment(ticket_id, self._comment.toPlainText(), self._public.isChecked()))

    async def _send_comment(self, ticket_id: str, body: str, public: bool) -> None:
        sent = await self._editor.add_comment(body, public)
        # Clear only what was sent: the operator may have typed on, or opened another ticket.
        if sent and self._composer_ticket == ticket_id and self._comment.toPlainText() == body:
            self._comment.clear()
            self._public.setChecked(False)
        elif sent:
            self._drafts.pop(ticket_id, None)
