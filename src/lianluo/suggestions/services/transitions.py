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
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianluo.core.errors import Conflict, DomainError, Forbidden, NotFound
from lianluo.core.models import User
from lianluo.core.scope import scope_for
from lianluo.core.services import audit_record
from lianluo.core.workdays import add_working_days, deadline_in_months
from lianluo.duty.services import points_for_suggestion
from lianluo.suggestions.errors import SuggestionCode
from lianluo.suggestions.models import Assignment, Event, Feedback, Suggestion
from lianluo.suggestions.notify import notify_step
from lianluo.suggestions.permissions import can_see, roles_on
from lianluo.suggestions.rules import number_issue, rules_for
from lianluo.suggestions.services import handling
from lianluo.suggestions.services.step import S, Step, need, need_choice, need_date
from lianluo.suggestions.signals import suggestion_progress
from lianluo.suggestions.states import (
    ACTORS,
    TRANSITIONS,
    Action,
    DeclineOutcome,
    DeclineReason,
    SuggestionRating,
    guard_passes,
)

# ---- filing and registration ----------------------------------------------------------------


def _file(step: Step) -> None:
    item = step.item
    item.filed_at = step.now
    item.register_due = add_working_days(
        step.today, rules_for(item.congress).register_days, congress=item.congress
    )
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
    item.decline_reason = need_choice(step, "reason", DeclineReason)
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
        Suggestion.objects.filter(number=str(need(step, "into")), congress=step.item.congress)
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


# ---- rating and after -----------------------------------------------------------------------


def _rate(step: Step) -> None:
    item = step.item
    rating = need_choice(step, "rating", SuggestionRating)
    if rating == SuggestionRating.NO_ANSWER:
        raise DomainError(SuggestionCode.INVALID_VALUE, _("Choose your rating."), field="rating")
    Feedback.objects.create(
        at=step.now,
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
    step.item.met_on = need_date(step, "date")
    step.note = str(need(step, "note", _("Write down what the meeting settled.")))
    step.data = {"date": step.item.met_on.isoformat()}


def _mark_key(step: Step) -> None:
    item = step.item
    item.key = True
    item.supervising_leader = str(need(step, "leader", _("Name the supervising leader.")))
    item.supervising_committee = str(step.fields.get("committee") or "")
    step.data = {"leader": item.supervising_leader, "committee": item.supervising_committee}


def _progress(step: Step) -> None:
    step.note = str(need(step, "text", _("Write the progress.")))
    step.public = bool(step.fields.get("public"))


def _adopt(step: Step) -> None:
    step.note, step.public = str(step.fields.get("note") or ""), True


def _not_adopt(step: Step) -> None:
    step.note = str(need(step, "reason", _("Give the reason.")))
    step.public = True


def _outcome(step: Step) -> None:
    step.note = str(need(step, "text", _("Write the outcome.")))
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
            at=step.now,
            suggestion=item,
            round=item.round,
            rating=SuggestionRating.NO_ANSWER,
            by=None,
        )
        item.last_rating = SuggestionRating.NO_ANSWER
        step.data = {"rating": SuggestionRating.NO_ANSWER}
    item.closed_at = step.now
    step.public = True


def _withdraw(step: Step) -> None:
    step.note = str(need(step, "reason", _("Give the reason for withdrawing.")))
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
    Action.ASSIGN: handling.assign,
    Action.REQUEST_CHANGE: handling.request_change,
    Action.DECIDE_CHANGE: handling.decide_change,
    Action.OFFICER: handling.officer,
    Action.CONTACT: handling.contact,
    Action.OPINION: handling.opinion,
    Action.REQUEST_EXTENSION: handling.request_extension,
    Action.EXTEND: handling.extend,
    Action.REPLY: handling.reply,
    Action.FURTHER_REPLY: handling.further_reply,
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
    notify_step(item, event)
    suggestion_progress.send(sender=Suggestion, suggestion=item, event=event)
    # Read back: the step may have added or ended assignments and signers since the lock.
    return Suggestion.objects.select_related("congress__area", "deputy").get(pk=item.pk)


def suggestion_file(*, actor: User, suggestion: Suggestion) -> Suggestion:
    """The deputy files a draft with the congress (credits "suggestion filed" once)."""
    return suggestion_transition(actor=actor, suggestion=suggestion, action=Action.FILE)
