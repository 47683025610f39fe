"""Bad input on the OCPP endpoint: each kind of malformed frame gets its CALLERROR, abuse closes
the connection, nothing from an invalid message is stored, and other stations carry on."""

from __future__ import annotations

import json

import pytest
from ocpp.v16 import call
from sqlalchemy import func, select
from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed

from ema_server.db.engine import Database
from ema_server.db.models import ChargingSession, DeviceStatusChange, TelemetrySample
from ema_server.ocpp.settings import OcppSettings
from tests.ocpp.harness import raw_socket, register, station


@pytest.fixture
def ocpp_settings() -> OcppSettings:
    return OcppSettings(heartbeat_interval=60, station_check_interval=3600, command_timeout=5.0,
                        max_frame_bytes=4096, flood_messages=40, flood_window_seconds=60.0)


async def _ask(socket: ClientConnection, frame: str) -> list:  # type: ignore[type-arg]
    await socket.send(frame)
    return json.loads(await socket.recv())  # type: ignore[no-any-return]


async def _stored(db: Database) -> tuple[int, int, int]:
    async with db.sessions() as session:
        history = await session.scalar(
            select(func.count()).select_from(DeviceStatusChange).where(DeviceStatusChange.status != "Online"))
        samples = await session.scalar(select(func.count()).select_from(TelemetrySample))
        sessions = await session.scalar(select(func.count()).select_from(ChargingSession))
    return history or 0, samples or 0, sessions or 0


CASES_16 = [
    ("not json", "{nope", "-1", "FormationViolation"),
    ("not an array", '{"a": 1}', "-1", "FormationViolation"),
    ("unknown message type", '[7, "m1", "Heartbeat", {}]', "m1", "ProtocolError"),
    ("no message id", '[2, 5, "Heartbeat", {}]', "-1", "FormationViolation"),
    ("too few elements", '[2, "m2", "Heartbeat"]', "m2", "ProtocolError"),
    ("payload not an object", '[2, "m3", "Heartbeat", [1]]', "m3", "FormationViolation"),
    ("unknown action", '[2, "m4", "MakeCoffee", {}]', "m4", "NotImplemented"),
    ("known action the server does not take", '[2, "m5", "GetConfiguration", {}]', "m5", "NotSupported"),
    ("missing required field", '[2, "m6", "StatusNotification", {"connectorId": 1, "status": "Available"}]',
     "m6", "ProtocolError"),
    ("wrong type", '[2, "m7", "StatusNotification", {"connectorId": "one", "errorCode": "NoError", '
     '"status": "Available"}]', "m7", "TypeConstraintViolation"),
    ("value not in the enumeration", '[2, "m8", "StatusNotification", {"connectorId": 1, "errorCode": "NoError", '
     '"status": "Exploded"}]', "m8", "FormationViolation"),
    ("unknown field", '[2, "m9", "MeterValues", {"connectorId": 1, "meterValue": [], "extra": 1}]', "m9",
     "FormationViolation"),
    ("unreadable time", '[2, "m10", "StartTransaction", {"connectorId": 1, "idTag": "A", "meterStart": 0, '
     '"timestamp": "yesterday"}]', "m10", "PropertyConstraintViolation"),
]


@pytest.mark.parametrize(("case", "frame", "unique_id", "code"), CASES_16, ids=[c[0] for c in CASES_16])
async def test_a_bad_16_frame_gets_its_callerror_and_stores_nothing(
    db: Database, live_server: str, case: str, frame: str, unique_id: str, code: str
) -> None:
    reg = await register(db, "CZ-BAD-0001")
    async with raw_socket(live_server, reg) as socket:
        before = await _stored(db)
        answer = await _ask(socket, frame)
        assert answer[:3] == [4, unique_id, code]
        assert isinstance(answer[3], str) and answer[3] and isinstance(answer[4], dict)
        # The connection still works afterwards.
        assert (await _ask(socket, '[2, "ok", "Heartbeat", {}]'))[:2] == [3, "ok"]
        assert await _stored(db) == before


async def test_201_error_codes_use_the_201_spelling(db: Database, live_server: str) -> None:
    reg = await register(db, "CZ-BAD-0002")
    async with raw_socket(live_server, reg, "2.0.1") as socket:
        assert (await _ask(socket, "{nope"))[:3] == [4, "-1", "RpcFrameworkError"]
        assert (await _ask(socket, '[2, "a", "Heartbeat", [1]]'))[:3] == [4, "a", "FormatViolation"]
        assert (await _ask(socket, '[5, "b", "Heartbeat", {}]'))[:3] == [4, "b", "MessageTypeNotSupported"]
        assert (await _ask(socket, '[2, "c", "MakeCoffee", {}]'))[:3] == [4, "c", "NotImplemented"]
        assert (await _ask(socket, '[2, "d", "GetVariables", {}]'))[:3] == [4, "d", "NotSupported"]


async def test_an_oversized_frame_closes_the_connection_and_others_carry_on(db: Database, live_server: str) -> None:
    big, other = await register(db, "CZ-BAD-0003"), await register(db, "CZ-BAD-0004")
    async with station(live_server, other) as bystander, raw_socket(live_server, big) as socket:
        await socket.send('[2, "x", "DataTransfer", {"vendorId": "SECTRON", "data": "' + "A" * 8000 + '"}]')
        with pytest.raises(ConnectionClosed):
            await socket.recv()
        assert socket.close_code == 1009
        assert (await bystander.cp.call(call.Heartbeat())).current_time


async def test_a_message_flood_closes_the_connection(db: Database, live_server: str) -> None:
    reg = await register(db, "CZ-BAD-0005")
    async with raw_socket(live_server, reg) as socket:
        with pytest.raises(ConnectionClosed):
            for i in range(200):
                await socket.send(f'[2, "f{i}", "Heartbeat", {{}}]')
            while True:
                await socket.recv()
        assert socket.close_code == 1008


async def test_binary_frames_are_refused(db: Database, live_server: str) -> None:
    reg = await register(db, "CZ-BAD-0006")
    async with raw_socket(live_server, reg) as socket:
        await socket.send(b'[2, "b", "Heartbeat", {}]')
        assert json.loads(await socket.recv())[:3] == [4, "-1", "FormationViolation"]
