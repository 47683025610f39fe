"""Version-neutral state of one simulated station: connectors, sessions, faults, configuration.

Statuses and stop reasons use the OCPP 1.6 names; the 2.0.1 link translates them (a Charging
connector is "Occupied" with charging state "Charging" there). The state outlives connections:
configuration, meter registers, availability and firmware version persist for the life of the
process, as they would in a station's flash memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from ema_sim.configuration import ConfigurationStore, default_settings
from ema_sim.credentials import StationSpec
from ema_sim.options import FleetOptions
from ema_sim.physics import BatteryCharge, ConnectorMeter
from ema_sim.plan import FaultPlan, SessionPlan, StationPlan

__all__ = ["CARD_TOKEN_TYPE", "BootReason", "Connector", "ConnectorStatus", "Session", "StationState", "StopReason"]

# 2.0.1 IdTokenEnumType of an RFID card's UID (the station's own cards).
CARD_TOKEN_TYPE = "ISO14443"  # noqa: S105 (a token type, not a secret)
# The interval a station uses until the server's boot answer tells it otherwise.
FACTORY_HEARTBEAT_INTERVAL = 300.0


class ConnectorStatus(StrEnum):
    AVAILABLE = "Available"
    PREPARING = "Preparing"
    CHARGING = "Charging"
    SUSPENDED_EV = "SuspendedEV"
    SUSPENDED_EVSE = "SuspendedEVSE"
    FINISHING = "Finishing"
    RESERVED = "Reserved"
    UNAVAILABLE = "Unavailable"
    FAULTED = "Faulted"


class StopReason(StrEnum):
    LOCAL = "Local"
    REMOTE = "Remote"
    EV_DISCONNECTED = "EVDisconnected"
    EMERGENCY_STOP = "EmergencyStop"
    SOFT_RESET = "SoftReset"
    HARD_RESET = "HardReset"
    IMMEDIATE_RESET = "ImmediateReset"
    """2.0.1 only (1.6 says HardReset)."""
    UNLOCK_COMMAND = "UnlockCommand"
    DE_AUTHORIZED = "DeAuthorized"
    POWER_LOSS = "PowerLoss"
    REBOOT = "Reboot"
    OTHER = "Other"


class BootReason(StrEnum):
    """Why the station (re)booted, as OCPP 2.0.1 reports it (1.6 has no such field)."""

    POWER_UP = "PowerUp"
    REMOTE_RESET = "RemoteReset"
    FIRMWARE_UPDATE = "FirmwareUpdate"
    TRIGGERED = "Triggered"


@dataclass(eq=False)
class Session:
    """A car on a connector, from plugging in to unplugging; a transaction once started."""

    connector_id: int
    plan: SessionPlan
    charge: BatteryCharge
    id_tag: str
    id_token_type: str = CARD_TOKEN_TYPE
    """2.0.1 IdTokenType: a card's UID, or what the server sent with a remote start."""
    remote: bool = False
    remote_start_id: int | None = None
    transaction_id: int | str | None = None
    """1.6: the server's number from StartTransaction; 2.0.1: the station's own id."""
    started_at: datetime | None = None
    meter_start_wh: int = 0
    elapsed_s: float = 0.0
    """Simulated seconds since the transaction started."""
    charging_s: float = 0.0
    """Simulated seconds spent drawing power (2.0.1 timeSpentCharging)."""
    paused_until_s: float | None = None
    pause_done: bool = False
    stop_reason: StopReason | None = None
    stopped_at: datetime | None = None
    meter_stop_wh: int = 0
    stop_sent: bool = False
    seq_no: int = field(default=-1)

    @property
    def started(self) -> bool:
        return self.transaction_id is not None

    @property
    def paused(self) -> bool:
        """The car has suspended charging for a while (SuspendedEV)."""
        return self.paused_until_s is not None and self.elapsed_s < self.paused_until_s

    def request_stop(self, reason: StopReason) -> bool:
        """Ask the session to end; the first reason given is the one reported."""
        if self.stop_reason is not None:
            return False
        self.stop_reason = reason
        return True

    def next_seq_no(self) -> int:
        self.seq_no += 1
        return self.seq_no


@dataclass(eq=False)
class Connector:
    """A connector (in 2.0.1 terms: EVSE ``id`` with its connector 1)."""

    id: int
    meter: ConnectorMeter
    status: ConnectorStatus = ConnectorStatus.AVAILABLE
    fault: FaultPlan | None = None
    fault_clears_at: float | None = None
    """Event-loop time the fault clears."""
    operative: bool = True
    pending_operative: bool | None = None
    """An availability change that waits for the running session to end."""
    session: Session | None = None
    power_w: float = 0.0
    next_arrival_at: float | None = None
    """Event-loop time when the next car plugs in, while the connector is free."""
    meter_updated_at: float | None = None

    @property
    def error_code(self) -> str:
        if self.fault is not None and self.status is ConnectorStatus.FAULTED:
            return self.fault.error_code
        return "NoError"

    @property
    def free(self) -> bool:
        """A car can plug in (or a remote start can use it)."""
        return self.session is None and self.fault is None and self.operative

    def resting_status(self) -> ConnectorStatus:
        """The status with no car connected."""
        if self.fault is not None:
            return ConnectorStatus.FAULTED
        if not self.operative:
            return ConnectorStatus.UNAVAILABLE
        return ConnectorStatus.AVAILABLE


class StationState:
    def __init__(self, spec: StationSpec, plan: StationPlan, options: FleetOptions) -> None:
        self.identity = spec.identity
        self.ocpp_version = spec.ocpp_version
        self.plan = plan
        self.profile = plan.profile
        self.firmware_version = plan.profile.firmware_version
        self.configuration = ConfigurationStore(
            default_settings(
                identity=spec.identity,
                connectors=plan.profile.connectors,
                heartbeat_interval=(
                    FACTORY_HEARTBEAT_INTERVAL if options.heartbeat_interval is None else options.heartbeat_interval
                ),
                meter_interval=options.meter_interval,
                idle_meter_interval=options.effective_idle_meter_interval,
            )
        )
        self.connectors = {
            number: Connector(
                number,
                ConnectorMeter(
                    plan.profile.energy_start_wh[number - 1],
                    ambient_c=plan.profile.ambient_c,
                    rng=plan.meter_rng(number),
                ),
            )
            for number in range(1, plan.profile.connectors + 1)
        }
        self.operative = True
        """Connector 0 in 1.6: the station as a whole."""
        self.boot_reason = BootReason.POWER_UP
        self.pending_stops: list[Session] = []
        """Transactions cut off by a lost connection, reported after the next boot."""
        self.firmware_status = "Idle"
        self.firmware_request_id: int | None = None
        self.firmware_installed_pending = False
        """2.0.1 reports Installed after the reboot that installs the firmware."""
        self.upload_status = "Idle"
        self.upload_request_id: int | None = None
        self.faults_raised = 0
        self.sessions_completed = 0

    def sessions(self) -> list[Session]:
        return [c.session for c in self.connectors.values() if c.session is not None]

    def transactions(self) -> list[Session]:
        """Sessions whose transaction runs (started, its end not yet reported): what "idle" waits for."""
        return [s for s in self.sessions() if s.started and not s.stop_sent]

    def find_transaction(self, transaction_id: int | str) -> Session | None:
        for session in self.sessions():
            if session.started and session.transaction_id == transaction_id and session.stop_reason is None:
                return session
        return None

    def connector(self, number: int) -> Connector | None:
        return self.connectors.get(number)

    def free_connector(self) -> Connector | None:
        return next((c for c in self.connectors.values() if c.free), None)
