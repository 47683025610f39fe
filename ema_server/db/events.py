"""Live events: written to the event log in the transaction that caused them, and a wake-up for
the server's event streams once that transaction commits.

Streams also poll the log, so events written by another server instance sharing the database
arrive too, a moment later. Event ids are handed out under the ordering lock (see tracking.py),
so they follow commit order: reading up to the newest committed id never steps over an event
that commits later with a smaller id.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, event, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from ema_server.db.models.base import utcnow
from ema_server.db.models.logs import EventRecord
from ema_server.db.tracking import TrackedSession

log = logging.getLogger("ema_server.events")

EVENT_TYPES = (
    "device.status", "device.updated", "telemetry", "ticket.created", "ticket.updated",
    "privacy_request.created", "privacy_request.updated", "customer.updated",
    "session.started", "session.stopped",
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
    """Call `waker` after every commit that published events (in the committing thread)."""
    _wakers.add(waker)


def remove_waker(waker: Callable[[], None]) -> None:
    _wakers.discard(waker)


def wake_streams() -> None:
    """Wake every registered stream, e.g. so it notices that the server is stopping."""
    for waker in list(_wakers):
        try:
            waker()
        except Exception as exc:  # one broken stream must not keep the others asleep
            log.warning("event stream waker failed: %s", type(exc).__name__)


@event.listens_for(TrackedSession, "after_commit")
def _wake_streams(session: Session) -> None:
    if session.info.pop("published_events", False):
        wake_streams()


@event.listens_for(TrackedSession, "after_rollback")
def _forget_events(session: Session) -> None:
    session.info.pop("published_events", None)


async def prune_events(session: AsyncSession) -> int:
    result = await session.execute(delete(EventRecord).where(EventRecord.at < utcnow() - EVENT_RETENTION))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


# --- reading ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StoredEvent:
    id: int
    type: str
    data: str
    """The event's data as stored: a JSON text."""


async def latest_event_id(session: AsyncSession) -> int:
    """The newest committed event id, 0 when the log is empty."""
    return int((await session.execute(select(func.max(EventRecord.id)))).scalar() or 0)


async def oldest_event_id(session: AsyncSession) -> int | None:
    """The oldest event still kept, None when the log is empty."""
    value = (await session.execute(select(func.min(EventRecord.id)))).scalar()
    return None if value is None else int(value)


async def events_after(
    session: AsyncSession, after: int, scopes: Sequence[str], limit: int
) -> tuple[list[StoredEvent], int]:
    """Up to `limit` events after id `after` in the given scopes, and the id to continue after.

    The position moves past events of other scopes too, so a stream never scans them again.
    """
    # The newest id first, then only up to it: everything at or below a committed id is
    # committed already (commit order), so nothing read later can appear below the position.
    newest = await latest_event_id(session)
    if newest <= after:
        return [], after
    query = (
        select(EventRecord.id, EventRecord.type, EventRecord.data)
        .where(EventRecord.id > after, EventRecord.id <= newest, EventRecord.scope.in_(list(scopes)))
        .order_by(EventRecord.id)
        .limit(limit)
    )
    rows = [StoredEvent(int(r[0]), r[1], r[2]) for r in (await session.execute(query)).all()]
    position = rows[-1].id if len(rows) >= limit else newest
    return rows, position
