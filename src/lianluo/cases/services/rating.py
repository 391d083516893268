"""The citizen rates the answer to their case, by its tracking code (the tracking page and
`POST /api/v1/public/cases/{tracking_code}/rating`).

The rating is the workflow's own RATE step (cases.services.transitions), taken with no actor:
the citizen has no account, the tracking code is their proof. So it is marked "by the citizen",
and a dissatisfied rating reopens the case once, exactly as one recorded by staff does.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from lianluo.cases.errors import CaseCode
from lianluo.cases.models import Case
from lianluo.cases.services.events import liaison_recipients, notify
from lianluo.cases.services.transitions import Step, _lock, _transition
from lianluo.cases.states import Action, Rating
from lianluo.cases.tracking import rating_refusal
from lianluo.core.errors import DomainError, one_of
from lianluo.core.services import audit_record

# A comment is a sentence or two, not a second message (that goes through the form again).
COMMENT_MAX_CHARS = 1000


@transaction.atomic
def case_citizen_rate(
    *, case: Case, rating: str, solved: bool | None = None, comment: str = ""
) -> Case:
    """Record the citizen's rating of the answer, whether the problem is solved, and a comment.

    Refused with 422 for a rating not in `Rating` (field `rating`) or a comment past
    COMMENT_MAX_CHARS (field `comment`), and with 409 (cases.tracking.rating_refusal) once rated,
    before an answer, or after LIANLUO_RATING_DAYS. Audited; the station's liaison officers and
    the responsible deputy are told through the outbox. A dissatisfied rating reopens the case
    (once), as a transition of its own.
    """
    one_of(rating, Rating.values, field="rating")
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX_CHARS:
        raise DomainError(
            CaseCode.INVALID_VALUE,
            _("Please keep the comment under %(max)s characters.") % {"max": COMMENT_MAX_CHARS},
            field="comment",
        )
    case = _lock(case)
    now = timezone.now()
    refusal = rating_refusal(case, now=now)
    if refusal is not None:
        raise refusal
    case = _transition(
        Step(
            case=case,
            actor=None,
            action=Action.RATE,
            now=now,
            rating=rating,
            solved=solved,
            text=comment,
        )
    )
    audit_record(
        actor=None,
        verb="citizen_rating",
        target=case,
        data={"number": case.number, "rating": rating, "solved": solved},
    )
    with override("zh-hans"):
        subject = _("Case %(number)s rated by the citizen: %(rating)s") % {
            "number": case.number,
            "rating": Rating(rating).label,
        }
    recipients = liaison_recipients(station=case.station, deputy=case.responsible_deputy)
    notify(case, recipients=recipients, kind="case_rated", subject=subject)
    return case
