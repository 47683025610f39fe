"""The boundary between a station's behaviour and its OCPP version.

`StationBehaviour` decides *what* a station does in version-neutral terms and tells a
`StationLink` to say it; `ocpp16.Station16` and `ocpp201.Station201` are the two links, each an
`ocpp` package ChargePoint that turns those calls into its version's messages and turns the
server's commands into calls on the behaviour. This module also holds what both links share:
the exceptions a link raises, the measurands of a meter reading, timestamps, typed wrappers for
the `ocpp` routing decorators, and `OcppLinkBase` (sending with error translation, and running a
command's follow-up only after its answer has been sent).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast

from ocpp.exceptions import OCPPError
from ocpp.routing import after, on
from websockets.exceptions import ConnectionClosed

from ema_sim.physics import MeterReading

if TYPE_CHECKING:
    from ema_sim.station import BootReason, Connector, Session

__all__ = [
    "BootAnswer",
    "CallFailed",
    "FollowUp",
    "LinkClosed",
    "OcppLinkBase",
    "Sample",
    "StationLink",
    "after_call",
    "on_call",
    "samples",
    "timestamp",
]

FollowUp = Callable[[], Coroutine[Any, Any, None]]
"""Work a command starts once its answer is on the wire (a reboot, a status sequence)."""
F = TypeVar("F", bound=Callable[..., Any])


class LinkClosed(ConnectionError):
    """The connection to the server is gone; the station will reconnect."""


class CallFailed(Exception):
    """The server answered a message with a CALLERROR, or not within the response timeout."""


@dataclass(frozen=True)
class BootAnswer:
    status: str
    """Accepted, Pending or Rejected."""
    interval: float


class StationLink(Protocol):
    """What a station says to the server, independent of the OCPP version.

    Every method raises LinkClosed when the connection is gone and CallFailed when the server
    answers with an error or not at all.
    """

    async def boot(self, reason: BootReason) -> BootAnswer: ...
    async def heartbeat(self) -> None: ...
    async def station_status(self) -> None:
        """The station as a whole (1.6 connector 0; nothing in 2.0.1)."""

    async def connector_status(self, connector: Connector, *, force: bool = False) -> None:
        """Report ``connector.status`` (2.0.1 may turn it into a charging-state change); ``force``
        reports it even when the link already did."""

    async def authorize(self, id_tag: str) -> bool: ...
    async def start_transaction(self, session: Session, reading: MeterReading) -> bool:
        """Sets ``session.transaction_id``; False when the server does not accept the id tag."""

    async def transaction_meter_values(
        self, session: Session, reading: MeterReading, *, triggered: bool = False
    ) -> None: ...

    async def meter_values(self, connector: Connector, reading: MeterReading, *, triggered: bool = False) -> None:
        """Meter values of a connector without a transaction (clock-aligned, or triggered)."""

    async def stop_transaction(self, session: Session, reading: MeterReading, *, offline: bool = False) -> None:
        """Report the end of ``session`` (stop_reason, stopped_at and meter_stop_wh are set)."""

    async def firmware_status(self, status: str, request_id: int | None) -> None: ...
    async def upload_status(self, status: str, request_id: int | None) -> None:
        """1.6 DiagnosticsStatusNotification, 2.0.1 LogStatusNotification."""

    async def data_transfer(self, message_id: str, data: dict[str, Any]) -> None: ...
    async def temperatures(self, connectors: list[Connector]) -> None:
        """Connector temperatures where meter values cannot carry them (2.0.1 has no Temperature
        measurand); nothing in 1.6."""


def on_call(action: str) -> Callable[[F], F]:
    """``ocpp.routing.on`` with its type kept (the package has no type hints)."""
    return cast(Callable[[F], F], on(action))


def after_call(action: str) -> Callable[[F], F]:
    return cast(Callable[[F], F], after(action))


def timestamp(moment: datetime | None = None) -> str:
    """OCPP dateTime: UTC with milliseconds and a Z."""
    return (moment or datetime.now(UTC)).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class Sample:
    measurand: str
    value: float
    unit: str
    phase: str | None
    location: str


def samples(reading: MeterReading, measurands: frozenset[str]) -> list[Sample]:
    """The sampled values of ``reading`` for the configured measurands (voltage per phase to
    neutral, as OCPP names it: L1-N, L2-N, L3-N)."""
    out: list[Sample] = []
    if "Energy.Active.Import.Register" in measurands:
        out.append(Sample("Energy.Active.Import.Register", reading.energy_wh, "Wh", None, "Outlet"))
    if "Power.Active.Import" in measurands:
        out.append(Sample("Power.Active.Import", round(reading.power_w, 1), "W", None, "Outlet"))
    if "Current.Import" in measurands:
        for phase, current in zip(("L1", "L2", "L3"), reading.current_a, strict=True):
            out.append(Sample("Current.Import", round(current, 2), "A", phase, "Outlet"))
    if "Voltage" in measurands:
        for phase, voltage in zip(("L1-N", "L2-N", "L3-N"), reading.voltage_v, strict=True):
            out.append(Sample("Voltage", round(voltage, 1), "V", phase, "Outlet"))
    if "SoC" in measurands and reading.soc is not None:
        out.append(Sample("SoC", round(reading.soc, 1), "Percent", None, "EV"))
    if "Temperature" in measurands:
        out.append(Sample("Temperature", round(reading.temperature_c, 1), "Celsius", None, "Body"))
    return out


class OcppLinkBase:
    """Shared by both links; mixed in before the `ocpp` package's ChargePoint."""

    # Provided by ocpp.charge_point.ChargePoint.
    call: Callable[..., Awaitable[Any]]
    _response_timeout: float

    def __init__(self, *, validate: bool, spawn: Callable[[Coroutine[Any, Any, None]], None]) -> None:
        self._validate = validate
        self._spawn = spawn
        self._follow_up: FollowUp | None = None

    async def _request(self, payload: Any) -> Any:
        action = type(payload).__name__
        try:
            return await self.call(payload, suppress=False, skip_schema_validation=not self._validate)
        except ConnectionClosed as error:
            raise LinkClosed(f"connection closed while sending {action}") from error
        except OCPPError as error:
            raise CallFailed(f"{action}: {type(error).__name__} {error.description}") from error
        except TimeoutError as error:
            raise CallFailed(f"{action}: no answer within {self._response_timeout:g} s") from error

    def _answer_then(self, follow_up: FollowUp | None) -> None:
        """Remember what to do once the answer being built has been sent (see `_run_follow_up`)."""
        self._follow_up = follow_up

    def _run_follow_up(self) -> None:
        """Called from an ``@after_call`` hook: the ocpp package runs those after sending the answer."""
        follow_up, self._follow_up = self._follow_up, None
        if follow_up is not None:
            self._spawn(follow_up())
