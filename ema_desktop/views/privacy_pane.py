"""The PRIVACY REQUESTS pane: data-subject requests by statutory deadline, overdue ones first and
marked, with the selected request's key facts underneath.

A header counts what needs attention ("60 requests · 41 open", then "3 overdue" and "5 due
within 7 days" as coloured chips) and holds the "Open only" switch. The list reloads by itself
when the server reports a change; the selected request stays selected across reloads.

Under the selected request's facts the privacy officer writes an internal note for its history
("Add note"). The note goes to the outbox; until the server has it, the request is marked "not
sent yet" in the list and in the detail. A note being written is kept per request while the
officer looks at another one.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelection, Qt, QTimer
from PySide6.QtGui import QFont, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ema_desktop.backend.records import PrivacyRequestItem
from ema_desktop.data.tasks import OwnedTasks
from ema_desktop.models.customers import local_time_text, pending_text
from ema_desktop.models.privacy import (
    NOTE_MAX_LENGTH,
    RIGHT_LABELS,
    STATE_LABELS,
    WARN_DAYS,
    IdRole,
    PrivacyRequestModel,
    is_due_soon,
    is_open,
)
from ema_desktop.views import theme
from ema_desktop.views.customers_pane import PendingMarkerDelegate

NARROW_WIDTH = 1250
"""Below this width the list leaves channel and receipt time to the detail."""
VERY_NARROW_WIDTH = 950
"""Below this width the requester, too."""

# Chip colours: text and a pale background of the same hue.
_CHIP_STYLES = {
    "danger": (theme.DANGER, "#fdecea"),
    "warning": (theme.WARNING, "#fff4e0"),
    "ok": (theme.OK, "#e8f3ea"),
    "neutral": (theme.MUTED, "#eef1f4"),
    "pending": (theme.WARNING, "#fff4e0"),
}


def _chip(label: QLabel, kind: str) -> None:
    colour, background = _CHIP_STYLES[kind]
    label.setStyleSheet(f"color: {colour}; background: {background}; border: 1px solid {colour};"
                        " border-radius: 9px; padding: 1px 9px; font-weight: 600;")


class _RequestDetail(QFrame):
    """The selected request's key fields, read-only, and the box for an internal note."""

    def __init__(self, model: PrivacyRequestModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self.setObjectName("privacy-detail")
        self.setStyleSheet(f"QFrame#privacy-detail {{ background: {theme.BASE}; border: 1px solid {theme.BORDER};"
                           " border-radius: 3px; }")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 12)
        layout.setSpacing(8)
        top = QHBoxLayout()
        top.setSpacing(10)
        self.title = QLabel()
        self.title.setObjectName("privacy-detail-title")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setWeight(QFont.Weight.DemiBold)
        self.title.setFont(font)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.due_chip = QLabel()
        self.due_chip.setObjectName("privacy-detail-due-chip")
        self.state_chip = QLabel()
        self.state_chip.setObjectName("privacy-detail-state")
        self.pending_chip = QLabel(pending_text())
        self.pending_chip.setObjectName("privacy-detail-pending")
        self.pending_chip.setToolTip(model.pending_tooltip())
        _chip(self.pending_chip, "pending")
        self.pending_chip.hide()
        top.addWidget(self.title, 1)
        top.addWidget(self.pending_chip)
        top.addWidget(self.due_chip)
        top.addWidget(self.state_chip)
        layout.addLayout(top)

        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(5)
        self.fields: dict[str, QLabel] = {}
        self._captions: dict[str, QLabel] = {}
        # Three columns of caption/value pairs: who, how and when, deadlines.
        columns = [
            [("right", self.tr("Right")), ("subject", self.tr("Subject")), ("requester", self.tr("Requester")),
             ("identity", self.tr("Identity check"))],
            [("channel", self.tr("Channel")), ("received", self.tr("Received")), ("state", self.tr("State"))],
            [("due", self.tr("Due")), ("deadline_note", self.tr("Extension notice by"))],
        ]
        for column, pairs in enumerate(columns):
            for row, (key, caption) in enumerate(pairs):
                caption_label = QLabel(caption)
                caption_label.setStyleSheet(f"color: {theme.MUTED};")
                value = QLabel()
                value.setObjectName(f"privacy-{key}")
                value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                value.setWordWrap(True)
                value.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
                grid.addWidget(caption_label, row, column * 2, Qt.AlignmentFlag.AlignTop)
                grid.addWidget(value, row, column * 2 + 1, Qt.AlignmentFlag.AlignTop)
                self.fields[key] = value
                self._captions[key] = caption_label
            grid.setColumnStretch(column * 2 + 1, 1)
        grid.setRowStretch(4, 1)
        layout.addLayout(grid, 1)

        # An internal note for the request's history: the text, and "Add note" beside it.
        self.note_box = QWidget()
        note_layout = QGridLayout(self.note_box)
        note_layout.setContentsMargins(0, 4, 0, 0)
        note_layout.setHorizontalSpacing(10)
        note_layout.setVerticalSpacing(3)
        note_caption = QLabel(self.tr("Internal note"))
        note_caption.setStyleSheet(f"color: {theme.MUTED};")
        self.note_edit = QPlainTextEdit()
        self.note_edit.setObjectName("privacy-note")
        self.note_edit.setPlaceholderText(self.tr("A note for the request's history (the subject does not see it)"))
        self.note_edit.setTabChangesFocus(True)
        lines = self.note_edit.fontMetrics().lineSpacing()
        self.note_edit.setFixedHeight(lines * 3 + 14)
        self.add_note_button = QPushButton(self.tr("Add note"))
        self.add_note_button.setObjectName("privacy-add-note")
        self.add_note_button.setEnabled(False)
        self.note_status = QLabel()
        self.note_status.setObjectName("privacy-note-status")
        self.note_status.setWordWrap(True)
        self.note_status.hide()
        note_layout.addWidget(note_caption, 0, 0, Qt.AlignmentFlag.AlignTop)
        note_layout.addWidget(self.note_edit, 0, 1)
        note_layout.addWidget(self.add_note_button, 0, 2, Qt.AlignmentFlag.AlignBottom)
        note_layout.addWidget(self.note_status, 1, 1, 1, 2)
        note_layout.setColumnStretch(1, 1)
        self.note_box.setVisible(model.may_add_notes)
        layout.addWidget(self.note_box)

    def show_request(self, request: PrivacyRequestItem) -> None:
        model = self._model
        self.title.setText(f"{request.number}  ·  {model.right_label(request.right)}")
        self.pending_chip.setVisible(request.pending)
        self.state_chip.setText(model.state_label(request.state))
        _chip(self.state_chip, "neutral" if is_open(request) else ("ok" if request.state == "completed"
                                                                    else "neutral"))
        relative = model.relative_due(request)
        self.due_chip.setVisible(bool(relative))
        if relative:
            self.due_chip.setText(relative)
            _chip(self.due_chip, "danger" if request.overdue else "warning" if is_due_soon(request) else "neutral")
        self._set("right", model.right_label(request.right))
        self._set("subject", request.subject_name)
        self._set("requester", model.requester_text(request))
        self._set("channel", model.channel_label(request.channel))
        self._set("received", local_time_text(request.received_at))
        self._set("state", model.state_label(request.state))
        self._set("due", local_time_text(request.effective_due_at))
        # Under the due date: the original one for an extended request; otherwise, while the
        # request is open, the last moment to tell the subject of an extension.
        if request.effective_due_at != request.due_at:
            self._captions["deadline_note"].setText(self.tr("Originally due"))
            self._set("deadline_note", local_time_text(request.due_at))
        else:
            self._captions["deadline_note"].setText(self.tr("Extension notice by"))
            self._set("deadline_note", local_time_text(request.extension_notice_due_at) if is_open(request) else None)
        # Older servers' list items carry no identity-check fields; the row then stays hidden.
        identity: Any = getattr(request, "identity_check", None)
        self._set("identity", model.identity_check_label(identity) if isinstance(identity, str) and identity
                  else (self.tr("not yet checked") if hasattr(request, "identity_check") else None))

    def show_note_status(self, text: str, kind: str) -> None:
        """A line under the note box: "ok" (muted) or "danger"; an empty text hides it."""
        self.note_status.setText(text)
        self.note_status.setStyleSheet(f"color: {theme.DANGER if kind == 'danger' else theme.MUTED};")
        self.note_status.setVisible(bool(text))

    def _set(self, key: str, text: str | None) -> None:
        """Show a field, or hide it with its caption when it does not apply."""
        visible = text is not None
        self.fields[key].setText(text or "")
        self.fields[key].setToolTip(text or "")
        self.fields[key].setVisible(visible)
        self._captions[key].setVisible(visible)


class PrivacyPane(QWidget):
    """Privacy requests by deadline, the selected one's key facts, and its note box.

    Signals: none (notes go through the model).
    """

    def __init__(self, model: PrivacyRequestModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._selected_id: str | None = None
        self._restoring: str | None = None  # the selection to put back after a reload
        self._tasks = OwnedTasks(self)
        self._drafts: dict[str, str] = {}  # notes being written, by request, while another is shown
        self._note_shown_for: str | None = None  # the request the note box holds the draft of
        self._adding: set[str] = set()  # requests whose note is being kept right now

        # --- header: counts, chips, the switch
        header = QHBoxLayout()
        header.setContentsMargins(12, 10, 12, 4)
        header.setSpacing(10)
        self.counts = QLabel()
        self.counts.setObjectName("privacy-counts")
        counts_font = self.counts.font()
        counts_font.setWeight(QFont.Weight.DemiBold)
        self.counts.setFont(counts_font)
        self.overdue_chip = QLabel()
        self.overdue_chip.setObjectName("privacy-overdue")
        self.due_soon_chip = QLabel()
        self.due_soon_chip.setObjectName("privacy-due-soon")
        self.status = QLabel()
        self.status.setObjectName("privacy-status")
        self.status.setStyleSheet(f"color: {theme.MUTED};")
        self.open_only_box = QCheckBox(self.tr("Open only"))
        self.open_only_box.setObjectName("privacy-open-only")
        self.open_only_box.setToolTip(self.tr("Hide completed and refused requests"))
        self.open_only_box.setChecked(model.open_only)
        self.open_only_box.toggled.connect(self._on_open_only_box_toggled)
        header.addWidget(self.counts)
        header.addWidget(self.overdue_chip)
        header.addWidget(self.due_soon_chip)
        header.addWidget(self.status, 1)
        header.addWidget(self.open_only_box)

        # --- the list
        self.table = QTableView()
        self.table.setObjectName("privacy-requests")
        self.table.setModel(model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        columns = self.table.horizontalHeader()
        columns.setHighlightSections(False)
        columns.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        widths = {model.NUMBER: 115, model.RIGHT: 140, model.REQUESTER: 210, model.CHANNEL: 95,
                  model.RECEIVED: 140, model.DUE: 215, model.STATE: 130}
        # Wider where the operator's language needs it: no right or state is cut off.
        metrics = self.table.fontMetrics()
        for column, labels in ((model.RIGHT, RIGHT_LABELS), (model.STATE, STATE_LABELS)):
            widest = max(metrics.horizontalAdvance(labels.label(value)) for value in labels)
            widths[column] = max(widths[column], widest + 18)  # the cell's padding
        for column, width in widths.items():
            columns.resizeSection(column, width)
        columns.setSectionResizeMode(model.SUBJECT, QHeaderView.ResizeMode.Stretch)
        columns.setMinimumSectionSize(60)
        self.table.setStyleSheet(
            f"QTableView {{ border: 1px solid {theme.BORDER}; border-radius: 3px; }}"
            f"QHeaderView::section {{ background: {theme.WINDOW}; color: {theme.MUTED}; border: none;"
            f" border-bottom: 1px solid {theme.BORDER}; padding: 4px 6px; font-weight: 600; }}"
        )
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.table.setItemDelegateForColumn(model.SUBJECT, PendingMarkerDelegate(self.table))

        # --- the selected request
        self.detail = _RequestDetail(model)
        self._hint = QLabel(self.tr("Select a request to see its details."))
        self._hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._hint.setStyleSheet(f"color: {theme.MUTED};")
        self._detail_stack = QStackedWidget()
        self._detail_stack.addWidget(self._hint)
        self._detail_stack.addWidget(self.detail)

        split = QSplitter(Qt.Orientation.Vertical)
        split.setChildrenCollapsible(False)
        split.addWidget(self.table)
        split.addWidget(self._detail_stack)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        body = QVBoxLayout()
        body.setContentsMargins(12, 4, 12, 12)
        body.addWidget(split)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(header)
        layout.addLayout(body, 1)

        model.loading_changed.connect(self._on_model_loading_changed)
        model.failed.connect(self._on_model_failed)
        model.loaded.connect(self._on_model_loaded)
        model.modelAboutToBeReset.connect(self._on_model_about_to_be_reset)
        model.note_added.connect(self._on_model_note_added)
        model.note_failed.connect(self._on_model_note_failed)
        self.detail.note_edit.textChanged.connect(self._on_note_edit_text_changed)
        self.detail.add_note_button.clicked.connect(self._on_add_note_button_clicked)
        self._update_counts()
        if not model.answered:
            # The first load starts once the event loop runs; the timer dies with the pane.
            self._first_load = QTimer(self)
            self._first_load.setSingleShot(True)
            self._first_load.timeout.connect(self._on_first_load_timeout)
            self._first_load.start(0)

    def has_data(self) -> bool:
        return self._model.answered

    def resizeEvent(self, event: QResizeEvent) -> None:
        # Docked narrow, the deadline must stay in sight: what the detail shows anyway goes first.
        width = event.size().width()
        model = self._model
        self.table.setColumnHidden(model.CHANNEL, width < NARROW_WIDTH)
        self.table.setColumnHidden(model.RECEIVED, width < NARROW_WIDTH)
        self.table.setColumnHidden(model.REQUESTER, width < VERY_NARROW_WIDTH)
        super().resizeEvent(event)

    def select_request(self, request_id: str) -> bool:
        """Select a request in the list (False when it is not shown, e.g. closed under Open only)."""
        row = self._model.row_of(request_id)
        if row is None:
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self._model.index(row, 0))
        return True

    # --- slots ---------------------------------------------------------------------------------

    def _on_first_load_timeout(self) -> None:
        self._tasks.start(self._model.reload())

    def _on_open_only_box_toggled(self, checked: bool) -> None:
        self._model.set_open_only(checked)

    def _on_model_about_to_be_reset(self) -> None:
        # The reset clears the selection; `loaded` puts it back on the same request.
        self._restoring = self._selected_id

    def _on_model_loaded(self) -> None:
        self.status.setText("")
        self._update_counts()
        restoring, self._restoring = self._restoring, None
        if restoring is None or not self.select_request(restoring):
            self._selected_id = None
            self._show_selected()

    def _on_model_loading_changed(self, loading: bool) -> None:
        if loading and not self._model.answered:
            self.status.setText(self.tr("Loading…"))

    def _on_model_failed(self, message: str) -> None:
        self.status.setStyleSheet(f"color: {theme.DANGER};")
        self.status.setText(self.tr("Could not load the requests: {message}").format(message=message))
        self.status.setToolTip(message)

    def _on_table_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = self.table.selectionModel().selectedRows()
        self._selected_id = str(rows[0].data(IdRole)) if rows else None
        self._show_selected()

    def _show_selected(self) -> None:
        row = None if self._selected_id is None else self._model.row_of(self._selected_id)
        self._swap_note_draft(None if row is None else self._selected_id)
        if row is None:
            self._detail_stack.setCurrentWidget(self._hint)
            return
        self.detail.show_request(self._model.request_at(row))
        self._detail_stack.setCurrentWidget(self.detail)

    # --- notes -----------------------------------------------------------------------------------

    def add_note(self, note: str | None = None) -> bool:
        """Add the note box's text (or `note`) to the selected request, as "Add note" does; False
        when no request is selected."""
        request_id = self._selected_id
        if request_id is None or request_id in self._adding:
            return False
        text = self.detail.note_edit.toPlainText() if note is None else note
        self._adding.add(request_id)
        self._update_note_button()
        self._tasks.start(self._add_note(request_id, text))
        return True

    async def _add_note(self, request_id: str, text: str) -> None:
        try:
            await self._model.add_note(request_id, text)
        finally:
            self._adding.discard(request_id)
            self._update_note_button()

    def _swap_note_draft(self, request_id: str | None) -> None:
        """Keep the note being written for the request shown so far; show the new one's draft."""
        if request_id == self._note_shown_for:
            return
        edit = self.detail.note_edit
        if self._note_shown_for is not None:
            text = edit.toPlainText()
            if text.strip():
                self._drafts[self._note_shown_for] = text
            else:
                self._drafts.pop(self._note_shown_for, None)
        self._note_shown_for = request_id
        edit.setPlainText(self._drafts.get(request_id, "") if request_id is not None else "")
        self.detail.show_note_status("", "ok")
        self._update_note_button()

    def _update_note_button(self) -> None:
        text = self.detail.note_edit.toPlainText()
        self.detail.add_note_button.setEnabled(
            self._selected_id is not None and self._selected_id not in self._adding and bool(text.strip())
            and len(text) <= NOTE_MAX_LENGTH)

    def _on_note_edit_text_changed(self) -> None:
        if self.detail.note_status.isVisible() and self.detail.note_edit.toPlainText():
            self.detail.show_note_status("", "ok")
        self._update_note_button()

    def _on_add_note_button_clicked(self) -> None:
        self.add_note()

    def _on_model_note_added(self, request_id: str) -> None:
        self._drafts.pop(request_id, None)
        if request_id == self._note_shown_for:
            self.detail.note_edit.clear()
            self.detail.show_note_status(self.tr("Note added."), "ok")

    def _on_model_note_failed(self, request_id: str, message: str) -> None:
        if request_id == self._note_shown_for:
            self.detail.show_note_status(self.tr("The note was not added: {message}").format(message=message),
                                         "danger")

    def _update_counts(self) -> None:
        model = self._model
        if not model.answered:
            self.counts.setText(self.tr("Privacy requests"))
            self.overdue_chip.hide()
            self.due_soon_chip.hide()
            return
        self.status.setStyleSheet(f"color: {theme.MUTED};")
        self.counts.setText(self.tr("{total} requests · {open} open").format(total=model.total_count(),
                                                                           open=model.open_count()))
        overdue, soon = model.overdue_count(), model.due_soon_count()
        self.overdue_chip.setText(self.tr("{n} overdue").format(n=overdue))
        _chip(self.overdue_chip, "danger" if overdue else "neutral")
        self.overdue_chip.show()
        self.due_soon_chip.setText(self.tr("{n} due within {days} days").format(n=soon, days=WARN_DAYS))
        _chip(self.due_soon_chip, "warning" if soon else "neutral")
        self.due_soon_chip.show()

    def summary_text(self) -> str:
        """The header as one line: "60 requests · 41 open · 3 overdue · 5 due within 7 days"."""
        parts = [self.counts.text()]
        parts += [chip.text() for chip in (self.overdue_chip, self.due_soon_chip) if chip.isVisibleTo(self)]
        return " · ".join(parts)
