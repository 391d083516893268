"""Deadlines: the one function that knows a congress's calendar."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from lianluo.core.models import Congress
from lianluo.core.scope import ancestor_paths


def deadline_for(*, congress: Congress, triage: str, start: datetime) -> datetime:
    """End of the day N days after `start`, local time (simple 0, general 30, major 90)."""
    days = {
        "simple": congress.simple_days,
        "general": congress.general_days,
        "major": congress.major_days,
    }[triage]
    local = timezone.localtime(start).date() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(local, time(23, 59, 59)))


def congresses_up(*, congress: Congress) -> list[Congress]:
    """The congress and every congress above it (its area's ancestors), nearest first."""
    paths = ancestor_paths(congress.area.path)
    found = list(Congress.objects.filter(area__path__in=paths).select_related("area"))
    return sorted(found, key=lambda c: -len(c.area.path))


def holidays_between(*, congress: Congress, start: date, end: date) -> dict[date, str]:
    """Holidays in [start, end] listed by the congress or by any congress above it (a county's
    holiday applies to its townships' stations too): date -> name."""
    from lianluo.core.models import Holiday

    ids = [c.pk for c in congresses_up(congress=congress)]
    rows = Holiday.objects.filter(congress_id__in=ids, date__range=(start, end)).order_by("date")
    return {row.date: row.name for row in rows}
