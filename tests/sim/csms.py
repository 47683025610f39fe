"""A small central system for the simulator's end-to-end tests, built on the ocpp package.

It serves ``/ocpp/<identity>`` on 127.0.0.1 (port 0) with ``websockets.asyncio.server``, refuses
a wrong or missing HTTP Basic password with 401 before the upgrade, answers every station message
the way a server would (with ocpp ChargePoints on the CSMS side, which validate each message
against the OCPP schemas), and records every frame so tests can wait for what a station sent.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any, TypeVar
from urllib.parse import unquote

from ocpp.v16 import ChargePoint as Cp16
from ocpp.v16 import call_result as result16
from ocpp.v16.enums import Action as Action16
from ocpp.v201 import ChargePoint as Cp201
from ocpp.v201 import call_result as result201
from ocpp.v201.enums import Action as Action201
from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

from ema_sim.link import on_call

T = TypeVar("T")
WAIT_S = 20.0


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass
class StationRecord:
    """Everything one station did against the CSMS, across connections."""

    identity: str
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    """(action, payload as on the wire) of every CALL the station sent."""
    errors_sent: list[list[Any]] = field(default_factory=list)
    """CALLERRORs the CSMS answered with (a schema-invalid station message lands here)."""
    connections: int = 0
    disconnects: int = 0
    refused: int = 0
    subprotocols: list[str | None] = field(default_factory=list)
    authorization: list[str | None] = field(default_factory=list)
    cp: Any = None

    def of(self, action: str) -> list[dict[str, Any]]:
        return [payload for name, payload in self.calls if name == action]

    def actions(self) -> list[str]:
        return [name for name, _ in self.calls]

    def count(self, action: str) -> int:
        return sum(1 for name, _ in self.calls if name == action)


class Csms:
    def __init__(self, passwords: dict[str, str], *, heartbeat_interval: int = 60) -> None:
        self.passwords = dict(passwords)
        self.heartbeat_interval = heartbeat_interval
        self.stations: dict[str, StationRecord] = {}
        self.boot_answers: dict[str, list[tuple[str, int]]] = {}
        """Per station, answers to its next BootNotifications (status, interval); then Accepted."""
        self.rejected_tags: set[str] = set()
        self._changed = asyncio.Condition()
        self._server: Server | None = None
        self.port = 0
        self._transaction_ids = itertools.count(1001)

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/ocpp"

    def record(self, identity: str) -> StationRecord:
        return self.stations.setdefault(identity, StationRecord(identity))

    async def start(self) -> None:
        self._server = await serve(
            self._handle,
            "127.0.0.1",
            self.port,
            subprotocols=["ocpp1.6", "ocpp2.0.1"],  # type: ignore[list-item]
            process_request=self._check_credentials,
            compression=None,
        )
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None

    async def __aenter__(self) -> Csms:
        await self.start()
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.stop()

    def _check_credentials(self, connection: ServerConnection, request: Request) -> Response | None:
        identity = unquote(request.path.rsplit("/", 1)[-1])
        record = self.record(identity)
        header = request.headers.get("Authorization")
        record.authorization.append(header)
        expected = self.passwords.get(identity)
        if expected is not None and header == "Basic " + base64.b64encode(f"{identity}:{expected}".encode()).decode():
            return None
        record.refused += 1
        self._notify_soon()
        return connection.respond(HTTPStatus.UNAUTHORIZED, "unauthorized\n")

    async def _handle(self, connection: ServerConnection) -> None:
        assert connection.request is not None
        identity = unquote(connection.request.path.rsplit("/", 1)[-1])
        record = self.record(identity)
        record.connections += 1
        record.subprotocols.append(connection.subprotocol)
        cls = Central16 if connection.subprotocol == "ocpp1.6" else Central201
        cp = cls(identity, connection, csms=self, record=record)
        record.cp = cp
        await self.notify()
        try:
            await cp.start()
        except ConnectionClosed:
            pass
        finally:
            if record.cp is cp:
                record.cp = None
            record.disconnects += 1
            await self.notify()

    async def notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    def _notify_soon(self) -> None:
        asyncio.get_running_loop().create_task(self.notify())

    async def wait_for(
        self, identity: str, check: Callable[[StationRecord], object], within: float = WAIT_S
    ) -> StationRecord:
        """Wait until ``check(record)`` is true of what the station sent; returns the record."""
        await self.wait_value(identity, lambda r: r if check(r) else None, within)
        return self.record(identity)

    async def wait_value(self, identity: str, check: Callable[[StationRecord], T | None], within: float = WAIT_S) -> T:
        """Wait until ``check(record)`` gives something other than None, and return that."""
        record = self.record(identity)
        try:
            async with asyncio.timeout(within), self._changed:
                await self._changed.wait_for(lambda: check(record) is not None)
        except TimeoutError:
            summary = [
                (action, payload.get("status") or payload.get("reason") or "") for action, payload in record.calls
            ]
            raise AssertionError(f"{identity} did not get there within {within} s; it sent {summary}") from None
        found = check(record)
        assert found is not None
        return found

    async def call(self, identity: str, payload: Any) -> Any:
        """Send an operator command to a connected station and return its answer."""
        record = await self.wait_for(identity, lambda r: r.cp is not None)
        return await record.cp.call(payload, suppress=False)

    def next_boot(self, identity: str) -> tuple[str, int]:
        queued = self.boot_answers.get(identity)
        if queued:
            return queued.pop(0)
        return "Accepted", self.heartbeat_interval

    def next_transaction_id(self) -> int:
        return next(self._transaction_ids)


class _Recording:
    """Records every frame in and out of a CSMS-side ChargePoint."""

    csms: Csms
    record: StationRecord

    async def route_message(self, raw_msg: str) -> None:
        message = json.loads(raw_msg)
        if isinstance(message, list) and message and message[0] == 2:
            self.record.calls.append((message[2], message[3]))
        await super().route_message(raw_msg)  # type: ignore[misc]
        await self.csms.notify()

    async def _send(self, message: str) -> None:
        parsed = json.loads(message)
        if parsed[0] == 4:
            self.record.errors_sent.append(parsed)
        await super()._send(message)  # type: ignore[misc]


class Central16(_Recording, Cp16):  # type: ignore[misc]
    def __init__(self, identity: str, connection: ServerConnection, *, csms: Csms, record: StationRecord) -> None:
        super().__init__(identity, connection, response_timeout=10)
        self.csms = csms
        self.record = record

    @on_call(Action16.boot_notification)
    def on_boot(self, **_: Any) -> Any:
        status, interval = self.csms.next_boot(self.id)
        return result16.BootNotification(current_time=now(), interval=interval, status=status)

    @on_call(Action16.heartbeat)
    def on_heartbeat(self, **_: Any) -> Any:
        return result16.Heartbeat(current_time=now())

    @on_call(Action16.status_notification)
    def on_status(self, **_: Any) -> Any:
        return result16.StatusNotification()

    @on_call(Action16.meter_values)
    def on_meter_values(self, **_: Any) -> Any:
        return result16.MeterValues()

    @on_call(Action16.authorize)
    def on_authorize(self, id_tag: str, **_: Any) -> Any:
        return result16.Authorize(
            id_tag_info={"status": "Invalid" if id_tag in self.csms.rejected_tags else "Accepted"}
        )

    @on_call(Action16.start_transaction)
    def on_start(self, id_tag: str, **_: Any) -> Any:
        status = "Invalid" if id_tag in self.csms.rejected_tags else "Accepted"
        return result16.StartTransaction(transaction_id=self.csms.next_transaction_id(), id_tag_info={"status": status})

    @on_call(Action16.stop_transaction)
    def on_stop(self, **_: Any) -> Any:
        return result16.StopTransaction()

    @on_call(Action16.diagnostics_status_notification)
    def on_diagnostics_status(self, **_: Any) -> Any:
        return result16.DiagnosticsStatusNotification()

    @on_call(Action16.firmware_status_notification)
    def on_firmware_status(self, **_: Any) -> Any:
        return result16.FirmwareStatusNotification()

    @on_call(Action16.data_transfer)
    def on_data_transfer(self, **_: Any) -> Any:
        return result16.DataTransfer(status="Accepted")


class Central201(_Recording, Cp201):  # type: ignore[misc]
    def __init__(self, identity: str, connection: ServerConnection, *, csms: Csms, record: StationRecord) -> None:
        super().__init__(identity, connection, response_timeout=10)
        self.csms = csms
        self.record = record

    @on_call(Action201.boot_notification)
    def on_boot(self, **_: Any) -> Any:
        status, interval = self.csms.next_boot(self.id)
        return result201.BootNotification(current_time=now(), interval=interval, status=status)

    @on_call(Action201.heartbeat)
    def on_heartbeat(self, **_: Any) -> Any:
        return result201.Heartbeat(current_time=now())

    @on_call(Action201.status_notification)
    def on_status(self, **_: Any) -> Any:
        return result201.StatusNotification()

    @on_call(Action201.meter_values)
    def on_meter_values(self, **_: Any) -> Any:
        return result201.MeterValues()

    @on_call(Action201.notify_event)
    def on_notify_event(self, **_: Any) -> Any:
        return result201.NotifyEvent()

    @on_call(Action201.authorize)
    def on_authorize(self, id_token: dict[str, Any], **_: Any) -> Any:
        status = "Invalid" if id_token["id_token"] in self.csms.rejected_tags else "Accepted"
        return result201.Authorize(id_token_info={"status": status})

    @on_call(Action201.transaction_event)
    def on_transaction_event(self, event_type: str, id_token: dict[str, Any] | None = None, **_: Any) -> Any:
        if event_type == "Started" and id_token is not None:
            status = "Invalid" if id_token["id_token"] in self.csms.rejected_tags else "Accepted"
            return result201.TransactionEvent(id_token_info={"status": status})
        return result201.TransactionEvent()

    @on_call(Action201.firmware_status_notification)
    def on_firmware_status(self, **_: Any) -> Any:
        return result201.FirmwareStatusNotification()

    @on_call(Action201.log_status_notification)
    def on_log_status(self, **_: Any) -> Any:
        return result201.LogStatusNotification()

    @on_call(Action201.data_transfer)
    def on_data_transfer(self, **_: Any) -> Any:
        return result201.DataTransfer(status="Accepted")
