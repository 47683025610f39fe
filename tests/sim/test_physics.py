"""The charging curve and the meter: what an operator reads off a station's telemetry."""

from __future__ import annotations

import random

import pytest

from ema_sim.physics import BatteryCharge, ConnectorMeter, EvModel, taper_limit

CAR = EvModel("Test car 3-phase", 50.0, 11_000.0, 3)
SMALL_CAR = EvModel("Test car 1-phase", 40.0, 7_400.0, 1)


def charge_until(charge: BatteryCharge, soc: float, step: float = 10.0) -> float:
    delivered = 0.0
    for _ in range(100_000):
        if charge.soc >= soc or charge.full:
            break
        delivered += charge.advance(step)
    return delivered


def test_power_ramps_up_then_holds_the_chargers_limit() -> None:
    charge = BatteryCharge(CAR, soc=20.0, evse_max_power_w=22_000.0, ramp_s=30.0)
    powers = []
    for _ in range(6):
        charge.advance(10.0)
        powers.append(charge.power_w)
    assert powers[0] < powers[1] < powers[2]
    assert powers[2] == pytest.approx(11_000.0)
    assert powers[-1] == pytest.approx(11_000.0)


def test_state_of_charge_rises_with_the_energy_delivered() -> None:
    charge = BatteryCharge(CAR, soc=20.0, evse_max_power_w=22_000.0, ramp_s=0.0)
    delivered_wh = charge_until(charge, 60.0)
    stored_kwh = (charge.soc - 20.0) / 100.0 * CAR.battery_kwh
    # Meter-side energy exceeds what the battery stores by the charging losses (~8 %).
    assert delivered_wh / 1000.0 == pytest.approx(stored_kwh / 0.92, rel=0.01)
    # 20 kWh at 11 kW takes about 1.8 h of simulated time.
    assert charge.soc == pytest.approx(60.0, abs=0.2)


def test_power_tapers_near_full_and_stops_at_the_target() -> None:
    charge = BatteryCharge(CAR, soc=50.0, evse_max_power_w=22_000.0, taper_from=80.0, ramp_s=0.0)
    charge_until(charge, 70.0)
    bulk = charge.power_w
    charge_until(charge, 90.0)
    tapering = charge.power_w
    charge_until(charge, 98.0)
    nearly_full = charge.power_w
    assert bulk == pytest.approx(11_000.0)
    assert bulk > tapering > nearly_full > 0
    assert nearly_full < 0.25 * bulk
    charge_until(charge, 100.0)
    assert charge.full and charge.soc == pytest.approx(100.0)
    assert charge.power_w == 0.0
    assert charge.advance(600.0) == 0.0


def test_a_target_below_full_stops_there() -> None:
    charge = BatteryCharge(CAR, soc=40.0, target_soc=80.0, evse_max_power_w=11_000.0, ramp_s=0.0)
    charge_until(charge, 100.0)
    assert charge.soc == pytest.approx(80.0)
    assert charge.power_w == 0.0


def test_a_paused_car_draws_nothing_and_ramps_up_again() -> None:
    charge = BatteryCharge(CAR, soc=30.0, evse_max_power_w=22_000.0, ramp_s=30.0)
    charge.advance(60.0)
    soc = charge.soc
    assert charge.advance(120.0, paused=True) == 0.0
    assert charge.power_w == 0.0 and charge.soc == soc
    charge.advance(10.0)
    assert 0 < charge.power_w < 11_000.0


def test_single_phase_car_is_limited_by_one_phase_of_the_station() -> None:
    charge = BatteryCharge(SMALL_CAR, soc=30.0, evse_max_power_w=11_000.0, ramp_s=0.0)
    charge.advance(10.0)
    assert charge.power_w == pytest.approx(11_000.0 / 3)


def test_taper_limit() -> None:
    assert taper_limit(50.0, 80.0) == 1.0
    assert taper_limit(90.0, 80.0) == pytest.approx(0.54)
    assert taper_limit(100.0, 80.0) == 0.0


def test_energy_register_only_grows_and_is_whole_watt_hours() -> None:
    rng = random.Random(5)
    meter = ConnectorMeter(123_456.7, rng=rng)
    charge = BatteryCharge(CAR, soc=10.0, evse_max_power_w=22_000.0, rng=rng)
    registers = []
    for _ in range(500):
        paused = rng.random() < 0.2
        meter.add_energy(charge.advance(rng.uniform(0.0, 120.0), paused=paused))
        meter.add_energy(-5.0)  # a negative reading never winds the register back
        registers.append(meter.read(charge.power_w).energy_wh)
    assert registers == sorted(registers)
    assert registers[0] >= 123_456
    assert all(float(r).is_integer() for r in registers)
    assert registers[-1] > registers[0]


def test_reading_splits_power_into_phases_at_about_230_volts() -> None:
    meter = ConnectorMeter(1000.0, rng=random.Random(1))
    three = meter.read(11_000.0, phases=3, soc=55.0)
    assert all(220.0 < v < 240.0 for v in three.voltage_v)
    assert all(15.0 < i < 17.0 for i in three.current_a)
    delivered = sum(v * i for v, i in zip(three.voltage_v, three.current_a, strict=True))
    assert delivered == pytest.approx(11_000.0, rel=1e-9)
    assert three.soc == 55.0

    one = meter.read(7_400.0, phases=1)
    assert one.current_a[0] == pytest.approx(7_400.0 / one.voltage_v[0], rel=1e-6)
    assert one.current_a[1:] == (0.0, 0.0)

    idle = meter.read(0.0)
    assert idle.current_a == (0.0, 0.0, 0.0) and idle.power_w == 0.0 and idle.soc is None


def test_connector_warms_under_load_and_cools_when_idle() -> None:
    meter = ConnectorMeter(0.0, ambient_c=15.0)
    meter.advance_temperature(3600.0, 22_000.0)
    hot = meter.temperature_c
    assert 35.0 < hot < 15.0 + 0.0012 * 22_000.0 + 0.1
    meter.advance_temperature(3600.0, 0.0)
    assert 15.0 < meter.temperature_c < hot - 15.0
