"""Sending the outbox: the operator's stored writes go to the server in order, each exactly once.

Each entry is marked "sending" before it goes out and recorded (as sent, conflict or failed) after
the answer, each step its own transaction. A console killed in between sends the entry again with
the same Idempotency-Key, and the server answers a key it knows with its first answer: the write is
applied once. The sender stops at the first sign that the server cannot take writes now (no
network, session over, server failing) and leaves the rest pending for the next replay.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ema_desktop.backend.client import BackendClient
from ema_desktop.backend.problems import ApiProblem, ServerUnreachable, SessionEnded, describe
from ema_desktop.cache import outbox
from ema_desktop.cache.database import LocalStore
from ema_desktop.cache.outbox import IF_MATCH_ANY, OutboxEntry

log = logging.getLogger(__name__)

# A write re-armed this many times in one replay (its record keeps changing under it while nobody
# touches its fields) is shown to the operator as a conflict rather than chased further.
MAX_REARMS = 3
# Refusals that are about the moment, not the write: sent again at the next replay.
_TRY_LATER = {408, 425, 429}


@dataclass
class ReplayResult:
    """What one replay did, entry by entry: the entries the server took (as they were sent), the ones
    now in conflict (with the server's record) and the ones it refused (with its reason).
    `stopped_by`: why the replay stopped before the end (None: nothing sendable is left)."""

    sent: list[OutboxEntry] = field(default_factory=list)
    conflicts: list[OutboxEntry] = field(default_factory=list)
    failures: list[OutboxEntry] = field(default_factory=list)
    stopped_by: BaseException | None = None

    @property
    def sent_count(self) -> int:
        return len(self.sent)


Progress = Callable[[OutboxEntry, str], None]
"""Told after each entry: the entry as it was sent, and "sent", "conflict", "failed", "rearmed" or "pending"."""


class OutboxSender:
    """Sends one store's outbox through one client; one replay at a time."""

    def __init__(self, store: LocalStore, client: BackendClient) -> None:
        self.store = store
        self.client = client
        self._lock = asyncio.Lock()

    @property
    def sending(self) -> bool:
        return self._lock.locked()

    async def send_pending(self, on_progress: Progress | None = None) -> ReplayResult:
        """Send every sendable entry in order; returns what happened. Never raises for a write's
        own failure (that is recorded on the entry); stops at the first network, session or server
        failure and reports it in `stopped_by`."""
        async with self._lock:
            result = ReplayResult()
            rearms: dict[int, int] = {}
            while True:
                entry = await self.store.call(outbox.next_sendable)
                if entry is None:
                    return result
                outcome = await self._send(entry, result, rearms)
                if on_progress is not None:
                    on_progress(entry, outcome)
                if result.stopped_by is not None:
                    return result

    async def discard(self, seq: int) -> bool:
        """Drop an entry on the operator's word, once no write is in flight."""
        async with self._lock:
            return await self.store.call(outbox.discard, seq)

    async def resolve(self, seq: int, choice: str, merged: Mapping[str, Any] | None = None) -> OutboxEntry | None:
        """Record the operator's answer to a conflict (see `outbox.resolve_conflict`); send with `send_pending`."""
        async with self._lock:
            return await self.store.call(outbox.resolve_conflict, seq, choice, merged)

    async def _send(self, entry: OutboxEntry, result: ReplayResult, rearms: dict[int, int]) -> str:
        seq = entry.seq
        await self.store.call(outbox.mark_sending, seq)
        upload = None
        if entry.has_upload:
            content = await self.store.call(outbox.upload_content, seq)
            if content is not None:
                upload = (entry.upload_name or "file", content, outbox.upload_type(entry.upload_name))
        # A note depends on no version: "*" matches any.
        if_match: int | str | None = "*" if entry.if_match == IF_MATCH_ANY else entry.if_match
        try:
            answer = await self.client.send_write(entry.method, entry.path, idempotency_key=entry.idempotency_key,
                                                  json=entry.body, if_match=if_match, upload=upload)
        except (ServerUnreachable, SessionEnded) as exc:
            await self.store.call(outbox.mark_pending, seq, describe(exc))
            result.stopped_by = exc
            return "pending"
        except ApiProblem as problem:
            return await self._refused(entry, problem, result, rearms)
        await self.store.call(outbox.mark_sent, seq, answer)
        result.sent.append(entry)
        return "sent"

    async def _refused(self, entry: OutboxEntry, problem: ApiProblem, result: ReplayResult,
                       rearms: dict[int, int]) -> str:
        seq = entry.seq
        if problem.status == 412 and problem.current is not None:
            outcome = await self.store.call(outbox.handle_stale, seq, problem.current)
            if outcome == "rearmed":
                rearms[seq] = rearms.get(seq, 0) + 1
                if rearms[seq] <= MAX_REARMS:
                    return "rearmed"
                await self.store.call(outbox.mark_conflict, seq, problem.current)
                outcome = "conflict"
            if outcome == "already_applied":
                result.sent.append(entry)
                return "sent"
            result.conflicts.append(await self._reread(entry))
            log.info("outbox: %s of %s %s conflicts with a newer version", entry.action, entry.entity,
                     entry.entity_id)
            return "conflict"
        if 400 <= problem.status < 500 and problem.status not in _TRY_LATER:
            await self.store.call(outbox.mark_failed, seq, str(problem))
            result.failures.append(await self._reread(entry))
            log.info("outbox: the server refused %s of %s %s (%s)", entry.action, entry.entity, entry.entity_id,
                     problem.code)
            return "failed"
        await self.store.call(outbox.mark_pending, seq, str(problem))
        result.stopped_by = problem
        return "pending"

    async def _reread(self, entry: OutboxEntry) -> OutboxEntry:
        """The entry as now stored (with its conflict or the server's reason)."""
        stored: OutboxEntry | None = await self.store.call(outbox.get_entry, entry.seq)
        return stored or entry
