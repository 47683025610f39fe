"""The CUSTOMERS pane's models: search results as the operator types, and the open customer's card
(contact data, contact persons, devices with live status, tickets).

Everything is read through `DataAccess`. Answers to searches and loads that were overtaken by a
newer request are dropped, so a slow answer to "nov" never replaces the answer to "novak". The
open customer is reloaded when the server says it changed; a station's status changes in place,
one table row at a time, so the operator's selection in the device list survives.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPixmap

from ema_desktop.backend.problems import describe
from ema_desktop.backend.records import Contact, CustomerDetail, CustomerDevice, CustomerSummary, TicketSummary
from ema_desktop.data.access import OPEN_TICKET_STATES, DataAccess
from ema_desktop.data.tasks import OwnedTasks
from ema_desktop.models.labels import QT_TRANSLATE_NOOP, LabelTable, date_text
from ema_desktop.models.stations import device_kind_label, status_colour, status_label
from ema_desktop.models.tickets import priority_label, state_label

log = logging.getLogger(__name__)

SEARCH_LIMIT = 100
"""Rows a search shows; the operator narrows the query rather than scrolling through thousands."""
REFRESH_DELAY_MS = 300
"""Bursts of change events (an import, a resync) cause one reload, this long after the last."""

# Colours of the operator's attention, the same as the console theme's (models do not import views).
DANGER = "#c62828"
WARNING = "#b26a00"
MUTED = "#5f6b7a"

CUSTOMER_STATUS_COLOURS: dict[str, str] = {"active": "#2e7d32", "restricted": WARNING, "blocked": DANGER,
                                           "closed": "#6b7480"}
"""Colour of a customer's status chip and text: anything but active needs the operator's eye."""

# Item roles shared by the tables of this module.
IdRole: int = Qt.ItemDataRole.UserRole + 1
"""The id of the row's record (customer, contact, device, ticket)."""
SecondaryTextRole: int = Qt.ItemDataRole.UserRole + 2
"""A muted second text of a cell: the person behind a business in the Name column."""
RecordRole: int = Qt.ItemDataRole.UserRole + 3
"""The row's record itself."""

CUSTOMER_KIND_LABELS = LabelTable("CustomerKind", {
    "consumer": QT_TRANSLATE_NOOP("CustomerKind", "Consumer"),
    "business": QT_TRANSLATE_NOOP("CustomerKind", "Business"),
    "municipality": QT_TRANSLATE_NOOP("CustomerKind", "Municipality"),
    "institution": QT_TRANSLATE_NOOP("CustomerKind", "Institution"),
})
CUSTOMER_STATUS_LABELS = LabelTable("CustomerStatus", {
    "active": QT_TRANSLATE_NOOP("CustomerStatus", "Active"),
    "restricted": QT_TRANSLATE_NOOP("CustomerStatus", "Restricted"),
    "blocked": QT_TRANSLATE_NOOP("CustomerStatus", "Blocked"),
    "closed": QT_TRANSLATE_NOOP("CustomerStatus", "Closed"),
})


def local_date_text(moment: datetime) -> str:
    """A moment as the operator's local date: "26 Nov 2026"."""
    return date_text(moment.astimezone())


def local_time_text(moment: datetime) -> str:
    """A moment in the operator's local time: "26 Nov 2026 14:30"."""
    local = moment.astimezone()
    return f"{local_date_text(local)} {local:%H:%M}"


def phone_text(phone: str | None) -> str:
    """A phone number grouped as people read it out: "+420 705 806 494"."""
    if not phone:
        return ""
    if phone.startswith("+420") and len(phone) == 13 and phone[1:].isdigit():
        return f"+420 {phone[4:7]} {phone[7:10]} {phone[10:]}"
    return phone


_dot_cache: dict[str, QIcon] = {}


def status_dot(colour: str) -> QIcon:
    """A small filled circle in `colour`, as item views show a station's status."""
    icon = _dot_cache.get(colour)
    if icon is None:
        size = 12
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QColor(colour).darker(125))
        painter.setBrush(QColor(colour))
        painter.drawEllipse(1, 1, size - 3, size - 3)
        painter.end()
        icon = _dot_cache[colour] = QIcon(pixmap)
    return icon


def _bold() -> QFont:
    font = QFont()
    font.setBold(True)
    return font


# --- search -------------------------------------------------------------------------------------


class CustomerSearchModel(QAbstractTableModel):
    """Customers found by the operator's query, in the server's order (exact hits first, then by
    name); an empty query lists the first customers alphabetically.

    Signals:
        loading_changed(bool): a search is (or is no longer) waiting for the server.
        failed(str): the latest search failed, with a message for the operator.
        searched(str, int): the rows now show this query's answer (the query, the total found,
            which may exceed the rows shown).
    """

    loading_changed = Signal(bool)
    failed = Signal(str)
    searched = Signal(str, int)

    NUMBER, NAME, KIND, REGION, PHONE, EMAIL, STATUS = range(7)

    def __init__(self, data: DataAccess, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._data = data
        self._rows: list[CustomerSummary] = []
        self._query = ""
        self._total = 0
        self._answered = False
        self._loading = False
        self._generation = 0
        self._tasks = OwnedTasks(self)
        self._headers = [self.tr("Customer no."), self.tr("Name"), self.tr("Kind"), self.tr("Region"),
                         self.tr("Phone"), self.tr("E-mail"), self.tr("Status")]
        # Changes of listed customers arrive as events; one re-search covers a burst of them.
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_DELAY_MS)
        self._refresh_timer.timeout.connect(self._on_refresh_timer_timeout)
        data.customer_changed.connect(self._on_data_customer_changed)
        data.resync_needed.connect(self._on_data_resync_needed)

    # --- state -----------------------------------------------------------------------------

    @property
    def query(self) -> str:
        """The query whose answer the rows show."""
        return self._query

    @property
    def total(self) -> int:
        """How many customers the shown query found (rows show at most SEARCH_LIMIT)."""
        return self._total

    @property
    def answered(self) -> bool:
        """Whether any search has been answered yet."""
        return self._answered

    @property
    def loading(self) -> bool:
        return self._loading

    def customer_at(self, row: int) -> CustomerSummary:
        return self._rows[row]

    def row_of(self, customer_id: str) -> int | None:
        for row, customer in enumerate(self._rows):
            if customer.id == customer_id:
                return row
        return None

    # --- searching -------------------------------------------------------------------------

    async def search(self, query: str) -> None:
        """Show the customers `query` finds; an answer overtaken by a newer search is dropped."""
        self._generation += 1
        generation = self._generation
        self._set_loading(True)
        try:
            page = await self._data.search_customers(query, SEARCH_LIMIT)
        except asyncio.CancelledError:
            if generation == self._generation:
                self._set_loading(False)
            raise
        except Exception as exc:  # any failure becomes a message, never a traceback
            if generation == self._generation:
                log.info("customer search failed: %r", exc)
                self._set_loading(False)
                self.failed.emit(describe(exc))
            return
        if generation != self._generation:
            return  # a newer search is under way; its answer is the one to show
        self.beginResetModel()
        self._rows = list(page.items)
        self._query = query
        self._total = page.total
        self._answered = True
        self.endResetModel()
        self._set_loading(False)
        self.searched.emit(query, page.total)

    def _set_loading(self, loading: bool) -> None:
        if loading != self._loading:
            self._loading = loading
            self.loading_changed.emit(loading)

    def _on_data_customer_changed(self, customer_id: str) -> None:
        if self.row_of(customer_id) is not None:
            self._refresh_timer.start()

    def _on_data_resync_needed(self) -> None:
        if self._answered:
            self._refresh_timer.start()

    def _on_refresh_timer_timeout(self) -> None:
        if not self._loading:
            self._tasks.start(self.search(self._query))

    # --- Qt model --------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        customer = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(customer, column)
        if role == SecondaryTextRole and column == self.NAME and customer.company_name:
            return customer.name
        if role == Qt.ItemDataRole.ToolTipRole and column == self.NAME:
            lines = [customer_title(customer)]
            if customer.company_name:
                lines.append(customer.name)
            if customer.status != "active":
                lines.append(customer_status_label(customer.status))
            return "\n".join(lines)
        if role == Qt.ItemDataRole.ToolTipRole and column == self.REGION:
            return customer.region
        if role == Qt.ItemDataRole.DecorationRole and column == self.NAME and customer.status != "active":
            # The status column may be scrolled out of sight; a restricted or blocked customer
            # must still stand out while the operator reads names.
            return status_dot(CUSTOMER_STATUS_COLOURS.get(customer.status, MUTED))
        if role == Qt.ItemDataRole.ForegroundRole and column == self.STATUS and customer.status != "active":
            return QBrush(QColor(CUSTOMER_STATUS_COLOURS.get(customer.status, MUTED)))
        if role == Qt.ItemDataRole.FontRole and column == self.STATUS and customer.status in ("blocked",
                                                                                              "restricted"):
            return _bold()
        if role == IdRole:
            return customer.id
        if role == RecordRole:
            return customer
        return None

    def _text(self, customer: CustomerSummary, column: int) -> str:
        if column == self.NUMBER:
            return customer.customer_number
        if column == self.NAME:
            return customer_title(customer)
        if column == self.KIND:
            return customer_kind_label(customer.kind)
        if column == self.REGION:
            return region_short(customer.region)
        if column == self.PHONE:
            return phone_text(customer.phone)
        if column == self.EMAIL:
            return customer.email or ""
        if column == self.STATUS:
            return customer_status_label(customer.status)
        return ""


def region_short(region: str | None) -> str:
    """A region as a list column shows it: "Moravskoslezský" for "Moravskoslezský kraj"."""
    if not region:
        return ""
    if region == "Hlavní město Praha":
        return "Praha"
    return region.removesuffix(" kraj").removeprefix("Kraj ")


def customer_title(customer: CustomerSummary) -> str:
    """How the operator names a customer: the company for organisations, else the person."""
    return customer.company_name or customer.name


def customer_kind_label(kind: str) -> str:
    """"Business" for business; an unknown kind as the server spells it."""
    return CUSTOMER_KIND_LABELS.label(kind)


def customer_status_label(status: str) -> str:
    """"Restricted" for restricted; an unknown status as the server spells it."""
    return CUSTOMER_STATUS_LABELS.label(status)


# --- the open customer's tables --------------------------------------------------------------------

R = TypeVar("R", Contact, CustomerDevice, TicketSummary)


class _RecordTable(QAbstractTableModel, Generic[R]):
    """A read-only table of records with an `id`, one per row; subclasses say what each cell shows.

    Signals: only the standard model signals (modelReset on `set_records`, dataChanged on `replace`).
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._headers: list[str] = []  # set by the subclass, translated
        self._records: list[R] = []

    def set_records(self, records: Sequence[R]) -> None:
        self.beginResetModel()
        self._records = list(records)
        self.endResetModel()

    def records(self) -> list[R]:
        return list(self._records)

    def record_at(self, row: int) -> R:
        return self._records[row]

    def row_of(self, record_id: str) -> int | None:
        for row, record in enumerate(self._records):
            if record.id == record_id:
                return row
        return None

    def replace(self, row: int, record: R) -> None:
        self._records[row] = record
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self._headers) - 1), [])

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._records):
            return None
        record = self._records[index.row()]
        if role == IdRole:
            return record.id
        if role == RecordRole:
            return record
        return self.cell(record, index.column(), role)

    def cell(self, record: R, column: int, role: int) -> Any:
        raise NotImplementedError


class ContactsModel(_RecordTable[Contact]):
    """The customer's contact persons: name, role, e-mail, phone."""

    NAME, ROLE, EMAIL, PHONE = range(4)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._headers = [self.tr("Name"), self.tr("Role"), self.tr("E-mail"), self.tr("Phone")]
        self._roles = {"general": self.tr("General"), "billing": self.tr("Billing"),
                       "technical": self.tr("Technical")}

    def cell(self, record: Contact, column: int, role: int) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return (record.name, self._roles.get(record.role, record.role), record.email or "",
                phone_text(record.phone))[column]


_DEVICE_ORDER = {"charging_station": 0, "wallbox": 1, "meter": 2, "router": 3, "modem": 4, "sim": 5}


class CustomerDevicesModel(_RecordTable[CustomerDevice]):
    """The customer's devices, stations first: status (with the map's colour), kind, model,
    OCPP identity, serial and site. Statuses change in place as stations report."""

    STATUS, KIND, MODEL, IDENTITY, SERIAL, SITE = range(6)
    StatusRole: ClassVar[int] = Qt.ItemDataRole.UserRole + 10
    """The device's status word ("Faulted"), whatever column."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._headers = [self.tr("Status"), self.tr("Kind"), self.tr("Model"), self.tr("OCPP identity"),
                         self.tr("Serial"), self.tr("Site")]
        self._sites: dict[str, str] = {}

    def set_devices(self, devices: Sequence[CustomerDevice], site_names: dict[str, str]) -> None:
        self._sites = dict(site_names)
        self.set_records(sorted(devices, key=lambda d: (_DEVICE_ORDER.get(d.kind, 9), d.ocpp_identity or "",
                                                        d.serial)))

    def status_text(self, device: CustomerDevice) -> str:
        status = status_label(device.status)
        if device.error_code and device.error_code != "NoError":
            return f"{status} · {device.error_code}"  # OCPP error codes stay as the station reports them
        return status

    def cell(self, record: CustomerDevice, column: int, role: int) -> Any:
        if role == self.StatusRole:
            return record.status
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.STATUS:
                return self.status_text(record)
            if column == self.KIND:
                return device_kind_label(record.kind)
            if column == self.MODEL:
                return f"{record.vendor} {record.model}"
            if column == self.IDENTITY:
                return record.ocpp_identity or ""
            if column == self.SERIAL:
                return record.serial
            if column == self.SITE:
                return self._sites.get(record.site_id or "", "")
            return None
        if role == Qt.ItemDataRole.DecorationRole and column == self.STATUS:
            return status_dot(status_colour(record.status).name())
        if role == Qt.ItemDataRole.ForegroundRole and column == self.STATUS and record.status == "Faulted":
            return QBrush(QColor(DANGER))
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(record)
        return None

    def _tooltip(self, device: CustomerDevice) -> str:
        lines = [f"{device.vendor} {device.model}", self.tr("Serial: {serial}").format(serial=device.serial)]
        if device.ocpp_identity:
            lines.append(self.tr("OCPP identity: {identity}").format(identity=device.ocpp_identity))
        if device.firmware:
            lines.append(self.tr("Firmware: {firmware}").format(firmware=device.firmware))
        for connector in device.connectors:
            lines.append(self.tr("Connector {no}: {standard}, {power:g} kW").format(
                no=connector.connector_no, standard=connector.standard, power=connector.max_power_kw))
        if device.last_seen_at is not None:
            lines.append(self.tr("Last seen {time}").format(time=local_time_text(device.last_seen_at)))
        return "\n".join(lines)


class CustomerTicketsModel(_RecordTable[TicketSummary]):
    """The customer's latest tickets, open ones first (soonest due on top), then the rest newest
    first; an open ticket past its due date is red."""

    NUMBER, TITLE, STATE, PRIORITY, DUE = range(5)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._headers = [self.tr("Number"), self.tr("Title"), self.tr("State"), self.tr("Priority"),
                         self.tr("Due")]
        self._now: Callable[[], datetime] = lambda: datetime.now().astimezone()

    def set_tickets(self, tickets: Sequence[TicketSummary]) -> None:
        open_ = sorted((t for t in tickets if t.state in OPEN_TICKET_STATES), key=lambda t: t.due_at)
        done = sorted((t for t in tickets if t.state not in OPEN_TICKET_STATES), key=lambda t: t.due_at,
                      reverse=True)
        self.set_records(open_ + done)

    def open_count(self) -> int:
        return sum(1 for t in self._records if t.state in OPEN_TICKET_STATES)

    def is_overdue(self, ticket: TicketSummary) -> bool:
        return ticket.state in OPEN_TICKET_STATES and ticket.due_at < self._now()

    def cell(self, record: TicketSummary, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.NUMBER:
                return record.number
            if column == self.TITLE:
                return record.title
            if column == self.STATE:
                return state_label(record.state)
            if column == self.PRIORITY:
                return priority_label(record.priority)
            if column == self.DUE:
                return local_time_text(record.due_at)
            return None
        closed = record.state not in OPEN_TICKET_STATES
        if role == Qt.ItemDataRole.ForegroundRole:
            if closed:
                return QBrush(QColor(MUTED))
            if column == self.DUE and self.is_overdue(record):
                return QBrush(QColor(DANGER))
            if column == self.PRIORITY and record.priority in ("high", "critical"):
                return QBrush(QColor(DANGER if record.priority == "critical" else WARNING))
        if role == Qt.ItemDataRole.FontRole and column == self.DUE and self.is_overdue(record):
            return _bold()
        if role == Qt.ItemDataRole.ToolTipRole and column == self.DUE and self.is_overdue(record):
            return self.tr("Overdue")
        if role == Qt.ItemDataRole.ToolTipRole and column == self.TITLE:
            return record.title
        return None


# --- the open customer ---------------------------------------------------------------------------


class CustomerDetailModel(QObject):
    """The customer the operator has open, kept current.

    `open()` loads a customer; while it loads, `customer` is None and `customer_id` names the one
    asked for. The card is reloaded when the server reports the customer (or one of their devices
    or tickets) changed, or live events were missed. A station's live status updates its row in
    `devices` and the record in `customer` without a reload.

    Signals:
        changed(): `customer` changed (loaded, reloaded, closed, or a device's status).
        failed(str): loading failed, with a message for the operator.
        loading_changed(bool): a load is (or is no longer) waiting for the server.
    """

    changed = Signal()
    failed = Signal(str)
    loading_changed = Signal(bool)

    def __init__(self, data: DataAccess, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._data = data
        self.customer: CustomerDetail | None = None
        self.contacts = ContactsModel(self)
        self.devices = CustomerDevicesModel(self)
        self.tickets = CustomerTicketsModel(self)
        self._customer_id: str | None = None
        self._generation = 0
        self._loading = False
        self._tasks = OwnedTasks(self)
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(REFRESH_DELAY_MS)
        self._reload_timer.timeout.connect(self._on_reload_timer_timeout)
        data.customer_changed.connect(self._on_data_customer_changed)
        data.device_changed.connect(self._on_data_device_changed)
        data.ticket_changed.connect(self._on_data_ticket_changed)
        data.resync_needed.connect(self._on_data_resync_needed)
        data.station_status_changed.connect(self._on_data_station_status_changed)

    @property
    def customer_id(self) -> str | None:
        """The customer asked for last (shown once loaded), or None when none is open."""
        return self._customer_id

    @property
    def loading(self) -> bool:
        return self._loading

    @property
    def loaded(self) -> bool:
        """True when the customer asked for is the one shown (or none is asked for)."""
        return self._customer_id is None or (self.customer is not None and self.customer.id == self._customer_id)

    async def open(self, customer_id: str) -> None:
        """Load and show a customer; a load overtaken by a newer `open` is dropped."""
        self._generation += 1
        generation = self._generation
        if customer_id != self._customer_id:
            self._customer_id = customer_id
            if self.customer is not None:
                self._show(None)  # never show one customer's card under another's name
        self._set_loading(True)
        try:
            customer = await self._data.customer(customer_id)
        except asyncio.CancelledError:
            if generation == self._generation:
                self._set_loading(False)
            raise
        except Exception as exc:  # any failure becomes a message, never a traceback
            if generation == self._generation:
                log.info("loading customer %s failed: %r", customer_id, exc)
                self._set_loading(False)
                self.failed.emit(describe(exc))
            return
        if generation != self._generation:
            return
        self._show(customer)
        self._set_loading(False)

    def close(self) -> None:
        """Show no customer."""
        self._generation += 1
        self._customer_id = None
        self._set_loading(False)
        self._show(None)

    def device(self, device_id: str) -> CustomerDevice | None:
        row = self.devices.row_of(device_id)
        return None if row is None else self.devices.record_at(row)

    def _show(self, customer: CustomerDetail | None) -> None:
        self.customer = customer
        if customer is None:
            self.contacts.set_records([])
            self.devices.set_devices([], {})
            self.tickets.set_tickets([])
        else:
            self.contacts.set_records(customer.contacts)
            self.devices.set_devices(customer.devices, {site.id: f"{site.name}, {site.city}"
                                                        for site in customer.sites})
            self.tickets.set_tickets(customer.tickets)
        self.changed.emit()

    def _set_loading(self, loading: bool) -> None:
        if loading != self._loading:
            self._loading = loading
            self.loading_changed.emit(loading)

    def _schedule_reload(self) -> None:
        if self._customer_id is not None:
            self._reload_timer.start()

    def _on_reload_timer_timeout(self) -> None:
        if self._customer_id is not None:
            self._tasks.start(self.open(self._customer_id))

    def _on_data_customer_changed(self, customer_id: str) -> None:
        if customer_id == self._customer_id:
            self._schedule_reload()

    def _on_data_device_changed(self, device_id: str) -> None:
        if self.devices.row_of(device_id) is not None:
            self._schedule_reload()

    def _on_data_ticket_changed(self, ticket_id: str) -> None:
        if self.tickets.row_of(ticket_id) is not None:
            self._schedule_reload()

    def _on_data_resync_needed(self) -> None:
        self._schedule_reload()

    def _on_data_station_status_changed(self, device_id: str, status: str, error_code: str) -> None:
        row = self.devices.row_of(device_id)
        if row is None or self.customer is None:
            return
        old = self.devices.record_at(row)
        new_error = error_code or None
        if old.status == status and old.error_code == new_error:
            return
        device = old.model_copy(update={"status": status, "error_code": new_error})
        self.devices.replace(row, device)
        self.customer = self.customer.model_copy(
            update={"devices": [device if d.id == device_id else d for d in self.customer.devices]})
        self.changed.emit()
