"""How a simulated fleet behaves: the server it connects to, its seed, rates and intervals.

Two clocks are involved. Protocol timings (meter-value and heartbeat intervals, reconnect backoff,
reboot delay, timeouts) are real seconds, as a station's firmware counts them. The *behaviour plan*
(when cars arrive, how long they stay, how fast batteries fill, when faults happen and how long
they last) runs on simulated time, which passes ``speed`` times faster than real time: at the
default speed of 1 a session takes hours, as it does in a car park.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["FleetOptions"]


@dataclass(frozen=True)
class FleetOptions:
    """Everything a `Fleet` needs besides the list of stations."""

    server_url: str = "ws://127.0.0.1:8765/ocpp"
    """Base URL of the OCPP endpoint; a station connects to ``<server_url>/<identity>``."""
    seed: int = 0
    """Same seed, same behaviour plan (station models, arrivals, cars, faults)."""
    fault_rate: float = 0.05
    """Faults per station-hour of simulated time."""
    session_rate: float = 0.5
    """Cars arriving per connector-hour of simulated time while the connector is free."""
    data_transfer_rate: float = 0.1
    """Vendor DataTransfer messages per station-hour of simulated time."""
    meter_interval: float = 10.0
    """Seconds between meter values while charging (MeterValueSampleInterval / TxUpdatedInterval)."""
    idle_meter_interval: float | None = None
    """Seconds between the sparse meter values of an idle connector (ClockAlignedDataInterval);
    None: ten meter intervals, at most 900 s and at least one meter interval."""
    heartbeat_interval: float | None = None
    """Seconds between heartbeats; None: the interval the server's boot answer sets."""
    speed: float = 1.0
    """Simulated seconds per real second for the behaviour plan and the battery physics."""
    connect_rate: float = 200.0
    """Stations that start connecting per second when the fleet starts (spreads the first wave)."""
    backoff_initial: float = 1.0
    backoff_max: float = 60.0
    """Reconnect delays: from backoff_initial doubling up to backoff_max, each drawn between half
    and all of its step (jitter), so a fleet does not reconnect in lockstep."""
    reboot_delay: float = 3.0
    """Seconds a station stays offline while it reboots (Reset, firmware installation)."""
    response_timeout: float = 30.0
    """Seconds a station waits for the server's answer to a message."""
    open_timeout: float = 10.0
    """Seconds allowed for the TCP connection and WebSocket handshake."""
    validate_messages: bool = True
    """Check every outgoing and incoming message against the OCPP JSON schemas (the ocpp package's
    validation). Turning it off saves CPU in load tests against a trusted server."""

    def __post_init__(self) -> None:
        if not self.server_url.startswith(("ws://", "wss://")):
            raise ValueError("server_url must start with ws:// or wss://")
        positive = {
            "meter_interval": self.meter_interval, "speed": self.speed, "connect_rate": self.connect_rate,
            "backoff_initial": self.backoff_initial, "backoff_max": self.backoff_max,
            "response_timeout": self.response_timeout, "open_timeout": self.open_timeout,
        }  # fmt: skip
        for name, value in positive.items():
            if not (math.isfinite(value) and value > 0):
                raise ValueError(f"{name} must be a positive number")
        non_negative = {
            "fault_rate": self.fault_rate, "session_rate": self.session_rate,
            "data_transfer_rate": self.data_transfer_rate, "reboot_delay": self.reboot_delay,
            "idle_meter_interval": self.idle_meter_interval, "heartbeat_interval": self.heartbeat_interval,
        }  # fmt: skip
        for name, maybe in non_negative.items():
            if maybe is not None and not (math.isfinite(maybe) and maybe >= 0):
                raise ValueError(f"{name} must be zero or a positive number")
        if self.backoff_max < self.backoff_initial:
            raise ValueError("backoff_max must not be smaller than backoff_initial")

    @property
    def effective_idle_meter_interval(self) -> float:
        if self.idle_meter_interval is not None:
            return self.idle_meter_interval
        return max(self.meter_interval, min(900.0, 10 * self.meter_interval))
