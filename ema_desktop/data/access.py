"""The console's one data-access layer: every pane's model reads and writes through `DataAccess`,
never through HTTP calls of its own, and live events reach the models as Qt signals from here.

Today it reads from the server; the offline issue puts the encrypted local store behind the same
methods and signals, so the models do not change.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from ema_desktop.backend.client import BackendClient
from ema_desktop.backend.records import (
    Colleague,
    CustomerDetail,
    CustomerSummary,
    Device,
    DeviceDetail,
    Operator,
    Page,
    PrivacyRequestItem,
    TicketDetail,
    TicketEntry,
    TicketListItem,
)

if TYPE_CHECKING:
    from ema_desktop.backend.events import EventStream, ServerEvent, StreamState

log = logging.getLogger(__name__)

# Permissions (BRIEF §5) the console asks about to show or hide panes and actions.
VIEW_CUSTOMERS = "customers.view"
WORK_TICKETS = "tickets.work"
HANDLE_PRIVACY = "privacy.handle"
SIMPLE_REMOTE_ACTIONS = "devices.simple_actions"

OPEN_TICKET_STATES = ("new", "open", "in_progress", "waiting_customer")


class DataAccess(QObject):
    """What the panes need, from the server, plus live events as signals.

    Signals:
        connection_changed(str): the live link's state: connecting, online, reconnecting, offline, stopped.
        station_status_changed(str, str, str): a station's rolled-up status changed (device id, status,
            error code or "").
        telemetry_received(str, object): new meter values of a station (device id, list of series).
        ticket_changed(str): a ticket was created or updated (its id).
        privacy_request_changed(str): a privacy request was created or updated (its id).
        customer_changed(str): a customer's record changed (its id).
        device_changed(str): a device's record changed (its id).
        resync_needed(): live events were missed; models should reload what they show.
    """

    connection_changed = Signal(str)
    station_status_changed = Signal(str, str, str)
    telemetry_received = Signal(str, object)
    ticket_changed = Signal(str)
    privacy_request_changed = Signal(str)
    customer_changed = Signal(str)
    device_changed = Signal(str)
    resync_needed = Signal()

    def __init__(self, client: BackendClient, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.client = client
        self._stream: EventStream | None = None
        self._connection = "connecting"

    @property
    def operator(self) -> Operator:
        if self.client.operator is None:
            raise RuntimeError("not signed in")
        return self.client.operator

    def may(self, permission: str) -> bool:
        return self.client.operator is not None and self.client.operator.may(permission)

    @property
    def connection(self) -> str:
        return self._connection

    # ------------------------------------------------------------------ live events
    def start_live(self) -> None:
        """Open the event stream (reconnecting by itself until stop_live)."""
        if self._stream is not None:
            return
        from ema_desktop.backend.events import EventStream

        self._stream = EventStream(
            self.client.http,
            self.client.access_token,
            on_event=self._on_stream_event,
            on_state=self._on_stream_state,
            on_reset=self._on_stream_reset,
        )
        self._stream.start()

    async def stop_live(self) -> None:
        stream, self._stream = self._stream, None
        if stream is not None:
            await stream.stop()

    def reconnect_now(self) -> None:
        if self._stream is not None:
            self._stream.reconnect_now()

    def _on_stream_state(self, state: StreamState) -> None:
        self._connection = state.value
        self.connection_changed.emit(state.value)

    def _on_stream_reset(self, reason: str) -> None:
        log.info("event stream reset (%s): reloading", reason)
        self.resync_needed.emit()

    def _on_stream_event(self, event: ServerEvent) -> None:
        data = event.data
        kind = event.type
        if kind == "device.status":
            # Every change carries the station's rolled-up status, which is what the map shows.
            self.station_status_changed.emit(
                str(data["device_id"]),
                str(data.get("device_status") or data.get("status")),
                str(data.get("device_error_code") or ""),
            )
        elif kind == "telemetry":
            self.telemetry_received.emit(str(data["device_id"]), data.get("series") or [])
        elif kind in ("ticket.created", "ticket.updated"):
            self.ticket_changed.emit(str(data["id"]))
        elif kind in ("privacy_request.created", "privacy_request.updated"):
            self.privacy_request_changed.emit(str(data["id"]))
        elif kind == "customer.updated":
            self.customer_changed.emit(str(data["id"]))
        elif kind == "device.updated":
            self.device_changed.emit(str(data["id"]))

    # ------------------------------------------------------------------ reads
    async def colleagues(self) -> list[Colleague]:
        return await self.client.colleagues()

    async def search_customers(self, query: str, limit: int = 100) -> Page[CustomerSummary]:
        return await self.client.search_customers(query, limit)

    async def customer(self, customer_id: str) -> CustomerDetail:
        return await self.client.customer(customer_id)

    async def stations(self) -> list[Device]:
        """Every charging station and wallbox with coordinates the operator may see (the map's pins).

        Routers, modems, SIMs and meters sit at the same sites and would only hide the chargers.
        """
        chargers, wallboxes = await asyncio.gather(self.client.all_devices(kind="charging_station"),
                                                   self.client.all_devices(kind="wallbox"))
        return [d for d in (*chargers, *wallboxes) if d.latitude is not None and d.longitude is not None]

    async def search_devices(self, query: str, limit: int = 20) -> list[Device]:
        return (await self.client.devices(query=query, limit=limit)).items

    async def device(self, device_id: str) -> DeviceDetail:
        return await self.client.device(device_id)

    async def station_telemetry(self, device_id: str, measurands: Sequence[str], since: datetime, until: datetime,
                                max_points: int) -> dict[str, Any]:
        return await self.client.telemetry(device_id, measurands, since, until, max_points)

    async def tickets(self, *, states: Sequence[str] = OPEN_TICKET_STATES, owner_id: str | None = None,
                      overdue: bool | None = None) -> list[TicketListItem]:
        items: list[TicketListItem] = []
        while True:
            page = await self.client.tickets(state=states, owner_id=owner_id, overdue=overdue, sort="due_at",
                                             offset=len(items))
            items.extend(page.items)
            if not page.items or len(items) >= page.total:
                return items

    async def ticket(self, ticket_id: str) -> TicketDetail:
        return await self.client.ticket(ticket_id)

    async def privacy_requests(self) -> list[PrivacyRequestItem]:
        items: list[PrivacyRequestItem] = []
        while True:
            page = await self.client.privacy_requests(offset=len(items))
            items.extend(page.items)
            if not page.items or len(items) >= page.total:
                return items

    # ------------------------------------------------------------------ writes
    async def change_ticket(self, ticket_id: str, version: int, changes: Mapping[str, Any]) -> TicketListItem:
        return await self.client.update_ticket(ticket_id, version, changes)

    async def comment_ticket(self, ticket_id: str, body: str, public: bool) -> TicketEntry:
        return await self.client.add_ticket_comment(ticket_id, body, public)
