"""What the rest of the server needs from the connected stations: is a station online, and send it
one OCPP call and wait for the answer. The registry of live connections implements it; the
commands API depends only on this."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol


class StationUnreachable(Exception):
    """The station is not connected to this server."""


class StationTimeout(Exception):
    """The station did not answer within the timeout."""


@dataclass
class StationCallError(Exception):
    """The station answered with a CALLERROR."""

    code: str
    description: str
    details: dict[str, Any]


class StationGateway(Protocol):
    def is_connected(self, device_id: str) -> bool: ...

    def ocpp_version(self, device_id: str) -> str | None:
        """'1.6' or '2.0.1' for a connected station, None when it is not connected."""
        ...

    async def call(self, device_id: str, action: str, payload: dict[str, Any], timeout: float) -> dict[str, Any]:  # noqa: ASYNC109 - a per-command limit, passed on
        """Send one CALL (payload in OCPP's camelCase, validated against the version's schema first)
        and return the CALLRESULT payload.

        Raises StationUnreachable, StationTimeout, StationCallError, or ValueError when the payload
        does not satisfy the OCPP schema (nothing is sent then).
        """
        ...
