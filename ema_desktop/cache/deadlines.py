"""The console's copy of the server's deadline rules, for tickets and privacy requests read offline.

The local store keeps records as the server publishes them, without the fields the server derives
when it answers a request (a ticket's `due_at`, `overdue` and `warning`; a privacy request's
`effective_due_at`, `extension_notice_due_at`, `overdue` and `warning`). The console computes them
here, by the same rules, so a pane shows the same deadlines and warnings offline as online. The
console may not import ema_server, hence a copy of:

- ema_server/domain/deadlines.py: Prague calendar days, Czech public holidays, month periods,
  `privacy_due_at`, `complaint_due_at`, `sla_due_at`, `warning_level`;
- ema_server/tickets.py: `due_at` (Ticket.due_at / due_at_column), `is_overdue`, `warning`,
  `_sla_level`, SLA_WARN_FRACTION, LEGAL_WARN_DAYS;
- ema_server/privacy_requests.py: OPEN_STATES, WARN_DAYS, `is_overdue`, `warning`,
  `extension_notice_due_at`.

tests/desktop/test_cache_reads.py keeps the two equal: it compares these functions with the
server's on many dates (`test_console_deadline_rules_equal_the_servers`) and every derived field
the local reads produce with the server's API answers for the same records.
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo

PRAGUE = ZoneInfo("Europe/Prague")

WarningLevel = Literal["overdue", "due_soon", "ok"]
_SEVERITY: tuple[WarningLevel, ...] = ("ok", "due_soon", "overdue")

# Tickets (ema_server/tickets.py, ema_server/db/models/tickets.py).
COMPLAINT_DAYS = 30
OPEN_TICKET_STATES = ("new", "open", "in_progress", "waiting_customer")
SLA_WARN_FRACTION = 0.25
LEGAL_WARN_DAYS = 7
# Priority → (hours to first response, hours to resolution).
SLA_HOURS: dict[str, tuple[int, int]] = {
    "critical": (1, 8),
    "high": (4, 24),
    "normal": (8, 72),
    "low": (24, 168),
}

# Privacy requests (ema_server/privacy_requests.py).
OPEN_PRIVACY_STATES = ("received", "identity_verification", "in_progress", "extended")
PRIVACY_WARN_DAYS = 7

# Fixed-date public holidays and days off (Act 245/2000), as (month, day).
_FIXED_HOLIDAYS = ((1, 1), (5, 1), (5, 8), (7, 5), (7, 6), (9, 28), (10, 28), (11, 17), (12, 24), (12, 25), (12, 26))


def _require_aware(value: datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime")


# --- the calendar -------------------------------------------------------------------------------


def easter_sunday(year: int) -> date:
    """Western Easter Sunday (anonymous Gregorian algorithm)."""
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
    """Czech public holidays and other days off in `year` (the list in force since 2016)."""
    easter = easter_sunday(year)
    movable = {easter - timedelta(days=2), easter + timedelta(days=1)}
    return frozenset({date(year, month, day) for month, day in _FIXED_HOLIDAYS} | movable)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in czech_public_holidays(day.year)


def next_working_day_on_or_after(day: date) -> date:
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def add_calendar_months(day: date, months: int) -> date:
    """The same day of the month `months` later, clamped to the month's end."""
    year, month_index = divmod(day.year * 12 + (day.month - 1) + months, 12)
    month = month_index + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def end_of_day(day: date) -> datetime:
    """The last representable instant of `day` in Prague."""
    return datetime.combine(day, time.max, tzinfo=PRAGUE)


def privacy_due_at(received_at: datetime) -> datetime:
    """One month after receipt (GDPR Art. 12(3)), moved off weekends and holidays (Reg. 1182/71)."""
    _require_aware(received_at, "received_at")
    last_day = add_calendar_months(received_at.astimezone(PRAGUE).date(), 1)
    return end_of_day(next_working_day_on_or_after(last_day))


def complaint_due_at(filed_at: datetime, agreed_days: int | None = None) -> datetime:
    """A consumer complaint's statutory deadline (Act 634/1992 §19(3)) in UTC: 30 days from the
    day after filing, or the longer period agreed, moved off weekends and holidays."""
    _require_aware(filed_at, "filed_at")
    days = max(COMPLAINT_DAYS, agreed_days or COMPLAINT_DAYS)
    last_day = filed_at.astimezone(PRAGUE).date() + timedelta(days=days)
    return end_of_day(next_working_day_on_or_after(last_day)).astimezone(UTC)


def sla_due_at(priority: str, created_at: datetime) -> tuple[datetime, datetime]:
    """(first response due, resolution due) in UTC, in elapsed hours from creation."""
    _require_aware(created_at, "created_at")
    response_hours, resolution_hours = SLA_HOURS[priority]
    start = created_at.astimezone(UTC)
    return start + timedelta(hours=response_hours), start + timedelta(hours=resolution_hours)


def warning_level(due_at: datetime, now: datetime, warn_days: int = 7) -> WarningLevel:
    """"overdue" after `due_at`, "due_soon" within `warn_days` days of it, else "ok"."""
    _require_aware(due_at, "due_at")
    _require_aware(now, "now")
    if now > due_at:
        return "overdue"
    if due_at - now <= timedelta(days=warn_days):
        return "due_soon"
    return "ok"


# --- tickets ------------------------------------------------------------------------------------


def ticket_due_at(first_response_due_at: datetime, resolution_due_at: datetime, legal_due_at: datetime | None,
                  first_responded_at: datetime | None) -> datetime:
    """The earliest deadline still running: resolution, first response until answered, legal."""
    candidates = [resolution_due_at]
    if first_responded_at is None:
        candidates.append(first_response_due_at)
    if legal_due_at is not None:
        candidates.append(legal_due_at)
    return min(candidates)


def ticket_overdue(state: str, due_at: datetime, now: datetime) -> bool:
    return state in OPEN_TICKET_STATES and due_at < now


def _sla_level(due_at: datetime, started_at: datetime, now: datetime) -> WarningLevel:
    # Warn once less than a quarter of the period is left (a day's warning means nothing for an
    # hour-long SLA).
    if now > due_at:
        return "overdue"
    if due_at - now <= (due_at - started_at) * SLA_WARN_FRACTION:
        return "due_soon"
    return "ok"


def ticket_warning(state: str, created_at: datetime, first_response_due_at: datetime,
                   resolution_due_at: datetime, legal_due_at: datetime | None,
                   first_responded_at: datetime | None, now: datetime) -> WarningLevel | None:
    """The most urgent level over the running deadlines; None once resolved or closed."""
    if state not in OPEN_TICKET_STATES:
        return None
    levels = [_sla_level(resolution_due_at, created_at, now)]
    if first_responded_at is None:
        levels.append(_sla_level(first_response_due_at, created_at, now))
    if legal_due_at is not None:
        levels.append(warning_level(legal_due_at, now, LEGAL_WARN_DAYS))
    return max(levels, key=_SEVERITY.index)


# --- privacy requests ---------------------------------------------------------------------------


def privacy_effective_due_at(due_at: datetime, extended_due_at: datetime | None) -> datetime:
    return extended_due_at or due_at


def privacy_extension_notice_due_at(received_at: datetime) -> datetime:
    """Latest moment to tell the subject of an extension and why: the end of the first month (UTC)."""
    return privacy_due_at(received_at).astimezone(UTC)


def privacy_overdue(state: str, effective_due_at: datetime, now: datetime) -> bool:
    return state in OPEN_PRIVACY_STATES and effective_due_at < now


def privacy_warning(state: str, effective_due_at: datetime, now: datetime) -> WarningLevel | None:
    return warning_level(effective_due_at, now, PRIVACY_WARN_DAYS) if state in OPEN_PRIVACY_STATES else None
