"""The ticket queue and the ticket open in the detail: what the tickets pane shows and changes.

`TicketQueueModel` is the operator's queue for one scope (open work, mine, overdue, resolved,
all), loaded through `DataAccess` sorted by due date and kept current from the live
`ticket_changed` signal: a changed ticket is fetched again and updated in place, added, or
dropped when it no longer belongs to the scope. `TicketFilterProxy` narrows it by text,
priority and kind and sorts by column. `TicketEditor` holds the one ticket open in the detail
with its history and saves state changes, assignments, comments and attached photos, guarded by
the ticket's version (a 412 from the server means someone else changed it first).

With the local store (issue 6), writes wait in the outbox until the server has them: the records
read back are marked `pending` meanwhile, and the queue and the detail say so plainly.

Human labels of states, kinds and priorities, the colours of the due markers and the local
time formats live here, in one place, so every view says and shows the same thing.
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import logging
import math
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from enum import IntEnum
from pathlib import Path
from typing import Any, ClassVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPen, QPixmap

from ema_desktop.backend.problems import ApiProblem, describe
from ema_desktop.backend.records import Colleague, TicketDetail, TicketEntry, TicketListItem
from ema_desktop.data.access import OPEN_TICKET_STATES, DataAccess, RecordGone
from ema_desktop.data.tasks import OwnedTasks
from ema_desktop.models.labels import QT_TRANSLATE_NOOP, LabelTable, date_text

log = logging.getLogger(__name__)

# --- the server's rules, mirrored ---------------------------------------------------------------

TRANSITIONS: dict[str, tuple[str, ...]] = {
    "new": ("open", "in_progress", "closed"),
    "open": ("in_progress", "waiting_customer", "resolved", "closed"),
    "in_progress": ("waiting_customer", "resolved", "open"),
    "waiting_customer": ("in_progress", "resolved", "open"),
    "resolved": ("closed", "open"),
    "closed": ("open",),
}
"""A copy of ema_server.tickets.TRANSITIONS (the console may not import the server): which states
a ticket may move to from each state. The server enforces the rule; the console only offers what
it would accept, so an operator never picks a move that is refused."""

TICKET_STATES: tuple[str, ...] = ("new", "open", "in_progress", "waiting_customer", "resolved", "closed")
TICKET_PRIORITIES: tuple[str, ...] = ("critical", "high", "normal", "low")  # most urgent first
TICKET_KINDS: tuple[str, ...] = ("fault", "complaint", "service_request", "service_event", "question")

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
"""A copy of ema_server.attachments.MAX_ATTACHMENT_BYTES (the console may not import the server):
a larger file is refused here, before it is queued, rather than by the server hours later when a
field laptop is back online and the technician has left the site."""

ATTACHMENT_SIGNATURES: dict[str, bytes] = {
    "image/jpeg": b"\xff\xd8\xff",
    "image/png": b"\x89PNG\r\n\x1a\n",
    "application/pdf": b"%PDF-",
}
"""The photo and document types a service report takes, by their first bytes: the server decides
an attachment's type by its content (ema_server/attachments.py), so the console checks the same
way instead of trusting the file name."""

ATTACHMENT_PATTERNS: tuple[str, ...] = ("*.jpg", "*.jpeg", "*.png", "*.pdf")
"""File name patterns the "Attach photo…" dialog offers (in either case)."""

# --- what the operator reads ----------------------------------------------------------------------

STATE_LABELS = LabelTable("TicketState", {
    "new": QT_TRANSLATE_NOOP("TicketState", "New"),
    "open": QT_TRANSLATE_NOOP("TicketState", "Open"),
    "in_progress": QT_TRANSLATE_NOOP("TicketState", "In progress"),
    "waiting_customer": QT_TRANSLATE_NOOP("TicketState", "Waiting for customer"),
    "resolved": QT_TRANSLATE_NOOP("TicketState", "Resolved"),
    "closed": QT_TRANSLATE_NOOP("TicketState", "Closed"),
})
KIND_LABELS = LabelTable("TicketKind", {
    "fault": QT_TRANSLATE_NOOP("TicketKind", "Fault"),
    "complaint": QT_TRANSLATE_NOOP("TicketKind", "Complaint"),
    "service_request": QT_TRANSLATE_NOOP("TicketKind", "Service request"),
    "service_event": QT_TRANSLATE_NOOP("TicketKind", "Service event"),
    "question": QT_TRANSLATE_NOOP("TicketKind", "Question"),
})
PRIORITY_LABELS = LabelTable("TicketPriority", {
    "critical": QT_TRANSLATE_NOOP("TicketPriority", "Critical"),
    "high": QT_TRANSLATE_NOOP("TicketPriority", "High"),
    "normal": QT_TRANSLATE_NOOP("TicketPriority", "Normal"),
    "low": QT_TRANSLATE_NOOP("TicketPriority", "Low"),
})
SCOPE_LABELS = LabelTable("TicketScope", {
    "open_work": QT_TRANSLATE_NOOP("TicketScope", "Open work"),
    "mine": QT_TRANSLATE_NOOP("TicketScope", "Mine"),
    "overdue": QT_TRANSLATE_NOOP("TicketScope", "Overdue"),
    "resolved": QT_TRANSLATE_NOOP("TicketScope", "Resolved"),
    "all": QT_TRANSLATE_NOOP("TicketScope", "All"),
})
FIELD_LABELS = LabelTable("TicketField", {
    "title": QT_TRANSLATE_NOOP("TicketField", "Title"),
    "description": QT_TRANSLATE_NOOP("TicketField", "Description"),
    "priority": QT_TRANSLATE_NOOP("TicketField", "Priority"),
    "state": QT_TRANSLATE_NOOP("TicketField", "State"),
    "owner_id": QT_TRANSLATE_NOOP("TicketField", "Owner"),
    "customer_id": QT_TRANSLATE_NOOP("TicketField", "Customer"),
    "device_id": QT_TRANSLATE_NOOP("TicketField", "Station"),
    "connector_no": QT_TRANSLATE_NOOP("TicketField", "Connector"),
})


def state_label(state: str) -> str:
    """"In progress" for in_progress; an unknown state as the server spells it."""
    return STATE_LABELS.label(state)


def kind_label(kind: str) -> str:
    return KIND_LABELS.label(kind)


def priority_label(priority: str) -> str:
    return PRIORITY_LABELS.label(priority)


def scope_label(scope: str) -> str:
    return SCOPE_LABELS.label(scope)


def field_label(field: str) -> str:
    return FIELD_LABELS.label(field) if field in FIELD_LABELS else field.replace("_", " ")


PENDING_EXPLANATION = QT_TRANSLATE_NOOP(
    "TicketLabels",
    "Your change has not reached the server yet; it is sent automatically when the connection is back.")


def pending_explanation() -> str:
    """The tooltip of everything marked unsent."""
    return QCoreApplication.translate("TicketLabels", PENDING_EXPLANATION)


def unsent_label() -> str:
    """The short marker of a queue row with an unsent change."""
    return QCoreApplication.translate("TicketLabels", "unsent")


def state_cell_text(item: TicketListItem) -> str:
    """The queue's state cell: "In progress", or "In progress · unsent" while a change waits."""
    label = state_label(item.state)
    return f"{label} · {unsent_label()}" if item.pending else label


# --- colours ------------------------------------------------------------------------------------

# Due markers: a strong text colour and a faint tint for the due cell, and a dot beside it.
OVERDUE_COLOUR = "#c5221f"
OVERDUE_TINT = "#fdecea"
DUE_SOON_COLOUR = "#a05a00"
DUE_SOON_TINT = "#fef6e0"

PRIORITY_COLOURS: dict[str, str] = {
    "critical": "#d93025",
    "high": "#e8710a",
    "normal": "#1a73e8",
    "low": "#9aa0a6",
}
# State chips: (text, background) pairs, quiet enough to sit next to the priority chip.
STATE_COLOURS: dict[str, tuple[str, str]] = {
    "new": ("#6b3fa0", "#f1eafa"),
    "open": ("#174ea6", "#e8f0fe"),
    "in_progress": ("#0b6b5c", "#e0f4f0"),
    "waiting_customer": ("#8a5300", "#fdf1dc"),
    "resolved": ("#1e7b34", "#e6f4ea"),
    "closed": ("#4d5156", "#eceff1"),
}
_NEUTRAL = ("#4d5156", "#eceff1")
# Unsent work: a warm brown-amber that reads as "not yet", distinct from the due markers' red.
PENDING_COLOUR = "#8a5300"
PENDING_TINT = "#fdf1dc"


def priority_colour(priority: str) -> QColor:
    return QColor(PRIORITY_COLOURS.get(priority, "#9aa0a6"))


def state_colours(state: str) -> tuple[str, str]:
    """(text colour, background colour) of a state's chip."""
    return STATE_COLOURS.get(state, _NEUTRAL)


@functools.cache
def _chip_icon(colour: str, round_: bool) -> QIcon:
    # Drawn once per colour on first use (a QPixmap needs the QGuiApplication to exist).
    pixmap = QPixmap(12, 12)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(colour))
    if round_:
        painter.drawEllipse(2, 2, 8, 8)
    else:
        painter.drawRoundedRect(1, 2, 10, 8, 2, 2)
    painter.end()
    icon = QIcon(pixmap)
    # The same chip on a selected row: a colour that means something must not be tinted.
    icon.addPixmap(pixmap, QIcon.Mode.Selected)
    return icon


@functools.cache
def pending_icon() -> QIcon:
    """A small clock: the mark of an unsent change (drawn once, like the chips)."""
    pixmap = QPixmap(12, 12)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(QColor(PENDING_COLOUR))
    pen.setWidthF(1.4)
    painter.setPen(pen)
    painter.setBrush(QColor(PENDING_TINT))
    painter.drawEllipse(1, 1, 10, 10)
    painter.drawLine(6, 6, 6, 3)
    painter.drawLine(6, 6, 8, 7)
    painter.end()
    icon = QIcon(pixmap)
    icon.addPixmap(pixmap, QIcon.Mode.Selected)
    return icon


# --- time ---------------------------------------------------------------------------------------


def utc_now() -> datetime:
    return datetime.now(UTC)


def format_local(moment: datetime, now: datetime | None = None) -> str:
    """Local time as "26 Nov 14:30"; with the year when it is not this year ("26 Nov 2025 14:30")."""
    local = moment.astimezone()
    this_year = (now or utc_now()).astimezone().year
    return f"{date_text(local, with_year=local.year != this_year)} {local:%H:%M}"


def format_span(seconds: float) -> str:
    """A duration as the operator says it: "25 min", "3 h", "2 d" (rounded down past an hour)."""
    seconds = abs(seconds)
    if seconds < 3600:
        return QCoreApplication.translate("TicketLabels", "{n} min").format(n=max(1, int(seconds // 60)))
    if seconds < 48 * 3600:
        return QCoreApplication.translate("TicketLabels", "{n} h").format(n=int(seconds // 3600))
    return QCoreApplication.translate("TicketLabels", "{n} d").format(n=int(seconds // 86400))


def is_open(item: TicketListItem) -> bool:
    return item.state in OPEN_TICKET_STATES


def due_level(item: TicketListItem, now: datetime | None = None) -> str | None:
    """"overdue", "due_soon" or None. The server's verdict, except that a deadline passing while
    the queue is shown makes the ticket overdue here too without waiting for a reload."""
    if not is_open(item):
        return None
    if item.overdue or item.due_at <= (now or utc_now()):
        return "overdue"
    return "due_soon" if item.warning == "due_soon" else None


def relative_due(item: TicketListItem, now: datetime | None = None) -> str:
    """"in 3 h", "overdue 2 d"; an en dash once the ticket is resolved or closed (no deadline runs)."""
    if not is_open(item):
        return "\u2013"
    left = (item.due_at - (now or utc_now())).total_seconds()
    if left <= 0:
        return QCoreApplication.translate("TicketLabels", "overdue {span}").format(span=format_span(left))
    return QCoreApplication.translate("TicketLabels", "in {span}").format(span=format_span(left))


def due_sentence(ticket: TicketListItem, now: datetime | None = None) -> str:
    """The detail's due line: "Due 26 Nov 14:30 — overdue by 3 h", "Legal deadline 2 Dec 23:59 — in 6 d"."""
    now = now or utc_now()
    when = format_local(ticket.due_at, now)
    if not is_open(ticket):
        text = QCoreApplication.translate("TicketLabels", "Was due {when} — {state}, no deadline runs").format(
            when=when, state=state_label(ticket.state).lower())
    else:
        legal = ticket.legal_due_at is not None and ticket.legal_due_at == ticket.due_at
        lead = (QCoreApplication.translate("TicketLabels", "Legal deadline {when}") if legal
                else QCoreApplication.translate("TicketLabels", "Due {when}"))
        left = (ticket.due_at - now).total_seconds()
        span = format_span(left)
        tail = (QCoreApplication.translate("TicketLabels", "overdue by {span}") if left <= 0
                else QCoreApplication.translate("TicketLabels", "in {span}")).format(span=span)
        text = f"{lead.format(when=when)} \u2014 {tail}"
    if ticket.legal_due_at is not None and ticket.legal_due_at != ticket.due_at:
        text += " · " + QCoreApplication.translate("TicketLabels", "legal deadline {when}").format(
            when=format_local(ticket.legal_due_at, now))
    return text


# --- the queue ----------------------------------------------------------------------------------


class Column(IntEnum):
    NUMBER = 0
    PRIORITY = 1
    STATE = 2
    TITLE = 3
    OWNER = 4
    DUE = 5
    UPDATED = 6


_HEADERS: dict[Column, str] = {
    Column.NUMBER: QT_TRANSLATE_NOOP("TicketColumn", "Number"),
    Column.PRIORITY: QT_TRANSLATE_NOOP("TicketColumn", "Priority"),
    Column.STATE: QT_TRANSLATE_NOOP("TicketColumn", "State"),
    Column.TITLE: QT_TRANSLATE_NOOP("TicketColumn", "Title"),
    Column.OWNER: QT_TRANSLATE_NOOP("TicketColumn", "Owner"),
    Column.DUE: QT_TRANSLATE_NOOP("TicketColumn", "Due"),
    Column.UPDATED: QT_TRANSLATE_NOOP("TicketColumn", "Updated"),
}

_PRIORITY_RANK = {p: n for n, p in enumerate(TICKET_PRIORITIES)}
_STATE_RANK = {s: n for n, s in enumerate(TICKET_STATES)}
_CLOCK_MS = 60_000
"""The relative due times ("in 3 h") and the overdue markers are refreshed once a minute."""


class TicketQueueModel(QAbstractTableModel):
    """The operator's ticket queue for one scope, sorted by due date, kept current live.

    Columns: Number, Priority, State, Title, Owner, Due (relative), Updated (local time).
    Roles: DisplayRole texts; ToolTipRole with absolute local times; ForegroundRole and
    BackgroundRole of the Due cell mark overdue (red) and due-soon (amber) tickets; DecorationRole gives the
    priority's colour chip and a dot on the due cell of marked rows; SortRole a sortable raw
    value per column; TicketRole the TicketListItem; IdRole the ticket id; PendingRole whether a
    change of the operator's has not reached the server yet. Such a row is set in italics and its
    state cell says "unsent" with a clock, in amber, with a tooltip saying it is sent later.

    Signals:
        loading_changed(bool): a load of the scope started (True) or ended (False).
        failed(str): loading or a live update failed; a message for the operator.
        loaded(): the scope's tickets were (re)loaded.
    """

    SCOPES: ClassVar[tuple[str, ...]] = ("open_work", "mine", "overdue", "resolved", "all")
    SortRole: ClassVar[int] = Qt.ItemDataRole.UserRole + 1
    TicketRole: ClassVar[int] = Qt.ItemDataRole.UserRole + 2
    IdRole: ClassVar[int] = Qt.ItemDataRole.UserRole + 3
    PendingRole: ClassVar[int] = Qt.ItemDataRole.UserRole + 4

    loading_changed = Signal(bool)
    failed = Signal(str)
    loaded = Signal()

    def __init__(self, data: DataAccess, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._data = data
        self._scope = "open_work"
        self._items: list[TicketListItem] = []
        self._rows: dict[str, int] = {}
        self._colleagues: dict[str, Colleague] = {}
        self._loaded = False
        self._loading = 0
        self._generation = 0
        # Ids changed while a load was running: the load may predate the change, so they are
        # fetched again once it is in.
        self._changed_while_loading: set[str] = set()
        self._fetching: set[str] = set()
        self._fetch_again: set[str] = set()
        self._tasks = OwnedTasks(self)
        self._clock = QTimer(self)
        self._clock.setObjectName("ticket-queue-clock")
        self._clock.setInterval(_CLOCK_MS)
        self._clock.timeout.connect(self._on_clock_timeout)
        data.ticket_changed.connect(self._on_data_ticket_changed)
        data.resync_needed.connect(self._on_data_resync_needed)

    # --- state ----------------------------------------------------------------------------------

    @property
    def scope(self) -> str:
        return self._scope

    @property
    def is_loading(self) -> bool:
        return self._loading > 0

    @property
    def is_loaded(self) -> bool:
        """At least one load of the current scope has finished."""
        return self._loaded

    @property
    def operator_id(self) -> str | None:
        """The signed-in operator's id; None once signed out."""
        operator = self._data.client.operator
        return operator.id if operator is not None else None

    def colleagues(self) -> list[Colleague]:
        """Active operators by name (owners and assignees), as last loaded."""
        return sorted(self._colleagues.values(), key=lambda c: c.display_name.casefold())

    def owner_name(self, owner_id: str | None) -> str:
        """"Unassigned", "Me", the colleague's name, or "Former colleague" for an inactive one."""
        if owner_id is None:
            return self.tr("Unassigned")
        if owner_id == self.operator_id:
            return self.tr("Me")
        colleague = self._colleagues.get(owner_id)
        return colleague.display_name if colleague else self.tr("Former colleague")

    def items(self) -> list[TicketListItem]:
        """The tickets in row order (a copy)."""
        return list(self._items)

    def ticket_at(self, row: int) -> TicketListItem:
        return self._items[row]

    def row_of(self, ticket_id: str) -> int | None:
        return self._rows.get(ticket_id)

    def overdue_count(self) -> int:
        now = utc_now()
        return sum(1 for item in self._items if due_level(item, now) == "overdue")

    def in_scope(self, item: TicketListItem) -> bool:
        """Whether a ticket belongs in the current scope (for live updates)."""
        if self._scope == "open_work":
            return is_open(item)
        if self._scope == "mine":
            return is_open(item) and item.owner_id is not None and item.owner_id == self.operator_id
        if self._scope == "overdue":
            return due_level(item) == "overdue"
        if self._scope == "resolved":
            return item.state == "resolved"
        return True

    # --- loading --------------------------------------------------------------------------------

    async def set_scope(self, scope: str) -> None:
        if scope not in self.SCOPES:
            raise ValueError(f"unknown ticket scope {scope!r}")
        if scope != self._scope:
            self._scope = scope
            self._loaded = False
        await self.reload()

    async def reload(self) -> None:
        """Load the scope's tickets (and the colleagues, for owner names); a failure is reported
        with `failed` and leaves the rows as they were."""
        self._generation += 1
        generation = self._generation
        scope = self._scope
        self._set_loading(+1)
        try:
            colleagues, items = await asyncio.gather(self._data.colleagues(), self._fetch_scope(scope))
        except Exception as exc:
            if generation == self._generation:
                log.info("loading tickets failed: %s", type(exc).__name__)
                self.failed.emit(describe(exc))
            return
        finally:
            self._set_loading(-1)
        if generation != self._generation:
            return  # a later load (another scope, a resync) owns the rows now
        self.beginResetModel()
        self._colleagues = {c.id: c for c in colleagues}
        self._items = list(items)
        self._reindex()
        self.endResetModel()
        self._loaded = True
        if not self._clock.isActive():
            self._clock.start()
        self.loaded.emit()
        again, self._changed_while_loading = self._changed_while_loading, set()
        for ticket_id in again:
            self._tasks.start(self._refresh_ticket(ticket_id))

    async def _fetch_scope(self, scope: str) -> list[TicketListItem]:
        data = self._data
        if scope == "open_work":
            return await data.tickets(states=OPEN_TICKET_STATES)
        if scope == "mine":
            return await data.tickets(states=OPEN_TICKET_STATES, owner_id=data.operator.id)
        if scope == "overdue":
            return await data.tickets(states=OPEN_TICKET_STATES, overdue=True)
        if scope == "resolved":
            return await data.tickets(states=("resolved",))
        return await data.tickets(states=TICKET_STATES)

    def _set_loading(self, delta: int) -> None:
        was = self.is_loading
        self._loading += delta
        if self.is_loading != was:
            self.loading_changed.emit(self.is_loading)

    def close(self) -> None:
        """Stop the clock and cancel live fetches (before the loop closes)."""
        self._clock.stop()
        self._tasks.cancel()

    # --- live -----------------------------------------------------------------------------------

    def _on_data_ticket_changed(self, ticket_id: str) -> None:
        if self.is_loading:
            self._changed_while_loading.add(ticket_id)
            return
        if ticket_id in self._fetching:
            # One fetch at a time per ticket; the newest state is fetched once it returns.
            self._fetch_again.add(ticket_id)
            return
        self._tasks.start(self._refresh_ticket(ticket_id))

    def _on_data_resync_needed(self) -> None:
        self._tasks.start(self.reload())

    def _on_clock_timeout(self) -> None:
        if self._items:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._items) - 1, len(Column) - 1), [])

    async def _refresh_ticket(self, ticket_id: str) -> None:
        self._fetching.add(ticket_id)
        try:
            item: TicketListItem = await self._data.ticket(ticket_id)
        except ApiProblem as exc:
            if exc.status == 404:
                self.remove(ticket_id)
            else:
                self.failed.emit(describe(exc))
            return
        except RecordGone:
            self.remove(ticket_id)  # deleted or erased: the store no longer has it
            return
        except Exception as exc:
            self.failed.emit(describe(exc))
            return
        finally:
            self._fetching.discard(ticket_id)
            if ticket_id in self._fetch_again:
                self._fetch_again.discard(ticket_id)
                self._tasks.start(self._refresh_ticket(ticket_id))
        self.upsert(item)

    def upsert(self, item: TicketListItem) -> None:
        """Show a ticket's newest version: update its row, add it where it belongs by due date,
        or drop it when it left the scope. An older version than the one shown is ignored."""
        row = self._rows.get(item.id)
        if row is not None and self._items[row].version > item.version:
            return
        if not self.in_scope(item):
            self.remove(item.id)
            return
        if isinstance(item, TicketDetail):
            # The queue keeps the list fields only, not every ticket's history.
            item = TicketListItem.model_validate(item.model_dump())
        if row is not None:
            self._items[row] = item
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(Column) - 1), [])
            return
        key = (item.due_at, item.number)
        row = next((n for n, other in enumerate(self._items) if (other.due_at, other.number) > key), len(self._items))
        self.beginInsertRows(QModelIndex(), row, row)
        self._items.insert(row, item)
        self._reindex()
        self.endInsertRows()

    def remove(self, ticket_id: str) -> None:
        row = self._rows.get(ticket_id)
        if row is None:
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._items[row]
        self._reindex()
        self.endRemoveRows()

    def _reindex(self) -> None:
        self._rows = {item.id: row for row, item in enumerate(self._items)}

    # --- Qt model -------------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate("TicketColumn", _HEADERS[Column(section)])
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(item, column)
        if role == self.SortRole:
            return self._sort_value(item, column)
        if role in (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole,
                    Qt.ItemDataRole.DecorationRole):
            return self._marker(item, column, role)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(item, column)
        if role == Qt.ItemDataRole.FontRole:
            return _italic_font() if item.pending else None
        if role == self.TicketRole:
            return item
        if role == self.IdRole:
            return item.id
        if role == self.PendingRole:
            return item.pending
        return None

    def _display(self, item: TicketListItem, column: Column) -> str:
        if column == Column.NUMBER:
            return item.number
        if column == Column.PRIORITY:
            return priority_label(item.priority)
        if column == Column.STATE:
            return state_cell_text(item)
        if column == Column.TITLE:
            return item.title
        if column == Column.OWNER:
            return self.owner_name(item.owner_id)
        if column == Column.DUE:
            return relative_due(item)
        return format_local(item.updated_at)

    def _sort_value(self, item: TicketListItem, column: Column) -> Any:
        if column == Column.NUMBER:
            return item.number
        if column == Column.PRIORITY:
            return _PRIORITY_RANK.get(item.priority, len(_PRIORITY_RANK))
        if column == Column.STATE:
            return _STATE_RANK.get(item.state, len(_STATE_RANK))
        if column == Column.TITLE:
            return item.title.casefold()
        if column == Column.OWNER:
            return "" if item.owner_id is None else self.owner_name(item.owner_id).casefold()
        if column == Column.DUE:
            return item.due_at.timestamp()
        return item.updated_at.timestamp()

    def _marker(self, item: TicketListItem, column: Column, role: int) -> Any:
        if item.pending and column == Column.STATE:
            if role == Qt.ItemDataRole.DecorationRole:
                return pending_icon()
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(QColor(PENDING_COLOUR))
            return None
        level = due_level(item)
        if role == Qt.ItemDataRole.DecorationRole:
            if column == Column.PRIORITY:
                return _chip_icon(PRIORITY_COLOURS.get(item.priority, "#9aa0a6"), False)
            if column == Column.DUE and level is not None:
                return _chip_icon(OVERDUE_COLOUR if level == "overdue" else DUE_SOON_COLOUR, True)
            return None
        if level is None or column != Column.DUE:
            # Only the due cell is marked: in a queue where most tickets are late, tinted rows
            # would turn the whole table red and mark nothing.
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(QColor(OVERDUE_TINT if level == "overdue" else DUE_SOON_TINT))
        return QBrush(QColor(OVERDUE_COLOUR if level == "overdue" else DUE_SOON_COLOUR))

    def _tooltip(self, item: TicketListItem, column: Column) -> str:
        text = self._plain_tooltip(item, column)
        if not item.pending:
            return text
        # Whichever cell the pointer rests on, an unsent row says why it looks different.
        return f"{text}\n{pending_explanation()}" if text else pending_explanation()

    def _plain_tooltip(self, item: TicketListItem, column: Column) -> str:
        if column == Column.DUE:
            return due_sentence(item)
        if column == Column.UPDATED:
            return self.tr("Updated {when} · created {created}").format(
                when=format_local(item.updated_at), created=format_local(item.created_at))
        if column == Column.TITLE:
            return f"{item.number} · {kind_label(item.kind)}\n{item.title}"
        return ""


@functools.cache
def _italic_font() -> QFont:
    font = QFont()
    font.setItalic(True)
    return font


class TicketFilterProxy(QSortFilterProxyModel):
    """The queue as the operator narrows it: words of the number or title, one priority, one
    kind; sorted by any column on its raw value (TicketQueueModel.SortRole).

    Signals: only the standard proxy model signals.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._words: tuple[str, ...] = ()
        self._priority: str | None = None
        self._kind: str | None = None
        self.setSortRole(TicketQueueModel.SortRole)
        self.setDynamicSortFilter(True)

    @property
    def is_filtering(self) -> bool:
        return bool(self._words) or self._priority is not None or self._kind is not None

    def set_text(self, text: str) -> None:
        words = tuple(text.casefold().split())
        if words != self._words:
            self.beginFilterChange()
            self._words = words
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_priority(self, priority: str | None) -> None:
        if priority != self._priority:
            self.beginFilterChange()
            self._priority = priority
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_kind(self, kind: str | None) -> None:
        if kind != self._kind:
            self.beginFilterChange()
            self._kind = kind
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def ticket_at(self, row: int) -> TicketListItem:
        """The ticket in the proxy's row."""
        item = self.index(row, 0).data(TicketQueueModel.TicketRole)
        assert isinstance(item, TicketListItem)
        return item

    def row_of(self, ticket_id: str) -> int | None:
        source = self.sourceModel()
        if not isinstance(source, TicketQueueModel):
            return None
        row = source.row_of(ticket_id)
        if row is None:
            return None
        index = self.mapFromSource(source.index(row, 0))
        return index.row() if index.isValid() else None

    def overdue_count(self) -> int:
        now = utc_now()
        return sum(1 for row in range(self.rowCount()) if due_level(self.ticket_at(row), now) == "overdue")

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        source = self.sourceModel()
        item = source.index(source_row, 0, source_parent).data(TicketQueueModel.TicketRole)
        if not isinstance(item, TicketListItem):
            return False
        if self._priority is not None and item.priority != self._priority:
            return False
        if self._kind is not None and item.kind != self._kind:
            return False
        text = f"{item.number} {item.title}".casefold()
        return all(word in text for word in self._words)


# --- the ticket in the detail -------------------------------------------------------------------


class TicketEditor(QObject):
    """The ticket open in the detail, with its history; saves state, owner, comments and photos.

    Every change is sent with the version shown (If-Match): if someone else changed the ticket
    first, the server refuses it (412), the ticket is reloaded and the operator told. A ticket
    changed elsewhere while open is reloaded live.

    With the local store, a change is kept in the outbox and succeeds at once, online or not: the
    ticket reads back `pending`, and its unsent comments and attachments are history entries
    marked `pending`. The store keeps no history entry for an unsent change of a field, so the
    editor adds one (marked `pending`) for each change it queued, until the server has it.

    Signals:
        changed(): the ticket was opened, reloaded or saved (read `ticket`).
        failed(str): something could not be loaded or saved; a message for the operator.
        busy_changed(bool): a load or save started (True) or everything finished (False).
    """

    changed = Signal()
    failed = Signal(str)
    busy_changed = Signal(bool)

    def __init__(self, data: DataAccess, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._data = data
        self.ticket: TicketDetail | None = None
        self._ticket_id: str | None = None
        self._busy = 0
        self._load_sequence = 0
        self._reloading = False
        self._reload_again = False
        # Field changes queued in the outbox, per ticket, shown as pending history entries.
        self._queued_changes: dict[str, list[TicketEntry]] = {}
        self._queued_numbers = itertools.count(1)
        self._tasks = OwnedTasks(self)
        data.ticket_changed.connect(self._on_data_ticket_changed)
        data.resync_needed.connect(self._on_data_resync_needed)

    @property
    def busy(self) -> bool:
        return self._busy > 0

    @property
    def pending(self) -> bool:
        """The open ticket has changes, comments or files the server does not have yet."""
        return self.ticket is not None and self.ticket.pending

    @property
    def ticket_id(self) -> str | None:
        """The ticket being shown or being opened."""
        return self._ticket_id

    def allowed_states(self) -> tuple[str, ...]:
        """The states the open ticket may move to (the server's TRANSITIONS)."""
        return TRANSITIONS.get(self.ticket.state, ()) if self.ticket is not None else ()

    def close(self) -> None:
        """Cancel live reloads (before the loop closes)."""
        self._tasks.cancel()

    # --- loading --------------------------------------------------------------------------------

    async def open(self, ticket_id: str) -> None:
        """Show a ticket: load it with its history; `failed` if it cannot be loaded."""
        if ticket_id != self._ticket_id:
            self._ticket_id = ticket_id
            if self.ticket is not None and self.ticket.id != ticket_id:
                # The previous ticket is no longer what the operator looks at.
                self.ticket = None
                self.changed.emit()
        await self._load(ticket_id)

    async def reload(self) -> None:
        if self._ticket_id is not None:
            await self._load(self._ticket_id)

    async def _load(self, ticket_id: str) -> bool:
        self._load_sequence += 1
        sequence = self._load_sequence
        self._set_busy(+1)
        try:
            ticket = await self._data.ticket(ticket_id)
        except Exception as exc:
            if sequence == self._load_sequence and ticket_id == self._ticket_id:
                self.failed.emit(describe(exc))
            return False
        finally:
            self._set_busy(-1)
        if ticket_id != self._ticket_id:
            return False  # the operator opened another ticket meanwhile
        if sequence != self._load_sequence and self.ticket is not None and self.ticket.version > ticket.version:
            return False  # a later load already showed a newer version
        self.ticket = self._with_queued_changes(ticket)
        self.changed.emit()
        return True

    def _with_queued_changes(self, ticket: TicketDetail) -> TicketDetail:
        """The ticket with a pending history entry for each field change still waiting in the outbox."""
        queued = self._queued_changes.get(ticket.id)
        if not queued:
            return ticket
        if not ticket.pending:
            # Nothing of the ticket waits any more: the server has the changes (or the operator
            # discarded them), and its own history entries tell the rest.
            del self._queued_changes[ticket.id]
            return ticket
        kept: list[TicketEntry] = []
        for entry in queued:
            field = entry.field or ""
            if _current_value(ticket, field) != self._last_queued_value(ticket.id, field):
                continue  # the field now holds something else: that change was overtaken
            if any(_records_change(other, entry) for other in ticket.history):
                continue  # the store shows this change itself (sent, or pending from the store)
            kept.append(entry)
        if kept:
            self._queued_changes[ticket.id] = kept
        else:
            del self._queued_changes[ticket.id]
            return ticket
        # Outbox times are whole seconds: the queued entries (also whole seconds) go first in
        # their second, where the change the operator made just before a comment belongs.
        history = sorted([*kept, *ticket.history], key=lambda e: e.at)
        return ticket.model_copy(update={"history": history})

    def _last_queued_value(self, ticket_id: str, field: str) -> str | None:
        values = [e.new_value for e in self._queued_changes.get(ticket_id, []) if e.field == field]
        return values[-1] if values else None

    def _remember_queued(self, before: TicketDetail, changes: Mapping[str, Any]) -> None:
        now = utc_now().replace(microsecond=0)  # as the outbox records its writes' times
        entries = self._queued_changes.setdefault(before.id, [])
        for field, value in changes.items():
            old = getattr(before, field, None)
            entries.append(TicketEntry(
                id=f"queued-{next(self._queued_numbers)}", at=now, author_id=self._operator_id(),
                kind="change", field=field, old_value=None if old is None else str(old),
                new_value=None if value is None else str(value), pending=True,
            ))

    def _operator_id(self) -> str | None:
        operator = self._data.client.operator
        return operator.id if operator is not None else None

    def _on_data_ticket_changed(self, ticket_id: str) -> None:
        if ticket_id == self._ticket_id and self.ticket is not None:
            if self._reloading:
                self._reload_again = True
            else:
                self._tasks.start(self._reload_live())

    def _on_data_resync_needed(self) -> None:
        if self._ticket_id is not None:
            self._tasks.start(self._reload_live())

    async def _reload_live(self) -> None:
        self._reloading = True
        try:
            await self.reload()
            while self._reload_again:
                self._reload_again = False
                await self.reload()
        finally:
            self._reloading = False

    def _set_busy(self, delta: int) -> None:
        was = self.busy
        self._busy += delta
        if self.busy != was:
            self.busy_changed.emit(self.busy)

    # --- changing -------------------------------------------------------------------------------

    async def change_state(self, state: str) -> bool:
        """Move the ticket to `state`; True when the server saved it."""
        if self.ticket is None:
            return False
        if state not in self.allowed_states():
            self.failed.emit(self.tr("A ticket that is {current} cannot move to {wanted}.").format(
                current=state_label(self.ticket.state).lower(), wanted=state_label(state).lower()))
            return False
        return await self._save({"state": state})

    async def assign(self, owner_id: str | None) -> bool:
        """Give the ticket to a colleague (None: nobody); True when the server saved it."""
        if self.ticket is None:
            return False
        if owner_id == self.ticket.owner_id:
            return True
        return await self._save({"owner_id": owner_id})

    async def add_comment(self, body: str, public: bool) -> bool:
        """A public reply (the customer sees it) or an internal note; True when the server has it."""
        if self.ticket is None:
            return False
        if not body.strip():
            self.failed.emit(self.tr("Write the comment first: an empty comment is not sent."))
            return False
        ticket_id = self.ticket.id
        self._set_busy(+1)
        try:
            await self._data.comment_ticket(ticket_id, body.strip(), public)
        except Exception as exc:
            self.failed.emit(describe(exc))
            return False
        finally:
            self._set_busy(-1)
        await self._after_save(ticket_id)
        return True

    async def _save(self, changes: Mapping[str, Any]) -> bool:
        assert self.ticket is not None
        ticket = self.ticket
        self._set_busy(+1)
        try:
            saved = await self._data.change_ticket(ticket.id, ticket.version, changes)
        except ApiProblem as exc:
            if exc.status != 412:
                self.failed.emit(describe(exc))
                return False
            stale = True
        except Exception as exc:
            self.failed.emit(describe(exc))
            return False
        else:
            stale = False
        finally:
            self._set_busy(-1)
        if stale:
            await self._load(ticket.id)
            self.failed.emit(self.tr(
                "Someone else changed ticket {number} in the meantime, so your change was not saved. "
                "The ticket has been reloaded: check it and try again.").format(number=ticket.number))
            return False
        if saved.pending:
            self._remember_queued(ticket, changes)
        if self.ticket is not None and self.ticket.id == saved.id:
            # Show what was saved at once; the reload below brings the history entries. Only the
            # list fields are taken (as records, not dumped dicts): a detail read from the store
            # would bring its history, customer and device too.
            update = {name: getattr(saved, name) for name in TicketListItem.model_fields}
            self.ticket = self.ticket.model_copy(update=update)
            self.changed.emit()
        await self._after_save(ticket.id)
        return True

    async def attach_file(self, path: Path) -> bool:
        """Attach a photo (JPEG, PNG) or a PDF to the open ticket, e.g. for a service report; True
        when it is queued (or, without the local store, on the server).

        The file is read off the GUI thread and checked here first (type by content, size), so a
        file the server would refuse is never queued to fail later in the field.
        """
        if self.ticket is None:
            return False
        ticket_id = self.ticket.id
        name = path.name
        self._set_busy(+1)
        try:
            content = await self._read_attachment(path)
            if content is None:
                return False
            await self._data.attach_to_ticket(ticket_id, name, content)
        except Exception as exc:
            self.failed.emit(describe(exc))
            return False
        finally:
            self._set_busy(-1)
        await self._after_save(ticket_id)
        return True

    async def _read_attachment(self, path: Path) -> bytes | None:
        """The file's content, or None (with `failed`) when it cannot or may not be attached."""
        try:
            size = (await asyncio.to_thread(path.stat)).st_size
            if size > MAX_ATTACHMENT_BYTES:
                self.failed.emit(_too_large(path.name, size))
                return None
            content = await asyncio.to_thread(path.read_bytes)
        except OSError as exc:
            self.failed.emit(self.tr("{name} could not be read: {reason}").format(
                name=path.name, reason=exc.strerror or type(exc).__name__))
            return None
        if len(content) > MAX_ATTACHMENT_BYTES:  # it grew since it was measured
            self.failed.emit(_too_large(path.name, len(content)))
            return None
        if not content:
            self.failed.emit(self.tr("{name} is empty: there is nothing to attach.").format(name=path.name))
            return None
        if not any(content.startswith(signature) for signature in ATTACHMENT_SIGNATURES.values()):
            self.failed.emit(self.tr("{name} is not a JPEG or PNG photo or a PDF document, so it cannot be "
                                     "attached.").format(name=path.name))
            return None
        return content

    async def _after_save(self, ticket_id: str) -> None:
        if ticket_id == self._ticket_id:
            await self._load(ticket_id)


def _too_large(name: str, size: int) -> str:
    return QCoreApplication.translate(
        "TicketLabels", "{name} is {size} MB; a ticket attachment may be at most {limit} MB.").format(
        # Rounded up: a file just over the limit must not read as "10.0 MB" next to "at most 10 MB".
        name=name, size=f"{math.ceil(size * 10 / 1024 / 1024) / 10:.1f}", limit=MAX_ATTACHMENT_BYTES // 1024 // 1024)


def _current_value(ticket: TicketDetail, field: str) -> str | None:
    value = getattr(ticket, field, None)
    return None if value is None else str(value)


# A queued change and the server's entry for it are minutes apart at most, unless the clocks
# disagree; an older entry of the same change is someone's earlier move, not this one.
_SAME_CHANGE_WINDOW = timedelta(minutes=10)


def _records_change(entry: TicketEntry, queued: TicketEntry) -> bool:
    """Whether `entry` (from the store) is the history entry of the `queued` change."""
    if entry.kind != "change" or entry.field != queued.field or entry.id == queued.id:
        return False
    if entry.pending:
        return True  # the store lays the unsent change over the history itself
    return entry.new_value == queued.new_value and entry.at >= queued.at - _SAME_CHANGE_WINDOW


def owner_choices(colleagues: Sequence[Colleague], me: str | None) -> list[tuple[str | None, str]]:
    """(owner id, label) pairs for an assign list: nobody, the operator, then colleagues by name."""
    choices: list[tuple[str | None, str]] = [(None, QCoreApplication.translate("TicketLabels", "Unassigned"))]
    mine = [c for c in colleagues if c.id == me]
    others = sorted((c for c in colleagues if c.id != me), key=lambda c: c.display_name.casefold())
    choices += [(c.id, QCoreApplication.translate("TicketLabels", "{name} (me)").format(name=c.display_name))
                for c in mine]
    choices += [(c.id, c.display_name) for c in others]
    return choices
