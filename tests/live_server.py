"""A real uvicorn server on loopback for tests that need a network socket: Server-Sent Events,
WebSockets, several connections at once.

Import the fixtures into a test module (`from tests.live_server import live_server  # noqa: F401`):

- `live_app`: the FastAPI app the server runs; set `app.state` settings on it in a test;
- `running_server`: the started server (`.url`, `await .stop()`);
- `live_server`: its base URL, "http://127.0.0.1:PORT" (the API is under /api/v1).
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator, Iterator

import pytest
import uvicorn
from fastapi import FastAPI

from ema_server.api.events import close_event_streams
from ema_server.app import create_app
from ema_server.db.engine import Database

START_TIMEOUT_SECONDS = 10.0
GRACEFUL_SHUTDOWN_SECONDS = 5


class _Server(uvicorn.Server):
    """uvicorn, told to end event streams and station connections before it waits for open connections to finish."""

    def __init__(self, config: uvicorn.Config, app: FastAPI) -> None:
        super().__init__(config)
        self.app = app

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        # Ctrl-C belongs to pytest, not to a server inside one test.
        yield

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        close_event_streams(self.app)
        await self.app.state.ocpp.close_connections()
        await super().shutdown(sockets)


class RunningServer:
    """A uvicorn server serving one app on 127.0.0.1 in the test's event loop."""

    def __init__(self, app: FastAPI, *, port: int = 0) -> None:
        config = uvicorn.Config(
            app,
            host="127.0.0.1",
            port=port,
            log_level="warning",
            lifespan="on",
            log_config=None,
            timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
        )
        self.app = app
        self.server = _Server(config, app)
        self.task: asyncio.Task[None] | None = None
        self.url = ""

    async def start(self) -> None:
        self.task = asyncio.create_task(self.server.serve())
        async with asyncio.timeout(START_TIMEOUT_SECONDS):
            while not self.server.started:
                if self.task.done():
                    self.task.result()  # raises what stopped the server
                    raise RuntimeError("the server stopped before it started")
                await asyncio.sleep(0.01)
        host, port = self.server.servers[0].sockets[0].getsockname()[:2]
        self.url = f"http://{host}:{port}"

    async def stop(self) -> None:
        if self.task is None:
            return
        self.server.should_exit = True
        async with asyncio.timeout(GRACEFUL_SHUTDOWN_SECONDS + 5):
            await self.task
        self.task = None


@pytest.fixture
def live_app(db: Database) -> FastAPI:
    # No housekeeping: tests that need pruning run it themselves, at a moment they choose.
    return create_app(db, housekeeping=False)


@pytest.fixture
async def running_server(live_app: FastAPI) -> AsyncIterator[RunningServer]:
    server = RunningServer(live_app)
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


@pytest.fixture
def live_server(running_server: RunningServer) -> str:
    return running_server.url
