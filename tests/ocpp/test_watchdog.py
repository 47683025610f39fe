"""The watchdog's rounds against a live server: silent stations are disconnected, stations that
stay away get one offline ticket, sessions nobody closes are closed, and stations that do not
return after a restart are marked offline without a ticket."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

import pytest
from fastapi import FastAPI
from ocpp.v16 import call
from sqlalchemy import select

from ema_server.db.engine import Database
from ema_server.db.models import ChargingSession, Device, DeviceStatusChange, Ticket, TicketEntry
from ema_server.ocpp.runtime import OcppRuntime
from ema_server.ocpp.settings import OcppSettings
from tests.ocpp.harness import register, station
from tests.ocpp.waiting import wait_until


@pytest.fixture
def ocpp_settings() -> OcppSettings:
    return OcppSettings(heartbeat_interval=60, station_check_interval=3600, offline_ticket_after=timedelta(0),
                        session_silence_limit=timedelta(0))


def _runtime(app: FastAPI) -> OcppRuntime:
    runtime: OcppRuntime = app.state.ocpp
    return runtime


def _grace_over(runtime: OcppRuntime) -> None:
    runtime.watchdog.started_at = time.monotonic() - runtime.settings.heartbeat_interval - 1


async def _status(db: Database, device_id: str) -> str:
    async with db.sessions() as session:
        device = await session.get(Device, device_id)
        assert device is not None
        return device.status


async def _last_info(db: Database, device_id: str) -> str | None:
    async with db.sessions() as session:
        return await session.scalar(select(DeviceStatusChange.info).where(DeviceStatusChange.device_id == device_id)
                                    .order_by(DeviceStatusChange.id.desc()).limit(1))


async def test_a_station_that_misses_its_heartbeats_is_disconnected_and_offline(
    db: Database, live_app: FastAPI, live_server: str
) -> None:
    reg = await register(db, "CZ-DOG-0001")
    runtime = _runtime(live_app)
    async with station(live_server, reg) as s:
        await s.cp.call(call.BootNotification(charge_point_model="Terra AC", charge_point_vendor="ABB"))
        connection = runtime.registry.get(reg.device_id)
        assert connection is not None
        connection.last_message_at -= 3 * 60 + 1
        await runtime.watchdog.check()
        await wait_until(lambda: _offline(db, reg.device_id), "the silent station is offline")
        await asyncio.wait_for(s.socket.wait_closed(), 15)
        assert s.socket.close_code == 1001
    assert await _last_info(db, reg.device_id) == "missed heartbeats"


async def _offline(db: Database, device_id: str) -> bool:
    return await _status(db, device_id) == "Offline"


async def test_an_offline_station_gets_one_ticket_and_a_note_when_it_returns(
    db: Database, live_app: FastAPI, live_server: str
) -> None:
    reg = await register(db, "CZ-DOG-0002")
    runtime = _runtime(live_app)
    _grace_over(runtime)
    async with station(live_server, reg) as s:
        await s.cp.call(call.BootNotification(charge_point_model="Terra AC", charge_point_vendor="ABB"))
    await wait_until(lambda: _offline(db, reg.device_id), "offline after disconnecting")
    await runtime.watchdog.check()
    await runtime.watchdog.check()  # a second round opens no second ticket
    async with db.sessions() as session:
        [ticket] = (await session.execute(select(Ticket))).scalars().all()
    assert (ticket.error_code, ticket.device_id, ticket.state) == ("StationOffline", reg.device_id, "new")
    async with station(live_server, reg) as s:
        await s.cp.call(call.Heartbeat())
    async with db.sessions() as session:
        notes = (await session.execute(select(TicketEntry.body).where(TicketEntry.ticket_id == ticket.id,
                                                                      TicketEntry.kind == "system"))).scalars().all()
    assert any("online" in (n or "") for n in notes)


async def test_a_session_the_station_never_stops_is_closed_with_a_reason(
    db: Database, live_app: FastAPI, live_server: str
) -> None:
    reg = await register(db, "CZ-DOG-0003")
    runtime = _runtime(live_app)
    _grace_over(runtime)
    async with station(live_server, reg) as s:
        await s.cp.call(call.BootNotification(charge_point_model="Terra AC", charge_point_vendor="ABB"))
        await s.cp.call(call.StartTransaction(connector_id=1, id_tag="X", meter_start=0,
                                              timestamp="2026-11-25T08:00:00Z"))
        await runtime.watchdog.check()
    async with db.sessions() as session:
        [charge] = (await session.execute(select(ChargingSession))).scalars().all()
    assert charge.stopped_at is not None and charge.auto_closed_reason in ("station_silent", "stop_never_received")


async def test_stations_that_do_not_return_after_a_restart_are_offline_without_a_ticket(
    db: Database, live_app: FastAPI, live_server: str
) -> None:
    reg = await register(db, "CZ-DOG-0004")
    async with db.sessions() as session:
        device = await session.get(Device, reg.device_id)
        assert device is not None
        device.status = "Available"  # as the previous server run left it
        await session.commit()
    runtime = _runtime(live_app)
    await runtime.watchdog.check()
    assert await _status(db, reg.device_id) == "Available"  # still within the grace period
    _grace_over(runtime)
    await runtime.watchdog.check()
    assert await _status(db, reg.device_id) == "Offline"
    assert await _last_info(db, reg.device_id) == "not back after server start"
    async with db.sessions() as session:
        assert (await session.execute(select(Ticket))).scalars().all() == []
