"""Telemetry for the chart: window validation, min/max reduction in the database (the same
chart as `minmax_reduce`, on SQLite and PostgreSQL), charts of long windows drawn from the minute
rollups, and recording meter values with the rollups kept exact."""

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
from ema_server.db.models.devices import TelemetryMinute
from ema_server.domain.telemetry import Point, bucket_width_ms, minmax_reduce
from ema_server.telemetry import (
    Sample,
    read_telemetry,
    rebuild_rollups,
    record_samples,
    reduced_points,
    rolled_up_points,
    to_ms,
)
from tests.conftest import SignIn
from tests.server.test_devices import make_fleet

START = datetime(2025, 3, 1, tzinfo=UTC)
START_MS = to_ms(START)
SECOND = 1000
MINUTE = 60 * SECOND


async def add_series(db: Database, device_id: str, measurand: str, points: list[Point], phase: str = "",
                     connector_no: int = 0, unit: str = "A", rollups: bool = True) -> int:
    """A series bulk-written as the demo seeder writes it: plain inserts, then a rollup rebuild."""
    async with db.sessions() as session:
        series = TelemetrySeries(device_id=device_id, connector_no=connector_no, measurand=measurand, phase=phase,
                                 unit=unit)
        session.add(series)
        await session.flush()
        if points:
            await session.execute(insert(TelemetrySample),
                                  [{"series_id": series.id, "ts_ms": t, "value": v} for t, v in points])
        if rollups:
            await rebuild_rollups(session, [series.id])
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


# --- minute rollups ---------------------------------------------------------------------------

Rollup = tuple[int, int, int, float, int, float, int]
"""(series_id, minute_ms, count, min_value, min_ts_ms, max_value, max_ts_ms)"""


def rollups_of(samples: list[tuple[int, int, float]]) -> list[Rollup]:
    """Minute rollups computed the obvious way: earliest sample among equal extremes."""
    minutes: dict[tuple[int, int], list[Point]] = {}
    for series_id, ts_ms, value in samples:
        minutes.setdefault((series_id, ts_ms - ts_ms % MINUTE), []).append((ts_ms, value))
    out: list[Rollup] = []
    for (series_id, minute), points in sorted(minutes.items()):
        low = min(points, key=lambda p: (p[1], p[0]))
        high = min(points, key=lambda p: (-p[1], p[0]))
        out.append((series_id, minute, len(points), low[1], low[0], high[1], high[0]))
    return out


async def stored_rollups(db: Database) -> tuple[list[Rollup], list[Rollup]]:
    """(rollup rows in the database, rollups computed from the stored samples)."""
    m, s = TelemetryMinute, TelemetrySample
    async with db.sessions() as session:
        rows = (await session.execute(
            select(m.series_id, m.minute_ms, m.count, m.min_value, m.min_ts_ms, m.max_value, m.max_ts_ms)
            .order_by(m.series_id, m.minute_ms)
        )).all()  # fmt: skip
        samples = (await session.execute(select(s.series_id, s.ts_ms, s.value))).all()
    got = [(int(r[0]), int(r[1]), int(r[2]), float(r[3]), int(r[4]), float(r[5]), int(r[6])) for r in rows]
    return got, rollups_of([(int(series_id), int(ts_ms), float(value)) for series_id, ts_ms, value in samples])


def wild_walk(rng: random.Random, start_ms: int, end_ms: int) -> dict[int, float]:
    """Bursts of samples a few seconds apart with quiet gaps of minutes, distinct noisy values."""
    data: dict[int, float] = {}
    t = start_ms
    while t < end_ms:
        data[t] = rng.gauss(230.0, 4.0)
        t += rng.randint(1, 5 * SECOND) if rng.random() < 0.98 else rng.randint(MINUTE, 15 * MINUTE)
    return data


async def test_long_window_chart_keeps_its_real_extremes_and_nothing_from_outside_the_window(
    client: httpx.AsyncClient, db: Database, sign_in: SignIn
) -> None:
    fleet = await make_fleet(db)
    rng = random.Random(11)
    # Neither end on a whole minute, nor any bucket edge: the rollup path's hardest case.
    start_ms, end_ms, max_points = START_MS + 17_321, START_MS + 9 * 3600 * SECOND + 43_210, 200
    assert bucket_width_ms(start_ms, end_ms, max_points) % MINUTE != 0
    data = wild_walk(rng, start_ms - 5 * MINUTE, end_ms + 5 * MINUTE)
    data.update({start_ms: 229.0, end_ms - 1: 231.0})
    # Wild values in the very minutes the window's ends cut through, but outside the window.
    data.update({start_ms - 2 * SECOND: -1e6, start_ms - 1: 1e6, end_ms: -1e6, end_ms + SECOND: 1e6})
    series_id = await add_series(db, fleet.station, "voltage", sorted(data.items()), unit="V")
    inside = sorted((t, v) for t, v in data.items() if start_ms <= t < end_ms)
    assert len(inside) > max_points

    h = (await sign_in("technician")).headers
    body = await chart(client, h, fleet.station, **{"from": iso(start_ms), "to": iso(end_ms),
                                                    "max_points": max_points})
    [series] = body["series"]
    got = [(t, v) for t, v in series["points"]]

    assert series["reduced"] is True
    assert 0 < len(got) <= max_points
    assert got == sorted(got) and len({t for t, _ in got}) == len(got)
    assert all(start_ms <= t < end_ms for t, _ in got)
    assert all(data[t] == v for t, v in got)  # real samples, never averages
    assert min(inside, key=lambda p: p[1]) in got
    assert max(inside, key=lambda p: p[1]) in got
    width = bucket_width_ms(start_ms, end_ms, max_points)
    buckets = [(t - start_ms) // width for t, _ in got]
    assert all(buckets.count(b) <= 2 for b in buckets)
    async with db.sessions() as session:
        assert (await rolled_up_points(session, [series_id], start_ms, end_ms, max_points))[series_id] == got


@pytest.mark.parametrize(
    ("max_points", "start_ms", "end_ms"),
    [
        (101, START_MS, START_MS + 50 * MINUTE),  # 50 buckets of exactly one minute
        (200, START_MS, START_MS + 300 * MINUTE),  # 100 buckets of three minutes
        (1000, START_MS + 7 * MINUTE, START_MS + 1007 * MINUTE),  # 500 buckets of two minutes
        (2, START_MS + 12_345, START_MS + 400 * MINUTE - 6_789),  # one bucket; both ends cut into minutes
        (3, START_MS - 61_000, START_MS + 90 * MINUTE + 1),
    ],
)
async def test_chart_from_minute_rollups_is_minmax_reduce_when_buckets_are_whole_minutes(
    db: Database, max_points: int, start_ms: int, end_ms: int
) -> None:
    fleet = await make_fleet(db)
    rng = random.Random(max_points)
    width = bucket_width_ms(start_ms, end_ms, max_points)
    assert width >= MINUTE and (max_points < 4 or (width % MINUTE == 0 and start_ms % MINUTE == 0))
    minutes = (end_ms - start_ms) // MINUTE + 20
    times = set(rng.sample(range(start_ms - 10 * MINUTE, end_ms + 10 * MINUTE, 997), 4 * minutes))
    # Samples on both sides of every bucket edge and of the window's ends catch an off-by-one.
    times |= {start_ms + k * width + d for k in range(max_points // 2 + 1) for d in (-1, 0)}
    times |= {end_ms - 1, end_ms}
    noisy = [(t, rng.gauss(230.0, 4.0)) for t in sorted(times)]
    coarse = [(t, float(rng.randint(0, 3))) for t in sorted(times)]  # equal extremes everywhere
    noisy_id = await add_series(db, fleet.station, "voltage", noisy, unit="V")
    coarse_id = await add_series(db, fleet.station, "current", coarse)
    expected = {
        series_id: minmax_reduce([p for p in points if start_ms <= p[0] < end_ms], start_ms, end_ms, max_points)
        for series_id, points in ((noisy_id, noisy), (coarse_id, coarse))
    }
    assert len([p for p in noisy if start_ms <= p[0] < end_ms]) > max_points

    async with db.sessions() as session:
        rolled = await rolled_up_points(session, [noisy_id, coarse_id], start_ms, end_ms, max_points)
        charted = await read_telemetry(session, fleet.station, start_ms, end_ms, max_points)

    assert rolled == expected
    assert {s.series_id: s.points for s in charted} == expected
    assert all(s.reduced for s in charted)


async def test_long_window_with_exactly_max_points_samples_comes_back_sample_for_sample(
    client: httpx.AsyncClient, db: Database, sign_in: SignIn
) -> None:
    fleet = await make_fleet(db)
    start_ms, end_ms, max_points = START_MS + 30 * SECOND, START_MS + 24 * 3600 * SECOND - 20 * SECOND, 100
    assert bucket_width_ms(start_ms, end_ms, max_points) >= MINUTE
    # 98 samples in whole minutes and one in each partial minute at the ends, which also hold
    # samples just outside the window.
    inside = [(start_ms + 10 * SECOND, 1.0), *((START_MS + (i + 1) * 7 * MINUTE, float(i)) for i in range(98)),
              (end_ms - 1, 2.0)]  # fmt: skip
    outside = [(start_ms - 1, 50.0), (end_ms, 60.0)]
    await add_series(db, fleet.station, "current", sorted(inside + outside))
    h = (await sign_in("hotline")).headers
    window = {"from": iso(start_ms), "to": iso(end_ms), "max_points": max_points}

    body = await chart(client, h, fleet.station, **window)
    assert body["series"][0]["reduced"] is False
    assert body["series"][0]["points"] == [list(p) for p in sorted(inside)]

    async with db.sessions() as session:
        await record_samples(session, fleet.station, [Sample(START + timedelta(hours=3, seconds=1), "current", 7.0)])
        await session.commit()
    one_more = await chart(client, h, fleet.station, **window)
    assert one_more["series"][0]["reduced"] is True
    assert len(one_more["series"][0]["points"]) <= max_points


async def test_samples_written_without_a_rollup_rebuild_still_draw_a_full_chart(
    client: httpx.AsyncClient, db: Database, sign_in: SignIn
) -> None:
    fleet = await make_fleet(db)
    points = [(START_MS + i * 10 * SECOND, 16.0) for i in range(20_000)]
    points[4_321] = (points[4_321][0], 63.5)
    await add_series(db, fleet.station, "current", points, rollups=False)
    h = (await sign_in("hotline")).headers

    body = await chart(client, h, fleet.station, **{"from": iso(START_MS), "to": iso(START_MS + 200_000 * SECOND),
                                                    "max_points": 100})
    [series] = body["series"]
    assert series["reduced"] is True
    assert [points[4_321][0], 63.5] in series["points"]
    same_chart([(t, v) for t, v in series["points"]], minmax_reduce(points, START_MS, START_MS + 200_000 * SECOND,
                                                                    100), dict(points), START_MS,
               START_MS + 200_000 * SECOND, 100)  # fmt: skip


async def test_recorded_samples_keep_minute_rollups_exact_even_late_out_of_order_and_resent(db: Database) -> None:
    fleet = await make_fleet(db)

    def current(seconds: float, value: float) -> Sample:
        return Sample(START + timedelta(seconds=seconds), "current", value, phase="L1")

    batches = [
        [current(5, 10.0), current(30, 12.0), current(70, 11.0), current(130, 9.0),
         Sample(START + timedelta(seconds=10), "voltage", 230.0, unit="V")],
        # Late and out of order: an earlier sample equal to the minute's minimum, a new maximum
        # of the next minute, and a minute before all the others.
        [current(2, 10.0), current(65, 15.0), current(-50, 3.0), current(100.5, 9.0)],
        # Resent after a reconnect with other values (the stored sample stays), and one instant
        # reported twice in a batch (the last report wins).
        [current(5, -100.0), current(30, 100.0), current(140, 1.0), current(140, 20.0)],
        # A day's backlog after a long outage: one sample every other minute, hundreds of them.
        [current(3600 + 120 * i + i % 60, float(i % 17)) for i in range(250)],
        # Before 1970 a minute still starts at or before its samples.
        [Sample(datetime(1969, 12, 31, 23, 59, 30, tzinfo=UTC), "temperature", -5.0),
         Sample(datetime(1969, 12, 31, 23, 58, 59, 999_000, tzinfo=UTC), "temperature", -5.0)],
    ]
    for batch in batches:
        async with db.sessions() as session:
            await record_samples(session, fleet.station, batch)
            await session.commit()
        got, expected = await stored_rollups(db)
        assert got == expected

    by_minute = {(r[1], r[3]): r for r in got}
    assert by_minute[(START_MS, 10.0)][4] == START_MS + 2 * SECOND  # the earliest of equal minimums
    assert by_minute[(START_MS + MINUTE, 9.0)][5:] == (15.0, START_MS + 65 * SECOND)
    assert by_minute[(START_MS + 2 * MINUTE, 9.0)][5:] == (20.0, START_MS + 140 * SECOND)
    assert {r[1] for r in got if r[3] == -5.0} == {-2 * MINUTE, -MINUTE}

    async with db.sessions() as session:
        assert await rebuild_rollups(session) == len(got)
        await session.commit()
    rebuilt, _ = await stored_rollups(db)
    assert rebuilt == got


async def test_rebuilding_rollups_replaces_the_given_series_minutes_and_leaves_others_alone(db: Database) -> None:
    fleet = await make_fleet(db)
    rng = random.Random(5)
    first = await add_series(db, fleet.station, "power", sorted(wild_walk(rng, START_MS, START_MS + 3600 * SECOND)
                                                                .items()), unit="kW", rollups=False)  # fmt: skip
    second = await add_series(db, fleet.station, "current", [(START_MS, 1.0), (START_MS + MINUTE, 2.0)],
                              rollups=False)
    stale = [
        TelemetryMinute(series_id=first, minute_ms=START_MS - 10 * MINUTE, count=3, min_value=0.0,
                        min_ts_ms=START_MS - 10 * MINUTE, max_value=1.0, max_ts_ms=START_MS - 10 * MINUTE),
        TelemetryMinute(series_id=first, minute_ms=START_MS, count=1, min_value=0.0, min_ts_ms=START_MS,
                        max_value=0.0, max_ts_ms=START_MS),
        TelemetryMinute(series_id=second, minute_ms=START_MS, count=9, min_value=-1.0, min_ts_ms=START_MS,
                        max_value=9.0, max_ts_ms=START_MS),
    ]
    async with db.sessions() as session:
        session.add_all(stale)
        await session.commit()

    async with db.sessions() as session:
        written = await rebuild_rollups(session, [first])
        await session.commit()
    got, expected = await stored_rollups(db)
    assert [r for r in got if r[0] == first] == [r for r in expected if r[0] == first]
    assert written == len([r for r in expected if r[0] == first]) > 10
    assert [r for r in got if r[0] == second] == [(second, START_MS, 9, -1.0, START_MS, 9.0, START_MS)]

    async with db.sessions() as session:
        await rebuild_rollups(session)
        await session.commit()
    got, expected = await stored_rollups(db)
    assert got == expected
