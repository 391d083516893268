"""The definitions: each figure's name, label, the text the dashboard writes next to it, and
the condition that counts it (a condition on cases, or a case step). Read the package's docstring
(lianluo.insights.figures) for what each figure counts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import F, Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lianluo.cases.states import AWAITING_ANSWER, Action, CaseStatus, Channel, Rating
from lianluo.insights.period import Period

# ---- the definitions -----------------------------------------------------------------------------

# A case figure: a condition on cases, given the period and the present moment.
CaseCondition = Callable[[Period, datetime], Q]


@dataclass(frozen=True)
class Definition:
    name: str
    label: Promise
    text: Promise  # the definition, as the dashboard writes it next to the figure
    cases: CaseCondition | None = None  # a condition on Case rows
    event: str = ""  # or: cases with this step (CaseEvent action) in the period


def _in(field_name: str) -> CaseCondition:
    return lambda p, now: Q(**{f"{field_name}__gte": p.since, f"{field_name}__lt": p.until})


def _received(p: Period, now: datetime) -> Q:
    return _in("created_at")(p, now)


def _closed(p: Period, now: datetime) -> Q:
    return Q(status=CaseStatus.CLOSED) & _in("closed_at")(p, now)


def _rated(p: Period, now: datetime) -> Q:
    return _closed(p, now) & ~Q(rating="")


def _with_rating(rating: str) -> CaseCondition:
    return lambda p, now: _closed(p, now) & Q(rating=rating)


def _channel(channel: str) -> CaseCondition:
    return lambda p, now: _received(p, now) & Q(channel=channel)


def _cohort_accepted(p: Period, now: datetime) -> Q:
    return _received(p, now) & Q(accepted_at__lt=p.until)


def _cohort_closed(p: Period, now: datetime) -> Q:
    return _cohort_accepted(p, now) & Q(status=CaseStatus.CLOSED, closed_at__lt=p.until)


CHANNELS = (Channel.STATION_QR, Channel.DEPUTY_QR, Channel.RECEPTION, Channel.VISIT, Channel.STAFF)

CASE_FIGURES: tuple[Definition, ...] = (
    Definition(
        "received",
        pgettext_lazy("figure", "Received"),
        _("Cases submitted in the period, by any channel."),
        _received,
    ),
    *(
        Definition(
            f"channel_{c.value}",
            c.label,
            _("Cases submitted in the period through this channel."),
            _channel(c.value),
        )
        for c in CHANNELS
    ),
    Definition("accepted", _("Accepted"), _("Cases accepted in the period."), _in("accepted_at")),
    Definition(
        "closed",
        _("Closed out"),
        _("Cases closed out (销号) in the period."),
        _closed,
    ),
    Definition(
        "closed_on_time",
        _("Closed on time"),
        _("Cases closed out in the period that were answered by their deadline."),
        # A duplicate merged into another case (cases.services.merge) is on time when it was
        # merged by its deadline: its answer is the survivor's, counted there.
        lambda p, now: (
            _closed(p, now)
            & (
                Q(deadline__isnull=True)
                | Q(answered_at__lte=F("deadline"))
                | Q(merged_into__isnull=False, closed_at__lte=F("deadline"))
            )
        ),
    ),
    Definition(
        "overdue",
        _("Overdue now"),
        _("Cases waiting for an answer whose deadline has passed, today."),
        lambda p, now: Q(status__in=AWAITING_ANSWER, deadline__lt=now),
    ),
    Definition(
        "rated", _("Rated"), _("Cases closed out in the period with the citizen's rating."), _rated
    ),
    Definition(
        "satisfied",
        Rating.SATISFIED.label,
        _("Cases closed out in the period, rated satisfied."),
        _with_rating(Rating.SATISFIED),
    ),
    Definition(
        "basically_satisfied",
        Rating.BASICALLY_SATISFIED.label,
        _("Cases closed out in the period, rated basically satisfied."),
        _with_rating(Rating.BASICALLY_SATISFIED),
    ),
    Definition(
        "dissatisfied",
        Rating.DISSATISFIED.label,
        _("Cases closed out in the period, rated dissatisfied."),
        _with_rating(Rating.DISSATISFIED),
    ),
    Definition(
        "cohort_accepted",
        _("Received and accepted"),
        _("Cases received in the period and accepted by its end (what the closure rate divides)."),
        _cohort_accepted,
    ),
    Definition(
        "cohort_closed",
        _("Received and closed out"),
        _("Cases received in the period, accepted and closed out by its end."),
        _cohort_closed,
    ),
)

EVENT_FIGURES: tuple[Definition, ...] = (
    Definition(
        "answered_on_spot",
        _("Answered on the spot"),
        _("Cases answered on the spot in the period."),
        event=Action.ANSWER_ON_SPOT,
    ),
    Definition(
        "assigned",
        _("Assigned"),
        _("Cases assigned to a department in the period."),
        event=Action.ASSIGN,
    ),
    Definition(
        "escalated",
        _("Escalated"),
        _("Cases passed up to the congress above in the period."),
        event=Action.ESCALATE,
    ),
    Definition(
        "converted",
        _("Converted into suggestions"),
        _("Cases a deputy's suggestion took up in the period."),
        event=Action.CONVERT,
    ),
)

OTHER_FIGURES: tuple[Definition, ...] = (
    Definition(
        "suggestions_formed",
        _("Suggestions formed"),
        _("Deputies' suggestions that cases were converted into in the period."),
        event=Action.CONVERT,
    ),
    Definition(
        "receptions",
        _("Reception days held"),
        _("Reception days in the period with their reception record."),
    ),
    Definition(
        "citizens_received",
        _("Citizens received"),
        _("Citizens received at the reception days held in the period (the records' counts)."),
    ),
    Definition(
        "activities",
        _("Activities held"),
        _("Station activities held that started in the period."),
    ),
    Definition(
        "deputies",
        _("Deputies"),
        _("Deputies grouped into the stations."),
    ),
    Definition(
        "deputies_active",
        _("Deputies taking part"),
        _(
            "Deputies of the stations present at a held reception day or checked in at an "
            "activity in the period."
        ),
    ),
)

RATES: dict[str, tuple[str, str, Promise, Promise]] = {
    # name: (numerator, denominator, label, definition)
    "closure_rate": (
        "cohort_closed",
        "cohort_accepted",
        _("Closure rate"),
        _(
            "Closure rate: of the cases received in the period and accepted by its end, the share "
            "closed out by its end."
        ),
    ),
    "on_time_rate": (
        "closed_on_time",
        "closed",
        _("On-time rate"),
        _(
            "On-time rate: of the cases closed out in the period, the share answered by the "
            "deadline."
        ),
    ),
    "satisfaction_rate": (
        "satisfied_all",
        "rated",
        _("Satisfaction rate"),
        _(
            "Satisfaction rate: of the cases closed out in the period with a rating, the share "
            "rated satisfied or basically satisfied."
        ),
    ),
    "participation_rate": (
        "deputies_active",
        "deputies",
        _("Participation rate"),
        _("Of the deputies grouped into the stations, the share taking part in the period."),
    ),
}

DEFINITIONS: dict[str, Definition] = {
    d.name: d for d in (*CASE_FIGURES, *EVENT_FIGURES, *OTHER_FIGURES)
}


def rate(part: int, whole: int) -> float | None:
    """A percentage with one decimal; None when there is nothing to divide (shown as "—")."""
    return round(100 * part / whole, 1) if whole else None
