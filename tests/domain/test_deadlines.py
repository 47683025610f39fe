from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from ema_server.domain.deadlines import (
    PRAGUE,
    SLA_HOURS,
    add_calendar_months,
    complaint_due_at,
    czech_public_holidays,
    end_of_day,
    is_working_day,
    next_working_day_on_or_after,
    privacy_due_at,
    privacy_extended_due_at,
    privacy_extension_notice_due_at,
    sla_due_at,
    warning_level,
)


def prague(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PRAGUE)


def eod(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 23, 59, 59, 999999, tzinfo=PRAGUE)


# --- holidays and working days -------------------------------------------------------------


def test_holidays_2025() -> None:
    assert czech_public_holidays(2025) == {
        date(2025, 1, 1),
        date(2025, 4, 18),  # Good Friday
        date(2025, 4, 21),  # Easter Monday
        date(2025, 5, 1),
        date(2025, 5, 8),
        date(2025, 7, 5),
        date(2025, 7, 6),
        date(2025, 9, 28),
        date(2025, 10, 28),
        date(2025, 11, 17),
        date(2025, 12, 24),
        date(2025, 12, 25),
        date(2025, 12, 26),
    }


@pytest.mark.parametrize(
    ("year", "good_friday", "easter_monday"),
    [
        (2019, date(2019, 4, 19), date(2019, 4, 22)),
        (2024, date(2024, 3, 29), date(2024, 4, 1)),
        (2026, date(2026, 4, 3), date(2026, 4, 6)),
        (2027, date(2027, 3, 26), date(2027, 3, 29)),
        (2038, date(2038, 4, 23), date(2038, 4, 26)),  # latest possible Easter Sunday, 25 April
    ],
)
def test_easter_holidays(year: int, good_friday: date, easter_monday: date) -> None:
    holidays = czech_public_holidays(year)
    assert len(holidays) == 13
    assert good_friday in holidays
    assert easter_monday in holidays


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2025, 3, 3), True),  # Monday
        (date(2025, 3, 7), True),  # Friday
        (date(2025, 3, 8), False),  # Saturday
        (date(2025, 3, 9), False),  # Sunday
        (date(2025, 10, 28), False),  # Tuesday, Independence Day
        (date(2025, 4, 21), False),  # Easter Monday
        (date(2025, 4, 18), False),  # Good Friday
        (date(2025, 12, 24), False),  # Wednesday, Christmas Eve
        (date(2025, 12, 29), True),
    ],
)
def test_is_working_day(day: date, working: bool) -> None:
    assert is_working_day(day) is working


def test_datetime_is_not_accepted_as_a_date() -> None:
    with pytest.raises(TypeError):
        is_working_day(prague(2025, 10, 28))


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 3, 5), date(2025, 3, 5)),
        (date(2025, 3, 8), date(2025, 3, 10)),
        (date(2025, 4, 18), date(2025, 4, 22)),  # Good Friday → after Easter Monday
        (date(2025, 12, 24), date(2025, 12, 29)),
        (date(2026, 1, 1), date(2026, 1, 2)),
    ],
)
def test_next_working_day_on_or_after(day: date, expected: date) -> None:
    assert next_working_day_on_or_after(day) == expected


# --- calendar months -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2025, 3, 31), 1, date(2025, 4, 30)),
        (date(2024, 11, 30), 3, date(2025, 2, 28)),
        (date(2023, 11, 30), 3, date(2024, 2, 29)),
        (date(2025, 12, 15), 1, date(2026, 1, 15)),
        (date(2025, 3, 15), 0, date(2025, 3, 15)),
        (date(2025, 3, 31), -1, date(2025, 2, 28)),
        (date(2100, 1, 31), 1, date(2100, 2, 28)),  # 2100 is not a leap year
        (date(2000, 1, 31), 1, date(2000, 2, 29)),  # 2000 is
    ],
)
def test_add_calendar_months(day: date, months: int, expected: date) -> None:
    assert add_calendar_months(day, months) == expected


def test_end_of_day_is_aware_in_prague_with_dst() -> None:
    winter = end_of_day(date(2025, 1, 15))
    summer = end_of_day(date(2025, 7, 15))
    assert winter.tzinfo is PRAGUE
    assert winter.time() == time(23, 59, 59, 999999)
    assert winter.utcoffset() == timedelta(hours=1)
    assert summer.utcoffset() == timedelta(hours=2)
    assert summer.astimezone(UTC) == datetime(2025, 7, 15, 21, 59, 59, 999999, tzinfo=UTC)


# --- privacy requests ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (prague(2024, 1, 31), eod(2024, 2, 29)),  # leap year
        (prague(2025, 1, 31), eod(2025, 2, 28)),  # Friday, no shift
        (prague(2026, 3, 31), eod(2026, 4, 30)),
        (prague(2025, 6, 15), eod(2025, 7, 15)),
        (prague(2025, 2, 15), eod(2025, 3, 17)),  # 15 March is a Saturday → Monday
        (prague(2025, 5, 14), eod(2025, 6, 16)),  # 14 June is a Saturday → Monday
        (prague(2024, 9, 28), eod(2024, 10, 29)),  # 28 October (Monday) → Tuesday
        (prague(2025, 3, 21), eod(2025, 4, 22)),  # Easter Monday → Tuesday
        (prague(2025, 3, 18), eod(2025, 4, 22)),  # Good Friday, weekend, Easter Monday
        (prague(2025, 11, 24), eod(2025, 12, 29)),  # 24-26 Dec, then a weekend
        (prague(2024, 2, 29), eod(2024, 3, 29) + timedelta(days=4)),  # Good Friday 2024 → 2 Apr
    ],
)
def test_privacy_due_at(received: datetime, due: datetime) -> None:
    assert privacy_due_at(received) == due


def test_privacy_due_at_returns_prague_end_of_day() -> None:
    due = privacy_due_at(prague(2025, 1, 31))
    assert due.tzinfo is PRAGUE
    assert due.isoformat() == "2025-02-28T23:59:59.999999+01:00"


def test_privacy_due_uses_prague_date_not_utc_date() -> None:
    # 23:30 UTC on 31 January is 00:30 on 1 February in Prague: received on 1 February,
    # due 1 March (a Saturday) → Monday 3 March. Counted by the UTC date it would be 28 Feb.
    received = datetime(2025, 1, 31, 23, 30, tzinfo=UTC)
    assert privacy_due_at(received) == eod(2025, 3, 3)
    assert privacy_due_at(prague(2025, 2, 1, 0, 30)) == eod(2025, 3, 3)


def test_privacy_due_late_evening_in_prague_is_still_that_day() -> None:
    # Summer: 23:59 in Prague is 21:59 UTC, same date.
    assert privacy_due_at(prague(2025, 6, 30, 23, 59)) == eod(2025, 7, 30)


def test_privacy_due_from_other_time_zone() -> None:
    # 20:00 in New York on 31 January is 02:00 on 1 February in Prague.
    received = datetime(2025, 1, 31, 20, 0, tzinfo=ZoneInfo("America/New_York"))
    assert privacy_due_at(received) == eod(2025, 3, 3)
    fixed = datetime(2025, 1, 31, 23, 0, tzinfo=timezone(timedelta(hours=-1)))
    assert privacy_due_at(fixed) == eod(2025, 3, 3)


def test_naive_datetimes_are_rejected() -> None:
    naive = datetime(2025, 1, 31, 10, 0)
    with pytest.raises(ValueError):
        privacy_due_at(naive)
    with pytest.raises(ValueError):
        privacy_extended_due_at(naive)
    with pytest.raises(ValueError):
        complaint_due_at(naive)
    with pytest.raises(ValueError):
        sla_due_at("normal", naive)
    with pytest.raises(ValueError):
        warning_level(naive, prague(2025, 1, 1))
    with pytest.raises(ValueError):
        warning_level(prague(2025, 1, 1), naive)


@pytest.mark.parametrize(
    ("received", "extra", "due"),
    [
        (prague(2025, 1, 31), 2, eod(2025, 4, 30)),  # three months from receipt, clamped
        (prague(2025, 1, 31), 1, eod(2025, 3, 31)),
        (prague(2023, 11, 30), 2, eod(2024, 2, 29)),
        (prague(2024, 11, 30), 2, eod(2025, 2, 28)),
        (prague(2024, 1, 31), 1, eod(2024, 4, 2)),  # 31 Mar 2024 Sunday, 1 Apr Easter Monday
        (prague(2025, 9, 28), 2, eod(2025, 12, 29)),  # 28 Dec Sunday → Monday
    ],
)
def test_privacy_extended_due_at(received: datetime, extra: int, due: datetime) -> None:
    assert privacy_extended_due_at(received, extra) == due


def test_extension_counts_from_receipt_not_from_shifted_first_deadline() -> None:
    received = prague(2025, 2, 15)
    assert privacy_due_at(received) == eod(2025, 3, 17)  # shifted from Saturday 15 March
    assert privacy_extended_due_at(received) == eod(2025, 5, 15)  # not 17 May


def test_extension_defaults_to_two_months() -> None:
    received = prague(2025, 6, 15)
    assert privacy_extended_due_at(received) == eod(2025, 9, 15)


@pytest.mark.parametrize("extra", [0, 3, -1])
def test_extension_limited_to_one_or_two_months(extra: int) -> None:
    with pytest.raises(ValueError):
        privacy_extended_due_at(prague(2025, 1, 31), extra)


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (prague(2028, 1, 31), eod(2028, 2, 29)),  # leap year, Tuesday
        (prague(2028, 2, 29), eod(2028, 3, 29)),  # from a leap day: the same date a month on
        (prague(2028, 3, 31), eod(2028, 5, 2)),  # 30 April Sunday, 1 May holiday → Tuesday
        (prague(2025, 3, 31), eod(2025, 4, 30)),  # 31 March → 30 April
        (prague(2025, 1, 31, 23, 59), eod(2025, 2, 28)),  # late evening in winter: 22:59 UTC, same day
        (prague(2025, 3, 31, 23, 30), eod(2025, 4, 30)),  # late evening in summer: 21:30 UTC, same day
        (datetime(2025, 3, 31, 22, 30, tzinfo=UTC), eod(2025, 5, 2)),  # 00:30 on 1 April in Prague
    ],
)
def test_privacy_due_at_month_ends_leap_days_and_late_evenings(received: datetime, due: datetime) -> None:
    assert privacy_due_at(received) == due
    assert privacy_extension_notice_due_at(received) == due


@pytest.mark.parametrize(
    ("received", "extra", "due"),
    [
        (prague(2028, 1, 31), 2, eod(2028, 5, 2)),  # 30 April 2028 Sunday, 1 May holiday
        (prague(2028, 1, 31), 1, eod(2028, 3, 31)),
        (prague(2028, 2, 29), 2, eod(2028, 5, 29)),
        (prague(2025, 1, 31, 23, 59), 2, eod(2025, 4, 30)),
    ],
)
def test_extension_after_31_january_and_the_leap_day(received: datetime, extra: int, due: datetime) -> None:
    assert privacy_extended_due_at(received, extra) == due


def test_extension_notice_due_within_first_month() -> None:
    received = prague(2025, 2, 15)
    assert privacy_extension_notice_due_at(received) == privacy_due_at(received) == eod(2025, 3, 17)


# --- consumer complaints -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filed", "due"),
    [
        (prague(2025, 3, 1), eod(2025, 3, 31)),  # day 1 is 2 March, day 30 is 31 March
        (prague(2025, 3, 3, 23, 59), eod(2025, 4, 2)),
        (prague(2025, 4, 1), eod(2025, 5, 2)),  # 1 May is a holiday → Friday 2 May
        (prague(2025, 5, 9), eod(2025, 6, 9)),  # 8 June is a Sunday → Monday
        (prague(2025, 11, 24), eod(2025, 12, 29)),  # Christmas and a weekend
        (prague(2025, 9, 28), eod(2025, 10, 29)),  # 28 October → 29 October
    ],
)
def test_complaint_due_at(filed: datetime, due: datetime) -> None:
    assert complaint_due_at(filed) == due


def test_complaint_uses_prague_date() -> None:
    # 23:30 UTC on 28 February is 00:30 on 1 March in Prague.
    assert complaint_due_at(datetime(2025, 2, 28, 23, 30, tzinfo=UTC)) == eod(2025, 3, 31)


def test_complaint_with_longer_agreed_period() -> None:
    assert complaint_due_at(prague(2025, 3, 1), agreed_days=45) == eod(2025, 4, 15)
    assert complaint_due_at(prague(2025, 3, 1), agreed_days=60) == eod(2025, 4, 30)
    assert complaint_due_at(prague(2025, 3, 1), agreed_days=30) == eod(2025, 3, 31)


@pytest.mark.parametrize("agreed", [29, 14, 0])
def test_complaint_period_cannot_be_shortened(agreed: int) -> None:
    with pytest.raises(ValueError):
        complaint_due_at(prague(2025, 3, 1), agreed_days=agreed)


# --- ticket SLA ----------------------------------------------------------------------------


def test_sla_table() -> None:
    assert SLA_HOURS == {"critical": (1, 8), "high": (4, 24), "normal": (8, 72), "low": (24, 168)}


@pytest.mark.parametrize(
    ("priority", "response", "resolution"),
    [
        ("critical", datetime(2025, 5, 5, 11, 0, tzinfo=UTC), datetime(2025, 5, 5, 18, 0, tzinfo=UTC)),
        ("high", datetime(2025, 5, 5, 14, 0, tzinfo=UTC), datetime(2025, 5, 6, 10, 0, tzinfo=UTC)),
        ("normal", datetime(2025, 5, 5, 18, 0, tzinfo=UTC), datetime(2025, 5, 8, 10, 0, tzinfo=UTC)),
        ("low", datetime(2025, 5, 6, 10, 0, tzinfo=UTC), datetime(2025, 5, 12, 10, 0, tzinfo=UTC)),
    ],
)
def test_sla_due_at(priority: str, response: datetime, resolution: datetime) -> None:
    # Plain elapsed hours: nights, weekends and holidays are not skipped.
    created = datetime(2025, 5, 5, 10, 0, tzinfo=UTC)
    assert sla_due_at(priority, created) == (response, resolution)


def test_sla_counts_real_hours_across_dst_change() -> None:
    # Clocks jump from 02:00 to 03:00 on 30 March 2025: 8 real hours after 00:30 CET is 09:30 CEST.
    created = prague(2025, 3, 30, 0, 30)
    response, resolution = sla_due_at("normal", created)
    # Subtracting two datetimes that share a tzinfo compares wall clocks (9 h here), so via UTC.
    assert response.astimezone(UTC) - created.astimezone(UTC) == timedelta(hours=8)
    assert response.astimezone(UTC) == datetime(2025, 3, 30, 7, 30, tzinfo=UTC)
    assert (response.hour, response.minute) == (9, 30)
    assert resolution.astimezone(UTC) == datetime(2025, 4, 1, 23, 30, tzinfo=UTC)


def test_sla_unknown_priority() -> None:
    with pytest.raises(ValueError):
        sla_due_at("urgent", prague(2025, 1, 1))


# --- warnings ------------------------------------------------------------------------------


def test_warning_level() -> None:
    due = eod(2025, 3, 17)
    assert warning_level(due, prague(2025, 3, 1)) == "ok"
    assert warning_level(due, due - timedelta(days=7, seconds=1)) == "ok"
    assert warning_level(due, due - timedelta(days=7)) == "due_soon"
    assert warning_level(due, prague(2025, 3, 12)) == "due_soon"
    assert warning_level(due, due) == "due_soon"
    assert warning_level(due, due + timedelta(microseconds=1)) == "overdue"
    assert warning_level(due, prague(2025, 3, 18, 0, 0)) == "overdue"


def test_warning_level_custom_window_and_time_zones() -> None:
    due = eod(2025, 3, 17)
    assert warning_level(due, prague(2025, 3, 1), warn_days=30) == "due_soon"
    assert warning_level(due, prague(2025, 3, 17, 12, 0), warn_days=1) == "due_soon"
    assert warning_level(due, prague(2025, 3, 16, 12, 0), warn_days=1) == "ok"
    # With no warning window only the deadline's own instant is "due soon".
    assert warning_level(due, prague(2025, 3, 17, 12, 0), warn_days=0) == "ok"
    assert warning_level(due, due, warn_days=0) == "due_soon"
    # 23:30 UTC on 17 March is already 18 March in Prague.
    assert warning_level(due, datetime(2025, 3, 17, 23, 30, tzinfo=UTC)) == "overdue"
    with pytest.raises(ValueError):
        warning_level(due, prague(2025, 3, 1), warn_days=-1)
