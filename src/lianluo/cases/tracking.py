"""What a citizen reads of their own case by its tracking code (the page `/t/<code>/` and
`GET /api/v1/public/cases/{tracking_code}`), and the rule of when they may rate its answer.

The tracking code is the citizen's secret: whoever holds it sees the message as sent, the ledger
number, the deadline the triage set, the answer and the rating. Never the photos (personal data
kept for the people handling the case), the name, the phone or anything staff wrote internally.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from lianluo.cases.errors import CaseCode
from lianluo.cases.models import Case
from lianluo.cases.selectors import case_public_timeline
from lianluo.cases.states import RATEABLE, Action, CaseStatus, RatedBy, Rating, Triage
from lianluo.core.errors import Conflict


def rate_until(case: Case) -> datetime | None:
    """The end of the citizen's time to rate: LIANLUO_RATING_DAYS after the (last) answer."""
    if case.answered_at is None:
        return None
    return case.answered_at + timedelta(days=settings.LIANLUO_RATING_DAYS)


def rating_refusal(case: Case, *, now: datetime | None = None) -> Conflict | None:
    """Why the citizen may not rate this case now (409), or None when they may: once only
    (`already_rated`, also when staff recorded the rating at a follow-up), after an answer
    (`not_answered`), and within LIANLUO_RATING_DAYS of it (`rating_closed`)."""
    now = now or timezone.now()
    if case.rated_by == RatedBy.CITIZEN or (
        case.rating and case.status in (CaseStatus.RATED, CaseStatus.CLOSED)
    ):
        return Conflict(CaseCode.ALREADY_RATED, _("This answer has already been rated."))
    until = rate_until(case)
    if case.status == CaseStatus.CLOSED:
        return Conflict(
            CaseCode.RATING_CLOSED, _("This case is closed out: it can no longer be rated.")
        )
    if case.status not in RATEABLE or until is None:
        return Conflict(
            CaseCode.NOT_ANSWERED, _("There is no answer to rate yet: please come back later.")
        )
    if now > until:
        return Conflict(
            CaseCode.RATING_CLOSED,
            _("The time to rate this answer ended on %(day)s.")
            % {"day": timezone.localdate(until).isoformat()},
        )
    return None


def deadline_words(case: Case) -> str:
    """The promise the triage made, in words: "一般问题，30日内答复"; empty before triage."""
    if not case.triage:
        return ""
    label = Triage(case.triage).label
    if case.deadline is not None and case.accepted_at is not None:
        days = (timezone.localdate(case.deadline) - timezone.localdate(case.accepted_at)).days
    else:  # (an imported case without its dates): the congress's rule
        days = getattr(case.congress, f"{case.triage}_days", 0)
    if days <= 0:
        return _("%(triage)s matter: an answer the same day") % {"triage": label}
    return _("%(triage)s matter: an answer within %(days)s days") % {
        "triage": label,
        "days": days,
    }


@dataclass
class Tracking:
    """The citizen's view of their case."""

    number: str
    status: str
    status_label: str
    submitted_at: datetime
    text: str
    triage: str
    triage_label: str
    deadline: datetime | None
    deadline_text: str
    answer: str  # the public note of the last answer (or answer on the spot)
    answered_at: datetime | None
    rating: str
    rating_label: str
    rating_by: str  # "citizen" | "staff" | ""
    solved: bool | None
    rating_comment: str
    can_rate: bool
    rate_until: datetime | None
    events: list[dict[str, Any]]


def case_tracking(*, case: Case, now: datetime | None = None) -> Tracking:
    """Everything the holder of the tracking code reads (the case is loaded)."""
    answers = [e for e in case.events.all() if e.action in (Action.ANSWER, Action.ANSWER_ON_SPOT)]
    return Tracking(
        number=case.number,
        status=case.status,
        status_label=str(CaseStatus(case.status).label),
        submitted_at=case.created_at,
        text=case.text,
        triage=case.triage,
        triage_label=str(Triage(case.triage).label) if case.triage else "",
        deadline=case.deadline,
        deadline_text=deadline_words(case),
        answer=answers[-1].public_note if answers else "",
        answered_at=case.answered_at,
        rating=case.rating,
        rating_label=str(Rating(case.rating).label) if case.rating else "",
        rating_by=case.rated_by,
        solved=case.rating_solved,
        rating_comment=case.rating_comment if case.rated_by == RatedBy.CITIZEN else "",
        can_rate=rating_refusal(case, now=now) is None,
        rate_until=rate_until(case),
        events=case_public_timeline(case=case),
    )
