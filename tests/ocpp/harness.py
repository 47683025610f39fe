"""A live EMA server with its OCPP endpoint for tests, registered stations in its database, and
test stations driven by the `ocpp` package over real WebSockets on loopback."""

from __future__ import annotations

import asyncio
import base64
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import websockets
from ocpp.v16 import ChargePoint as ChargePoint16
from ocpp.v201 import ChargePoint as ChargePoint201
from websockets.asyncio.client import ClientConnection, connect

from ema_server.db.engine import Database
from ema_server.db.models import Connector, Customer, Device, Site
from ema_server.security import hash_station_password

PASSWORD = "station-secret-0001"
WAIT_SECONDS = 15.0


@dataclass
class Registered:
    device_id: str
    customer_id: str
    identity: str
    password: str = PASSWORD


async def register(db: Database, identity: str, *, connectors: int = 2, password: str = PASSWORD,
                   customer_number: str | None = None) -> Registered:
    """A customer with a site and a registered charging station (as the admin would register it)."""
    number = customer_number or f"C{abs(hash(identity)) % 10**6:06d}"
    async with db.sessions() as session:
        customer = Customer(customer_number=number, kind="municipality", name="Petr Novák",
                            company_name="Obec Hrabová")
        session.add(customer)
        await session.flush()
        site = Site(customer_id=customer.id, name="Náměstí", street="Náměstí 1", city="Brno", postal_code="60200",
                    district="Brno-město", region="Jihomoravský kraj", latitude=49.1951, longitude=16.6068)
        session.add(site)
        await session.flush()
        device = Device(customer_id=customer.id, site_id=site.id, kind="charging_station", vendor="ABB",
                        model="Terra AC", serial=f"SN-{identity}", ocpp_identity=identity, ocpp_version="1.6",
                        ocpp_password_hash=hash_station_password(password), region=site.region, status="Offline")
        session.add(device)
        await session.flush()
        for no in range(1, connectors + 1):
            session.add(Connector(device_id=device.id, connector_no=no, standard="Type2", max_power_kw=22.0))
        await session.commit()
        return Registered(device.id, customer.id, identity, password)


def basic(identity: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{identity}:{password}".encode()).decode()


def ws_url(http_url: str, identity: str) -> str:
    return http_url.replace("http://", "ws://", 1) + f"/ocpp/{identity}"


@dataclass
class TestStation:
    """A station driven by the `ocpp` package: `cp.call(...)` sends its messages."""

    cp: Any
    socket: ClientConnection
    task: asyncio.Task[None]


@contextlib.asynccontextmanager
async def station(server_url: str, reg: Registered, version: str = "1.6",
                  cp_class: type | None = None) -> AsyncIterator[TestStation]:
    """A connected test station; its ChargePoint's message loop runs until the block ends."""
    socket = await connect(ws_url(server_url, reg.identity), subprotocols=[f"ocpp{version}"],  # type: ignore[list-item]
                           additional_headers={"Authorization": basic(reg.identity, reg.password)},
                           open_timeout=WAIT_SECONDS)
    base = cp_class or (ChargePoint16 if version == "1.6" else ChargePoint201)
    cp = base(reg.identity, socket, response_timeout=WAIT_SECONDS)
    task = asyncio.create_task(_serve(cp))
    try:
        yield TestStation(cp, socket, task)
    finally:
        await socket.close()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def _serve(cp: Any) -> None:
    with contextlib.suppress(websockets.ConnectionClosed):
        await cp.start()


@contextlib.asynccontextmanager
async def raw_socket(server_url: str, reg: Registered, version: str = "1.6") -> AsyncIterator[ClientConnection]:
    """An authenticated OCPP WebSocket with nobody reading it: the test sends frames and reads
    the server's answers itself."""
    async with connect(ws_url(server_url, reg.identity), subprotocols=[f"ocpp{version}"],  # type: ignore[list-item]
                       additional_headers={"Authorization": basic(reg.identity, reg.password)},
                       open_timeout=WAIT_SECONDS) as socket:
        yield socket
