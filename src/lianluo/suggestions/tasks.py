"""Background jobs of suggestions (Celery tasks; also a management command, so they run with or
without a broker)."""

from __future__ import annotations

from celery import shared_task

import lianluo.celery  # noqa: F401  (the configured app, which shared_task binds to)
from lianluo.suggestions.reminders import suggestion_reminders_send


@shared_task(name="lianluo.suggestion_reminders")
def send_suggestion_reminders() -> int:
    """督办提醒: each reminder once per item, kind and step; safe to run as often as one likes."""
    return suggestion_reminders_send()
