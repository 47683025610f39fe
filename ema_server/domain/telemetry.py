"""Peak-preserving reduction of telemetry series for charts.

A charger's meter values can run to hundreds of thousands of samples over a month, while a
chart is a few hundred pixels wide. Averaging or taking every n-th sample would hide the
single current spike a technician is looking for, so each time bucket keeps its real minimum
and maximum samples instead.

The database layer may do the same bucketing in SQL; :func:`bucket_width_ms` is the shared
definition so both paths draw identical charts.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

Point = tuple[int, float]


def _bucket_count(max_points: int) -> int:
    # Each bucket can contribute two points (its minimum and maximum).
    return max(1, max_points // 2)


def bucket_width_ms(start_ms: int, end_ms: int, max_points: int) -> int:
    """Width in milliseconds of the buckets :func:`minmax_reduce` splits [start_ms, end_ms) into.

    Rounded up so that max_points // 2 buckets always cover the whole range; at least 1.
    """
    if max_points < 2:
        raise ValueError("max_points must be at least 2")
    if end_ms < start_ms:
        raise ValueError("end_ms must not be before start_ms")
    return max(1, -(-(end_ms - start_ms) // _bucket_count(max_points)))


def minmax_reduce(points: Sequence[Point], start_ms: int, end_ms: int, max_points: int) -> list[Point]:
    """Reduce (timestamp_ms, value) samples to at most ``max_points``, keeping the peaks.

    When there are no more than ``max_points`` samples they are returned as they are.
    Otherwise [start_ms, end_ms) is split into max_points // 2 equal buckets and each
    non-empty bucket contributes its minimum and its maximum sample (one point when that is
    the same sample), in time order. Samples outside [start_ms, end_ms) are dropped, as a SQL
    ``WHERE`` on the range would drop them, and NaN values are skipped because they can be
    neither a minimum nor a maximum.
    """
    width = bucket_width_ms(start_ms, end_ms, max_points)
    if len(points) <= max_points:
        return list(points)

    # Per bucket: index of its minimum and of its maximum sample. The first occurrence wins
    # a tie, so a flat bucket yields a single point.
    extremes: dict[int, tuple[int, int]] = {}
    for index, (timestamp, value) in enumerate(points):
        if not start_ms <= timestamp < end_ms or math.isnan(value):
            continue
        bucket = (timestamp - start_ms) // width
        current = extremes.get(bucket)
        if current is None:
            extremes[bucket] = (index, index)
            continue
        low, high = current
        if value < points[low][1]:
            low = index
        if value > points[high][1]:
            high = index
        extremes[bucket] = (low, high)

    reduced: list[Point] = []
    for bucket in sorted(extremes):
        low, high = extremes[bucket]
        # Sorting by (timestamp, index) keeps time order even if the input was not sorted.
        chosen = sorted({low, high}, key=lambda i: (points[i][0], i))
        reduced.extend(points[i] for i in chosen)
    return reduced
