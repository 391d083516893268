"""Writes of the case ledger: intake (`case_submit`) and the lifecycle (`case_transition`, the one
place a case's status changes). Callers import from here."""

from lianluo.cases.errors import CaseCode, IdempotencyConflict
from lianluo.cases.services.intake import (
    Photo,
    case_submission_digest,
    case_submit,
    new_tracking_code,
    photo_clean,
)
from lianluo.cases.services.merge import case_merge
from lianluo.cases.services.support import Supported, case_support_add
from lianluo.cases.services.transitions import (
    ACTIONS,
    case_action_check,
    case_reveal_phone,
    case_transition,
)

__all__ = [
    "ACTIONS",
    "CaseCode",
    "IdempotencyConflict",
    "Photo",
    "Supported",
    "case_action_check",
    "case_merge",
    "case_reveal_phone",
    "case_submission_digest",
    "case_submit",
    "case_support_add",
    "case_transition",
    "new_tracking_code",
    "photo_clean",
]
