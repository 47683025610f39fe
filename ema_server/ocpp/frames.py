"""The frame log writer: every OCPP frame in and out goes to `ocpp_frames`, written in bulk.

Frames are kept for diagnosis, not as the record of what a station reported (that is the status
history, sessions and telemetry, committed before the station gets its answer), so they are
buffered and written every second in one insert: logging must not double the write load of
two thousand stations. The insert goes through the station writer, inside one of its group
commits, so it never competes with the stations' own writes for SQLite's write lock. Up to a
second of frames is lost if the process dies.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from ema_server.db.models import OcppFrame, utcnow
from ema_server.ocpp.writer import StationWriter

log = logging.getLogger("ema_server.ocpp.frames")

FLUSH_SECONDS = 1.0
MAX_BUFFER = 50_000
"""Beyond this many unwritten frames (a database that stopped answering) new ones are dropped
and counted, so memory stays bounded."""
FRAME_TEXT_MAX = 64 * 1024


class FrameLog:
    def __init__(self, writer: StationWriter, flush_seconds: float = FLUSH_SECONDS) -> None:
        self._writer = writer
        self._flush_seconds = flush_seconds
        self._buffer: list[dict[str, Any]] = []
        self._task: asyncio.Task[None] | None = None
        self.dropped = 0
        self._dropped_reported = 0

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name="ocpp-frame-log")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await self.flush()

    def add(self, device_id: str, direction: str, message_type: int | None, unique_id: str | None,
            action: str | None, frame: str) -> None:
        if len(self._buffer) >= MAX_BUFFER:
            self.dropped += 1
            return
        self._buffer.append({
            "device_id": device_id, "at": utcnow(), "direction": direction, "message_type": message_type,
            "unique_id": unique_id[:64] if unique_id else None, "action": action[:64] if action else None,
            "frame": frame[:FRAME_TEXT_MAX],
        })  # fmt: skip

    async def flush(self) -> int:
        """Write what is buffered now; returns how many frames were written."""
        if self.dropped > self._dropped_reported:
            log.warning("frame log full: dropped %d frames", self.dropped - self._dropped_reported)
            self._dropped_reported = self.dropped
        rows, self._buffer = self._buffer, []
        if not rows:
            return 0
        try:
            await self._writer.run(_inserting(rows))
        except Exception as exc:
            # A device deleted meanwhile fails its foreign key: write the rest without it.
            log.warning("frame log write failed (%s); retrying per device", type(exc).__name__)
            return await self._flush_per_device(rows)
        return len(rows)

    async def _flush_per_device(self, rows: list[dict[str, Any]]) -> int:
        by_device: dict[str, list[dict[str, Any]]] = {}
        for row in rows:
            by_device.setdefault(row["device_id"], []).append(row)
        written = 0
        for device_rows in by_device.values():
            try:
                await self._writer.run(_inserting(device_rows))
                written += len(device_rows)
            except Exception as exc:
                self.dropped += len(device_rows)
                log.warning("dropped %d frames of one station (%s)", len(device_rows), type(exc).__name__)
        return written

    async def _loop(self) -> None:
        while True:
            await asyncio.sleep(self._flush_seconds)
            await self.flush()


def _inserting(rows: list[dict[str, Any]]) -> Callable[[AsyncSession], Awaitable[None]]:
    async def work(session: AsyncSession) -> None:
        await session.execute(insert(OcppFrame), rows)

    return work
