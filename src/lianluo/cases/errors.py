"""The stable codes of case refusals (clients depend on the strings) and the refusals that have
their own class."""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext as _

from lianluo.core.errors import Conflict


class CaseCode(StrEnum):
    """Codes of case refusals; the message is translated where raised."""

    INVALID_TRANSITION = "invalid_transition"  # Conflict (409): not open from the case's state
    NOT_ALLOWED = "not_allowed"  # Forbidden (403): the actor may see the case, not do this
    MISSING_FIELD = "missing_field"  # 422: the action or the intake needs this field
    INVALID_VALUE = "invalid_value"  # 422: a value or a code the case may not name
    UNKNOWN_TARGET = "unknown_target"  # 422: a message without a station to go to
    IDEMPOTENCY_CONFLICT = "idempotency_conflict"  # 409: see IdempotencyConflict
    ALREADY_RATED = "already_rated"  # 409: the citizen rates once; or staff recorded a rating
    NOT_ANSWERED = "not_answered"  # 409: nothing to rate yet (no answer, or handled again)
    RATING_CLOSED = "rating_closed"  # 409: LIANLUO_RATING_DAYS have passed since the answer
    NOT_PUBLISHABLE = "not_publishable"  # 409: not closed, or the citizen did not consent
    PERSONAL_DATA = "personal_data"  # 422: a public text names the citizen or a phone number
    DATE_IN_FUTURE = "date_in_future"  # 422: a field record dated after today
    DATE_TOO_OLD = "date_too_old"  # 422: dated before the window (the past-years import's)


class IdempotencyConflict(Conflict):
    """A key already used for a different submission: the key alone proves nothing about who
    sends it, so the first case is not returned (it would hand out its number and tracking
    code), and the new message is not recorded under it either."""

    def __init__(self) -> None:
        super().__init__(
            CaseCode.IDEMPOTENCY_CONFLICT,
            _(
                "This idempotency key was already used for a different message, so this message "
                "was not recorded. Send it again with a new key."
            ),
        )
