"""The console's event loop: qasync's QEventLoop, with its one wart on Python 3.11 fixed.

qasync 0.28's `run_until_complete` ends with one more pass of Qt event processing *after* it has
cleared the running loop. Any asyncio callback that Qt delivers in that pass (an httpx connection
closing, a server's timer in tests) then fails with "RuntimeError: no running event loop". Here
that last pass runs with the loop still set as the running loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any, TypeVar

import qasync
from PySide6.QtCore import QCoreApplication, QEventLoop

T = TypeVar("T")


class ConsoleEventLoop(qasync.QEventLoop):  # type: ignore[misc]
    """qasync.QEventLoop whose last event-processing pass still counts as inside the loop."""

    def run_until_complete(self, future: Awaitable[T]) -> T:
        if self.is_running():
            raise RuntimeError("Event loop already running")
        task: asyncio.Future[Any] = asyncio.ensure_future(future, loop=self)

        def stop(_: object) -> None:
            self.stop()

        task.add_done_callback(stop)
        try:
            self.run_forever()
        finally:
            task.remove_done_callback(stop)
        # Private, but the only way to say "this thread's loop is running" outside run_forever.
        asyncio.events._set_running_loop(self)
        try:
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents)
        finally:
            asyncio.events._set_running_loop(None)
        if not task.done():
            raise RuntimeError("Event loop stopped before Future completed.")
        result: T = task.result()
        return result
