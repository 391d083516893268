"""Background jobs of stations (Celery tasks; also a management command, so they run without
a broker): the duty reminders."""

from __future__ import annotations

from celery import shared_task

import lianluo.celery  # noqa: F401  (the configured app, which shared_task binds to)
from lianluo.stations.services import duty_reminders_send


@shared_task(name="lianluo.send_duty_reminders")
def send_duty_reminders() -> int:
    """Remind deputies of their coming duties; idempotent (Duty.reminded_at)."""
    return duty_reminders_send()
