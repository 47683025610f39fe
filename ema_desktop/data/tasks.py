"""Coroutines a model or pane starts from its slots: kept referenced until done (asyncio holds
only weak references to tasks) and cancelled when their owner is destroyed."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Coroutine
from typing import Any

from PySide6.QtCore import QObject


def _cancel(tasks: set[asyncio.Task[Any]], *_: object) -> None:
    for task in list(tasks):
        task.cancel()


class OwnedTasks:
    """The running tasks of one Qt object."""

    def __init__(self, owner: QObject) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()
        # The partial holds the set, not the owner: a dying owner is not kept alive by its own slot.
        owner.destroyed.connect(functools.partial(_cancel, self._tasks))

    def start(self, coroutine: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def cancel(self) -> None:
        _cancel(self._tasks)

    def __len__(self) -> int:
        return len(self._tasks)
