"""Background jobs of the board: the points replay (a Celery task; also a management command, so
it runs with or without a broker)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

import lianluo.celery  # noqa: F401  (the configured app, which shared_task binds to)
from lianluo.board.replay import points_replay


def replay_due_years() -> dict[int, int]:
    """This year, and last year during January (December's records are often written late)."""
    today = timezone.localdate()
    years = [today.year - 1, today.year] if today.month == 1 else [today.year]
    return {year: points_replay(year=year) for year in years}


@shared_task(name="lianluo.duty_points_replay")
def replay_points() -> dict[int, int]:
    """Credit platform events not credited yet (each event once: safe to run any time)."""
    return replay_due_years()
