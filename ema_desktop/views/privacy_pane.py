"""The PRIVACY REQUESTS pane: data-subject requests by statutory deadline, overdue ones first and
marked, with the selected request's key facts underneath.

A header counts what needs attention ("60 requests · 41 open", then "3 overdue" and "5 due
within 7 days" as coloured chips) and holds the "Open only" switch. The list reloads by itself
when the server reports a change; the selected request stays selected across reloads.

Under the selected request's facts the privacy officer writes an internal note for its history
("Add note"). The note goes to the outbox; until the server has it, the request is marked "not
sent yet" in the list and in the detail. A note being written is kept per request while the
officer looks at another one.

Beside the facts and the history, the officer works the request from receipt to completion
("New request…" registers one; see privacy_request_work for the steps and evidence shown): each
step opens its dialog or is taken at once, the server's reason for refusing it is shown as a
sentence, and the list and detail reload after it succeeded. The steps need the server: offline
they are disabled and say so, while the note stays available. A request just completed or
refused stays in the detail even when "Open only" hides it from the list.
"""

from __future__ import annotations

import html
from collections.abc import Coroutine
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QItemSelection, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ema_desktop.backend.records import HistoryEntry, PrivacyRequestItem
from ema_desktop.data.privacy_workflow import PrivacyWorkflow, StepFailed
from ema_desktop.data.tasks import OwnedTasks
from ema_desktop.models.customers import local_time_text, pending_text
from ema_desktop.models.privacy import (
    ENTRY_FIELD_LABELS,
    ENTRY_KIND_LABELS,
    NOTE_MAX_LENGTH,
    NOTICE_STATE_LABELS,
    PURPOSE_LABELS,
    RECIPIENT_RIGHTS,
    RIGHT_LABELS,
    STATE_LABELS,
    WARN_DAYS,
    IdRole,
    PrivacyRequestModel,
    TicketOrigin,
    is_due_soon,
    is_open,
    step_bar,
)
from ema_desktop.views import theme
from ema_desktop.views.customers_pane import PendingMarkerDelegate
from ema_desktop.views.erasure_dialog import ErasureConfirmDialog, ErasureReportDialog
from ema_desktop.views.privacy_intake_dialog import PrivacyIntakeDialog
from ema_desktop.views.privacy_request_work import RequestWork, StepBar
from ema_desktop.views.privacy_step_dialogs import (
    ChannelStepDialog,
    CompletionDialog,
    ExtensionDialog,
    IdentityVerificationDialog,
    RefusalDialog,
    TextStepDialog,
)
from ema_desktop.views.questions import choose_save_file
from ema_desktop.views.rectification_dialog import RectificationDialog

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


def history_html(entries: list[HistoryEntry]) -> str:
    """The request's history, newest first: when, who, what."""
    if not entries:
        empty = QCoreApplication.translate("PrivacyPane", "No history yet.")
        return f"<p style='color:{theme.MUTED}'>{empty}</p>"
    rows = []
    for entry in reversed(entries):
        lines = [entry.body] if entry.body else []
        if entry.field in ("handler_id", "ticket_id"):
            lines.append(ENTRY_FIELD_LABELS.label(entry.field))
        elif entry.field and (entry.old_value in STATE_LABELS or entry.new_value in STATE_LABELS):
            old = STATE_LABELS.label(entry.old_value) if entry.old_value else "—"
            new = STATE_LABELS.label(entry.new_value) if entry.new_value else "—"
            lines.append(f"{old} → {new}")
        elif entry.field:
            lines.append(f"{entry.field}: {entry.old_value or '—'} → {entry.new_value or '—'}")
        what = "<br>".join(html.escape(line).replace("\n", "<br>") for line in lines)
        kind = html.escape(ENTRY_KIND_LABELS.label(entry.kind))
        rows.append(f"<tr><td style='color:{theme.MUTED}; padding-right:10px; white-space:nowrap'>"
                    f"{html.escape(local_time_text(entry.at))}</td>"
                    f"<td style='padding-right:10px; white-space:nowrap'><b>{html.escape(entry.author_name or '')}</b>"
                    f"</td><td style='color:{theme.MUTED}; padding-right:10px'>{kind}</td>"
                    f"<td>{what}</td></tr>")
    return "<table cellspacing='0' cellpadding='3'>" + "".join(rows) + "</table>"


def _chip(label: QLabel, kind: str) -> None:
    colour, background = _CHIP_STYLES[kind]
    label.setStyleSheet(f"color: {colour}; background: {background}; border: 1px solid {colour};"
                        " border-radius: 9px; padding: 1px 9px; font-weight: 600;")


class _RequestDetail(QFrame):
    """The selected request's key fields, read-only, and the box for an internal note."""

    def __init__(self, model: PrivacyRequestModel, workflow: PrivacyWorkflow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._workflow = workflow
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
        self.step_bar = StepBar()
        layout.addWidget(self.step_bar)

        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(5)
        self.fields: dict[str, QLabel] = {}
        self._captions: dict[str, QLabel] = {}
        # Two columns of caption/value pairs: who and how, then where it stands and by when.
        columns = [
            [("right", self.tr("Right")), ("subject", self.tr("Subject")), ("requester", self.tr("Requester")),
             ("channel", self.tr("Channel")), ("received", self.tr("Received"))],
            [("state", self.tr("State")), ("due", self.tr("Due")), ("deadline_note", self.tr("Extension notice by")),
             ("extension", self.tr("Extended")), ("identity", self.tr("Identity check"))],
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
        left = QVBoxLayout()
        left.setSpacing(6)
        left.addLayout(grid)

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
        # Under the facts, the request's history (newest first), then the note box.
        history_caption = QLabel(self.tr("History"))
        history_caption.setStyleSheet(f"color: {theme.MUTED};")
        self.history = QTextBrowser()
        self.history.setObjectName("privacy-history")
        self.history.setOpenLinks(False)
        self.history.setStyleSheet(f"QTextBrowser {{ border: 1px solid {theme.BORDER}; }}")
        left.addWidget(history_caption)
        left.addWidget(self.history, 3)
        left.addWidget(self.note_box)

        # On the right: the workflow, its steps and the evidence for the request's right.
        self.work = RequestWork(workflow)
        self.work.setObjectName("privacy-work")
        self.work.setStyleSheet(f"QWidget#privacy-work {{ border-left: 1px solid {theme.BORDER}; }}")
        body = QHBoxLayout()
        body.setSpacing(14)
        body.addLayout(left, 5)
        body.addWidget(self.work, 6)
        layout.addLayout(body, 1)

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
        self._set("extension", None)
        self._show_workflow_facts()

    def show_workflow(self) -> None:
        """The loaded detail of the request shown: step bar, who verified identity how, the history,
        and the work side."""
        self._show_workflow_facts()
        self.work.show_workflow(datetime.now(UTC))

    def _show_workflow_facts(self) -> None:
        request = self._workflow.request
        self.step_bar.setVisible(request is not None)
        if request is None:
            self.history.setHtml("")
            return
        model = self._model
        self.step_bar.show_steps(step_bar(request))
        if request.identity_check:
            # Who verified: the author of the history entry written with the verification.
            verified_at = request.identity_verified_at
            verifier = next((e.author_name for e in reversed(request.history) if e.author_name and verified_at
                             and abs((e.at - verified_at).total_seconds()) < 2), None)
            parts = [model.identity_check_label(request.identity_check)]
            if request.identity_check_detail:
                parts.append(f"“{request.identity_check_detail}”")
            if verified_at is not None:
                parts.append(self.tr("by {who}, {time}").format(who=verifier, time=local_time_text(verified_at))
                             if verifier else local_time_text(verified_at))
            self._set("identity", " · ".join(parts))
        elif request.identity_requested_at is not None:
            self._set("identity", self.tr("proof asked for {time}; waiting for the subject").format(
                time=local_time_text(request.identity_requested_at)))
        else:
            self._set("identity", self.tr("not yet checked"))
        if request.extended_due_at is not None:
            told = local_time_text(request.extension_notified_at) if request.extension_notified_at else "—"
            self._set("extension", self.tr("{reason} (subject told {time})").format(
                reason=request.extension_reason or "", time=told))
        else:
            self._set("extension", None)
        self.history.setHtml(history_html(request.history))

    def show_workflow_pending(self) -> None:
        """The request's detail is (re)loading: the work side waits for it."""
        self.work.show_workflow(datetime.now(UTC))

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
    """Privacy requests by deadline, the selected one's key facts, its workflow and its note box.

    Signals:
        customer_requested(str): the officer asked to open the request's customer (customer id).
    """

    customer_requested = Signal(str)

    def __init__(self, model: PrivacyRequestModel, parent: QWidget | None = None,
                 workflow: PrivacyWorkflow | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self.workflow = workflow if workflow is not None else PrivacyWorkflow(model.data_access, self)
        self.dialog: QDialog | None = None
        """The workflow dialog open now (one at a time)."""
        self._select_after_load: str | None = None
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
        self.new_button = QPushButton(self.tr("New request…"))
        self.new_button.setObjectName("privacy-new")
        self.new_button.clicked.connect(self._on_new_button_clicked)
        self.new_button.setVisible(self.workflow.may_handle)
        header.addWidget(self.new_button)

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
        self.detail = _RequestDetail(model, self.workflow)
        self._hint = QLabel(self.tr("Select a request to see its details."))
        self._hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._hint.setStyleSheet(f"color: {theme.MUTED};")
        self._detail_stack = QStackedWidget()
        self._detail_stack.addWidget(self._hint)
        self._detail_stack.addWidget(self.detail)

        split = QSplitter(Qt.Orientation.Vertical)
        split.setChildrenCollapsible(False)
        split.addWidget(self.table)
        # Scrollable, so the detail's steps and tables never squeeze the list to a few rows.
        detail_scroll = QScrollArea()
        detail_scroll.setObjectName("privacy-detail-scroll")
        detail_scroll.setWidgetResizable(True)
        detail_scroll.setFrameShape(QFrame.Shape.NoFrame)
        detail_scroll.setWidget(self._detail_stack)
        split.addWidget(detail_scroll)
        split.setStretchFactor(0, 1)
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
        self.workflow.changed.connect(self._on_workflow_changed)
        self.workflow.busy_changed.connect(self._on_workflow_busy_changed)
        self.workflow.failed.connect(self._on_workflow_failed)
        self.workflow.online_changed.connect(self._on_workflow_online_changed)
        work = self.detail.work
        work.action_requested.connect(self._on_work_action_requested)
        work.package_save_requested.connect(self._on_work_package_save_requested)
        work.withdrawal_requested.connect(self._on_work_withdrawal_requested)
        work.notice_step_requested.connect(self._on_work_notice_step_requested)
        self._on_workflow_online_changed(self.workflow.online)
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
        wanted, self._select_after_load = self._select_after_load, None
        if wanted is not None and self.select_request(wanted):
            return
        if restoring is None or not self.select_request(restoring):
            kept = None if restoring is None else self._model.request(restoring)
            if kept is not None and not is_open(kept):
                # Just completed or refused, hidden under "Open only": the officer still sees the result.
                self.detail.show_request(kept)
                return
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
        self.workflow.show_request(None if row is None else self._selected_id)
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

    # --- the workflow ------------------------------------------------------------------------------

    def action_button(self, key: str) -> QPushButton | None:
        """The detail's button for a step ("verify_identity", "complete", …), if shown."""
        return self.detail.work.buttons.get(key)

    def run_action(self, key: str) -> None:
        """What clicking a step's button does: open its dialog, or take the step."""
        self._on_work_action_requested(key)

    def new_request(self, origin: TicketOrigin | None = None) -> PrivacyIntakeDialog:
        """Open the intake dialog (from a ticket: prefilled and linked); the new request is
        selected once registered."""
        dialog = PrivacyIntakeDialog(self.workflow, self, origin)
        dialog.accepted.connect(lambda: self._on_intake_dialog_accepted(dialog))
        self._open(dialog)
        return dialog

    def _open(self, dialog: QDialog) -> None:
        if self.dialog is not None:
            self.dialog.close()
        self.dialog = dialog
        dialog.finished.connect(lambda _result: self._on_dialog_finished(dialog))
        dialog.open()

    def _on_dialog_finished(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def _on_intake_dialog_accepted(self, dialog: PrivacyIntakeDialog) -> None:
        created = dialog.created
        if created is None:
            return
        self.work_status(self.tr("{number} registered.").format(number=created.number), "ok")
        if not self.select_request(created.id):
            self._select_after_load = created.id
            self._tasks.start(self._model.reload())

    def work_status(self, text: str, kind: str) -> None:
        self.detail.work.show_status(text, kind)

    def _step_dialog(self, dialog: QDialog, done: str) -> None:
        dialog.accepted.connect(lambda: self.work_status(done, "ok"))
        self._open(dialog)

    def _on_work_action_requested(self, key: str) -> None:
        workflow = self.workflow
        request = workflow.request
        if request is None:
            return
        action = next((a for a in self.detail.work.shown_actions if a.key == key), None)
        if action is None or not action.enabled:
            return
        self.work_status("", "ok")
        if key == "ask_identity":
            self._step_dialog(TextStepDialog(
                self.tr("Ask for proof of identity"),
                self.tr("Ask only for what is needed to be sure who asks (never a copy of an identity card). The "
                        "deadline keeps running."), self.tr("How"),
                self.tr("e.g. reply from the registered e-mail address, or card number and date of the last session"),
                self.tr("Record"), lambda v: workflow.ask_for_identity(v["how"]), self, key="how", max_length=500),
                self.tr("Proof of identity asked for."))
        elif key == "verify_identity":
            self._step_dialog(IdentityVerificationDialog(lambda v: workflow.verify_identity(v["check"], v["detail"]),
                                                         self), self.tr("Identity verified."))
        elif key == "extend":
            self._step_dialog(ExtensionDialog(request, lambda v: workflow.extend(v["reason"], v["months"],
                                                                                 v["notified_at"]), self),
                              self.tr("Deadline extended."))
        elif key == "complete":
            self._step_dialog(CompletionDialog(request, lambda v: workflow.complete(v["outcome"], v["answer_channel"]),
                                               self), self.tr("Request completed."))
        elif key == "refuse":
            self._step_dialog(RefusalDialog(request, lambda v: workflow.refuse(
                v["reason"], v["authority_notice"], v["answer_channel"]), self), self.tr("Request refused."))
        elif key == "build_package":
            self._run(workflow.build_package(), self.tr("Package built. Save it to send it to the subject."))
        elif key == "execute_erasure" and workflow.plan is not None:
            self._open(ErasureConfirmDialog(workflow.plan, self._execute_erasure, self))
        elif key == "erasure_report" and workflow.erasure is not None:
            self._open(ErasureReportDialog(workflow.erasure, request.number, self))
        elif key == "place_restriction":
            self._step_dialog(TextStepDialog(
                self.tr("Place restriction"),
                self.tr("While restricted, the subject's data is only stored: hidden from hotline and technicians, "
                        "left out of statistics and exports."), self.tr("Reason"),
                self.tr("e.g. the subject contests the accuracy of the billing address"), self.tr("Restrict"),
                lambda v: workflow.place_restriction(v["reason"]), self, key="reason"),
                self.tr("Restriction placed."))
        elif key == "restriction_notice":
            self._step_dialog(ChannelStepDialog(
                self.tr("Notice to the subject"),
                self.tr("Record that the subject was told the restriction will be lifted (Art. 18(3))."),
                self.tr("Record"), lambda v: workflow.record_restriction_notice(v["channel"]), self),
                self.tr("Notice recorded."))
        elif key == "lift_restriction":
            self._step_dialog(TextStepDialog(
                self.tr("Lift restriction"), "", self.tr("Reason"), self.tr("Why the restriction ends"),
                self.tr("Lift"), lambda v: workflow.lift_restriction(v["reason"]), self, key="reason"),
                self.tr("Restriction lifted."))
        elif key == "rectify":
            self.work_status(self.tr("Working…"), "busy")
            self._tasks.start(self._open_rectification())
        elif key == "open_customer" and request.customer_id:
            self.customer_requested.emit(request.customer_id)
        elif key == "notify_recipients":
            self._run(workflow.notify_recipients(RECIPIENT_RIGHTS[request.right]),
                      self.tr("Notices opened for the recipients of the subject's data."))

    async def _execute_erasure(self, values: dict[str, Any]) -> None:
        erasure = await self.workflow.execute_erasure(values["confirm_customer"])
        number = self.workflow.request.number if self.workflow.request else ""
        self.work_status(self.tr("Erasure executed."), "ok")
        # The confirmation closes once this returns; the report opens in its place.
        QTimer.singleShot(0, self, lambda: self._open(ErasureReportDialog(erasure, number, self)))

    async def _open_rectification(self) -> None:
        """Read the subject's record as it is now, then let the officer correct it."""
        try:
            record = await self.workflow.customer_record()
        except StepFailed as failure:
            self.work_status(str(failure), "danger")
            return
        self.work_status("", "ok")
        workflow = self.workflow
        self._step_dialog(RectificationDialog(record, lambda v: workflow.rectify(v["version"], v["changes"]), self),
                          self.tr("The correction is recorded under the request."))

    def _run(self, step: Coroutine[Any, Any, Any], done: str) -> None:
        """Take a step without a dialog: busy meanwhile, then its result or the server's reason."""
        self.work_status(self.tr("Working…"), "busy")
        self._tasks.start(self._take(step, done))

    async def _take(self, step: Coroutine[Any, Any, Any], done: str) -> bool:
        try:
            await step
        except StepFailed as failure:
            self.work_status(str(failure), "danger")
            return False
        self.work_status(done, "ok")
        return True

    def _on_work_package_save_requested(self, package_id: str) -> None:
        self._tasks.start(self._save_package(package_id))

    async def _save_package(self, package_id: str) -> None:
        request = self.workflow.request
        number = request.number if request else "package"
        path = await choose_save_file(self, self.tr("Save package"), f"{number}.zip", self.tr("ZIP archives (*.zip)"))
        if path:
            await self.save_package_to(package_id, path)

    async def save_package_to(self, package_id: str, path: str) -> bool:
        """Download a package into `path` (what "Save…" does once the file is chosen)."""
        self.work_status(self.tr("Downloading…"), "busy")
        return await self._take(self.workflow.save_package(package_id, path),
                                self.tr("Package saved to {path}.").format(path=path))

    def _on_work_withdrawal_requested(self, purpose: str) -> None:
        self._run(self.workflow.withdraw_consent(purpose),
                  self.tr("Consent withdrawn: {purpose}.").format(purpose=PURPOSE_LABELS.label(purpose)))

    def _on_work_notice_step_requested(self, notice_id: str, state: str) -> None:
        workflow = self.workflow
        notice = next((n for n in workflow.notices if n.id == notice_id), None)
        if notice is None:
            return
        if state == "exempted":
            self._step_dialog(TextStepDialog(
                self.tr("Exempt from notice"),
                self.tr("Notifying a recipient may be left out only when it is impossible or involves a "
                        "disproportionate effort (Art. 19). Say why."), self.tr("Justification"),
                self.tr("Why this recipient is not notified"), self.tr("Exempt"),
                lambda v: workflow.update_notice(notice, "exempted", v["justification"]), self,
                key="justification"), self.tr("Recipient exempted."))
            return
        self._run(workflow.update_notice(notice, state),
                  self.tr("{recipient}: {state}.").format(recipient=notice.recipient.name,
                                                          state=NOTICE_STATE_LABELS.label(state)))

    def _on_workflow_changed(self) -> None:
        if self.workflow.request_id == self._selected_id:
            self.detail.show_workflow()

    def _on_workflow_busy_changed(self, busy: bool) -> None:
        self.detail.work.set_busy(busy)

    def _on_workflow_failed(self, message: str) -> None:
        self.work_status(self.tr("Could not load the request: {message}").format(message=message), "danger")

    def _on_workflow_online_changed(self, online: bool) -> None:
        self.new_button.setEnabled(online)
        self.new_button.setToolTip("" if online else self.tr("Needs the server: the console is offline."))
        if self.workflow.request is not None:
            self.detail.show_workflow()

    def _on_new_button_clicked(self) -> None:
        self.new_request()
