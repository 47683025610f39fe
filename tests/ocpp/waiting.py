"""Waiting for something the server does after a socket closes, without sleeping a fixed time."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

TIMEOUT_SECONDS = 15.0


async def wait_until(condition: Callable[[], Awaitable[bool]], what: str, within: float = TIMEOUT_SECONDS) -> None:
    try:
        async with asyncio.timeout(within):
            # The state lives in the database, written by the server: there is no event to await.
            while not await condition():  # noqa: ASYNC110
                await asyncio.sleep(0.02)
    except TimeoutError:
        raise AssertionError(f"timed out waiting until {what}") from None
