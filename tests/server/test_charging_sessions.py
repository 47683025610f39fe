"""Charging sessions from OCPP transactions: transaction ids, the customer charged, idempotent
resends, stops and energy, and the sessions the server closes itself (connector reused, station
rebooted or silent, stop never received) with the stop reading taken from telemetry."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from ema_server.charging_sessions import (
    close_open_sessions,
    close_silent_sessions,
    session_for_transaction,
    start_session,
    stop_session,
)
from ema_server.db.engine import Database
from ema_server.db.models import ChargingSession, Connector, Customer, Device, EventRecord, RfidCard, utcnow
from ema_server.telemetry import Sample, record_samples

T0 = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
TAG = "A1B2C3D4"
LIMIT = timedelta(hours=24)


@dataclass
class Fleet:
    owner: str
    """The stations' customer."""
    driver: str
    """Another customer, whose card charges at the owner's stations."""
    station: str
    """OCPP 1.6, connectors 1 and 2."""
    other: str
    """OCPP 1.6, connector 1."""
    modern: str
    """OCPP 2.0.1, connector 1."""


async def make_fleet(db: Database) -> Fleet:
    async with db.sessions() as session:
        owner = Customer(customer_number="C000301", kind="business", name="Eva Malá", company_name="Parkoviště s.r.o.")
        driver = Customer(customer_number="C000302", kind="consumer", name="Jan Vlk")
        session.add_all([owner, driver])
        await session.flush()
        session.add_all([RfidCard(customer_id=driver.id, id_tag=TAG, label="Karta Jan"),
                         RfidCard(customer_id=driver.id, id_tag="LOST0001", active=False)])
        devices = [
            Device(customer_id=owner.id, kind="charging_station", vendor="ABB", model="Terra AC", serial=f"SN-{n}",
                   ocpp_identity=f"CZ-SEC-0030{n}", ocpp_version=version, status="Available")
            for n, version in ((1, "1.6"), (2, "1.6"), (3, "2.0.1"))
        ]
        session.add_all(devices)
        await session.flush()
        session.add_all([Connector(device_id=d.id, connector_no=n, standard="Type2", max_power_kw=22.0)
                         for d, count in zip(devices, (2, 1, 1), strict=True) for n in range(1, count + 1)])
        await session.commit()
        return Fleet(owner.id, driver.id, devices[0].id, devices[1].id, devices[2].id)


async def start(db: Database, device_id: str, connector_no: int, id_tag: str | None, meter_wh: int, at: datetime,
                ref: str | None = None) -> ChargingSession:
    async with db.sessions() as session:
        device = await session.get(Device, device_id)
        assert device is not None
        charging = await start_session(session, device, connector_no, id_tag, meter_wh, at, ref)
        await session.commit()
        return charging


async def stop(db: Database, device_id: str, meter_wh: int | None, at: datetime, reason: str | None = "Local",
               **transaction: Any) -> ChargingSession | None:
    async with db.sessions() as session:
        device = await session.get(Device, device_id)
        assert device is not None
        charging = await stop_session(session, device, meter_stop_wh=meter_wh, stopped_at=at, reason=reason,
                                      **transaction)
        await session.commit()
        return charging


async def get(db: Database, session_id: str) -> ChargingSession:
    async with db.sessions() as session:
        charging = await session.get(ChargingSession, session_id)
        assert charging is not None
        return charging


async def count_sessions(db: Database) -> int:
    async with db.sessions() as session:
        return int((await session.execute(select(func.count()).select_from(ChargingSession))).scalar_one())


async def energy_samples(db: Database, device_id: str, connector_no: int, readings: list[tuple[datetime, float]],
                         unit: str = "kWh", last_seen_at: datetime | None = None) -> None:
    """Meter values of the energy register, then the station's last contact as the test needs it."""
    async with db.sessions() as session:
        await record_samples(session, device_id, [Sample(at, "energy", value, connector_no=connector_no, unit=unit)
                                                  for at, value in readings])
        device = await session.get(Device, device_id)
        assert device is not None
        device.last_seen_at = last_seen_at
        await session.commit()


async def session_events(db: Database) -> list[tuple[str, dict[str, Any], str]]:
    async with db.sessions() as session:
        rows = await session.execute(
            select(EventRecord).where(EventRecord.type.in_(["session.started", "session.stopped"]))
            .order_by(EventRecord.id)
        )
        return [(r.type, json.loads(r.data), r.data) for r in rows.scalars()]


# --- starting -----------------------------------------------------------------------------------


async def test_transaction_ids_are_handed_out_per_station(db: Database) -> None:
    fleet = await make_fleet(db)
    first = await start(db, fleet.station, 1, TAG, 1000, T0)
    second = await start(db, fleet.station, 2, TAG, 5000, T0 + timedelta(minutes=1))
    assert await stop(db, fleet.station, 2000, T0 + timedelta(hours=1), transaction_id=first.transaction_id)
    third = await start(db, fleet.station, 1, TAG, 2000, T0 + timedelta(hours=2))
    assert [first.transaction_id, second.transaction_id, third.transaction_id] == [1, 2, 3]
    assert (await start(db, fleet.other, 1, TAG, 0, T0)).transaction_id == 1
    modern = await start(db, fleet.modern, 1, TAG, 0, T0, ref="6f1c1f0e-2d6a-4c55-9a6e-0e0c6b2a7d11")
    assert modern.transaction_id is None and modern.transaction_ref == "6f1c1f0e-2d6a-4c55-9a6e-0e0c6b2a7d11"

    # A station whose history already holds transactions (demo data numbers them from 1001) goes on.
    async with db.sessions() as session:
        session.add(ChargingSession(device_id=fleet.other, connector_no=1, transaction_id=1001, started_at=T0,
                                    stopped_at=T0 + timedelta(hours=1), meter_start_wh=0, meter_stop_wh=100))
        await session.commit()
    assert (await start(db, fleet.other, 1, TAG, 0, T0 + timedelta(hours=3))).transaction_id == 1002
    async with db.sessions() as session:
        device = await session.get(Device, fleet.station)
        assert device is not None
        found = await session_for_transaction(session, device, transaction_id=2)
        assert found is not None and found.id == second.id
        assert await session_for_transaction(session, device, transaction_id=99) is None
        assert await session_for_transaction(session, device) is None


async def test_session_is_charged_to_the_owner_of_an_active_card_else_to_the_station_customer(db: Database) -> None:
    fleet = await make_fleet(db)
    cases = [(TAG, fleet.driver), (TAG.lower(), fleet.driver), ("LOST0001", fleet.owner), ("UNKNOWN1", fleet.owner),
             (None, fleet.owner)]
    for n, (tag, customer) in enumerate(cases):
        charging = await start(db, fleet.station, 1, tag, n * 1000, T0 + timedelta(hours=n))
        assert charging.customer_id == customer, tag
    # A 2.0.1 token longer than a card's tag (an eMAID) is not stored cut short.
    emaid = "CZSECC1234567890123456789"
    long_token = await start(db, fleet.modern, 1, emaid, 0, T0, ref="tx-1")
    assert long_token.id_tag is None and long_token.customer_id == fleet.owner


async def test_a_resent_start_returns_the_session_already_made(db: Database) -> None:
    fleet = await make_fleet(db)
    first = await start(db, fleet.station, 1, TAG, 1000, T0)
    # The station got no answer, reconnected and sent the same StartTransaction again.
    resent = await start(db, fleet.station, 1, TAG, 1000, T0)
    assert (resent.id, resent.transaction_id) == (first.id, first.transaction_id)
    modern = await start(db, fleet.modern, 1, TAG, 500, T0, ref="tx-7")
    assert (await start(db, fleet.modern, 1, TAG, 500, T0, ref="tx-7")).id == modern.id
    assert await count_sessions(db) == 2
    assert [t for t, _, _ in await session_events(db)] == ["session.started", "session.started"]
    assert (await get(db, first.id)).stopped_at is None


async def test_a_new_start_on_a_busy_connector_closes_the_session_left_open(db: Database) -> None:
    fleet = await make_fleet(db)
    left_open = await start(db, fleet.station, 1, TAG, 10_000, T0)
    neighbour = await start(db, fleet.station, 2, TAG, 50_000, T0)
    await energy_samples(db, fleet.station, 1, [
        (T0 - timedelta(minutes=5), 9.9),  # before the session
        (T0 + timedelta(minutes=10), 10.5),
        (T0 + timedelta(minutes=20), 11.2),
        (T0 + timedelta(minutes=40), 15.0),  # belongs to the next session
    ])
    await start(db, fleet.station, 1, TAG, 11_300, T0 + timedelta(minutes=30))

    closed = await get(db, left_open.id)
    assert closed.auto_closed_reason == "connector_reused" and closed.stop_reason is None
    assert closed.stopped_at == T0 + timedelta(minutes=20)
    assert (closed.meter_stop_wh, closed.energy_kwh) == (11_200, 1.2)
    assert (await get(db, neighbour.id)).stopped_at is None
    stopped = [data for kind, data, _ in await session_events(db) if kind == "session.stopped"]
    assert [(d["id"], d["auto_closed_reason"], d["energy_kwh"]) for d in stopped] == [
        (left_open.id, "connector_reused", 1.2)]


# --- stopping -----------------------------------------------------------------------------------


async def test_stop_records_energy_and_repeats_or_unknown_transactions_change_nothing(db: Database) -> None:
    fleet = await make_fleet(db)
    charging = await start(db, fleet.station, 1, TAG, 1_000_000, T0)
    stopped = await stop(db, fleet.station, 1_012_345, T0 + timedelta(hours=2), "EVDisconnected",
                         transaction_id=charging.transaction_id)
    assert stopped is not None and stopped.id == charging.id
    assert (stopped.meter_stop_wh, stopped.energy_kwh, stopped.stop_reason) == (1_012_345, 12.345, "EVDisconnected")
    assert stopped.stopped_at == T0 + timedelta(hours=2) and stopped.auto_closed_reason is None

    resent = await stop(db, fleet.station, 1_099_999, T0 + timedelta(hours=3), transaction_id=charging.transaction_id)
    assert resent is not None and (resent.meter_stop_wh, resent.stopped_at) == (1_012_345, T0 + timedelta(hours=2))
    assert await stop(db, fleet.station, 5, T0, transaction_id=4242) is None
    assert await stop(db, fleet.other, 5, T0, transaction_id=charging.transaction_id) is None  # another station's id

    backwards = await start(db, fleet.station, 2, TAG, 80_000, T0)
    closed = await stop(db, fleet.station, 100, T0 + timedelta(hours=1), transaction_id=backwards.transaction_id)
    assert closed is not None and closed.stopped_at is not None
    assert (closed.meter_stop_wh, closed.energy_kwh) == (100, None)

    modern = await start(db, fleet.modern, 1, TAG, 2_000, T0, ref="tx-9")
    ended = await stop(db, fleet.modern, 9_500, T0 + timedelta(minutes=50), "Local", transaction_ref="tx-9")
    assert ended is not None and ended.id == modern.id and ended.energy_kwh == 7.5
    no_reading = await start(db, fleet.modern, 1, TAG, 9_500, T0 + timedelta(hours=1), ref="tx-10")
    ended = await stop(db, fleet.modern, None, T0 + timedelta(hours=2), None, transaction_ref="tx-10")
    assert ended is not None and ended.id == no_reading.id and (ended.energy_kwh, ended.stop_reason) == (None, None)
    assert len([k for k, _, _ in await session_events(db) if k == "session.stopped"]) == 4


async def test_reboot_closes_every_open_session_and_a_late_stop_still_fills_in_the_values(db: Database) -> None:
    fleet = await make_fleet(db)
    done = await start(db, fleet.station, 1, TAG, 500, T0 - timedelta(hours=3))
    assert await stop(db, fleet.station, 900, T0 - timedelta(hours=2), transaction_id=done.transaction_id)
    one = await start(db, fleet.station, 1, TAG, 1_000, T0)
    two = await start(db, fleet.station, 2, TAG, 2_000, T0)
    untouched = await start(db, fleet.other, 1, TAG, 0, T0)
    rebooted_at = T0 + timedelta(hours=1)
    async with db.sessions() as session:
        device = await session.get(Device, fleet.station)
        assert device is not None
        assert await close_open_sessions(session, device, "station_rebooted", rebooted_at) == 2
        await session.commit()
    for closed in (await get(db, one.id), await get(db, two.id)):
        assert closed.auto_closed_reason == "station_rebooted" and closed.stopped_at == rebooted_at
        assert (closed.meter_stop_wh, closed.energy_kwh, closed.stop_reason) == (None, None, None)
    assert (await get(db, done.id)).stopped_at == T0 - timedelta(hours=2)
    assert (await get(db, untouched.id)).stopped_at is None

    # The station had queued its StopTransaction and sends it after the reboot.
    late = await stop(db, fleet.station, 4_000, T0 + timedelta(minutes=55), transaction_id=one.transaction_id)
    assert late is not None
    assert (late.meter_stop_wh, late.energy_kwh, late.stop_reason) == (4_000, 3.0, "Local")
    assert late.stopped_at == T0 + timedelta(minutes=55) and late.auto_closed_reason == "station_rebooted"


async def test_silent_and_week_old_sessions_are_closed_with_the_meter_from_telemetry(db: Database) -> None:
    fleet = await make_fleet(db)
    now = utcnow().replace(microsecond=0)
    hour = timedelta(hours=1)
    # A station silent for two days, with meter values up to when it went quiet (sent in Wh).
    silent = await start(db, fleet.other, 1, TAG, 20_000, now - 49 * hour)
    last_sample = now - 47 * hour
    await energy_samples(db, fleet.other, 1, [(now - 48 * hour, 21_000.0), (last_sample, 23_456.0)], unit="Wh",
                         last_seen_at=now - 47 * hour)
    # A connected station: a long session with meter values is alive; one with nothing for 30
    # hours is not.
    alive = await start(db, fleet.station, 1, TAG, 1_000, now - 30 * hour)
    quiet = await start(db, fleet.station, 2, TAG, 2_000, now - 30 * hour)
    fresh = await start(db, fleet.modern, 1, TAG, 0, now - hour, ref="tx-fresh")
    await energy_samples(db, fleet.station, 1, [(now - 10 * timedelta(minutes=1), 5.5)], last_seen_at=now)
    # A week-old session on a station that talks all the time: its stop was lost.
    async with db.sessions() as session:
        ancient = ChargingSession(device_id=fleet.modern, connector_no=2, transaction_ref="tx-old",
                                  started_at=now - timedelta(days=8), meter_start_wh=0)
        session.add(ancient)
        modern = await session.get(Device, fleet.modern)
        assert modern is not None
        modern.last_seen_at = now
        await session.commit()

    async with db.sessions() as session:
        assert await close_silent_sessions(session, now, LIMIT) == 3
        await session.commit()

    closed = await get(db, silent.id)
    assert (closed.auto_closed_reason, closed.stop_reason) == ("station_silent", None)
    assert (closed.stopped_at, closed.meter_stop_wh, closed.energy_kwh) == (last_sample, 23_456, 3.456)
    closed = await get(db, quiet.id)
    assert (closed.auto_closed_reason, closed.stopped_at, closed.meter_stop_wh) == ("station_silent", now, None)
    closed = await get(db, ancient.id)
    assert (closed.auto_closed_reason, closed.stopped_at) == ("stop_never_received", now)
    assert (await get(db, alive.id)).stopped_at is None
    assert (await get(db, fresh.id)).stopped_at is None

    async with db.sessions() as session:
        assert await close_silent_sessions(session, now + hour, LIMIT) == 0


async def test_session_events_carry_ids_times_and_energy_but_never_the_tag(db: Database) -> None:
    fleet = await make_fleet(db)
    charging = await start(db, fleet.station, 1, TAG, 1_000, T0)
    await stop(db, fleet.station, 3_500, T0 + timedelta(hours=1), transaction_id=charging.transaction_id)
    await start(db, fleet.station, 2, TAG.lower(), 0, T0)
    async with db.sessions() as session:
        device = await session.get(Device, fleet.station)
        assert device is not None
        await close_open_sessions(session, device, "station_rebooted", T0 + timedelta(hours=2))
        await session.commit()

    published = await session_events(db)
    assert [kind for kind, _, _ in published] == [
        "session.started", "session.stopped", "session.started", "session.stopped"]
    started, stopped = published[0][1], published[1][1]
    assert started["id"] == charging.id and started["device_id"] == fleet.station
    assert (started["connector_no"], started["transaction_id"], started["started_at"]) == (1, 1, "2025-03-01T08:00:00Z")
    assert started["customer_id"] == fleet.driver and started["stopped_at"] is None
    assert (stopped["stopped_at"], stopped["energy_kwh"], stopped["stop_reason"]) == ("2025-03-01T09:00:00Z", 2.5,
                                                                                       "Local")
    assert stopped["version"] > started["version"]
    for _, data, text in published:
        assert "id_tag" not in data
        assert TAG.lower() not in text.lower()
