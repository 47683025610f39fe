"""`Pulse`: wake every waiting loop of a station at once (configuration changed, stop requested)."""

from __future__ import annotations

import asyncio
import math

__all__ = ["Pulse"]


class Pulse:
    """Wakes every waiter at once, each time it fires (no lost wake-ups, no state to reset)."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def fire(self) -> None:
        event, self._event = self._event, asyncio.Event()
        event.set()

    async def wait(self, seconds: float | None = None) -> None:
        """Return at the next fire, or after ``seconds`` (None: no limit)."""
        event = self._event
        if seconds is None or math.isinf(seconds):
            await event.wait()
            return
        if seconds <= 0:
            return
        try:
            async with asyncio.timeout(seconds):
                await event.wait()
        except TimeoutError:
            pass
