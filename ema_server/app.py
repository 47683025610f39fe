"""The ASGI application: routers, problem handlers, body limits and background housekeeping."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from fastapi import FastAPI

from ema_server import __version__
from ema_server.api import router as api_router
from ema_server.api.limits import BodySizeLimit
from ema_server.api.problems import install_problem_handlers
from ema_server.db.engine import Database
from ema_server.housekeeping import housekeeping_loop

log = logging.getLogger("ema_server")

API_PREFIX = "/api/v1"


def create_app(db: Database, *, housekeeping: bool = True) -> FastAPI:
    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        task = asyncio.create_task(housekeeping_loop(db)) if housekeeping else None
        try:
            yield
        finally:
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    app = FastAPI(
        title="EMA backend",
        version=__version__,
        description="Customers, devices, telemetry, tickets, privacy requests and the audit trail of "
        "SECTRON's EMA, for the operator console.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.db = db
    install_problem_handlers(app)
    app.add_middleware(BodySizeLimit)
    app.include_router(api_router, prefix=API_PREFIX)
    return app
