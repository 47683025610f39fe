"""Meter values of many stations stored together: every MeterValues waiting when the station
writer gets to them becomes one insert and one rollup upsert, instead of a few statements each.

A station still gets its answer only once its samples are committed; if the shared write fails,
every station in it gets a CALLERROR (InternalError) and may send again.
"""

from __future__ import annotations

import asyncio

from sqlalchemy.ext.asyncio import AsyncSession

from ema_server.ocpp.writer import StationWriter
from ema_server.telemetry import DeviceSamples, record_samples_of_devices


class TelemetryIngest:
    def __init__(self, writer: StationWriter) -> None:
        self._writer = writer
        self._pending: list[DeviceSamples] = []
        self._flushing: asyncio.Future[None] | None = None

    async def add(self, entry: DeviceSamples) -> None:
        """Store the entry with whatever else is waiting; returns once committed."""
        self._pending.append(entry)
        if self._flushing is None:
            self._flushing = asyncio.ensure_future(self._writer.run(self._write))
        # Shielded: one station giving up must not cancel the others' write.
        await asyncio.shield(self._flushing)

    async def _write(self, session: AsyncSession) -> None:
        # Entries added from here on wait for the next write.
        batch, self._pending, self._flushing = self._pending, [], None
        await record_samples_of_devices(session, batch)
