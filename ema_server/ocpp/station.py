"""What a connected station's messages do, whatever its OCPP version: the 1.6 and 2.0.1 handlers
translate their payloads into these calls.

Every write goes through the station writer (group commit) and is committed before the station
gets its answer, so an accepted message is never lost. Nothing is written for a message that
fails validation: the handlers validate before calling in.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ema_server.charging_sessions import close_open_sessions, start_session, stop_session
from ema_server.db.events import publish
from ema_server.db.models import ChargingSession, Device, utcnow
from ema_server.db.models.base import json_value
from ema_server.fault_triage import on_station_online, on_status_reported
from ema_server.id_tags import authorize_id_tag
from ema_server.ocpp.telemetry_ingest import TelemetryIngest
from ema_server.ocpp.writer import StationWriter
from ema_server.station_status import mark_connected, mark_disconnected, record_status
from ema_server.telemetry import LAST_SEEN_RESOLUTION, DeviceSamples, Sample, SeriesIds, record_samples, touch

log = logging.getLogger("ema_server.ocpp")

FIRMWARE_MAX = 64


@dataclass(frozen=True)
class BootInfo:
    vendor: str
    model: str
    serial: str | None
    firmware: str | None


@dataclass(frozen=True)
class Started:
    transaction_id: int | None
    authorization: str


class StationService:
    """The server side of one connected station (one instance per connection)."""

    def __init__(self, writer: StationWriter, telemetry: TelemetryIngest, device_id: str, identity: str,
                 ocpp_version: str) -> None:
        self.writer = writer
        self.telemetry = telemetry
        self.device_id = device_id
        self.identity = identity
        self.ocpp_version = ocpp_version
        self._series: SeriesIds = {}
        self._seen_at = -LAST_SEEN_RESOLUTION.total_seconds()

    def _seen_due(self) -> bool:
        """Whether last_seen_at needs writing (it is kept to the minute): most heartbeats and meter
        values then need no device row at all."""
        now = time.monotonic()
        if now - self._seen_at < LAST_SEEN_RESOLUTION.total_seconds():
            return False
        self._seen_at = now
        return True

    async def _device(self, session: AsyncSession) -> Device:
        device = await session.get(Device, self.device_id)
        if device is None:
            raise LookupError("the station's device record is gone")
        return device

    # --- connectivity ----------------------------------------------------------------------

    async def connected(self) -> None:
        async def work(session: AsyncSession) -> None:
            device = await self._device(session)
            await mark_connected(session, device, self.ocpp_version)
            await on_station_online(session, device, utcnow())

        await self.writer.run(work)

    async def disconnected(self, reason: str) -> None:
        async def work(session: AsyncSession) -> None:
            device = await session.get(Device, self.device_id)
            if device is not None:
                await mark_disconnected(session, device, reason)

        await self.writer.run(work)

    # --- station messages ------------------------------------------------------------------

    async def boot(self, info: BootInfo) -> None:
        """A boot is a restart: sessions left open by the previous run are closed."""

        async def work(session: AsyncSession) -> int:
            device = await self._device(session)
            touch(device)
            if info.firmware and device.firmware != info.firmware[:FIRMWARE_MAX]:
                device.firmware = info.firmware[:FIRMWARE_MAX]
            closed = await close_open_sessions(session, device, "station_rebooted", utcnow())
            publish(session, "device.notification", {
                "device_id": device.id, "kind": "boot", "status": "Accepted", "firmware": device.firmware,
                "at": json_value(utcnow()),
            })  # fmt: skip
            return closed

        closed = await self.writer.run(work)
        if closed:
            log.info("station %s booted with %d sessions open: closed them", self.identity, closed)

    async def heartbeat(self) -> None:
        if not self._seen_due():
            return

        async def work(session: AsyncSession) -> None:
            touch(await self._device(session))

        await self.writer.run(work)

    async def status(self, connector_no: int, status: str, error_code: str | None, info: str | None,
                     at: datetime | None) -> None:
        async def work(session: AsyncSession) -> None:
            device = await self._device(session)
            when = at or utcnow()
            if await record_status(session, device, connector_no, status, error_code, info, when):
                await on_status_reported(session, device, connector_no, status, error_code, when, info=info)

        await self.writer.run(work)

    async def meter_values(self, samples: list[Sample]) -> None:
        await self.telemetry.add(DeviceSamples(self.device_id, samples, self._series, self._seen_due()))

    async def authorize(self, id_tag: str) -> str:
        async def work(session: AsyncSession) -> str:
            return await authorize_id_tag(session, await self._device(session), id_tag, utcnow())

        return await self.writer.run(work)

    async def start_transaction(self, connector_no: int, id_tag: str | None, meter_start_wh: float, at: datetime,
                                transaction_ref: str | None = None, samples: list[Sample] | None = None) -> Started:
        async def work(session: AsyncSession) -> Started:
            device = await self._device(session)
            authorization = (await authorize_id_tag(session, device, id_tag, utcnow())) if id_tag else "Accepted"
            charging = await start_session(session, device, connector_no, id_tag, int(meter_start_wh), at,
                                           transaction_ref=transaction_ref)
            if samples:
                await record_samples(session, self.device_id, samples, series_cache=self._series, mark_seen=False)
            return Started(charging.transaction_id, authorization)

        return await self.writer.run(work)

    async def stop_transaction(self, *, transaction_id: int | None = None, transaction_ref: str | None = None,
                               meter_stop_wh: float | None, at: datetime, reason: str | None,
                               id_tag: str | None = None, samples: list[Sample] | None = None) -> str | None:
        """Close the session; returns the id tag's authorization when one was given."""

        async def work(session: AsyncSession) -> str | None:
            device = await self._device(session)
            if samples:
                await record_samples(session, self.device_id, samples, series_cache=self._series, mark_seen=False)
            stopped: ChargingSession | None = await stop_session(
                session, device, transaction_id=transaction_id, transaction_ref=transaction_ref,
                meter_stop_wh=int(meter_stop_wh) if meter_stop_wh is not None else None, stopped_at=at,
                reason=reason,
            )
            if stopped is None:
                log.info("station %s stopped a transaction the server does not know", self.identity)
            return (await authorize_id_tag(session, device, id_tag, utcnow())) if id_tag else None

        return await self.writer.run(work)

    async def notification(self, kind: str, status: str, detail: dict[str, Any] | None = None) -> None:
        """Firmware, diagnostics/log and security notifications: published for the console and kept
        in the frame log (there is no table of them)."""

        async def work(session: AsyncSession) -> None:
            device = await self._device(session)
            touch(device)
            publish(session, "device.notification", {
                "device_id": device.id, "kind": kind, "status": status, **(detail or {}),
                "at": json_value(utcnow()),
            })  # fmt: skip

        await self.writer.run(work)

    async def data_transfer(self, vendor_id: str, message_id: str | None, data: Any) -> str:
        """Vendor-specific messages: SECTRON's own are acknowledged; others are not known here."""
        if vendor_id != "SECTRON":
            return "UnknownVendorId"
        log.debug("station %s data transfer %s", self.identity, message_id)
        await self.heartbeat()
        return "Accepted"
