"""The departments' part of a suggestion's workflow: assignment (交办) and its change (退办),
contact with the deputy, co-departments' opinions, extensions, replies and further replies. Each
function is one action of `suggestion_transition` (suggestions.services.transitions)."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils.translation import gettext as _

from lianluo.core.errors import Conflict, DomainError, one_of
from lianluo.core.workdays import add_working_days, deadline_in_months
from lianluo.suggestions.errors import SuggestionCode
from lianluo.suggestions.models import Assignment, Contact, Reply, Suggestion
from lianluo.suggestions.rules import reply_classes, rules_for
from lianluo.suggestions.services.step import (
    Step,
    department_named,
    my_assignment,
    need,
    need_choice,
    need_date,
)
from lianluo.suggestions.states import AssignmentRole, ContactMethod, Mode


def assign(step: Step) -> None:
    item, rules = step.item, rules_for(step.item.congress)
    lead = department_named(step, need(step, "lead", _("Name the lead department.")), "lead")
    co = [department_named(step, code, "co") for code in step.fields.get("co") or []]
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


def request_change(step: Step) -> None:
    assignment = my_assignment(step)
    if assignment.change_until and step.today > assignment.change_until:
        raise Conflict(
            SuggestionCode.CHANGE_TOO_LATE,
            _("A change could be asked until %(day)s; it is too late now.")
            % {"day": assignment.change_until.isoformat()},
        )
    if assignment.change_requested_at is not None:
        raise Conflict(SuggestionCode.INVALID_TRANSITION, _("A change was already asked for."))
    assignment.change_reason = str(need(step, "reason", _("Give the reason.")))
    assignment.change_requested_at = step.now
    assignment.save(update_fields=["change_reason", "change_requested_at"])
    step.data = {"department": assignment.department.code, "reason": assignment.change_reason}


def decide_change(step: Step) -> None:
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
    replacement = department_named(
        step, need(step, "department", _("Name the new department.")), "department"
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


def officer(step: Step) -> None:
    """Each department names one responsible leader and one handling officer for the item."""
    assignment = my_assignment(step)
    assignment.leader = str(need(step, "leader", _("Name the responsible leader.")))[:60]
    assignment.officer = str(need(step, "officer", _("Name the handling officer.")))[:60]
    assignment.officer_phone = str(step.fields.get("officer_phone") or "")[:20]
    assignment.save(update_fields=["leader", "officer", "officer_phone"])
    step.data = {"department": assignment.department.code, "leader": assignment.leader}


def contact(step: Step) -> None:
    assignment = my_assignment(step)
    row = Contact.objects.create(
        recorded_at=step.now,
        assignment=assignment,
        round=step.item.round,
        method=need_choice(step, "method", ContactMethod),
        on=need_date(step, "date"),
        note=str(step.fields.get("note") or ""),
        recorded_by=step.actor,
    )
    step.data = {
        "department": assignment.department.code,
        "method": row.method,
        "date": str(row.on),
    }


def opinion(step: Step) -> None:
    assignment = my_assignment(step, AssignmentRole.CO)
    Reply.objects.create(
        at=step.now,
        suggestion=step.item,
        assignment=assignment,
        round=step.item.round,
        opinion=True,
        text=str(need(step, "text", _("Write the opinion."))),
        by=step.actor,
    )
    step.data = {"department": assignment.department.code}


def request_extension(step: Step) -> None:
    assignment = my_assignment(step, AssignmentRole.LEAD, AssignmentRole.SEPARATE)
    step.note = str(need(step, "reason", _("Give the reason.")))
    until = step.fields.get("until")  # a date from the API: the event's data is JSON
    step.data = {"department": assignment.department.code, "until": str(until) if until else None}


def extend(step: Step) -> None:
    item = step.item
    until = need(step, "until", _("Give the new deadline."))
    until = date.fromisoformat(until) if isinstance(until, str) else until
    if item.deadline is None or until <= item.deadline:
        raise DomainError(
            SuggestionCode.INVALID_VALUE, _("The new deadline must be later."), field="until"
        )
    step.note = str(need(step, "reason", _("Explain the extension to the deputy.")))
    step.public = True
    step.data = {"from": item.deadline.isoformat(), "until": until.isoformat()}
    item.deadline = until


def reply(step: Step) -> None:
    item = step.item
    assignment = my_assignment(step, AssignmentRole.LEAD, AssignmentRole.SEPARATE)
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
    code = one_of(str(need(step, "code")).upper(), classes, field="code")
    text = str(need(step, "text", _("Write the reply.")))
    public_text = (
        "" if step.fields.get("public") is False else str(step.fields.get("public_text") or text)
    )
    Reply.objects.create(
        at=step.now,
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
    item.reply_class = code if item.mode != Mode.SEPARATE else worst(item, classes)
    # Tracked while any part's reply is (separate handling: B and D give D, still tracked).
    codes = Reply.objects.filter(suggestion=item, round=item.round, opinion=False, further=False)
    item.tracking = any(classes.get(c, False) for c in codes.values_list("code", flat=True))
    item.rate_due = step.today + timedelta(days=rules_for(item.congress).rate_days)
    step.data["complete"] = True


def worst(item: Suggestion, classes: dict[str, bool]) -> str:
    """Separate handling: the item's class is the latest in the list among its parts' replies."""
    order = list(classes)
    codes = Reply.objects.filter(
        suggestion=item, round=item.round, opinion=False, further=False
    ).values_list("code", flat=True)
    return max(codes, key=lambda c: order.index(c) if c in order else -1)


def further_reply(step: Step) -> None:
    item = step.item
    assignment = my_assignment(step, AssignmentRole.LEAD, AssignmentRole.SEPARATE)
    classes = reply_classes(item.congress)
    code = one_of(str(need(step, "code")).upper(), classes, field="code")
    text = str(need(step, "text", _("Write the reply.")))
    Reply.objects.create(
        at=step.now,
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
