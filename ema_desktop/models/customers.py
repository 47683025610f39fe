"""The CUSTOMERS pane's models: search results as the operator types, and the open customer's card
(contact data, contact persons, devices with live status, tickets), and the edit of a contact person.

Everything is read through `DataAccess`. Answers to searches and loads that were overtaken by a
newer request are dropped, so a slow answer to "nov" never replaces the answer to "novak". The
open customer is reloaded when the server says it changed; a station's status changes in place,
one table row at a time, so the operator's selection in the device list survives.

A contact person's change is checked here first, by the server's own rules (required name, the
three roles, e-mail shape, a phone number in any usual Czech or international form), so the
operator is told next to the field instead of the write being refused later, when it may already
be waiting in the outbox offline. Only the fields that changed are sent; until the server has
them, the contact is shown with its "not sent yet" marker.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPixmap
from sqlalchemy import Connection

from ema_desktop.backend.problems import ApiProblem, BackendError, describe
from ema_desktop.backend.records import Contact, CustomerDetail, CustomerDevice, CustomerSummary, TicketSummary
from ema_desktop.cache.outbox import CONTACT_FIELDS
from ema_desktop.cache.reads import normalize_phone
from ema_desktop.data.access import OPEN_TICKET_STATES, DataAccess
from ema_desktop.data.tasks import OwnedTasks
from ema_desktop.models.labels import QT_TRANSLATE_NOOP, LabelTable, date_text
from ema_desktop.models.stations import device_kind_label, status_colour, status_label
from ema_desktop.models.table import RowsTableModel
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
PendingRole: int = Qt.ItemDataRole.UserRole + 4
"""The "not sent yet" marker of a row whose change waits in the outbox (its text), else None."""

EDIT_CONTACTS = "customers.edit_contacts"
"""The permission to change a customer's contact persons (ema_server/domain/permissions.py)."""

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


CONTACT_ROLE_LABELS = LabelTable("ContactRole", {
    "general": QT_TRANSLATE_NOOP("ContactRole", "General"),
    "billing": QT_TRANSLATE_NOOP("ContactRole", "Billing"),
    "technical": QT_TRANSLATE_NOOP("ContactRole", "Technical"),
})
"""The roles a contact person may have, the only ones the server accepts (ContactRole)."""


def pending_text() -> str:
    """The marker of a record whose change the server does not have yet."""
    return QCoreApplication.translate("Pending", "not sent yet")


def pending_tooltip() -> str:
    return QCoreApplication.translate(
        "Pending", "Not sent yet: your change is kept on this computer and sent to the server as soon as it "
        "can be reached.")


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


class CustomerSearchModel(RowsTableModel):
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
    """The customer's contact persons: name, role, e-mail, phone; a contact whose change waits in
    the outbox carries the "not sent yet" marker (PendingRole, in the Name column) and says so in
    its tooltip."""

    NAME, ROLE, EMAIL, PHONE = range(4)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._headers = [self.tr("Name"), self.tr("Role"), self.tr("E-mail"), self.tr("Phone")]

    def pending_count(self) -> int:
        return sum(1 for contact in self._records if contact.pending)

    def cell(self, record: Contact, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return (record.name, contact_role_label(record.role), record.email or "",
                    phone_text(record.phone))[column]
        if role == PendingRole and column == self.NAME:
            return pending_text() if record.pending else None
        if role == Qt.ItemDataRole.ToolTipRole:
            shown = self.cell(record, column, Qt.ItemDataRole.DisplayRole)
            return f"{shown}\n{pending_tooltip()}" if record.pending else shown
        return None


def contact_role_label(role: str) -> str:
    """"Technical" for technical; an unknown role as the server spells it."""
    return CONTACT_ROLE_LABELS.label(role)


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

    # --- changing contact persons ----------------------------------------------------------------

    @property
    def may_edit_contacts(self) -> bool:
        """Whether the operator's role lets them change contact persons (the server refuses others)."""
        return self._data.may(EDIT_CONTACTS)

    @property
    def keeps_writes(self) -> bool:
        """Whether a change is kept in the outbox (and shown as not sent yet until the server has it)."""
        return self._data.keeps_writes

    def contact(self, contact_id: str) -> Contact | None:
        row = self.contacts.row_of(contact_id)
        return None if row is None else self.contacts.record_at(row)

    def contact_editor(self, contact_id: str) -> ContactEditor | None:
        """An edit of one of the open customer's contact persons; None when none can be made."""
        contact = self.contact(contact_id)
        if contact is None or self.customer is None or not self.may_edit_contacts:
            return None
        return ContactEditor(self, self.customer, contact)

    async def change_contact(self, customer_id: str, contact: Contact, changes: Mapping[str, Any]) -> None:
        """Queue (or, before the first sync, send) a contact person's changed fields; raises what failed."""
        version = await self._contact_version(contact)
        await self._data.change_contact(customer_id, contact.id, version, changes)
        if customer_id == self._customer_id:
            self._schedule_reload()  # the card shows the change, marked, without waiting for an event

    async def _contact_version(self, contact: Contact) -> int:
        """The version of the contact the operator edits, which the change is made against.

        The console's contact record does not carry it yet, so it comes from the stored record
        (what the card shows once reads come from the store); the server refuses a write that
        names another version than its own, so a guess is never sent.
        """
        version: Any = getattr(contact, "version", None)
        if isinstance(version, int):
            return version
        local = self._data.local
        if self._data.from_store and local is not None:
            stored: int | None = await local.call(_stored_version, "contact", contact.id)
            if stored is not None:
                return stored
        raise BackendError(self.tr("The contact cannot be changed before the first sync has finished. "
                                   "Try again in a moment."))

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


def _stored_version(connection: Connection, entity: str, record_id: str) -> int | None:
    """A record's version in the local store (on the store's thread)."""
    version = connection.exec_driver_sql(
        "SELECT version FROM record WHERE entity = ? AND id = ?", (entity, record_id)).scalar()
    connection.commit()
    return None if version is None else int(version)


# --- checking a contact person ---------------------------------------------------------------------
# The server's rules (ema_server/api/customers.py ContactPatch, ema_server/customers.py
# clean_contact_values, ema_server/domain/identifiers.py), so what it would refuse is refused here.

NAME_MAX_LENGTH = 200
EMAIL_MAX_LENGTH = 254
PHONE_MAX_LENGTH = 40
_EMAIL_LOCAL_MAX_LENGTH = 64
_DOMAIN_LABEL_MAX_LENGTH = 63
_EMAIL_LOCAL_SPECIALS = frozenset("!#$%&'*+/=?^_`{|}~-")
_ASCII_DIGITS = frozenset("0123456789")
_PHONE_CHARS = frozenset(" \t\u00a0-().\u2013/+0123456789")
_UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
"""Control characters: the server refuses any text holding one (ema_server/api/schemas.py)."""


def _letter_or_digit(ch: str) -> bool:
    return ch in _ASCII_DIGITS or ch.isalpha()


def is_valid_email(value: str) -> bool:
    """An e-mail address as the server accepts it: one @, a plain local part, a domain with a dot
    and no numeric top level (internationalised names in their Unicode form)."""
    if not value or len(value) > EMAIL_MAX_LENGTH or any(ch.isspace() for ch in value) or value.count("@") != 1:
        return False
    local, domain = value.split("@")
    if not local or len(local) > _EMAIL_LOCAL_MAX_LENGTH or local.startswith(".") or local.endswith(".") \
            or ".." in local:
        return False
    if not all(ch == "." or ch in _EMAIL_LOCAL_SPECIALS or _letter_or_digit(ch) for ch in local):
        return False
    labels = domain.split(".")
    if len(labels) < 2:
        return False
    for label in labels:
        if not label or len(label) > _DOMAIN_LABEL_MAX_LENGTH or label.startswith("-") or label.endswith("-"):
            return False
        if not all(ch == "-" or _letter_or_digit(ch) for ch in label):
            return False
    return not all(ch in _ASCII_DIGITS for ch in labels[-1])


def check_contact(values: Mapping[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """A contact person's fields as typed: (the values as the server will store them, {field: why
    it is refused}). Blank e-mail and phone clear them; a phone number is kept in its +420… form."""
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name in CONTACT_FIELDS:
        if name in values and _UNSTORABLE.search(values[name]):
            errors[name] = QCoreApplication.translate(
                "ContactCheck", "Contains characters that cannot be saved (control characters).")
    if "name" in values and "name" not in errors:
        name = values["name"].strip()
        if not name:
            errors["name"] = QCoreApplication.translate("ContactCheck", "Enter the contact person's name.")
        elif len(name) > NAME_MAX_LENGTH:
            errors["name"] = QCoreApplication.translate("ContactCheck", "Too long: at most 200 characters.")
        cleaned["name"] = name
    if "role" in values and "role" not in errors:
        role = values["role"].strip()
        if role not in CONTACT_ROLE_LABELS:
            errors["role"] = QCoreApplication.translate("ContactCheck", "Choose one of the roles in the list.")
        cleaned["role"] = role
    if "email" in values and "email" not in errors:
        email = values["email"].strip() or None
        if email is not None and not is_valid_email(email):
            errors["email"] = QCoreApplication.translate("ContactCheck", "Not an e-mail address: check it for typos.")
        cleaned["email"] = email
    if "phone" in values and "phone" not in errors:
        typed = values["phone"].strip()
        phone = normalize_phone(typed) if typed else None
        if typed and any(ch not in _PHONE_CHARS for ch in typed):
            errors["phone"] = QCoreApplication.translate(
                "ContactCheck", "Only digits, spaces and + - ( ) / belong in a phone number.")
        elif typed and (phone is None or len(typed) > PHONE_MAX_LENGTH):
            errors["phone"] = QCoreApplication.translate(
                "ContactCheck", "Not a phone number: 9 digits (601 234 567), or + and the country code.")
        cleaned["phone"] = phone
    return cleaned, errors


def contact_changes(contact: Contact, cleaned: Mapping[str, Any]) -> dict[str, Any]:
    """The checked values that differ from what the contact holds: all a change sends."""
    return {name: value for name, value in cleaned.items()
            if name in CONTACT_FIELDS and value != getattr(contact, name)}


class ContactEditor(QObject):
    """One edit of a contact person of the open customer: checks what the operator typed, then
    queues only the changed fields. A dialog shows it; the logic needs no window.

    Signals:
        invalid(object): the values were refused ({field: message}); nothing was queued.
        failed(str): the change could not be kept or sent, with a message for the operator.
        saved(): the change is queued (or saved), or there was nothing to change.
        busy_changed(bool): a save is (or is no longer) under way.
    """

    invalid = Signal(object)
    failed = Signal(str)
    saved = Signal()
    busy_changed = Signal(bool)

    def __init__(self, detail: CustomerDetailModel, customer: CustomerDetail, contact: Contact,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._detail = detail
        self.customer = customer
        self.contact = contact
        self._busy = False

    @property
    def busy(self) -> bool:
        return self._busy

    @property
    def keeps_writes(self) -> bool:
        """Whether the change goes to the outbox first (sent when the server can be reached)."""
        return self._detail.keeps_writes

    def initial_values(self) -> dict[str, str]:
        """The contact as the form starts: what the card shows (pending changes included)."""
        contact = self.contact
        return {"name": contact.name, "role": contact.role, "email": contact.email or "",
                "phone": phone_text(contact.phone)}

    def edited(self, values: Mapping[str, str]) -> dict[str, str]:
        """The fields the operator changed in the form. Only these are checked and sent: a value
        the server stored under older rules does not stand in the way of fixing another field."""
        initial = self.initial_values()
        return {name: value for name, value in values.items()
                if name in CONTACT_FIELDS and value.strip() != initial[name].strip()}

    def check(self, values: Mapping[str, str]) -> dict[str, str]:
        """Why each refused field is refused ({} when all are fine)."""
        return check_contact(self.edited(values))[1]

    def changes(self, values: Mapping[str, str]) -> dict[str, Any]:
        """What saving `values` would send (only valid, changed fields)."""
        cleaned, errors = check_contact(self.edited(values))
        return {} if errors else contact_changes(self.contact, cleaned)

    async def save(self, values: Mapping[str, str]) -> bool:
        """Check and queue the change; True when it is kept (or nothing changed)."""
        if self._busy:
            return False
        cleaned, errors = check_contact(self.edited(values))
        if errors:
            self.invalid.emit(errors)
            return False
        changes = contact_changes(self.contact, cleaned)
        if not changes:
            self.saved.emit()
            return True
        self._set_busy(True)
        try:
            await self._detail.change_contact(self.customer.id, self.contact, changes)
        except ApiProblem as exc:
            # Without the outbox (before the first sync) the server answers at once.
            fields = {e.field.rsplit(".", 1)[-1]: e.message for e in exc.errors
                      if e.field.rsplit(".", 1)[-1] in CONTACT_FIELDS}
            if fields:
                self.invalid.emit(fields)
            else:
                self.failed.emit(describe(exc))
            return False
        except Exception as exc:  # any failure becomes a message, never a traceback
            log.info("changing contact %s failed: %r", self.contact.id, exc)
            self.failed.emit(describe(exc))
            return False
        finally:
            self._set_busy(False)
        self.saved.emit()
        return True

    def _set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            self.busy_changed.emit(busy)
