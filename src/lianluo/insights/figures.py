"""Every figure, defined once: what it counts, and the date that places it in a period.

The public station page, the station-of-the-year scorecard, the dashboard, the stats API and the
briefing all read their numbers here; nothing else counts cases, receptions or activities.

A target is an area (with every area below it) or one station; a period is two local dates, both
inclusive. Counts are the events of the period, each placed by its own date:

- received: cases submitted in the period (their `created_at`), by channel. A case passed up to
  the congress above is the same matter: its copy upstairs (channel "escalation") is never
  counted again, so a matter counts once, where it was received.
- accepted, closed: cases accepted (`accepted_at`), closed out (销号, `closed_at`) in the period.
- answered on the spot, assigned, escalated, converted: cases with that step in the period (a
  case assigned twice, before and after a reopening, counts once).
- closed on time: of the cases closed in the period, those answered by their deadline (a case
  without a deadline was answered when it was accepted).
- rated, satisfied, basically satisfied, dissatisfied: the standing rating of the cases closed in
  the period (a reopened case counts with the rating it closed with, once).
- overdue: cases waiting for an answer whose deadline has passed, now (not a period figure).
- receptions: reception days in the period that were held, i.e. have their record (接待记录);
  citizens received: the sum of those records' head counts.
- activities: station activities held (status done) that started in the period.
- suggestions formed: the deputies' suggestions that cases of the target were converted into in
  the period (several cases carried by one suggestion count once).
- deputies, deputies active: the deputies grouped into the target's stations, and those of them
  present at a held reception day or checked in at an activity of those stations in the period.

Rates are percentages with one decimal, None ("—") when there is nothing to divide:
- 办结率 closure rate: of the cases received in the period and accepted by its end, the share
  closed out by its end (a cohort: it never passes 100 %);
- 按时办结率 on-time rate: closed on time ÷ closed;
- 满意率 satisfaction rate: (satisfied + basically satisfied) ÷ rated;
- participation rate: deputies active ÷ deputies.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lianluo.activities.models import Activity, ActivityStatus, Signup
from lianluo.cases.models import Case, CaseEvent
from lianluo.cases.states import AWAITING_ANSWER, Action, CaseStatus, Channel, Rating
from lianluo.core.models import Area
from lianluo.stations.models import ReceptionDay, ReceptionRecord, Station, StationMembership

# ---- period and target ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """Two local dates, both inclusive."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("period ends before it starts")

    @property
    def since(self) -> datetime:
        """The first instant of the period (local midnight of its first day)."""
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def until(self) -> datetime:
        """The first instant after the period (local midnight after its last day)."""
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period before this one: the year, quarter or month before when this is a whole
        one, else as many days just before."""
        if self.is_whole_months:
            months = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1
            first = _add_months(self.start, -months)
            return Period(first, self.start - timedelta(days=1))
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    @property
    def is_whole_months(self) -> bool:
        last = calendar.monthrange(self.end.year, self.end.month)[1]
        return self.start.day == 1 and self.end.day == last

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))

    @classmethod
    def year_to_date(cls, today: date | None = None) -> Period:
        today = today or timezone.localdate()
        return cls(date(today.year, 1, 1), today)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Target:
    """What the figures are of: an area with everything below it, or one station."""

    area: Area | None = None
    station: Station | None = None

    def __post_init__(self) -> None:
        if (self.area is None) == (self.station is None):
            raise ValueError("a target is an area or a station")

    @property
    def code(self) -> str:
        return self.station.code if self.station else self.area.code  # type: ignore[union-attr]

    @property
    def name(self) -> str:
        return self.station.name if self.station else self.area.name  # type: ignore[union-attr]

    @property
    def path(self) -> str:
        """The area path the target lies in (a station's is its area's)."""
        return self.station.area.path if self.station else self.area.path  # type: ignore[union-attr]

    def cases(self) -> Q:
        if self.station is not None:
            return Q(station=self.station)
        assert self.area is not None
        return Q(scope_path__startswith=self.area.path)

    def stations(self, prefix: str = "") -> Q:
        """Rows of a model reaching a station through `prefix` (e.g. "reception_day__")."""
        if self.station is not None:
            return Q(**{f"{prefix}station": self.station})
        assert self.area is not None
        return Q(**{f"{prefix}station__area__path__startswith": self.area.path})


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
        "received", _("Received"), _("Cases submitted in the period, by any channel."), _received
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
        lambda p, now: (
            _closed(p, now) & (Q(deadline__isnull=True) | Q(answered_at__lte=F("deadline")))
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


# ---- counting ------------------------------------------------------------------------------------


@dataclass
class Figures:
    """The figures of a target over a period (the stats API's answer, field for field)."""

    target: str
    start: date
    end: date
    received: int = 0
    by_channel: dict[str, int] = field(default_factory=dict)
    accepted: int = 0
    answered_on_spot: int = 0
    assigned: int = 0
    escalated: int = 0
    converted: int = 0
    closed: int = 0
    closed_on_time: int = 0
    overdue: int = 0
    rated: int = 0
    satisfied: int = 0
    basically_satisfied: int = 0
    dissatisfied: int = 0
    cohort_accepted: int = 0
    cohort_closed: int = 0
    closure_rate: float | None = None
    on_time_rate: float | None = None
    satisfaction_rate: float | None = None
    citizens_received: int = 0
    receptions: int = 0
    activities: int = 0
    suggestions_formed: int = 0
    deputies: int = 0
    deputies_active: int = 0
    participation_rate: float | None = None

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["from"] = data.pop("start").isoformat()
        data["to"] = data.pop("end").isoformat()
        data["scope"] = data.pop("target")
        return data

    @property
    def active(self) -> bool:
        """Whether anything happened: a case, a reception day or an activity."""
        return bool(self.received or self.receptions or self.activities)


def _cases_base(target: Target) -> QuerySet[Case]:
    """The target's cases, without the congress-above copies of escalated ones."""
    return Case.objects.filter(target.cases()).exclude(channel=Channel.ESCALATION)


def figures_of(*, target: Target, period: Period, now: datetime | None = None) -> Figures:
    """All the figures of a target over a period: a fixed number of queries (six)."""
    now = now or timezone.now()
    out = Figures(target=target.code, start=period.start, end=period.end)
    counts = _cases_base(target).aggregate(
        **{d.name: Count("pk", filter=d.cases(period, now)) for d in CASE_FIGURES if d.cases}
    )
    for d in CASE_FIGURES:
        value = counts[d.name] or 0
        if d.name.startswith("channel_"):
            out.by_channel[d.name.removeprefix("channel_")] = value
        else:
            setattr(out, d.name, value)
    events = (
        CaseEvent.objects.filter(case__in=_cases_base(target))
        .filter(at__gte=period.since, at__lt=period.until)
        .aggregate(
            **{
                d.name: Count("case", distinct=True, filter=Q(action=d.event))
                for d in EVENT_FIGURES
            },
            suggestions_formed=Count(
                "case__suggestion", distinct=True, filter=Q(action=Action.CONVERT)
            ),
        )
    )
    for name, value in events.items():
        setattr(out, name, value or 0)
    days = receptions_held(target=target, period=period).aggregate(
        n=Count("pk"), people=Sum("record__citizens_received")
    )
    out.receptions, out.citizens_received = days["n"], days["people"] or 0
    out.activities = activities_held(target=target, period=period).count()
    members = set(
        StationMembership.objects.filter(target.stations()).values_list("deputy_id", flat=True)
    )
    out.deputies = len(members)
    out.deputies_active = len(members & deputies_taking_part(target=target, period=period))
    _fill_rates(out)
    return out


def _fill_rates(out: Figures) -> None:
    values = asdict(out)
    values["satisfied_all"] = out.satisfied + out.basically_satisfied
    for name, (part, whole, _label, _text) in RATES.items():
        setattr(out, name, rate(values[part], values[whole]))


def receptions_held(*, target: Target, period: Period) -> QuerySet[ReceptionDay]:
    """Reception days of the period that were held: they have their record."""
    return ReceptionDay.objects.filter(
        target.stations(), date__gte=period.start, date__lte=period.end, record__isnull=False
    )


def activities_held(*, target: Target, period: Period) -> QuerySet[Activity]:
    """Activities held (done) that started in the period."""
    return Activity.objects.filter(
        target.stations(),
        status=ActivityStatus.DONE,
        start__gte=period.since,
        start__lt=period.until,
    )


def deputies_taking_part(*, target: Target, period: Period) -> set[int]:
    """Deputies present at a held reception day or checked in at an activity of the target's
    stations in the period (by their ids)."""
    present = ReceptionRecord.deputies_present.through.objects.filter(
        target.stations("receptionrecord__reception_day__"),
        receptionrecord__reception_day__date__gte=period.start,
        receptionrecord__reception_day__date__lte=period.end,
    ).values_list("deputy_id", flat=True)
    checked_in = Signup.objects.filter(
        target.stations("activity__"),
        checked_in_at__gte=period.since,
        checked_in_at__lt=period.until,
    ).values_list("deputy_id", flat=True)
    return set(present) | set(checked_in)


def case_records(
    *, name: str, target: Target, period: Period, now: datetime | None = None
) -> QuerySet[Case]:
    """The cases a case figure counts: the ledger list behind a figure's link."""
    now = now or timezone.now()
    definition = DEFINITIONS.get(name)
    if definition is None or not (definition.cases or definition.event):
        raise KeyError(name)
    rows = _cases_base(target)
    if definition.cases is not None:
        return rows.filter(definition.cases(period, now))
    steps = CaseEvent.objects.filter(
        case=OuterRef("pk"), action=definition.event, at__gte=period.since, at__lt=period.until
    )
    return rows.filter(Exists(steps))
