"""Remote commands API: an operator sends one command to a connected charging station and gets the
station's answer, reads a station's command history, and reads the command catalogue the console
builds its command dialog from.

Every attempt is kept as a ``RemoteCommand`` and audited as ``device.command``, including those
that never reached the station (offline) or got no answer in time: those are answered with a
problem, but the record and the audit entry are committed first. The database transaction is
closed while the station is asked, so a station that answers slowly (or sends other messages
before its answer) never waits on a lock this request holds.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import Field, ValidationError
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ema_server.api.context import Caller, CurrentCaller, idempotent, requires
from ema_server.api.problems import (
    PROBLEM_JSON,
    Conflict,
    FieldInvalid,
    InvalidInput,
    NotFound,
    PermissionDenied,
    Problem,
)
from ema_server.api.schemas import Input, Limit, Offset, Output
from ema_server.db.models import Device, Operator, RemoteCommand, new_id, utcnow
from ema_server.domain.permissions import Permission
from ema_server.ocpp.commands import (
    ACTIONS,
    COMMANDS,
    Action,
    CommandParameterError,
    CommandParameters,
    OcppVersion,
    build,
    parameters_schema,
    parse_parameters,
    request_id_for,
    stored_parameters,
)
from ema_server.ocpp.gateway import StationCallError, StationGateway, StationTimeout, StationUnreachable
from ema_server.ocpp.settings import OcppSettings
from ema_server.privacy.visibility import device_hidden

router = APIRouter(tags=["commands"])

STATION_KINDS = frozenset({"charging_station", "wallbox"})
MAX_TIMEOUT = 120.0
VERSIONS: dict[str, OcppVersion] = {"1.6": "1.6", "2.0.1": "2.0.1"}
REMOTE_PERMISSIONS = (Permission.SIMPLE_REMOTE_ACTIONS, Permission.ADVANCED_REMOTE_ACTIONS)

Viewer = Annotated[Caller, Depends(requires(Permission.VIEW_CUSTOMERS))]


async def _remote_operator(caller: CurrentCaller) -> Caller:
    """The endpoint is open to anyone with either remote-action permission; which actions they may
    run is decided per action."""
    if not any(caller.can(p) for p in REMOTE_PERMISSIONS):
        raise PermissionDenied(f"Your role does not allow: {' or '.join(p.value for p in REMOTE_PERMISSIONS)}")
    return caller


RemoteOperator = Annotated[Caller, Depends(_remote_operator)]


# --- problems ----------------------------------------------------------------------------------


class CommandNotPermitted(PermissionDenied):
    code, title = "command_not_permitted", "Your role does not allow this command"


class NotAStation(InvalidInput):
    code, title = "not_a_station", "The device is not an OCPP charging station"


class StationOffline(Conflict):
    code, title = "station_offline", "The station is not connected"


class StationTimedOut(Problem):
    status, code, title = 504, "station_timeout", "The station did not answer in time"


class StationError(Problem):
    status, code, title = 502, "station_error", "The station answered with an error"


# --- bodies ------------------------------------------------------------------------------------


class CommandIn(Input):
    action: Action
    parameters: dict[str, Any] = Field(
        default_factory=dict,
        description="The action's parameters; their JSON schemas are in GET /commands/catalogue.",
    )
    timeout: float | None = Field(
        None, ge=1, le=MAX_TIMEOUT, description="Seconds to wait for the station's answer; the server's "
                                                "command timeout if omitted."
    )


class CommandOut(Output):
    id: str
    device_id: str
    action: str = Field(description="As the operator asked for it.")
    ocpp_action: str = Field(description="As sent to the station (differs by OCPP version for some actions).")
    ocpp_version: str | None = Field(
        description="The OCPP version the command was built for. In the history, for actions both versions "
        "name alike (Reset, UnlockConnector …), the station's version now."
    )
    outcome: str = Field(description="accepted | rejected | error | timeout | offline")
    parameters: dict[str, Any] = Field(description="As sent, with credentials in URLs removed.")
    response: dict[str, Any] | None = Field(
        description="The station's answer verbatim (OCPP camelCase); for `error` the CALLERROR's "
        "code, description and details; null when the station did not answer."
    )
    requested_at: datetime
    answered_at: datetime | None
    operator_id: str | None
    operator_username: str | None


class CommandPage(Output):
    items: list[CommandOut]
    total: int
    limit: int
    offset: int


class CatalogueEntryOut(Output):
    action: str
    summary: str
    permission: str
    allowed: bool = Field(description="Whether the signed-in operator may run it.")
    ocpp_actions: dict[str, str] = Field(description="The OCPP action sent, per OCPP version.")
    parameters: dict[str, Any] = Field(description="JSON schema of the parameters.")


class CatalogueOut(Output):
    actions: list[CatalogueEntryOut]
    default_timeout: float = Field(description="Seconds a command waits for the station by default.")
    max_timeout: float


# --- helpers -----------------------------------------------------------------------------------


@dataclass
class _Holders:
    lock: asyncio.Lock
    count: int = 0


class InFlightKeys:
    """Idempotency keys whose command is being sent right now. A retry that arrives while the
    first attempt still waits for the station waits for it too, then gets its stored answer:
    without this, both would pass the idempotency check and the station would get the command
    twice. One process holds the stations' connections, so an in-process lock suffices."""

    def __init__(self) -> None:
        self._holders: dict[tuple[str, str], _Holders] = {}

    @contextlib.asynccontextmanager
    async def hold(self, operator_id: str, key: str) -> AsyncIterator[None]:
        holders = self._holders.setdefault((operator_id, key), _Holders(asyncio.Lock()))
        holders.count += 1
        try:
            async with holders.lock:
                yield
        finally:
            holders.count -= 1
            if holders.count == 0:
                del self._holders[(operator_id, key)]

    def busy(self, operator_id: str, key: str) -> bool:
        """Whether a request with this key is being handled: another one would wait."""
        return (operator_id, key) in self._holders


in_flight = InFlightKeys()


def _stations(request: Request) -> StationGateway | None:
    # An app without the OCPP endpoint (some tests, tools) has no stations connected at all.
    stations: StationGateway | None = getattr(request.app.state, "stations", None)
    return stations


def _settings(request: Request) -> OcppSettings:
    settings = getattr(request.app.state, "ocpp_settings", None)
    return settings if isinstance(settings, OcppSettings) else OcppSettings()


async def _device(session: AsyncSession, device_id: str, caller: Caller) -> Device:
    device = await session.get(Device, device_id) if len(device_id) <= 36 else None
    # A restricted customer's station is not processed: to other roles it does not exist.
    if device is None or await device_hidden(session, caller, device):
        raise NotFound("There is no device with this id.")
    return device


def _parameters(action: str, raw: dict[str, Any]) -> CommandParameters:
    try:
        # Through JSON text so the parameters are held to strict JSON types ("1" is no number).
        return parse_parameters(action, json.dumps(raw))
    except ValidationError as exc:
        errors = []
        for err in exc.errors():
            path = ".".join(str(p) for p in ("parameters", *err["loc"]))
            message = "unknown field" if err["type"] == "extra_forbidden" else err["msg"]
            errors.append({"field": path, "message": message})
        raise InvalidInput(f"Invalid parameters for {action}: {', '.join(e['field'] for e in errors)}",
                           errors=errors) from None


def _loads(text: str | None) -> Any:
    return json.loads(text) if text else None


def _command_out(command: RemoteCommand, version: str | None, operator_username: str | None) -> CommandOut:
    return CommandOut(
        id=command.id, device_id=command.device_id, action=command.action, ocpp_action=command.ocpp_action,
        ocpp_version=version, outcome=command.outcome, parameters=_loads(command.parameters) or {},
        response=_loads(command.response), requested_at=command.requested_at, answered_at=command.answered_at,
        operator_id=command.operator_id, operator_username=operator_username,
    )


@dataclass
class _Result:
    outcome: str
    response: dict[str, Any] | None = None
    answered_at: datetime | None = None
    problem: Problem | None = None


async def _ask(
    stations: StationGateway | None, device_id: str, parameters: CommandParameters, version: OcppVersion | None,
    ocpp_action: str, payload: dict[str, Any], wait: float,
) -> _Result:
    if stations is None or version is None:
        return _Result("offline", problem=StationOffline("The station is not connected; nothing was sent."))
    try:
        answer = await stations.call(device_id, ocpp_action, payload, wait)
    except StationUnreachable:
        return _Result("offline", problem=StationOffline("The station is not connected; nothing was sent."))
    except StationTimeout:
        return _Result("timeout", problem=StationTimedOut(
            f"The station did not answer within {wait:g} s; it may still carry out the command."
        ))
    except StationCallError as exc:
        error = {"code": exc.code, "description": exc.description, "details": exc.details}
        problem = StationError(
            f"The station answered {exc.code}" + (f": {exc.description}" if exc.description else "."),
            extra={"error_code": exc.code, "error_description": exc.description},
        )
        return _Result("error", error, utcnow(), problem)
    return _Result(parameters.outcome(version, answer), answer, utcnow())


# --- endpoints ---------------------------------------------------------------------------------


@router.post(
    "/devices/{device_id}/commands",
    response_model=CommandOut,
    summary="Send a command to a station",
    responses={
        403: {"description": "permission_denied, or command_not_permitted for an action the role may not run"},
        404: {"description": "No such device"},
        409: {"description": "station_offline (the attempt is recorded; `command` holds it)"},
        422: {"description": "invalid_input (with `parameters.*` fields), not_a_station, unsupported_by_station"},
        502: {"description": "station_error: the station answered with a CALLERROR (`error_code`, "
                             "`error_description`, `command`)"},
        504: {"description": "station_timeout: no answer in time (the attempt is recorded; `command` holds it)"},
    },
)
async def send_command(device_id: str, body: CommandIn, caller: RemoteOperator) -> Response:
    """Send one command to the station and answer with the station's answer (`outcome` accepted or
    rejected) — or with a problem when it is offline, answers with an error, or does not answer in
    time. Each attempt is stored and audited. With an `Idempotency-Key`, a retry gets the first
    answer and the station gets the command once."""
    model = COMMANDS[body.action]
    if not caller.can(model.permission):
        raise CommandNotPermitted(
            f"Your role does not allow {body.action} (needs {model.permission.value}).",
            extra={"action": body.action, "permission": model.permission.value},
        )
    parameters = _parameters(body.action, body.parameters)
    request = caller.request
    stations = _stations(request)
    timeout = body.timeout or _settings(request).command_timeout

    async def produce() -> tuple[int, Any, dict[str, str]]:
        session = caller.session
        device = await _device(session, device_id, caller)
        if device.kind not in STATION_KINDS or not device.ocpp_identity:
            raise NotAStation("Commands go to charging stations and wallboxes that speak OCPP.")
        connected = VERSIONS.get(stations.ocpp_version(device.id) or "") if stations else None
        version = connected or VERSIONS.get(device.ocpp_version or "", "1.6")
        command_id = new_id()
        try:
            call = build(parameters, version, request_id_for(command_id))
        except CommandParameterError as exc:
            raise FieldInvalid(f"parameters.{exc.field}", f"{exc.message} (the station speaks OCPP {version})",
                               "unsupported_by_station") from None
        requested_at = utcnow()
        # Nothing is written yet; ending the transaction frees the connection (and SQLite's write
        # lock) for the station's own messages while this request waits for its answer.
        await session.commit()
        result = await _ask(stations, device.id, parameters, connected, call.action, call.payload, timeout)
        command = RemoteCommand(
            id=command_id, device_id=device.id, operator_id=caller.operator.id, action=body.action,
            ocpp_action=call.action, ocpp_version=version,
            parameters=json.dumps(stored_parameters(parameters), ensure_ascii=False), outcome=result.outcome,
            response=None if result.response is None else json.dumps(result.response, ensure_ascii=False,
                                                                        default=str),
            requested_at=requested_at, answered_at=result.answered_at,
        )
        session.add(command)
        await caller.audit("device.command", "device", device.id, {
            "command_id": command_id, "action": body.action, "ocpp_action": call.action, "outcome": result.outcome,
        })  # fmt: skip
        out = _command_out(command, version, caller.operator.username).model_dump(mode="json")
        if result.problem is None:
            return 200, out, {}
        # A problem answer like any other, stored with the record: a retry replays it instead of
        # sending the command again.
        problem = result.problem
        problem.extra["command"] = out
        return problem.status, problem.body(request.url.path), {"Content-Type": PROBLEM_JSON}

    # The sign-in check opened a transaction (on SQLite one holding the write lock): close it
    # before waiting behind another attempt with the same key.
    await caller.session.commit()
    key = request.headers.get("idempotency-key")
    if not key:
        return await idempotent(caller, produce)
    async with in_flight.hold(caller.operator.id, key):
        return await idempotent(caller, produce)


@router.get("/devices/{device_id}/commands", response_model=CommandPage, summary="Command history of a station")
async def command_history(device_id: str, caller: Viewer, limit: Limit = 50, offset: Offset = 0) -> CommandPage:
    """The commands operators sent to the station, newest first, with what came of each.

    A remote start names the RFID tag charged with, so when the page shows one, the read of the
    device's customer is recorded in the audit trail as `customer.read`.
    """
    session = caller.session
    device = await _device(session, device_id, caller)
    condition = RemoteCommand.device_id == device.id
    total = int((await session.execute(select(func.count()).select_from(RemoteCommand).where(condition)))
                .scalar_one())
    rows = (
        await session.execute(
            select(RemoteCommand, Operator.username)
            .outerjoin(Operator, Operator.id == RemoteCommand.operator_id)
            .where(condition)
            .order_by(RemoteCommand.requested_at.desc(), RemoteCommand.id.desc())
            .limit(limit)
            .offset(offset)
        )
    ).all()
    items = [
        _command_out(command, command.ocpp_version, username)
        for command, username in rows
    ]
    if device.customer_id and any("id_tag" in item.parameters for item in items):
        await caller.audit("customer.read", "customer", device.customer_id,
                           {"via": "device_commands", "device_id": device.id})
        await session.commit()
    return CommandPage(items=items, total=total, limit=limit, offset=offset)


@router.get("/commands/catalogue", response_model=CatalogueOut, summary="The commands operators can send")
async def catalogue(caller: CurrentCaller, request: Request) -> CatalogueOut:
    """Every action with the JSON schema of its parameters, the permission it needs and whether
    the signed-in operator may run it — what the console builds its command dialog from."""
    return CatalogueOut(
        actions=[
            CatalogueEntryOut(
                action=action, summary=COMMANDS[action].summary, permission=COMMANDS[action].permission.value,
                allowed=caller.can(COMMANDS[action].permission),
                ocpp_actions={"1.6": COMMANDS[action].ocpp_action_16, "2.0.1": COMMANDS[action].ocpp_action_201},
                parameters=parameters_schema(action),
            )
            for action in ACTIONS
        ],
        default_timeout=_settings(request).command_timeout,
        max_timeout=MAX_TIMEOUT,
    )
