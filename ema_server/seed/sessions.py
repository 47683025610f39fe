"""Charging sessions (OCPP transactions) of the demo chargers.

Telemetry stations get exactly the sessions their meter values show; every other charger gets a
handful of completed sessions over the last two months, with per-connector register readings
that only rise, and an open session on each connector that is charging right now. Sessions are
started with the customer's own RFID card, or at public stations often with another customer's.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from ema_server.seed.charging import MINUTE_MS, session_results
from ema_server.seed.draws import new_uuid
from ema_server.seed.equipment import ACTIVE_CHARGING, DeviceInfo
from ema_server.seed.plan import Planner

_STOP_REASONS = ("EVDisconnected", "Local", "Remote", "PowerLoss", "DeAuthorized", "Other")
_STOP_WEIGHTS = (45, 35, 10, 3, 2, 5)
HISTORY_DAYS = 60


class _Transactions:
    def __init__(self) -> None:
        self.last = 1000

    def next(self) -> int:
        self.last += 1
        return self.last


def charging_sessions(
    rng: random.Random, planner: Planner, now: datetime, per_charger: float
) -> Iterator[dict[str, Any]]:
    transactions = _Transactions()
    for device in planner.devices:
        if device.outlets:
            yield from _device_sessions(rng, planner, device, now, per_charger, transactions)


def _tag_for(rng: random.Random, planner: Planner, device: DeviceInfo) -> tuple[str | None, str | None]:
    owner = planner.customers[device.customer]
    if owner.id_tags and (not device.public or rng.random() < 0.5):
        return rng.choice(owner.id_tags), owner.id
    if planner.cards:
        return rng.choice(planner.cards)
    return None, None


def _row(device: DeviceInfo, tag: tuple[str | None, str | None], connector: int, transaction: int, started: datetime,
         stopped: datetime | None, start_wh: int, stop_wh: int | None, reason: str | None,
         rng: random.Random) -> dict[str, Any]:  # fmt: skip
    return {
        "id": new_uuid(rng), "device_id": device.id, "customer_id": tag[1], "connector_no": connector,
        "transaction_id": transaction, "id_tag": tag[0], "started_at": started, "stopped_at": stopped,
        "meter_start_wh": start_wh, "meter_stop_wh": stop_wh,
        "energy_kwh": None if stop_wh is None else (stop_wh - start_wh) / 1000, "stop_reason": reason,
        "version": 1, "created_at": started, "updated_at": stopped or started,
    }  # fmt: skip


def _device_sessions(
    rng: random.Random,
    planner: Planner,
    device: DeviceInfo,
    now: datetime,
    per_charger: float,
    transactions: _Transactions,
) -> Iterator[dict[str, Any]]:
    plan = device.telemetry
    if plan is not None:
        # How many vehicles fall into the window depends on the time of day of seeding; their own
        # random stream keeps every other charger's sessions the same for the same seed.
        rng = random.Random(plan.seed ^ 0x5E55)
        for result in session_results(plan):
            vehicle = result.vehicle
            started = datetime.fromtimestamp((plan.window_start_ms + vehicle.start * MINUTE_MS) / 1000, UTC)
            start_wh = round(result.register_start_kwh * 1000)
            if vehicle.end > plan.minutes:
                yield _row(device, _tag_for(rng, planner, device), 1, transactions.next(), started, None, start_wh,
                           None, None, rng)  # fmt: skip
                continue
            stopped = datetime.fromtimestamp((plan.window_start_ms + vehicle.end * MINUTE_MS) / 1000, UTC)
            stop_wh = round(result.register_stop_kwh * 1000)
            reason = rng.choice(("EVDisconnected", "Local"))
            yield _row(device, _tag_for(rng, planner, device), 1, transactions.next(), started, stopped, start_wh,
                       stop_wh, reason, rng)  # fmt: skip
        return
    earliest = max(device.created_at, now - timedelta(days=HISTORY_DAYS))
    latest = now - timedelta(hours=3)
    if latest <= earliest:
        return
    dc = {n: standard in ("CCS2", "CHAdeMO") for n, (standard, _kw) in enumerate(device.outlets, start=1)}
    registers = {n: rng.randint(100_000, 20_000_000) for n in dc}
    busy_until = dict.fromkeys(dc, earliest)
    span = int((latest - earliest).total_seconds())
    starts = sorted(
        earliest + timedelta(seconds=rng.randint(0, span)) for _ in range(rng.randint(0, round(2 * per_charger)))
    )
    for started in starts:
        connector = rng.randint(1, len(device.outlets))
        if started <= busy_until[connector]:
            continue
        kw = device.outlets[connector - 1][1]
        energy_wh = rng.randint(8_000, 55_000) if dc[connector] else rng.randint(4_000, 35_000)
        hours = energy_wh / 1000 / (min(kw, 11.0 if not dc[connector] else kw) * 0.85)
        if not device.public:
            hours += rng.uniform(0, 10)  # left plugged in overnight
        stopped = min(started + timedelta(seconds=int(hours * 3600) + 60), latest)
        start_wh = registers[connector]
        registers[connector] += energy_wh
        busy_until[connector] = stopped
        reason = rng.choices(_STOP_REASONS, weights=_STOP_WEIGHTS)[0]
        yield _row(device, _tag_for(rng, planner, device), connector, transactions.next(), started, stopped, start_wh,
                   start_wh + energy_wh, reason, rng)  # fmt: skip
    for connector, status in enumerate(device.connectors, start=1):
        if status in ACTIVE_CHARGING:
            started = now - timedelta(minutes=rng.randint(5, 170))
            yield _row(device, _tag_for(rng, planner, device), connector, transactions.next(), started, None,
                       registers[connector], None, None, rng)  # fmt: skip
