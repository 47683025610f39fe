"""The OCPP suites run against a live server (real uvicorn on loopback) whose answers are checked
against the OCPP schemas, with the watchdog's periods long enough that only tests that call
``app.state.ocpp.watchdog.check()`` see it act."""

from __future__ import annotations

import pytest
from fastapi import FastAPI

from ema_server.app import create_app
from ema_server.db.engine import Database
from ema_server.ocpp.settings import OcppSettings
from tests.live_server import live_server, running_server  # noqa: F401


@pytest.fixture
def ocpp_settings() -> OcppSettings:
    return OcppSettings(heartbeat_interval=60, station_check_interval=3600, command_timeout=5.0)


@pytest.fixture
def live_app(db: Database, ocpp_settings: OcppSettings) -> FastAPI:
    return create_app(db, housekeeping=False, ocpp=ocpp_settings, validate_ocpp_answers=True)
