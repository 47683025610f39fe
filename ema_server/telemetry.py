"""Telemetry of devices: reading series for charts, reduced in the database, and recording the
meter values stations report (status is in ``ema_server.station_status``).

A month of meter values is millions of samples per series; shipping them to Python to thin
them out would move all of them over the wire, so the min/max bucketing of
:func:`ema_server.domain.telemetry.minmax_reduce` is done by the database itself. Both paths
share :func:`~ema_server.domain.telemetry.bucket_width_ms`, so they draw the same chart.

Even in the database, bucketing millions of samples takes seconds. Every series therefore also
has minute rollups (:class:`~ema_server.db.models.devices.TelemetryMinute`: each minute's
minimum and maximum sample with its real timestamp). A chart whose buckets are a minute or wider
is drawn from those — sixty times fewer rows — plus the raw samples of the two partial minutes
at the window's edges; narrower buckets still read the raw samples. :func:`record_samples` keeps
the rollups exact; whoever writes samples in bulk past it calls :func:`rebuild_rollups` after.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Float,
    Select,
    and_,
    case,
    delete,
    func,
    literal,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from ema_server.db.events import publish
from ema_server.db.models import Device, TelemetrySample, TelemetrySeries, utcnow
from ema_server.db.models.devices import MEASURAND_UNITS, MEASURANDS, TelemetryMinute
from ema_server.domain.telemetry import Point, bucket_width_ms

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# A station reporting every few seconds would otherwise bump the device's version and write a
# change-feed record on every message; "last seen" to the minute is what operators need.
LAST_SEEN_RESOLUTION = timedelta(seconds=60)
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
MINUTE_MS = 60_000
# Written into the SQL rather than bound, so that the minute in a GROUP BY and in the SELECT list
# is visibly the same expression to the database.
_MINUTE = literal(MINUTE_MS, BigInteger, literal_execute=True)
_SERIES_PER_STATEMENT = 1000


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


def _finite(value: Any) -> list[ColumnElement[bool]]:
    # NaN and infinities can be neither a chart point nor JSON; on PostgreSQL NaN sorts above
    # +inf, so these two bounds drop all three.
    return [value > literal(-_INF, Float), value < literal(_INF, Float)]


def _in_window(series_ids: Sequence[int], start_ms: int, end_ms: int) -> list[Any]:
    s = TelemetrySample
    return [s.series_id.in_(series_ids), s.ts_ms >= start_ms, s.ts_ms < end_ms, *_finite(s.value)]


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


def _minute_floor(ms: int) -> int:
    return ms // MINUTE_MS * MINUTE_MS


def _minute_ceil(ms: int) -> int:
    return -(-ms // MINUTE_MS) * MINUTE_MS


@dataclass(frozen=True)
class _Rollups:
    """Where a window meets the minute rollups: whole minutes in [first_minute, end_minute),
    the partial minutes at either edge read raw."""

    start_ms: int
    end_ms: int
    first_minute: int
    end_minute: int
    width: int


async def _rollup_counts(session: AsyncSession, series_ids: Sequence[int], window: _Rollups) -> dict[int, int]:
    r = TelemetryMinute
    query = (
        select(r.series_id, func.sum(r.count))
        .where(r.series_id.in_(series_ids), r.minute_ms >= window.first_minute, r.minute_ms < window.end_minute)
        .group_by(r.series_id)
    )
    return {int(series_id): int(count) for series_id, count in (await session.execute(query)).all() if count}


async def _edge_samples(session: AsyncSession, series_ids: Sequence[int], window: _Rollups) -> dict[int, list[Point]]:
    s = TelemetrySample
    out: dict[int, list[Point]] = {series_id: [] for series_id in series_ids}
    # Two range scans rather than one OR, which SQLite would answer by reading the whole series.
    query = union_all(
        select(s.series_id, s.ts_ms, s.value).where(*_in_window(series_ids, window.start_ms, window.first_minute)),
        select(s.series_id, s.ts_ms, s.value).where(*_in_window(series_ids, window.end_minute, window.end_ms)),
    )
    for series_id, ts_ms, value in await session.execute(query):
        out[int(series_id)].append((int(ts_ms), float(value)))
    return out


def _bucket_extremes(series_ids: Sequence[int], window: _Rollups, low: bool) -> Select[Any]:
    """Per series and bucket, the lowest (or highest) minute extreme and the earliest time it
    was measured: (series_id, bucket, value, ts_ms, low).

    Each minute's minimum sample goes to the bucket its own timestamp falls in (and so does its
    maximum sample), so every point lands where minmax_reduce would put it.
    """
    r = TelemetryMinute
    start, width = literal(window.start_ms, BigInteger), literal(window.width, BigInteger)
    first, end = literal(window.first_minute, BigInteger), literal(window.end_minute, BigInteger)
    value, ts = (r.min_value, r.min_ts_ms) if low else (r.max_value, r.max_ts_ms)
    bucket = (ts - start) // width
    grouped = (
        select(r.series_id, bucket.label("bucket"), (func.min(value) if low else func.max(value)).label("value"))
        .where(r.series_id.in_(series_ids), r.minute_ms >= first, r.minute_ms < end)
        .group_by(r.series_id, bucket)
        .subquery("buckets")
    )
    x = aliased(TelemetryMinute, name="minute")
    x_value, x_ts = (x.min_value, x.min_ts_ms) if low else (x.max_value, x.max_ts_ms)
    bucket_start = grouped.c.bucket * width + start
    bucket_end = bucket_start + width
    # Equal extremes: the earliest sample, as minmax_reduce keeps. One bound per side, so the
    # primary key limits the search to the bucket's own minutes on both databases.
    lowest_minute = bucket_start - literal(MINUTE_MS - 1, BigInteger)
    earliest = (
        select(func.min(x_ts))
        .where(
            x.series_id == grouped.c.series_id,
            x.minute_ms >= case((lowest_minute > first, lowest_minute), else_=first),
            x.minute_ms < case((bucket_end < end, bucket_end), else_=end),
            x_ts >= bucket_start,
            x_ts < bucket_end,
            x_value == grouped.c.value,
        )
        .scalar_subquery()
    )
    return select(
        grouped.c.series_id, grouped.c.bucket, grouped.c.value, earliest.label("ts_ms"),
        literal(low).label("low"),
    )  # fmt: skip


async def _reduce_from_rollups(
    session: AsyncSession, series_ids: Sequence[int], window: _Rollups, edges: dict[int, list[Point]]
) -> dict[int, list[Point]]:
    # Per series and bucket: the lowest and the highest sample as (value, ts_ms) and
    # (-value, ts_ms), so that min() of either also prefers the earliest among equals.
    lows: dict[int, dict[int, tuple[float, int]]] = {series_id: {} for series_id in series_ids}
    highs: dict[int, dict[int, tuple[float, int]]] = {series_id: {} for series_id in series_ids}
    query = union_all(_bucket_extremes(series_ids, window, True), _bucket_extremes(series_ids, window, False))
    for series_id, bucket, value, ts_ms, low in await session.execute(query):
        if low:
            lows[int(series_id)][int(bucket)] = (float(value), int(ts_ms))
        else:
            highs[int(series_id)][int(bucket)] = (-float(value), int(ts_ms))
    out: dict[int, list[Point]] = {}
    for series_id in series_ids:
        series_lows, series_highs = lows[series_id], highs[series_id]
        for ts_ms, value in edges.get(series_id, []):
            bucket = (ts_ms - window.start_ms) // window.width
            series_lows[bucket] = min(series_lows.get(bucket, (value, ts_ms)), (value, ts_ms))
            series_highs[bucket] = min(series_highs.get(bucket, (-value, ts_ms)), (-value, ts_ms))
        # A bucket's minimum and maximum may be one sample: the time is the key.
        points = {ts_ms: value for value, ts_ms in series_lows.values()}
        points.update((ts_ms, -negated) for negated, ts_ms in series_highs.values())
        out[series_id] = sorted(points.items())
    return out


async def rolled_up_points(
    session: AsyncSession, series_ids: Sequence[int], start_ms: int, end_ms: int, max_points: int
) -> dict[int, list[Point]]:
    """Min/max bucketing as :func:`reduced_points`, but read from the minute rollups.

    Meant for buckets of at least a minute. Each bucket keeps real samples with their real
    timestamps: the lowest and the highest minute extreme whose sample lies in the bucket, and
    the raw samples of the partial minutes at the window's edges, so nothing from outside
    [start_ms, end_ms) leaks in. When bucket edges fall on whole minutes this is exactly
    ``minmax_reduce``; otherwise a minute split by a bucket edge offers only its own minimum
    and maximum to the bucket each lies in. The window's overall minimum and maximum are kept
    either way.
    """
    if not series_ids:
        return {}
    first_minute, end_minute = _minute_ceil(start_ms), _minute_floor(end_ms)
    if first_minute >= end_minute:
        return await reduced_points(session, series_ids, start_ms, end_ms, max_points)
    window = _Rollups(start_ms, end_ms, first_minute, end_minute, bucket_width_ms(start_ms, end_ms, max_points))
    return await _reduce_from_rollups(session, series_ids, window, await _edge_samples(session, series_ids, window))


async def read_telemetry(
    session: AsyncSession,
    device_id: str,
    start_ms: int,
    end_ms: int,
    max_points: int,
    measurands: Sequence[str] | None = None,
) -> list[SeriesPoints]:
    """The device's series in [start_ms, end_ms), each at most ``max_points`` points long.

    Buckets of a minute or more are taken from the minute rollups; so is the sample count that
    decides whether a series needs reducing at all.
    """
    series = await device_series(session, device_id, measurands)
    ids = [s.id for s in series]
    counts: dict[int, int] = {}
    rolled: list[int] = []
    edges: dict[int, list[Point]] = {}
    window = _Rollups(start_ms, end_ms, _minute_ceil(start_ms), _minute_floor(end_ms),
                      bucket_width_ms(start_ms, end_ms, max_points))  # fmt: skip
    if ids and window.width >= MINUTE_MS and window.first_minute < window.end_minute:
        counts = await _rollup_counts(session, ids, window)
        # A series without rollups in the window takes the raw path: it is either empty there,
        # so the raw count is cheap, or its samples were bulk-written without a rebuild, and a
        # slow chart beats an empty one.
        rolled = [i for i in ids if i in counts]
        if rolled:
            edges = await _edge_samples(session, rolled, window)
            for series_id in rolled:
                counts[series_id] += len(edges[series_id])
    counts.update(await sample_counts(session, [i for i in ids if i not in counts], start_ms, end_ms))
    small = [i for i in ids if 0 < counts.get(i, 0) <= max_points]
    large = {i for i in ids if counts.get(i, 0) > max_points}
    points = await raw_points(session, small, start_ms, end_ms)
    from_rollups = [i for i in rolled if i in large]
    points.update(await _reduce_from_rollups(session, from_rollups, window, edges) if from_rollups else {})
    points.update(await reduced_points(session, [i for i in large if i not in from_rollups], start_ms, end_ms,
                                       max_points))  # fmt: skip
    return [
        SeriesPoints(
            series_id=s.id, measurand=s.measurand, phase=s.phase, connector_no=s.connector_no, unit=s.unit,
            reduced=s.id in large, points=points.get(s.id, []),
        )
        for s in series
    ]


# --- minute rollups ---------------------------------------------------------------------------


def _minute_of(ts_ms: Any) -> Any:
    # Floored on both sides of 1970: SQL's % keeps the sign of the dividend.
    return ts_ms - (ts_ms % _MINUTE + _MINUTE) % _MINUTE


def _rollup_rows(parts: Sequence[Sequence[ColumnElement[bool]]]) -> Select[Any]:
    """Rows of telemetry_rollups_1m computed from the samples that meet any of ``parts``.

    One grouped scan for the count and the extreme values; the time of each extreme is then
    looked up within its minute on the primary key, which also makes the earliest of equal
    extremes the one kept, on SQLite as on PostgreSQL. Parts are separate range scans joined by
    UNION ALL: one OR of them lets SQLite fall back to reading every sample of the series.
    """
    s = TelemetrySample
    branches = [select(s.series_id, s.ts_ms, s.value).where(*conditions, *_finite(s.value)) for conditions in parts]
    source = (branches[0] if len(branches) == 1 else union_all(*branches)).subquery("samples")
    minute = _minute_of(source.c.ts_ms)
    grouped = (
        select(
            source.c.series_id, minute.label("minute_ms"), func.count().label("count"),
            func.min(source.c.value).label("min_value"), func.max(source.c.value).label("max_value"),
        )
        .group_by(source.c.series_id, minute)
        .subquery("minutes")
    )
    x = aliased(TelemetrySample, name="sample")

    def earliest(value: Any) -> Any:
        return (
            select(func.min(x.ts_ms))
            .where(
                x.series_id == grouped.c.series_id,
                x.ts_ms >= grouped.c.minute_ms,
                x.ts_ms < grouped.c.minute_ms + _MINUTE,
                x.value == value,
            )
            .scalar_subquery()
        )

    # WHERE true: SQLite's parser would otherwise read the upsert's ON CONFLICT as a join's ON.
    return select(
        grouped.c.series_id, grouped.c.minute_ms, grouped.c.count, grouped.c.min_value,
        earliest(grouped.c.min_value), grouped.c.max_value, earliest(grouped.c.max_value),
    ).where(true())  # fmt: skip


async def _upsert_rollups(session: AsyncSession, parts: Sequence[Sequence[ColumnElement[bool]]]) -> int:
    dialect = (await session.connection()).dialect.name
    columns = ["series_id", "minute_ms", "count", "min_value", "min_ts_ms", "max_value", "max_ts_ms"]
    upsert = sqlite.insert if dialect == "sqlite" else postgresql.insert
    insert = upsert(TelemetryMinute).from_select(columns, _rollup_rows(parts))
    stmt = insert.on_conflict_do_update(
        index_elements=["series_id", "minute_ms"],
        set_={name: insert.excluded[name] for name in columns[2:]},
    )
    result: Any = await session.execute(stmt)
    return int(result.rowcount)


async def rebuild_rollups(session: AsyncSession, series_ids: Sequence[int] | None = None) -> int:
    """Recompute the minute rollups of the given series (default: every series) from their samples.

    For writers that bypass :func:`record_samples`, such as the demo seeder's bulk insert: call
    it after the samples are written, in the same transaction. Existing rollups of those series
    are replaced. Returns how many minutes were written. Runs in the caller's transaction.
    """
    r, s = TelemetryMinute, TelemetrySample
    if series_ids is None:
        await session.execute(delete(r))
        return await _upsert_rollups(session, [[true()]])
    ids = sorted(set(series_ids))
    written = 0
    for chunk_start in range(0, len(ids), _SERIES_PER_STATEMENT):
        chunk = ids[chunk_start:chunk_start + _SERIES_PER_STATEMENT]
        await session.execute(delete(r).where(r.series_id.in_(chunk)))
        written += await _upsert_rollups(session, [[s.series_id.in_(chunk)]])
    return written


def _minute_summaries(rows: Iterable[tuple[int, int, float]]) -> list[dict[str, Any]]:
    """Per (series, minute): count, and the lowest and highest sample with its time (the earliest
    of equal values), of new samples."""
    acc: dict[tuple[int, int], list[Any]] = {}
    for series_id, ts_ms, value in rows:
        key = (series_id, ts_ms - ts_ms % MINUTE_MS)
        summary = acc.get(key)
        if summary is None:
            acc[key] = [1, value, ts_ms, value, ts_ms]
            continue
        summary[0] += 1
        if value < summary[1] or (value == summary[1] and ts_ms < summary[2]):
            summary[1], summary[2] = value, ts_ms
        if value > summary[3] or (value == summary[3] and ts_ms < summary[4]):
            summary[3], summary[4] = value, ts_ms
    return [
        {"series_id": series_id, "minute_ms": minute, "count": c, "min_value": lo, "min_ts_ms": lo_ts,
         "max_value": hi, "max_ts_ms": hi_ts}
        for (series_id, minute), (c, lo, lo_ts, hi, hi_ts) in acc.items()
    ]


async def _merge_into_rollups(session: AsyncSession, dialect: str, rows: Iterable[tuple[int, int, float]]) -> None:
    """Fold newly inserted samples into their minutes' rollups.

    An upsert per touched minute that compares with what the row holds, rather than recomputing
    the minute from its samples: a few microseconds of the database per minute instead of a
    grouped scan, and atomic per row, so two transactions adding samples to the same minute at
    once both count (on PostgreSQL, where they can). Exact as long as every sample of a minute
    goes through here or rebuild_rollups; only samples that were really inserted are passed in
    (a resent duplicate is not counted twice).
    """
    summaries = _minute_summaries(rows)
    if not summaries:
        return
    # The table, not the mapped class: an ORM bulk insert would cost more than the statement.
    table: Any = TelemetryMinute.__table__
    upsert = (sqlite.insert if dialect == "sqlite" else postgresql.insert)(table)
    current, new = table.c, upsert.excluded
    lower = or_(new.min_value < current.min_value,
                and_(new.min_value == current.min_value, new.min_ts_ms < current.min_ts_ms))
    higher = or_(new.max_value > current.max_value,
                 and_(new.max_value == current.max_value, new.max_ts_ms < current.max_ts_ms))
    stmt = upsert.on_conflict_do_update(
        index_elements=["series_id", "minute_ms"],
        set_={
            "count": current.count + new.count,
            "min_value": case((lower, new.min_value), else_=current.min_value),
            "min_ts_ms": case((lower, new.min_ts_ms), else_=current.min_ts_ms),
            "max_value": case((higher, new.max_value), else_=current.max_value),
            "max_ts_ms": case((higher, new.max_ts_ms), else_=current.max_ts_ms),
        },
    )
    await session.execute(stmt, summaries)


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


SeriesIds = dict[tuple[int, str, str], int]


async def _series_ids(
    session: AsyncSession, dialect: str, device_id: str, keys: Iterable[tuple[int, str, str]],
    cache: SeriesIds | None,
) -> SeriesIds:
    def key_of(series: TelemetrySeries) -> tuple[int, str, str]:
        return series.connector_no, series.measurand, series.phase

    wanted = set(keys)
    if cache is not None and wanted <= cache.keys():
        return cache
    known = {key_of(s): s.id for s in await device_series(session, device_id)}
    missing = [k for k in wanted if k not in known]
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
    if cache is not None:
        cache.update(known)
    return known


@dataclass
class DeviceSamples:
    """One device's share of :func:`record_samples_of_devices`."""

    device_id: str
    samples: Iterable[Sample]
    series_cache: SeriesIds | None = None
    mark_seen: bool = True


async def record_samples(
    session: AsyncSession, device_id: str, samples: Iterable[Sample], *, series_cache: SeriesIds | None = None,
    mark_seen: bool = True,
) -> int:
    """Store meter values of a device and publish the new ones as a `telemetry` event.

    Values are converted to the unit of their measurand; samples with an unknown measurand or
    unit, or a value that is not a finite number, are skipped. A sample already stored (the
    same series and millisecond, as when a station resends after reconnecting) is kept as it
    was and not published again. Returns how many samples were new. Runs in the caller's
    transaction.

    A caller that records samples of one device again and again (a station's connection) passes
    the same `series_cache` dict each time, and `mark_seen=False` when it keeps `last_seen_at`
    current itself: a series id never changes, so neither needs a query per message.
    """
    counts = await record_samples_of_devices(session, [DeviceSamples(device_id, samples, series_cache, mark_seen)])
    return counts[0]


async def record_samples_of_devices(session: AsyncSession, batch: Sequence[DeviceSamples]) -> list[int]:
    """:func:`record_samples` for many devices in one insert and one rollup upsert (one `telemetry`
    event per device): what a server receiving meter values from thousands of stations needs.
    Returns how many samples were new, per entry of `batch`."""
    dialect = (await session.connection()).dialect.name
    rows: list[dict[str, Any]] = []
    owners: dict[int, tuple[int, tuple[int, str, str]]] = {}
    """series id → (index in batch, series key)"""
    for index, entry in enumerate(batch):
        if entry.mark_seen:
            device = await session.get(Device, entry.device_id)
            if device is None:
                raise LookupError(f"no device {entry.device_id}")
            touch(device)
        latest: dict[tuple[tuple[int, str, str], int], float] = {}
        for sample in entry.samples:
            normalised = _normalised(sample)
            if normalised is not None:
                key, ts_ms, value = normalised
                latest[(key, ts_ms)] = value  # the last report of one instant wins
        if not latest:
            continue
        series_ids = await _series_ids(session, dialect, entry.device_id, {key for key, _ in latest},
                                       entry.series_cache)
        for (key, ts_ms), value in latest.items():
            rows.append({"series_id": series_ids[key], "ts_ms": ts_ms, "value": value})
            owners[series_ids[key]] = (index, key)
    counts = [0] * len(batch)
    if not rows:
        return counts
    s = TelemetrySample
    stmt = _insert_ignoring_duplicates(dialect, s.__table__).returning(s.series_id, s.ts_ms, s.value)
    inserted = [(int(i), int(ts), float(v)) for i, ts, v in (await session.execute(stmt, rows)).all()]
    if not inserted:
        return counts
    await _merge_into_rollups(session, dialect, inserted)
    grouped: dict[int, dict[int, list[list[float | int]]]] = {}
    for series_id, ts_ms, value in inserted:
        index = owners[series_id][0]
        counts[index] += 1
        grouped.setdefault(index, {}).setdefault(series_id, []).append([ts_ms, value])
    for index in sorted(grouped):
        series = []
        for series_id in sorted(grouped[index], key=lambda i: owners[i][1]):
            connector_no, measurand, phase = owners[series_id][1]
            series.append(
                {
                    "measurand": measurand, "phase": phase, "connector_no": connector_no,
                    "unit": MEASURAND_UNITS[measurand], "points": sorted(grouped[index][series_id]),
                }
            )
        publish(session, "telemetry", {"device_id": batch[index].device_id, "series": series})
    return counts


def touch(device: Device) -> None:
    """Mark the device as seen now (to the minute, see LAST_SEEN_RESOLUTION)."""
    now = utcnow()
    if device.last_seen_at is None or now - device.last_seen_at >= LAST_SEEN_RESOLUTION:
        device.last_seen_at = now
