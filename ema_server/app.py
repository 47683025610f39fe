"""The ASGI application: routers, problem handlers, body limits and background housekeeping."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from fastapi import FastAPI, WebSocket

from ema_server import __version__
from ema_server.api import router as api_router
from ema_server.api.limits import BodySizeLimit
from ema_server.api.problems import install_problem_handlers
from ema_server.db.engine import Database
from ema_server.housekeeping import housekeeping_loop
from ema_server.ocpp.runtime import OcppRuntime
from ema_server.ocpp.settings import OcppSettings

log = logging.getLogger("ema_server")

API_PREFIX = "/api/v1"


def create_app(
    db: Database, *, housekeeping: bool = True, ocpp: OcppSettings | None = None, validate_ocpp_answers: bool = False
) -> FastAPI:
    """The server's ASGI app: the API under /api/v1 and the OCPP endpoint at /ocpp/{identity}.

    `validate_ocpp_answers` checks the server's own answers against the OCPP schemas (tests).
    """
    settings = ocpp or OcppSettings()
    runtime = OcppRuntime(db, settings, validate_answers=validate_ocpp_answers)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        task = asyncio.create_task(housekeeping_loop(db, settings.frame_retention)) if housekeeping else None
        await runtime.start()
        try:
            yield
        finally:
            await runtime.stop()
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
    app.state.ocpp = runtime
    app.state.stations = runtime.registry
    app.state.ocpp_settings = settings
    install_problem_handlers(app)
    app.add_middleware(BodySizeLimit)
    app.include_router(api_router, prefix=API_PREFIX)

    @app.websocket("/ocpp/{identity}")
    async def ocpp_endpoint(websocket: WebSocket) -> None:
        await runtime.serve(websocket)

    return app
