"""Reading back the OCPP frames kept per station: filtered pages for the console, exports that
stream in batches, and pruning frames past their retention period.

Exports and pruning work in short transactions, one per batch: on SQLite every transaction holds
the write lock (BEGIN IMMEDIATE), so one long transaction over a month of frames would stop the
OCPP endpoint from storing anything meanwhile.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, func, not_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from ema_server.db.engine import Database
from ema_server.db.models import OcppFrame
from ema_server.db.models.base import json_value
from ema_server.privacy.holds import held_device_ids

__all__ = ["FRAME_FIELDS", "FrameFilter", "StoredFrame", "export_batches", "list_frames", "prune_frames"]

FRAME_FIELDS = ("id", "at", "direction", "message_type", "unique_id", "action", "frame")
EXPORT_BATCH = 1000

_COLUMNS = (OcppFrame.id, OcppFrame.at, OcppFrame.direction, OcppFrame.message_type, OcppFrame.unique_id,
            OcppFrame.action, OcppFrame.frame)  # fmt: skip


@dataclass(frozen=True, slots=True)
class StoredFrame:
    id: int
    at: datetime
    direction: str
    message_type: int | None
    unique_id: str | None
    action: str | None
    frame: str

    def to_json(self) -> dict[str, Any]:
        """The frame as JSON-ready data, times in ISO 8601 UTC with Z."""
        return {name: json_value(getattr(self, name)) for name in FRAME_FIELDS}


@dataclass(frozen=True)
class FrameFilter:
    """Which frames of one station: actions (any of), direction, and the window [since, until)."""

    device_id: str
    actions: Sequence[str] = field(default_factory=tuple)
    direction: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    def conditions(self) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = [OcppFrame.device_id == self.device_id]
        if self.actions:
            conditions.append(OcppFrame.action.in_(sorted(set(self.actions))))
        if self.direction is not None:
            conditions.append(OcppFrame.direction == self.direction)
        if self.since is not None:
            conditions.append(OcppFrame.at >= self.since)
        if self.until is not None:
            conditions.append(OcppFrame.at < self.until)
        return conditions

    def given(self) -> list[str]:
        """Names of the filters set, for the audit trail (never their values)."""
        names = {"action": bool(self.actions), "direction": self.direction is not None,
                 "since": self.since is not None, "until": self.until is not None}  # fmt: skip
        return [name for name, present in names.items() if present]


def _frames(rows: Sequence[Any]) -> list[StoredFrame]:
    return [StoredFrame(*row) for row in rows]


async def list_frames(
    session: AsyncSession, where: FrameFilter, limit: int, offset: int
) -> tuple[int, list[StoredFrame]]:
    """One page of frames, newest first, and how many match in all."""
    conditions = where.conditions()
    total = int((await session.execute(select(func.count()).select_from(OcppFrame).where(*conditions))).scalar_one())
    rows = (
        await session.execute(
            select(*_COLUMNS).where(*conditions).order_by(OcppFrame.at.desc(), OcppFrame.id.desc())
            .limit(limit).offset(offset)
        )
    ).all()  # fmt: skip
    return total, _frames(rows)


async def export_batches(
    db: Database, where: FrameFilter, batch: int | None = None
) -> AsyncIterator[list[StoredFrame]]:
    """The matching frames oldest first, `batch` (default EXPORT_BATCH) at a time, each batch read
    in its own short transaction; frames stored after the export began are not included, so it
    always ends."""
    batch = batch or EXPORT_BATCH
    async with db.sessions() as session:
        newest = (
            await session.execute(select(func.max(OcppFrame.id)).where(*where.conditions()))
        ).scalar_one_or_none()
    if newest is None:
        return
    after: tuple[datetime, int] | None = None
    while True:
        query = select(*_COLUMNS).where(*where.conditions(), OcppFrame.id <= newest)
        if after is not None:
            # Keyset paging on (at, id): as fast for the last batch as for the first.
            at, frame_id = after
            query = query.where(or_(OcppFrame.at > at, and_(OcppFrame.at == at, OcppFrame.id > frame_id)))
        async with db.sessions() as session:
            rows = (await session.execute(query.order_by(OcppFrame.at, OcppFrame.id).limit(batch))).all()
        if not rows:
            return
        frames = _frames(rows)
        yield frames
        if len(frames) < batch:
            return
        after = (frames[-1].at, frames[-1].id)


async def prune_frames(session: AsyncSession, older_than: datetime, batch: int = 5000) -> int:
    """Delete frames stored before `older_than`, `batch` rows per transaction; returns how many.

    Frames of a station whose owner is under a legal hold are kept until the hold is lifted, as the
    retention run keeps them (a station's frames are the record of its charging for a dispute).

    Commits after every batch (and so whatever else the session had pending), so the write
    lock is held for one batch at a time and the OCPP endpoint keeps storing frames meanwhile.
    """
    removed = 0
    while True:
        free = not_(OcppFrame.device_id.in_(held_device_ids()))
        oldest = select(OcppFrame.id).where(OcppFrame.at < older_than, free).order_by(OcppFrame.at).limit(batch)
        result = await session.execute(
            delete(OcppFrame).where(OcppFrame.id.in_(oldest)).execution_options(synchronize_session=False)
        )
        await session.commit()
        count = int(result.rowcount or 0)  # type: ignore[attr-defined]
        removed += count
        if count < batch:
            return removed
