"""The electrical side of a charging connector: an EV battery taking AC power, and the meter.

`BatteryCharge` is the car: power ramps up after the contactor closes, stays at the lowest of
the station's limit and the on-board charger's limit, and tapers once the battery is nearly full
(as a battery management system limits the current in the constant-voltage phase), reaching zero
at the target state of charge. `ConnectorMeter` is the station's meter: a lifetime energy register
that only grows, the power split into per-phase currents at ~230 V with noise and a little voltage
sag under load, and the connector temperature following the load with a thermal lag.

Everything here is plain arithmetic on simulated seconds, with an explicit `random.Random` for
noise: no clocks, no I/O.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Final

__all__ = ["EV_MODELS", "PHASE_VOLTAGE", "BatteryCharge", "ConnectorMeter", "EvModel", "MeterReading", "taper_limit"]

PHASE_VOLTAGE: Final = 230.0
# Losses between the meter and the battery cells (on-board charger, cables, battery heat).
CHARGE_EFFICIENCY: Final = 0.92
# Fraction of the full power a battery still takes just below 100 %.
TAPER_FLOOR: Final = 0.08
# Integration step: coarse steps at a high simulation speed would overshoot the taper.
MAX_STEP_S: Final = 10.0
THERMAL_TIME_CONSTANT_S: Final = 600.0
KELVIN_PER_WATT: Final = 0.0012
VOLTAGE_NOISE_V: Final = 1.2
SAG_V_PER_A: Final = 0.06


@dataclass(frozen=True)
class EvModel:
    name: str
    battery_kwh: float
    max_power_w: float
    """What the on-board charger takes from AC."""
    phases: int


EV_MODELS: Final[tuple[EvModel, ...]] = (
    EvModel("Škoda Enyaq iV 80", 77.0, 11_000.0, 3),
    EvModel("Škoda Elroq 85", 77.0, 11_000.0, 3),
    EvModel("Volkswagen ID.3 Pro", 58.0, 11_000.0, 3),
    EvModel("Tesla Model 3 LR", 75.0, 11_000.0, 3),
    EvModel("Tesla Model Y", 75.0, 11_000.0, 3),
    EvModel("Renault Zoe R135", 52.0, 22_000.0, 3),
    EvModel("Hyundai Kona Electric", 64.0, 11_000.0, 3),
    EvModel("Kia EV6", 77.4, 11_000.0, 3),
    EvModel("BMW i4 eDrive40", 80.7, 11_000.0, 3),
    EvModel("Nissan Leaf 40", 40.0, 3_700.0, 1),
    EvModel("Peugeot e-208", 50.0, 7_400.0, 1),
    EvModel("Dacia Spring", 26.8, 6_600.0, 1),
)


@dataclass(frozen=True)
class MeterReading:
    """One sample of every measurand the station meters."""

    energy_wh: float
    """Energy.Active.Import.Register: lifetime register, never decreases."""
    power_w: float
    current_a: tuple[float, float, float]
    voltage_v: tuple[float, float, float]
    soc: float | None
    """State of charge in %, known only while a car is connected."""
    temperature_c: float


def taper_limit(soc: float, taper_from: float) -> float:
    """Fraction (0…1] of its full power a battery accepts at ``soc`` %: 1 up to ``taper_from``,
    then falling linearly to TAPER_FLOOR just below 100 %."""
    if soc <= taper_from:
        return 1.0
    if soc >= 100.0:
        return 0.0
    share = (soc - taper_from) / (100.0 - taper_from)
    return 1.0 - share * (1.0 - TAPER_FLOOR)


class BatteryCharge:
    """A car's battery being charged: state of charge and the power it draws."""

    def __init__(
        self,
        ev: EvModel,
        *,
        soc: float,
        target_soc: float = 100.0,
        evse_max_power_w: float,
        taper_from: float = 80.0,
        ramp_s: float = 30.0,
        rng: random.Random | None = None,
    ) -> None:
        if not 0.0 <= soc <= 100.0 or not 0.0 < target_soc <= 100.0:
            raise ValueError("state of charge must be within 0…100 %")
        self.ev = ev
        self.soc = soc
        self.target_soc = target_soc
        self.taper_from = taper_from
        self.ramp_s = max(ramp_s, 0.0)
        self.power_w = 0.0
        self.phases = ev.phases
        # The station's limit per phase applies to each phase the car uses.
        per_phase_limit = evse_max_power_w / 3.0
        self.full_power_w = min(ev.max_power_w, per_phase_limit * ev.phases)
        self._rng = rng
        self._since_power_on_s = 0.0

    @property
    def full(self) -> bool:
        return self.soc >= self.target_soc - 1e-6

    def advance(self, seconds: float, *, paused: bool = False) -> float:
        """Let ``seconds`` of simulated time pass; returns the energy delivered (Wh, meter side).

        ``paused``: the car draws nothing (it suspended charging); after a pause the power ramps
        up again as after plugging in.
        """
        delivered = 0.0
        remaining = max(seconds, 0.0)
        if paused or self.full:
            self.power_w = 0.0
            self._since_power_on_s = 0.0
            return 0.0
        while remaining > 1e-9:
            step = min(remaining, MAX_STEP_S)
            remaining -= step
            self._since_power_on_s += step
            power = self._power_now()
            energy_wh = power * step / 3600.0
            stored_wh = energy_wh * CHARGE_EFFICIENCY
            capacity_wh = self.ev.battery_kwh * 1000.0
            room_wh = (self.target_soc - self.soc) / 100.0 * capacity_wh
            if stored_wh >= room_wh:
                # Full within this step: deliver only what fits, then the car stops drawing.
                delivered += room_wh / CHARGE_EFFICIENCY
                self.soc = self.target_soc
                self.power_w = 0.0
                return delivered
            self.soc += stored_wh / capacity_wh * 100.0
            delivered += energy_wh
            self.power_w = power
        return delivered

    def _power_now(self) -> float:
        ramp = 1.0 if self.ramp_s <= 0 else min(1.0, self._since_power_on_s / self.ramp_s)
        power = self.full_power_w * ramp * taper_limit(self.soc, self.taper_from)
        if self._rng is not None:
            power *= 1.0 + self._rng.uniform(-0.01, 0.01)
        return max(power, 0.0)


class ConnectorMeter:
    """The station's meter on one connector, with the connector's temperature."""

    def __init__(self, energy_wh: float, *, ambient_c: float = 18.0, rng: random.Random | None = None) -> None:
        self.energy_wh = energy_wh
        self.ambient_c = ambient_c
        self.temperature_c = ambient_c
        self._rng = rng or random.Random(0)

    def add_energy(self, wh: float) -> None:
        if wh > 0:
            self.energy_wh += wh

    def advance_temperature(self, seconds: float, power_w: float) -> None:
        target = self.ambient_c + KELVIN_PER_WATT * power_w
        lag = 1.0 - math.exp(-max(seconds, 0.0) / THERMAL_TIME_CONSTANT_S)
        self.temperature_c += (target - self.temperature_c) * lag

    @property
    def register_wh(self) -> int:
        """The register as a station reports it: whole watt-hours."""
        return int(self.energy_wh)

    def read(self, power_w: float, *, phases: int = 3, soc: float | None = None) -> MeterReading:
        rng = self._rng
        active = 1 if phases == 1 else 3
        # A little imbalance between phases, as a real car's charger shows; the shares add up to
        # the power, so the per-phase values agree with Power.Active.Import.
        weights = [1.0 + rng.uniform(-0.015, 0.015) for _ in range(active)]
        shares = [power_w * w / sum(weights) for w in weights]
        voltages: list[float] = []
        currents: list[float] = []
        for phase in range(3):
            nominal = PHASE_VOLTAGE + rng.gauss(0.0, VOLTAGE_NOISE_V)
            if phase < active and power_w > 0:
                share = shares[phase]
                voltage = nominal - SAG_V_PER_A * share / nominal
                current = share / voltage
            else:
                current, voltage = 0.0, nominal
            voltages.append(voltage)
            currents.append(current)
        return MeterReading(
            energy_wh=float(self.register_wh),
            power_w=power_w,
            current_a=(currents[0], currents[1], currents[2]),
            voltage_v=(voltages[0], voltages[1], voltages[2]),
            soc=soc,
            temperature_c=self.temperature_c,
        )
