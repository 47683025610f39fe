"""A station's behaviour without sockets: a fake link records what the station would say."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

from ema_sim import FleetOptions, StationSpec
from ema_sim.behaviour import StationBehaviour
from ema_sim.link import BootAnswer, LinkClosed
from ema_sim.physics import MeterReading
from ema_sim.station import BootReason, Connector, Session

SPEC = StationSpec("CZ-SEC-00009", "fake-link-password", "1.6")


class FakeLink:
    """A StationLink that answers at once and remembers every message."""

    def __init__(self) -> None:
        self.said: list[tuple[str, Any]] = []
        self.changed = asyncio.Event()
        self.broken = False
        self.next_transaction_id = 500

    def _say(self, action: str, detail: Any = None) -> None:
        if self.broken:
            raise LinkClosed("the fake connection is gone")
        self.said.append((action, detail))
        self.changed.set()

    def actions(self) -> list[str]:
        return [a for a, _ in self.said]

    async def until(self, check: Callable[[], bool]) -> None:
        async with asyncio.timeout(10):
            while not check():
                self.changed.clear()
                await self.changed.wait()

    async def boot(self, reason: BootReason) -> BootAnswer:
        self._say("BootNotification", reason)
        return BootAnswer("Accepted", 3600)

    async def heartbeat(self) -> None:
        self._say("Heartbeat")

    async def station_status(self) -> None:
        self._say("StatusNotification", (0, "Available"))

    async def connector_status(self, connector: Connector, *, force: bool = False) -> None:
        self._say("StatusNotification", (connector.id, connector.status.value))

    async def authorize(self, id_tag: str) -> bool:
        self._say("Authorize", id_tag)
        return True

    async def start_transaction(self, session: Session, reading: MeterReading) -> bool:
        self._say("StartTransaction", session.id_tag)
        session.transaction_id = self.next_transaction_id
        self.next_transaction_id += 1
        return True

    async def transaction_meter_values(
        self, session: Session, reading: MeterReading, *, triggered: bool = False
    ) -> None:
        self._say("MeterValues", (session.transaction_id, reading.soc))

    async def meter_values(self, connector: Connector, reading: MeterReading, *, triggered: bool = False) -> None:
        self._say("MeterValues", (None, None))

    async def stop_transaction(self, session: Session, reading: MeterReading, *, offline: bool = False) -> None:
        assert session.stop_reason is not None
        self._say(
            "StopTransaction", (session.transaction_id, session.stop_reason.value, offline, session.meter_stop_wh)
        )

    async def firmware_status(self, status: str, request_id: int | None) -> None:
        self._say("FirmwareStatusNotification", status)

    async def upload_status(self, status: str, request_id: int | None) -> None:
        self._say("DiagnosticsStatusNotification", status)

    async def data_transfer(self, message_id: str, data: dict[str, Any]) -> None:
        self._say("DataTransfer", message_id)

    async def temperatures(self, connectors: list[Connector]) -> None:
        pass


def behaviour(**options: Any) -> StationBehaviour:
    values = {"meter_interval": 0.05, "idle_meter_interval": 60.0, "session_rate": 0.0, "fault_rate": 0.0,
              "data_transfer_rate": 0.0, "speed": 60.0, "heartbeat_interval": 0.05} | options  # fmt: skip
    return StationBehaviour(SPEC, FleetOptions(**values))


def stops(link: FakeLink) -> list[Any]:
    return [detail for action, detail in link.said if action == "StopTransaction"]


async def test_boot_reports_then_heartbeats_and_close_ends_it_without_a_cancel() -> None:
    station, link = behaviour(), FakeLink()
    serving = asyncio.create_task(station.serve(link))
    await link.until(lambda: link.actions().count("Heartbeat") >= 2)
    connectors = station.state.profile.connectors
    assert link.said[: connectors + 2] == [
        ("BootNotification", BootReason.POWER_UP),
        ("StatusNotification", (0, "Available")),
    ] + [("StatusNotification", (n, "Available")) for n in range(1, connectors + 1)]
    station.close()
    with pytest.raises(asyncio.CancelledError):
        async with asyncio.timeout(5):
            await serving
    assert not station.booted


async def test_a_remote_session_charges_and_stops_with_its_reason() -> None:
    station, link = behaviour(heartbeat_interval=0.0), FakeLink()
    serving = asyncio.create_task(station.serve(link))
    await link.until(lambda: station.booted)
    follow_up = station.remote_start(1, "04FACE")
    assert follow_up is not None and station.remote_start(1, "04FACE") is None  # the connector is taken
    station.spawn(follow_up())
    await link.until(lambda: sum(1 for a, d in link.said if a == "MeterValues" and d[0] == 500) >= 3)
    assert station.remote_stop(999) is False
    assert station.remote_stop(500) is True
    await link.until(lambda: link.said[-1] == ("StatusNotification", (1, "Available")))
    station.close()
    with pytest.raises(asyncio.CancelledError):
        await serving

    soc = [d[1] for a, d in link.said if a == "MeterValues" and d[0] == 500]
    assert soc == sorted(soc) and soc[-1] > soc[0]
    ((transaction_id, reason, offline, meter_stop),) = stops(link)
    assert (transaction_id, reason, offline) == (500, "Remote", False)
    assert meter_stop >= station.state.profile.energy_start_wh[0]
    statuses = [d[1] for a, d in link.said if a == "StatusNotification" and d[0] == 1]
    assert statuses == ["Available", "Preparing", "Charging", "Finishing", "Available"]
    assert station.state.sessions_completed == 1


async def test_a_lost_connection_reports_the_cut_session_after_the_next_boot() -> None:
    station, first = behaviour(heartbeat_interval=0.0), FakeLink()
    serving = asyncio.create_task(station.serve(first))
    await first.until(lambda: station.booted)
    follow_up = station.remote_start(None, "04BEEF")
    assert follow_up is not None
    station.spawn(follow_up())
    await first.until(lambda: "MeterValues" in first.actions())
    first.broken = True
    # The fleet's receive loop notices the closed socket and cancels the connection's work.
    serving.cancel()
    with pytest.raises(asyncio.CancelledError):
        await serving
    assert station.state.sessions() == [] and len(station.state.pending_stops) == 1

    second = FakeLink()
    serving = asyncio.create_task(station.serve(second))
    await second.until(lambda: "StopTransaction" in second.actions())
    station.close()
    with pytest.raises(asyncio.CancelledError):
        await serving
    assert second.actions()[0] == "BootNotification"
    ((transaction_id, reason, offline, _),) = stops(second)
    assert (transaction_id, reason, offline) == (500, "Other", True)
    assert station.state.pending_stops == []


async def test_a_fault_outlives_a_reconnect_and_still_clears() -> None:
    station, first = behaviour(heartbeat_interval=0.0), FakeLink()
    serving = asyncio.create_task(station.serve(first))
    await first.until(lambda: station.booted)
    assert station.raise_fault(2 if station.state.profile.connectors > 1 else 1, "HighTemperature", duration_s=45.0)
    connector = next(c for c in station.state.connectors.values() if c.fault is not None)
    await first.until(lambda: ("StatusNotification", (connector.id, "Faulted")) in first.said)
    serving.cancel()
    with pytest.raises(asyncio.CancelledError):
        await serving

    second = FakeLink()
    serving = asyncio.create_task(station.serve(second))
    await second.until(lambda: ("StatusNotification", (connector.id, "Available")) in second.said)
    station.close()
    with pytest.raises(asyncio.CancelledError):
        await serving
    statuses = [d[1] for a, d in second.said if a == "StatusNotification" and d[0] == connector.id]
    assert statuses == ["Faulted", "Available"]
    assert connector.fault is None and station.state.faults_raised == 1
