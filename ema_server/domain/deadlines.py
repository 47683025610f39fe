"""Legal and service deadlines: privacy requests, consumer complaints and ticket SLAs.

Legal periods are counted in calendar days of Europe/Prague, because that is where SECTRON
and its customers are; a request received at 00:30 Prague time on 1 February was received
on 1 February even though it was still 31 January in UTC. Only timezone-aware datetimes are
accepted: a naive one would silently be read in the server's local zone.

See /work/shared/PRIVACY-RULES.md for the rules; items marked "confirm with counsel" there
(moving a complaint's end off a weekend or holiday) are implemented as described.
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo

PRAGUE = ZoneInfo("Europe/Prague")

COMPLAINT_DAYS = 30
PRIVACY_EXTENSION_MONTHS = (1, 2)

# Priority → (hours to first response, hours to resolution).
SLA_HOURS: dict[str, tuple[int, int]] = {
    "critical": (1, 8),
    "high": (4, 24),
    "normal": (8, 72),
    "low": (24, 168),
}

WarningLevel = Literal["overdue", "due_soon", "ok"]

# Fixed-date public holidays and days off (Act 245/2000), as (month, day).
_FIXED_HOLIDAYS = (
    (1, 1),
    (5, 1),
    (5, 8),
    (7, 5),
    (7, 6),
    (9, 28),
    (10, 28),
    (11, 17),
    (12, 24),
    (12, 25),
    (12, 26),
)


def _require_aware(value: datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime")


def _require_plain_date(day: date) -> None:
    # datetime is a subclass of date but never equals one, so a datetime would silently
    # miss every holiday in the set.
    if isinstance(day, datetime):
        raise TypeError("expected a date, not a datetime")


def _prague_date(moment: datetime) -> date:
    return moment.astimezone(PRAGUE).date()


def easter_sunday(year: int) -> date:
    """Western Easter Sunday, by the anonymous Gregorian algorithm (Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return date(year, month, day + 1)


@lru_cache(maxsize=64)
def czech_public_holidays(year: int) -> frozenset[date]:
    """Czech public holidays and other days off in ``year``.

    The list in force since 2016 (when Good Friday was added); deadlines are only computed
    for current dates, so earlier versions of the law are not modelled.
    """
    easter = easter_sunday(year)
    movable = {easter - timedelta(days=2), easter + timedelta(days=1)}
    return frozenset({date(year, month, day) for month, day in _FIXED_HOLIDAYS} | movable)


def is_working_day(day: date) -> bool:
    """True unless ``day`` is a Saturday, Sunday or Czech public holiday."""
    _require_plain_date(day)
    return day.weekday() < 5 and day not in czech_public_holidays(day.year)


def next_working_day_on_or_after(day: date) -> date:
    """``day`` itself when it is a working day, otherwise the first working day after it."""
    _require_plain_date(day)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def add_calendar_months(day: date, months: int) -> date:
    """The same day of the month ``months`` later (or earlier), clamped to the month's end."""
    _require_plain_date(day)
    year, month_index = divmod(day.year * 12 + (day.month - 1) + months, 12)
    month = month_index + 1
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last_day))


def end_of_day(day: date) -> datetime:
    """The last representable instant of ``day`` in Prague, as an aware datetime."""
    _require_plain_date(day)
    return datetime.combine(day, time.max, tzinfo=PRAGUE)


def _month_period_end(received_at: datetime, months: int) -> datetime:
    # Regulation 1182/71 Art. 3(2)(c): a period in months ends on the day of the last month
    # with the same date as the event (or that month's last day), and Art. 3(4) moves an end
    # falling on a Saturday, Sunday or public holiday to the next working day.
    _require_aware(received_at, "received_at")
    last_day = add_calendar_months(_prague_date(received_at), months)
    return end_of_day(next_working_day_on_or_after(last_day))


def privacy_due_at(received_at: datetime) -> datetime:
    """Deadline for answering a data-subject request (GDPR Art. 12(3)): one month."""
    return _month_period_end(received_at, 1)


def privacy_extended_due_at(received_at: datetime, extra_months: int = 2) -> datetime:
    """Deadline after extending a request by ``extra_months`` (1 or 2) further months.

    Counted from the receipt, not from the first deadline: a request received on 31 January
    and extended by two months is due on 30 April even if 28 February was a weekend.
    """
    if extra_months not in PRIVACY_EXTENSION_MONTHS:
        raise ValueError("a privacy request may be extended by one or two months only")
    return _month_period_end(received_at, 1 + extra_months)


def privacy_extension_notice_due_at(received_at: datetime) -> datetime:
    """Latest moment to tell the subject about an extension and why: within the first month."""
    return privacy_due_at(received_at)


def complaint_due_at(filed_at: datetime, agreed_days: int | None = None) -> datetime:
    """Deadline for settling a consumer complaint (Act 634/1992 §19(3)).

    30 calendar days starting the day after filing, or a longer period agreed with the
    consumer; the law does not allow agreeing a shorter one.
    """
    _require_aware(filed_at, "filed_at")
    days = COMPLAINT_DAYS
    if agreed_days is not None:
        if agreed_days < COMPLAINT_DAYS:
            raise ValueError(f"an agreed complaint period cannot be shorter than {COMPLAINT_DAYS} days")
        days = agreed_days
    # The filing day itself is not counted, so day 1 is the next day and day N is filed + N.
    last_day = _prague_date(filed_at) + timedelta(days=days)
    return end_of_day(next_working_day_on_or_after(last_day))


def sla_due_at(priority: str, created_at: datetime) -> tuple[datetime, datetime]:
    """(first response due, resolution due) for a ticket, in plain elapsed hours."""
    _require_aware(created_at, "created_at")
    try:
        response_hours, resolution_hours = SLA_HOURS[priority]
    except KeyError:
        raise ValueError(f"unknown ticket priority: {priority!r}") from None
    # Arithmetic on an aware datetime adds wall-clock time within its zone, which is an hour
    # off across a DST change; going through UTC adds real elapsed hours.
    start = created_at.astimezone(UTC)
    zone = created_at.tzinfo
    return (
        (start + timedelta(hours=response_hours)).astimezone(zone),
        (start + timedelta(hours=resolution_hours)).astimezone(zone),
    )


def warning_level(due_at: datetime, now: datetime, warn_days: int = 7) -> WarningLevel:
    """Return "overdue" after ``due_at``, "due_soon" within ``warn_days`` days of it, else "ok"."""
    _require_aware(due_at, "due_at")
    _require_aware(now, "now")
    if warn_days < 0:
        raise ValueError("warn_days cannot be negative")
    if now > due_at:
        return "overdue"
    if due_at - now <= timedelta(days=warn_days):
        return "due_soon"
    return "ok"
