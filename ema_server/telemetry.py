"""Telemetry and status of devices: reading series for charts, reduced in the database, and
recording what stations report (meter values, status notifications) for the OCPP endpoint.

A month of meter values is hundreds of thousands of samples per series; shipping them to
Python to thin them out would move all of them over the wire, so the min/max bucketing of
:func:`ema_server.domain.telemetry.minmax_reduce` is done by the database itself. Both paths
share :func:`~ema_server.domain.telemetry.bucket_width_ms`, so they draw the same chart.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import BigInteger, Float, Select, func, literal, or_, select, union_all
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from ema_server.db.events import publish
from ema_server.db.models import Connector, Device, DeviceStatusChange, TelemetrySample, TelemetrySeries, utcnow
from ema_server.db.models.base import json_value
from ema_server.db.models.devices import DEVICE_STATUSES, MEASURAND_UNITS, MEASURANDS
from ema_server.domain.telemetry import Point, bucket_width_ms

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# A station reporting every few seconds would otherwise bump the device's version and write a
# change-feed record on every message; "last seen" to the minute is what operators need.
LAST_SEEN_RESOLUTION = timedelta(seconds=60)
# OCPP reports "NoError" for a healthy connector; storing it as no error makes "Available /
# NoError" and "Available / none" the same status, as they are.
NO_ERROR_CODES = frozenset({"", "NoError"})
ERROR_CODE_MAX = 32
PHASE_MAX = 4

# (measurand, unit as reported) -> (scale, offset) into the measurand's unit in MEASURAND_UNITS:
# a series has one unit, whatever unit each station happens to report in.
_UNIT_CONVERSIONS: dict[tuple[str, str], tuple[float, float]] = {
    ("energy", "kWh"): (1.0, 0.0),
    ("energy", "Wh"): (0.001, 0.0),
    ("power", "kW"): (1.0, 0.0),
    ("power", "W"): (0.001, 0.0),
    ("current", "A"): (1.0, 0.0),
    ("voltage", "V"): (1.0, 0.0),
    ("soc", "%"): (1.0, 0.0),
    ("soc", "Percent"): (1.0, 0.0),
    ("temperature", "°C"): (1.0, 0.0),
    ("temperature", "Celsius"): (1.0, 0.0),
    ("temperature", "K"): (1.0, -273.15),
    ("temperature", "Fahrenheit"): (5 / 9, -160 / 9),
}

_INF = float("inf")


def to_ms(at: datetime) -> int:
    """Unix time in whole milliseconds, exactly (no float rounding of microseconds)."""
    if at.tzinfo is None:
        raise ValueError("naive datetime: telemetry times must carry a time zone")
    return (at - EPOCH) // timedelta(milliseconds=1)


def from_ms(ms: int) -> datetime:
    return EPOCH + timedelta(milliseconds=ms)


# --- reading ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeriesPoints:
    """One series of a device in a time window, as a chart draws it."""

    series_id: int
    measurand: str
    phase: str
    connector_no: int
    unit: str
    reduced: bool
    """True when the window held more than max_points samples and min/max buckets were taken."""
    points: list[Point]


def _in_window(series_ids: Sequence[int], start_ms: int, end_ms: int) -> list[Any]:
    s = TelemetrySample
    return [
        s.series_id.in_(series_ids),
        s.ts_ms >= start_ms,
        s.ts_ms < end_ms,
        # NaN and infinities can be neither a chart point nor JSON; on PostgreSQL NaN sorts
        # above +inf, so these two bounds drop all three.
        s.value > literal(-_INF, Float),
        s.value < literal(_INF, Float),
    ]


async def device_series(
    session: AsyncSession, device_id: str, measurands: Sequence[str] | None = None
) -> list[TelemetrySeries]:
    query = select(TelemetrySeries).where(TelemetrySeries.device_id == device_id)
    if measurands:
        query = query.where(TelemetrySeries.measurand.in_(list(measurands)))
    query = query.order_by(TelemetrySeries.connector_no, TelemetrySeries.measurand, TelemetrySeries.phase)
    return list((await session.execute(query)).scalars().all())


async def sample_counts(session: AsyncSession, series_ids: Sequence[int], start_ms: int, end_ms: int) -> dict[int, int]:
    if not series_ids:
        return {}
    query = (
        select(TelemetrySample.series_id, func.count())
        .where(*_in_window(series_ids, start_ms, end_ms))
        .group_by(TelemetrySample.series_id)
    )
    return {int(series_id): int(count) for series_id, count in (await session.execute(query)).all()}


async def raw_points(
    session: AsyncSession, series_ids: Sequence[int], start_ms: int, end_ms: int
) -> dict[int, list[Point]]:
    out: dict[int, list[Point]] = {series_id: [] for series_id in series_ids}
    if not series_ids:
        return out
    s = TelemetrySample
    query = (
        select(s.series_id, s.ts_ms, s.value)
        .where(*_in_window(series_ids, start_ms, end_ms))
        .order_by(s.series_id, s.ts_ms)
    )
    for series_id, ts_ms, value in await session.execute(query):
        out[series_id].append((int(ts_ms), float(value)))
    return out


async def reduced_points(
    session: AsyncSession, series_ids: Sequence[int], start_ms: int, end_ms: int, max_points: int
) -> dict[int, list[Point]]:
    """Min/max bucketing of every given series, computed by the database.

    [start_ms, end_ms) is cut into buckets of ``bucket_width_ms(start_ms, end_ms, max_points)``;
    each non-empty bucket yields its minimum and its maximum sample with their real timestamps
    (one point when both are the same sample), in time order: what ``minmax_reduce`` gives for
    the same samples, up to which of several equal extremes is kept.
    """
    out: dict[int, list[Point]] = {series_id: [] for series_id in series_ids}
    if not series_ids:
        return out
    width = bucket_width_ms(start_ms, end_ms, max_points)
    s = TelemetrySample
    bucket = (s.ts_ms - literal(start_ms, BigInteger)) // literal(width, BigInteger)
    where = _in_window(series_ids, start_ms, end_ms)
    connection = await session.connection()
    query: Select[Any]
    if connection.dialect.name == "sqlite":
        # SQLite's bare columns: with exactly one min() or max() in a grouped SELECT, the other
        # plain columns come from the row that holds that minimum or maximum.
        lows = select(s.series_id, s.ts_ms, func.min(s.value)).where(*where).group_by(s.series_id, bucket)
        highs = select(s.series_id, s.ts_ms, func.max(s.value)).where(*where).group_by(s.series_id, bucket)
        query = select(union_all(lows, highs).subquery())
    else:
        # Earliest sample first among equal extremes, as minmax_reduce breaks ties.
        ranked = select(
            s.series_id,
            s.ts_ms,
            s.value,
            func.row_number().over(partition_by=(s.series_id, bucket), order_by=(s.value.asc(), s.ts_ms.asc()))
            .label("low_rank"),
            func.row_number().over(partition_by=(s.series_id, bucket), order_by=(s.value.desc(), s.ts_ms.asc()))
            .label("high_rank"),
        ).where(*where).subquery()
        query = select(ranked.c.series_id, ranked.c.ts_ms, ranked.c.value).where(
            or_(ranked.c.low_rank == 1, ranked.c.high_rank == 1)
        )
    seen: set[tuple[int, int]] = set()
    for series_id, ts_ms, value in (await session.execute(query)).all():
        # (series, time) is the primary key: the same time is the same sample, found as both
        # the minimum and the maximum of its bucket.
        key = (int(series_id), int(ts_ms))
        if key not in seen:
            seen.add(key)
            out[key[0]].append((key[1], float(value)))
    for points in out.values():
        points.sort()
    return out


async def read_telemetry(
    session: AsyncSession,
    device_id: str,
    start_ms: int,
    end_ms: int,
    max_points: int,
    measurands: Sequence[str] | None = None,
) -> list[SeriesPoints]:
    """The device's series in [start_ms, end_ms), each at most ``max_points`` points long."""
    series = await device_series(session, device_id, measurands)
    ids = [s.id for s in series]
    counts = await sample_counts(session, ids, start_ms, end_ms)
    small = [i for i in ids if counts.get(i, 0) <= max_points]
    large = [i for i in ids if counts.get(i, 0) > max_points]
    points = await raw_points(session, [i for i in small if counts.get(i, 0)], start_ms, end_ms)
    points.update(await reduced_points(session, large, start_ms, end_ms, max_points))
    return [
        SeriesPoints(
            series_id=s.id, measurand=s.measurand, phase=s.phase, connector_no=s.connector_no, unit=s.unit,
            reduced=s.id in large, points=points.get(s.id, []),
        )
        for s in series
    ]


# --- recording --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    """One sampled value as a station reported it (measurand named as in MEASURANDS)."""

    at: datetime
    measurand: str
    value: float
    connector_no: int = 0
    phase: str = ""
    """'' for the whole device; L1, L2, L3 (or OCPP's L1-N …) per phase."""
    unit: str | None = None
    """As reported ('Wh', 'W', 'Celsius' …); None means the measurand's unit in MEASURAND_UNITS."""


def _normalised(sample: Sample) -> tuple[tuple[int, str, str], int, float] | None:
    """(series key, ts_ms, value in the series unit), or None for a sample that cannot be kept."""
    if sample.measurand not in MEASURANDS or sample.connector_no < 0 or len(sample.phase) > PHASE_MAX:
        return None
    conversion = _UNIT_CONVERSIONS.get((sample.measurand, sample.unit or MEASURAND_UNITS[sample.measurand]))
    if conversion is None:
        return None
    value = float(sample.value) * conversion[0] + conversion[1]
    if not math.isfinite(value):
        return None
    return (sample.connector_no, sample.measurand, sample.phase), to_ms(sample.at), value


def _insert_ignoring_duplicates(dialect: str, table: Any) -> Any:
    if dialect == "sqlite":
        return sqlite.insert(table).on_conflict_do_nothing()
    return postgresql.insert(table).on_conflict_do_nothing()


async def _series_ids(
    session: AsyncSession, dialect: str, device_id: str, keys: Iterable[tuple[int, str, str]]
) -> dict[tuple[int, str, str], int]:
    def key_of(series: TelemetrySeries) -> tuple[int, str, str]:
        return series.connector_no, series.measurand, series.phase

    known = {key_of(s): s.id for s in await device_series(session, device_id)}
    missing = [k for k in keys if k not in known]
    if missing:
        # Ignoring duplicates makes a racing writer of the same new series harmless.
        await session.execute(
            _insert_ignoring_duplicates(dialect, TelemetrySeries.__table__),
            [
                {"device_id": device_id, "connector_no": c, "measurand": m, "phase": p, "unit": MEASURAND_UNITS[m]}
                for c, m, p in missing
            ],
        )
        known = {key_of(s): s.id for s in await device_series(session, device_id)}
    return known


async def record_samples(session: AsyncSession, device_id: str, samples: Iterable[Sample]) -> int:
    """Store meter values of a device and publish the new ones as a `telemetry` event.

    Values are converted to the unit of their measurand; samples with an unknown measurand or
    unit, or a value that is not a finite number, are skipped. A sample already stored (the
    same series and millisecond, as when a station resends after reconnecting) is kept as it
    was and not published again. Returns how many samples were new. Runs in the caller's
    transaction.
    """
    device = await session.get(Device, device_id)
    if device is None:
        raise LookupError(f"no device {device_id}")
    latest: dict[tuple[tuple[int, str, str], int], float] = {}
    for sample in samples:
        normalised = _normalised(sample)
        if normalised is not None:
            key, ts_ms, value = normalised
            latest[(key, ts_ms)] = value  # the last report of one instant wins
    _touch(device)
    if not latest:
        return 0
    dialect = (await session.connection()).dialect.name
    series_ids = await _series_ids(session, dialect, device_id, {key for key, _ in latest})
    rows = [
        {"series_id": series_ids[key], "ts_ms": ts_ms, "value": value} for (key, ts_ms), value in latest.items()
    ]
    s = TelemetrySample
    stmt = _insert_ignoring_duplicates(dialect, s.__table__).returning(s.series_id, s.ts_ms, s.value)
    inserted = (await session.execute(stmt, rows)).all()
    if not inserted:
        return 0
    by_id = {series_id: key for key, series_id in series_ids.items()}
    grouped: dict[int, list[list[float | int]]] = {}
    for series_id, ts_ms, value in inserted:
        grouped.setdefault(int(series_id), []).append([int(ts_ms), float(value)])
    series = []
    for series_id in sorted(grouped, key=lambda i: by_id[i]):
        connector_no, measurand, phase = by_id[series_id]
        series.append(
            {
                "measurand": measurand, "phase": phase, "connector_no": connector_no,
                "unit": MEASURAND_UNITS[measurand], "points": sorted(grouped[series_id]),
            }
        )
    publish(session, "telemetry", {"device_id": device_id, "series": series})
    return len(inserted)


def _touch(device: Device) -> None:
    now = utcnow()
    if device.last_seen_at is None or now - device.last_seen_at >= LAST_SEEN_RESOLUTION:
        device.last_seen_at = now


async def record_status(
    session: AsyncSession,
    device: Device,
    connector_no: int,
    status: str,
    error_code: str | None,
    info: str | None,
    at: datetime | None = None,
) -> bool:
    """Apply a status notification of a station (connector 0) or one of its connectors.

    Only a real change is stored in the history and published as `device.status`: a repeat of
    the current status and error code only marks the device as seen. A connector the station
    reports but nobody registered is created, so its status is visible. `at` is the station's
    time of the report (default now); `last_seen_at` is the server's time, since station clocks
    drift. Returns whether the status changed. Runs in the caller's transaction.
    """
    if status not in DEVICE_STATUSES:
        raise ValueError(f"unknown status {status!r}")
    if connector_no < 0:
        raise ValueError("connector_no must not be negative")
    at = at or utcnow()
    if at.tzinfo is None:
        raise ValueError("naive datetime: status times must carry a time zone")
    code = None if error_code is None or error_code.strip() in NO_ERROR_CODES else error_code.strip()[:ERROR_CODE_MAX]
    _touch(device)
    target: Device | Connector | None = device
    if connector_no > 0:
        target = (
            await session.execute(
                select(Connector).where(Connector.device_id == device.id, Connector.connector_no == connector_no)
            )
        ).scalar_one_or_none()
    if target is None:
        changed = True
        session.add(Connector(device_id=device.id, connector_no=connector_no, standard="Unknown", max_power_kw=0.0,
                              status=status, error_code=code))
    else:
        changed = target.status != status or target.error_code != code
        if changed:
            target.status, target.error_code = status, code
    if changed:
        session.add(
            DeviceStatusChange(device_id=device.id, connector_no=connector_no, status=status, error_code=code,
                               info=info, at=at)
        )
    await session.flush()
    if changed:
        publish(
            session,
            "device.status",
            {
                "device_id": device.id, "connector_no": connector_no, "status": status, "error_code": code,
                "at": json_value(at), "version": device.version,
            },
        )
    return changed
