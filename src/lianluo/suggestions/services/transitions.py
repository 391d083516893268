"""The one place a suggestion's status changes: `suggestion_transition`, and one small function
per action.

`suggestion_transition` locks the row, checks the action against the table (suggestions.states),
the actor's role on the item (suggestions.permissions), runs the action's function from
`ACTIONS`, saves the item, appends the event, and tells the apps above (the linked citizens'
cases) through the `suggestion_progress` signal, inside the same transaction: a failure there
loses nothing, it undoes the whole step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianluo.core.errors import Conflict, DomainError, Forbidden, NotFound
from lianluo.core.models import Department, User
from lianluo.core.scope import department_serves, scope_for
from lianluo.core.services import audit_record
from lianluo.core.workdays import add_working_days, deadline_in_months
from lianluo.duty.services import points_for_suggestion
from lianluo.suggestions.errors import SuggestionCode
from lianluo.suggestions.models import (
    Assignment,
    Contact,
    Event,
    Feedback,
    Reply,
    Signer,
    Suggestion,
)
from lianluo.suggestions.permissions import can_see, roles_on
from lianluo.suggestions.rules import number_issue, reply_classes, rules_for
from lianluo.suggestions.signals import suggestion_progress
from lianluo.suggestions.states import (
    ACTORS,
    TRANSITIONS,
    Action,
    AssignmentRole,
    ContactMethod,
    DeclineOutcome,
    DeclineReason,
    Mode,
    SuggestionRating,
    SuggestionStatus,
    guard_passes,
)

S = SuggestionStatus


@dataclass
class Step:
    """One action on the locked item: what was asked, and what the action's function leaves for
    the event."""

    item: Suggestion
    actor: User
    action: str
    now: datetime
    today: date
    fields: dict[str, Any]
    roles: set[str]
    to_status: str | None = None
    public: bool = False
    note: str = ""
    data: dict[str, Any] = field(default_factory=dict)


def _get(step: Step, name: str, message: str | None = None) -> Any:
    value = step.fields.get(name)
    if value in (None, "", []):
        raise DomainError(
            SuggestionCode.MISSING_FIELD, message or _("This field is required."), field=name
        )
    return value


def _choice(step: Step, name: str, choices: type[models.TextChoices]) -> str:
    value = str(_get(step, name))
    if value not in choices.values:
        raise DomainError(
            SuggestionCode.INVALID_VALUE,
            _("“%(value)s” is not one of: %(choices)s.")
            % {"value": value, "choices": ", ".join(choices.values)},
            field=name,
        )
    return value


def _date(step: Step, name: str) -> date:
    value = _get(step, name)
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            raise DomainError(
                SuggestionCode.INVALID_VALUE, _("Enter a date as YYYY-MM-DD."), field=name
            ) from None
    if value > step.today:
        raise DomainError(
            SuggestionCode.INVALID_VALUE, _("This date is in the future."), field=name
        )
    return value  # type: ignore[no-any-return]


def _department(step: Step, value: Any, name: str) -> Department:
    department: Department | None = value if isinstance(value, Department) else None
    if department is None:
        department = Department.objects.select_related("area").filter(code=str(value)).first()
    if department is None or not department_serves(department, step.item.congress.area.path):
        raise DomainError(
            SuggestionCode.INVALID_VALUE,
            _("“%(code)s” is not a department this congress assigns to.") % {"code": value},
            field=name,
        )
    return department


def _my_assignments(step: Step) -> list[Assignment]:
    """The acting department's active assignments on the item (a user may handle for several
    departments; most handle for one)."""
    ids = scope_for(step.actor).department_ids
    return [a for a in step.item.assignments.all() if a.active and a.department_id in ids]


def _my_assignment(step: Step, *roles: str) -> Assignment:
    mine = [a for a in _my_assignments(step) if not roles or a.role in roles]
    if not mine:
        raise Forbidden(SuggestionCode.NOT_ALLOWED, _("Your department does not handle this part."))
    return mine[0]


# ---- filing and registration ----------------------------------------------------------------


def _file(step: Step) -> None:
    item = step.item
    item.filed_at = step.now
    number_issue(item, when=step.now)
    step.public = True
    step.data = {"number": item.number}


def _cosign(step: Step, *, refuse: bool) -> None:
    ids = scope_for(step.actor).deputy_ids
    row = next(s for s in step.item.signers.all() if s.deputy_id in ids)
    if refuse:
        row.refused_at, row.confirmed_at = step.now, None
    else:
        row.confirmed_at, row.refused_at = step.now, None
    row.save(update_fields=["confirmed_at", "refused_at"])
    step.data = {"deputy": row.deputy_id}


def _register(step: Step) -> None:
    pending = [
        s for s in step.item.signers.all() if s.confirmed_at is None and s.refused_at is None
    ]
    if pending:
        raise Conflict(
            SuggestionCode.COSIGNERS_PENDING,
            _("%(n)d co-signing deputies have not confirmed yet.") % {"n": len(pending)},
        )
    step.item.registered_at = step.now
    step.public = True


def _decline(step: Step) -> None:
    item = step.item
    item.decline_reason = _choice(step, "reason", DeclineReason)
    item.decline_outcome = step.fields.get("outcome") or DeclineOutcome.LETTER
    if item.decline_outcome not in DeclineOutcome.values:
        raise DomainError(
            SuggestionCode.INVALID_VALUE, _("Choose what happens to it."), field="outcome"
        )
    item.closed_at = step.now
    step.note = str(step.fields.get("note") or "")
    step.public = True  # the citizen of a converted case is told (not the note: cases.follow)
    step.data = {"reason": item.decline_reason, "outcome": item.decline_outcome}


def _merge(step: Step) -> None:
    target = (
        Suggestion.objects.filter(number=str(_get(step, "into")), congress=step.item.congress)
        .exclude(pk=step.item.pk)
        .first()
    )
    if target is None or target.status in {S.DECLINED, S.MERGED, S.WITHDRAWN, S.DRAFT}:
        raise DomainError(
            SuggestionCode.INVALID_VALUE,
            _("Name a filed suggestion of the same congress to merge into."),
            field="into",
        )
    step.item.merged_into = target
    step.data = {"into": target.number}


# ---- assignment -----------------------------------------------------------------------------


def _assign(step: Step) -> None:
    item, rules = step.item, rules_for(step.item.congress)
    lead = _department(step, _get(step, "lead", _("Name the lead department.")), "lead")
    co = [_department(step, code, "co") for code in step.fields.get("co") or []]
    if lead in co or len({d.pk for d in co}) != len(co):
        raise DomainError(SuggestionCode.INVALID_VALUE, _("Name each department once."), field="co")
    item.mode = Mode.SEPARATE if step.fields.get("separate") else Mode.LEAD
    item.difficult = bool(step.fields.get("difficult"))
    item.assigned_at = step.now
    months = rules.difficult_months if item.difficult else rules.answer_months
    item.deadline = deadline_in_months(step.today, months, congress=item.congress)
    change_until = add_working_days(step.today, rules.change_request_days, congress=item.congress)
    opinion_due = deadline_in_months(step.today, rules.opinion_months, congress=item.congress)
    separate = item.mode == Mode.SEPARATE
    for department, role in [(lead, AssignmentRole.LEAD)] + [(d, AssignmentRole.CO) for d in co]:
        Assignment.objects.create(
            suggestion=item,
            department=department,
            role=AssignmentRole.SEPARATE if separate else role,
            assigned_at=step.now,
            change_until=change_until,
            opinion_due=None if separate or role == AssignmentRole.LEAD else opinion_due,
        )
    step.public = True
    step.data = {
        "lead": lead.code,
        "lead_name": lead.name,
        "co": [d.code for d in co],
        "mode": item.mode,
        "difficult": item.difficult,
        "deadline": item.deadline.isoformat(),
    }


def _request_change(step: Step) -> None:
    assignment = _my_assignment(step)
    if assignment.change_until and step.today > assignment.change_until:
        raise Conflict(
            SuggestionCode.CHANGE_TOO_LATE,
            _("A change could be asked until %(day)s; it is too late now.")
            % {"day": assignment.change_until.isoformat()},
        )
    if assignment.change_requested_at is not None:
        raise Conflict(SuggestionCode.INVALID_TRANSITION, _("A change was already asked for."))
    assignment.change_reason = str(_get(step, "reason", _("Give the reason.")))
    assignment.change_requested_at = step.now
    assignment.save(update_fields=["change_reason", "change_requested_at"])
    step.data = {"department": assignment.department.code, "reason": assignment.change_reason}


def _decide_change(step: Step) -> None:
    asked = [a for a in step.item.assignments.all() if a.active and a.change_requested_at]
    if not asked:
        raise Conflict(SuggestionCode.INVALID_TRANSITION, _("No department asked for a change."))
    assignment = asked[0]
    accept = bool(step.fields.get("accept"))
    step.data = {"department": assignment.department.code, "accepted": accept}
    if not accept:
        assignment.change_requested_at = None  # refused: the department keeps it, no new ask
        assignment.change_until = step.today
        assignment.save(update_fields=["change_requested_at", "change_until"])
        return
    replacement = _department(
        step, _get(step, "department", _("Name the new department.")), "department"
    )
    if any(a.active and a.department_id == replacement.pk for a in step.item.assignments.all()):
        raise DomainError(
            SuggestionCode.INVALID_VALUE,
            _("That department already handles it."),
            field="department",
        )
    assignment.active = False
    assignment.save(update_fields=["active"])
    Assignment.objects.create(
        suggestion=step.item,
        department=replacement,
        role=assignment.role,
        assigned_at=step.now,
        opinion_due=assignment.opinion_due,
        change_until=step.today,  # after a decided change, no further change
    )
    step.public = True
    step.data |= {"new": replacement.code, "new_name": replacement.name}


def _contact(step: Step) -> None:
    assignment = _my_assignment(step)
    row = Contact.objects.create(
        assignment=assignment,
        round=step.item.round,
        method=_choice(step, "method", ContactMethod),
        on=_date(step, "date"),
        note=str(step.fields.get("note") or ""),
        recorded_by=step.actor,
    )
    step.data = {
        "department": assignment.department.code,
        "method": row.method,
        "date": str(row.on),
    }


def _opinion(step: Step) -> None:
    assignment = _my_assignment(step, AssignmentRole.CO)
    Reply.objects.create(
        suggestion=step.item,
        assignment=assignment,
        round=step.item.round,
        opinion=True,
        text=str(_get(step, "text", _("Write the opinion."))),
        by=step.actor,
    )
    step.data = {"department": assignment.department.code}


def _request_extension(step: Step) -> None:
    assignment = _my_assignment(step, AssignmentRole.LEAD, AssignmentRole.SEPARATE)
    step.note = str(_get(step, "reason", _("Give the reason.")))
    until = step.fields.get("until")  # a date from the API: the event's data is JSON
    step.data = {"department": assignment.department.code, "until": str(until) if until else None}


def _extend(step: Step) -> None:
    item = step.item
    until = _get(step, "until", _("Give the new deadline."))
    until = date.fromisoformat(until) if isinstance(until, str) else until
    if item.deadline is None or until <= item.deadline:
        raise DomainError(
            SuggestionCode.INVALID_VALUE, _("The new deadline must be later."), field="until"
        )
    step.note = str(_get(step, "reason", _("Explain the extension to the deputy.")))
    step.public = True
    step.data = {"from": item.deadline.isoformat(), "until": until.isoformat()}
    item.deadline = until


def _reply(step: Step) -> None:
    item = step.item
    assignment = _my_assignment(step, AssignmentRole.LEAD, AssignmentRole.SEPARATE)
    if not Contact.objects.filter(assignment=assignment, round=item.round).exists():
        raise Conflict(
            SuggestionCode.NO_CONTACT,
            _("Record your contact with the deputy (face to face, phone or meeting) first."),
        )
    if Reply.objects.filter(
        assignment=assignment, round=item.round, opinion=False, further=False
    ).exists():
        raise Conflict(SuggestionCode.INVALID_TRANSITION, _("Your department has replied already."))
    classes = reply_classes(item.congress)
    code = str(_get(step, "code")).upper()
    if code not in classes:
        raise DomainError(
            SuggestionCode.INVALID_VALUE,
            _("“%(value)s” is not one of: %(choices)s.")
            % {"value": code, "choices": ", ".join(classes)},
            field="code",
        )
    text = str(_get(step, "text", _("Write the reply.")))
    public_text = (
        "" if step.fields.get("public") is False else str(step.fields.get("public_text") or text)
    )
    Reply.objects.create(
        suggestion=item,
        assignment=assignment,
        round=item.round,
        code=code,
        text=text,
        public_text=public_text,
        letter=step.fields.get("letter") or "",
        by=step.actor,
    )
    step.public = True
    step.note = public_text
    step.data = {"department": assignment.department.code, "code": code}
    waiting = [
        a
        for a in item.assignments.all()
        if a.active
        and a.role in (AssignmentRole.LEAD, AssignmentRole.SEPARATE)
        and not Reply.objects.filter(
            assignment=a, round=item.round, opinion=False, further=False
        ).exists()
    ]
    if waiting:
        step.to_status = item.status  # other departments still reply for their parts
        return
    item.replied_at = step.now
    separate = item.mode == Mode.SEPARATE
    item.reply_class, item.tracking = _parts(item, classes) if separate else (code, classes[code])
    item.rate_due = step.today + timedelta(days=rules_for(item.congress).rate_days)
    step.data["complete"] = True


def _parts(item: Suggestion, classes: dict[str, bool]) -> tuple[str, bool]:
    """Separate handling: the item's class is the latest in the list among its parts' replies;
    it stays under tracking while any part is (B and D: class D, still tracked)."""
    order = list(classes)
    codes = Reply.objects.filter(
        suggestion=item, round=item.round, opinion=False, further=False
    ).values_list("code", flat=True)
    worst = max(codes, key=lambda c: order.index(c) if c in order else -1)
    return worst, any(classes.get(c, False) for c in codes)


def _further_reply(step: Step) -> None:
    item = step.item
    assignment = _my_assignment(step, AssignmentRole.LEAD, AssignmentRole.SEPARATE)
    classes = reply_classes(item.congress)
    code = str(_get(step, "code")).upper()
    if code not in classes:
        raise DomainError(SuggestionCode.INVALID_VALUE, _("Choose a classification."), field="code")
    text = str(_get(step, "text", _("Write the reply.")))
    Reply.objects.create(
        suggestion=item,
        assignment=assignment,
        round=item.round,
        further=True,
        code=code,
        text=text,
        public_text=text,
        by=step.actor,
    )
    item.reply_class, item.tracking = code, classes[code]
    step.public, step.note = True, text
    step.data = {"department": assignment.department.code, "code": code}


# ---- rating and after -----------------------------------------------------------------------


def _rate(step: Step) -> None:
    item = step.item
    rating = _choice(step, "rating", SuggestionRating)
    if rating == SuggestionRating.NO_ANSWER:
        raise DomainError(SuggestionCode.INVALID_VALUE, _("Choose your rating."), field="rating")
    Feedback.objects.create(
        suggestion=item,
        round=item.round,
        rating=rating,
        comment=str(step.fields.get("comment") or ""),
        by=step.actor,
    )
    item.last_rating = rating
    step.public = True
    step.data = {"rating": rating, "round": item.round}


def _rehandle(step: Step) -> None:
    item, rules = step.item, rules_for(step.item.congress)
    item.round += 1
    item.deadline = deadline_in_months(step.today, rules.rehandle_months, congress=item.congress)
    item.replied_at, item.rate_due = None, None
    step.public = True
    step.note = str(step.fields.get("note") or "")
    step.data = {"round": item.round, "deadline": item.deadline.isoformat()}


def _meet(step: Step) -> None:
    step.item.met_on = _date(step, "date")
    step.note = str(_get(step, "note", _("Write down what the meeting settled.")))
    step.data = {"date": step.item.met_on.isoformat()}


def _mark_key(step: Step) -> None:
    item = step.item
    item.key = True
    item.supervising_leader = str(_get(step, "leader", _("Name the supervising leader.")))
    item.supervising_committee = str(step.fields.get("committee") or "")
    step.data = {"leader": item.supervising_leader, "committee": item.supervising_committee}


def _progress(step: Step) -> None:
    step.note = str(_get(step, "text", _("Write the progress.")))
    step.public = bool(step.fields.get("public"))


def _adopt(step: Step) -> None:
    step.note, step.public = str(step.fields.get("note") or ""), True


def _not_adopt(step: Step) -> None:
    step.note = str(_get(step, "reason", _("Give the reason.")))
    step.public = True


def _outcome(step: Step) -> None:
    step.note = str(_get(step, "text", _("Write the outcome.")))
    step.item.closed_at = step.now
    step.public = True


def _close(step: Step) -> None:
    item = step.item
    if item.status == S.REPLIED:
        if item.rate_due and step.today <= item.rate_due:
            raise Conflict(
                SuggestionCode.RATING_OPEN,
                _("The deputy may rate the reply until %(day)s.")
                % {"day": item.rate_due.isoformat()},
            )
        Feedback.objects.create(
            suggestion=item, round=item.round, rating=SuggestionRating.NO_ANSWER, by=None
        )
        item.last_rating = SuggestionRating.NO_ANSWER
        step.data = {"rating": SuggestionRating.NO_ANSWER}
    item.closed_at = step.now
    step.public = True


def _withdraw(step: Step) -> None:
    step.note = str(_get(step, "reason", _("Give the reason for withdrawing.")))
    step.item.closed_at = step.now
    step.public = True
    Assignment.objects.filter(suggestion=step.item).update(active=False)


ACTIONS: dict[str, Callable[[Step], None]] = {
    Action.FILE: _file,
    Action.COSIGN: lambda step: _cosign(step, refuse=False),
    Action.COSIGN_REFUSE: lambda step: _cosign(step, refuse=True),
    Action.REGISTER: _register,
    Action.DECLINE: _decline,
    Action.MERGE: _merge,
    Action.ASSIGN: _assign,
    Action.REQUEST_CHANGE: _request_change,
    Action.DECIDE_CHANGE: _decide_change,
    Action.CONTACT: _contact,
    Action.OPINION: _opinion,
    Action.REQUEST_EXTENSION: _request_extension,
    Action.EXTEND: _extend,
    Action.REPLY: _reply,
    Action.FURTHER_REPLY: _further_reply,
    Action.RATE: _rate,
    Action.REHANDLE: _rehandle,
    Action.MEET: _meet,
    Action.MARK_KEY: _mark_key,
    Action.PROGRESS: _progress,
    Action.ADOPT: _adopt,
    Action.NOT_ADOPT: _not_adopt,
    Action.OUTCOME: _outcome,
    Action.CLOSE: _close,
    Action.WITHDRAW: _withdraw,
}


def _locked(item: Suggestion) -> Suggestion:
    return (
        Suggestion.objects.select_for_update(of=("self",))
        .select_related("congress__area", "deputy")
        .prefetch_related("signers", "assignments__department")
        .get(pk=item.pk)
    )


@transaction.atomic
def suggestion_transition(
    *, actor: User, suggestion: Suggestion, action: str, **fields: Any
) -> Suggestion:
    """Take `action` on the item as `actor`: 404 when the actor cannot see it, 403 when they
    may see it but not take this action, 409 when the item's state does not allow it, 422 when
    a field is missing or wrong. Every step is an Event and an audit entry."""
    item = _locked(suggestion)
    roles = roles_on(actor, item)
    if not can_see(actor, item):
        raise NotFound(SuggestionCode.NOT_FOUND, _("Suggestion not found."))
    if action not in ACTIONS:
        raise DomainError(
            SuggestionCode.INVALID_VALUE,
            _("“%(value)s” is not an action.") % {"value": action},
            field="action",
        )
    if not ACTORS[action] & roles:
        raise Forbidden(SuggestionCode.NOT_ALLOWED, _("You may not do this to this suggestion."))
    sources, to_status = TRANSITIONS[action]
    if item.status not in sources or not guard_passes(action, item):
        raise Conflict(
            SuggestionCode.INVALID_TRANSITION,
            _("This cannot be done while the suggestion is “%(status)s”.")
            % {"status": item.get_status_display()},
        )
    now = timezone.now()
    step = Step(
        item=item,
        actor=actor,
        action=action,
        now=now,
        today=timezone.localdate(now),
        fields=fields,
        roles=roles,
        to_status=to_status,
    )
    ACTIONS[action](step)
    from_status = item.status
    if step.to_status is not None:
        item.status = step.to_status
    item.save()
    event = Event.objects.create(
        suggestion=item,
        at=now,
        action=action,
        from_status=from_status,
        to_status=item.status,
        actor=actor,
        public=step.public,
        note=step.note,
        data=step.data,
    )
    audit_record(actor=actor, verb=f"suggestion.{action}", target=item, data=step.data)
    if action == Action.FILE:
        points_for_suggestion(suggestion=item, actor=actor)
    suggestion_progress.send(sender=Suggestion, suggestion=item, event=event)
    return item


def suggestion_file(*, actor: User, suggestion: Suggestion) -> Suggestion:
    """The deputy files a draft with the congress (credits "suggestion filed" once)."""
    return suggestion_transition(actor=actor, suggestion=suggestion, action=Action.FILE)


def signers_add(*, suggestion: Suggestion, deputies: list[Any]) -> list[Signer]:
    return [Signer.objects.get_or_create(suggestion=suggestion, deputy=d)[0] for d in deputies]
