"""The console's dialogs around local data: "Prepare for field" (pin a set, download what the sync
does not bring) and the conflict dialog for a write the server refused as stale.

Kept apart from `workspace.py`: these flows only exist when a local store is open.
"""

from __future__ import annotations

import asyncio
import logging

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from ema_desktop.backend.problems import describe
from ema_desktop.backend.records import CustomerSummary
from ema_desktop.cache import field, outbox
from ema_desktop.cache.field import FieldReport, FieldSelection, PinnedSet
from ema_desktop.data.access import DataAccess
from ema_desktop.data.local_data import LocalData
from ema_desktop.data.tasks import OwnedTasks
from ema_desktop.views.conflict_dialog import ConflictDialog
from ema_desktop.views.field_dialog import PrepareForFieldDialog

log = logging.getLogger(__name__)


class LocalWork(QObject):
    """Opens and runs the local-data dialogs of one workspace.

    Signals:
        failed(str): something the operator asked for could not be done (a sentence).
    """

    failed = Signal(str)

    def __init__(self, local: LocalData, data: DataAccess, window: QWidget, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.local = local
        self.data = data
        self.window = window
        self._tasks = OwnedTasks(self)
        self.field_dialog: PrepareForFieldDialog | None = None
        self._prepare_task: asyncio.Task[FieldReport] | None = None
        self.conflict_dialog: ConflictDialog | None = None
        self._conflicts: list[outbox.OutboxEntry] = []
        local.conflict_found.connect(self._on_local_conflict_found)

    # ------------------------------------------------------------------ field mode
    def open_field_preparation(self) -> None:
        if self.field_dialog is not None:
            self.field_dialog.raise_()
            self.field_dialog.activateWindow()
            return
        self._tasks.start(self._open_field_dialog())

    async def _open_field_dialog(self) -> None:
        try:
            regions: list[str] = await self.local.call(field.known_regions)
        except Exception as exc:
            self.failed.emit(describe(exc))
            return
        dialog = PrepareForFieldDialog(regions, self._search, self._preview, self.window)
        dialog.prepare_requested.connect(self._on_field_dialog_prepare_requested)
        dialog.cancel_requested.connect(self._on_field_dialog_cancel_requested)
        dialog.finished.connect(self._on_field_dialog_finished)
        self.field_dialog = dialog
        dialog.open()

    async def _search(self, query: str) -> list[CustomerSummary]:
        return (await self.data.search_customers(query, 20)).items

    async def _preview(self, selection: FieldSelection) -> PinnedSet:
        pinned: PinnedSet = await self.local.call(field.resolve_selection, selection, self.data.operator.id)
        return pinned

    def _on_field_dialog_prepare_requested(self, selection: FieldSelection) -> None:
        dialog = self.field_dialog
        store = self.local.store
        if dialog is None or store is None:
            return
        task = self._tasks.start(field.prepare_for_field(store, self.local.client, selection, self.data.operator.id,
                                                         dialog.show_progress))
        self._prepare_task = task
        task.add_done_callback(self._on_prepare_done)

    def _on_prepare_done(self, task: asyncio.Task[FieldReport]) -> None:
        dialog = self.field_dialog
        if self._prepare_task is task:
            self._prepare_task = None
        if dialog is None:
            return
        if task.cancelled():
            dialog.show_stopped()
        elif (exc := task.exception()) is not None:
            log.warning("prepare for field failed: %s", type(exc).__name__)
            dialog.show_error(describe(exc))
        else:
            dialog.show_report(task.result())

    def _on_field_dialog_cancel_requested(self) -> None:
        if self._prepare_task is not None:
            self._prepare_task.cancel()

    def _on_field_dialog_finished(self, _code: int) -> None:
        if self._prepare_task is not None:
            self._prepare_task.cancel()
        if self.field_dialog is not None:
            self.field_dialog.deleteLater()
            self.field_dialog = None

    # ------------------------------------------------------------------ conflicts and refusals
    def _on_local_conflict_found(self, entry: outbox.OutboxEntry) -> None:
        self._conflicts.append(entry)
        if self.conflict_dialog is None:
            self._tasks.start(self._show_next_conflict())

    def review_outbox(self) -> None:
        """The operator clicked the unsent-work label: settle conflicts first, then refusals."""
        if self.conflict_dialog is None:
            self._tasks.start(self._review())

    async def _review(self) -> None:
        entries: list[outbox.OutboxEntry] = await self.local.call(outbox.entries, ("conflict", "failed"))
        conflicts = [e for e in entries if e.state == "conflict"]
        if conflicts:
            known = {e.seq for e in self._conflicts}
            self._conflicts.extend(e for e in conflicts if e.seq not in known)
            await self._show_next_conflict()
            return
        for entry in (e for e in entries if e.state == "failed"):
            if not await self._ask_about_refused(entry):
                break

    async def _ask_about_refused(self, entry: outbox.OutboxEntry) -> bool:
        from ema_desktop.views.questions import ask

        choice = await ask(
            self.window, self.tr("Change refused by the server"),
            self.tr("The server refused this change: {summary}").format(summary=entry.summary),
            [("discard", self.tr("Discard this change")), ("keep", self.tr("Keep it for now"))],
            informative=entry.last_error or "", warning=True, default="keep",
        )
        if choice == "discard":
            await self.local.discard(entry.seq)
        return choice is not None

    async def _show_next_conflict(self) -> None:
        from ema_desktop.cache.conflicts import ConflictView

        while self._conflicts and self.conflict_dialog is None:
            entry = self._conflicts.pop(0)
            fresh: outbox.OutboxEntry | None = await self.local.call(outbox.get_entry, entry.seq)
            if fresh is None or fresh.state != "conflict":
                continue  # settled meanwhile
            try:
                names = {c.id: c.display_name for c in await self.data.colleagues()}
            except Exception:
                names = {}
            dialog = ConflictDialog(ConflictView.from_entry(fresh, fresh.conflict), names, self.window)
            dialog.resolved.connect(lambda choice, merged, seq=fresh.seq: self._on_conflict_resolved(seq, choice,
                                                                                                    merged))
            dialog.finished.connect(self._on_conflict_dialog_finished)
            self.conflict_dialog = dialog
            dialog.open()

    def _on_conflict_resolved(self, seq: int, choice: str, merged: object) -> None:
        texts = merged if isinstance(merged, dict) else None
        self._tasks.start(self.local.resolve_conflict(seq, choice, texts))

    def _on_conflict_dialog_finished(self, _code: int) -> None:
        if self.conflict_dialog is not None:
            self.conflict_dialog.deleteLater()
            self.conflict_dialog = None
        if self._conflicts:
            self._tasks.start(self._show_next_conflict())
