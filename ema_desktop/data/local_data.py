"""The signed-in operator's local store, kept current: opening it with its key, pulling changes
in the background (first sync with progress and cancel, then incremental), and sending the
outbox whenever the server is reachable.

Qt signals here carry what the models and the status bar need; the work itself is in
`ema_desktop.cache` (plain asyncio, on the store's own thread).
"""

from __future__ import annotations

import asyncio
import json
import logging
import shutil
from collections.abc import Mapping
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from sqlalchemy import Connection

from ema_desktop.backend.client import BackendClient
from ema_desktop.backend.problems import BackendError, ServerUnreachable, SessionEnded, describe
from ema_desktop.backend.records import Operator
from ema_desktop.cache import hygiene, outbox
from ema_desktop.cache.changes import AppliedPage, get_state, set_state
from ema_desktop.cache.database import LocalStore, StoreError, StoreKeyMismatch, remove_store_files
from ema_desktop.cache.keys import forget_key, load_or_create_key, store_file
from ema_desktop.cache.replay import OutboxSender
from ema_desktop.cache.sync import Synchroniser, SyncProgress, SyncResult
from ema_desktop.data.tasks import OwnedTasks

log = logging.getLogger(__name__)

# A live event asks for a pull; events arriving within this window share it.
PULL_DEBOUNCE_MS = 250
# Even with no event, look for changes (and unsent work) this often.
PERIODIC_MS = 60_000


class StoreState(Enum):
    CLOSED = "closed"
    OPEN = "open"
    MEMORY_ONLY = "memory_only"
    """No usable keyring: the store lives in memory and is gone at exit."""
    UNREADABLE = "unreadable"
    """The file does not open with the key we have (lost or changed keyring entry)."""

    @property
    def persistent(self) -> bool:
        return self is StoreState.OPEN


class LocalData(QObject):
    """One operator's store on one server, and its sync.

    Signals:
        sync_progress(int, float, bool): records stored so far in the running pull, the fraction done
            (-1 when not known) and whether it is the first sync.
        sync_finished(bool): a pull ended: True when it caught up, False when it stopped (offline,
            cancelled, failed).
        records_changed(object): records changed in the store: {entity: set of ids, or None for "many"}.
        outbox_changed(object): counts of unsent writes per state ({"pending": 2, "conflict": 1}).
        conflict_found(object): an outbox entry the server refused because the record changed meanwhile.
        write_refused(object): an outbox entry the server refused (the reason is in its last_error).
        reachability_changed(bool): whether the last pull or send reached the server.
        session_revoked(): the server no longer accepts this sign-in.
    """

    sync_progress = Signal(int, float, bool)
    sync_finished = Signal(bool)
    records_changed = Signal(object)
    outbox_changed = Signal(object)
    conflict_found = Signal(object)
    write_refused = Signal(object)
    reachability_changed = Signal(bool)
    session_revoked = Signal()

    def __init__(self, client: BackendClient, data_dir: Path, username: str,
                 max_age_days: int = hygiene.DEFAULT_MAX_AGE_DAYS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.client = client
        self.data_dir = data_dir
        self.username = username
        self.max_age_days = max_age_days
        self._purged = False
        self.state = StoreState.CLOSED
        self.store: LocalStore | None = None
        self.synchroniser: Synchroniser | None = None
        self.outbox_sender: OutboxSender | None = None
        self.first_sync_done = False
        self.synced_at: datetime | None = None
        self.reachable: bool | None = None
        self.syncing = False
        self._tasks = OwnedTasks(self)
        self._pull_task: asyncio.Task[Any] | None = None
        self._pull_again = False
        self._send_task: asyncio.Task[Any] | None = None
        self._send_again = False
        self._pull_timer = QTimer(self)
        self._pull_timer.setSingleShot(True)
        self._pull_timer.setInterval(PULL_DEBOUNCE_MS)
        self._pull_timer.timeout.connect(self._on_pull_timer_timeout)
        self._periodic = QTimer(self)
        self._periodic.setInterval(PERIODIC_MS)
        self._periodic.timeout.connect(self._on_periodic_timeout)

    # ------------------------------------------------------------------ opening
    @property
    def path(self) -> Path:
        return store_file(self.data_dir, self.client.server_url, self.username)

    @property
    def ready(self) -> bool:
        """The store is open and holds a complete first sync: reads may come from it."""
        return self.store is not None and self.first_sync_done

    async def open(self) -> StoreState:
        """Open (or create) the store; UNREADABLE leaves it closed for the operator to decide."""
        key = await load_or_create_key(self.client.server_url, self.username)
        path = self.path if key.kept else None
        if path is not None and key.created and path.exists():
            # A file without its key (keyring reset or moved): it can never be read again.
            self.state = StoreState.UNREADABLE
            return self.state
        store = LocalStore(path, key.key)
        try:
            await store.open()
        except StoreKeyMismatch:
            await store.close()
            self.state = StoreState.UNREADABLE
            return self.state
        except StoreError:
            await store.close()
            raise
        self.store = store
        self.synchroniser = Synchroniser(store, self.client)
        self.outbox_sender = OutboxSender(store, self.client)
        sync_state = await self.synchroniser.state()
        self.first_sync_done = sync_state.get("first_sync_done") == "1"
        self.synced_at = _parse_time(sync_state.get("synced_at"))
        self.state = StoreState.OPEN if key.kept else StoreState.MEMORY_ONLY
        self._periodic.start()
        self.outbox_changed.emit(await self.outbox_counts())
        return self.state

    async def remember_operator(self, operator: Operator) -> None:
        """Keep who signed in (name, roles, permissions), for a start without the server."""
        await self.call(_save_operator, operator.model_dump_json())

    async def remembered_operator(self) -> Operator | None:
        raw: str | None = await self.call(_load_operator)
        return Operator.model_validate_json(raw) if raw else None

    async def keep_until_sent(self) -> None:
        """The session was revoked but unsent work remains: delete the store once it is sent."""
        await self.call(_set_flag, "wipe_after_outbox")

    async def wipe_pending(self) -> bool:
        flag: str | None = await self.call(_get_flag, "wipe_after_outbox")
        return flag == "1"

    async def export_outbox(self, path: Path) -> int:
        """Write every unsent write to a JSON file the operator chose; how many."""
        exported: dict[str, Any] = await self.call(outbox.export)
        text = json.dumps(exported, ensure_ascii=False, indent=2)
        await asyncio.to_thread(path.write_text, text, "utf-8")
        entries = exported.get("entries", [])
        return len(entries) if isinstance(entries, list) else 0

    async def set_aside_unreadable(self) -> Path | None:
        """Move an unreadable store aside (never deleted: it may hold unsent work) and start afresh."""
        path = self.path
        kept: Path | None = None
        if path.exists():
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            kept = path.with_name(f"{path.stem}.unreadable-{stamp}.db")
            await asyncio.to_thread(shutil.move, str(path), str(kept))
            for suffix in ("-wal", "-shm"):
                side = path.with_name(path.name + suffix)
                if side.exists():
                    await asyncio.to_thread(shutil.move, str(side), str(kept) + suffix)
        await forget_key(self.client.server_url, self.username)
        self.state = StoreState.CLOSED
        return kept

    async def close(self) -> None:
        self._pull_timer.stop()
        self._periodic.stop()
        tasks = [t for t in (self._pull_task, self._send_task) if t is not None]
        self._tasks.cancel()
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
        store, self.store = self.store, None
        self.synchroniser = self.outbox_sender = None
        if store is not None:
            await store.close()
        self.state = StoreState.CLOSED

    async def wipe(self) -> None:
        """Close the store and delete it with its key (sign-out with wipe, revoked session)."""
        path = self.path if self.store is not None and self.store.persistent else None
        await self.close()
        if path is not None:
            await asyncio.to_thread(remove_store_files, path)
        await forget_key(self.client.server_url, self.username)

    # ------------------------------------------------------------------ reads
    async def call(self, fn: Any, *args: Any) -> Any:
        if self.store is None:
            raise StoreError("The local store is not open.")
        return await self.store.call(fn, *args)

    async def outbox_counts(self) -> dict[str, int]:
        if self.store is None:
            return {}
        counts: dict[str, int] = await self.store.call(outbox.counts)
        return counts

    # ------------------------------------------------------------------ sync
    def request_pull(self) -> None:
        """Pull soon (debounced): live events and reconnects call this."""
        if self.store is not None:
            self._pull_timer.start()

    def _on_pull_timer_timeout(self) -> None:
        self.start_pull()

    def _on_periodic_timeout(self) -> None:
        self.start_pull()
        self.request_send()

    def start_pull(self) -> None:
        if self.store is None:
            return
        if self._pull_task is not None and not self._pull_task.done():
            self._pull_again = True
            return
        self._pull_task = self._tasks.start(self._pull())

    def cancel_pull(self) -> None:
        """Stop the running pull after the page being written; what is stored stays."""
        self._pull_again = False
        if self._pull_task is not None:
            self._pull_task.cancel()

    async def pull_now(self) -> bool:
        """Pull and wait for it (tests, snapshot); True when it caught up."""
        self.start_pull()
        while self._pull_task is not None and not self._pull_task.done():
            task = self._pull_task
            await asyncio.gather(task, return_exceptions=True)
        return self.reachable is True

    async def _pull(self) -> None:
        synchroniser = self.synchroniser
        if synchroniser is None:
            return
        caught_up = False
        self.syncing = True
        try:
            while True:
                self._pull_again = False
                try:
                    result = await synchroniser.pull(self._on_page)
                except ServerUnreachable:
                    self._set_reachable(False)
                    return
                except SessionEnded:
                    self.session_revoked.emit()
                    return
                except BackendError as exc:
                    log.warning("sync failed: %s", describe(exc))
                    return
                self._set_reachable(True)
                caught_up = True
                self.synced_at = datetime.now(UTC)
                if not self.first_sync_done:
                    self.first_sync_done = True
                    self.records_changed.emit({"*": None})
                elif result.records:
                    self._report_changes(result)
                if not self._pull_again:
                    break
        finally:
            self.syncing = False
            self.sync_finished.emit(caught_up)
        self.request_send()
        if caught_up and not self._purged:
            self._purged = True
            await self._purge()

    async def _purge(self) -> None:
        """Once a run, after the first pull: old unpinned history goes (see cache.hygiene)."""
        if self.store is None:
            return
        report: hygiene.PurgeReport = await self.store.call(hygiene.purge, datetime.now(UTC), self.max_age_days)
        if report.total:
            log.info("local data: %d old records purged (older than %d days)", report.total, self.max_age_days)
            self.records_changed.emit({"*": None})

    def _on_page(self, page: AppliedPage, progress: SyncProgress) -> None:
        fraction = -1.0 if progress.fraction is None else progress.fraction
        self.sync_progress.emit(progress.records, fraction, progress.first_sync)

    def _report_changes(self, result: SyncResult) -> None:
        if result.ids:
            self.records_changed.emit(dict(result.ids))

    def _set_reachable(self, reachable: bool) -> None:
        if reachable != self.reachable:
            self.reachable = reachable
            self.reachability_changed.emit(reachable)

    # ------------------------------------------------------------------ the outbox
    async def write(self, write: outbox.OutboxWrite) -> outbox.OutboxEntry:
        """Keep an operator's write in the outbox (durably) and send it when possible."""
        if self.store is None:
            raise StoreError("The local store is not open.")
        entry: outbox.OutboxEntry = await self.store.call(outbox.enqueue, write)
        self.records_changed.emit({entity: {record_id} for entity, record_id in _shown_as(entry)})
        self.outbox_changed.emit(await self.outbox_counts())
        self.request_send()
        return entry

    def request_send(self) -> None:
        if self.store is None:
            return
        if self._send_task is not None and not self._send_task.done():
            self._send_again = True
            return
        self._send_task = self._tasks.start(self._send())

    async def send_now(self) -> None:
        """Send the outbox and wait (tests)."""
        self.request_send()
        while self._send_task is not None and not self._send_task.done():
            await asyncio.gather(self._send_task, return_exceptions=True)

    async def _send(self) -> None:
        sender = self.outbox_sender
        if sender is None:
            return
        while True:
            self._send_again = False
            result = await sender.send_pending()
            touched: dict[str, set[str] | None] = {}
            for entry in (*result.sent, *result.conflicts, *result.failures):
                for entity, record_id in _shown_as(entry):
                    ids = touched.setdefault(entity, set())
                    if ids is not None:
                        ids.add(record_id)
            if touched:
                self.records_changed.emit(touched)
            for entry in result.conflicts:
                self.conflict_found.emit(entry)
            for entry in result.failures:
                self.write_refused.emit(entry)
            if isinstance(result.stopped_by, ServerUnreachable):
                self._set_reachable(False)
            elif isinstance(result.stopped_by, SessionEnded):
                self.session_revoked.emit()
            elif result.sent:
                self._set_reachable(True)
            self.outbox_changed.emit(await self.outbox_counts())
            if result.sent:
                # The server's answers are in the store; the pull brings the history entries.
                self.request_pull()
            if not self._send_again or result.stopped_by is not None:
                return

    async def resolve_conflict(self, seq: int, choice: str, merged: Mapping[str, Any] | None) -> None:
        """Settle a conflicted write as the operator chose: "mine", "theirs" or "merge"."""
        if self.outbox_sender is None:
            return
        entry: outbox.OutboxEntry | None = await self.call(outbox.get_entry, seq)
        await self.outbox_sender.resolve(seq, choice, dict(merged) if merged else None)
        await self._after_outbox_change(entry)

    async def discard(self, seq: int) -> None:
        """Drop an unsent write — only ever on the operator's explicit choice."""
        if self.outbox_sender is None:
            return
        entry: outbox.OutboxEntry | None = await self.call(outbox.get_entry, seq)
        await self.outbox_sender.discard(seq)
        await self._after_outbox_change(entry)

    async def _after_outbox_change(self, entry: outbox.OutboxEntry | None) -> None:
        if entry is not None:
            self.records_changed.emit({entity: {record_id} for entity, record_id in _shown_as(entry)})
        self.outbox_changed.emit(await self.outbox_counts())
        self.request_send()


def _shown_as(entry: outbox.OutboxEntry) -> list[tuple[str, str]]:
    """The records whose display a write changes: its own, and for a contact its customer's card."""
    shown = [(entry.entity, entry.entity_id)]
    parts = entry.path.split("/")
    if entry.entity == "contact" and len(parts) > 4 and parts[3] == "customers":
        shown.append(("customer", parts[4]))
    return shown


def _save_operator(connection: Connection, raw: str) -> None:
    with connection.begin():
        set_state(connection, "operator", raw)


def _load_operator(connection: Connection) -> str | None:
    value = get_state(connection, "operator")
    connection.commit()
    return value


def _set_flag(connection: Connection, key: str) -> None:
    with connection.begin():
        set_state(connection, key, "1")


def _get_flag(connection: Connection, key: str) -> str | None:
    value = get_state(connection, key)
    connection.commit()
    return value


def _parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
