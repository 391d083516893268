"""The stable codes of voting refusals (clients depend on the strings)."""

from __future__ import annotations

from enum import StrEnum


class VotingCode(StrEnum):
    """Codes of voting refusals; the message is translated where raised."""

    NOT_FOUND = "not_found"  # 404: no such vote, or not one the user may see
    NOT_ENTITLED = "not_entitled"  # 403: not on the register of this vote
    NOT_PRESENT = "not_present"  # 403: on the register, not marked present
    NOT_ALLOWED = "not_allowed"  # 403: only the congress's staff may do this
    NOT_OPEN = "not_open"  # 409: the vote is not open (not yet, or closed)
    ALREADY_VOTED = "already_voted"  # 409: this voter's ballot is in already
    BAD_CREDENTIAL = "bad_credential"  # 403: the ballot credential is unknown or used
    INVALID_BALLOT = "invalid_ballot"  # 422: marks missing, unknown, or too many "for"
    INVALID_TRANSITION = "invalid_transition"  # 409: not open from the vote's state
    TOO_MANY_PAPER = "too_many_paper"  # 409: more paper ballots than were handed out
    NO_RUNOFF = "no_runoff"  # 409: the result has no tie to run off
    UNKNOWN_RECEIPT = "unknown_receipt"  # 404 on the check page: not in the published list
