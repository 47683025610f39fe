"""The OCPP side of a running server: the WebSocket endpoint, the live connections, the writer and
frame log they share, and the watchdog. One instance per server process, on `app.state.ocpp`.

Connectivity is tracked by this process: it assumes it is the only server stations connect to
(a second instance sharing the database would see the first one's stations as not connected).
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import hashlib
import json
import logging
import re
import time
from typing import Any

from ocpp.exceptions import OCPPError
from ocpp.messages import Call
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import PlainTextResponse
from starlette.websockets import WebSocket, WebSocketDisconnect

from ema_server.db.engine import Database
from ema_server.db.models import Device, UnknownStation, utcnow
from ema_server.ocpp.connection import StationConnection
from ema_server.ocpp.frames import FrameLog
from ema_server.ocpp.registry import StationRegistry
from ema_server.ocpp.settings import SUBPROTOCOLS, OcppSettings
from ema_server.ocpp.station import StationService
from ema_server.ocpp.telemetry_ingest import TelemetryIngest
from ema_server.ocpp.v16 import Handlers16, now_text
from ema_server.ocpp.v201 import Handlers201
from ema_server.ocpp.validation import validate
from ema_server.ocpp.watchdog import Watchdog
from ema_server.ocpp.writer import StationWriter
from ema_server.security import verify_station_password

log = logging.getLogger("ema_server.ocpp")

# OCPP 1.6 security whitepaper / 2.0.1: the identity is at most 48 of these characters.
IDENTITY = re.compile(r"[A-Za-z0-9*\-_=:+|@.]{1,48}")
SUBPROTOCOL_PREFERENCE = ("ocpp2.0.1", "ocpp1.6")
SERVER_STOPPED = "server stopped"


class OcppRuntime:
    def __init__(self, db: Database, settings: OcppSettings, *, validate_answers: bool = False) -> None:
        self.db = db
        self.settings = settings
        self.registry = StationRegistry()
        self.writer = StationWriter(db)
        self.frames = FrameLog(self.writer)
        self.telemetry = TelemetryIngest(self.writer)
        self.watchdog = Watchdog(self)
        self.validate_answers = validate_answers
        self.stopping = False
        self._verified: dict[str, tuple[str, str]] = {}
        """identity → (stored hash, sha256 of the password that verified against it): a station
        reconnecting with the same password costs a hash lookup, not an argon2 verification."""
        self._serving = 0
        self._idle = asyncio.Event()
        self._idle.set()

    async def start(self) -> None:
        self.writer.start()
        self.frames.start()
        self.watchdog.start()

    async def close_connections(self) -> None:
        """Close every station's connection (recorded as 'server stopped', which opens no offline
        ticket) and wait until their handlers are done. The server calls this before it waits for
        open connections to end, since a station's never does by itself."""
        self.stopping = True
        await self.registry.close_all(1001, "server stopping")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._idle.wait(), 10)

    async def stop(self) -> None:
        """Close the connections, then finish the queued writes."""
        await self.close_connections()
        await self.watchdog.stop()
        await self.frames.stop()
        await self.writer.stop()

    # --- the endpoint ----------------------------------------------------------------------

    async def serve(self, websocket: WebSocket) -> None:
        identity = websocket.path_params.get("identity", "")
        address = websocket.client.host if websocket.client else "unknown"
        if self.stopping:
            await _deny(websocket, 503, "server stopping")
            return
        if not IDENTITY.fullmatch(identity):
            await _deny(websocket, 400, "invalid station identity")
            return
        offered = list(websocket.scope.get("subprotocols") or [])
        subprotocol = next((p for p in SUBPROTOCOL_PREFERENCE if p in offered), None)
        if subprotocol is None:
            log.warning("station %s refused: no supported OCPP subprotocol offered", identity)
            await _deny(websocket, 400, "offer subprotocol ocpp1.6 or ocpp2.0.1")
            return
        credentials = _basic_credentials(websocket.headers.get("authorization"))
        device = await self._device(identity)
        if device is None:
            await self._record_unknown(identity, address, offered)
            if self.settings.unknown_stations == "quarantine":
                log.info("unregistered station %s admitted to quarantine (from %s)", identity, address)
                await websocket.accept(subprotocol=subprotocol)
                await self._quarantine(websocket, identity, SUBPROTOCOLS[subprotocol])
                return
            log.warning("unregistered station %s refused (from %s)", identity, address)
            await _deny(websocket, 401, "unknown station or wrong password", challenge=True)
            return
        device_id, password_hash = device
        if credentials is None or credentials[0] != identity or not await self._verify(identity, password_hash,
                                                                                      credentials[1]):
            log.warning("station %s refused: %s (from %s)", identity,
                        "no credentials" if credentials is None else "wrong identity or password", address)
            await _deny(websocket, 401, "unknown station or wrong password", challenge=True)
            return
        await websocket.accept(subprotocol=subprotocol)
        await self._run(websocket, device_id, identity, SUBPROTOCOLS[subprotocol])

    async def _run(self, websocket: WebSocket, device_id: str, identity: str, version: str) -> None:
        connection = StationConnection(websocket, device_id=device_id, identity=identity, ocpp_version=version,
                                       settings=self.settings, frame_log=self.frames,
                                       validate_answers=self.validate_answers)
        station = StationService(self.writer, self.telemetry, device_id, identity, version)
        interval = self.settings.heartbeat_interval
        connection.handlers = Handlers16(station, interval) if version == "1.6" else Handlers201(station, interval)
        self._serving += 1
        self._idle.clear()
        try:
            previous = self.registry.add(connection)
            if previous is not None:
                previous.close_reason = "replaced"
                await previous.close(1000, "replaced by a new connection")
            await station.connected()
            log.info("station %s connected (OCPP %s)", identity, version)
            await connection.run()
        finally:
            try:
                if self.registry.remove(connection):
                    reason = SERVER_STOPPED if self.stopping else connection.close_reason
                    await station.disconnected(reason)
                    log.info("station %s disconnected: %s", identity, reason)
            except Exception as exc:  # the server is going down under us: the next start re-checks
                log.warning("station %s: recording the disconnect failed (%s)", identity, type(exc).__name__)
            self._serving -= 1
            if self._serving == 0:
                self._idle.set()

    async def _quarantine(self, websocket: WebSocket, identity: str, version: str) -> None:
        """An unregistered station may say who it is: its BootNotification is kept for the
        administrator and answered Rejected, then the connection is closed. Nothing else is taken."""
        with contextlib.suppress(WebSocketDisconnect, TimeoutError):
            async with asyncio.timeout(self.settings.heartbeat_interval):
                while True:
                    text = await websocket.receive_text()
                    try:
                        message = json.loads(text)
                        unique_id, action, payload = message[1], message[2], message[3]
                        validate(Call(unique_id, action, payload), version)
                    except (ValueError, TypeError, IndexError, KeyError, OCPPError):
                        continue
                    if action != "BootNotification":
                        await websocket.send_text(json.dumps(
                            [4, unique_id, "SecurityError", "the station is not registered", {}]))
                        continue
                    await self._record_boot(identity, boot_info(version, payload))
                    await websocket.send_text(json.dumps([3, unique_id, {
                        "status": "Rejected", "currentTime": now_text(), "interval": self.settings.heartbeat_interval,
                    }]))  # fmt: skip
                    break
        with contextlib.suppress(RuntimeError, OSError, WebSocketDisconnect):
            await websocket.close(1000, "not registered")

    async def _record_boot(self, identity: str, info: dict[str, str | None]) -> None:
        async def work(session: AsyncSession) -> None:
            unknown = await session.get(UnknownStation, identity)
            if unknown is not None:
                unknown.boot_info = json.dumps(info, ensure_ascii=False)

        await self.writer.run(work)

    async def _device(self, identity: str) -> tuple[str, str | None] | None:
        # Through the writer: on SQLite every transaction takes the write lock, and waiting for it
        # beside the writer's commits costs far more than joining one of them.
        async def work(session: AsyncSession) -> tuple[str, str | None] | None:
            row = (await session.execute(
                select(Device.id, Device.ocpp_password_hash).where(Device.ocpp_identity == identity)
            )).one_or_none()
            return (row[0], row[1]) if row else None

        return await self.writer.run(work)

    async def _verify(self, identity: str, password_hash: str | None, password: str) -> bool:
        if password_hash is None:
            return False
        digest = hashlib.sha256(password.encode()).hexdigest()
        if self._verified.get(identity) == (password_hash, digest):
            return True
        if not await asyncio.to_thread(verify_station_password, password_hash, password):
            return False
        self._verified[identity] = (password_hash, digest)
        return True

    async def _record_unknown(self, identity: str, address: str, offered: list[str]) -> None:
        protocols = ",".join(p for p in offered if p in SUBPROTOCOLS)[:64] or None

        async def work(session: AsyncSession) -> None:
            now = utcnow()
            values: dict[str, Any] = {"identity": identity, "attempts": 1, "first_attempt_at": now,
                                      "last_attempt_at": now, "last_address": address[:64], "subprotocols": protocols}
            dialect = (await session.connection()).dialect.name
            insert = (sqlite.insert if dialect == "sqlite" else postgresql.insert)(UnknownStation).values(**values)
            await session.execute(insert.on_conflict_do_update(
                index_elements=[UnknownStation.identity],
                set_={"attempts": UnknownStation.attempts + 1, "last_attempt_at": now,
                      "last_address": address[:64], "subprotocols": protocols},
            ))

        try:
            await self.writer.run(work)
        except Exception as exc:
            log.warning("could not record the unknown station (%s)", type(exc).__name__)

    # --- the watchdog's view ---------------------------------------------------------------

    def silent_connections(self) -> list[StationConnection]:
        limit = self.settings.heartbeat_interval * self.settings.missed_heartbeats
        now = time.monotonic()
        return [c for c in self.registry.connections() if now - c.last_message_at > limit]

    def connected_device_ids(self) -> set[str]:
        return {c.device_id for c in self.registry.connections()}


def boot_info(version: str, payload: dict[str, Any]) -> dict[str, str | None]:
    """Vendor, model, serial and firmware from either version's BootNotification."""
    if version == "1.6":
        return {"vendor": payload.get("chargePointVendor"), "model": payload.get("chargePointModel"),
                "serial": payload.get("chargePointSerialNumber") or payload.get("chargeBoxSerialNumber"),
                "firmware": payload.get("firmwareVersion")}
    station = payload.get("chargingStation") or {}
    return {"vendor": station.get("vendorName"), "model": station.get("model"),
            "serial": station.get("serialNumber"), "firmware": station.get("firmwareVersion")}


def _basic_credentials(header: str | None) -> tuple[str, str] | None:
    if not header or header[:6].lower() != "basic ":
        return None
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    username, colon, password = decoded.partition(":")
    return (username, password) if colon else None


async def _deny(websocket: WebSocket, status: int, text: str, *, challenge: bool = False) -> None:
    headers = {"WWW-Authenticate": 'Basic realm="EMA OCPP", charset="UTF-8"'} if challenge else None
    response = PlainTextResponse(text, status_code=status, headers=headers)
    if "websocket.http.response" in websocket.scope.get("extensions", {}):
        await websocket.send_denial_response(response)
    else:  # servers without denial responses answer a plain 403
        await websocket.close(1008, text)


