"""Periodic clean-up: events older than the resume window, stale idempotency records, tokens and
login attempts past their use, OCPP frames older than the frame retention period, expired access
packages, and once a day the retention run (ema_server/privacy/retention.py)."""

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
from ema_server.privacy.package import expire_packages
from ema_server.privacy.retention import run_daily_retention

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
    await _expire_packages(db)
    # Once a day (Prague): a restarted server, or another instance on the same database, finds
    # today's run recorded and skips it (run_daily_retention claims the day under a lock).
    await run_daily_retention(db)


async def _expire_packages(db: Database) -> None:
    """Access packages past their expiry lose their content within one round, not only at the daily run."""
    async with db.sessions() as session:
        expired = await expire_packages(session, utcnow())
        await session.commit()
    if expired:
        log.info("expired %d access packages", expired)


async def housekeeping_loop(db: Database, frame_retention: timedelta = DEFAULT_FRAME_RETENTION) -> None:
    while True:
        try:
            await run_housekeeping(db, frame_retention)
        except Exception as exc:  # a failed round must not stop the next one
            log.warning("housekeeping failed: %s", type(exc).__name__)
        await asyncio.sleep(INTERVAL_SECONDS)
