"""OCPP 2.0.1 stations against the live endpoint: the same outcomes as 1.6 from 2.0.1's shapes
(TransactionEvent, EVSEs, Occupied, faults reported through NotifyEvent)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from ocpp.v201 import call
from sqlalchemy import select

from ema_server.db.engine import Database
from ema_server.db.models import (
    ChargingSession,
    Device,
    DeviceStatusChange,
    EventRecord,
    RfidCard,
    TelemetrySample,
    TelemetrySeries,
    Ticket,
)
from tests.ocpp.harness import register, station

T0 = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
BOOT = call.BootNotification(charging_station={"model": "Terra AC", "vendor_name": "ABB",
                                               "firmware_version": "2.1.0", "serial_number": "SN-X"},
                             reason="PowerUp")


def ts(minutes: float = 0) -> str:
    return (T0 + timedelta(minutes=minutes)).isoformat().replace("+00:00", "Z")


def meter(minutes: float, wh: float, watts: float | None = None) -> dict:  # type: ignore[type-arg]
    sampled: list[dict] = [{"value": wh, "measurand": "Energy.Active.Import.Register",  # type: ignore[type-arg]
                            "unit_of_measure": {"unit": "Wh"}}]
    if watts is not None:
        sampled.append({"value": watts / 1000, "measurand": "Power.Active.Import",
                        "unit_of_measure": {"unit": "W", "multiplier": 3}})
    return {"timestamp": ts(minutes), "sampled_value": sampled}


async def _device(db: Database, device_id: str) -> Device:
    async with db.sessions() as session:
        device = await session.get(Device, device_id)
        assert device is not None
        return device


async def test_a_201_station_boots_with_the_201_subprotocol(db: Database, live_server: str) -> None:
    reg = await register(db, "CZ-TWO-0001")
    async with station(live_server, reg, "2.0.1") as s:
        assert s.socket.subprotocol == "ocpp2.0.1"
        boot = await s.cp.call(BOOT)
        assert boot.status == "Accepted" and boot.interval == 60
        assert (await s.cp.call(call.Heartbeat())).current_time.endswith("Z")
        device = await _device(db, reg.device_id)
        assert (device.ocpp_version, device.firmware) == ("2.0.1", "2.1.0")


async def test_status_and_a_fault_with_its_tech_code_from_notify_event(db: Database, live_server: str) -> None:
    reg = await register(db, "CZ-TWO-0002")
    async with station(live_server, reg, "2.0.1") as s:
        await s.cp.call(BOOT)
        await s.cp.call(call.StatusNotification(timestamp=ts(0), connector_status="Occupied", evse_id=1,
                                                connector_id=1))
        await s.cp.call(call.NotifyEvent(generated_at=ts(1), seq_no=0, event_data=[{
            "event_id": 1, "timestamp": ts(1), "trigger": "Alerting", "actual_value": "true",
            "tech_code": "GroundFailure", "event_notification_type": "HardWiredNotification",
            "component": {"name": "EVSE", "evse": {"id": 1}}, "variable": {"name": "Problem"}}]))
        await s.cp.call(call.StatusNotification(timestamp=ts(1), connector_status="Faulted", evse_id=1,
                                                connector_id=1))
        device = await _device(db, reg.device_id)
        assert (device.status, device.error_code) == ("Faulted", "GroundFailure")
    async with db.sessions() as session:
        history = (await session.execute(
            select(DeviceStatusChange.connector_no, DeviceStatusChange.status, DeviceStatusChange.error_code)
            .where(DeviceStatusChange.connector_no == 1).order_by(DeviceStatusChange.id))).all()
        [ticket] = (await session.execute(select(Ticket))).scalars().all()
    assert [tuple(h) for h in history] == [(1, "Preparing", None), (1, "Faulted", "GroundFailure")]
    assert (ticket.kind, ticket.error_code, ticket.connector_no) == ("fault", "GroundFailure", 1)


async def test_a_transaction_started_updated_and_ended(db: Database, live_server: str) -> None:
    reg = await register(db, "CZ-TWO-0003")
    async with db.sessions() as session:
        session.add(RfidCard(customer_id=reg.customer_id, id_tag="TAG-201-OK", active=True))
        await session.commit()
    token = {"id_token": "TAG-201-OK", "type": "ISO14443"}
    async with station(live_server, reg, "2.0.1") as s:
        await s.cp.call(BOOT)
        assert (await s.cp.call(call.Authorize(id_token=token))).id_token_info["status"] == "Accepted"
        started = await s.cp.call(call.TransactionEvent(
            event_type="Started", timestamp=ts(0), trigger_reason="Authorized", seq_no=0,
            transaction_info={"transaction_id": "tx-201-a", "charging_state": "EVConnected"},
            evse={"id": 1, "connector_id": 1}, id_token=token, meter_value=[meter(0, 2000)]))
        assert started.id_token_info["status"] == "Accepted"
        await s.cp.call(call.TransactionEvent(
            event_type="Updated", timestamp=ts(10), trigger_reason="MeterValuePeriodic", seq_no=1,
            transaction_info={"transaction_id": "tx-201-a", "charging_state": "Charging"},
            meter_value=[meter(10, 3800, 11000)]))
        assert (await _device(db, reg.device_id)).status == "Charging"
        await s.cp.call(call.TransactionEvent(
            event_type="Ended", timestamp=ts(30), trigger_reason="EVCommunicationLost", seq_no=2,
            transaction_info={"transaction_id": "tx-201-a", "stopped_reason": "EVDisconnected"},
            meter_value=[meter(30, 9500)]))
        await s.cp.call(call.MeterValues(evse_id=1, meter_value=[meter(31, 9500)]))
    async with db.sessions() as session:
        [charge] = (await session.execute(select(ChargingSession))).scalars().all()
        powers = (await session.execute(
            select(TelemetrySample.value).join(TelemetrySeries, TelemetrySample.series_id == TelemetrySeries.id)
            .where(TelemetrySeries.measurand == "power"))).scalars().all()
    assert (charge.transaction_ref, charge.transaction_id, charge.connector_no) == ("tx-201-a", None, 1)
    assert (charge.energy_kwh, charge.stop_reason) == (7.5, "EVDisconnected")
    assert charge.stopped_at == T0 + timedelta(minutes=30)
    assert powers == [11.0]  # 11 W with multiplier 3 is 11 kW


async def test_firmware_log_security_and_data_transfer_notifications(db: Database, live_server: str) -> None:
    reg = await register(db, "CZ-TWO-0004")
    async with station(live_server, reg, "2.0.1") as s:
        await s.cp.call(BOOT)
        await s.cp.call(call.FirmwareStatusNotification(status="Installing"))
        await s.cp.call(call.LogStatusNotification(status="Uploaded", request_id=7))
        await s.cp.call(call.SecurityEventNotification(type="TamperDetectionActivated", timestamp=ts()))
        assert (await s.cp.call(call.DataTransfer(vendor_id="SECTRON"))).status == "Accepted"
    async with db.sessions() as session:
        notes = [json.loads(d) for d in (await session.execute(
            select(EventRecord.data).where(EventRecord.type == "device.notification"))).scalars()]
    assert {(n["kind"], n["status"]) for n in notes} >= {
        ("firmware", "Installing"), ("diagnostics", "Uploaded"), ("security", "TamperDetectionActivated")}
