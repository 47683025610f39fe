"""One station's OCPP-J connection: reading frames, answering calls, sending the server's calls
and matching their answers, with the protocol errors and abuse limits of the endpoint.

Built on the `ocpp` package's message layer (unpacking, schema validation, error classes) but
routing itself, because the package sends nothing back for a frame that is not JSON and answers
an unknown action with NotSupported where OCPP-J says NotImplemented (NotSupported is for an
action the receiver knows but does not support).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from ocpp.exceptions import OCPPError
from ocpp.messages import Call, CallResult
from ocpp.v16.enums import Action as Action16
from ocpp.v201.enums import Action as Action201
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from ema_server.ocpp.frames import FrameLog
from ema_server.ocpp.gateway import StationCallError, StationTimeout
from ema_server.ocpp.settings import OcppSettings
from ema_server.ocpp.validation import validate

log = logging.getLogger("ema_server.ocpp")

CALL, CALL_RESULT, CALL_ERROR = 2, 3, 4
UNIQUE_ID_MAX = 36  # OCPP-J: the message id is at most 36 characters

# The error codes differ a little between the versions' OCPP-J specifications; the `ocpp`
# package uses the 2.0.1 spelling throughout.
_CODES_16 = {
    "FormatViolation": "FormationViolation",
    "OccurrenceConstraintViolation": "OccurenceConstraintViolation",
    "RpcFrameworkError": "FormationViolation",
    "MessageTypeNotSupported": "ProtocolError",
}
_CODES_201 = {"FormationViolation": "FormatViolation", "OccurenceConstraintViolation": "OccurrenceConstraintViolation"}
_KNOWN_ACTIONS = {"1.6": {a.value for a in Action16}, "2.0.1": {a.value for a in Action201}}


class CallHandlers(Protocol):
    """A version's handlers: action → coroutine taking the payload (camelCase) and returning the
    answer's payload; raises an `ocpp` OCPPError for a CALLERROR."""

    def handler(self, action: str) -> Callable[[dict[str, Any]], Awaitable[dict[str, Any]]] | None: ...


class ProtocolFault(Exception):
    """A frame that is not a valid OCPP-J message: answered with a CALLERROR of this code."""

    def __init__(self, code: str, description: str, unique_id: str = "-1") -> None:
        super().__init__(description)
        self.code, self.description, self.unique_id = code, description, unique_id


class StationConnection:
    """A connected station. `run()` serves it until the socket closes; `call()` sends it a command."""

    def __init__(
        self,
        websocket: WebSocket,
        *,
        device_id: str,
        identity: str,
        ocpp_version: str,
        settings: OcppSettings,
        frame_log: FrameLog,
        validate_answers: bool = False,
    ) -> None:
        self.websocket = websocket
        self.device_id = device_id
        self.identity = identity
        self.ocpp_version = ocpp_version
        self.settings = settings
        self.handlers: CallHandlers | None = None
        self._frames = frame_log
        self._validate_answers = validate_answers
        self._pending: dict[str, tuple[str, asyncio.Future[tuple[int, Any]]]] = {}
        self._call_lock = asyncio.Lock()
        self._window_start = time.monotonic()
        self._window_count = 0
        self.last_message_at = time.monotonic()
        self.close_reason = "connection closed"

    # --- serving ---------------------------------------------------------------------------

    async def run(self) -> None:
        try:
            while True:
                message = await self.websocket.receive()
                if message["type"] == "websocket.disconnect":
                    return
                text = message.get("text")
                if text is None:
                    raw = message.get("bytes") or b""
                    self._frames.add(self.device_id, "in", None, None, None, raw.decode("utf-8", "replace"))
                    await self._send_error(ProtocolFault("FormatViolation", "OCPP-J frames are text, not binary"))
                    continue
                self.last_message_at = time.monotonic()
                if len(text) > self.settings.max_frame_bytes:
                    log.warning("station %s closed: a frame of %d characters", self.identity, len(text))
                    await self.close(1009, "frame too large")
                    return
                if self._flooding():
                    log.warning("station %s closed: more than %d frames in %.0f s", self.identity,
                                self.settings.flood_messages, self.settings.flood_window_seconds)
                    await self.close(1008, "message flood")
                    return
                await self._on_frame(text)
        except WebSocketDisconnect:
            return
        finally:
            for _, future in self._pending.values():
                if not future.done():
                    future.cancel()

    def _flooding(self) -> bool:
        now = time.monotonic()
        if now - self._window_start > self.settings.flood_window_seconds:
            self._window_start, self._window_count = now, 0
        self._window_count += 1
        return self._window_count > self.settings.flood_messages

    async def _on_frame(self, text: str) -> None:
        try:
            message = self._parse(text)
        except ProtocolFault as fault:
            self._frames.add(self.device_id, "in", None, fault.unique_id if fault.unique_id != "-1" else None, None,
                             text)
            await self._send_error(fault)
            return
        kind, unique_id = message[0], message[1]
        if kind == CALL:
            action, payload = message[2], message[3]
            self._frames.add(self.device_id, "in", CALL, unique_id, action, text)
            await self._on_call(unique_id, action, payload)
            return
        pending = self._pending.pop(unique_id, None)
        self._frames.add(self.device_id, "in", kind, unique_id, pending[0] if pending else None, text)
        if pending is None:
            log.info("station %s answered an unknown or expired call", self.identity)
            return
        if not pending[1].done():
            pending[1].set_result((kind, message))

    def _parse(self, text: str) -> list[Any]:
        try:
            message = json.loads(text)
        except (ValueError, RecursionError):
            raise ProtocolFault("RpcFrameworkError", "frame is not valid JSON") from None
        if not isinstance(message, list) or not message:
            raise ProtocolFault("RpcFrameworkError", "frame is not a JSON array")
        kind = message[0]
        unique_id = message[1] if len(message) > 1 and isinstance(message[1], str) else None
        if kind not in (CALL, CALL_RESULT, CALL_ERROR) or isinstance(kind, bool):
            raise ProtocolFault("MessageTypeNotSupported", f"unknown message type {str(kind)[:20]}", unique_id or "-1")
        if unique_id is None or not 0 < len(unique_id) <= UNIQUE_ID_MAX:
            raise ProtocolFault("RpcFrameworkError", "message id must be a string of 1 to 36 characters")
        expected = {CALL: 4, CALL_RESULT: 3, CALL_ERROR: 5}[kind]
        if len(message) != expected and not (kind == CALL_ERROR and len(message) == 4):
            raise ProtocolFault("ProtocolError", f"a message of type {kind} has {expected} elements", unique_id)
        if kind == CALL:
            if not isinstance(message[2], str) or not message[2]:
                raise ProtocolFault("ProtocolError", "action must be a non-empty string", unique_id)
            if not isinstance(message[3], dict):
                raise ProtocolFault("FormatViolation", "payload must be a JSON object", unique_id)
        return message

    async def _on_call(self, unique_id: str, action: str, payload: dict[str, Any]) -> None:
        handler = self.handlers.handler(action) if self.handlers is not None else None
        if handler is None:
            if action in _KNOWN_ACTIONS[self.ocpp_version]:
                fault = ProtocolFault("NotSupported", f"{action[:64]} is not supported by this server", unique_id)
            else:
                fault = ProtocolFault("NotImplemented", f"unknown action {action[:64]}", unique_id)
            await self._send_error(fault, action)
            return
        try:
            validate(Call(unique_id, action, payload), self.ocpp_version)
        except OCPPError as error:
            await self._send_error(ProtocolFault(error.code, _describe(error), unique_id), action)
            return
        try:
            answer = await handler(payload)
        except OCPPError as error:
            await self._send_error(ProtocolFault(error.code, _describe(error), unique_id), action)
            return
        except Exception:
            log.exception("station %s: handling %s failed", self.identity, action)
            await self._send_error(ProtocolFault("InternalError", "the server could not process the call", unique_id),
                                   action)
            return
        if self._validate_answers:
            result = CallResult(unique_id, answer)
            result.action = action
            validate(result, self.ocpp_version)
        await self._send(json.dumps([CALL_RESULT, unique_id, answer], separators=(",", ":")), CALL_RESULT,
                         unique_id, action)

    async def _send_error(self, fault: ProtocolFault, action: str | None = None) -> None:
        codes = _CODES_16 if self.ocpp_version == "1.6" else _CODES_201
        code = codes.get(fault.code, fault.code)
        frame = json.dumps([CALL_ERROR, fault.unique_id, code, fault.description[:255], {}], separators=(",", ":"))
        await self._send(frame, CALL_ERROR, fault.unique_id, action)

    async def _send(self, frame: str, kind: int, unique_id: str | None, action: str | None) -> None:
        self._frames.add(self.device_id, "out", kind, unique_id, action, frame)
        with contextlib.suppress(WebSocketDisconnect, RuntimeError, OSError):
            await self.websocket.send_text(frame)

    # --- the server's calls ----------------------------------------------------------------

    async def call(self, action: str, payload: dict[str, Any], timeout: float) -> dict[str, Any]:  # noqa: ASYNC109 - a per-command limit, passed on
        """Send a CALL and return the CALLRESULT payload (see StationGateway.call)."""
        try:
            validate(Call("0", action, payload), self.ocpp_version)
        except OCPPError as error:
            raise ValueError(f"{action} payload is not valid OCPP {self.ocpp_version}: {_describe(error)}") from None
        # OCPP-J allows one outstanding call per direction: commands queue behind each other.
        async with self._call_lock:
            unique_id = str(uuid.uuid4())
            future: asyncio.Future[tuple[int, Any]] = asyncio.get_running_loop().create_future()
            self._pending[unique_id] = (action, future)
            try:
                await self._send(json.dumps([CALL, unique_id, action, payload], separators=(",", ":")), CALL,
                                 unique_id, action)
                kind, message = await asyncio.wait_for(future, timeout)
            except TimeoutError:
                raise StationTimeout(f"no answer to {action} within {timeout:g} s") from None
            except asyncio.CancelledError:
                if future.cancelled():  # the connection went away while we waited
                    raise StationTimeout(f"the station disconnected before answering {action}") from None
                raise
            finally:
                self._pending.pop(unique_id, None)
        if kind == CALL_ERROR:
            details = message[4] if len(message) > 4 and isinstance(message[4], dict) else {}
            raise StationCallError(str(message[2])[:64], str(message[3])[:255], details)
        answer = message[2]
        if not isinstance(answer, dict):
            raise StationCallError("FormatViolation", "the station's answer is not a JSON object", {})
        result = CallResult(unique_id, answer)
        result.action = action
        try:
            validate(result, self.ocpp_version)
        except OCPPError as error:
            raise StationCallError(error.code, f"the station's answer is not valid: {_describe(error)}", {}) from None
        return answer

    async def close(self, code: int = 1000, reason: str = "") -> None:
        if self.websocket.application_state != WebSocketState.DISCONNECTED:
            with contextlib.suppress(RuntimeError, OSError, WebSocketDisconnect):
                await self.websocket.close(code, reason)


def _describe(error: OCPPError) -> str:
    cause = error.details.get("cause") if isinstance(error.details, dict) else None
    return str(cause or error.description)[:255]
