"""Charging in the demo data: a week (or a month) of minute-by-minute meter values for a few
stations, the charging sessions those values show, and plain sessions for every other charger.

A telemetry station gets a schedule of vehicles (a wallbox at home: plugged in the evening,
charged to its target, left plugged until morning; a public station: short daytime stops).
Each vehicle charges along a realistic curve: a short ramp while the car wakes up, full power,
then a taper as the battery fills (a DC charger tapers from 50 % state of charge). The
station's energy register is the running sum of that power, so it only ever rises, and the
charging sessions written for the station carry exactly the register readings at start and stop.
Voltage, current per phase and the cabinet temperature follow from the power, the time of day
and a little measurement noise.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from ema_server.domain.deadlines import PRAGUE

MINUTE_MS = 60_000
NOMINAL_VOLTAGE = 230.0
# (measurand, connector, phase, unit) of every series a telemetry station has, in write order.
SERIES: tuple[tuple[str, int, str, str], ...] = (
    ("energy", 1, "", "kWh"),
    ("power", 1, "", "kW"),
    ("current", 1, "L1", "A"),
    ("current", 1, "L2", "A"),
    ("current", 1, "L3", "A"),
    ("voltage", 1, "L1", "V"),
    ("voltage", 1, "L2", "V"),
    ("voltage", 1, "L3", "V"),
    ("soc", 1, "", "%"),
    ("temperature", 0, "", "°C"),
)
_PHASE_OFFSET_V = (-0.8, 0.0, 0.6)
_PHASE_IMBALANCE = (0.015, -0.01, -0.005)


@dataclass(frozen=True, slots=True)
class Vehicle:
    """One plug-in: minutes from the window start, [start, end); end may lie beyond the window."""

    start: int
    end: int
    capacity_kwh: float
    start_soc: float
    target_soc: float
    max_kw: float
    single_phase: bool


@dataclass(frozen=True, slots=True)
class SessionResult:
    vehicle: Vehicle
    register_start_kwh: float
    register_stop_kwh: float
    charging_at_end: bool
    """Still plugged at the window's end and drawing power (else suspended by the full car)."""


@dataclass(slots=True)
class StationPlan:
    """The telemetry of one charger, reproducible from ``seed``."""

    seed: int
    max_kw: float
    dc: bool
    window_start_ms: int
    minutes: int
    register_start_kwh: float
    vehicles: list[Vehicle] = field(default_factory=list)

    @property
    def public(self) -> bool:
        return self.dc or self.max_kw > 22


def _minute_of(plan_start_ms: int, moment: datetime) -> int:
    return (int(moment.timestamp() * 1000) - plan_start_ms) // MINUTE_MS


def _local(day: date, hours: float) -> datetime:
    whole = int(hours)
    return datetime.combine(day, time(whole, int((hours - whole) * 60)), tzinfo=PRAGUE)


def plan_station(seed: int, *, max_kw: float, dc: bool, home: bool, window_end: datetime, days: int) -> StationPlan:
    """A station's vehicles over the ``days`` before ``window_end`` (whole minutes)."""
    rng = random.Random(seed)
    end_ms = int(window_end.timestamp() * 1000) // MINUTE_MS * MINUTE_MS
    minutes = days * 1440
    start_ms = end_ms - minutes * MINUTE_MS
    plan = StationPlan(seed, max_kw, dc, start_ms, minutes, round(rng.uniform(400, 25_000), 3))
    first_day = datetime.fromtimestamp(start_ms / 1000, PRAGUE).date() - timedelta(days=1)
    busy_until = -1
    for offset in range(days + 2):
        day = first_day + timedelta(days=offset)
        if home:
            if rng.random() > 0.75:
                continue
            arrival = _local(day, rng.uniform(16.5, 20.5))
            departure = _local(day + timedelta(days=1), rng.uniform(6.0, 8.5))
            stops = [(arrival, departure)]
        else:
            stops = []
            for hour in sorted(rng.uniform(7.0, 21.0) for _ in range(rng.randint(3, 9))):
                arrival = _local(day, hour)
                stops.append((arrival, arrival + timedelta(minutes=rng.randint(25, 55))))
        for arrival, departure in stops:
            start, end = _minute_of(start_ms, arrival), _minute_of(start_ms, departure)
            if start <= busy_until or end <= 0 or start >= minutes:
                continue
            single_phase = not dc and rng.random() < 0.2
            car_kw = 7.4 if single_phase else (rng.choice((50.0, 100.0, 135.0, 150.0)) if dc else 11.0)
            plan.vehicles.append(
                Vehicle(
                    start=max(start, 0),
                    end=end,
                    capacity_kwh=rng.choice((40.0, 58.0, 64.0, 77.0, 82.0)),
                    start_soc=rng.uniform(10, 40) if dc else rng.uniform(20, 60),
                    target_soc=80.0 if dc else rng.choice((80.0, 90.0, 100.0)),
                    max_kw=min(car_kw, max_kw),
                    single_phase=single_phase,
                )
            )
            busy_until = end
    return plan


def _taper(soc: float, dc: bool) -> float:
    if dc:
        if soc < 50:
            return 1.0
        if soc < 80:
            return 1.0 - (soc - 50) / 30 * 0.55
        return max(0.12, 0.45 - (soc - 80) / 20 * 0.33)
    return 1.0 if soc < 92 else max(0.25, 1.0 - (soc - 92) / 8 * 0.75)


def vehicle_curve(vehicle: Vehicle, dc: bool, minutes: int) -> Iterator[tuple[float, float]]:
    """(power kW, state of charge %) for each minute the vehicle is plugged in within the window."""
    soc = vehicle.start_soc
    for k in range(min(vehicle.end, minutes) - vehicle.start):
        # Minute 0 is authorisation (Preparing); the car then ramps up over a minute.
        ramp = 0.0 if k == 0 else (0.5 if k == 1 else 1.0)
        power = 0.0 if soc >= vehicle.target_soc else round(vehicle.max_kw * ramp * _taper(soc, dc), 2)
        yield power, round(soc, 1)
        soc = min(100.0, soc + power / 60 * 0.93 / vehicle.capacity_kwh * 100)


def session_results(plan: StationPlan) -> list[SessionResult]:
    """The register readings at each vehicle's start and stop, as the samples will show them."""
    register = plan.register_start_kwh
    results = []
    for vehicle in plan.vehicles:
        start = register
        last_power = 0.0
        for power, _soc in vehicle_curve(vehicle, plan.dc, plan.minutes):
            register += power / 60
            last_power = power
        results.append(SessionResult(vehicle, round(start, 3), round(register, 3), last_power > 0))
    return results


def _noise(rng: random.Random, width: float) -> float:
    """Measurement noise in [-width, width], peaked at 0 (triangular: much cheaper than gauss)."""
    return (rng.random() + rng.random() - 1.0) * width


def station_samples(plan: StationPlan, series_ids: list[int]) -> Iterator[tuple[int, int, float]]:
    """(series id, Unix ms, value) for every series of SERIES order, series by series."""
    rng = random.Random(plan.seed ^ 0x5EED5EED)
    n = plan.minutes
    power = [0.0] * n
    soc: list[float | None] = [None] * n
    single = [False] * n
    for vehicle in plan.vehicles:
        for k, (p, s) in enumerate(vehicle_curve(vehicle, plan.dc, n)):
            power[vehicle.start + k] = p
            soc[vehicle.start + k] = s
            single[vehicle.start + k] = vehicle.single_phase
    times = [plan.window_start_ms + m * MINUTE_MS for m in range(n)]
    hours = [(datetime.fromtimestamp(t / 1000, PRAGUE).hour + (t // MINUTE_MS % 60) / 60) for t in times]
    load = [p / plan.max_kw for p in power]

    energy_id, power_id, *rest = series_ids
    current_ids, voltage_ids, (soc_id, temperature_id) = rest[0:3], rest[3:6], rest[6:8]

    register = plan.register_start_kwh
    for m in range(n):
        yield energy_id, times[m], round(register, 3)
        register += power[m] / 60
    for m in range(n):
        yield power_id, times[m], power[m]
    voltages = []
    for phase in range(3):
        column = []
        for m in range(n):
            swing = 2.5 * math.cos(2 * math.pi * (hours[m] - 3) / 24)
            value = NOMINAL_VOLTAGE + _PHASE_OFFSET_V[phase] + swing - 3 * load[m] + _noise(rng, 0.8)
            column.append(round(value, 1))
        voltages.append(column)
    for phase in range(3):
        efficiency = 0.95 if plan.dc else 1.0
        for m in range(n):
            watts = power[m] * 1000 / efficiency
            if single[m]:
                amps = watts / voltages[0][m] if phase == 0 else 0.0
            else:
                amps = watts / (3 * voltages[phase][m]) * (1 + _PHASE_IMBALANCE[phase])
            yield current_ids[phase], times[m], round(amps, 2)
    for phase in range(3):
        for m in range(n):
            yield voltage_ids[phase], times[m], voltages[phase][m]
    for m in range(n):
        charge = soc[m]
        if charge is not None:
            yield soc_id, times[m], charge
    heat, gain = 0.0, 18.0 if plan.dc else 7.0
    for m in range(n):
        # The cabinet warms up and cools down over tens of minutes, not instantly.
        heat += (load[m] * gain - heat) * 0.08
        ambient = 9.0 + 6.0 * math.sin(2 * math.pi * (hours[m] - 9) / 24)
        yield temperature_id, times[m], round(ambient + 4.0 + heat + _noise(rng, 0.2), 1)
