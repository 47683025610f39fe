"""A station's behaviour plan: who it is and what will happen to it, drawn from the seed.

Each kind of decision has its own random stream, seeded from (seed, identity, stream), so the
sequence of cars on connector 1 does not change when connector 2 happens to be busy, a fault is
drawn at another moment, or the fleet has more stations. Same seed, same plan. All durations are
simulated seconds (see `FleetOptions.speed`).
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from ema_sim.physics import EV_MODELS, EvModel

__all__ = ["FAULT_CODES", "FaultPlan", "SessionPlan", "StationPlan", "StationProfile"]

# OCPP 1.6 ChargePointErrorCode values a field station really reports, with how often and
# whether the station must cut power at once (an emergency stop) or the session merely ends.
FAULT_CODES: Final[tuple[tuple[str, float, bool, str], ...]] = (
    ("EVCommunicationError", 0.28, False, "Control pilot signal lost"),
    ("ReaderFailure", 0.16, False, "RFID reader not responding"),
    ("GroundFailure", 0.14, True, "Residual current device tripped"),
    ("OverCurrentFailure", 0.12, True, "Current above the cable rating"),
    ("HighTemperature", 0.10, True, "Connector temperature above limit"),
    ("ConnectorLockFailure", 0.12, False, "Cable lock actuator failed"),
    ("PowerMeterFailure", 0.08, False, "Meter not answering on Modbus"),
)
STATION_MODELS: Final[tuple[tuple[str, int, float], ...]] = (
    # (model, connectors, max power per connector in W)
    ("AC22-DUO", 2, 22_000.0),
    ("AC22-DUO", 2, 22_000.0),
    ("AC11-DUO", 2, 11_000.0),
    ("WB11-HOME", 1, 11_000.0),
    ("WB22-PRO", 1, 22_000.0),
)
FIRMWARE_VERSIONS: Final = ("3.4.2", "3.4.5", "3.5.0", "3.5.1")
# Share of arriving cars whose driver has one of the station's known cards (the others are refused).
REGULAR_DRIVERS: Final = 0.95


@dataclass(frozen=True)
class StationProfile:
    """What a station says about itself in BootNotification, and its hardware."""

    vendor: str
    model: str
    serial_number: str
    firmware_version: str
    connectors: int
    max_power_w: float
    """Per connector."""
    meter_type: str
    meter_serial_number: str
    ambient_c: float
    energy_start_wh: tuple[float, ...]
    """Each connector's meter register when the simulation starts (stations are not new)."""


@dataclass(frozen=True)
class SessionPlan:
    """One car's visit."""

    ev: EvModel
    id_tag: str
    soc_start: float
    soc_target: float
    taper_from: float
    ramp_s: float
    authorize_after_s: float
    """From plugging in to presenting the card."""
    stay_s: float
    """From the start of charging until the driver comes back."""
    ends_with_card: bool
    """The driver ends with their card (reason Local) or just unplugs (EVDisconnected)."""
    pause_at_soc: float | None
    """The car suspends charging for pause_s once it reaches this state of charge."""
    pause_s: float
    unplug_after_s: float
    """From the end of the transaction until the cable is out."""


@dataclass(frozen=True)
class FaultPlan:
    connector_id: int
    error_code: str
    emergency: bool
    info: str
    vendor_error_code: str
    duration_s: float
    after_s: float
    """From the previous fault (or the start) until this one; infinite when faults are off."""


class StationPlan:
    """The deterministic plan of one station."""

    def __init__(
        self,
        seed: int,
        identity: str,
        *,
        session_rate: float = 0.5,
        fault_rate: float = 0.05,
        data_transfer_rate: float = 0.1,
        id_tags: Sequence[str] = (),
    ) -> None:
        self.identity = identity
        self._session_rate = session_rate
        self._fault_rate = fault_rate
        self._data_transfer_rate = data_transfer_rate
        base = self._base = f"{seed}/{identity}"
        hardware = random.Random(f"{base}/hardware")
        model, connectors, power = hardware.choice(STATION_MODELS)
        self.profile = StationProfile(
            vendor="SECTRON",
            model=model,
            serial_number=f"SEC{hardware.randrange(10**9):09d}",
            firmware_version=hardware.choice(FIRMWARE_VERSIONS),
            connectors=connectors,
            max_power_w=power,
            meter_type="EM340-DIN",
            meter_serial_number=f"EM{hardware.randrange(10**8):08d}",
            ambient_c=round(hardware.uniform(8.0, 24.0), 1),
            energy_start_wh=tuple(round(hardware.uniform(50_000, 9_000_000)) for _ in range(connectors)),
        )
        # Regular drivers: the same few cards come back, with an occasional stranger's card. Made up
        # even when the cards are given, so giving them changes nothing else in the plan.
        made_up = tuple(f"04{hardware.randrange(16**12):012X}" for _ in range(hardware.randint(2, 6)))
        self.id_tags = tuple(id_tags) or made_up
        self._arrivals = {c: random.Random(f"{base}/arrivals/{c}") for c in range(1, connectors + 1)}
        self._cars = {c: random.Random(f"{base}/cars/{c}") for c in range(1, connectors + 1)}
        self._faults = random.Random(f"{base}/faults")
        self._data_transfers = random.Random(f"{base}/data-transfer")
        self.charging_noise = random.Random(f"{base}/charging")
        """Small fluctuations of a car's power draw."""
        self.jitter = random.Random(f"{base}/jitter")
        """Phases of periodic messages and reconnect delays, so a fleet does not act in lockstep."""

    def meter_rng(self, connector_id: int) -> random.Random:
        """Meter noise of one connector (drawn as the meter is read, so its order follows timing)."""
        return random.Random(f"{self._base}/meter/{connector_id}")

    def next_arrival_s(self, connector_id: int) -> float:
        """Time until the next car plugs into a free connector."""
        return _exponential(self._arrivals[connector_id], self._session_rate)

    def next_session(self, connector_id: int, id_tag: str | None = None) -> SessionPlan:
        rng = self._cars[connector_id]
        ev = rng.choice(EV_MODELS)
        card = rng.choice(self.id_tags) if rng.random() < REGULAR_DRIVERS else f"04{rng.randrange(16**12):012X}"
        soc_start = round(rng.uniform(8.0, 65.0), 1)
        soc_target = 100.0 if rng.random() < 0.6 else float(rng.choice((80, 85, 90)))
        # Median stay about two hours: some leave before the battery is full, some long after.
        stay_s = min(max(rng.lognormvariate(math.log(7200.0), 0.7), 600.0), 14 * 3600.0)
        pause = rng.random() < 0.2
        return SessionPlan(
            ev=ev,
            id_tag=id_tag or card,
            soc_start=soc_start,
            soc_target=max(soc_target, soc_start + 5.0),
            taper_from=rng.uniform(75.0, 88.0),
            ramp_s=rng.uniform(10.0, 45.0),
            authorize_after_s=rng.uniform(5.0, 40.0),
            stay_s=stay_s,
            ends_with_card=rng.random() < 0.55,
            pause_at_soc=round(rng.uniform(soc_start + 1.0, soc_start + 20.0), 1) if pause else None,
            pause_s=rng.uniform(120.0, 900.0),
            unplug_after_s=rng.uniform(10.0, 90.0),
        )

    def next_fault(self) -> FaultPlan:
        """The next fault and how long after the previous one it comes."""
        rng = self._faults
        after_s = _exponential(rng, self._fault_rate)
        codes = [code for code, *_ in FAULT_CODES]
        weights = [weight for _, weight, *_ in FAULT_CODES]
        code = rng.choices(codes, weights)[0]
        _, _, emergency, info = next(entry for entry in FAULT_CODES if entry[0] == code)
        return FaultPlan(
            connector_id=rng.randint(1, self.profile.connectors),
            error_code=code,
            emergency=emergency,
            info=info,
            vendor_error_code=f"E{rng.randrange(100, 999)}",
            duration_s=min(max(rng.lognormvariate(math.log(600.0), 0.8), 60.0), 4 * 3600.0),
            after_s=after_s,
        )

    def next_data_transfer_in_s(self) -> float:
        return _exponential(self._data_transfers, self._data_transfer_rate)


def _exponential(rng: random.Random, per_hour: float) -> float:
    """Waiting time (s) of a Poisson process with ``per_hour`` events; infinite for a zero rate."""
    if per_hour <= 0:
        return math.inf
    return rng.expovariate(per_hour / 3600.0)
