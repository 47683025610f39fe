"""Telemetry for the chart: window validation, min/max reduction in the database (the same
chart as `minmax_reduce`, on SQLite and PostgreSQL), and recording meter values."""

from __future__ import annotations

import json
import math
import random
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import insert, select

from ema_server.db.engine import Database
from ema_server.db.models import Device, EventRecord, TelemetrySample, TelemetrySeries, utcnow
from ema_server.domain.telemetry import Point, bucket_width_ms, minmax_reduce
from ema_server.telemetry import Sample, record_samples, reduced_points, to_ms
from tests.conftest import SignIn
from tests.server.test_devices import make_fleet

START = datetime(2025, 3, 1, tzinfo=UTC)
START_MS = to_ms(START)
SECOND = 1000


async def add_series(db: Database, device_id: str, measurand: str, points: list[Point], phase: str = "",
                     connector_no: int = 0, unit: str = "A") -> int:
    async with db.sessions() as session:
        series = TelemetrySeries(device_id=device_id, connector_no=connector_no, measurand=measurand, phase=phase,
                                 unit=unit)
        session.add(series)
        await session.flush()
        if points:
            await session.execute(insert(TelemetrySample),
                                  [{"series_id": series.id, "ts_ms": t, "value": v} for t, v in points])
        await session.commit()
        return series.id


def iso(ms: int) -> str:
    return (START + timedelta(milliseconds=ms - START_MS)).isoformat().replace("+00:00", "Z")


async def chart(client: httpx.AsyncClient, headers: dict[str, str], device_id: str, **params: Any) -> Any:
    response = await client.get(f"/devices/{device_id}/telemetry", headers=headers, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def same_chart(got: list[Point], expected: list[Point], data: dict[int, float], start_ms: int, end_ms: int,
               max_points: int) -> None:
    """Equal up to which of several equal extremes a bucket keeps: the same minimum and maximum
    value in every bucket, and every point a real sample."""
    width = bucket_width_ms(start_ms, end_ms, max_points)

    def extremes(points: list[Point]) -> dict[int, tuple[float, float]]:
        out: dict[int, tuple[float, float]] = {}
        for t, v in points:
            low, high = out.get((t - start_ms) // width, (v, v))
            out[(t - start_ms) // width] = (min(low, v), max(high, v))
        return out

    assert len(got) <= max_points
    assert got == sorted(got)
    assert all(data[t] == v for t, v in got)
    assert extremes(got) == extremes(expected)


async def test_window_errors_name_the_field(client: httpx.AsyncClient, db: Database, sign_in: SignIn) -> None:
    fleet = await make_fleet(db)
    h = (await sign_in("technician")).headers
    url = f"/devices/{fleet.station}/telemetry"
    cases: list[tuple[dict[str, Any], str]] = [
        ({"from": "2025-03-02T00:00:00Z", "to": "2025-03-01T00:00:00Z"}, "from"),
        ({"from": "2025-03-01T00:00:00Z", "to": "2025-03-01T00:00:00Z"}, "from"),
        ({"from": "2024-01-01T00:00:00Z", "to": "2025-03-01T00:00:00Z"}, "from"),  # 425 days
        ({"from": "2020-01-01T00:00:00Z"}, "from"),  # to defaults to now
        ({"max_points": 1}, "max_points"),
        ({"max_points": 10_001}, "max_points"),
        ({"from": "yesterday"}, "from"),
        ({"to": "2025-03-01T00:00:00"}, "to"),  # no offset: which time zone?
        ({"measurand": "pressure"}, "measurand"),
        ({"from": "9999-12-31T23:59:59-05:00"}, "from"),  # past the end of time in UTC
        ({"to": "0001-01-01T00:00:00Z"}, "to"),  # no 24 hours before it
    ]
    for params, field in cases:
        response = await client.get(url, headers=h, params=params)
        assert response.status_code == 422, params
        assert response.headers["content-type"] == "application/problem+json"
        assert [e["field"].split(".")[0] for e in response.json()["errors"]] == [field], params
    exactly_400_days = await client.get(url, headers=h, params={"from": "2024-01-01T00:00:00Z",
                                                                "to": "2025-02-04T00:00:00Z"})
    assert exactly_400_days.status_code == 200


async def test_default_window_is_the_last_24_hours(client: httpx.AsyncClient, db: Database,
                                                   sign_in: SignIn) -> None:
    fleet = await make_fleet(db)
    now_ms = to_ms(utcnow())
    hour = 3600 * SECOND
    await add_series(db, fleet.station, "current", [(now_ms - 25 * hour, 1.0), (now_ms - 23 * hour, 2.0),
                                                    (now_ms - hour, 3.0), (now_ms + hour, 4.0)])
    h = (await sign_in("hotline")).headers
    body = await chart(client, h, fleet.station)
    start, end = (datetime.fromisoformat(str(body[k]).replace("Z", "+00:00")) for k in ("from", "to"))
    assert end - start == timedelta(hours=24)
    assert body["max_points"] == 1000 and body["device_id"] == fleet.station
    [series] = body["series"]
    assert [v for _, v in series["points"]] == [2.0, 3.0]
    assert series["reduced"] is False and series["unit"] == "A"
    assert all(isinstance(t, int) for t, _ in series["points"])


async def test_small_series_come_back_sample_for_sample_with_ms_timestamps(
    client: httpx.AsyncClient, db: Database, sign_in: SignIn
) -> None:
    fleet = await make_fleet(db)
    points = [(START_MS + i * SECOND, float(i)) for i in range(10)]
    await add_series(db, fleet.station, "voltage", points, phase="L1", connector_no=1, unit="V")
    h = (await sign_in("hotline")).headers
    # The window is [from, to): the sample at `to` belongs to the next window.
    body = await chart(client, h, fleet.station, **{"from": iso(START_MS), "to": iso(START_MS + 9 * SECOND),
                                                    "max_points": 9})
    assert body["series"] == [{"measurand": "voltage", "phase": "L1", "connector_no": 1, "unit": "V",
                               "reduced": False, "points": [list(p) for p in points[:9]]}]


async def test_measurand_filter_picks_series_and_default_is_all(client: httpx.AsyncClient, db: Database,
                                                                sign_in: SignIn) -> None:
    fleet = await make_fleet(db)
    sample = [(START_MS, 1.0)]
    for measurand, phase in (("current", "L1"), ("current", "L2"), ("power", ""), ("temperature", "")):
        await add_series(db, fleet.station, measurand, sample, phase=phase)
    await add_series(db, fleet.wallbox, "soc", sample)  # another device's series never shows
    h = (await sign_in("hotline")).headers
    window = {"from": iso(START_MS), "to": iso(START_MS + 3600 * SECOND)}

    every = await chart(client, h, fleet.station, **window)
    assert [(s["measurand"], s["phase"]) for s in every["series"]] == [
        ("current", "L1"), ("current", "L2"), ("power", ""), ("temperature", "")]
    some = await chart(client, h, fleet.station, measurand=["power", "current"], **window)
    assert [(s["measurand"], s["phase"]) for s in some["series"]] == [
        ("current", "L1"), ("current", "L2"), ("power", "")]
    none = await chart(client, h, fleet.station, measurand="soc", **window)
    assert none["series"] == []


async def test_single_spike_among_100k_flat_samples_survives_a_chart_of_100_points(
    client: httpx.AsyncClient, db: Database, sign_in: SignIn
) -> None:
    fleet = await make_fleet(db)
    count = 100_000
    points = [(START_MS + i * SECOND, 16.0) for i in range(count)]
    points[67_891] = (points[67_891][0], 63.5)
    points[12_345] = (points[12_345][0], 0.0)
    await add_series(db, fleet.station, "current", points)
    h = (await sign_in("technician")).headers

    body = await chart(client, h, fleet.station, **{"from": iso(START_MS), "to": iso(START_MS + count * SECOND),
                                                    "max_points": 100})
    [series] = body["series"]
    assert series["reduced"] is True
    assert len(series["points"]) <= 100
    assert [points[67_891][0], 63.5] in series["points"]
    assert [points[12_345][0], 0.0] in series["points"]
    expected = minmax_reduce(points, START_MS, START_MS + count * SECOND, 100)
    same_chart([(t, v) for t, v in series["points"]], expected, dict(points), START_MS, START_MS + count * SECOND,
               100)


@pytest.mark.parametrize("max_points", [2, 3, 100, 999])
async def test_database_reduction_draws_the_same_chart_as_minmax_reduce(db: Database, max_points: int) -> None:
    fleet = await make_fleet(db)
    rng = random.Random(max_points)
    # Irregular sampling with gaps, a window cutting into the data, and both a noisy series
    # (distinct values: the very same points expected) and a coarse one (many equal extremes).
    start_ms, end_ms = START_MS, START_MS + 3001 * SECOND
    width = bucket_width_ms(start_ms, end_ms, max_points)
    # Samples on both sides of every bucket edge and of the window's ends catch an off-by-one.
    edges = {start_ms + k * width + d for k in range(max_points // 2 + 1) for d in (-1, 0)} | {end_ms - 1, end_ms}
    times = sorted(set(rng.sample(range(START_MS - 50 * SECOND, START_MS + 5000 * SECOND, 700), 5000)) | edges)
    noisy = [(t, rng.gauss(230.0, 4.0)) for t in times]
    coarse = [(t, float(rng.randint(0, 3))) for t in times]
    noisy_id = await add_series(db, fleet.station, "voltage", noisy, unit="V")
    coarse_id = await add_series(db, fleet.station, "current", coarse)
    inside = [p for p in noisy if start_ms <= p[0] < end_ms]

    async with db.sessions() as session:
        got = await reduced_points(session, [noisy_id, coarse_id], start_ms, end_ms, max_points)

    assert got[noisy_id] == minmax_reduce(inside, start_ms, end_ms, max_points)
    coarse_inside = [p for p in coarse if start_ms <= p[0] < end_ms]
    same_chart(got[coarse_id], minmax_reduce(coarse_inside, start_ms, end_ms, max_points), dict(coarse),
               start_ms, end_ms, max_points)


async def test_recorded_meter_values_are_converted_deduplicated_and_published(
    client: httpx.AsyncClient, db: Database, sign_in: SignIn
) -> None:
    fleet = await make_fleet(db)
    at = START + timedelta(minutes=5)
    batch = [
        Sample(at, "energy", 12_345.0, connector_no=1, unit="Wh"),
        Sample(at, "power", 7_400.0, connector_no=1, unit="W"),
        Sample(at, "current", 32.0, connector_no=1, phase="L1"),
        Sample(at, "temperature", 300.15, unit="K"),
        Sample(at, "current", math.nan, connector_no=1, phase="L2"),  # not a number: skipped
        Sample(at, "pressure", 1.0),  # not a measurand EMA knows
        Sample(at, "power", 1.0, unit="furlongs"),  # a unit it cannot convert
    ]
    async with db.sessions() as session:
        assert await record_samples(session, fleet.station, batch) == 4
        await session.commit()
    async with db.sessions() as session:
        # A station resending after a reconnect: nothing is stored or published twice.
        resent = [*batch[:2], Sample(at + timedelta(seconds=10), "energy", 12_400.0, connector_no=1, unit="Wh")]
        assert await record_samples(session, fleet.station, resent) == 1
        await session.commit()

    async with db.sessions() as session:
        events = (await session.execute(select(EventRecord).order_by(EventRecord.id))).scalars().all()
        device = await session.get(Device, fleet.station)
    assert device is not None and device.last_seen_at is not None
    assert [e.type for e in events] == ["telemetry", "telemetry"]
    first, second = (json.loads(e.data) for e in events)
    assert first["device_id"] == fleet.station
    assert {(s["measurand"], s["phase"], s["connector_no"], s["unit"]): s["points"] for s in first["series"]} == {
        ("temperature", "", 0, "°C"): [[to_ms(at), pytest.approx(27.0)]],
        ("current", "L1", 1, "A"): [[to_ms(at), 32.0]],
        ("energy", "", 1, "kWh"): [[to_ms(at), 12.345]],
        ("power", "", 1, "kW"): [[to_ms(at), 7.4]],
    }
    assert second["series"] == [{"measurand": "energy", "phase": "", "connector_no": 1, "unit": "kWh",
                                 "points": [[to_ms(at) + 10 * SECOND, 12.4]]}]

    h = (await sign_in("hotline")).headers
    body = await chart(client, h, fleet.station, measurand="energy",
                       **{"from": iso(START_MS), "to": iso(START_MS + 3600 * SECOND)})
    assert body["series"][0]["points"] == [[to_ms(at), 12.345], [to_ms(at) + 10 * SECOND, 12.4]]
