"""The stable codes of suggestion refusals (clients depend on the strings)."""

from __future__ import annotations

from enum import StrEnum


class SuggestionCode(StrEnum):
    """Codes of suggestion refusals; the message is translated where raised."""

    NOT_FOUND = "not_found"  # 404: no such item, or not in the user's scope
    NOT_ALLOWED = "not_allowed"  # 403: the user may see the item, not do this
    INVALID_TRANSITION = "invalid_transition"  # 409: not open from the item's state
    MISSING_FIELD = "missing_field"  # 422: the action needs this field
    INVALID_VALUE = "invalid_value"  # 422: a value or a code the item may not name
    NO_CONTACT = "no_contact"  # 409: a reply before the department contacted the deputy
    COSIGNERS_PENDING = "cosigners_pending"  # 409: co-signers have not all confirmed
    CHANGE_TOO_LATE = "change_too_late"  # 409: the window to ask for a change has passed
    RATING_OPEN = "rating_open"  # 409: closing before the deputy's rating time is over
