"""Background jobs of the projects app (Celery tasks; also a management command, so they run
with or without a broker)."""

from __future__ import annotations

from celery import shared_task

import lianluo.celery  # noqa: F401  (the configured app, which shared_task binds to)
from lianluo.projects.reminders import project_reminders_send


@shared_task(name="lianluo.project_reminders")
def send_project_reminders() -> int:
    """Cadence reminders: each once per project, step and period; safe to run as often as one
    likes."""
    return project_reminders_send()
