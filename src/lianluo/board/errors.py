"""The stable codes of the board's refusals (the message is translated where raised). "Not
found" is core's `CoreCode.NOT_FOUND`."""

from __future__ import annotations

from enum import StrEnum


class BoardCode(StrEnum):
    NOT_ALLOWED = "not_allowed"  # 403: the viewer may see this, not do it
    INVALID_VALUE = "invalid_value"  # 422: a value the form or the service refuses
    INVALID_PERIOD = "invalid_period"  # 422: a period that ends before it starts
    INVALID_DATE = "invalid_date"  # 422: a date outside what the page allows
    INVALID_PHONE = "invalid_phone"  # 422: not a phone number
    MISSING_FIELD = "missing_field"  # 422: a field the action needs
    PERSONAL_DATA = "personal_data"  # 422: a name or phone number where the public reads
    NOT_IN_RANKING = "not_in_ranking"  # 422: an objection about a deputy not ranked there
    OBJECTION_CLOSED = "objection_closed"  # 409: the objection window has ended
    ALREADY_DECIDED = "already_decided"  # 409: the objection has its decision
    ALREADY_PUBLISHED = "already_published"  # 409: the result is out
    VOTE_CLOSED = "vote_closed"  # 409: the station-of-the-year vote is over
    ALREADY_VOTED = "already_voted"  # 409: one vote per voter
    UNKNOWN_CODE = "unknown_code"  # 422: no station or deputy has this code
    ALREADY_PAIRED = "already_paired"  # 409: the family already has this deputy
    NOT_PAIRED = "not_paired"  # 422: support recorded by a deputy not paired with the family
