"""Deadlines: the one function that knows a congress's calendar."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from lianluo.core.models import Congress


def deadline_for(*, congress: Congress, triage: str, start: datetime) -> datetime:
    """End of the day N days after `start`, local time (simple 0, general 30, major 90)."""
    days = {
        "simple": congress.simple_days,
        "general": congress.general_days,
        "major": congress.major_days,
    }[triage]
    local = timezone.localtime(start).date() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(local, time(23, 59, 59)))
