"""The citizen-case workflow, declared once: states, actions, the transition table, groups."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")  # waiting for triage at the station
    ACCEPTED = "accepted", _("Accepted")  # triaged: class, deadline, responsible people set
    DECLINED = "declined", _("Declined")  # not accepted; the citizen is told where to go
    ANSWERED_ON_SPOT = "answered_on_spot", _("Answered on the spot")  # simple case, done at once
    ASSIGNED = "assigned", _("Assigned")  # handed to a department of this level
    ESCALATED = "escalated", _("Escalated")  # passed to the congress above (linked case)
    CONVERTED = "converted", _("Converted into a suggestion")  # a deputy suggestion carries it
    ANSWERED = "answered", _("Answered")  # the citizen has an answer
    FOLLOWED_UP = "followed_up", _("Followed up")  # someone asked the citizen what they think
    RATED = "rated", _("Rated")  # the citizen's rating is recorded
    REOPENED = "reopened", _("Reopened")  # dissatisfied once: handled again
    CLOSED = "closed", _("Closed")  # 销号: the ledger entry is closed out


class Action(models.TextChoices):
    ACCEPT = "accept", _("Accept")
    DECLINE = "decline", _("Decline")
    ANSWER_ON_SPOT = "answer_on_spot", _("Answer on the spot")
    ASSIGN = "assign", _("Assign to a department")
    ESCALATE = "escalate", _("Escalate to the congress above")
    CONVERT = "convert", _("Convert into a suggestion")
    ANSWER = "answer", _("Answer")
    FOLLOW_UP = "follow_up", _("Follow up")
    RATE = "rate", _("Record rating")
    REOPEN = "reopen", _("Reopen")
    CLOSE = "close", _("Close out")
    # Closes a duplicate into the case that survives it (cases.services.merge, never one case's
    # own step: it is taken from the survivor's page for several cases at once).
    MERGE = "merge", _("Merge into another case")


class Triage(models.TextChoices):
    SIMPLE = "simple", _("Simple")  # answered on the spot or the same day
    GENERAL = "general", _("General")  # within 30 days by default
    MAJOR = "major", _("Major")  # within 90 days by default


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY_SATISFIED = "basically_satisfied", _("Basically satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")


class RatedBy(models.TextChoices):
    CITIZEN = "citizen", _("The citizen")  # on the tracking page or through the public API
    STAFF = "staff", _("Staff at the follow-up")  # typed in by whoever called or visited


class FollowUpMethod(models.TextChoices):
    PHONE = "phone", _("Phone")
    VISIT = "visit", _("Visit")
    ONLINE = "online", _("Online")


class Channel(models.TextChoices):
    STATION_QR = "station_qr", _("Station QR code")
    DEPUTY_QR = "deputy_qr", _("Deputy QR code")
    RECEPTION = "reception", _("Reception at the station")
    VISIT = "visit", _("Deputy visit")
    STAFF = "staff", _("Staff entry")
    ESCALATION = "escalation", _("Escalated from below")


S = CaseStatus
# States in which the case is being handled and may be triaged onward.
HANDLING = {S.ACCEPTED, S.REOPENED}

# action -> (states it may start from, state it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    Action.ACCEPT: (frozenset({S.SUBMITTED}), S.ACCEPTED),
    Action.DECLINE: (frozenset({S.SUBMITTED}), S.DECLINED),
    Action.ANSWER_ON_SPOT: (frozenset(HANDLING), S.ANSWERED_ON_SPOT),
    Action.ASSIGN: (frozenset(HANDLING), S.ASSIGNED),
    Action.ESCALATE: (frozenset(HANDLING), S.ESCALATED),
    Action.CONVERT: (frozenset(HANDLING), S.CONVERTED),
    Action.ANSWER: (
        frozenset(HANDLING | {S.ASSIGNED, S.ESCALATED, S.CONVERTED}),
        S.ANSWERED,
    ),
    Action.FOLLOW_UP: (frozenset({S.ANSWERED, S.ANSWERED_ON_SPOT}), S.FOLLOWED_UP),
    Action.RATE: (frozenset({S.ANSWERED, S.ANSWERED_ON_SPOT, S.FOLLOWED_UP}), S.RATED),
    # Only a dissatisfied rating reopens, and only once (GUARDS below).
    Action.REOPEN: (frozenset({S.RATED}), S.REOPENED),
    Action.CLOSE: (frozenset({S.RATED, S.FOLLOWED_UP}), S.CLOSED),
}

# Named groups: dashboards and queries use these, never lists of states.
OPEN = frozenset(set(S) - {S.CLOSED, S.DECLINED})
CLOSED = frozenset({S.CLOSED, S.DECLINED})
# A duplicate is merged from any open state; the case it repeats carries it on.
TRANSITIONS[Action.MERGE] = (OPEN, S.CLOSED)
# Taken by their own service on several cases at once, never offered as a step of one case.
OWN_SERVICE = frozenset({Action.MERGE})
# The citizen may rate the answer in these (within LIANLUO_RATING_DAYS of it).
RATEABLE = frozenset({S.ANSWERED, S.ANSWERED_ON_SPOT, S.FOLLOWED_UP})
# Waiting for an answer: the deadline (and so overdue / due soon) applies to these.
AWAITING_ANSWER = frozenset(
    {S.SUBMITTED, S.ACCEPTED, S.ASSIGNED, S.ESCALATED, S.CONVERTED, S.REOPENED}
)


# Guards beyond the table: an action open from the case's state is refused (409) when its guard
# says no, and is not offered (cases.permissions.actions_for). A case is Any here: this module
# declares the workflow and imports no model.
GUARDS: dict[str, Callable[[Any], bool]] = {
    # Only a dissatisfied rating reopens, and only once.
    Action.REOPEN: lambda case: case.rating == Rating.DISSATISFIED and case.reopened_count < 1,
}


def guard_passes(action: str, case: Any) -> bool:
    guard = GUARDS.get(action)
    return guard is None or guard(case)


def allowed_actions(status: str) -> list[str]:
    return [
        action
        for action, (sources, _to) in TRANSITIONS.items()
        if status in sources and action not in OWN_SERVICE
    ]
