"""Nothing a citizen wrote is published without review.

A case closed out with the citizen's consent (`consent_publish`) appears on its station's public
page; staff approve a public summary of it first (`case_summary_approve`): edited by hand from a
draft (`case_summary_draft`), without the citizen's name or any phone number. Until a summary is
approved the page shows only the category and the outcome (portal.selectors.cases_published).
"""

from __future__ import annotations

import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianluo.cases.errors import CaseCode
from lianluo.cases.models import Case
from lianluo.cases.permissions import can_act
from lianluo.cases.selectors import public_title, scrub
from lianluo.cases.states import Action, CaseStatus
from lianluo.core.errors import Conflict, DomainError, Forbidden
from lianluo.core.models import User
from lianluo.core.services import audit_record

SUMMARY_MAX_CHARS = 300

# A phone number as people write one: 11 digits of a mobile (138 1234 5678, 138-1234-5678) or a
# landline with its area code; any run of 7 digits or more is refused with them (ID and house
# numbers have no place in a public summary either).
_PHONE = re.compile(r"\d(?:[\s\-]*\d){6,}")


def may_publish(case: Case) -> bool:
    """A case may ever appear on the public page: closed out, with the citizen's consent."""
    return case.consent_publish and case.status == CaseStatus.CLOSED


def may_approve(user: User, case: Case) -> bool:
    """Who may close out a case may approve its public summary (staff, liaison officers)."""
    return may_publish(case) and can_act(user, case, Action.CLOSE)


def case_summary_draft(case: Case) -> str:
    """The approval form's starting text: the title (or the first words), digit runs hidden,
    the citizen's name taken out. Staff edit it before approving."""
    draft = public_title(case, words=60)
    if case.citizen_name.strip():
        draft = draft.replace(case.citizen_name.strip(), "")
    return " ".join(draft.split())


def _personal_data(case: Case, summary: str) -> str | None:
    """What of the citizen's personal data the summary holds (a message to show), or None."""
    name = case.citizen_name.strip()
    if name and name in summary:
        return _("The summary names the citizen (%(name)s): leave the name out.") % {"name": name}
    digits = re.sub(r"\D", "", case.citizen_phone)
    if _PHONE.search(summary) or (len(digits) >= 7 and digits in re.sub(r"\D", "", summary)):
        return _("The summary contains a phone number or another long number: leave it out.")
    return None


@transaction.atomic
def case_summary_approve(*, case: Case, actor: User, summary: str) -> Case:
    """Approve the public summary of a closed, consented case: from now on the station page shows
    it (with the answer) instead of only the category and the outcome. Approving again replaces
    it. 403 `not_allowed` for who may not close out the case, 409 `not_publishable` for a case
    not closed or without consent, 422 `missing_field` for an empty summary and
    `personal_data` for one with the citizen's name or a phone number (field `summary`).
    Audited."""
    case = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
    if not can_act(actor, case, Action.CLOSE):
        raise Forbidden(CaseCode.NOT_ALLOWED, _("You may not do this on this case."))
    if not may_publish(case):
        raise Conflict(
            CaseCode.NOT_PUBLISHABLE,
            _("Only a closed-out case whose citizen agreed to publication is published."),
        )
    text = " ".join((summary or "").split())
    if not text:
        raise DomainError(CaseCode.MISSING_FIELD, _("Write the public summary."), field="summary")
    if len(text) > SUMMARY_MAX_CHARS:
        raise DomainError(
            CaseCode.INVALID_VALUE,
            _("Please keep the summary under %(max)s characters.") % {"max": SUMMARY_MAX_CHARS},
            field="summary",
        )
    problem = _personal_data(case, text)
    if problem is not None:
        raise DomainError(CaseCode.PERSONAL_DATA, problem, field="summary")
    case.public_summary = scrub(text)
    case.summary_approved_at = timezone.now()
    case.summary_approved_by = actor
    case.save(update_fields=["public_summary", "summary_approved_at", "summary_approved_by"])
    audit_record(
        actor=actor,
        verb="summary_approve",
        target=case,
        data={"number": case.number, "summary": case.public_summary},
    )
    return case
