"""Live events: written to the event log in the transaction that caused them, and a wake-up for
the server's event streams once that transaction commits.

Streams also poll the log, so events written by another server instance sharing the database
arrive too, a moment later.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from ema_server.db.models.base import utcnow
from ema_server.db.models.logs import EventRecord
from ema_server.db.tracking import TrackedSession

EVENT_TYPES = (
    "device.status", "device.updated", "telemetry", "ticket.created", "ticket.updated",
    "privacy_request.created", "privacy_request.updated", "customer.updated",
)  # fmt: skip
# Events kept for resuming streams: the promise is 24 hours, pruning leaves a margin.
EVENT_RETENTION = timedelta(hours=48)

_wakers: set[Callable[[], None]] = set()


def publish(session: AsyncSession, type_: str, data: dict[str, Any], scope: str = "general") -> EventRecord:
    """Queue a live event in the caller's transaction; it exists only if that transaction commits."""
    record = EventRecord(
        type=type_, scope=scope, data=json.dumps(data, ensure_ascii=False, separators=(",", ":")), at=utcnow()
    )
    session.add(record)
    session.info["published_events"] = True
    return record


def add_waker(waker: Callable[[], None]) -> None:
    _wakers.add(waker)


def remove_waker(waker: Callable[[], None]) -> None:
    _wakers.discard(waker)


@event.listens_for(TrackedSession, "after_commit")
def _wake_streams(session: Session) -> None:
    if session.info.pop("published_events", False):
        for waker in list(_wakers):
            waker()


@event.listens_for(TrackedSession, "after_rollback")
def _forget_events(session: Session) -> None:
    session.info.pop("published_events", None)


async def prune_events(session: AsyncSession) -> int:
    result = await session.execute(delete(EventRecord).where(EventRecord.at < utcnow() - EVENT_RETENTION))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
