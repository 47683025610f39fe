"""Background work started from slots: kept referenced until done, failures turned into a message
for the operator (never a traceback), and all of it cancelled and awaited when the window closes."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Callable, Coroutine
from typing import Any

from ema_desktop.backend.problems import BackendError, describe

log = logging.getLogger(__name__)


class BackgroundTasks:
    """Coroutines the console runs on the side; `report` receives failures as operator messages."""

    def __init__(self, report: Callable[[str], None]) -> None:
        self._report = report
        self._tasks: set[asyncio.Task[Any]] = set()

    def spawn(self, coro: Coroutine[Any, Any, Any], what: str = "task") -> asyncio.Task[Any]:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)

        def _done(t: asyncio.Task[Any]) -> None:
            self._tasks.discard(t)
            if t.cancelled():
                return
            exc = t.exception()
            if exc is None:
                return
            if isinstance(exc, BackendError):
                log.info("%s failed: %s", what, type(exc).__name__)
            else:
                log.error("%s failed", what, exc_info=exc)
            self._report(describe(exc))

        task.add_done_callback(_done)
        return task

    def __len__(self) -> int:
        return len(self._tasks)

    async def cancel_all(self) -> None:
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks.clear()


_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


def _started_by_console(task: asyncio.Task[Any]) -> bool:
    code = getattr(task.get_coro(), "cr_code", None)
    return code is not None and os.path.abspath(code.co_filename).startswith(_PACKAGE_DIR + os.sep)


async def cancel_console_tasks(time_limit: float = 5.0) -> int:
    """Cancel and await every task a console module started (panes' and models' loads included),
    except the caller's own; the number cancelled.

    Panes and models keep their own task sets and cancel them when destroyed, but destruction is
    deferred: a sign-out must not leave a load running against a client that is being closed.
    Tasks of other code on the same loop (a test's server, say) are left alone.
    """
    current = asyncio.current_task()
    tasks = [t for t in asyncio.all_tasks() if t is not current and not t.done() and _started_by_console(t)]
    for task in tasks:
        task.cancel()
    if tasks:
        await asyncio.wait(tasks, timeout=time_limit)
    return len(tasks)
