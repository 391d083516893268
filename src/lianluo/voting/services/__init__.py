"""Writes of the voting core: prepare a vote, keep its register, take ballots, close and count,
run off a tie. The apps that vote (projects, board) call these; nothing here knows a project.

- `prepare`: vote_create, register_fill, presence_mark, credentials_issue, vote_open,
  ensure_options, require_staff.
- `ballots`: ballot_cast, ballot_cast_open, paper_issue, paper_ballot_enter (and marks_check).
- `closing`: vote_close, count, vote_runoff.
"""

from __future__ import annotations

from lianluo.voting.codes import credential_code, receipt_code
from lianluo.voting.services.ballots import (
    ballot_cast,
    ballot_cast_open,
    marks_check,
    paper_ballot_enter,
    paper_issue,
)
from lianluo.voting.services.closing import count, vote_close, vote_runoff
from lianluo.voting.services.prepare import (
    OptionSpec,
    credentials_issue,
    ensure_options,
    entitled_deputies,
    presence_mark,
    register_fill,
    require_staff,
    vote_create,
    vote_open,
)

__all__ = [
    "OptionSpec",
    "ballot_cast",
    "ballot_cast_open",
    "count",
    "credential_code",
    "credentials_issue",
    "ensure_options",
    "entitled_deputies",
    "marks_check",
    "paper_ballot_enter",
    "paper_issue",
    "presence_mark",
    "receipt_code",
    "register_fill",
    "require_staff",
    "vote_close",
    "vote_create",
    "vote_open",
    "vote_runoff",
]
