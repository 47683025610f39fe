"""Fixtures for the simulator's end-to-end tests: a CSMS on a loopback port and fast fleets."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

import pytest

from ema_sim import Fleet, FleetOptions, StationSpec
from tests.sim.csms import Csms

BOOT_TIMEOUT_S = 20.0


@pytest.fixture(autouse=True)
async def nothing_left_running() -> AsyncIterator[None]:
    """Every test ends with no task but its own: fleets and servers stop cleanly."""
    yield
    others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task() and not t.done()]
    assert others == []


@pytest.fixture
async def csms() -> AsyncIterator[Csms]:
    server = Csms({})
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


def fast_options(csms: Csms, **overrides: Any) -> FleetOptions:
    """Intervals of a fraction of a second, simulated time 60x real, nothing random unless asked."""
    values: dict[str, Any] = {
        "server_url": csms.url,
        "meter_interval": 0.2,
        "idle_meter_interval": 0.5,
        "session_rate": 0.0,
        "fault_rate": 0.0,
        "data_transfer_rate": 0.0,
        "speed": 60.0,
        "reboot_delay": 0.05,
        "backoff_initial": 0.05,
        "backoff_max": 0.3,
        "response_timeout": 5.0,
        "connect_rate": 1000.0,
    }
    values.update(overrides)
    return FleetOptions(**values)


@asynccontextmanager
async def running(csms: Csms, specs: Sequence[StationSpec], *, register: bool = True,
                  **overrides: Any) -> AsyncIterator[Fleet]:  # fmt: skip
    """A started fleet whose stations have all booted; stopped on exit. With ``register`` the
    CSMS knows the stations' passwords."""
    if register:
        csms.passwords.update({s.identity: s.password for s in specs})
    fleet = Fleet(specs, fast_options(csms, **overrides))
    await fleet.start()
    try:
        if register:
            async with asyncio.timeout(BOOT_TIMEOUT_S):
                await fleet.wait_booted()
        yield fleet
    finally:
        await fleet.stop()
    for identity, record in csms.stations.items():
        assert record.errors_sent == [], f"{identity} sent a message the CSMS refused: {record.errors_sent}"
