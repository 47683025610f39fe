"""The Retention pane: legal holds, retention periods and retention runs, for the privacy officer
and administrators.

Three tabs. "Legal holds" lists the holds on customers and tickets (active only, or all) with
whom they are on, why, the proceedings' reference, who placed and lifted them; "Place hold…" finds
a customer (by name, number, e-mail, phone) or a ticket (by number or title) and asks for the
reason, "Lift…" asks why the hold ends. "Retention periods" shows each data category's period and
what happens to its records then; an administrator changes them ("Change…"), a privacy officer
only reads them. "Retention runs" lists the recent runs with what they did (or, dry, would have
done); an administrator previews a run ("Preview (dry run)") or starts one ("Run now…", confirmed
first). After each action the lists reload and the status line says what happened.

The pane loads when it is first shown: the server records every listing of holds in the audit
trail, so a sign-in alone does not list them. Dialogs open with `open()`, never a modal `exec()`.
"""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtCore import QItemSelection, QModelIndex, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ema_desktop.backend.problems import describe
from ema_desktop.backend.retention import MAX_PERIOD_DAYS, LegalHold, RetentionPolicy
from ema_desktop.data.tasks import OwnedTasks
from ema_desktop.models.retention import (
    ACTION_LABELS,
    CATEGORY_LABELS,
    HoldRole,
    PolicyRole,
    RetentionModel,
    customer_label,
    period_text,
    ticket_label,
)
from ema_desktop.views import theme
from ema_desktop.views.privacy_step_dialogs import StepDialog, TextStepDialog, text_box
from ema_desktop.views.questions import ask

LOOKUP_DELAY_MS = 300
"""Typing pauses this long before the customer or ticket search asks the server."""
MAX_REASON = 2000
ROW_AIR = 8
"""Pixels added to a row's text height in the lists."""
MAX_REFERENCE = 100


def _caption(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {theme.MUTED};")
    return label


class ProportionalTable(QTableView):
    """A read-only list whose columns share the width in fixed proportions and whose rows grow to
    show wrapped text whole: it reads the same in a narrow dock and across a wide window.

    Signals: only QTableView's.
    """

    def __init__(self, model: Any, name: str, shares: tuple[float, ...], empty_text: str = "") -> None:
        super().__init__()
        self._shares = shares
        self.empty_text = empty_text
        """Said in the middle of the list while it has no rows."""
        self.setObjectName(name)
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.verticalHeader().hide()
        self.verticalHeader().setMinimumSectionSize(self.fontMetrics().height() + 10)
        columns = self.horizontalHeader()
        columns.setHighlightSections(False)
        columns.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        columns.setMinimumSectionSize(40)
        columns.setStretchLastSection(True)
        self.setStyleSheet(
            f"QTableView {{ border: 1px solid {theme.BORDER}; border-radius: 3px; }}"
            f"QHeaderView::section {{ background: {theme.WINDOW}; color: {theme.MUTED}; border: none;"
            f" border-bottom: 1px solid {theme.BORDER}; padding: 4px 6px; font-weight: 600; }}"
        )
        model.modelReset.connect(self._on_model_model_reset)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        width = self.viewport().width()
        total = sum(self._shares)
        for column, share in enumerate(self._shares[:-1]):
            self.horizontalHeader().resizeSection(column, int(width * share / total))
        self.fit_rows()

    def fit_rows(self) -> None:
        """Each row as high as its wrapped text, with a little air."""
        model = self.model()
        for row in range(model.rowCount() if model is not None else 0):
            self.setRowHeight(row, self.sizeHintForRow(row) + ROW_AIR)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # Rows measured while hidden (a tab behind) were measured at other widths.
        QTimer.singleShot(0, self, self.fit_rows)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        model = self.model()
        if self.empty_text and model is not None and model.rowCount() == 0:
            painter = QPainter(self.viewport())
            painter.setPen(QColor(theme.MUTED))
            painter.drawText(self.viewport().rect().adjusted(20, 20, -20, -20),
                             Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.empty_text)
            painter.end()

    def _on_model_model_reset(self) -> None:
        self.fit_rows()


class PlaceHoldDialog(StepDialog):
    """Place a legal hold: on a customer or a ticket found by search, with a reason and a reference.

    Signals: only QDialog's.
    """

    def __init__(self, model: RetentionModel, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Place legal hold"),
                         self.tr("The records of a customer or ticket under a legal hold are kept for the whole "
                                 "proceedings: retention runs and erasure skip them until the hold is lifted."),
                         self.tr("Place hold"), self._place, parent)
        self.setMinimumWidth(620)
        self._model = model
        self._lookups = 0
        self._found: list[tuple[str, str]] = []  # (id, label) of each match shown
        self.chosen: tuple[str, str] | None = None

        self.on_customer = QRadioButton(self.tr("A customer"))
        self.on_customer.setObjectName("hold-on-customer")
        self.on_customer.setChecked(True)
        self.on_ticket = QRadioButton(self.tr("A ticket"))
        self.on_ticket.setObjectName("hold-on-ticket")
        self._kind = QButtonGroup(self)
        self._kind.addButton(self.on_customer)
        self._kind.addButton(self.on_ticket)
        kind_row = QHBoxLayout()
        kind_row.addWidget(self.on_customer)
        kind_row.addWidget(self.on_ticket)
        kind_row.addStretch(1)

        self.lookup = QLineEdit()
        self.lookup.setObjectName("hold-lookup")
        self.lookup.setClearButtonEnabled(True)
        self.matches = QListWidget()
        self.matches.setObjectName("hold-matches")
        self.matches.setMinimumHeight(self.matches.fontMetrics().lineSpacing() * 6 + 12)
        self.lookup_status = _caption("")
        self._lookup_timer = QTimer(self)
        self._lookup_timer.setSingleShot(True)
        self._lookup_timer.setInterval(LOOKUP_DELAY_MS)
        find_box = QWidget()
        find_layout = QVBoxLayout(find_box)
        find_layout.setContentsMargins(0, 0, 0, 0)
        find_layout.setSpacing(4)
        find_layout.addLayout(kind_row)
        find_layout.addWidget(self.lookup)
        find_layout.addWidget(self.matches)
        find_layout.addWidget(self.lookup_status)

        self.reason = text_box(self.tr("The proceedings: a lawsuit, a dispute, an authority's investigation"), 3)
        self.reason.setObjectName("hold-reason")
        self.reference = QLineEdit()
        self.reference.setObjectName("hold-reference")
        self.reference.setMaxLength(MAX_REFERENCE)
        self.reference.setPlaceholderText(self.tr("Optional: case number, authority, court"))
        self.form.addRow(self.tr("Hold on"), find_box)
        self.form.addRow(self.tr("Reason"), self.reason)
        self.form.addRow(self.tr("Reference"), self.reference)

        self.on_customer.toggled.connect(self._on_on_customer_toggled)
        self.lookup.textEdited.connect(self._on_lookup_text_edited)
        self._lookup_timer.timeout.connect(self._on_lookup_timer_timeout)
        self.matches.currentRowChanged.connect(self._on_matches_current_row_changed)
        self.reason.textChanged.connect(self.refresh)
        self._show_kind()
        self.refresh()

    def values(self) -> dict[str, Any]:
        chosen_id, label = self.chosen if self.chosen is not None else ("", "")
        on_customer = self.on_customer.isChecked()
        return {"customer_id": chosen_id if on_customer else None, "ticket_id": None if on_customer else chosen_id,
                "label": label, "reason": self.reason.toPlainText().strip(),
                "reference": self.reference.text().strip() or None}

    def missing(self) -> str | None:
        if self.chosen is None:
            if self.on_customer.isChecked():
                return self.tr("Find and choose the customer the hold is on.")
            return self.tr("Find and choose the ticket the hold is on.")
        reason = self.reason.toPlainText().strip()
        if not reason:
            return self.tr("Give the reason for the hold: the proceedings it is for.")
        if len(reason) > MAX_REASON:
            return self.tr("The reason may have at most {n} characters.").format(n=MAX_REASON)
        return None

    async def _place(self, values: dict[str, Any]) -> None:
        await self._model.place_hold(**values)

    def look_up(self, text: str) -> None:
        """Search now for `text` (what typing does after a pause)."""
        self.lookup.setText(text)
        self._lookup_timer.stop()
        self._start_lookup()

    def choose(self, row: int) -> None:
        """Take the `row`-th match as what the hold is on."""
        self.matches.setCurrentRow(row)

    def found(self) -> list[tuple[str, str]]:
        """The matches shown: (id, label)."""
        return list(self._found)

    def _show_kind(self) -> None:
        if self.on_customer.isChecked():
            self.lookup.setPlaceholderText(self.tr("Customer's name, number, e-mail or phone"))
        else:
            self.lookup.setPlaceholderText(self.tr("Ticket number or words of its title"))

    def _start_lookup(self) -> None:
        text = self.lookup.text().strip()
        self._lookups += 1
        if len(text) < 2:
            self._show_found([])
            self.lookup_status.setText("")
            return
        self.lookup_status.setText(self.tr("Searching…"))
        self._tasks.start(self._lookup(text, self.on_customer.isChecked(), self._lookups))

    async def _lookup(self, text: str, customers: bool, generation: int) -> None:
        try:
            if customers:
                found = [(c.id, customer_label(c)) for c in await self._model.find_customers(text)]
            else:
                found = [(t.id, ticket_label(t.number, t.title)) for t in await self._model.find_tickets(text)]
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # typing on is the answer; say why nothing is offered
            if generation == self._lookups:
                self.lookup_status.setText(self.tr("Could not search: {message}").format(message=describe(exc)))
            return
        if generation != self._lookups:
            return
        self._show_found(found)
        if not found:
            self.lookup_status.setText(self.tr("Nothing matches."))
        else:
            self.lookup_status.setText(self.tr("{n} found: choose one.").format(n=len(found)))

    def _show_found(self, found: list[tuple[str, str]]) -> None:
        self._found = found
        self.matches.clear()
        self.matches.addItems([label for _id, label in found])
        self.chosen = None
        self.refresh()

    def _on_on_customer_toggled(self, _checked: bool) -> None:
        self._show_kind()
        self._start_lookup()

    def _on_lookup_text_edited(self, _text: str) -> None:
        self._lookup_timer.start()

    def _on_lookup_timer_timeout(self) -> None:
        self._start_lookup()

    def _on_matches_current_row_changed(self, row: int) -> None:
        self.chosen = self._found[row] if 0 <= row < len(self._found) else None
        self.refresh()


class PolicyDialog(StepDialog):
    """Change one category's retention period and action (administrators).

    Signals: only QDialog's.
    """

    def __init__(self, model: RetentionModel, policy: RetentionPolicy, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Change retention period"), policy.description, self.tr("Save"), self._save, parent)
        self._model = model
        self._policy = policy
        self.days = QSpinBox()
        self.days.setObjectName("policy-days")
        self.days.setRange(1, MAX_PERIOD_DAYS)
        self.days.setValue(policy.period_days)
        self.days.setSuffix(self.tr(" days"))
        self.days_text = _caption(period_text(policy.period_days))
        days_row = QHBoxLayout()
        days_row.addWidget(self.days)
        days_row.addWidget(self.days_text, 1)
        self.action = QComboBox()
        self.action.setObjectName("policy-action")
        for action in policy.actions:
            self.action.addItem(ACTION_LABELS.label(action), action)
        self.action.setCurrentIndex(max(self.action.findData(policy.action), 0))
        self.form.addRow(self.tr("Category"), QLabel(CATEGORY_LABELS.label(policy.category)))
        self.form.addRow(self.tr("Kept for"), days_row)
        self.form.addRow(self.tr("Then"), self.action)
        self.days.valueChanged.connect(self._on_days_value_changed)
        self.action.currentIndexChanged.connect(self._on_action_current_index_changed)
        self.refresh()

    def values(self) -> dict[str, Any]:
        return {"category": self._policy.category, "period_days": self.days.value(),
                "action": str(self.action.currentData())}

    def missing(self) -> str | None:
        if self.days.value() == self._policy.period_days and self.action.currentData() == self._policy.action:
            return self.tr("Change the period or the action to save.")
        return None

    async def _save(self, values: dict[str, Any]) -> None:
        await self._model.set_policy(values["category"], values["period_days"], values["action"])

    def _on_days_value_changed(self, days: int) -> None:
        self.days_text.setText(period_text(days))
        self.refresh()

    def _on_action_current_index_changed(self, _index: int) -> None:
        self.refresh()


class RetentionPane(QWidget):
    """Legal holds, retention periods and retention runs in three tabs.

    Signals: none (everything goes through the model).
    """

    def __init__(self, model: RetentionModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._tasks = OwnedTasks(self)
        self._started = False
        self.dialog: StepDialog | None = None
        admin = model.may_administer

        # --- status line
        self.status = QLabel()
        self.status.setObjectName("retention-status")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reload_button = QPushButton(self.tr("Reload"))
        self.reload_button.setObjectName("retention-reload")

        # --- legal holds
        self.active_only = QCheckBox(self.tr("Active holds only"))
        self.active_only.setObjectName("holds-active-only")
        self.active_only.setChecked(model.active_only)
        self.place_button = QPushButton(self.tr("Place hold…"))
        self.place_button.setObjectName("holds-place")
        self.lift_button = QPushButton(self.tr("Lift…"))
        self.lift_button.setObjectName("holds-lift")
        self.lift_button.setEnabled(False)
        self.lift_button.setToolTip(self.tr("End the selected hold, with the reason"))
        self.holds_count = _caption("")
        holds_bar = QHBoxLayout()
        holds_bar.addWidget(self.active_only)
        holds_bar.addSpacing(12)
        holds_bar.addWidget(self.holds_count, 1)
        holds_bar.addWidget(self.place_button)
        holds_bar.addWidget(self.lift_button)
        self.holds_table = ProportionalTable(model.holds, "holds-table", (0.22, 0.24, 0.12, 0.14, 0.14, 0.14),
                                             self.tr("No legal holds to show."))
        holds_tab = QWidget()
        holds_layout = QVBoxLayout(holds_tab)
        holds_layout.setContentsMargins(8, 8, 8, 8)
        holds_layout.addWidget(_caption(self.tr(
            "A legal hold keeps every record of a customer or a ticket for the whole proceedings: "
            "retention runs and erasure skip them until the hold is lifted.")))
        holds_layout.addLayout(holds_bar)
        holds_layout.addWidget(self.holds_table, 1)

        # --- retention periods
        self.edit_button: QPushButton | None = None
        policies_bar = QHBoxLayout()
        if admin:
            policies_note = self.tr("Select a category and choose Change… to set how long its records are kept "
                                    "and what happens to them then.")
        else:
            policies_note = self.tr("Only an administrator can change the retention periods.")
        self.policies_note = _caption(policies_note)
        policies_bar.addWidget(self.policies_note, 1)
        if admin:
            self.edit_button = QPushButton(self.tr("Change…"))
            self.edit_button.setObjectName("policies-edit")
            self.edit_button.setEnabled(False)
            policies_bar.addWidget(self.edit_button)
        self.policies_table = ProportionalTable(model.policies, "policies-table", (0.2, 0.16, 0.13, 0.51))
        policies_tab = QWidget()
        policies_layout = QVBoxLayout(policies_tab)
        policies_layout.setContentsMargins(8, 8, 8, 8)
        policies_layout.addLayout(policies_bar)
        policies_layout.addWidget(self.policies_table, 1)

        # --- retention runs
        self.preview_button: QPushButton | None = None
        self.run_button: QPushButton | None = None
        runs_bar = QHBoxLayout()
        runs_bar.addWidget(_caption(self.tr(
            "The retention job runs daily; each run deletes, anonymises or restricts what has expired, "
            "except what a legal hold keeps.")), 1)
        if admin:
            self.preview_button = QPushButton(self.tr("Preview (dry run)"))
            self.preview_button.setObjectName("runs-preview")
            self.preview_button.setToolTip(self.tr("Count what would expire now, changing nothing"))
            self.run_button = QPushButton(self.tr("Run now…"))
            self.run_button.setObjectName("runs-run")
            runs_bar.addWidget(self.preview_button)
            runs_bar.addWidget(self.run_button)
        self.runs_table = ProportionalTable(model.runs, "runs-table", (0.11, 0.11, 0.13, 0.13, 0.22, 0.3),
                                            self.tr("No retention run yet. The daily run and every run started here "
                                                    "are listed with what they did."))
        runs_tab = QWidget()
        runs_layout = QVBoxLayout(runs_tab)
        runs_layout.setContentsMargins(8, 8, 8, 8)
        runs_layout.addLayout(runs_bar)
        runs_layout.addWidget(self.runs_table, 1)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("retention-tabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(holds_tab, self.tr("Legal holds"))
        self.tabs.addTab(policies_tab, self.tr("Retention periods"))
        self.tabs.addTab(runs_tab, self.tr("Retention runs"))
        self.tabs.setCornerWidget(self.reload_button, Qt.Corner.TopRightCorner)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 12)
        layout.setSpacing(8)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)

        self.reload_button.clicked.connect(self._on_reload_button_clicked)
        self.active_only.toggled.connect(self._on_active_only_toggled)
        self.place_button.clicked.connect(self._on_place_button_clicked)
        self.lift_button.clicked.connect(self._on_lift_button_clicked)
        self.holds_table.selectionModel().selectionChanged.connect(self._on_holds_selection_changed)
        if self.edit_button is not None:
            self.edit_button.clicked.connect(self._on_edit_button_clicked)
            self.policies_table.selectionModel().selectionChanged.connect(self._on_policies_selection_changed)
            self.policies_table.doubleClicked.connect(self._on_policies_table_double_clicked)
        if self.preview_button is not None and self.run_button is not None:
            self.preview_button.clicked.connect(self._on_preview_button_clicked)
            self.run_button.clicked.connect(self._on_run_button_clicked)
        model.loading_changed.connect(self._on_model_loading_changed)
        model.loaded.connect(self._on_model_loaded)
        model.failed.connect(self._on_model_failed)
        model.done.connect(self._on_model_done)
        model.holds.modelReset.connect(self._on_holds_model_reset)

    # --- what others call ----------------------------------------------------------------------

    def has_data(self) -> bool:
        return self._model.answered

    def start_loading(self) -> None:
        """Load holds, periods and runs, once (the first time shown)."""
        if self._started:
            return
        self._started = True
        self._tasks.start(self._model.reload())

    def selected_hold(self) -> LegalHold | None:
        rows = self.holds_table.selectionModel().selectedRows()
        hold = rows[0].data(HoldRole) if rows else None
        return hold if isinstance(hold, LegalHold) else None

    def selected_policy(self) -> RetentionPolicy | None:
        rows = self.policies_table.selectionModel().selectedRows()
        policy = rows[0].data(PolicyRole) if rows else None
        return policy if isinstance(policy, RetentionPolicy) else None

    def place_hold(self) -> PlaceHoldDialog:
        """Open the dialog that places a hold ("Place hold…")."""
        dialog = PlaceHoldDialog(self._model, self)
        self._open(dialog)
        return dialog

    def lift_selected(self) -> StepDialog | None:
        """Open the dialog that lifts the selected active hold ("Lift…")."""
        hold = self.selected_hold()
        if hold is None or not hold.active:
            return None

        async def lift(values: dict[str, Any]) -> None:
            await self._model.lift_hold(hold, str(values["reason"]))

        dialog = TextStepDialog(
            self.tr("Lift legal hold"),
            self.tr("The hold on {on} ends: its records fall under the retention periods again.").format(
                on=self._model.holds.on_text(hold)),
            self.tr("Why it is lifted"), self.tr("E.g. the proceedings ended with a final judgment"),
            self.tr("Lift hold"), lift, self, key="reason", max_length=MAX_REASON)
        dialog.text.setObjectName("lift-reason")
        self._open(dialog)
        return dialog

    def edit_selected_policy(self) -> StepDialog | None:
        """Open the period editor for the selected category (administrators)."""
        policy = self.selected_policy()
        if policy is None or not self._model.may_administer:
            return None
        dialog = PolicyDialog(self._model, policy, self)
        self._open(dialog)
        return dialog

    # --- internals ------------------------------------------------------------------------------

    def _open(self, dialog: StepDialog) -> None:
        self.dialog = dialog
        dialog.finished.connect(self._on_dialog_finished)
        dialog.open()

    def _say(self, text: str, colour: str) -> None:
        self.status.setStyleSheet(f"color: {colour};")
        self.status.setText(text)
        self.status.setToolTip(text)

    def _update_holds(self) -> None:
        count = self._model.holds.rowCount()
        if self._model.active_only:
            self.holds_count.setText(self.tr("Active holds: {n}").format(n=count))
        else:
            active = sum(1 for hold in self._model.holds.holds() if hold.active)
            self.holds_count.setText(self.tr("Holds: {n}, of them active: {active}").format(n=count, active=active))
        hold = self.selected_hold()
        self.lift_button.setEnabled(hold is not None and hold.active)

    def _update_run_buttons(self) -> None:
        busy = self._model.running
        for button in (self.preview_button, self.run_button):
            if button is not None:
                button.setEnabled(not busy)

    async def _confirm_and_run(self) -> None:
        answer = await ask(
            self, self.tr("Run retention now"),
            self.tr("Run the retention job now? Expired records will be deleted, anonymised or restricted "
                    "for real; records under a legal hold are kept."),
            [("run", self.tr("Run now")), ("cancel", self.tr("Cancel"))],
            informative=self.tr("A dry run shows first what would happen, changing nothing."),
            warning=True, default="cancel")
        if answer == "run":
            await self._run(dry_run=False)

    async def _run(self, dry_run: bool) -> None:
        self._say(self.tr("Dry run under way…") if dry_run else self.tr("Retention run under way…"), theme.MUTED)
        self._update_run_buttons()
        try:
            await self._model.start_run(dry_run)
        finally:
            self._update_run_buttons()

    # --- slots ---------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.start_loading()

    def _on_reload_button_clicked(self) -> None:
        self._say("", theme.MUTED)
        self._tasks.start(self._model.reload())

    def _on_active_only_toggled(self, checked: bool) -> None:
        self._tasks.start(self._model.show_active_only(checked))

    def _on_place_button_clicked(self) -> None:
        self.place_hold()

    def _on_lift_button_clicked(self) -> None:
        self.lift_selected()

    def _on_edit_button_clicked(self) -> None:
        self.edit_selected_policy()

    def _on_policies_table_double_clicked(self, _index: QModelIndex) -> None:
        self.edit_selected_policy()

    def _on_preview_button_clicked(self) -> None:
        self._tasks.start(self._run(dry_run=True))

    def _on_run_button_clicked(self) -> None:
        self._tasks.start(self._confirm_and_run())

    def _on_holds_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._update_holds()

    def _on_policies_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        if self.edit_button is not None:
            self.edit_button.setEnabled(self.selected_policy() is not None)

    def _on_holds_model_reset(self) -> None:
        self._update_holds()

    def _on_dialog_finished(self, _code: int) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is not None:
            dialog.deleteLater()

    def _on_model_loading_changed(self, loading: bool) -> None:
        self.reload_button.setEnabled(not loading)
        self._update_run_buttons()

    def _on_model_loaded(self) -> None:
        self._update_holds()
        if self.edit_button is not None:
            self.edit_button.setEnabled(self.selected_policy() is not None)

    def _on_model_failed(self, message: str) -> None:
        self._say(message, theme.DANGER)

    def _on_model_done(self, message: str) -> None:
        self._say(message, theme.OK)

