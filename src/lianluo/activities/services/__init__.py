"""Writes of station activities: monthly themes, the activity workflow, sign-up under a capacity,
QR check-in with time-limited codes, the record made afterwards, and the monthly reminder.

Every write is one transaction; each one that matters appends an audit entry (activities have no
event table of their own), and notifications go through the outbox in the same transaction.
The modules follow the activity's life: `base` (codes, checks, lock, recipients), `lifecycle`
(theme, create, update, publish, cancel), `attendance` (sign-up, check-in), `record` (the record
afterwards, the monthly reminder).
"""

from lianluo.activities.services.attendance import (
    CHECKIN_OPENS_BEFORE,
    CheckinCode,
    checkin_scan,
    checkin_token_activity_id,
    checkin_token_issue,
    checkin_token_seconds,
    checkin_url,
    signup_cancel,
    signup_create,
)
from lianluo.activities.services.base import ActivityCode
from lianluo.activities.services.lifecycle import (
    activity_cancel,
    activity_create,
    activity_publish,
    activity_update,
    month_start,
    theme_set,
)
from lianluo.activities.services.record import (
    SuggestionDraft,
    activity_record,
    monthly_reminders_send,
)

__all__ = [
    "CHECKIN_OPENS_BEFORE",
    "ActivityCode",
    "CheckinCode",
    "SuggestionDraft",
    "activity_cancel",
    "activity_create",
    "activity_publish",
    "activity_record",
    "activity_update",
    "checkin_scan",
    "checkin_token_activity_id",
    "checkin_token_issue",
    "checkin_token_seconds",
    "checkin_url",
    "month_start",
    "monthly_reminders_send",
    "signup_cancel",
    "signup_create",
    "theme_set",
]
