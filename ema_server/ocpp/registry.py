"""Which stations are connected to this server process, and sending them operators' commands.

Implements ``ema_server.ocpp.gateway.StationGateway``. A station that connects again while its
old connection is still open (a half-open TCP connection after a network change, typically)
replaces it: the old socket is closed without marking the station offline.
"""

from __future__ import annotations

import asyncio
from typing import Any

from ema_server.ocpp.connection import StationConnection
from ema_server.ocpp.gateway import StationUnreachable


class StationRegistry:
    def __init__(self) -> None:
        self._by_device: dict[str, StationConnection] = {}

    def __len__(self) -> int:
        return len(self._by_device)

    def connections(self) -> list[StationConnection]:
        return list(self._by_device.values())

    def get(self, device_id: str) -> StationConnection | None:
        return self._by_device.get(device_id)

    def add(self, connection: StationConnection) -> StationConnection | None:
        """Register a new connection; returns the one it replaces, if any (the caller closes it)."""
        previous = self._by_device.get(connection.device_id)
        self._by_device[connection.device_id] = connection
        return previous

    def remove(self, connection: StationConnection) -> bool:
        """Forget a closed connection; False when a newer connection of the station replaced it."""
        if self._by_device.get(connection.device_id) is connection:
            del self._by_device[connection.device_id]
            return True
        return False

    def is_current(self, connection: StationConnection) -> bool:
        return self._by_device.get(connection.device_id) is connection

    # --- StationGateway ----------------------------------------------------------------------

    def is_connected(self, device_id: str) -> bool:
        return device_id in self._by_device

    def ocpp_version(self, device_id: str) -> str | None:
        connection = self._by_device.get(device_id)
        return connection.ocpp_version if connection else None

    async def call(self, device_id: str, action: str, payload: dict[str, Any], timeout: float) -> dict[str, Any]:  # noqa: ASYNC109 - a per-command limit, passed on
        connection = self._by_device.get(device_id)
        if connection is None:
            raise StationUnreachable("the station is not connected")
        return await connection.call(action, payload, timeout)

    async def close_all(self, code: int = 1001, reason: str = "server stopping") -> None:
        await asyncio.gather(*(c.close(code, reason) for c in self.connections()), return_exceptions=True)
