"""Reminders and escalation for suggestions (督办提醒), through the outbox.

To the departments handling an item (lead or separate, not yet replied this round): the reply is
due in 30, 7 and 1 days; it is overdue (once, then every week); no contact with the deputy is
recorded 30 days into the round. To the lead deputy: the rating is due (3 days before the
window closes). To the congress's staff: a department asks to change its assignment; a reply's
rating window has passed (the item can be closed as "no answer").

Each reminder is sent once per (item, kind, step) and recorded as the item's Event with action
"remind" (staff-only, the status unchanged), written in the transaction that enqueues it: a
second run the same day finds the events and sends nothing new. A step names what the
reminder is about (the deadline and threshold, the week overdue, the round, the assignment),
so an extension or a second round brings its own reminders.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from lianluo.core.models import Area, Role, RoleAssignment, User
from lianluo.core.services import outbox_enqueue
from lianluo.suggestions.models import Assignment, Contact, Event, Reply, Suggestion
from lianluo.suggestions.selectors import ref
from lianluo.suggestions.states import HANDLING, Action, AssignmentRole, SuggestionStatus

REMIND = "remind"  # Event.action of a reminder sent
DUE_DAYS = (30, 7, 1)  # the reply is due in … days
OVERDUE_EVERY_DAYS = 7  # overdue: once, then weekly
NO_CONTACT_DAYS = 30  # into the round, without a contact recorded
RATE_DAYS_BEFORE = 3  # before the deputy's rating window closes


class ReminderKind(StrEnum):
    DUE = "due"  # departments: the reply is due soon
    OVERDUE = "overdue"  # departments: the reply is late
    NO_CONTACT = "no_contact"  # a department: no contact with the deputy yet
    RATE = "rate"  # the lead deputy: rate the reply
    CHANGE = "change"  # staff: a department asks to change the assignment
    UNRATED = "unrated"  # staff: the rating window has passed


@dataclass(frozen=True)
class Reminder:
    """One reminder to send: to whom, about what (kind and step: its once-only key)."""

    item: Suggestion
    kind: ReminderKind
    step: str
    recipients: list[User]
    subject: str
    body: str


def suggestion_reminders_send(*, today: date | None = None) -> int:
    """Send the reminders due today that were not sent before; returns how many were sent.
    One transaction: the items concerned are locked (a second worker skips them), each
    reminder is enqueued in the outbox and recorded as an Event together."""
    today = today or timezone.localdate()
    sent = 0
    with transaction.atomic():
        items = list(
            Suggestion.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(status__in=HANDLING | {SuggestionStatus.REPLIED})
            .select_related("congress__area", "deputy__user")
            .prefetch_related("assignments__department")
            .order_by("pk")
        )
        done = set(
            Event.objects.filter(suggestion__in=items, action=REMIND).values_list(
                "suggestion_id", "data__kind", "data__step"
            )
        )
        now = timezone.now()
        with override("zh-hans"):
            for reminder in _due(items, today):
                key = (reminder.item.pk, str(reminder.kind), reminder.step)
                if key in done or not reminder.recipients:
                    continue
                _send(reminder, now)
                done.add(key)
                sent += 1
    return sent


def _send(reminder: Reminder, now: datetime) -> None:
    item = reminder.item
    outbox_enqueue(
        recipients=reminder.recipients,
        kind=f"suggestion_{reminder.kind}",
        subject=reminder.subject[:200],
        body=reminder.body,
        link=_link(item),
    )
    Event.objects.create(
        suggestion=item,
        at=now,
        action=REMIND,
        from_status=item.status,
        to_status=item.status,
        public=False,
        data={
            "kind": str(reminder.kind),
            "step": reminder.step,
            "to": sorted(u.pk for u in reminder.recipients),
        },
    )


def _link(item: Suggestion) -> str:
    try:
        return reverse("suggestions:item", kwargs={"ref": ref(item)})
    except NoReverseMatch:  # the work pages are not installed
        return ""


def _due(items: list[Suggestion], today: date) -> Iterable[Reminder]:
    """Every reminder the items call for today (sent or not: the caller skips those sent)."""
    replied = {
        (r.assignment_id, r.round)
        for r in Reply.objects.filter(suggestion__in=items, opinion=False, further=False)
    }
    contacted = set(
        Contact.objects.filter(assignment__suggestion__in=items).values_list(
            "assignment_id", "round"
        )
    )
    rehandled = dict(
        Event.objects.filter(suggestion__in=items, action=Action.REHANDLE)
        .order_by("at")
        .values_list("suggestion_id", "at")
    )  # the latest rehandling of each item (later rows overwrite earlier ones)
    for item in items:
        if item.status in HANDLING:
            waiting = [
                a
                for a in item.assignments.all()
                if a.active
                and a.role in (AssignmentRole.LEAD, AssignmentRole.SEPARATE)
                and (a.pk, item.round) not in replied
            ]
            yield from _deadline(item, waiting, today)
            started = rehandled.get(item.pk)
            for a in waiting:
                if (a.pk, item.round) not in contacted:
                    yield from _no_contact(item, a, started, today)
            yield from _change(item, today)
        elif item.status == SuggestionStatus.REPLIED and item.rate_due is not None:
            yield from _rating(item, today)


def _deadline(item: Suggestion, waiting: list[Assignment], today: date) -> Iterable[Reminder]:
    if item.deadline is None or not waiting:
        return
    users = _department_users(waiting)
    left = (item.deadline - today).days
    values = {"number": item.number, "title": item.title, "day": item.deadline.isoformat()}
    if left < 0:
        week = (-left - 1) // OVERDUE_EVERY_DAYS
        yield Reminder(
            item,
            ReminderKind.OVERDUE,
            f"{item.deadline.isoformat()}:w{week}",
            users,
            _("Suggestion %(number)s is overdue") % values,
            _("“%(title)s”: the reply was due on %(day)s.") % values,
        )
        return
    within = [days for days in DUE_DAYS if left <= days]
    if within:
        days = min(within)
        yield Reminder(
            item,
            ReminderKind.DUE,
            f"{item.deadline.isoformat()}:{days}",
            users,
            _("Suggestion %(number)s is due in %(days)d days") % {**values, "days": days},
            _("“%(title)s”: the reply is due on %(day)s.") % values,
        )


def _no_contact(
    item: Suggestion, assignment: Assignment, rehandled: datetime | None, today: date
) -> Iterable[Reminder]:
    started = max(filter(None, [assignment.assigned_at, rehandled]))
    if (today - timezone.localdate(started)).days < NO_CONTACT_DAYS:
        return
    yield Reminder(
        item,
        ReminderKind.NO_CONTACT,
        f"{assignment.pk}:r{item.round}",
        _department_users([assignment]),
        _("Suggestion %(number)s: contact the deputy") % {"number": item.number},
        _(
            "“%(title)s” has been with %(department)s since %(day)s and no contact with the "
            "deputy is recorded yet. Contact the deputy (face to face, phone or meeting) "
            "before replying."
        )
        % {
            "title": item.title,
            "department": assignment.department.name,
            "day": timezone.localdate(started).isoformat(),
        },
    )


def _change(item: Suggestion, today: date) -> Iterable[Reminder]:
    for a in item.assignments.all():
        if a.active and a.change_requested_at is not None:
            yield Reminder(
                item,
                ReminderKind.CHANGE,
                f"{a.pk}:{a.change_requested_at.isoformat()}",
                _staff_of(item),
                _("Suggestion %(number)s: a department asks to change the assignment")
                % {"number": item.number},
                _("“%(title)s”: %(department)s asks to have the assignment changed: %(reason)s")
                % {"title": item.title, "department": a.department.name, "reason": a.change_reason},
            )


def _rating(item: Suggestion, today: date) -> Iterable[Reminder]:
    assert item.rate_due is not None
    values = {"number": item.number, "title": item.title, "day": item.rate_due.isoformat()}
    user = item.deputy.user if item.deputy else None
    if item.rate_due - timedelta(days=RATE_DAYS_BEFORE) <= today <= item.rate_due:
        yield Reminder(
            item,
            ReminderKind.RATE,
            f"r{item.round}",
            [user] if user is not None and user.is_active else [],
            _("Rate the reply to your suggestion %(number)s") % values,
            _("“%(title)s”: please rate the reply by %(day)s.") % values,
        )
    elif today > item.rate_due:
        yield Reminder(
            item,
            ReminderKind.UNRATED,
            f"r{item.round}",
            _staff_of(item),
            _("Suggestion %(number)s: the rating time has passed") % values,
            _(
                "“%(title)s”: the deputy did not rate the reply by %(day)s; it can be closed "
                "(recorded as no answer)."
            )
            % values,
        )


def _department_users(assignments: list[Assignment]) -> list[User]:
    rows = RoleAssignment.objects.filter(
        role=Role.DEPARTMENT,
        department_id__in=[a.department_id for a in assignments],
        user__is_active=True,
    ).select_related("user")
    return list({ra.user.pk: ra.user for ra in rows}.values())


def _staff_of(item: Suggestion) -> list[User]:
    """The staff acting for the item's congress: of its own area, else of the nearest area
    above that has staff (a township without staff of its own is served by the county's)."""
    area: Area | None = item.congress.area
    while area is not None:
        rows = RoleAssignment.objects.filter(
            role=Role.STAFF, area=area, user__is_active=True
        ).select_related("user")
        users = list({ra.user.pk: ra.user for ra in rows}.values())
        if users:
            return users
        area = area.parent
    return []
