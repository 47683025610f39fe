"""Periodic checks of the fleet: stations that stopped talking, sessions nobody closed, stations
offline long enough for a ticket, and stations that did not come back after a server restart."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ema_server.charging_sessions import close_silent_sessions
from ema_server.db.models import Device, utcnow
from ema_server.fault_triage import open_offline_tickets
from ema_server.station_status import OFFLINE, mark_disconnected

if TYPE_CHECKING:
    from ema_server.ocpp.runtime import OcppRuntime

log = logging.getLogger("ema_server.ocpp.watchdog")

MISSED_HEARTBEATS = "missed heartbeats"
OFFLINE_TICKETS_PER_ROUND = 200
# Not a reason for an offline ticket (see fault_triage.CONNECTIVITY_REASONS): a station the
# server has not seen since it started may never have been connected to it at all.
NOT_BACK_AFTER_START = "not back after server start"


class Watchdog:
    def __init__(self, runtime: OcppRuntime) -> None:
        self._runtime = runtime
        self._task: asyncio.Task[None] | None = None
        self.started_at = time.monotonic()
        self._restart_checked = False

    def start(self) -> None:
        self.started_at = time.monotonic()
        self._task = asyncio.create_task(self._loop(), name="ocpp-watchdog")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _loop(self) -> None:
        while True:
            await asyncio.sleep(self._runtime.settings.station_check_interval)
            try:
                await self.check()
            except Exception as exc:  # one failed round must not end the checks
                log.warning("station checks failed: %s", type(exc).__name__)

    @property
    def grace_over(self) -> bool:
        """Stations get one heartbeat interval after the server starts to reconnect before they
        count as gone."""
        return time.monotonic() - self.started_at >= self._runtime.settings.heartbeat_interval

    async def check(self) -> None:
        runtime = self._runtime
        settings = runtime.settings
        for connection in runtime.silent_connections():
            log.info("station %s missed its heartbeats: closing its connection", connection.identity)
            connection.close_reason = MISSED_HEARTBEATS
            await connection.close(1001, "missed heartbeats")
        if not self.grace_over:
            return
        if not self._restart_checked:
            marked = await runtime.writer.run(self._mark_not_back)
            self._restart_checked = True
            if marked:
                log.info("%d stations did not reconnect after the server started: marked offline", marked)
        now = utcnow()

        async def silent_sessions(session: AsyncSession) -> int:
            return await close_silent_sessions(session, now, settings.session_silence_limit)

        async def offline_tickets(session: AsyncSession) -> int:
            return len(await open_offline_tickets(session, now, settings.offline_ticket_after,
                                                  limit=OFFLINE_TICKETS_PER_ROUND))

        closed = await runtime.writer.run(silent_sessions)
        tickets = opened = await runtime.writer.run(offline_tickets)
        # A mass outage is ticketed in several short transactions rather than one long one.
        while opened == OFFLINE_TICKETS_PER_ROUND:
            opened = await runtime.writer.run(offline_tickets)
            tickets += opened
        if closed or tickets:
            log.info("closed %d silent sessions, opened %d offline tickets", closed, tickets)

    async def _mark_not_back(self, session: AsyncSession) -> int:
        connected = self._runtime.connected_device_ids()
        devices = (await session.execute(
            select(Device).where(Device.ocpp_identity.is_not(None), Device.status != OFFLINE)
        )).scalars().all()
        marked = 0
        for device in devices:
            if device.id not in connected and await mark_disconnected(session, device, NOT_BACK_AFTER_START):
                marked += 1
        return marked
