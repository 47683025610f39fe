"""Fault triage: fault tickets opened from station status reports (one per device + connector +
error code, repeats and recoveries noted on it), and one "station offline" ticket per outage."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import event, select

from ema_server.db.engine import Database
from ema_server.db.models import Connector, Customer, Device, DeviceStatusChange, EventRecord, Ticket, TicketEntry
from ema_server.fault_triage import on_station_online, on_status_reported, open_offline_tickets
from tests.conftest import SignIn

T0 = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)  # 9:00 in Prague
THRESHOLD = timedelta(minutes=30)


@dataclass
class Fleet:
    obec: str
    station: str
    """CZ-SEC-00012 with connectors 1 and 2."""


async def make_fleet(db: Database) -> Fleet:
    async with db.sessions() as session:
        obec = Customer(customer_number="C000201", kind="municipality", name="Petr Novák",
                        company_name="Obec Hrabová")
        session.add(obec)
        await session.flush()
        station = Device(customer_id=obec.id, kind="charging_station", vendor="ABB", model="Terra AC",
                         serial="SN-ABB-0012", ocpp_identity="CZ-SEC-00012", ocpp_version="1.6", status="Available")
        session.add(station)
        await session.flush()
        session.add_all([Connector(device_id=station.id, connector_no=n, standard="Type2", max_power_kw=22.0)
                         for n in (1, 2)])
        await session.commit()
        return Fleet(obec.id, station.id)


async def report(db: Database, device_id: str, connector_no: int, status: str, error_code: str | None,
                 at: datetime, info: str | None = None) -> Ticket | None:
    """One status change, in its own transaction as the OCPP endpoint handles it."""
    async with db.sessions() as session:
        device = await session.get(Device, device_id)
        assert device is not None
        ticket = await on_status_reported(session, device, connector_no, status, error_code, at, info)
        await session.commit()
        return ticket


async def fault_tickets(db: Database, device_id: str | None = None) -> list[Ticket]:
    async with db.sessions() as session:
        query = select(Ticket).where(Ticket.kind == "fault").order_by(Ticket.number)
        if device_id is not None:
            query = query.where(Ticket.device_id == device_id)
        return list((await session.execute(query)).scalars())


async def history(db: Database, ticket_id: str) -> list[tuple[str, str | None, str | None]]:
    """(kind, author, body) of a ticket's entries, oldest first."""
    async with db.sessions() as session:
        entries = await session.execute(
            select(TicketEntry).where(TicketEntry.ticket_id == ticket_id).order_by(TicketEntry.at, TicketEntry.id)
        )
        return [(e.kind, e.author_id, e.body) for e in entries.scalars()]


async def events(db: Database, type_: str) -> list[dict[str, Any]]:
    async with db.sessions() as session:
        rows = await session.execute(select(EventRecord).where(EventRecord.type == type_).order_by(EventRecord.id))
        return [json.loads(r.data) for r in rows.scalars()]


async def set_state(db: Database, ticket_id: str, state: str) -> None:
    async with db.sessions() as session:
        ticket = await session.get(Ticket, ticket_id)
        assert ticket is not None
        ticket.state = state
        await session.commit()


# --- faults -------------------------------------------------------------------------------------


async def test_a_repeated_fault_stays_one_ticket_and_other_codes_or_connectors_get_their_own(db: Database) -> None:
    fleet = await make_fleet(db)
    first = await report(db, fleet.station, 1, "Faulted", "GroundFailure", T0, "Izolační odpor 12 kOhm")
    assert first is not None
    assert first.kind == "fault" and first.state == "new" and first.created_by_id is None
    assert (first.device_id, first.customer_id) == (fleet.station, fleet.obec)
    assert (first.connector_no, first.error_code, first.priority) == (1, "GroundFailure", "high")
    assert first.title == "Porucha GroundFailure – CZ-SEC-00012, konektor 1"  # noqa: RUF001
    assert "Izolační odpor 12 kOhm" in first.description and "ABB Terra AC" in first.description
    assert first.number.startswith("T-") and first.number.endswith("-000001")
    # Deadlines as for any high-priority ticket: a response within 4 hours, resolution within 24.
    assert first.first_response_due_at - first.created_at == timedelta(hours=4)
    assert first.resolution_due_at - first.created_at == timedelta(hours=24)

    assert await report(db, fleet.station, 1, "Available", "NoError", T0 + timedelta(minutes=5)) is None
    again = await report(db, fleet.station, 1, "Faulted", "GroundFailure", T0 + timedelta(minutes=10))
    assert again is not None and again.id == first.id
    assert await report(db, fleet.station, 1, "Charging", None, T0 + timedelta(minutes=15)) is None
    third = await report(db, fleet.station, 1, "Faulted", " GroundFailure ", T0 + timedelta(minutes=20))
    assert third is not None and third.id == first.id

    other_code = await report(db, fleet.station, 1, "Faulted", "HighTemperature", T0 + timedelta(minutes=25))
    other_connector = await report(db, fleet.station, 2, "Faulted", "GroundFailure", T0 + timedelta(minutes=30))
    assert other_code is not None and other_connector is not None
    assert len({first.id, other_code.id, other_connector.id}) == 3

    tickets = await fault_tickets(db)
    assert [(t.connector_no, t.error_code) for t in tickets] == [
        (1, "GroundFailure"), (1, "HighTemperature"), (2, "GroundFailure")]
    assert [(kind, author, body) for kind, author, body in await history(db, first.id)] == [
        ("created", None, None),
        ("system", None, "Stanice hlásí zotavení: Available (1. 3. 2025 09:05)"),
        ("system", None, "Porucha se opakovala: Faulted / GroundFailure, konektor 1 (1. 3. 2025 09:10)."),
        ("system", None, "Stanice hlásí zotavení: Charging (1. 3. 2025 09:15)"),
        ("system", None, "Porucha se opakovala: Faulted / GroundFailure, konektor 1 (1. 3. 2025 09:20)."),
    ]
    created = await events(db, "ticket.created")
    assert [e["id"] for e in created] == [t.id for t in tickets]
    assert "title" not in created[0] and created[0]["customer_id"] == fleet.obec
    updated = await events(db, "ticket.updated")
    assert [e["id"] for e in updated] == [first.id] * 4
    assert updated[-1]["version"] > created[0]["version"]


async def test_faulted_without_an_error_code_and_healthy_statuses_open_nothing(db: Database) -> None:
    fleet = await make_fleet(db)
    for code in (None, "NoError", " "):
        assert await report(db, fleet.station, 1, "Faulted", code, T0) is None
    for status in ("Available", "Charging", "Unavailable", "Offline", "Online"):
        assert await report(db, fleet.station, 0, status, None, T0) is None
    assert await fault_tickets(db) == []


async def test_station_wide_faults_are_one_priority_level_higher(db: Database) -> None:
    fleet = await make_fleet(db)
    ground = await report(db, fleet.station, 0, "Faulted", "GroundFailure", T0)
    lock = await report(db, fleet.station, 0, "Faulted", "ConnectorLockFailure", T0)
    connector_lock = await report(db, fleet.station, 1, "Faulted", "ConnectorLockFailure", T0)
    # A connector the station reports but nobody registered still gets its ticket.
    unregistered = await report(db, fleet.station, 7, "Faulted", "ReaderFailure", T0)
    assert ground is not None and lock is not None and connector_lock is not None and unregistered is not None
    assert (ground.priority, lock.priority, connector_lock.priority) == ("critical", "high", "normal")
    assert ground.connector_no == 0 and ground.title == "Porucha GroundFailure – CZ-SEC-00012, celá stanice"  # noqa: RUF001
    assert unregistered.connector_no == 7 and unregistered.priority == "normal"


async def test_recovery_is_noted_on_each_open_ticket_of_that_connector_and_changes_no_state(db: Database) -> None:
    fleet = await make_fleet(db)
    ground = await report(db, fleet.station, 1, "Faulted", "GroundFailure", T0)
    heat = await report(db, fleet.station, 1, "Faulted", "HighTemperature", T0 + timedelta(minutes=1))
    elsewhere = await report(db, fleet.station, 2, "Faulted", "GroundFailure", T0 + timedelta(minutes=2))
    assert ground is not None and heat is not None and elsewhere is not None
    await set_state(db, heat.id, "resolved")

    await report(db, fleet.station, 1, "Available", None, T0 + timedelta(minutes=30))
    assert [k for k, _, _ in await history(db, ground.id)] == ["created", "system"]
    assert [k for k, _, _ in await history(db, heat.id)] == ["created"]  # resolved: not open any more
    assert [k for k, _, _ in await history(db, elsewhere.id)] == ["created"]
    assert {t.id: t.state for t in await fault_tickets(db)} == {
        ground.id: "new", heat.id: "resolved", elsewhere.id: "new"}

    # Once the operator closed the ticket, the same fault is a new case.
    await set_state(db, ground.id, "closed")
    again = await report(db, fleet.station, 1, "Faulted", "GroundFailure", T0 + timedelta(hours=2))
    assert again is not None and again.id != ground.id


async def test_fault_ticket_shows_in_the_api_as_written_by_the_server(
    client: httpx.AsyncClient, db: Database, sign_in: SignIn
) -> None:
    fleet = await make_fleet(db)
    ticket = await report(db, fleet.station, 2, "Faulted", "OverCurrentFailure", T0)
    await report(db, fleet.station, 2, "Available", None, T0 + timedelta(minutes=3))
    assert ticket is not None
    hotline = await sign_in("hotline")
    response = await client.get(f"/tickets/{ticket.id}", headers=hotline.headers)
    assert response.status_code == 200
    body = response.json()
    assert body["created_by_id"] is None and body["error_code"] == "OverCurrentFailure"
    assert body["connector_no"] == 2 and body["customer"]["id"] == fleet.obec
    assert [(e["kind"], e["author_id"], e["public"]) for e in body["history"]] == [
        ("created", None, False), ("system", None, False)]
    listed = (await client.get("/tickets", params={"device_id": fleet.station}, headers=hotline.headers)).json()
    assert [t["number"] for t in listed["items"]] == [ticket.number]


# --- stations offline ---------------------------------------------------------------------------


async def add_charger(db: Database, customer_id: str, ident: str, status: str,
                      changes: list[tuple[str, str | None, datetime]], kind: str = "charging_station") -> str:
    """A device with its station-level (connector 0) status history: (status, info, at)."""
    async with db.sessions() as session:
        device = Device(customer_id=customer_id, kind=kind, vendor="Etrel", model="INCH", serial=f"SN-{ident}",
                        ocpp_identity=ident if kind != "router" else None, status=status)
        session.add(device)
        await session.flush()
        session.add_all([DeviceStatusChange(device_id=device.id, connector_no=0, status=s, info=info, at=at)
                         for s, info, at in changes])
        await session.commit()
        return device.id


async def offline_round(db: Database, now: datetime, limit: int = 200) -> list[Ticket]:
    async with db.sessions() as session:
        tickets = await open_offline_tickets(session, now, THRESHOLD, limit)
        await session.commit()
        return tickets


async def set_status(db: Database, device_id: str, status: str, info: str | None, at: datetime) -> None:
    async with db.sessions() as session:
        device = await session.get(Device, device_id)
        assert device is not None
        device.status = status
        session.add(DeviceStatusChange(device_id=device_id, connector_no=0, status=status, info=info, at=at))
        await session.commit()


async def test_station_offline_gets_one_ticket_per_outage(db: Database) -> None:
    fleet = await make_fleet(db)
    now = T0 + timedelta(days=40)
    owner = fleet.obec

    def ago(**delta: float) -> datetime:
        return now - timedelta(**delta)

    gone = await add_charger(db, owner, "CZ-SEC-00101", "Offline", [
        ("Online", "connected (OCPP 1.6)", ago(days=3)), ("Offline", "connection closed", ago(hours=1))])
    just_gone = await add_charger(db, owner, "CZ-SEC-00102", "Offline", [
        ("Online", "connected (OCPP 1.6)", ago(days=3)), ("Offline", "missed heartbeats", ago(minutes=10))])
    await add_charger(db, owner, "CZ-SEC-00103", "Offline", [("Offline", "connection closed", ago(days=30))])
    await add_charger(db, owner, "CZ-SEC-00104", "Offline", [])  # registered, never connected
    await add_charger(db, owner, "CZ-SEC-00105", "Offline", [("Offline", "Heartbeat timeout", ago(hours=2))])
    await add_charger(db, owner, "CZ-SEC-00106", "Available", [
        ("Offline", "connection closed", ago(hours=3)), ("Online", "connected (OCPP 1.6)", ago(hours=2))])
    await add_charger(db, owner, "RUT-1", "Offline", [("Offline", "connection closed", ago(hours=2))], kind="router")

    first = await offline_round(db, now)
    assert [(t.device_id, t.connector_no, t.error_code, t.priority) for t in first] == [
        (gone, 0, "StationOffline", "high")]
    assert first[0].title == "Stanice CZ-SEC-00101 je offline od 10. 4. 2025 09:00"
    assert "stanice ukončila spojení" in first[0].description
    assert first[0].created_by_id is None and first[0].customer_id == owner
    assert await offline_round(db, now + timedelta(minutes=5)) == []  # its ticket is open

    later = await offline_round(db, now + timedelta(minutes=25))
    assert [t.device_id for t in later] == [just_gone]

    # Closed by an operator: the same outage brings no new ticket ...
    await set_state(db, first[0].id, "closed")
    assert await offline_round(db, now + timedelta(hours=1)) == []
    # ... the next outage does.
    await set_status(db, gone, "Online", "connected (OCPP 1.6)", now + timedelta(hours=2))
    await set_status(db, gone, "Offline", "missed heartbeats", now + timedelta(hours=3))
    assert await offline_round(db, now + timedelta(hours=3, minutes=20)) == []
    again = await offline_round(db, now + timedelta(hours=4))
    assert [t.device_id for t in again] == [gone] and again[0].id != first[0].id
    assert "stanice přestala posílat heartbeat" in again[0].description
    assert len(await events(db, "ticket.created")) == 3


async def test_back_online_is_noted_and_station_reports_leave_offline_tickets_alone(db: Database) -> None:
    fleet = await make_fleet(db)
    now = T0 + timedelta(hours=2)
    await set_status(db, fleet.station, "Offline", "connection closed", T0)
    [ticket] = await offline_round(db, now)
    # The station reconnects: its own status reports are no recovery from being offline ...
    assert await report(db, fleet.station, 0, "Available", None, now + timedelta(minutes=1)) is None
    assert [k for k, _, _ in await history(db, ticket.id)] == ["created"]
    # ... the endpoint's notice that it is online again is.
    async with db.sessions() as session:
        device = await session.get(Device, fleet.station)
        assert device is not None
        await on_station_online(session, device, now)
        await session.commit()
    assert await history(db, ticket.id) == [
        ("created", None, None), ("system", None, "Stanice je opět online (1. 3. 2025 11:00)")]
    [updated] = await events(db, "ticket.updated")
    assert updated["id"] == ticket.id and updated["state"] == "new"


@contextmanager
def statements_on(db: Database, table: str) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if table in statement:
            seen.append(statement)

    event.listen(db.engine.sync_engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", record)


async def test_offline_stations_are_picked_in_one_query_and_the_oldest_outages_first(db: Database) -> None:
    fleet = await make_fleet(db)
    now = T0 + timedelta(days=1)
    for n in range(30):  # offline, but not for long enough
        await add_charger(db, fleet.obec, f"CZ-SEC-1{n:04d}", "Offline",
                          [("Offline", "connection closed", now - timedelta(minutes=n % 29))])
    with statements_on(db, "device_status_changes") as statements:
        assert await offline_round(db, now) == []
    assert len(statements) == 1

    oldest = [
        await add_charger(db, fleet.obec, f"CZ-SEC-2{n:04d}", "Offline",
                          [("Offline", "missed heartbeats", now - timedelta(hours=5 - n))])
        for n in range(3)
    ]
    first = await offline_round(db, now, limit=2)
    assert [t.device_id for t in first] == oldest[:2]
    assert [t.device_id for t in await offline_round(db, now, limit=2)] == oldest[2:]
    assert await offline_round(db, now, limit=2) == []
