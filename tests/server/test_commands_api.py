"""Remote commands API: who may send which command, parameter checks, the station's answer or the
problem when it is offline, silent or answers with an error, the record and audit entry of every
attempt, idempotent retries, the history and the catalogue.

Stations are stood in for by `Stations`, which implements the `StationGateway` protocol the API
depends on: it checks each payload against the OCPP schema as the registry does and answers with
schema-valid OCPP answers. The end-to-end tests with stations on real sockets live with the OCPP
endpoint's tests.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from ocpp.messages import Call, CallResult, _validate_payload
from sqlalchemy import select

from ema_server.db.engine import Database
from ema_server.db.models import AuditRecord, Customer, Device, RemoteCommand
from ema_server.domain.permissions import Role
from ema_server.ocpp.commands import ACTIONS, COMMANDS, request_id_for
from ema_server.ocpp.gateway import StationCallError, StationTimeout, StationUnreachable
from ema_server.ocpp.settings import OcppSettings
from tests.conftest import SignIn
from tests.server.test_command_catalogue import ACCEPTING, FULL

Answer = Callable[[str, dict[str, Any]], Awaitable[dict[str, Any]]]


@dataclass
class Stations:
    """Connected stations as the API sees them through the gateway protocol."""

    connected: dict[str, tuple[str, Answer]] = field(default_factory=dict)
    calls: list[tuple[str, str, dict[str, Any], float]] = field(default_factory=list)

    def connect(self, device_id: str, version: str, answer: Answer | None = None) -> None:
        async def accepting(action: str, payload: dict[str, Any]) -> dict[str, Any]:
            return ACCEPTING[version][action]

        self.connected[device_id] = (version, answer or accepting)

    def is_connected(self, device_id: str) -> bool:
        return device_id in self.connected

    def ocpp_version(self, device_id: str) -> str | None:
        return self.connected[device_id][0] if device_id in self.connected else None

    async def call(
        self, device_id: str, action: str, payload: dict[str, Any], timeout: float
    ) -> dict[str, Any]:
        if device_id not in self.connected:
            raise StationUnreachable(device_id)
        version, answer = self.connected[device_id]
        _validate_payload(Call(str(uuid.uuid4()), action, payload), version)
        self.calls.append((device_id, action, payload, timeout))
        result = await answer(action, payload)
        _validate_payload(CallResult(str(uuid.uuid4()), result, action), version)
        return result


def answering(result: dict[str, Any]) -> Answer:
    async def answer(action: str, payload: dict[str, Any]) -> dict[str, Any]:
        return result

    return answer


async def silent(action: str, payload: dict[str, Any]) -> dict[str, Any]:
    raise StationTimeout()


def failing(code: str, description: str) -> Answer:
    async def answer(action: str, payload: dict[str, Any]) -> dict[str, Any]:
        raise StationCallError(code, description, {"hint": "firmware 1.2"})

    return answer


@dataclass
class Fleet:
    customer: str
    station16: str
    wallbox201: str
    router: str
    unregistered: str


def app_of(client: httpx.AsyncClient) -> FastAPI:
    transport = client._transport
    assert isinstance(transport, httpx.ASGITransport)
    app = transport.app
    assert isinstance(app, FastAPI)
    return app


@pytest.fixture
def stations(client: httpx.AsyncClient) -> Stations:
    stand_in = Stations()
    app_of(client).state.stations = stand_in
    return stand_in


@pytest.fixture
async def fleet(db: Database) -> Fleet:
    async with db.sessions() as session:
        customer = Customer(customer_number="C000201", kind="municipality", name="Petr Novák",
                            company_name="Obec Hrabová")
        session.add(customer)
        await session.flush()
        station = Device(customer_id=customer.id, kind="charging_station", vendor="ABB", model="Terra AC",
                         serial="SN-ABB-0101", ocpp_identity="HRABOVA-01", ocpp_version="1.6", status="Available")
        wallbox = Device(customer_id=customer.id, kind="wallbox", vendor="Wallbox", model="Pulsar Plus",
                         serial="WB-0201", ocpp_identity="HRABOVA-WB", ocpp_version="2.0.1", status="Available")
        router = Device(customer_id=customer.id, kind="router", vendor="Teltonika", model="RUT956",
                        serial="RUT-0301", status="Online")
        unregistered = Device(customer_id=customer.id, kind="charging_station", vendor="ABB", model="Terra AC",
                              serial="SN-ABB-0102", status="Offline")
        session.add_all([station, wallbox, router, unregistered])
        await session.commit()
        return Fleet(customer.id, station.id, wallbox.id, router.id, unregistered.id)


async def send(client: httpx.AsyncClient, headers: dict[str, str], device_id: str, action: str,
               parameters: dict[str, Any] | None = None, **extra: Any) -> httpx.Response:
    body = {"action": action, "parameters": FULL[action] if parameters is None else parameters, **extra}
    return await client.post(f"/devices/{device_id}/commands", json=body, headers=headers)


async def stored(db: Database) -> list[RemoteCommand]:
    async with db.sessions() as session:
        return list((await session.execute(select(RemoteCommand).order_by(RemoteCommand.requested_at))).scalars())


async def audited(db: Database, action: str = "device.command") -> list[AuditRecord]:
    async with db.sessions() as session:
        return list((await session.execute(
            select(AuditRecord).where(AuditRecord.action == action).order_by(AuditRecord.seq))).scalars())


# --- the station answers --------------------------------------------------------------------------


async def test_hotline_resets_a_1_6_station_and_sees_its_answer_stored_and_audited(
    client: httpx.AsyncClient, db: Database, sign_in: SignIn, fleet: Fleet, stations: Stations
) -> None:
    app_of(client).state.ocpp_settings = OcppSettings(command_timeout=7.5)
    stations.connect(fleet.station16, "1.6")
    hotline = await sign_in(Role.HOTLINE)

    response = await send(client, hotline.headers, fleet.station16, "Reset", {"type": "Hard"})

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["action"] == "Reset" and body["ocpp_action"] == "Reset" and body["ocpp_version"] == "1.6"
    assert body["outcome"] == "accepted" and body["response"] == {"status": "Accepted"}
    assert body["operator_username"] == hotline.username and body["requested_at"].endswith("Z")
    assert body["answered_at"] is not None and body["parameters"] == {"type": "Hard"}
    assert stations.calls == [(fleet.station16, "Reset", {"type": "Hard"}, 7.5)]
    [record] = await stored(db)
    assert (record.id, record.outcome, record.operator_id) == (body["id"], "accepted", hotline.operator_id)
    assert json.loads(record.response or "") == {"status": "Accepted"}
    [entry] = await audited(db)
    assert (entry.entity, entry.entity_id, entry.operator_id) == ("device", fleet.station16, hotline.operator_id)
    assert json.loads(entry.detail) == {"command_id": body["id"], "action": "Reset", "ocpp_action": "Reset",
                                        "outcome": "accepted"}


async def test_a_2_0_1_station_gets_the_2_0_1_equivalent_and_no_id_tag_reaches_the_audit_trail(
    client: httpx.AsyncClient, db: Database, sign_in: SignIn, fleet: Fleet, stations: Stations
) -> None:
    stations.connect(fleet.wallbox201, "2.0.1")
    hotline = await sign_in(Role.HOTLINE)

    response = await send(client, hotline.headers, fleet.wallbox201, "RemoteStartTransaction",
                          {"id_tag": "04A1B2C3D4E5F6", "connector_id": 1}, timeout=12)

    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["ocpp_action"], body["ocpp_version"], body["outcome"]) == ("RequestStartTransaction", "2.0.1",
                                                                           "accepted")
    [(_, action, payload, timeout)] = stations.calls
    assert (action, timeout) == ("RequestStartTransaction", 12.0)
    assert payload == {"idToken": {"idToken": "04A1B2C3D4E5F6", "type": "ISO14443"},
                       "remoteStartId": request_id_for(body["id"]), "evseId": 1}
    [entry] = await audited(db)
    assert "04A1B2C3D4E5F6" not in entry.detail


@pytest.mark.parametrize(("action", "parameters", "answer"), [
    ("UnlockConnector", {"connector_id": 1}, {"status": "UnlockFailed"}),
    ("GetConfiguration", {"keys": ["NoSuchKey"]}, {"unknownKey": ["NoSuchKey"]}),
    ("ChangeConfiguration", {"key": "HeartbeatInterval", "value": "abc"}, {"status": "Rejected"}),
])  # fmt: skip
async def test_a_refusal_by_the_station_is_a_rejected_outcome_with_its_answer_verbatim(
    client: httpx.AsyncClient, db: Database, sign_in: SignIn, fleet: Fleet, stations: Stations,
    action: str, parameters: dict[str, Any], answer: dict[str, Any],
) -> None:
    stations.connect(fleet.station16, "1.6", answering(answer))
    technician = await sign_in(Role.TECHNICIAN)

    response = await send(client, technician.headers, fleet.station16, action, parameters)

    assert response.status_code == 200, response.text
    assert response.json()["outcome"] == "rejected" and response.json()["response"] == answer
    assert [r.outcome for r in await stored(db)] == ["rejected"]


async def test_each_role_may_send_exactly_the_actions_brief_section_5_gives_it(
    client: httpx.AsyncClient, db: Database, sign_in: SignIn, fleet: Fleet, stations: Stations
) -> None:
    stations.connect(fleet.station16, "1.6")
    simple = {"Reset", "UnlockConnector", "TriggerMessage", "RemoteStartTransaction", "RemoteStopTransaction"}
    allowed = {Role.HOTLINE: simple, Role.TECHNICIAN: set(ACTIONS), Role.ADMIN: set(ACTIONS),
               Role.PRIVACY_OFFICER: set()}
    results: dict[Role, set[str]] = {}
    for role in Role:
        operator = await sign_in(role)
        results[role] = set()
        for action in ACTIONS:
            response = await send(client, operator.headers, fleet.station16, action)
            if response.status_code == 200:
                results[role].add(action)
                continue
            assert response.status_code == 403, response.text
            expected = "permission_denied" if role == Role.PRIVACY_OFFICER else "command_not_permitted"
            assert response.json()["code"] == expected
            if expected == "command_not_permitted":
                assert response.json()["permission"] == COMMANDS[action].permission.value
    assert results == allowed
    assert "ChangeConfiguration" not in results[Role.HOTLINE]
    # Refused commands never reached the station and left no record.
    assert len(stations.calls) == len(await stored(db)) == sum(len(a) for a in allowed.values())


async def test_a_station_that_reports_before_it_answers_is_not_held_up_by_the_waiting_command(
    client: httpx.AsyncClient, db: Database, sign_in: SignIn, fleet: Fleet, stations: Stations
) -> None:
    """Stations often send the triggered message before answering the TriggerMessage; the
    endpoint stores it before it reads the answer, so a command holding the database while it
    waits would wait for itself (on SQLite for the whole busy timeout, then fail)."""

    async def reports_first(action: str, payload: dict[str, Any]) -> dict[str, Any]:
        async with db.sessions() as session:
            device = await session.get(Device, fleet.station16)
            assert device is not None
            device.status = "Preparing"
            await session.commit()
        return {"status": "Accepted"}

    stations.connect(fleet.station16, "1.6", reports_first)
    hotline = await sign_in(Role.HOTLINE)

    response = await send(client, hotline.headers, fleet.station16, "TriggerMessage",
                          {"requested_message": "StatusNotification", "connector_id": 1})

    assert response.status_code == 200 and response.json()["outcome"] == "accepted", response.text
    device = (await client.get(f"/devices/{fleet.station16}", headers=hotline.headers)).json()
    assert device["status"] == "Preparing"


# --- refused before anything is sent -----------------------------------------------------------


@pytest.mark.parametrize(("body", "field", "code"), [
    ({"action": "Reset", "parameters": {"type": "Warm"}}, "parameters.type", "invalid_input"),
    ({"action": "Reset", "parameters": {"type": "Hard", "force": True}}, "parameters.force", "invalid_input"),
    ({"action": "UnlockConnector", "parameters": {"connector_id": "1"}}, "parameters.connector_id", "invalid_input"),
    ({"action": "UnlockConnector", "parameters": {}}, "parameters.connector_id", "invalid_input"),
    ({"action": "GetDiagnostics", "parameters": {"location": "file:///etc/shadow"}}, "parameters.location",
     "invalid_input"),
    ({"action": "Reset", "parameters": {"type": "Hard", "connector_id": 2}}, "parameters.connector_id",
     "unsupported_by_station"),
    ({"action": "SelfDestruct", "parameters": {}}, "action", "invalid_input"),
    ({"action": "Reset", "parameters": {"type": "Hard"}, "timeout": 0.5}, "timeout", "invalid_input"),
    ({"action": "Reset", "parameters": {"type": "Hard"}, "timeout": 121}, "timeout", "invalid_input"),
    ({"action": "Reset", "parameters": {"type": "Hard"}, "priority": 1}, "priority", "invalid_input"),
])  # fmt: skip
async def test_invalid_commands_are_422_naming_the_field_and_never_sent(
    client: httpx.AsyncClient, db: Database, sign_in: SignIn, fleet: Fleet, stations: Stations,
    body: dict[str, Any], field: str, code: str,
) -> None:
    stations.connect(fleet.station16, "1.6")
    technician = await sign_in(Role.TECHNICIAN)

    response = await client.post(f"/devices/{fleet.station16}/commands", json=body, headers=technician.headers)

    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == code
    assert field in [e["field"] for e in response.json()["errors"]]
    assert stations.calls == [] and await stored(db) == [] and await audited(db) == []


async def test_only_registered_ocpp_stations_take_commands(
    client: httpx.AsyncClient, db: Database, sign_in: SignIn, fleet: Fleet, stations: Stations
) -> None:
    technician = await sign_in(Role.TECHNICIAN)
    for device_id in (fleet.router, fleet.unregistered):
        response = await send(client, technician.headers, device_id, "Reset")
        assert response.status_code == 422 and response.json()["code"] == "not_a_station", response.text
    missing = await send(client, technician.headers, str(uuid.uuid4()), "Reset")
    assert missing.status_code == 404
    assert await stored(db) == [] and stations.calls == []


# --- no answer ---------------------------------------------------------------------------------


async def test_an_offline_station_is_409_with_the_attempt_stored_and_audited(
    client: httpx.AsyncClient, db: Database, sign_in: SignIn, fleet: Fleet
) -> None:
    app = app_of(client)
    if not hasattr(app.state, "stations"):
        app.state.stations = Stations()  # the registry's stand-in, with nothing connected
    hotline = await sign_in(Role.HOTLINE)

    response = await send(client, hotline.headers, fleet.station16, "TriggerMessage",
                          {"requested_message": "StatusNotification"})

    assert response.status_code == 409, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "station_offline" and problem["command"]["outcome"] == "offline"
    assert problem["command"]["answered_at"] is None and problem["command"]["response"] is None
    [record] = await stored(db)
    assert (record.id, record.outcome, record.ocpp_action) == (problem["command"]["id"], "offline", "TriggerMessage")
    [entry] = await audited(db)
    assert json.loads(entry.detail)["outcome"] == "offline"


async def test_without_an_ocpp_endpoint_every_station_is_offline(
    client: httpx.AsyncClient, db: Database, sign_in: SignIn, fleet: Fleet
) -> None:
    app = app_of(client)
    if hasattr(app.state, "stations"):
        del app.state.stations
    technician = await sign_in(Role.TECHNICIAN)
    response = await send(client, technician.headers, fleet.wallbox201, "GetConfiguration")
    assert response.status_code == 409 and response.json()["code"] == "station_offline"
    # Built for the version the station registered with.
    assert response.json()["command"]["ocpp_action"] == "GetVariables"


async def test_a_station_that_does_not_answer_in_time_is_504_with_the_attempt_stored(
    client: httpx.AsyncClient, db: Database, sign_in: SignIn, fleet: Fleet, stations: Stations
) -> None:
    stations.connect(fleet.station16, "1.6", silent)
    hotline = await sign_in(Role.HOTLINE)

    response = await send(client, hotline.headers, fleet.station16, "UnlockConnector", {"connector_id": 1}, timeout=3)

    assert response.status_code == 504, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "station_timeout" and response.json()["command"]["outcome"] == "timeout"
    assert stations.calls[0][3] == 3.0
    [record] = await stored(db)
    assert record.outcome == "timeout" and record.answered_at is None
    assert [json.loads(e.detail)["outcome"] for e in await audited(db)] == ["timeout"]


async def test_a_callerror_is_502_with_the_stations_code_and_description(
    client: httpx.AsyncClient, db: Database, sign_in: SignIn, fleet: Fleet, stations: Stations
) -> None:
    stations.connect(fleet.station16, "1.6", failing("NotSupported", "ClearCache is not supported"))
    technician = await sign_in(Role.TECHNICIAN)

    response = await send(client, technician.headers, fleet.station16, "ClearCache")

    assert response.status_code == 502, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert (problem["code"], problem["error_code"], problem["error_description"]) == (
        "station_error", "NotSupported", "ClearCache is not supported")
    assert problem["command"]["outcome"] == "error"
    [record] = await stored(db)
    assert record.outcome == "error" and record.answered_at is not None
    assert json.loads(record.response or "") == {"code": "NotSupported", "description": "ClearCache is not supported",
                                                 "details": {"hint": "firmware 1.2"}}


async def test_credentials_in_urls_are_sent_but_never_stored_shown_or_audited(
    client: httpx.AsyncClient, db: Database, sign_in: SignIn, fleet: Fleet, stations: Stations
) -> None:
    stations.connect(fleet.wallbox201, "2.0.1")
    technician = await sign_in(Role.TECHNICIAN)
    location = "ftp://diag:s3cr3t-pw@logs.example.cz/upload/"

    response = await send(client, technician.headers, fleet.wallbox201, "GetDiagnostics", {"location": location})

    assert response.status_code == 200, response.text
    assert stations.calls[0][2]["log"]["remoteLocation"] == location
    assert response.json()["parameters"] == {"location": "ftp://***@logs.example.cz/upload/"}
    [record] = await stored(db)
    [entry] = await audited(db)
    history = await client.get(f"/devices/{fleet.wallbox201}/commands", headers=technician.headers)
    for text in (response.text, record.parameters, entry.detail, history.text):
        assert "s3cr3t" not in text


# --- idempotent retries ------------------------------------------------------------------------


async def test_a_retry_with_the_same_key_replays_the_answer_without_sending_again(
    client: httpx.AsyncClient, db: Database, sign_in: SignIn, fleet: Fleet, stations: Stations
) -> None:
    stations.connect(fleet.station16, "1.6")
    hotline = await sign_in(Role.HOTLINE)
    headers = {**hotline.headers, "Idempotency-Key": "reset-1"}

    first = await send(client, headers, fleet.station16, "Reset", {"type": "Soft"})
    retry = await send(client, headers, fleet.station16, "Reset", {"type": "Soft"})
    other = await send(client, headers, fleet.station16, "Reset", {"type": "Hard"})

    assert first.status_code == retry.status_code == 200
    assert retry.json() == first.json() and retry.headers["Idempotent-Replayed"] == "true"
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
    assert len(stations.calls) == 1 and len(await stored(db)) == 1


async def test_a_retry_after_a_timeout_replays_the_problem_and_does_not_send_again(
    client: httpx.AsyncClient, db: Database, sign_in: SignIn, fleet: Fleet, stations: Stations
) -> None:
    stations.connect(fleet.station16, "1.6", silent)
    hotline = await sign_in(Role.HOTLINE)
    headers = {**hotline.headers, "Idempotency-Key": "unlock-1"}

    first = await send(client, headers, fleet.station16, "UnlockConnector", {"connector_id": 1})
    retry = await send(client, headers, fleet.station16, "UnlockConnector", {"connector_id": 1})

    assert first.status_code == retry.status_code == 504
    assert retry.headers["content-type"] == "application/problem+json" and retry.json() == first.json()
    assert len(stations.calls) == 1 and len(await stored(db)) == 1


async def test_a_retry_while_the_first_attempt_waits_for_the_station_is_not_sent_twice(
    client: httpx.AsyncClient, db: Database, sign_in: SignIn, fleet: Fleet, stations: Stations,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ema_server.api import commands

    arrived, sent_twice, queued, release = asyncio.Event(), asyncio.Event(), asyncio.Event(), asyncio.Event()

    async def slow(action: str, payload: dict[str, Any]) -> dict[str, Any]:
        (sent_twice if arrived.is_set() else arrived).set()
        await release.wait()
        return {"status": "Accepted"}

    hold = commands.in_flight.hold

    @contextlib.asynccontextmanager
    async def noting_the_queue(operator_id: str, key: str) -> AsyncIterator[None]:
        if commands.in_flight.busy(operator_id, key):
            queued.set()
        async with hold(operator_id, key):
            yield

    monkeypatch.setattr(commands.in_flight, "hold", noting_the_queue)
    stations.connect(fleet.station16, "1.6", slow)
    hotline = await sign_in(Role.HOTLINE)
    headers = {**hotline.headers, "Idempotency-Key": "reset-2"}

    first = asyncio.create_task(send(client, headers, fleet.station16, "Reset", {"type": "Hard"}))
    await arrived.wait()
    retry = asyncio.create_task(send(client, headers, fleet.station16, "Reset", {"type": "Hard"}))
    # Until the retry queues behind the first attempt, or (the failure) reaches the station too.
    watchers = [asyncio.create_task(queued.wait()), asyncio.create_task(sent_twice.wait())]
    await asyncio.wait(watchers, return_when=asyncio.FIRST_COMPLETED)
    for watcher in watchers:
        watcher.cancel()
    release.set()
    answers = await asyncio.gather(first, retry)

    assert not sent_twice.is_set() and len(stations.calls) == 1 and len(await stored(db)) == 1
    assert [a.status_code for a in answers] == [200, 200] and answers[0].json() == answers[1].json()
    assert answers[1].headers["Idempotent-Replayed"] == "true"


# --- history and catalogue ---------------------------------------------------------------------


async def test_the_history_lists_a_stations_commands_newest_first_with_their_operators(
    client: httpx.AsyncClient, db: Database, sign_in: SignIn, fleet: Fleet, stations: Stations
) -> None:
    hotline = await sign_in(Role.HOTLINE)
    technician = await sign_in(Role.TECHNICIAN)
    await send(client, hotline.headers, fleet.wallbox201, "Reset", {"type": "Soft"})  # offline
    stations.connect(fleet.wallbox201, "2.0.1")
    await send(client, technician.headers, fleet.wallbox201, "GetConfiguration", {"keys": ["HeartbeatInterval"]})
    await send(client, hotline.headers, fleet.wallbox201, "RemoteStopTransaction", {"transaction_id": "tx-9"})
    await send(client, hotline.headers, fleet.station16, "Reset", {"type": "Soft"})  # another station
    privacy = await sign_in(Role.PRIVACY_OFFICER)

    page = await client.get(f"/devices/{fleet.wallbox201}/commands", headers=privacy.headers)
    second = await client.get(f"/devices/{fleet.wallbox201}/commands?limit=2&offset=2", headers=privacy.headers)

    assert page.status_code == 200, page.text
    body = page.json()
    assert (body["total"], body["limit"], body["offset"]) == (3, 50, 0)
    assert [(i["action"], i["ocpp_action"], i["outcome"], i["operator_username"]) for i in body["items"]] == [
        ("RemoteStopTransaction", "RequestStopTransaction", "accepted", hotline.username),
        ("GetConfiguration", "GetVariables", "accepted", technician.username),
        ("Reset", "Reset", "offline", hotline.username),
    ]
    assert {i["ocpp_version"] for i in body["items"]} == {"2.0.1"}
    assert body["items"][0]["parameters"] == {"transaction_id": "tx-9"}
    assert body["items"][1]["response"]["getVariableResult"][0]["attributeStatus"] == "Accepted"
    assert [i["id"] for i in second.json()["items"]] == [body["items"][2]["id"]]
    missing = await client.get(f"/devices/{uuid.uuid4()}/commands", headers=privacy.headers)
    assert missing.status_code == 404
    # No id tag on these pages: nobody's personal data was read.
    assert await audited(db, "customer.read") == []


async def test_reading_a_remote_start_in_the_history_is_a_recorded_read_of_the_customer(
    client: httpx.AsyncClient, db: Database, sign_in: SignIn, fleet: Fleet, stations: Stations
) -> None:
    stations.connect(fleet.station16, "1.6")
    hotline = await sign_in(Role.HOTLINE)
    await send(client, hotline.headers, fleet.station16, "RemoteStartTransaction", {"id_tag": "TAG-0042"})

    page = await client.get(f"/devices/{fleet.station16}/commands", headers=hotline.headers)

    assert page.json()["items"][0]["parameters"] == {"id_tag": "TAG-0042"}
    [entry] = await audited(db, "customer.read")
    assert entry.entity_id == fleet.customer and entry.operator_id == hotline.operator_id
    assert json.loads(entry.detail) == {"via": "device_commands", "device_id": fleet.station16}


async def test_the_catalogue_tells_each_role_which_commands_it_may_send(
    client: httpx.AsyncClient, sign_in: SignIn
) -> None:
    app_of(client).state.ocpp_settings = OcppSettings(command_timeout=20)
    expected = {
        Role.HOTLINE: {"Reset", "UnlockConnector", "TriggerMessage", "RemoteStartTransaction", "RemoteStopTransaction"},
        Role.TECHNICIAN: set(ACTIONS), Role.ADMIN: set(ACTIONS), Role.PRIVACY_OFFICER: set(),
    }
    for role, allowed in expected.items():
        operator = await sign_in(role)
        response = await client.get("/commands/catalogue", headers=operator.headers)
        assert response.status_code == 200, response.text
        body = response.json()
        assert [a["action"] for a in body["actions"]] == list(ACTIONS)
        assert {a["action"] for a in body["actions"] if a["allowed"]} == allowed
        assert (body["default_timeout"], body["max_timeout"]) == (20, 120)
    reset = next(a for a in body["actions"] if a["action"] == "Reset")
    assert reset["permission"] == "devices.simple_actions"
    assert reset["parameters"]["properties"]["type"]["enum"] == ["Soft", "Hard"]
    assert reset["parameters"]["required"] == ["type"] and reset["parameters"]["additionalProperties"] is False
    start = next(a for a in body["actions"] if a["action"] == "RemoteStartTransaction")
    assert start["ocpp_actions"] == {"1.6": "RemoteStartTransaction", "2.0.1": "RequestStartTransaction"}
    assert (await client.get("/commands/catalogue")).status_code == 401
