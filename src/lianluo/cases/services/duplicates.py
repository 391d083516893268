"""Likely duplicates proposed for a new case, found after it was recorded, off the request:
intake leaves `duplicates_dispatch` for after its commit, which runs `duplicates_propose` inline
in "sync" mode (LIANLUO_OUTBOX_MODE) and as a Celery task in "celery" mode.

In "thread" mode (no broker: the embedded default) nothing is proposed after intake. Comparing
a message with the station's recent cases costs some 10 ms of CPU, ten times the submission
itself, and a thread of the web process would take it from the submissions that follow (issue
13 measured it); triage loses nothing, because `likely_duplicates` compares the case with its
station's cases when it is opened, and shows what it finds beside any proposals."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction

from lianluo.cases.models import Case, DuplicateProposal
from lianluo.cases.selectors import duplicates_among

log = logging.getLogger(__name__)

PROPOSED = 5


def duplicates_propose(*, case_id: int) -> int:
    """Write the DuplicateProposal rows of a case (whoever may see both cases sees them at
    triage). Idempotent: a re-run adds nothing (unique (case, other)). Returns how many."""
    case = Case.objects.filter(pk=case_id).first()
    if case is None:
        return 0
    found = duplicates_among(Case.objects.all(), case=case, limit=PROPOSED)
    with transaction.atomic():
        rows = DuplicateProposal.objects.bulk_create(
            [DuplicateProposal(case=case, other=d.case, score=d.score) for d in found],
            ignore_conflicts=True,
        )
    return len(rows)


def duplicates_dispatch(case_id: int) -> None:
    """Run duplicates_propose for a case just committed, off the request where configured."""
    mode = settings.LIANLUO_OUTBOX_MODE
    if mode == "sync":
        duplicates_propose(case_id=case_id)
    elif mode == "celery":
        from lianluo.cases.tasks import propose_duplicates

        try:
            propose_duplicates.delay(case_id)
        except Exception:  # broker down: triage still shows the duplicates found on the page
            log.warning("duplicates of %s: broker unavailable, skipped", case_id, exc_info=True)
