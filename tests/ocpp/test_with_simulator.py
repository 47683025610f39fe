"""The real thing end to end: a fleet of `ema-sim` stations (1.6 and 2.0.1) connected to a live
`ema-server`, seen through the API as an operator sees it — live statuses, telemetry, fault
tickets — and driven by operator commands that the simulated stations carry out."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from sqlalchemy import func, select

from ema_server.db.engine import Database
from ema_server.db.models import ChargingSession, DeviceStatusChange, RfidCard, Ticket
from ema_sim import Fleet, FleetOptions, StationSpec, demo_password
from tests.conftest import SignIn
from tests.ocpp.harness import Registered, register, ws_url

WAIT_SECONDS = 60.0


async def _eventually(check: Callable[[], Awaitable[Any]], what: str) -> Any:
    try:
        async with asyncio.timeout(WAIT_SECONDS):
            # The state is in the server's database: there is no event to await.
            while not (result := await check()):  # noqa: ASYNC110
                await asyncio.sleep(0.1)
            return result
    except TimeoutError:
        raise AssertionError(f"timed out waiting until {what}") from None


def _options(server: str, **overrides: Any) -> FleetOptions:
    values: dict[str, Any] = {
        "server_url": ws_url(server, "").rstrip("/"), "meter_interval": 0.2, "idle_meter_interval": 0.3,
        "session_rate": 0.0, "fault_rate": 0.0, "data_transfer_rate": 0.0, "speed": 60.0, "reboot_delay": 0.05,
        "backoff_initial": 0.05, "backoff_max": 0.3, "response_timeout": 5.0, "connect_rate": 1000.0,
    }
    values.update(overrides)
    return FleetOptions(**values)


async def _fleet(db: Database, versions: list[str]) -> list[tuple[Registered, StationSpec]]:
    stations = []
    for n, version in enumerate(versions, start=1):
        identity = f"CZ-SIM-{n:04d}"
        reg = await register(db, identity, password=demo_password(identity), customer_number=f"C9{n:05d}")
        stations.append((reg, StationSpec(identity, reg.password, version)))
    return stations


async def test_a_simulated_fleet_shows_live_status_telemetry_and_fault_tickets(
    db: Database, live_server: str, sign_in: SignIn
) -> None:
    stations = await _fleet(db, ["1.6", "1.6", "2.0.1", "2.0.1"])
    hotline = await sign_in("hotline")
    async with httpx.AsyncClient(base_url=f"{live_server}/api/v1", headers=hotline.headers) as api, \
            Fleet([spec for _, spec in stations], _options(live_server, fault_rate=120.0)) as fleet:
        await asyncio.wait_for(fleet.wait_booted(), WAIT_SECONDS)

        async def all_online() -> bool:
            page = (await api.get("/devices", params={"q": "CZ-SIM", "limit": 50})).json()
            statuses = {d["ocpp_identity"]: d["status"] for d in page["items"] if d["ocpp_identity"]}
            return len(statuses) == 4 and "Offline" not in statuses.values()

        await _eventually(all_online, "every simulated station is online in the device list")

        reg = stations[2][0]  # a 2.0.1 station

        async def telemetry() -> Any:
            body = (await api.get(f"/devices/{reg.device_id}/telemetry")).json()
            # An idle station reports its energy register, power and voltage per phase.
            return {s["measurand"] for s in body["series"] if s["points"]} >= {"energy", "power", "voltage"}

        await _eventually(telemetry, "the 2.0.1 station's meter values are in its telemetry")

        async def fault_tickets() -> int:
            async with db.sessions() as session:
                return await session.scalar(select(func.count()).select_from(Ticket).where(
                    Ticket.kind == "fault", Ticket.created_by_id.is_(None))) or 0

        await _eventually(fault_tickets, "a simulated fault opened a fault ticket")
        async with db.sessions() as session:
            duplicates = (await session.execute(
                select(Ticket.device_id, Ticket.connector_no, Ticket.error_code, func.count())
                .where(Ticket.kind == "fault", Ticket.state.in_(["new", "open", "in_progress", "waiting_customer"]))
                .group_by(Ticket.device_id, Ticket.connector_no, Ticket.error_code)
                .having(func.count() > 1))).all()
        assert duplicates == []


async def _command(api: httpx.AsyncClient, device_id: str, action: str, parameters: dict[str, Any]) -> Any:
    answer = await api.post(f"/devices/{device_id}/commands", json={"action": action, "parameters": parameters})
    assert answer.status_code == 200, answer.text
    return answer.json()


async def test_simulated_stations_carry_out_operator_commands(
    db: Database, live_server: str, sign_in: SignIn
) -> None:
    stations = await _fleet(db, ["1.6", "2.0.1"])
    async with db.sessions() as session:
        for reg, _ in stations:
            session.add(RfidCard(customer_id=reg.customer_id, id_tag=f"TAG-{reg.identity[-4:]}", active=True))
        await session.commit()
    technician = await sign_in("technician")
    async with httpx.AsyncClient(base_url=f"{live_server}/api/v1", headers=technician.headers, timeout=30) as api, \
            Fleet([spec for _, spec in stations], _options(live_server)) as fleet:
        await asyncio.wait_for(fleet.wait_booted(), WAIT_SECONDS)
        for reg, spec in stations:
            config = await _command(api, reg.device_id, "ChangeConfiguration",
                                    {"key": "HeartbeatInterval", "value": "77"})
            assert config["outcome"] == "accepted", (spec.ocpp_version, config)
            read = await _command(api, reg.device_id, "GetConfiguration", {"keys": ["HeartbeatInterval"]})
            assert "77" in str(read["response"]), (spec.ocpp_version, read)
            diagnostics = await _command(api, reg.device_id, "GetDiagnostics",
                                         {"location": "ftp://logs.sectron.cz/in/"})
            assert diagnostics["outcome"] == "accepted"

            started = await _command(api, reg.device_id, "RemoteStartTransaction",
                                     {"id_tag": f"TAG-{reg.identity[-4:]}", "connector_id": 1})
            assert started["outcome"] == "accepted"

            async def session_started(device_id: str = reg.device_id) -> bool:
                async with db.sessions() as session:
                    return bool(await session.scalar(select(func.count()).select_from(ChargingSession).where(
                        ChargingSession.device_id == device_id)))

            await _eventually(session_started, f"the remote start made a charging session ({spec.ocpp_version})")

            boots_before = await _online_count(db, reg.device_id)
            reset = await _command(api, reg.device_id, "Reset", {"type": "Soft"})
            assert reset["outcome"] == "accepted"

            async def rebooted(device_id: str = reg.device_id, before: int = boots_before) -> bool:
                return await _online_count(db, device_id) > before

            await _eventually(rebooted, f"the station reset and came back ({spec.ocpp_version})")



async def _online_count(db: Database, device_id: str) -> int:
    async with db.sessions() as session:
        return await session.scalar(select(func.count()).select_from(DeviceStatusChange).where(
            DeviceStatusChange.device_id == device_id, DeviceStatusChange.status == "Online")) or 0
