"""OCPP 1.6 stations against the live endpoint: every station→server message, with what an
operator then sees (status history, sessions, telemetry, tickets, live events)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from ocpp.v16 import call
from sqlalchemy import select
from websockets.exceptions import InvalidStatus

from ema_server.db.engine import Database
from ema_server.db.models import (
    ChargingSession,
    Device,
    DeviceStatusChange,
    EventRecord,
    OcppFrame,
    RfidCard,
    TelemetrySample,
    TelemetrySeries,
    Ticket,
    TicketEntry,
    UnknownStation,
)
from tests.ocpp.harness import Registered, basic, register, station, ws_url
from tests.ocpp.waiting import wait_until

T0 = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)


def ts(minutes: float = 0) -> str:
    return (T0 + timedelta(minutes=minutes)).isoformat().replace("+00:00", "Z")


async def _history(db: Database, device_id: str) -> list[tuple[int, str, str | None]]:
    async with db.sessions() as session:
        rows = await session.execute(
            select(DeviceStatusChange.connector_no, DeviceStatusChange.status, DeviceStatusChange.error_code)
            .where(DeviceStatusChange.device_id == device_id).order_by(DeviceStatusChange.id)
        )
        return [tuple(r) for r in rows]  # type: ignore[misc]


async def _device(db: Database, device_id: str) -> Device:
    async with db.sessions() as session:
        device = await session.get(Device, device_id)
        assert device is not None
        return device


async def _events(db: Database, type_: str) -> list[dict]:  # type: ignore[type-arg]
    async with db.sessions() as session:
        rows = await session.execute(select(EventRecord.data).where(EventRecord.type == type_).order_by(EventRecord.id))
        return [json.loads(r) for r in rows.scalars()]


async def test_a_registered_station_connects_boots_and_is_online(db: Database, live_server: str) -> None:
    reg = await register(db, "CZ-TEST-0001")
    async with station(live_server, reg) as s:
        assert s.socket.subprotocol == "ocpp1.6"
        boot = await s.cp.call(call.BootNotification(charge_point_model="Terra AC", charge_point_vendor="ABB",
                                                     firmware_version="1.8.3"))
        assert boot.status == "Accepted" and boot.interval == 60
        assert datetime.fromisoformat(boot.current_time.replace("Z", "+00:00")).tzinfo is not None
        beat = await s.cp.call(call.Heartbeat())
        assert beat.current_time.endswith("Z")
        device = await _device(db, reg.device_id)
        assert device.status == "Online" or device.status == "Available"
        assert device.firmware == "1.8.3" and device.ocpp_version == "1.6" and device.last_seen_at is not None
    await wait_until(lambda: _is_offline(db, reg.device_id), "the station is offline after it disconnected")
    assert [h[1] for h in await _history(db, reg.device_id)] == ["Online", "Offline"]


async def _is_offline(db: Database, device_id: str) -> bool:
    return (await _device(db, device_id)).status == "Offline"


async def test_unknown_stations_and_wrong_passwords_are_refused_before_the_upgrade(
    db: Database, live_server: str
) -> None:
    reg = await register(db, "CZ-TEST-0002")
    for identity, password in (("CZ-NOBODY-1", "whatever-password-1"), ("CZ-NOBODY-1", "whatever-password-1"),
                               (reg.identity, "not-the-password-x")):
        with pytest.raises(InvalidStatus) as refused:
            async with station(live_server, Registered("", "", identity, password)):
                pass
        assert refused.value.response.status_code == 401
        assert "Basic" in (refused.value.response.headers.get("WWW-Authenticate") or "")
    async with db.sessions() as session:
        unknown = (await session.execute(select(UnknownStation))).scalars().all()
    assert [(u.identity, u.attempts, u.subprotocols) for u in unknown] == [("CZ-NOBODY-1", 2, "ocpp1.6")]
    assert await _history(db, reg.device_id) == []


async def test_a_station_offering_no_ocpp_subprotocol_is_refused(db: Database, live_server: str) -> None:
    from websockets.asyncio.client import connect

    reg = await register(db, "CZ-TEST-0003")
    with pytest.raises(InvalidStatus) as refused:
        async with connect(ws_url(live_server, reg.identity), subprotocols=["ocpp1.5"],  # type: ignore[list-item]
                           additional_headers={"Authorization": basic(reg.identity, reg.password)}):
            pass
    assert refused.value.response.status_code == 400


async def test_status_notifications_store_real_changes_and_roll_up_to_the_station(
    db: Database, live_server: str
) -> None:
    reg = await register(db, "CZ-TEST-0004")
    reports = [
        (0, "Available", "NoError"), (1, "Available", "NoError"), (2, "Available", "NoError"),
        (1, "Preparing", "NoError"), (1, "Preparing", "NoError"),  # a repeat: not stored
        (1, "Available", "NoError"), (1, "Preparing", "NoError"),  # flapping: each real flip is stored
        (1, "Charging", "NoError"),
    ]
    async with station(live_server, reg) as s:
        await s.cp.call(call.BootNotification(charge_point_model="Terra AC", charge_point_vendor="ABB"))
        for i, (connector, status, error) in enumerate(reports):
            await s.cp.call(call.StatusNotification(connector_id=connector, error_code=error, status=status,
                                                    timestamp=ts(i)))
        device = await _device(db, reg.device_id)
        assert (device.status, device.station_status) == ("Charging", "Available")
        history = await _history(db, reg.device_id)
        # Registered connectors start Available, so reporting Available is no change either.
        assert history == [(0, "Online", None), (0, "Available", None), (1, "Preparing", None), (1, "Available", None),
                           (1, "Preparing", None), (1, "Charging", None)]
        events = await _events(db, "device.status")
        assert events[-1]["status"] == "Charging" and events[-1]["device_status"] == "Charging"
        assert events[-1]["at"] == "2026-11-26T08:07:00Z"


async def test_a_fault_opens_one_ticket_repeats_join_it_and_recovery_adds_a_note(
    db: Database, live_server: str
) -> None:
    reg = await register(db, "CZ-TEST-0005")
    async with station(live_server, reg) as s:
        await s.cp.call(call.BootNotification(charge_point_model="Terra AC", charge_point_vendor="ABB"))
        for i, (status, error) in enumerate([("Faulted", "GroundFailure"), ("Available", "NoError"),
                                             ("Faulted", "GroundFailure"), ("Faulted", "HighTemperature")]):
            await s.cp.call(call.StatusNotification(connector_id=1, error_code=error, status=status, timestamp=ts(i),
                                                    info="RCD tripped" if i == 0 else None))
        device = await _device(db, reg.device_id)
        assert (device.status, device.error_code) == ("Faulted", "HighTemperature")
    async with db.sessions() as session:
        tickets = (await session.execute(select(Ticket).order_by(Ticket.number))).scalars().all()
        assert sorted((t.kind, t.error_code, t.connector_no, t.device_id, t.customer_id) for t in tickets) == [
            ("fault", "GroundFailure", 1, reg.device_id, reg.customer_id),
            ("fault", "HighTemperature", 1, reg.device_id, reg.customer_id),
        ]
        ground = next(t for t in tickets if t.error_code == "GroundFailure")
        entries = (await session.execute(
            select(TicketEntry.kind).where(TicketEntry.ticket_id == ground.id).order_by(TicketEntry.at)
        )).scalars().all()
    # created, recovery note, repeat note
    assert list(entries).count("system") >= 2


async def test_meter_values_become_telemetry_and_live_events(db: Database, live_server: str) -> None:
    reg = await register(db, "CZ-TEST-0006")
    sampled = [
        {"value": "12345", "measurand": "Energy.Active.Import.Register", "unit": "Wh"},
        {"value": "7200", "measurand": "Power.Active.Import", "unit": "W"},
        {"value": "10.4", "measurand": "Current.Import", "phase": "L1", "unit": "A"},
        {"value": "231.5", "measurand": "Voltage", "phase": "L1-N", "unit": "V"},
        {"value": "64", "measurand": "SoC", "unit": "Percent"},
        {"value": "31.5", "measurand": "Temperature", "unit": "Celsius"},
        {"value": "5", "measurand": "Frequency"},  # not charted: skipped, the rest is kept
    ]
    async with station(live_server, reg) as s:
        await s.cp.call(call.BootNotification(charge_point_model="Terra AC", charge_point_vendor="ABB"))
        await s.cp.call(call.MeterValues(connector_id=1, meter_value=[{"timestamp": ts(), "sampled_value": sampled}]))
    async with db.sessions() as session:
        rows = (await session.execute(
            select(TelemetrySeries.measurand, TelemetrySeries.phase, TelemetrySample.value)
            .join(TelemetrySample, TelemetrySample.series_id == TelemetrySeries.id)
            .where(TelemetrySeries.device_id == reg.device_id, TelemetrySeries.connector_no == 1)
        )).all()
    assert sorted((m, p, round(v, 3)) for m, p, v in rows) == [
        ("current", "L1", 10.4), ("energy", "", 12.345), ("power", "", 7.2), ("soc", "", 64.0),
        ("temperature", "", 31.5), ("voltage", "L1", 231.5)]
    [event] = await _events(db, "telemetry")
    assert event["device_id"] == reg.device_id and len(event["series"]) == 6


async def test_a_charging_session_from_authorize_to_stop(db: Database, live_server: str) -> None:
    reg = await register(db, "CZ-TEST-0007")
    async with db.sessions() as session:
        session.add(RfidCard(customer_id=reg.customer_id, id_tag="TAG-OK-0001", active=True))
        await session.commit()
    async with station(live_server, reg) as s:
        await s.cp.call(call.BootNotification(charge_point_model="Terra AC", charge_point_vendor="ABB"))
        assert (await s.cp.call(call.Authorize(id_tag="TAG-OK-0001"))).id_tag_info["status"] == "Accepted"
        assert (await s.cp.call(call.Authorize(id_tag="TAG-UNKNOWN"))).id_tag_info["status"] == "Invalid"
        started = await s.cp.call(call.StartTransaction(connector_id=1, id_tag="TAG-OK-0001", meter_start=1000,
                                                        timestamp=ts()))
        assert started.id_tag_info["status"] == "Accepted" and started.transaction_id > 0
        stopped = await s.cp.call(call.StopTransaction(
            meter_stop=13500, timestamp=ts(60), transaction_id=started.transaction_id, reason="EVDisconnected",
            id_tag="TAG-OK-0001",
            transaction_data=[{"timestamp": ts(60), "sampled_value": [{"value": "13500"}]}],
        ))
        assert stopped.id_tag_info["status"] == "Accepted"
    async with db.sessions() as session:
        [charge] = (await session.execute(select(ChargingSession))).scalars().all()
    assert (charge.connector_no, charge.transaction_id, charge.energy_kwh, charge.stop_reason) == (
        1, started.transaction_id, 12.5, "EVDisconnected")
    assert charge.started_at == T0 and charge.stopped_at == T0 + timedelta(minutes=60)
    assert charge.customer_id == reg.customer_id
    assert all("TAG-OK-0001" not in json.dumps(e) for e in await _events(db, "session.started"))


async def test_a_reboot_closes_the_session_the_station_never_stopped(db: Database, live_server: str) -> None:
    reg = await register(db, "CZ-TEST-0008")
    async with station(live_server, reg) as s:
        await s.cp.call(call.BootNotification(charge_point_model="Terra AC", charge_point_vendor="ABB"))
        await s.cp.call(call.StartTransaction(connector_id=1, id_tag="ANY", meter_start=0, timestamp=ts()))
        await s.cp.call(call.BootNotification(charge_point_model="Terra AC", charge_point_vendor="ABB"))
    async with db.sessions() as session:
        [charge] = (await session.execute(select(ChargingSession))).scalars().all()
    assert charge.stopped_at is not None and charge.auto_closed_reason == "station_rebooted"


async def test_firmware_diagnostics_and_data_transfer(db: Database, live_server: str) -> None:
    reg = await register(db, "CZ-TEST-0009")
    async with station(live_server, reg) as s:
        await s.cp.call(call.BootNotification(charge_point_model="Terra AC", charge_point_vendor="ABB"))
        await s.cp.call(call.FirmwareStatusNotification(status="Downloading"))
        await s.cp.call(call.DiagnosticsStatusNotification(status="Uploaded"))
        assert (await s.cp.call(call.DataTransfer(vendor_id="SECTRON", message_id="Ping"))).status == "Accepted"
        assert (await s.cp.call(call.DataTransfer(vendor_id="ACME"))).status == "UnknownVendorId"
    notes = [(e["kind"], e["status"]) for e in await _events(db, "device.notification")]
    assert ("firmware", "Downloading") in notes and ("diagnostics", "Uploaded") in notes


async def test_a_station_connecting_again_replaces_its_old_connection(db: Database, live_server: str) -> None:
    reg = await register(db, "CZ-TEST-0010")
    async with station(live_server, reg) as first:
        await first.cp.call(call.BootNotification(charge_point_model="Terra AC", charge_point_vendor="ABB"))
        async with station(live_server, reg) as second:
            await wait_until(_closed(first), "the old connection is closed")
            assert (await second.cp.call(call.Heartbeat())).current_time
            assert (await _device(db, reg.device_id)).status != "Offline"
    await wait_until(lambda: _is_offline(db, reg.device_id), "offline once the new connection closes too")
    assert [h[1] for h in await _history(db, reg.device_id) if h[0] == 0] == ["Online", "Online", "Offline"]


def _closed(s: object) -> object:
    async def check() -> bool:
        return s.socket.close_code is not None  # type: ignore[attr-defined]

    return check



async def test_quarantine_keeps_an_unregistered_stations_boot_information(
    db: Database, live_app: object, live_server: str
) -> None:
    from dataclasses import replace

    runtime = live_app.state.ocpp  # type: ignore[attr-defined]
    runtime.settings = replace(runtime.settings, unknown_stations="quarantine")
    newcomer = Registered("", "", "CZ-NEW-0001", "any-password-123")
    async with station(live_server, newcomer) as s:
        boot = await s.cp.call(call.BootNotification(charge_point_model="Pulsar Plus", charge_point_vendor="Wallbox",
                                                     charge_point_serial_number="WB-1", firmware_version="6.1"))
        assert boot.status == "Rejected"
        await s.socket.wait_closed()
    async with db.sessions() as session:
        unknown = await session.get(UnknownStation, "CZ-NEW-0001")
    assert unknown is not None and unknown.attempts == 1
    assert json.loads(unknown.boot_info or "{}") == {"vendor": "Wallbox", "model": "Pulsar Plus", "serial": "WB-1",
                                                     "firmware": "6.1"}


async def test_every_frame_in_and_out_is_kept_with_its_action(
    db: Database, live_app: object, live_server: str
) -> None:
    reg = await register(db, "CZ-TEST-0011")
    async with station(live_server, reg) as s:
        await s.cp.call(call.Heartbeat())
        await s.socket.send('[2, "bad", "MakeCoffee", {}]')
    await live_app.state.ocpp.frames.flush()  # type: ignore[attr-defined]
    async with db.sessions() as session:
        frames = (await session.execute(select(OcppFrame).where(OcppFrame.device_id == reg.device_id)
                                        .order_by(OcppFrame.id))).scalars().all()
    assert [(f.direction, f.message_type, f.action) for f in frames][:2] == [("in", 2, "Heartbeat"),
                                                                             ("out", 3, "Heartbeat")]
    assert json.loads(frames[1].frame)[0] == 3
    assert ("in", 2, "MakeCoffee") in [(f.direction, f.message_type, f.action) for f in frames]
