"""Background jobs of the case ledger (Celery tasks; run in-process when no broker is set)."""

from __future__ import annotations

from celery import shared_task

import lianluo.celery  # noqa: F401  (the configured app, which shared_task binds to)
from lianluo.cases.services.duplicates import duplicates_propose


@shared_task(name="lianluo.cases.propose_duplicates")
def propose_duplicates(case_id: int) -> int:
    return duplicates_propose(case_id=case_id)
