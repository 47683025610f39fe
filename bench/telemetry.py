"""A month of 1 Hz telemetry (2.6 million samples) reduced to 2,000 points on the server, against
reading the raw samples and reducing them in Python."""

from __future__ import annotations

import sqlite3
import time
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy import insert, select

from bench.stats import median, report
from ema_server.db.engine import Database
from ema_server.db.models import Customer, Device, TelemetrySample, TelemetrySeries
from ema_server.domain.telemetry import minmax_reduce
from ema_server.telemetry import rebuild_rollups

SERIAL = "BENCH-1HZ-MONTH"
DAYS = 30
MAX_POINTS = 2000
ROUNDS = 5


async def ensure_month_of_samples(db_url: str, end: datetime) -> str:
    """A device with one power series sampled every second for 30 days before `end`."""
    db = Database(db_url)
    try:
        async with db.sessions() as session:
            existing = (await session.execute(select(Device.id).where(Device.serial == SERIAL))).scalar_one_or_none()
            if existing:
                return existing
            customer_id = (await session.execute(select(Customer.id).limit(1))).scalar_one()
            device = Device(customer_id=customer_id, kind="charging_station", vendor="SECTRON", model="Bench",
                            serial=SERIAL, status="Charging")
            session.add(device)
            await session.flush()
            series = TelemetrySeries(device_id=device.id, measurand="power", unit="kW")
            session.add(series)
            await session.flush()
            start_ms = int((end - timedelta(days=DAYS)).timestamp() * 1000)
            chunk: list[dict[str, float | int]] = []
            for second in range(DAYS * 86400):
                # A daily charging curve with a few sharp spikes that must survive the reduction.
                hour = (second // 3600) % 24
                value = 11.0 if 8 <= hour < 16 else 0.4
                if second % 86413 == 0:
                    value = 50.0
                chunk.append({"series_id": series.id, "ts_ms": start_ms + second * 1000, "value": value})
                if len(chunk) == 20_000:
                    await session.execute(insert(TelemetrySample), chunk)
                    chunk = []
            if chunk:
                await session.execute(insert(TelemetrySample), chunk)
            await rebuild_rollups(session, [series.id])
            await session.commit()
            return device.id
    finally:
        await db.dispose()


def _python_baseline(path: str, device_id: str, start_ms: int, end_ms: int) -> float:
    started = time.perf_counter()
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "SELECT s.ts_ms, s.value FROM telemetry_samples s JOIN telemetry_series t ON t.id = s.series_id "
            "WHERE t.device_id = ? AND t.measurand = 'power' AND s.ts_ms >= ? AND s.ts_ms < ? ORDER BY s.ts_ms",
            (device_id, start_ms, end_ms),
        ).fetchall()
    minmax_reduce(rows, start_ms, end_ms, MAX_POINTS)
    return time.perf_counter() - started


async def run(base: str, headers: dict[str, str], sqlite_path: str, db_url: str) -> None:
    end = datetime(2026, 1, 31, tzinfo=UTC)
    device_id = await ensure_month_of_samples(db_url, end)
    start = end - timedelta(days=DAYS)
    params = {"measurand": "power", "from": start.isoformat(), "to": end.isoformat(), "max_points": MAX_POINTS}
    timings = []
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=120) as http:
        for _ in range(ROUNDS):
            started = time.perf_counter()
            response = await http.get(f"/devices/{device_id}/telemetry", params=params)
            timings.append(time.perf_counter() - started)
            response.raise_for_status()
    points = sum(len(s["points"]) for s in response.json()["series"])
    peak = max(v for s in response.json()["series"] for _, v in s["points"])
    baseline = [_python_baseline(sqlite_path, device_id, int(start.timestamp() * 1000), int(end.timestamp() * 1000))
                for _ in range(2)]
    report(
        "telemetry: 1 Hz month -> 2,000 points",
        f"median {median(timings) * 1000:.0f} ms ({points} points, peak {peak:g} kW kept)",
        f"raw read + Python reduction {median(baseline) * 1000:.0f} ms",
        median(timings) / median(baseline),
    )
