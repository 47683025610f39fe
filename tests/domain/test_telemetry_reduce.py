import math

import pytest

from ema_server.domain.telemetry import bucket_width_ms, minmax_reduce

HOUR_MS = 3_600_000


def test_small_series_returned_unchanged() -> None:
    points = [(0, 1.0), (10, 5.0), (20, 2.0)]
    reduced = minmax_reduce(points, 0, 30, 3)
    assert reduced == points
    assert reduced is not points  # a copy: the caller may mutate the result


def test_max_points_below_two_rejected() -> None:
    with pytest.raises(ValueError):
        minmax_reduce([(0, 1.0)], 0, 10, 1)
    with pytest.raises(ValueError):
        minmax_reduce([], 0, 10, 0)
    with pytest.raises(ValueError):
        bucket_width_ms(0, 10, 1)


def test_end_before_start_rejected() -> None:
    with pytest.raises(ValueError):
        bucket_width_ms(100, 0, 10)


@pytest.mark.parametrize(
    ("start", "end", "max_points", "width"),
    [
        (0, 100, 10, 20),  # 5 buckets
        (0, 101, 10, 21),  # rounded up so 5 buckets cover 101 ms
        (0, 3, 100, 1),  # at least 1
        (5, 5, 10, 1),
        (0, 100, 3, 100),  # 3 // 2 = 1 bucket
        (1_700_000_000_000, 1_700_000_000_000 + 24 * HOUR_MS, 200, 864_000),
    ],
)
def test_bucket_width(start: int, end: int, max_points: int, width: int) -> None:
    assert bucket_width_ms(start, end, max_points) == width


def test_single_spike_survives_among_100k_flat_samples() -> None:
    start = 1_700_000_000_000
    count = 100_000
    points = [(start + i * 1000, 230.0) for i in range(count)]
    spike_at = start + 67_891 * 1000
    points[67_891] = (spike_at, 400.0)
    dip_at = start + 12_345 * 1000
    points[12_345] = (dip_at, -5.0)

    reduced = minmax_reduce(points, start, start + count * 1000, 100)

    assert len(reduced) <= 100
    assert (spike_at, 400.0) in reduced
    assert (dip_at, -5.0) in reduced
    assert max(value for _, value in reduced) == 400.0
    assert min(value for _, value in reduced) == -5.0
    timestamps = [ts for ts, _ in reduced]
    assert timestamps == sorted(timestamps)
    # 50 buckets: flat ones give one point each, the spike's and the dip's bucket give two.
    assert len(reduced) == 52


def test_keeps_real_samples_min_and_max_in_time_order() -> None:
    # Two buckets of 50 ms: in the first the max comes before the min.
    points = [
        (0, 5.0),
        (10, 9.0),
        (20, 1.0),
        (30, 4.0),
        (50, 3.0),
        (60, 2.0),
        (70, 8.0),
        (99, 6.0),
    ]
    assert minmax_reduce(points, 0, 100, 4) == [(10, 9.0), (20, 1.0), (60, 2.0), (70, 8.0)]


def test_flat_bucket_gives_one_point() -> None:
    points = [(ts, 7.0) for ts in range(0, 100, 10)]
    assert minmax_reduce(points, 0, 100, 4) == [(0, 7.0), (50, 7.0)]


def test_empty_buckets_are_skipped() -> None:
    # Ten buckets of 10 ms; only the first and the last hold samples.
    first = [(ts, float(ts)) for ts in range(10)]
    last = [(90 + ts, float(-ts)) for ts in range(10)]
    points = first + last + [(99, 50.0)]
    assert len(points) > 20
    assert minmax_reduce(points, 0, 100, 20) == [(0, 0.0), (9, 9.0), (99, -9.0), (99, 50.0)]


@pytest.mark.parametrize("max_points", [2, 3, 7, 10, 99, 100, 101, 1000])
def test_output_never_exceeds_max_points(max_points: int) -> None:
    points = [(i * 7, math.sin(i / 3.0) * 100.0) for i in range(5_000)]
    reduced = minmax_reduce(points, 0, 5_000 * 7, max_points)
    assert len(reduced) <= max_points
    assert set(reduced) <= set(points)
    timestamps = [ts for ts, _ in reduced]
    assert timestamps == sorted(timestamps)
    assert max(v for _, v in reduced) == max(v for _, v in points)
    assert min(v for _, v in reduced) == min(v for _, v in points)


def test_samples_outside_range_are_dropped() -> None:
    points = [(-10, 100.0), (0, 1.0), (10, 2.0), (20, 3.0), (100, -100.0)]
    assert minmax_reduce(points, 0, 100, 2) == [(0, 1.0), (20, 3.0)]


def test_nan_values_are_skipped() -> None:
    points = [(0, math.nan), (10, 2.0), (20, 5.0), (30, math.nan)]
    assert minmax_reduce(points, 0, 40, 2) == [(10, 2.0), (20, 5.0)]


def test_unordered_input_comes_out_in_time_order() -> None:
    points = [(30, 1.0), (10, 9.0), (20, 5.0), (0, 4.0)]
    assert minmax_reduce(points, 0, 40, 2) == [(10, 9.0), (30, 1.0)]


def test_empty_input() -> None:
    assert minmax_reduce([], 0, 100, 10) == []
