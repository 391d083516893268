"""Deadlines: the one function that knows a congress's calendar."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from lianluo.core.models import Congress
from lianluo.core.workdays import congress_days


def deadline_for(*, congress: Congress, triage: str, start: datetime) -> datetime:
    """End of the day N days after `start`, local time (simple 0, general 30, major 90)."""
    days = {
        "simple": congress.simple_days,
        "general": congress.general_days,
        "major": congress.major_days,
    }[triage]
    local = timezone.localtime(start).date() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(local, time(23, 59, 59)))


def holidays_between(*, congress: Congress, start: date, end: date) -> dict[date, str]:
    """Holidays in [start, end] listed by the congress or by any congress above it (a county's
    holiday applies to its townships' stations too): date -> name. A make-up workday a congress
    lists (`Holiday.workday`) is not a holiday; where two congresses list one day, the nearest
    one's row says which it is (core/workdays.py: `congress_days`)."""
    days = congress_days(congress=congress, start=start, end=end)
    return {day: row.name for day, row in days.items() if not row.workday}
