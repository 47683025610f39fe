"""The "Prepare for field" dialog: choose what to take offline, see how much it is, follow the download.

The operator picks regions, their own open tickets and customers (found through the search the
console passes in); the dialog asks the injected `preview` what that pins, a moment after each
change, and shows the counts before anything is downloaded. "Prepare" emits `prepare_requested`
with the FieldSelection: the console runs `cache.field.prepare_for_field` and feeds the dialog
`show_progress`, then `show_report` (or `show_stopped` after a cancel, `show_error` on failure).
The dialog itself downloads nothing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from PySide6.QtCore import QLocale, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ema_desktop.backend.problems import describe
from ema_desktop.backend.records import CustomerSummary
from ema_desktop.cache.field import FieldFailure, FieldProgress, FieldReport, FieldSelection, PinnedSet
from ema_desktop.data.tasks import OwnedTasks
from ema_desktop.views import theme

CustomerSearch = Callable[[str], Awaitable[list[CustomerSummary]]]
SelectionPreview = Callable[[FieldSelection], Awaitable[PinnedSet]]

# Wait this long after the last keystroke or click before asking: typing "novák" asks once.
SEARCH_DELAY_MS = 300
PREVIEW_DELAY_MS = 250
# Failures listed one by one in the report; the rest are counted.
LISTED_FAILURES = 5
_ID_ROLE = Qt.ItemDataRole.UserRole


class PrepareForFieldDialog(QDialog):
    """Chooses the field set, previews its size, shows the download's progress and its report.

    Signals:
        prepare_requested(object): the operator started preparing this FieldSelection.
        cancel_requested(): the operator wants the running prepare stopped.
    """

    prepare_requested = Signal(object)
    cancel_requested = Signal()

    def __init__(self, regions: Sequence[str], search: CustomerSearch, preview: SelectionPreview,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._search = search
        self._preview = preview
        self._tasks = OwnedTasks(self)
        self._chosen: dict[str, CustomerSummary] = {}
        self._search_generation = 0
        self._preview_generation = 0
        self._state = "choosing"  # choosing, preparing, stopping, done
        self.pinned: PinnedSet | None = None
        """The last preview's answer (None while counting or with nothing chosen)."""

        self.setWindowTitle(self.tr("Prepare for field — EMA Console"))
        self.setMinimumWidth(760)
        # Room for all fourteen regions and a readable result list from the start (the word-wrapped
        # labels make the layout's own first guess too short).
        self.resize(860, 680)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 14)
        layout.setSpacing(12)

        title = QLabel(self.tr("Prepare for field"))
        title.setStyleSheet(f"font-size: 14pt; font-weight: 600; color: {theme.ACCENT};")
        layout.addWidget(title)
        intro = QLabel(self.tr(
            "Choose what to take offline. It stays on this computer whatever its age, with 7 days of "
            "telemetry of every charging station and the attachments of the open tickets."))
        intro.setWordWrap(True)
        intro.setStyleSheet(f"color: {theme.MUTED};")
        layout.addWidget(intro)

        columns = QHBoxLayout()
        columns.setSpacing(12)
        layout.addLayout(columns, 1)

        regions_box = QGroupBox(self.tr("Regions"))
        regions_layout = QVBoxLayout(regions_box)
        self.regions_list = QListWidget()
        self.regions_list.setObjectName("field-regions")
        self.regions_list.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        for region in regions:
            item = QListWidgetItem(region)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.regions_list.addItem(item)
        self.regions_list.setMinimumHeight(160)
        self.regions_list.itemChanged.connect(self._on_regions_item_changed)
        regions_layout.addWidget(self.regions_list)
        self.my_tickets = QCheckBox(self.tr("My assigned tickets"))
        self.my_tickets.setToolTip(self.tr("Your open tickets, with their customers and stations"))
        self.my_tickets.toggled.connect(self._on_my_tickets_toggled)
        regions_layout.addWidget(self.my_tickets)
        columns.addWidget(regions_box, 2)

        customers_box = QGroupBox(self.tr("Customers"))
        customers_layout = QVBoxLayout(customers_box)
        self.customer_search = QLineEdit()
        self.customer_search.setPlaceholderText(self.tr("Find by name, customer number, phone, e-mail…"))
        self.customer_search.setClearButtonEnabled(True)
        self.customer_search.textChanged.connect(self._on_customer_search_text_changed)
        self.customer_search.returnPressed.connect(self._on_customer_search_return_pressed)
        customers_layout.addWidget(self.customer_search)
        self.search_results = QListWidget()
        self.search_results.setObjectName("field-search-results")
        self.search_results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.search_results.itemActivated.connect(self._on_search_results_item_activated)
        self.search_results.itemDoubleClicked.connect(self._on_search_results_item_activated)
        self.search_results.currentRowChanged.connect(self._on_search_results_current_changed)
        customers_layout.addWidget(self.search_results, 1)
        self.search_status = QLabel(self.tr("Type to find a customer, then add them."))
        self.search_status.setStyleSheet(f"color: {theme.MUTED};")
        self.add_button = QPushButton(self.tr("Add"))
        self.add_button.setEnabled(False)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        search_row = QHBoxLayout()
        search_row.addWidget(self.search_status, 1)
        search_row.addWidget(self.add_button)
        customers_layout.addLayout(search_row)
        chosen_label = QLabel(self.tr("Chosen customers"))
        chosen_label.setStyleSheet("font-weight: 600;")
        customers_layout.addWidget(chosen_label)
        self.chosen_list = QListWidget()
        self.chosen_list.setObjectName("field-chosen-customers")
        self.chosen_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.chosen_list.setMaximumHeight(110)
        self.chosen_list.currentRowChanged.connect(self._on_chosen_list_current_changed)
        customers_layout.addWidget(self.chosen_list)
        self.remove_button = QPushButton(self.tr("Remove"))
        self.remove_button.setEnabled(False)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        remove_row = QHBoxLayout()
        remove_row.addStretch(1)
        remove_row.addWidget(self.remove_button)
        customers_layout.addLayout(remove_row)
        columns.addWidget(customers_box, 3)

        self.summary = QLabel()
        self.summary.setObjectName("field-summary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setStyleSheet(
            f"background: {theme.ACCENT_LIGHT}; border: 1px solid {theme.BORDER}; border-radius: 4px; padding: 8px;")
        layout.addWidget(self.summary)

        self.progress_panel = QFrame()
        progress_layout = QGridLayout(self.progress_panel)
        progress_layout.setContentsMargins(0, 0, 0, 0)
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.progress_text = QLabel()
        self.progress_text.setStyleSheet(f"color: {theme.MUTED};")
        progress_layout.addWidget(self.progress, 0, 0)
        progress_layout.addWidget(self.progress_text, 1, 0)
        self.progress_panel.setVisible(False)
        layout.addWidget(self.progress_panel)

        self.report = QLabel()
        self.report.setObjectName("field-report")
        self.report.setWordWrap(True)
        self.report.setTextFormat(Qt.TextFormat.PlainText)
        self.report.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.report.setVisible(False)
        layout.addWidget(self.report)

        self.buttons = QDialogButtonBox()
        self.prepare_button = self.buttons.addButton(self.tr("Prepare"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.prepare_button.setDefault(True)
        self.prepare_button.clicked.connect(self._on_prepare_button_clicked)
        self.cancel_button = self.buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.cancel_button.clicked.connect(self._on_cancel_button_clicked)
        layout.addWidget(self.buttons)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._on_search_timer_timeout)
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self._on_preview_timer_timeout)
        self._show_summary()

    # --- what is chosen ----------------------------------------------------------------------

    def selection(self) -> FieldSelection:
        regions = [item.text() for item in self._items(self.regions_list)
                   if item.checkState() == Qt.CheckState.Checked]
        return FieldSelection(regions=regions, my_tickets=self.my_tickets.isChecked(),
                              customer_ids=list(self._chosen))

    def chosen_customers(self) -> list[CustomerSummary]:
        return list(self._chosen.values())

    def set_region_checked(self, region: str, checked: bool) -> None:
        for item in self._items(self.regions_list):
            if item.text() == region:
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def add_customer(self, customer: CustomerSummary) -> None:
        if customer.id in self._chosen:
            return
        self._chosen[customer.id] = customer
        item = QListWidgetItem(_customer_text(customer))
        item.setData(_ID_ROLE, customer.id)
        self.chosen_list.addItem(item)
        self._selection_changed()

    def remove_customer(self, customer_id: str) -> None:
        if self._chosen.pop(customer_id, None) is None:
            return
        for row in range(self.chosen_list.count()):
            if self.chosen_list.item(row).data(_ID_ROLE) == customer_id:
                self.chosen_list.takeItem(row)
                break
        self._selection_changed()

    @staticmethod
    def _items(widget: QListWidget) -> list[QListWidgetItem]:
        return [widget.item(row) for row in range(widget.count())]

    def _selection_changed(self) -> None:
        self.pinned = None
        self._preview_generation += 1
        self._preview_timer.start()
        self._show_summary(counting=not self.selection().is_empty)

    # --- slots: choosing ----------------------------------------------------------------------

    def _on_regions_item_changed(self, _item: QListWidgetItem) -> None:
        self._selection_changed()

    def _on_my_tickets_toggled(self, _checked: bool) -> None:
        self._selection_changed()

    def _on_customer_search_text_changed(self, _text: str) -> None:
        self._search_generation += 1
        self._search_timer.start()

    def _on_customer_search_return_pressed(self) -> None:
        if self.search_results.count() and not self._search_timer.isActive():
            self._add_current_result()
        else:
            self._search_timer.stop()
            self._on_search_timer_timeout()

    def _on_search_timer_timeout(self) -> None:
        query = self.customer_search.text().strip()
        self._search_generation += 1
        if not query:
            self.search_results.clear()
            self.search_status.setText(self.tr("Type to find a customer, then add them."))
            return
        self.search_status.setText(self.tr("Searching…"))
        self._tasks.start(self._run_search(query, self._search_generation))

    async def _run_search(self, query: str, generation: int) -> None:
        try:
            found = await self._search(query)
        except Exception as exc:  # a failed search is a message, never a crash of the dialog
            if generation == self._search_generation:
                self.search_status.setText(describe(exc))
            return
        if generation != self._search_generation:
            return  # the operator typed on meanwhile
        self.search_results.clear()
        for customer in found:
            item = QListWidgetItem(_customer_text(customer))
            item.setData(_ID_ROLE, customer)
            if customer.id in self._chosen:
                item.setForeground(self.palette().placeholderText())
            self.search_results.addItem(item)
        if found:
            self.search_results.setCurrentRow(0)
            self.search_status.setText(self.tr("Double-click or press Add to choose."))
        else:
            self.search_status.setText(self.tr("No customer matches."))

    def _on_search_results_item_activated(self, item: QListWidgetItem) -> None:
        customer = item.data(_ID_ROLE)
        if isinstance(customer, CustomerSummary):
            self.add_customer(customer)

    def _on_search_results_current_changed(self, row: int) -> None:
        self.add_button.setEnabled(row >= 0 and self._state == "choosing")

    def _on_add_button_clicked(self) -> None:
        self._add_current_result()

    def _add_current_result(self) -> None:
        item = self.search_results.currentItem()
        if item is not None:
            self._on_search_results_item_activated(item)

    def _on_chosen_list_current_changed(self, row: int) -> None:
        self.remove_button.setEnabled(row >= 0 and self._state == "choosing")

    def _on_remove_button_clicked(self) -> None:
        item = self.chosen_list.currentItem()
        if item is not None:
            self.remove_customer(str(item.data(_ID_ROLE)))

    # --- preview ------------------------------------------------------------------------------

    def _on_preview_timer_timeout(self) -> None:
        selection = self.selection()
        if selection.is_empty:
            self._show_summary()
            return
        self._tasks.start(self._run_preview(selection, self._preview_generation))

    async def _run_preview(self, selection: FieldSelection, generation: int) -> None:
        try:
            pinned = await self._preview(selection)
        except Exception as exc:
            if generation == self._preview_generation:
                self._show_summary(error=describe(exc))
            return
        if generation != self._preview_generation:
            return
        self.pinned = pinned
        self._show_summary()

    def _show_summary(self, *, counting: bool = False, error: str = "") -> None:
        empty = self.selection().is_empty
        if error:
            text = self.tr("Could not count the selection: {error}").format(error=error)
        elif empty:
            text = self.tr("Choose regions, your assigned tickets or customers to see what will be kept offline.")
        elif counting or self.pinned is None:
            text = self.tr("Counting what this selection keeps offline…")
        else:
            text = self._pinned_text(self.pinned)
        self.summary.setText(text)
        if self._state == "choosing":
            self.prepare_button.setEnabled(not empty)

    def _pinned_text(self, pinned: PinnedSet) -> str:
        if pinned.is_empty:
            return self.tr("Nothing to keep: no customer, station or open ticket matches this selection.")
        others = len(pinned.devices) - len(pinned.stations)
        parts = [self._count("customer", len(pinned.customers)), self._count("station", len(pinned.stations))]
        if others:
            parts.append(self._count("other_device", others))
        parts.append(self._count("open_ticket", len(pinned.tickets)))
        return self.tr("Will be kept offline: {parts}.").format(parts=", ".join(parts))

    def _count(self, what: str, n: int) -> str:
        """"1 customer", "38 customers": one source text per form, so each language words both."""
        one = n == 1
        if what == "customer":
            return self.tr("%Ln customer", "", n) if one else self.tr("%Ln customers", "", n)
        if what == "station":
            return self.tr("%Ln charging station", "", n) if one else self.tr("%Ln charging stations", "", n)
        if what == "other_device":
            return self.tr("%Ln other device", "", n) if one else self.tr("%Ln other devices", "", n)
        if what == "open_ticket":
            return self.tr("%Ln open ticket", "", n) if one else self.tr("%Ln open tickets", "", n)
        if what == "attachment":
            return self.tr("%Ln attachment", "", n) if one else self.tr("%Ln attachments", "", n)
        if what == "point":
            return self.tr("%Ln point", "", n) if one else self.tr("%Ln points", "", n)
        if what == "item":
            return self.tr("%Ln item", "", n) if one else self.tr("%Ln items", "", n)
        if what == "history":
            return (self.tr("telemetry of %Ln station", "", n) if one
                    else self.tr("telemetry of %Ln stations", "", n))
        raise ValueError(what)

    # --- preparing ----------------------------------------------------------------------------

    def _on_prepare_button_clicked(self) -> None:
        selection = self.selection()
        if selection.is_empty or self._state != "choosing":
            return
        self._set_state("preparing")
        self.report.setVisible(False)
        self.progress_panel.setVisible(True)
        self.progress.setRange(0, 0)
        self.progress_text.setText(self.tr("Pinning the selection…"))
        self.prepare_requested.emit(selection)

    def _on_cancel_button_clicked(self) -> None:
        if self._state == "preparing":
            self._set_state("stopping")
            self.progress_text.setText(self.tr("Stopping… what was downloaded so far stays."))
            self.cancel_requested.emit()
        elif self._state == "choosing":
            self.reject()

    def show_progress(self, progress: FieldProgress) -> None:
        """Show how far the prepare got (connect `prepare_for_field`'s on_progress here)."""
        if self._state not in ("preparing", "stopping"):
            return
        if progress.total <= 0:
            self.progress.setRange(0, 0)
            if progress.kind == "pins":
                self.progress_text.setText(self.tr("Selection pinned; checking what is missing…"))
            return
        self.progress.setRange(0, progress.total)
        self.progress.setValue(progress.done)
        self.progress.setFormat(self.tr("%v of %m"))
        if self._state == "stopping":
            return
        if progress.kind == "telemetry":
            what = self.tr("telemetry of {station}").format(station=progress.label)
        elif progress.kind == "attachment":
            what = self.tr("attachment {name}").format(name=progress.label)
        else:
            what = ""
        self.progress_text.setText(self.tr("Downloading… last: {what}").format(what=what) if what
                                   else self.tr("Downloading…"))

    def show_report(self, report: FieldReport) -> None:
        """The prepare finished: say in plain words what is on this computer now."""
        self._set_state("done")
        self.progress_panel.setVisible(False)
        self.report.setText(self.report_text(report))
        colour = theme.WARNING if report.failures else theme.OK
        self.report.setStyleSheet(
            f"border-left: 4px solid {colour}; background: {theme.BASE}; padding: 8px 10px;")
        self.report.setVisible(True)
        self.summary.setVisible(False)

    def show_stopped(self) -> None:
        """The prepare was cancelled: back to choosing; a new prepare continues where this one stopped."""
        self._set_state("choosing")
        self.progress_panel.setVisible(False)
        self.report.setText(self.tr("Stopped. What was downloaded stays on this computer; "
                                    "prepare again to fetch the rest."))
        self.report.setStyleSheet(f"border-left: 4px solid {theme.WARNING}; padding: 8px 10px;")
        self.report.setVisible(True)

    def show_error(self, message: str) -> None:
        """The prepare failed as a whole (the local store, say): say why; the operator may retry."""
        self._set_state("choosing")
        self.progress_panel.setVisible(False)
        self.report.setText(self.tr("Preparing failed: {message}").format(message=message))
        self.report.setStyleSheet(f"border-left: 4px solid {theme.DANGER}; color: {theme.DANGER}; padding: 8px 10px;")
        self.report.setVisible(True)

    def report_text(self, report: FieldReport) -> str:
        """"Ready for the field: 38 customers, 52 charging stations …" and what could not be fetched."""
        locale = QLocale()
        stations = self._count("station", report.stations)
        if report.stations_with_telemetry:
            stations = self.tr("{stations} ({days} days of telemetry for {with_data} of them, {points})").format(
                stations=stations, days=report.telemetry_days, with_data=report.stations_with_telemetry,
                points=self._count("point", report.telemetry_points))
        elif report.stations:
            stations = self.tr("{stations} (no telemetry in the last {days} days)").format(
                stations=stations, days=report.telemetry_days)
        files = self._count("attachment", report.attachments)
        if report.attachments:
            files = self.tr("{files} ({size})").format(files=files, size=_size(locale, report.attachment_bytes))
        headline = self.tr("Ready for the field: {customers}, {stations}, {tickets}, {files}.").format(
            customers=self._count("customer", report.customers), stations=stations,
            tickets=self._count("open_ticket", report.tickets), files=files)
        lines = [headline]
        seconds = locale.toString(report.elapsed, "f", 1)
        if report.fetched_telemetry or report.fetched_attachments:
            fetched = []
            if report.fetched_telemetry:
                fetched.append(self._count("history", report.fetched_telemetry))
            if report.fetched_attachments:
                fetched.append(self.tr("{files} ({size})").format(
                    files=self._count("attachment", report.fetched_attachments),
                    size=_size(locale, report.fetched_bytes)))
            lines.append(self.tr("Downloaded now: {what}, in {seconds} s.").format(
                what=self.tr(" and ").join(fetched), seconds=seconds))
        else:
            lines.append(self.tr("Nothing new to download: all of it was already on this computer."))
        failures = report.failures
        if failures:
            not_fetched = sum(int(f.label) if f.kind == "remaining" and f.label.isdigit() else 1 for f in failures)
            lines.append(self.tr("{items} could not be fetched; prepare again to retry:").format(
                items=self._count("item", not_fetched)))
            lines.extend(f"• {self._failure_text(f)}" for f in failures[:LISTED_FAILURES])
            if len(failures) > LISTED_FAILURES:
                lines.append(self.tr("• …and {count} more.").format(count=len(failures) - LISTED_FAILURES))
        return "\n".join(lines)

    def _failure_text(self, failure: FieldFailure) -> str:
        if failure.kind == "telemetry":
            what = self.tr("Telemetry of {station}").format(station=failure.label)
        elif failure.kind == "attachment":
            what = self.tr("Attachment {name}").format(name=failure.label)
        else:
            count = int(failure.label) if failure.label.isdigit() else 0
            what = self.tr("{items} not tried").format(items=self._count("item", count))
        return f"{what}: {failure.reason}"

    def _set_state(self, state: str) -> None:
        self._state = state
        choosing = state == "choosing"
        for widget in (self.regions_list, self.my_tickets, self.customer_search, self.search_results,
                       self.chosen_list):
            widget.setEnabled(choosing)
        self.add_button.setEnabled(choosing and self.search_results.currentRow() >= 0)
        self.remove_button.setEnabled(choosing and self.chosen_list.currentRow() >= 0)
        self.prepare_button.setVisible(state in ("choosing", "preparing", "stopping"))
        self.prepare_button.setEnabled(choosing and not self.selection().is_empty)
        self.cancel_button.setEnabled(state != "stopping")
        self.cancel_button.setText(self.tr("Close") if state == "done" else self.tr("Cancel"))
        if state == "done":
            self.cancel_button.clicked.disconnect(self._on_cancel_button_clicked)
            self.cancel_button.clicked.connect(self.accept)
            self.cancel_button.setDefault(True)

    @property
    def preparing(self) -> bool:
        return self._state in ("preparing", "stopping")

    # --- closing ------------------------------------------------------------------------------

    def reject(self) -> None:
        # Escape or the window's close button while downloading asks to stop first: the dialog
        # goes away only once the console confirms with show_stopped or show_report.
        if self.preparing:
            self._on_cancel_button_clicked()
            return
        super().reject()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter in the search field adds a customer; it must not press "Prepare".
        if self.customer_search.hasFocus() and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.preparing:
            event.ignore()
            self._on_cancel_button_clicked()
            return
        super().closeEvent(event)

    def done(self, result: int) -> None:
        # However the dialog ends (Close, Escape, accept), nothing of it keeps running.
        self._search_timer.stop()
        self._preview_timer.stop()
        self._tasks.cancel()
        super().done(result)


def _customer_text(customer: CustomerSummary) -> str:
    name = customer.company_name or customer.name
    details = [customer.customer_number, *([customer.region] if customer.region else [])]
    return f"{name} · {' · '.join(details)}"


def _size(locale: QLocale, size: int) -> str:
    return locale.formattedDataSize(size, 1, QLocale.DataSizeFormat.DataSizeSIFormat)
