"""Fault triage: the fault tickets the server opens by itself from what stations report, so no
fault waits for someone to notice it on the map.

- A Faulted status with an error code opens a fault ticket for the device, its customer, the
  connector (0: the station itself) and the error code. There is at most one open fault ticket
  per device + connector + error code: a fault that comes back while its ticket is open adds a
  line to that ticket's history instead of a second ticket.
- When a connector (or the station) that has open fault tickets reports a status other than
  Faulted, each of those tickets gets a note that the station reports recovery. The ticket
  stays open: whether the fault is really gone is an operator's call.
- A charging station offline longer than a threshold (the OCPP endpoint's watchdog calls
  :func:`open_offline_tickets` every round) gets one "StationOffline" ticket per outage, and a
  note on it when it comes back.

Tickets are made by :func:`ema_server.tickets.create_ticket`, so they are numbered, get SLA
deadlines and a history like any other; having no author (``created_by_id`` None) and entries of
kind "system" shows that the server wrote them. Every function runs in the caller's transaction
and never commits; ticket events are published in it as the tickets API publishes them.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Final

from sqlalchemy import exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from ema_server.db.events import publish
from ema_server.db.models import Customer, Device, DeviceStatusChange, Ticket, TicketEntry, new_id, utcnow
from ema_server.db.models.devices import CHARGER_KINDS
from ema_server.db.models.tickets import OPEN_TICKET_STATES
from ema_server.db.tracking import take_ordering_lock
from ema_server.domain.deadlines import PRAGUE
from ema_server.tickets import NewTicket, create_ticket

FAULTED: Final = "Faulted"
OFFLINE: Final = "Offline"
# The server's own view of the connection, recorded next to what stations report: neither is a
# report of the station's health.
_CONNECTIVITY_STATUSES: Final = frozenset({"Online", OFFLINE})

CONNECTIVITY_REASONS: Final = ("connection closed", "missed heartbeats")
"""The `info` of the Offline status changes the OCPP endpoint records when a station is gone."""
_REASONS_CS: Final = {
    "connection closed": "stanice ukončila spojení",
    "missed heartbeats": "stanice přestala posílat heartbeat",
}

STATION_OFFLINE: Final = "StationOffline"
"""The error code of "station offline" tickets."""
OFFLINE_TICKET_WINDOW: Final = timedelta(days=7)
"""Stations offline longer than this get no ticket: a station gone for weeks has been
decommissioned, unplugged for the season or is already known to be broken; a ticket for each
of them would bury the current outages."""
OFFLINE_TICKETS_PER_CALL: Final = 200
"""Tickets opened by one call of open_offline_tickets: creating each takes the ordering lock every
writer needs, so a mass outage is ticketed over a few short transactions, not one long one that
would hold up every station's messages."""

NO_ERROR_CODES: Final = frozenset({"", "NoError"})
ERROR_CODE_MAX: Final = 32
INFO_MAX: Final = 500
TITLE_MAX: Final = 200

# Faults that can hurt someone or damage the station or the car.
HIGH_PRIORITY_CODES: Final = frozenset({"GroundFailure", "OverCurrentFailure", "HighTemperature"})
_ONE_LEVEL_UP: Final = {"low": "normal", "normal": "high", "high": "critical", "critical": "critical"}
OFFLINE_PRIORITY: Final = "high"
"""A station offline cannot charge at all, as with a station-wide fault of normal priority."""


# --- wording ------------------------------------------------------------------------------------


def _czech_time(at: datetime) -> str:
    local = at.astimezone(PRAGUE)
    return f"{local.day}. {local.month}. {local.year} {local:%H:%M}"


def _ident(device: Device) -> str:
    return device.ocpp_identity or device.serial


def _place(connector_no: int) -> str:
    return "celá stanice" if connector_no == 0 else f"konektor {connector_no}"


def fault_priority(error_code: str, connector_no: int) -> str:
    """High for faults that can hurt someone or damage something, else normal; one level higher
    when the station reports it for itself (connector 0), since then no connector can charge."""
    priority = "high" if error_code in HIGH_PRIORITY_CODES else "normal"
    return _ONE_LEVEL_UP[priority] if connector_no == 0 else priority


def _error_code(error_code: str | None) -> str | None:
    # As the status history stores it: "NoError" is no error.
    if error_code is None or error_code.strip() in NO_ERROR_CODES:
        return None
    return error_code.strip()[:ERROR_CODE_MAX]


# --- tickets ------------------------------------------------------------------------------------


def _ticket_event(ticket: Ticket) -> dict[str, Any]:
    # As the tickets API publishes them: ids, versions and states only, since titles and texts
    # can hold personal data.
    return {"id": ticket.id, "number": ticket.number, "version": ticket.version, "state": ticket.state,
            "priority": ticket.priority, "owner_id": ticket.owner_id, "customer_id": ticket.customer_id}  # fmt: skip


async def _lock(session: AsyncSession) -> None:
    # Taken before looking for an open ticket, so that two transactions cannot both find none and
    # both open one (PostgreSQL; SQLite transactions are serialised already). Every write to a
    # ticket takes this lock anyway.
    await session.run_sync(lambda s: take_ordering_lock(s.connection()))


async def _open_ticket(
    session: AsyncSession, device: Device, connector_no: int, error_code: str, title: str, description: str,
    priority: str, now: datetime,
) -> Ticket:
    data = NewTicket(kind="fault", title=title[:TITLE_MAX], description=description, priority=priority,
                     device_id=device.id, connector_no=connector_no, error_code=error_code)  # fmt: skip
    # No author: the server opens it, for whatever connector the station reported (0 is itself).
    ticket = await create_ticket(session, data, None, now)
    publish(session, "ticket.created", _ticket_event(ticket))
    return ticket


async def _add_system_entry(session: AsyncSession, ticket: Ticket, body: str, now: datetime) -> None:
    session.add(TicketEntry(id=new_id(), ticket_id=ticket.id, kind="system", author_id=None, at=now, body=body,
                            public=False))  # fmt: skip
    ticket.updated_at = now  # a new version, so the change reaches the change feed
    await session.flush()
    publish(session, "ticket.updated", _ticket_event(ticket))


async def _open_fault_tickets(
    session: AsyncSession, device: Device, connector_no: int, error_code: str | None = None
) -> list[Ticket]:
    query = select(Ticket).where(
        Ticket.device_id == device.id,
        Ticket.kind == "fault",
        Ticket.connector_no == connector_no,
        Ticket.state.in_(OPEN_TICKET_STATES),
    )
    if error_code is not None:
        query = query.where(Ticket.error_code == error_code)
    else:
        query = query.where(or_(Ticket.error_code.is_(None), Ticket.error_code != STATION_OFFLINE))
    return list((await session.execute(query.order_by(Ticket.created_at, Ticket.id))).scalars())


# --- status reports -----------------------------------------------------------------------------


async def on_status_reported(
    session: AsyncSession,
    device: Device,
    connector_no: int,
    status: str,
    error_code: str | None,
    at: datetime,
    info: str | None = None,
) -> Ticket | None:
    """Triage a real change of a station's (connector 0) or connector's status.

    A Faulted status with an error code opens a fault ticket, or, when one is open for the same
    device, connector and error code, adds a "Porucha se opakovala" entry to it; that ticket is
    returned. Any other status reported by the station adds a recovery note to the open fault
    tickets of that connector (StationOffline tickets excepted: see :func:`on_station_online`)
    and returns None. `at` is the station's time of the report; `info` its free text, if any.
    """
    code = _error_code(error_code)
    now = utcnow()
    if status == FAULTED:
        if code is None:
            return None
        return await _fault_reported(session, device, connector_no, code, at, info, now)
    if status in _CONNECTIVITY_STATUSES:
        return None
    tickets = await _open_fault_tickets(session, device, connector_no)
    for ticket in tickets:
        await _add_system_entry(session, ticket, f"Stanice hlásí zotavení: {status} ({_czech_time(at)})", now)
    return None


async def _fault_reported(
    session: AsyncSession, device: Device, connector_no: int, code: str, at: datetime, info: str | None,
    now: datetime,
) -> Ticket:
    await _lock(session)
    station_text = f"\nInformace ze stanice: {info.strip()[:INFO_MAX]}" if info and info.strip() else ""
    open_tickets = await _open_fault_tickets(session, device, connector_no, code)
    if open_tickets:
        ticket = open_tickets[0]
        body = f"Porucha se opakovala: {FAULTED} / {code}, {_place(connector_no)} ({_czech_time(at)}).{station_text}"
        await _add_system_entry(session, ticket, body, now)
        return ticket
    ident = _ident(device)
    title = f"Porucha {code} – {ident}, {_place(connector_no)}"  # noqa: RUF001 (Czech typography)
    where = "za celou stanici" if connector_no == 0 else f"na konektoru {connector_no}"
    description = (
        f"Stanice {ident} ({device.vendor} {device.model}, v. č. {device.serial}) hlásí {where} stav {FAULTED} "
        f"s kódem {code} ({_czech_time(at)}). Tiket založil server automaticky.{station_text}"
    )
    return await _open_ticket(session, device, connector_no, code, title, description,
                              fault_priority(code, connector_no), now)  # fmt: skip


# --- connectivity -------------------------------------------------------------------------------


async def _stations_gone(
    session: AsyncSession, now: datetime, threshold: timedelta, limit: int
) -> list[tuple[Device, datetime, str]]:
    """(device, offline since, reason) of the stations that need a StationOffline ticket."""
    window_start = now - OFFLINE_TICKET_WINDOW
    latest = (
        select(DeviceStatusChange.device_id, func.max(DeviceStatusChange.id).label("change_id"))
        .join(Device, Device.id == DeviceStatusChange.device_id)
        .where(
            Device.status == OFFLINE,
            Device.kind.in_(CHARGER_KINDS),
            DeviceStatusChange.connector_no == 0,
            DeviceStatusChange.at >= window_start,
        )
        .group_by(DeviceStatusChange.device_id)
        .subquery()
    )
    change = aliased(DeviceStatusChange)
    ticketed = exists().where(
        Ticket.device_id == Device.id,
        Ticket.kind == "fault",
        Ticket.error_code == STATION_OFFLINE,
        or_(Ticket.state.in_(OPEN_TICKET_STATES), Ticket.created_at >= change.at),
    )
    rows = await session.execute(
        select(Device, change.at, change.info)
        .join(latest, latest.c.device_id == Device.id)
        .join(change, change.id == latest.c.change_id)
        .where(
            change.status == OFFLINE,
            change.info.in_(CONNECTIVITY_REASONS),
            change.at <= now - threshold,
            ~ticketed,
        )
        .order_by(change.at, Device.id)
        .limit(limit)
    )
    return [(device, since, reason or "") for device, since, reason in rows]


async def open_offline_tickets(
    session: AsyncSession, now: datetime, threshold: timedelta, limit: int = OFFLINE_TICKETS_PER_CALL
) -> list[Ticket]:
    """Open one "station offline" ticket for every charging station gone for `threshold`.

    A station qualifies when it is Offline and the latest change of its own (connector 0)
    status is an Offline the OCPP endpoint recorded (info in CONNECTIVITY_REASONS) between
    OFFLINE_TICKET_WINDOW and `threshold` before `now`; one never seen, or offline since long
    ago, does not. It gets no ticket while a StationOffline ticket of it is open, nor when one
    was opened after that Offline change: an operator who closes the ticket has dealt with this
    outage, and the next outage opens a new one. At most `limit` tickets per call, oldest
    outages first; call again (after committing) while a call returns `limit` tickets.

    One query picks the stations, whatever the size of the fleet (the newest connector-0 change
    of each offline charger within the window, where no ticket covers that outage); when it
    finds any, it runs again under the ordering lock, one more loads their customers, and then
    each ticket is created.
    """
    rows = await _stations_gone(session, now, threshold, limit)
    if rows:
        # Again under the lock, so that two servers sharing the database never both open a
        # ticket for one station; most rounds find nothing and never wait for the lock.
        await _lock(session)
        rows = await _stations_gone(session, now, threshold, limit)
    if not rows:
        return []
    # Loaded once here, so that create_ticket finds every customer in the session.
    await session.execute(select(Customer).where(Customer.id.in_({device.customer_id for device, _, _ in rows})))
    tickets = []
    for device, since, reason in rows:
        ident = _ident(device)
        description = (
            f"Stanice {ident} ({device.vendor} {device.model}, v. č. {device.serial}) je offline od "
            f"{_czech_time(since)}: {_REASONS_CS.get(reason, reason)}. Tiket založil server automaticky; "
            f"až se stanice znovu připojí, přibude v historii poznámka."
        )
        title = f"Stanice {ident} je offline od {_czech_time(since)}"
        ticket = await _open_ticket(session, device, 0, STATION_OFFLINE, title, description, OFFLINE_PRIORITY, now)
        tickets.append(ticket)
    return tickets


async def on_station_online(session: AsyncSession, device: Device, at: datetime) -> None:
    """The station is connected again: a note on its open StationOffline ticket(s)."""
    query = select(Ticket).where(
        Ticket.device_id == device.id,
        Ticket.kind == "fault",
        Ticket.error_code == STATION_OFFLINE,
        Ticket.state.in_(OPEN_TICKET_STATES),
    )
    tickets = list((await session.execute(query.order_by(Ticket.created_at, Ticket.id))).scalars())
    now = utcnow()
    for ticket in tickets:
        await _add_system_entry(session, ticket, f"Stanice je opět online ({_czech_time(at)})", now)
