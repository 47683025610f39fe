"""Waiting in console tests: for a condition or a signal, on the running qasync loop, with a timeout."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import SignalInstance


async def until(condition: Callable[[], object], timeout: float = 10.0, what: str = "condition") -> None:
    """Return once `condition()` is true; fail the test after `timeout` seconds.

    Polls every 20 ms while the loop keeps processing Qt and asyncio events in between.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        await asyncio.sleep(0.02)


async def signal(sig: SignalInstance, timeout: float = 10.0) -> tuple[Any, ...]:
    """The arguments of the next emission of `sig`."""
    future: asyncio.Future[tuple[Any, ...]] = asyncio.get_running_loop().create_future()

    def _on_emitted(*args: Any) -> None:
        if not future.done():
            future.set_result(args)

    sig.connect(_on_emitted)
    try:
        return await asyncio.wait_for(future, timeout)
    finally:
        sig.disconnect(_on_emitted)
