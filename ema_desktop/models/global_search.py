"""Global search (Ctrl+K): customers and stations matching what the operator types, in one list."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal

from ema_desktop.backend.problems import describe
from ema_desktop.data.access import DataAccess
from ema_desktop.models.stations import device_kind_label, status_label


@dataclass(frozen=True)
class SearchHit:
    """One result: a customer or a device (`kind`), its id, and two lines of text."""

    kind: str  # "customer" or "station"
    id: str
    title: str
    subtitle: str


class GlobalSearchModel(QAbstractListModel):
    """Results of the latest query; an older query answering late never overwrites a newer one.

    Signals:
        loading_changed(bool): a search started or finished.
        failed(str): the search failed, with a message for the operator.
    """

    loading_changed = Signal(bool)
    failed = Signal(str)

    HitRole = Qt.ItemDataRole.UserRole + 1
    PER_KIND = 8

    def __init__(self, data: DataAccess, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._data = data
        self._hits: list[SearchHit] = []
        self._generation = 0
        self.query = ""

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._hits)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._hits):
            return None
        hit = self._hits[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{hit.title}\n{hit.subtitle}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return hit.subtitle
        if role == self.HitRole:
            return hit
        return None

    def hit_at(self, row: int) -> SearchHit:
        return self._hits[row]

    def hits(self) -> list[SearchHit]:
        return list(self._hits)

    async def search(self, query: str) -> None:
        self._generation += 1
        generation = self._generation
        self.query = query
        text = query.strip()
        if len(text) < 2:
            self._replace([])
            return
        self.loading_changed.emit(True)
        try:
            customers, devices = await asyncio.gather(
                self._data.search_customers(text, self.PER_KIND), self._data.search_devices(text, self.PER_KIND)
            )
        except Exception as exc:  # any failure becomes a message, never a traceback
            if generation == self._generation:
                self.failed.emit(describe(exc))
            return
        finally:
            if generation == self._generation:
                self.loading_changed.emit(False)
        if generation != self._generation:
            return
        hits = [
            SearchHit("customer", c.id, c.company_name or c.name,
                      " · ".join(p for p in (c.customer_number, c.phone, c.email, c.region) if p))
            for c in customers.items
        ]
        hits += [
            SearchHit("station", d.id, d.label,
                      " · ".join(p for p in (device_kind_label(d.kind), f"{d.vendor} {d.model}",
                                             status_label(d.status), d.region) if p))
            for d in devices
        ]
        self._replace(hits)

    def _replace(self, hits: list[SearchHit]) -> None:
        self.beginResetModel()
        self._hits = hits
        self.endResetModel()
