"""Background jobs of insights (Celery tasks; also management commands, so they run with or
without a broker)."""

from __future__ import annotations

from celery import shared_task

import lianluo.celery  # noqa: F401  (the configured app, which shared_task binds to)
from lianluo.insights.topics import topics_refresh


@shared_task(name="lianluo.insights_topics")
def refresh_topics() -> int:
    """Hot topics of this month and this year to date for every congress's area (nightly)."""
    return topics_refresh()
