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

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lianluo.activities.models import Activity, ActivityStatus, Signup
from lianluo.cases.models import Case, CaseEvent
from lianluo.cases.states import AWAITING_ANSWER, Action, CaseStatus, Channel, Rating
from lianluo.insights.period import Period, Target
from lianluo.stations.models import ReceptionDay, ReceptionRecord, Station, StationMembership

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
        """Whether anything happened: a case received or closed, a reception day, an activity."""
        return bool(self.received or self.closed or self.receptions or self.activities)


# Where the cases are: a Q builder for a path of relations to a case ("" or "case__").
CasesWhere = Callable[[str], Q]


def _cases_base(where: Q) -> QuerySet[Case]:
    """Cases, without the congress-above copies of escalated ones."""
    return Case.objects.filter(where).exclude(channel=Channel.ESCALATION)


# Where the stations' rows are: a target's Q builder for a path of relations to a station.
StationsWhere = Callable[[str], Q]


def _grouped(rows: QuerySet[Any], by: str | None, **aggregates: Any) -> dict[Any, dict[str, Any]]:
    """The aggregates over all rows (key None), or per value of the field `by`."""
    if by is None:
        return {None: rows.aggregate(**aggregates)}
    grouped = rows.order_by().values(key=F(by)).annotate(**aggregates)
    return {row.pop("key"): row for row in grouped}


def _tally(
    *,
    cases: CasesWhere,
    stations: StationsWhere,
    keys: dict[Any, str],
    by: str | None,
    period: Period,
    now: datetime,
) -> dict[Any, Figures]:
    """The figures of each key: of everything (by None, key None) or of each station (by
    "station", keys station ids). Seven queries however many keys."""
    out = {
        key: Figures(target=code, start=period.start, end=period.end) for key, code in keys.items()
    }
    base = _cases_base(cases(""))
    station = "station_id" if by else None

    def put(rows: dict[Any, dict[str, Any]]) -> None:
        for key, values in rows.items():
            if key not in out:
                continue
            for name, value in values.items():
                if name.startswith("channel_"):
                    out[key].by_channel[name.removeprefix("channel_")] = value or 0
                else:
                    setattr(out[key], name, value or 0)

    for figures in out.values():
        figures.by_channel = {c.value: 0 for c in CHANNELS}
    put(
        _grouped(
            base,
            station,
            **{d.name: Count("pk", filter=d.cases(period, now)) for d in CASE_FIGURES if d.cases},
        )
    )
    # One join to the case (not `case__in` a subquery: that read the cases twice).
    events = CaseEvent.objects.filter(
        cases("case__"),
        at__gte=period.since,
        at__lt=period.until,
        action__in=[d.event for d in EVENT_FIGURES],
    ).exclude(case__channel=Channel.ESCALATION)
    put(
        _grouped(
            events,
            "case__station_id" if by else None,
            **{
                d.name: Count("case", distinct=True, filter=Q(action=d.event))
                for d in EVENT_FIGURES
            },
            suggestions_formed=Count(
                "case__suggestion", distinct=True, filter=Q(action=Action.CONVERT)
            ),
        )
    )
    days = ReceptionDay.objects.filter(
        stations(""), date__gte=period.start, date__lte=period.end, record__isnull=False
    )
    put(
        _grouped(
            days,
            station,
            receptions=Count("pk"),
            citizens_received=Sum("record__citizens_received"),
        )
    )
    put(_grouped(_activities(stations, period), station, activities=Count("pk")))
    members: dict[Any, set[int]] = {}
    for station_id, deputy in StationMembership.objects.filter(stations("")).values_list(
        "station_id", "deputy_id"
    ):
        members.setdefault(station_id if by else None, set()).add(deputy)
    active = _taking_part(stations, period, by=bool(by))
    for key, figures in out.items():
        people = members.get(key, set())
        figures.deputies = len(people)
        figures.deputies_active = len(people & active.get(key, set()))
        _fill_rates(figures)
    return out


def figures_of(*, target: Target, period: Period, now: datetime | None = None) -> Figures:
    """All the figures of a target over a period (seven queries)."""
    return _tally(
        cases=target.cases,
        stations=target.stations,
        keys={None: target.code},
        by=None,
        period=period,
        now=now or timezone.now(),
    )[None]


def figures_of_stations(
    *, stations: list[Station], period: Period, now: datetime | None = None
) -> dict[int, Figures]:
    """The figures of each station over a period, by station id (seven queries in all)."""
    ids = [s.pk for s in stations]
    return _tally(
        cases=lambda prefix: Q(**{f"{prefix}station_id__in": ids}),
        stations=lambda prefix: Q(**{f"{prefix}station_id__in": ids}),
        keys={s.pk: s.code for s in stations},
        by="station",
        period=period,
        now=now or timezone.now(),
    )


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


def _activities(stations: StationsWhere, period: Period) -> QuerySet[Activity]:
    return Activity.objects.filter(
        stations(""),
        status=ActivityStatus.DONE,
        start__gte=period.since,
        start__lt=period.until,
    )


def activities_held(*, target: Target, period: Period) -> QuerySet[Activity]:
    """Activities held (done) that started in the period."""
    return _activities(target.stations, period)


def _taking_part(stations: StationsWhere, period: Period, *, by: bool) -> dict[Any, set[int]]:
    present = ReceptionRecord.deputies_present.through.objects.filter(
        stations("receptionrecord__reception_day__"),
        receptionrecord__reception_day__date__gte=period.start,
        receptionrecord__reception_day__date__lte=period.end,
    ).values_list("receptionrecord__reception_day__station_id", "deputy_id")
    checked_in = Signup.objects.filter(
        stations("activity__"),
        checked_in_at__gte=period.since,
        checked_in_at__lt=period.until,
    ).values_list("activity__station_id", "deputy_id")
    out: dict[Any, set[int]] = {}
    for station_id, deputy_id in [*present, *checked_in]:
        out.setdefault(station_id if by else None, set()).add(deputy_id)
    return out


def deputies_taking_part(*, target: Target, period: Period) -> set[int]:
    """Deputies present at a held reception day or checked in at an activity of the target's
    stations in the period (by their ids)."""
    return _taking_part(target.stations, period, by=False).get(None, set())


def case_records(
    *, name: str, target: Target, period: Period, now: datetime | None = None
) -> QuerySet[Case]:
    """The cases a case figure counts: the ledger list behind a figure's link."""
    now = now or timezone.now()
    definition = DEFINITIONS.get(name)
    if definition is None or not (definition.cases or definition.event):
        raise KeyError(name)
    rows = _cases_base(target.cases())
    if definition.cases is not None:
        return rows.filter(definition.cases(period, now))
    steps = CaseEvent.objects.filter(
        case=OuterRef("pk"), action=definition.event, at__gte=period.since, at__lt=period.until
    )
    return rows.filter(Exists(steps))
