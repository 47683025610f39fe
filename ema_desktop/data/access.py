"""The console's one data-access layer: every pane's model reads and writes through `DataAccess`,
never through HTTP calls of its own, and changes reach the models as Qt signals from here.

Reads come from the encrypted local store once it holds a complete first sync (so the panes show
data at start and offline); until then, or without a store, from the server. Writes go to the
store's outbox, which sends them when the server is reachable. Live events are applied to the
store (they trigger a pull of the change feed) and become signals once the store has them.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from ema_desktop.backend.client import BackendClient
from ema_desktop.backend.problems import BackendError, ServerUnreachable
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
    TicketListItem,
)
from ema_desktop.cache import outbox, reads

if TYPE_CHECKING:
    from ema_desktop.backend.events import EventStream, ServerEvent, StreamState
    from ema_desktop.data.local_data import LocalData

log = logging.getLogger(__name__)

# Permissions (BRIEF §5) the console asks about to show or hide panes and actions.
VIEW_CUSTOMERS = "customers.view"
WORK_TICKETS = "tickets.work"
HANDLE_PRIVACY = "privacy.handle"
SIMPLE_REMOTE_ACTIONS = "devices.simple_actions"

OPEN_TICKET_STATES = ("new", "open", "in_progress", "waiting_customer")

# Live events that mean "a record changed": the store pulls the change, then the signal follows.
_RECORD_EVENTS = {
    "ticket.created": "ticket", "ticket.updated": "ticket",
    "privacy_request.created": "privacy_request", "privacy_request.updated": "privacy_request",
    "customer.updated": "customer", "device.updated": "device",
}


def _now() -> datetime:
    return datetime.now(UTC)


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

    def __init__(self, client: BackendClient, local: LocalData | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.client = client
        self.local = local
        self._stream: EventStream | None = None
        self._connection = "connecting"
        if local is not None:
            local.records_changed.connect(self._on_local_records_changed)

    @property
    def from_store(self) -> bool:
        """Whether reads come from the local store (it holds a complete first sync)."""
        return self.local is not None and self.local.ready

    @property
    def keeps_writes(self) -> bool:
        """Whether writes go through the outbox: once reads come from the store, so what the
        operator changes is shown (pending) on the records they see. Before the first sync
        completes, reads and writes both go to the server."""
        return self.from_store

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
        if state.value == "online" and self.local is not None:
            # Back online: fetch what changed while away and send what waited.
            self.local.request_pull()
            self.local.request_send()

    def _on_stream_reset(self, reason: str) -> None:
        log.info("event stream reset (%s): reloading", reason)
        if self.from_store:
            assert self.local is not None
            self.local.request_pull()  # the change feed has everything the stream missed
        else:
            self.resync_needed.emit()

    def _on_local_records_changed(self, changes: dict[str, set[str] | None]) -> None:
        if not self.from_store:
            return
        if any(ids is None for ids in changes.values()):
            self.resync_needed.emit()
            return
        signals = {"ticket": self.ticket_changed, "privacy_request": self.privacy_request_changed,
                   "customer": self.customer_changed, "device": self.device_changed}
        for entity, ids in changes.items():
            signal = signals.get(entity)
            if signal is not None and ids is not None:
                for record_id in sorted(ids):
                    signal.emit(record_id)

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
        if kind in _RECORD_EVENTS and self.from_store:
            assert self.local is not None
            self.local.request_pull()  # the signal follows once the store has the change
            return
        if kind in ("ticket.created", "ticket.updated"):
            self.ticket_changed.emit(str(data["id"]))
        elif kind in ("privacy_request.created", "privacy_request.updated"):
            self.privacy_request_changed.emit(str(data["id"]))
        elif kind == "customer.updated":
            self.customer_changed.emit(str(data["id"]))
        elif kind == "device.updated":
            self.device_changed.emit(str(data["id"]))

    # ------------------------------------------------------------------ reads
    async def _read(self, fn: Any, *args: Any) -> Any:
        assert self.local is not None
        return await self.local.call(fn, *args)

    async def colleagues(self) -> list[Colleague]:
        if self.from_store:
            found: list[Colleague] = await self._read(reads.colleagues)
            return found
        return await self.client.colleagues()

    async def search_customers(self, query: str, limit: int = 100) -> Page[CustomerSummary]:
        if self.from_store:
            page: Page[CustomerSummary] = await self._read(reads.search_customers, query, limit)
            return page
        return await self.client.search_customers(query, limit)

    async def customer(self, customer_id: str) -> CustomerDetail:
        if self.from_store:
            detail: CustomerDetail | None = await self._read(reads.customer_detail, customer_id)
            if detail is None:
                raise RecordGone(self.tr("This customer is no longer in the records."))
            return detail
        return await self.client.customer(customer_id)

    async def stations(self) -> list[Device]:
        """Every charging station and wallbox with coordinates the operator may see (the map's pins).

        Routers, modems, SIMs and meters sit at the same sites and would only hide the chargers.
        """
        if self.from_store:
            found: list[Device] = await self._read(reads.stations)
            return found
        chargers, wallboxes = await asyncio.gather(self.client.all_devices(kind="charging_station"),
                                                   self.client.all_devices(kind="wallbox"))
        return [d for d in (*chargers, *wallboxes) if d.latitude is not None and d.longitude is not None]

    async def search_devices(self, query: str, limit: int = 20) -> list[Device]:
        if self.from_store:
            found: list[Device] = await self._read(reads.search_devices, query, limit)
            return found
        return (await self.client.devices(query=query, limit=limit)).items

    async def device(self, device_id: str) -> DeviceDetail:
        if self.from_store:
            detail: DeviceDetail | None = await self._read(reads.device_detail, device_id)
            if detail is None:
                raise RecordGone(self.tr("This device is no longer in the records."))
            return detail
        return await self.client.device(device_id)

    async def station_telemetry(self, device_id: str, measurands: Sequence[str], since: datetime, until: datetime,
                                max_points: int) -> dict[str, Any]:
        try:
            return await self.client.telemetry(device_id, measurands, since, until, max_points)
        except ServerUnreachable:
            # Offline: what "Prepare for field" cached, if anything.
            if self.local is None or self.local.store is None:
                raise
            from ema_desktop.cache.field import cached_telemetry

            cached: dict[str, Any] | None = await self._read(cached_telemetry, device_id, since, until)
            if cached is None:
                raise
            return cached

    async def tickets(self, *, states: Sequence[str] = OPEN_TICKET_STATES, owner_id: str | None = None,
                      overdue: bool | None = None) -> list[TicketListItem]:
        if self.from_store:
            found: list[TicketListItem] = await self._read(
                functools.partial(reads.tickets, states=tuple(states), owner_id=owner_id, overdue=overdue,
                                  now=_now()))
            return found
        items: list[TicketListItem] = []
        while True:
            page = await self.client.tickets(state=states, owner_id=owner_id, overdue=overdue, sort="due_at",
                                             offset=len(items))
            items.extend(page.items)
            if not page.items or len(items) >= page.total:
                return items

    async def ticket(self, ticket_id: str) -> TicketDetail:
        if self.from_store:
            detail: TicketDetail | None = await self._read(reads.ticket_detail, ticket_id, _now())
            if detail is None:
                raise RecordGone(self.tr("This ticket is no longer in the records."))
            return detail
        return await self.client.ticket(ticket_id)

    async def privacy_requests(self) -> list[PrivacyRequestItem]:
        if self.from_store:
            found: list[PrivacyRequestItem] = await self._read(reads.privacy_requests, _now())
            return found
        items: list[PrivacyRequestItem] = []
        while True:
            page = await self.client.privacy_requests(offset=len(items))
            items.extend(page.items)
            if not page.items or len(items) >= page.total:
                return items

    # ------------------------------------------------------------------ writes
    async def change_ticket(self, ticket_id: str, version: int, changes: Mapping[str, Any]) -> TicketListItem:
        """Change a ticket's fields; with a store, kept in the outbox and shown as pending at once."""
        if not self.keeps_writes:
            return await self.client.update_ticket(ticket_id, version, changes)
        assert self.local is not None
        await self.local.write(outbox.ticket_update(ticket_id, version, dict(changes)))
        saved: TicketDetail | None = await self._read(reads.ticket_detail, ticket_id, _now())
        if saved is None:
            raise RecordGone(self.tr("This ticket is no longer in the records."))
        # The list item the server would answer, not the detail: callers merge it into what they show.
        return TicketListItem.model_validate({name: getattr(saved, name) for name in TicketListItem.model_fields})

    async def comment_ticket(self, ticket_id: str, body: str, public: bool) -> None:
        """A public reply or internal note; with a store, kept in the outbox until sent."""
        if not self.keeps_writes:
            await self.client.add_ticket_comment(ticket_id, body, public)
            return
        assert self.local is not None
        await self.local.write(outbox.ticket_comment(ticket_id, body, public))

    async def attach_to_ticket(self, ticket_id: str, filename: str, content: bytes) -> None:
        """A photo or document for a ticket (a service report's pictures); kept in the outbox until sent."""
        if not self.keeps_writes:
            await self.client.send_write("POST", f"/api/v1/tickets/{ticket_id}/attachments",
                                         idempotency_key=str(uuid.uuid4()),
                                         upload=(filename, content, outbox.upload_type(filename)))
            self.ticket_changed.emit(ticket_id)
            return
        assert self.local is not None
        await self.local.write(outbox.ticket_attachment(ticket_id, filename, content))

    async def change_contact(self, customer_id: str, contact_id: str, version: int,
                             changes: Mapping[str, Any]) -> None:
        """Change a customer's contact person (name, role, e-mail, phone); kept in the outbox until sent."""
        if not self.keeps_writes:
            await self.client.send_write("PATCH", f"/api/v1/customers/{customer_id}/contacts/{contact_id}",
                                         idempotency_key=str(uuid.uuid4()), json=dict(changes), if_match=version)
            self.customer_changed.emit(customer_id)
            return
        assert self.local is not None
        # The store reports the contact's customer as changed (see LocalData's `_shown_as`).
        await self.local.write(outbox.contact_update(customer_id, contact_id, version, dict(changes)))

    async def note_privacy_request(self, request_id: str, note: str) -> None:
        """A note in a privacy request's history; kept in the outbox until sent."""
        if not self.keeps_writes:
            await self.client.send_write("PATCH", f"/api/v1/privacy-requests/{request_id}",
                                         idempotency_key=str(uuid.uuid4()), json={"note": note}, if_match="*")
            self.privacy_request_changed.emit(request_id)
            return
        assert self.local is not None
        await self.local.write(outbox.privacy_request_note(request_id, note))


class RecordGone(BackendError):
    """The record asked for is not (or no longer) in the local store: deleted or erased."""
