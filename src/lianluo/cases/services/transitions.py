"""The one place a case's status changes: `case_transition`, and one small function per action.

`case_transition` locks the row, checks the action, the actor's right, the records named and the
transition table (cases.states), runs the action's function from `ACTIONS`, saves the case,
appends the event, credits duty points and then runs what the action left for after the save
(notifications, the linked case of an escalation, the answer passed down to the escalated case,
the automatic reopen) — each further state change being itself a transition.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from lianluo.cases.errors import CaseCode
from lianluo.cases.models import Case, Category, DeclineReason
from lianluo.cases.permissions import can_act, can_handle, case_categories, may_be_responsible
from lianluo.cases.selectors import case_decline_reason, role_users
from lianluo.cases.services.events import event_append, notify
from lianluo.cases.services.intake import case_submit
from lianluo.cases.services.notices import citizen_sms_for_step
from lianluo.cases.states import (
    TRANSITIONS,
    Action,
    CaseStatus,
    Channel,
    FollowUpMethod,
    RatedBy,
    Rating,
    Triage,
    guard_passes,
)
from lianluo.core.calendar import deadline_for
from lianluo.core.errors import Conflict, CoreCode, DomainError, Forbidden, NotFound, one_of
from lianluo.core.models import Department, Role, User
from lianluo.core.scope import department_serves, path_within
from lianluo.core.services import audit_record
from lianluo.deputies.models import Deputy
from lianluo.duty.services import points_for_case
from lianluo.suggestions.models import Suggestion
from lianluo.suggestions.services import suggestion_create


@dataclass
class Step:
    """One action on the locked case: what was asked, and what the action's function leaves for
    the event (notes, data) and for after the save."""

    case: Case
    actor: User | None  # None: the citizen, rating by tracking code (cases.services.rating)
    action: str
    now: datetime
    triage: str | None = None
    category: Category | None = None
    deputy: Deputy | None = None
    reason: str | None = None
    department: Department | None = None
    text: str | None = None
    method: str | None = None
    note: str | None = None
    rating: str | None = None
    solved: bool | None = None
    suggestion: Suggestion | None = None
    into: Case | None = None  # the case a duplicate is merged into (cases.services.merge)
    public_note: str = ""
    staff_note: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    after: list[Callable[[], object]] = field(default_factory=list)
    credit_points: bool = True


def _require(value: Any, name: str, message: str) -> Any:
    if value in (None, ""):
        raise DomainError(CaseCode.MISSING_FIELD, message, field=name)
    return value


def _choice(value: str | None, choices: type[models.TextChoices], name: str) -> str:
    return one_of(_require(value, name, _("This field is required.")), choices.values, field=name)


# ---- one function per action ----------------------------------------------------------------


def _accept(step: Step) -> None:
    case = step.case
    case.triage = _choice(step.triage, Triage, "triage")
    case.deadline = deadline_for(congress=case.congress, triage=case.triage, start=step.now)
    case.accepted_at = step.now
    if step.category is not None:
        case.category, case.category_text = step.category, ""
    if step.deputy is not None:
        case.responsible_deputy = step.deputy
    step.data = {"triage": case.triage, "deadline": case.deadline.isoformat()}


def _decline(step: Step) -> None:
    reason = _require(step.reason, "reason", _("Give the reason for declining."))
    row: DeclineReason | None = case_decline_reason(step.case, reason)
    step.case.decline_reason = row
    if row is not None:
        step.data = {
            "reason": row.name,
            "reason_en": row.name_en,
            "guidance": row.guidance,
            "guidance_en": row.guidance_en,
        }
    else:
        step.data = {"reason": reason}
    step.public_note, step.staff_note = step.note or "", ""
    step.case.closed_at = step.now


def _answer_on_spot(step: Step) -> None:
    if step.case.triage != Triage.SIMPLE:
        _require(step.text, "text", _("Write the answer."))
        raise Conflict(
            CaseCode.INVALID_TRANSITION, _("Only cases classed as simple are answered on the spot.")
        )
    _answer(step)


def _answer(step: Step) -> None:
    step.public_note = _require(step.text, "text", _("Write the answer."))
    step.staff_note = ""
    step.case.answered_at = step.now
    # Passed down one level only: the case below takes the answer as it stands, not onward.
    if step.case.escalated_from_id and step.action == Action.ANSWER and step.credit_points:
        step.after.append(lambda: _answer_down(step))


def _answer_down(step: Step) -> None:
    """The congress above answered an escalated case: the case it came from is answered too,
    with the same text, as a transition of its own (its event names the case above)."""
    assert step.case.escalated_from_id is not None
    origin = _lock(Case(pk=step.case.escalated_from_id))
    if origin.status == CaseStatus.ESCALATED:
        _transition(
            Step(
                case=origin,
                actor=step.actor,
                action=Action.ANSWER,
                now=step.now,
                text=step.public_note,
                data={"from_case": step.case.number},
                # The points for this answer are the case above's; the case below earns none.
                credit_points=False,
            )
        )


def _assign(step: Step) -> None:
    department = _require(step.department, "department", _("Choose the department."))
    step.case.department = department
    step.data = {
        "department": department.code,
        "department_name": department.name,
        "department_name_en": department.name_en,
    }

    def tell_department() -> None:
        with override("zh-hans"):
            subject = _("Case %(number)s assigned to your department") % {
                "number": step.case.number
            }
        recipients = role_users(Role.DEPARTMENT, department=department)
        notify(step.case, recipients=recipients, kind="case_assigned", subject=subject)

    step.after.append(tell_department)


# What the linked case in the congress above carries over: the message as the citizen sent it
# (case_submit's argument -> the case's field).
CARRIED_UP = {
    "text": "text",
    "title": "title",
    "category": "category",
    "category_text": "category_text",
    "place": "place",
    "name": "citizen_name",
    "phone": "citizen_phone",
    "consent_publish": "consent_publish",
}


def _escalate(step: Step) -> None:
    case = step.case
    reason = _require(step.reason, "reason", _("Give the reason for escalating."))
    parent = case.congress.parent_congress()
    if parent is None:
        raise Conflict(CaseCode.INVALID_TRANSITION, _("There is no congress above this one."))
    step.data = {"congress": parent.name}
    step.staff_note = reason

    def open_linked_case() -> None:
        linked, _created = case_submit(
            **{name: getattr(case, attr) for name, attr in CARRIED_UP.items()},
            congress=parent,
            channel=Channel.ESCALATION,
            actor=step.actor,
            escalated_from=case,
        )
        with override("zh-hans"):
            subject = _("Case %(number)s escalated from below") % {"number": linked.number}
        staff = role_users(Role.STAFF, area=parent.area)
        notify(linked, recipients=staff, kind="case_escalated", subject=subject)

    step.after.append(open_linked_case)


def _convert(step: Step) -> None:
    """The case is carried by a suggestion: the one its deputy files from it (and perhaps other
    cases), or else a new draft that the responsible deputy completes and files."""
    case = step.case
    suggestion = step.suggestion
    if suggestion is None:
        assert step.actor is not None  # staff convert; only a rating comes from the citizen
        suggestion = suggestion_create(
            actor=step.actor,
            congress=case.congress,
            deputy=case.responsible_deputy,
            title=case.display_title,
            text=case.text,
        )
    elif not path_within(case.congress.area.path, suggestion.congress.area.path):
        # A township's case may go up in a county deputy's suggestion, never sideways.
        raise DomainError(
            CaseCode.INVALID_VALUE,
            _("Case %(number)s is outside the area of the suggestion's congress.")
            % {"number": case.number},
            field="cases",
        )
    case.suggestion = suggestion
    step.data = {"suggestion": suggestion.pk, "number": suggestion.number or ""}


def _follow_up(step: Step) -> None:
    step.data = {"method": _choice(step.method, FollowUpMethod, "method")}


def _rate(step: Step) -> None:
    case = step.case
    case.rating = _choice(step.rating, Rating, "rating")
    # Marked by whom: the citizen's own rating, or staff typing in what they heard at a follow-up.
    # (Their "solved?" and comment, as the citizen gave them, are kept on the case and the event.)
    case.rated_by = RatedBy.CITIZEN if step.actor is None else RatedBy.STAFF
    case.rating_solved, case.rating_comment = step.solved, step.text or ""
    step.data = {"rating": case.rating, "by": case.rated_by}
    if step.actor is None:
        step.data |= {"solved": step.solved, "comment": case.rating_comment}
    if guard_passes(Action.REOPEN, case):
        # A dissatisfied rating reopens the case once, by itself.
        step.after.append(
            lambda: _transition(
                Step(
                    case=case,
                    actor=step.actor,
                    action=Action.REOPEN,
                    now=step.now,
                    data={"automatic": True},
                )
            )
        )


def _reopen(step: Step) -> None:
    step.case.reopened_count += 1
    step.case.closed_at = None


def _close(step: Step) -> None:
    step.case.closed_at = step.now


def _merge(step: Step) -> None:
    if step.into is None:  # only case_merge names the survivor
        raise Conflict(
            CaseCode.INVALID_TRANSITION, _("Duplicates are merged from the page of their case.")
        )
    step.case.merged_into = step.into
    step.case.closed_at = step.now
    step.data = {"into": step.into.number}


ACTIONS: dict[str, Callable[[Step], object]] = {
    Action.ACCEPT: _accept,
    Action.DECLINE: _decline,
    Action.ANSWER_ON_SPOT: _answer_on_spot,
    Action.ASSIGN: _assign,
    Action.ESCALATE: _escalate,
    Action.CONVERT: _convert,
    Action.ANSWER: _answer,
    Action.FOLLOW_UP: _follow_up,
    Action.RATE: _rate,
    Action.REOPEN: _reopen,
    Action.CLOSE: _close,
    Action.MERGE: _merge,
}


# ---- the service ----------------------------------------------------------------------------


def case_action_check(*, case: Case, actor: User, action: str) -> None:
    """The action exists (422 `invalid_value`) and the actor may take it on this case (403
    `not_allowed`) — checked before anything the request names is looked up, so who may not
    act learns nothing about those records."""
    if action not in ACTIONS:
        raise DomainError(
            CaseCode.INVALID_VALUE,
            _("Unknown action “%(action)s”.") % {"action": action},
            field="action",
        )
    if not can_act(actor, case, action):
        raise Forbidden(CaseCode.NOT_ALLOWED, _("You may not do this on this case."))


def _check_references(step: Step) -> None:
    """Refuse a transition that names a record the case may not refer to (see
    cases.permissions), with the very answer the API gives for a code that does not exist."""
    case = step.case
    if step.category is not None and not case_categories(case).filter(pk=step.category.pk).exists():
        raise DomainError(CaseCode.INVALID_VALUE, _("Unknown category."), field="category")
    if step.deputy is not None and not may_be_responsible(step.deputy, case):
        raise DomainError(CaseCode.INVALID_VALUE, _("Unknown deputy."), field="deputy")
    if step.department is not None and not department_serves(
        step.department, case.congress.area.path
    ):
        raise DomainError(CaseCode.INVALID_VALUE, _("Unknown department."), field="department")


def _lock(case: Case) -> Case:
    # of=("self",): the case row only; locking its congress and area rows too would stop every
    # submission to that congress (its INSERT checks the foreign key) until this commits.
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("congress__area")
        .get(pk=case.pk)
    )


def _transition(step: Step) -> Case:
    """Take the step on a locked case whose actor's right is settled: the table, the guard, the
    action's function, the save, the event, the points, then what comes after."""
    case = step.case
    sources, target = TRANSITIONS[step.action]
    if case.status not in sources:
        raise Conflict(
            CaseCode.INVALID_TRANSITION,
            _("A case that is “%(status)s” cannot be given “%(action)s”.")
            % {"status": CaseStatus(case.status).label, "action": Action(step.action).label},
        )
    if not guard_passes(step.action, case):
        raise Conflict(
            CaseCode.INVALID_TRANSITION,
            _("A case is reopened only once, after a dissatisfied rating."),
        )
    from_status = case.status
    step.staff_note = step.note or ""
    ACTIONS[step.action](step)
    case.status = target
    case.save()
    event_append(
        case,
        action=step.action,
        from_status=from_status,
        actor=step.actor,
        public_note=step.public_note,
        staff_note=step.staff_note,
        data=step.data,
    )
    citizen_sms_for_step(case, step.action)
    if step.credit_points:
        # Duty points: the deputy who did the work (answered, followed up), not the one named.
        points_for_case(case=case, action=step.action, actor=step.actor)
    for then in step.after:
        then()
    return case


@transaction.atomic
def case_transition(
    *,
    case: Case,
    actor: User,
    action: str,
    triage: str | None = None,
    category: Category | None = None,
    deputy: Deputy | None = None,
    reason: str | None = None,
    department: Department | None = None,
    text: str | None = None,
    method: str | None = None,
    note: str | None = None,
    rating: str | None = None,
    suggestion: Suggestion | None = None,
) -> Case:
    """Move a case along its lifecycle: the one place a case's status changes.

    Locks the row, checks the action (422), the actor's right (403 `not_allowed`), the records
    named (422) and the transition table with its guards (409 `invalid_transition`), runs the
    action's function, sets derived fields (deadline, answered_at, closed_at) and appends the
    event. Escalating opens a linked case in the congress above, whose answer later answers this
    one; converting files a draft suggestion; a dissatisfied rating reopens the case once.
    """
    case = _lock(case)
    case_action_check(case=case, actor=actor, action=action)
    step = Step(
        case=case,
        actor=actor,
        action=action,
        now=timezone.now(),
        triage=triage,
        category=category,
        deputy=deputy,
        reason=reason,
        department=department,
        text=text,
        method=method,
        note=note,
        rating=rating,
        suggestion=suggestion,
    )
    _check_references(step)
    return _transition(step)


@transaction.atomic
def case_reveal_phone(*, case: Case, actor: User) -> str:
    """Show the citizen's full phone number to someone handling the case; audited."""
    if not can_handle(actor, case):
        raise NotFound(CoreCode.NOT_FOUND, _("Case not found."))
    audit_record(actor=actor, verb="reveal_phone", target=case, data={"number": case.number})
    return case.citizen_phone
