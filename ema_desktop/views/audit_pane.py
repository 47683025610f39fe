"""The AUDIT pane: who read or changed whose data, for the privacy officer and administrators.

At the top a banner says whether the trail's hash chain verifies ("Audit trail intact — 12,345
records verified", green; "Audit trail TAMPERED at record N: …", red), checked again on demand.
Under it the filters — subject (a customer found by name or number as the officer types),
operator, action or action family, dates — applied with "Show records"; the records, newest
first, a page at a time ("Load more"); the selected record in full (its detail and hashes); and
"Export…", which saves the server's file for the supervisory authority (CSV, or JSON with the
chain check) where the officer chooses.

The pane loads when it is first shown: every read of the trail is recorded by the server, so a
sign-in alone does not read it. Another pane can ask for one customer's trail (`show_subject`).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QItemSelection, QModelIndex, QStringListModel, Qt, QTimer
from PySide6.QtGui import QFont, QFontDatabase, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QDateEdit,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ema_desktop.backend.audit_trail import AuditQuery
from ema_desktop.backend.problems import describe
from ema_desktop.data.tasks import OwnedTasks
from ema_desktop.models.audit import ACTION_CHOICES, AuditTrailModel, RecordRole, choice_tooltip, query_for
from ema_desktop.views import theme
from ema_desktop.views.questions import choose_save_file

SEARCH_DELAY_MS = 300
"""Typing pauses this long before the subject search asks the server."""
NO_DATE = QDate(2000, 1, 1)
"""The date edits' minimum, shown as "any": no limit on that side."""

_BANNER_STYLES = {
    "ok": (theme.OK, "#e8f3ea"),
    "danger": (theme.DANGER, "#fdecea"),
    "neutral": (theme.MUTED, "#eef1f4"),
}


def _caption(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet(f"color: {theme.MUTED};")
    return label


class AuditPane(QWidget):
    """The audit trail with its filters, the chain banner, a record's detail and the export.

    Signals: none (everything goes through the model).
    """

    def __init__(self, model: AuditTrailModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._tasks = OwnedTasks(self)
        self._started = False
        self._subject_id: str | None = None
        self._found: dict[str, tuple[str, str]] = {}  # completion text -> (customer id, label)

        # --- the chain banner
        self.banner = QLabel()
        self.banner.setObjectName("audit-chain")
        self.banner.setWordWrap(True)
        banner_font = self.banner.font()
        banner_font.setWeight(QFont.Weight.DemiBold)
        self.banner.setFont(banner_font)
        self.check_button = QPushButton(self.tr("Check again"))
        self.check_button.setObjectName("audit-check")
        self.check_button.setToolTip(self.tr("Verify every record of the trail against its hash chain"))
        banner_row = QHBoxLayout()
        banner_row.setSpacing(10)
        banner_row.addWidget(self.banner, 1)
        banner_row.addWidget(self.check_button)

        # --- the filters
        self.subject_edit = QLineEdit()
        self.subject_edit.setObjectName("audit-subject")
        self.subject_edit.setPlaceholderText(self.tr("Anyone — type a customer's name or number"))
        self.subject_edit.setClearButtonEnabled(True)
        self._subject_choices = QStringListModel(self)
        self.subject_completer = QCompleter(self._subject_choices, self)
        self.subject_completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.subject_completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.subject_completer.setMaxVisibleItems(12)
        self.subject_edit.setCompleter(self.subject_completer)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)

        self.operator_box = QComboBox()
        self.operator_box.setObjectName("audit-operator")
        self.operator_box.addItem(self.tr("Any operator"), "")
        self.operator_box.setMinimumContentsLength(16)

        self.action_box = QComboBox()
        self.action_box.setObjectName("audit-action")
        self.action_box.setEditable(True)
        self.action_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.action_box.addItem("")
        for choice in ACTION_CHOICES:
            self.action_box.addItem(choice)
            self.action_box.setItemData(self.action_box.count() - 1, choice_tooltip(choice),
                                        Qt.ItemDataRole.ToolTipRole)
        line_edit = self.action_box.lineEdit()
        if line_edit is not None:
            line_edit.setPlaceholderText(self.tr("Any action, or e.g. privacy_request.*"))
        self.action_box.setMinimumContentsLength(18)

        self.from_edit = self._date_edit("audit-from")
        self.to_edit = self._date_edit("audit-to")
        self.show_button = QPushButton(self.tr("Show records"))
        self.show_button.setObjectName("audit-show")
        self.show_button.setDefault(True)
        self.clear_button = QPushButton(self.tr("Clear filters"))
        self.clear_button.setObjectName("audit-clear")

        filters = QGridLayout()
        filters.setHorizontalSpacing(8)
        filters.setVerticalSpacing(6)
        filters.addWidget(_caption(self.tr("Subject")), 0, 0)
        filters.addWidget(self.subject_edit, 0, 1, 1, 3)
        filters.addWidget(_caption(self.tr("Operator")), 0, 4)
        filters.addWidget(self.operator_box, 0, 5, 1, 3)
        filters.addWidget(_caption(self.tr("Action")), 1, 0)
        filters.addWidget(self.action_box, 1, 1, 1, 3)
        dates = QHBoxLayout()
        dates.setSpacing(8)
        dates.addWidget(self.from_edit)
        dates.addWidget(_caption(self.tr("To")))
        dates.addWidget(self.to_edit)
        dates.addStretch(1)
        dates.addWidget(self.show_button)
        dates.addWidget(self.clear_button)
        filters.addWidget(_caption(self.tr("From")), 1, 4)
        filters.addLayout(dates, 1, 5, 1, 3)
        filters.setColumnStretch(1, 3)
        filters.setColumnStretch(5, 2)

        # --- counts and export
        self.counts = QLabel()
        self.counts.setObjectName("audit-counts")
        counts_font = self.counts.font()
        counts_font.setWeight(QFont.Weight.DemiBold)
        self.counts.setFont(counts_font)
        self.status = QLabel()
        self.status.setObjectName("audit-status")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.export_button = QPushButton(self.tr("Export…"))
        self.export_button.setObjectName("audit-export")
        self.export_button.setToolTip(self.tr("Save the records shown (all pages) for the supervisory authority"))
        self.export_button.setEnabled(False)
        counts_row = QHBoxLayout()
        counts_row.setSpacing(10)
        counts_row.addWidget(self.counts)
        counts_row.addWidget(self.status, 1)
        counts_row.addWidget(self.export_button)

        # --- the records
        self.table = QTableView()
        self.table.setObjectName("audit-records")
        self.table.setModel(model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        columns = self.table.horizontalHeader()
        columns.setHighlightSections(False)
        columns.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for column, width in ((model.TIME, 140), (model.OPERATOR, 230), (model.ACTION, 220), (model.WHAT, 170),
                              (model.ADDRESS, 120)):
            columns.resizeSection(column, width)
        columns.setSectionResizeMode(model.SUBJECT, QHeaderView.ResizeMode.Stretch)
        columns.setMinimumSectionSize(60)
        self.table.setStyleSheet(
            f"QTableView {{ border: 1px solid {theme.BORDER}; border-radius: 3px; }}"
            f"QHeaderView::section {{ background: {theme.WINDOW}; color: {theme.MUTED}; border: none;"
            f" border-bottom: 1px solid {theme.BORDER}; padding: 4px 6px; font-weight: 600; }}"
        )
        self.more_button = QPushButton(self.tr("Load more"))
        self.more_button.setObjectName("audit-more")
        self.more_button.hide()
        self.shown_label = _caption("")
        more_row = QHBoxLayout()
        more_row.addWidget(self.shown_label, 1)
        more_row.addWidget(self.more_button)
        records = QWidget()
        records_layout = QVBoxLayout(records)
        records_layout.setContentsMargins(0, 0, 0, 0)
        records_layout.setSpacing(4)
        records_layout.addWidget(self.table, 1)
        records_layout.addLayout(more_row)

        # --- the selected record
        self.detail = QPlainTextEdit()
        self.detail.setObjectName("audit-detail")
        self.detail.setReadOnly(True)
        self.detail.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.detail.setPlaceholderText(self.tr("Select a record to see it in full: its detail and its hashes."))
        self.detail.setFrameShape(QFrame.Shape.StyledPanel)

        split = QSplitter(Qt.Orientation.Vertical)
        split.setChildrenCollapsible(False)
        split.addWidget(records)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 12)
        layout.setSpacing(8)
        layout.addLayout(banner_row)
        layout.addLayout(filters)
        layout.addLayout(counts_row)
        layout.addWidget(split, 1)

        self.check_button.clicked.connect(self._on_check_button_clicked)
        self.show_button.clicked.connect(self._on_show_button_clicked)
        self.clear_button.clicked.connect(self._on_clear_button_clicked)
        self.export_button.clicked.connect(self._on_export_button_clicked)
        self.more_button.clicked.connect(self._on_more_button_clicked)
        self.subject_edit.textEdited.connect(self._on_subject_edit_text_edited)
        self.subject_edit.returnPressed.connect(self._on_show_button_clicked)
        self.subject_completer.activated.connect(self._on_subject_completer_activated)
        self._search_timer.timeout.connect(self._on_search_timer_timeout)
        if line_edit is not None:
            line_edit.returnPressed.connect(self._on_show_button_clicked)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        model.loading_changed.connect(self._on_model_loading_changed)
        model.loaded.connect(self._on_model_loaded)
        model.failed.connect(self._on_model_failed)
        model.chain_changed.connect(self._on_model_chain_changed)
        model.export_finished.connect(self._on_model_export_finished)
        model.export_failed.connect(self._on_model_export_failed)
        self._show_chain()
        self._update_counts()

    def _date_edit(self, name: str) -> QDateEdit:
        edit = QDateEdit()
        edit.setMinimumWidth(self.fontMetrics().horizontalAdvance("29 Sep 2026") + 50)
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("d MMM yyyy")
        edit.setMinimumDate(NO_DATE)
        edit.setSpecialValueText(self.tr("any"))
        edit.setDate(NO_DATE)
        return edit

    # --- what others call ----------------------------------------------------------------------

    def has_data(self) -> bool:
        return self._model.answered and self._model.chain is not None

    def start_loading(self) -> None:
        """Check the chain, load the first records and the operators, once (the first time shown)."""
        if self._started:
            return
        self._started = True
        self._tasks.start(self._model.check_chain())
        self._tasks.start(self._model.reload(self.filter_query()))
        self._tasks.start(self._load_operators())

    def show_subject(self, customer_id: str, label: str) -> None:
        """Show the trail of one customer's data (e.g. "Show audit trail for this customer")."""
        self._started = True
        if self._model.chain is None and not self._model.checking_chain:
            self._tasks.start(self._model.check_chain())
            self._tasks.start(self._load_operators())
        self._set_subject(customer_id, label)
        self._apply()

    def filter_query(self) -> AuditQuery:
        """What the filter row asks for now (applied by "Show records")."""
        return query_for(
            self._subject_id, str(self.operator_box.currentData() or ""), self.action_box.currentText(),
            self._date_of(self.from_edit), self._date_of(self.to_edit),
        )

    def apply_filters(self) -> None:
        """As "Show records": load the first page under the filters shown."""
        self._apply()

    def export_to(self, path: str) -> None:
        """Save the records matching the filters shown, as CSV, or JSON when `path` ends in .json."""
        export_format = "json" if path.lower().endswith(".json") else "csv"
        self.status.setStyleSheet(f"color: {theme.MUTED};")
        self.status.setText(self.tr("Exporting…"))
        self.export_button.setEnabled(False)
        self._tasks.start(self._export(path, export_format))

    # --- internals ------------------------------------------------------------------------------

    @staticmethod
    def _date_of(edit: QDateEdit) -> date | None:
        picked = edit.date()
        return None if picked == NO_DATE else date(picked.year(), picked.month(), picked.day())

    def _set_subject(self, customer_id: str | None, label: str = "") -> None:
        self._subject_id = customer_id
        if customer_id is not None:
            self._model.name_subject(customer_id, label)
            self.subject_edit.setText(label)
            self.subject_edit.setToolTip(self.tr("Records about {label}").format(label=label))
        else:
            self.subject_edit.setToolTip("")

    def _apply(self) -> None:
        self._search_timer.stop()
        self._tasks.start(self._model.reload(self.filter_query()))

    async def _load_operators(self) -> None:
        try:
            colleagues = await self._model.colleagues()
        except Exception as exc:  # the filter still works with "Any operator"
            self.status.setStyleSheet(f"color: {theme.DANGER};")
            self.status.setText(self.tr("Could not load the operators: {message}").format(message=describe(exc)))
            return
        chosen = self.operator_box.currentData()
        for colleague in colleagues:
            if self.operator_box.findData(colleague.id) < 0:
                self.operator_box.addItem(colleague.display_name, colleague.id)
        index = self.operator_box.findData(chosen)
        self.operator_box.setCurrentIndex(max(index, 0))

    async def _search_subjects(self, text: str) -> None:
        try:
            found = await self._model.find_subjects(text)
        except Exception as exc:  # typing on is the answer; say why nothing is offered
            self.status.setStyleSheet(f"color: {theme.DANGER};")
            self.status.setText(self.tr("Could not search customers: {message}").format(message=describe(exc)))
            return
        if self.subject_edit.text().strip() != text or self._subject_id is not None:
            return  # the officer typed on or picked meanwhile
        self._found = {}
        for customer in found:
            label = f"{customer.name} · {customer.customer_number}"
            shown = label if not customer.company_name or customer.company_name == customer.name \
                else f"{label} ({customer.company_name})"
            self._found[shown] = (customer.id, label)
        self._subject_choices.setStringList(list(self._found))
        if self._found and self.subject_edit.hasFocus():
            self.subject_completer.complete()

    async def _export(self, path: str, export_format: str) -> None:
        try:
            await self._model.export(path, "json" if export_format == "json" else "csv")
        finally:
            self.export_button.setEnabled(self._model.answered)

    async def _ask_and_export(self) -> None:
        suggested = f"audit-trail-{date.today().isoformat()}.csv"
        path = await choose_save_file(self, self.tr("Export audit trail"), suggested,
                                      self.tr("CSV files (*.csv);;JSON with the chain check (*.json)"))
        if path:
            self.export_to(path)

    def _show_chain(self) -> None:
        text, kind = self._model.chain_text()
        colour, background = _BANNER_STYLES[kind]
        self.banner.setText(text)
        self.banner.setProperty("kind", kind)
        self.banner.setStyleSheet(f"color: {colour}; background: {background}; border: 1px solid {colour};"
                                  " border-radius: 4px; padding: 7px 12px;")
        self.check_button.setEnabled(not self._model.checking_chain)

    def _update_counts(self) -> None:
        model = self._model
        if not model.answered:
            self.counts.setText(self.tr("Audit trail"))
            self.shown_label.setText("")
            self.more_button.hide()
            return
        subject = model.query.subject_id
        about = model.subject_label(subject) if subject else None
        if about:
            self.counts.setText(self.tr("Records about {subject}: {n}").format(n=model.total, subject=about))
        else:
            self.counts.setText(self.tr("Matching records: {n}").format(n=model.total))
        self.shown_label.setText(self.tr("Showing {shown} of {total}, newest first").format(
            shown=model.rowCount(), total=model.total))
        self.more_button.setVisible(model.has_more)
        self.more_button.setEnabled(not model.loading)

    # --- slots ---------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.start_loading()

    def _on_check_button_clicked(self) -> None:
        self._tasks.start(self._model.check_chain())

    def _on_show_button_clicked(self) -> None:
        self._apply()

    def _on_clear_button_clicked(self) -> None:
        self._set_subject(None)
        self.subject_edit.clear()
        self.operator_box.setCurrentIndex(0)
        self.action_box.setCurrentIndex(0)
        self.action_box.setEditText("")
        self.from_edit.setDate(NO_DATE)
        self.to_edit.setDate(NO_DATE)
        self._apply()

    def _on_export_button_clicked(self) -> None:
        self._tasks.start(self._ask_and_export())

    def _on_more_button_clicked(self) -> None:
        self._tasks.start(self._model.load_more())

    def _on_subject_edit_text_edited(self, text: str) -> None:
        # Typing replaces the picked customer: the filter holds only someone picked from the list.
        self._set_subject(None)
        if len(text.strip()) >= 2:
            self._search_timer.start()
        else:
            self._search_timer.stop()

    def _on_search_timer_timeout(self) -> None:
        self._tasks.start(self._search_subjects(self.subject_edit.text().strip()))

    def _on_subject_completer_activated(self, text: str) -> None:
        picked = self._found.get(text)
        if picked is None:
            return
        customer_id, label = picked
        self._set_subject(customer_id, label)
        # Set after the completer wrote its own text into the box.
        QTimer.singleShot(0, self, lambda: self.subject_edit.setText(label))

    def _on_table_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = self.table.selectionModel().selectedRows()
        record = rows[0].data(RecordRole) if rows else None
        self.detail.setPlainText(self._model.detail_text(record) if record is not None else "")

    def _on_model_loading_changed(self, loading: bool) -> None:
        self.show_button.setEnabled(not loading)
        self.more_button.setEnabled(not loading)
        if loading:
            self.status.setStyleSheet(f"color: {theme.MUTED};")
            self.status.setText(self.tr("Loading…"))

    def _on_model_loaded(self) -> None:
        self.status.setText("")
        self.export_button.setEnabled(True)
        self._update_counts()
        if not self.table.selectionModel().hasSelection():
            self.detail.clear()

    def _on_model_failed(self, message: str) -> None:
        self.status.setStyleSheet(f"color: {theme.DANGER};")
        self.status.setText(self.tr("Could not load the audit trail: {message}").format(message=message))
        self.status.setToolTip(message)

    def _on_model_chain_changed(self) -> None:
        self._show_chain()

    def _on_model_export_finished(self, path: str) -> None:
        self.status.setStyleSheet(f"color: {theme.OK};")
        self.status.setText(self.tr("Exported to {path}").format(path=path))
        self.status.setToolTip(path)

    def _on_model_export_failed(self, message: str) -> None:
        self.status.setStyleSheet(f"color: {theme.DANGER};")
        self.status.setText(self.tr("The export failed: {message}").format(message=message))
        self.status.setToolTip(message)

    def selected_index(self) -> QModelIndex | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0] if rows else None
