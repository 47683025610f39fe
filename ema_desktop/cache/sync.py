"""Bringing the local store up to date through the server's change feed.

The first pull of an operator's store fetches everything they may see; every later pull asks
only for what came after the stored cursor. A pull can be cancelled, or the console killed, at
any point: each page is stored with its cursor in one transaction (`changes.apply_page`), so the
next pull resumes where the last stored page ended.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from ema_desktop.backend.client import BackendClient
from ema_desktop.cache.changes import (
    AppliedPage,
    apply_page,
    get_state,
    now_text,
    read_state,
    rebuild_search,
    set_state,
)
from ema_desktop.cache.database import LocalStore

log = logging.getLogger(__name__)

# Small pages keep each step short: a page is parsed and written on the store's thread while the
# window keeps painting, and a cancelled or killed pull loses at most one page of work.
PAGE_SIZE = 1000
# Search text is refreshed after this many pages during a long pull, and always at its end.
SEARCH_EVERY_PAGES = 50


@dataclass(frozen=True)
class SyncProgress:
    """How far a pull got: records stored so far in this pull, and a fraction when it is known."""

    records: int
    fraction: float | None
    first_sync: bool


@dataclass
class SyncResult:
    records: int = 0
    pages: int = 0
    first_sync: bool = False
    ids: dict[str, set[str] | None] = field(default_factory=dict)
    """Changed ids per entity; None for an entity with too many to list."""

    def merge(self, page: AppliedPage) -> None:
        self.records += page.count
        self.pages += 1
        for entity, ids in page.ids.items():
            mine = self.ids.setdefault(entity, set())
            if mine is None or ids is None or len(mine) + len(ids) > 2_000:
                self.ids[entity] = None
            else:
                mine |= ids


class Synchroniser:
    """Pulls `/changes` into one store; one pull at a time."""

    def __init__(self, store: LocalStore, client: BackendClient, page_size: int = PAGE_SIZE) -> None:
        self.store = store
        self.client = client
        self.page_size = page_size
        self._lock = asyncio.Lock()

    async def state(self) -> dict[str, str]:
        return await self.store.call(read_state)

    async def synced_at(self) -> datetime | None:
        """When the store last caught up with the server (None: never)."""
        value = (await self.state()).get("synced_at")
        return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None

    async def first_sync_done(self) -> bool:
        return (await self.state()).get("first_sync_done") == "1"

    async def pull(self, on_page: Callable[[AppliedPage, SyncProgress], None] | None = None) -> SyncResult:
        """Fetch and store every change after the stored cursor, page by page, until caught up.

        Raises what the client raises (ServerUnreachable, SessionEnded, ApiProblem); pages stored
        before stay stored. Cancelling stops after the page being written.
        """
        async with self._lock:
            state = await self.state()
            first = state.get("first_sync_done") != "1"
            cursor = state.get("cursor", "0")
            start = int(cursor)
            result = SyncResult(first_sync=first)
            pages_since_search = 0
            while True:
                body = await self.client.changes_page(cursor, self.page_size)
                page = await self.store.call(apply_page, body, cursor)
                cursor = page.cursor
                result.merge(page)
                pages_since_search += 1
                if pages_since_search >= SEARCH_EVERY_PAGES:
                    await self.store.call(rebuild_search)
                    pages_since_search = 0
                if on_page is not None:
                    fraction = _fraction(start, int(cursor), page.latest, page.has_more)
                    on_page(page, SyncProgress(result.records, fraction, first))
                if not page.has_more:
                    break
            await self.store.call(rebuild_search)
            await self.store.call(_caught_up)
            if result.records:
                log.info("sync: %d changes in %d pages", result.records, result.pages)
            return result

    async def last_cursor(self) -> str:
        return await self.store.call(lambda c: get_state(c, "cursor") or "0")


def _fraction(start: int, cursor: int, latest: int | None, has_more: bool) -> float | None:
    if not has_more:
        return 1.0
    if latest is None or latest <= start:
        return None
    return max(0.0, min(1.0, (cursor - start) / (latest - start)))


def _caught_up(connection: object) -> None:
    from sqlalchemy import Connection

    assert isinstance(connection, Connection)
    with connection.begin():
        set_state(connection, "synced_at", now_text())
        set_state(connection, "first_sync_done", "1")
