"""Periodic clean-up: events older than the resume window, stale idempotency records, tokens and
login attempts past their use, and OCPP frames older than the frame retention period."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from sqlalchemy import delete

from ema_server.db.engine import Database
from ema_server.db.events import prune_events
from ema_server.db.models import AuthToken, IdempotencyRecord, LoginAttempt, utcnow
from ema_server.ocpp.settings import OcppSettings
from ema_server.ocpp_frames import prune_frames

log = logging.getLogger("ema_server.housekeeping")

INTERVAL_SECONDS = 600.0
DEFAULT_FRAME_RETENTION = OcppSettings.frame_retention


async def run_housekeeping(db: Database, frame_retention: timedelta = DEFAULT_FRAME_RETENTION) -> None:
    async with db.sessions() as session:
        now = utcnow()
        await prune_events(session)
        await session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.created_at < now - timedelta(hours=24)))
        await session.execute(delete(AuthToken).where(AuthToken.expires_at < now - timedelta(days=1)))
        await session.execute(delete(LoginAttempt).where(LoginAttempt.at < now - timedelta(days=1)))
        await session.commit()
        # A month of frames of thousands of stations is millions of rows: pruned in batches,
        # each its own transaction, after the quick clean-ups above are committed.
        removed = await prune_frames(session, now - frame_retention)
        if removed:
            log.info("pruned %d OCPP frames older than %s", removed, frame_retention)


async def housekeeping_loop(db: Database, frame_retention: timedelta = DEFAULT_FRAME_RETENTION) -> None:
    while True:
        try:
            await run_housekeeping(db, frame_retention)
        except Exception as exc:  # a failed round must not stop the next one
            log.warning("housekeeping failed: %s", type(exc).__name__)
        await asyncio.sleep(INTERVAL_SECONDS)
