"""Group commit for station messages: many stations' writes share one transaction.

Two thousand stations each sending meter values every ten seconds are two hundred small writes a
second; as separate transactions they would queue for SQLite's single writer (and PostgreSQL's
change-feed ordering lock) one by one. The writer takes whatever work is waiting, runs each piece
in its own savepoint of one transaction and commits once, so a station's answer still waits for
its data to be durable, but a second holds a few commits instead of hundreds. A piece that fails
rolls back its own savepoint only; the others commit.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from ema_server.db.engine import Database

log = logging.getLogger("ema_server.ocpp.writer")

T = TypeVar("T")
Work = Callable[[AsyncSession], Awaitable[Any]]

MAX_BATCH = 200


@dataclass
class _Job:
    work: Work
    done: asyncio.Future[Any] = field(default_factory=lambda: asyncio.get_running_loop().create_future())


class StationWriter:
    """Runs `work(session)` coroutines in shared transactions; `run` returns once committed."""

    def __init__(self, db: Database, max_batch: int = MAX_BATCH) -> None:
        self._db = db
        self._max_batch = max_batch
        self._queue: asyncio.Queue[_Job] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name="station-writer")

    async def stop(self) -> None:
        """Finish the queued work, then stop."""
        if self._task is None:
            return
        await self._queue.join()
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._task = None

    async def run(self, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
        if self._task is None:
            raise RuntimeError("the station writer is not running")
        job = _Job(work)
        self._queue.put_nowait(job)
        result: T = await job.done
        return result

    async def _loop(self) -> None:
        while True:
            batch = [await self._queue.get()]
            while len(batch) < self._max_batch and not self._queue.empty():
                batch.append(self._queue.get_nowait())
            try:
                await self._commit(batch)
            except Exception as exc:  # the batch as a whole failed to commit: retry each alone
                log.warning("group commit of %d failed (%s); retrying one by one", len(batch), type(exc).__name__)
                for job in batch:
                    if not job.done.done():
                        await self._commit([job])
            finally:
                for job in batch:
                    if not job.done.done():
                        job.done.set_exception(RuntimeError("station write was not committed"))
                    self._queue.task_done()

    async def _commit(self, batch: list[_Job]) -> None:
        results: list[tuple[_Job, bool, Any]] = []
        try:
            async with self._db.sessions() as session:
                for job in batch:
                    if job.done.done():  # cancelled by its waiter
                        continue
                    try:
                        async with session.begin_nested():
                            value = await job.work(session)
                        results.append((job, True, value))
                    except Exception as exc:
                        results.append((job, False, exc))
                await session.commit()
        except Exception:
            if len(batch) > 1:
                raise
            for job, _, _ in results or [(batch[0], False, None)]:
                if not job.done.done():
                    job.done.set_exception(RuntimeError("station write was not committed"))
            return
        for job, ok, value in results:
            if job.done.done():
                continue
            if ok:
                job.done.set_result(value)
            else:
                job.done.set_exception(value)
