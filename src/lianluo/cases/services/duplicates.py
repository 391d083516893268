"""Likely duplicates proposed for a new case, found after it was recorded (issue 13 wants the
intake request fast): intake leaves `duplicates_dispatch` for after its commit, which runs
`duplicates_propose` in the way the outbox is delivered (LIANLUO_OUTBOX_MODE: inline at commit
in "sync", a Celery task in "celery", else a thread)."""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import close_old_connections, transaction

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
    else:
        threading.Thread(target=_in_thread, args=(case_id,), daemon=True).start()


def _in_thread(case_id: int) -> None:
    try:
        duplicates_propose(case_id=case_id)
    except Exception:
        log.exception("duplicates of %s: proposal failed", case_id)
    finally:
        close_old_connections()
