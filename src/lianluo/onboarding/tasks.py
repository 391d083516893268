"""Background jobs of onboarding (Celery tasks; a thread of the web process without a broker).

Each one acts only on jobs in the state it expects, so a repeated or late delivery does
nothing twice: `check_import` claims an uploaded job, `run_import` writes a confirmed one
under a row lock, and the periodic sweep picks up what a lost thread or a broker outage left.
"""

from __future__ import annotations

from celery import shared_task

import lianluo.celery  # noqa: F401  (the configured app, which shared_task binds to)
from lianluo.onboarding.services import import_check, import_run, import_sweep


@shared_task(name="lianluo.onboarding.check_import")
def check_import(job_id: int) -> bool:
    return import_check(job_id=job_id) is not None


@shared_task(name="lianluo.onboarding.run_import")
def run_import(job_id: int) -> bool:
    return import_run(job_id=job_id) is not None


@shared_task(name="lianluo.onboarding.sweep_imports")
def sweep_imports() -> int:
    return import_sweep()
