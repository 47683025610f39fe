"""Operator commands end to end: the API call goes through the live server's registry over the
station's real socket to a station driven by the `ocpp` package, and the station's answer comes
back to the operator; no answer and CALLERRORs become the problems the console shows."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from ocpp.routing import on
from ocpp.v16 import ChargePoint as ChargePoint16
from ocpp.v16 import call_result as result16
from ocpp.v201 import ChargePoint as ChargePoint201
from ocpp.v201 import call_result as result201

from ema_server.db.engine import Database
from tests.conftest import SignIn
from tests.ocpp.harness import register, station

SEEN: list[tuple[str, dict[str, Any]]] = []


class Station16(ChargePoint16):  # type: ignore[misc]
    """Answers every operator command as a 1.6 station would, recording what it was asked."""

    def _seen(self, action: str, **kwargs: Any) -> None:
        SEEN.append((action, kwargs))

    @on("RemoteStartTransaction")
    def remote_start(self, **kw: Any) -> Any:
        self._seen("RemoteStartTransaction", **kw)
        return result16.RemoteStartTransaction(status="Accepted")

    @on("RemoteStopTransaction")
    def remote_stop(self, **kw: Any) -> Any:
        self._seen("RemoteStopTransaction", **kw)
        return result16.RemoteStopTransaction(status="Rejected")

    @on("Reset")
    def reset(self, **kw: Any) -> Any:
        self._seen("Reset", **kw)
        return result16.Reset(status="Accepted")

    @on("UnlockConnector")
    def unlock(self, **kw: Any) -> Any:
        self._seen("UnlockConnector", **kw)
        return result16.UnlockConnector(status="Unlocked")

    @on("ChangeAvailability")
    def availability(self, **kw: Any) -> Any:
        self._seen("ChangeAvailability", **kw)
        return result16.ChangeAvailability(status="Scheduled")

    @on("GetConfiguration")
    def get_configuration(self, **kw: Any) -> Any:
        self._seen("GetConfiguration", **kw)
        return result16.GetConfiguration(
            configuration_key=[{"key": "HeartbeatInterval", "readonly": False, "value": "300"}],
            unknown_key=["Nope"])

    @on("ChangeConfiguration")
    def change_configuration(self, **kw: Any) -> Any:
        self._seen("ChangeConfiguration", **kw)
        return result16.ChangeConfiguration(status="Accepted")

    @on("TriggerMessage")
    def trigger(self, **kw: Any) -> Any:
        self._seen("TriggerMessage", **kw)
        return result16.TriggerMessage(status="Accepted")

    @on("GetDiagnostics")
    def diagnostics(self, **kw: Any) -> Any:
        self._seen("GetDiagnostics", **kw)
        return result16.GetDiagnostics(file_name="diag-CZ.zip")

    @on("UpdateFirmware")
    def firmware(self, **kw: Any) -> Any:
        self._seen("UpdateFirmware", **kw)
        return result16.UpdateFirmware()

    @on("ClearCache")
    async def clear_cache(self, **kw: Any) -> Any:
        self._seen("ClearCache", **kw)
        await asyncio.sleep(60)  # never answers in time: the operator gets station_timeout
        return result16.ClearCache(status="Accepted")


class Station201(ChargePoint201):  # type: ignore[misc]
    @on("RequestStartTransaction")
    def request_start(self, **kw: Any) -> Any:
        SEEN.append(("RequestStartTransaction", kw))
        return result201.RequestStartTransaction(status="Accepted")

    @on("Reset")
    def reset(self, **kw: Any) -> Any:
        SEEN.append(("Reset", kw))
        return result201.Reset(status="Scheduled")

    @on("GetVariables")
    def get_variables(self, **kw: Any) -> Any:
        SEEN.append(("GetVariables", kw))
        return result201.GetVariables(get_variable_result=[{
            "attribute_status": "Accepted", "attribute_value": "300",
            "component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "HeartbeatInterval"}}])


COMMANDS_16: list[tuple[str, dict[str, Any], str, tuple[str, dict[str, Any]] | None]] = [
    ("RemoteStartTransaction", {"id_tag": "TAG-1", "connector_id": 1}, "accepted",
     ("RemoteStartTransaction", {"id_tag": "TAG-1", "connector_id": 1})),
    ("RemoteStopTransaction", {"transaction_id": 77}, "rejected", ("RemoteStopTransaction", {"transaction_id": 77})),
    ("Reset", {"type": "Hard"}, "accepted", ("Reset", {"type": "Hard"})),
    ("UnlockConnector", {"connector_id": 2}, "accepted", ("UnlockConnector", {"connector_id": 2})),
    ("ChangeAvailability", {"type": "Inoperative", "connector_id": 1}, "accepted",
     ("ChangeAvailability", {"connector_id": 1, "type": "Inoperative"})),
    ("GetConfiguration", {"keys": ["HeartbeatInterval", "Nope"]}, "accepted",
     ("GetConfiguration", {"key": ["HeartbeatInterval", "Nope"]})),
    ("ChangeConfiguration", {"key": "HeartbeatInterval", "value": "120"}, "accepted",
     ("ChangeConfiguration", {"key": "HeartbeatInterval", "value": "120"})),
    ("TriggerMessage", {"requested_message": "StatusNotification", "connector_id": 1}, "accepted",
     ("TriggerMessage", {"requested_message": "StatusNotification", "connector_id": 1})),
    ("GetDiagnostics", {"location": "ftp://logs.sectron.cz/in/"}, "accepted", None),
    ("UpdateFirmware", {"location": "https://fw.sectron.cz/terra-1.9.bin",
                        "retrieve_date": "2026-11-26T10:00:00Z"}, "accepted", None),
]


async def _command(live_server: str, headers: dict[str, str], device_id: str, action: str,
                   parameters: dict[str, Any], **extra: Any) -> httpx.Response:
    async with httpx.AsyncClient(base_url=f"{live_server}/api/v1", timeout=30) as http:
        return await http.post(f"/devices/{device_id}/commands", headers=headers,
                               json={"action": action, "parameters": parameters, **extra})


@pytest.mark.parametrize(("action", "parameters", "outcome", "seen"), COMMANDS_16, ids=[c[0] for c in COMMANDS_16])
async def test_each_command_reaches_a_16_station_and_its_answer_comes_back(
    db: Database, live_server: str, sign_in: SignIn, action: str, parameters: dict[str, Any], outcome: str,
    seen: tuple[str, dict[str, Any]] | None,
) -> None:
    reg = await register(db, "CZ-CMD-0001")
    technician = await sign_in("technician")
    SEEN.clear()
    async with station(live_server, reg, cp_class=Station16):
        answer = await _command(live_server, technician.headers, reg.device_id, action, parameters)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["action"], body["ocpp_action"], body["ocpp_version"], body["outcome"]) == (
        action, action, "1.6", outcome)
    assert SEEN[0][0] == action
    if seen is not None:
        assert SEEN[0] == seen
    if action == "GetDiagnostics":
        assert body["response"] == {"fileName": "diag-CZ.zip"}
    history = await _history(live_server, technician.headers, reg.device_id)
    assert [(h["action"], h["outcome"]) for h in history] == [(action, outcome)]


async def _history(live_server: str, headers: dict[str, str], device_id: str) -> list[dict[str, Any]]:
    async with httpx.AsyncClient(base_url=f"{live_server}/api/v1") as http:
        answer = await http.get(f"/devices/{device_id}/commands", headers=headers)
        items: list[dict[str, Any]] = answer.json()["items"]
        return items


async def test_a_station_that_does_not_answer_in_time_is_a_timeout(
    db: Database, live_server: str, sign_in: SignIn
) -> None:
    reg = await register(db, "CZ-CMD-0002")
    technician = await sign_in("technician")
    async with station(live_server, reg, cp_class=Station16):
        answer = await _command(live_server, technician.headers, reg.device_id, "ClearCache", {}, timeout=1)
    assert answer.status_code == 504 and answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["code"] == "station_timeout"
    assert [h["outcome"] for h in await _history(live_server, technician.headers, reg.device_id)] == ["timeout"]


async def test_a_callerror_from_the_station_is_shown_with_its_code(
    db: Database, live_server: str, sign_in: SignIn
) -> None:
    reg = await register(db, "CZ-CMD-0003")
    technician = await sign_in("technician")
    async with station(live_server, reg, "2.0.1", cp_class=Station201):
        # Station201 has no UnlockConnector handler: the ocpp package answers with a CALLERROR.
        answer = await _command(live_server, technician.headers, reg.device_id, "UnlockConnector",
                                {"connector_id": 1})
    assert answer.status_code == 502
    assert answer.json()["code"] == "station_error"
    assert [h["outcome"] for h in await _history(live_server, technician.headers, reg.device_id)] == ["error"]


async def test_201_stations_get_the_201_equivalents(db: Database, live_server: str, sign_in: SignIn) -> None:
    reg = await register(db, "CZ-CMD-0004")
    technician = await sign_in("technician")
    SEEN.clear()
    async with station(live_server, reg, "2.0.1", cp_class=Station201):
        start = await _command(live_server, technician.headers, reg.device_id, "RemoteStartTransaction",
                               {"id_tag": "TAG-2", "connector_id": 1})
        reset = await _command(live_server, technician.headers, reg.device_id, "Reset", {"type": "Soft"})
        config = await _command(live_server, technician.headers, reg.device_id, "GetConfiguration",
                                {"keys": ["HeartbeatInterval"]})
    assert [(r.json()["ocpp_action"], r.json()["ocpp_version"], r.json()["outcome"]) for r in (start, reset, config)] \
        == [("RequestStartTransaction", "2.0.1", "accepted"), ("Reset", "2.0.1", "accepted"),
            ("GetVariables", "2.0.1", "accepted")]
    assert SEEN[0][1]["id_token"] == {"id_token": "TAG-2", "type": "ISO14443"} and SEEN[0][1]["evse_id"] == 1
    assert SEEN[1][1]["type"] == "OnIdle"


async def test_a_command_to_a_station_that_is_not_connected_is_refused_as_offline(
    db: Database, live_server: str, sign_in: SignIn
) -> None:
    reg = await register(db, "CZ-CMD-0005")
    hotline = await sign_in("hotline")
    answer = await _command(live_server, hotline.headers, reg.device_id, "Reset", {"type": "Soft"})
    assert answer.status_code == 409 and answer.json()["code"] == "station_offline"
    refused = await _command(live_server, hotline.headers, reg.device_id, "ChangeConfiguration",
                             {"key": "HeartbeatInterval", "value": "60"})
    assert refused.status_code == 403 and refused.json()["code"] == "command_not_permitted"
