"""Background jobs of activities (Celery tasks; also a management command, so they run with or
without a broker)."""

from __future__ import annotations

from celery import shared_task

import lianluo.celery  # noqa: F401  (the configured app, which shared_task binds to)
from lianluo.activities.services import monthly_reminders_send


@shared_task(name="lianluo.activities_monthly_reminders")
def send_monthly_reminders() -> int:
    """站内活动月提醒: once per station and month; safe to run as often as one likes."""
    return monthly_reminders_send()
