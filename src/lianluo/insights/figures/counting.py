"""Counting: the figures of a target (or of many stations or areas at once) over a period, and
the records behind each figure. Seven queries per batch, however many targets it holds."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from functools import reduce
from operator import or_
from typing import Any

from django.db import connection
from django.db.models import Case as Choose
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Sum, Value, When
from django.db.models.functions import StrIndex, Substr
from django.utils import timezone

from lianluo.activities.models import Activity, ActivityStatus, Signup
from lianluo.cases.models import Case, CaseEvent
from lianluo.cases.states import Action, Channel
from lianluo.core.models import Area
from lianluo.insights.figures.definitions import (
    CASE_FIGURES,
    CHANNELS,
    DEFINITIONS,
    EVENT_FIGURES,
    RATES,
    rate,
)
from lianluo.insights.period import Period, Target, path_below
from lianluo.stations.models import ReceptionDay, ReceptionRecord, Station, StationMembership

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


# Where the stations' rows are: a target's Q builder for a path of relations to a station.
StationsWhere = Callable[[str], Q]

# Where the cases are: a Q builder for a path of relations to a case ("" or "case__"), and
# whether to read the table rather than an index (`scan`, insights.period.path_below).
CasesWhere = Callable[..., Q]


def _broad(paths: list[str]) -> bool:
    """Whether the areas of these paths hold a quarter of the stations or more (SQLite only:
    its planner then needs telling to read the cases rather than look them up through the
    path index)."""
    if connection.vendor != "sqlite" or not paths:
        return False
    inside = reduce(or_, (path_below("area__path", p) for p in paths))
    counts = Station.objects.aggregate(all=Count("pk"), inside=Count("pk", filter=inside))
    return bool(counts["inside"]) and 4 * counts["inside"] >= counts["all"]


def _cases_base(where: Q) -> QuerySet[Case]:
    """Cases, without the congress-above copies of escalated ones."""
    return Case.objects.filter(where).exclude(channel=Channel.ESCALATION)


def _grouped(rows: QuerySet[Any], by: Any, **aggregates: Any) -> dict[Any, dict[str, Any]]:
    """The aggregates over all rows (key None), or per value of the expression `by`."""
    if by is None:
        return {None: rows.aggregate(**aggregates)}
    grouped = rows.order_by().values(key=by).annotate(**aggregates)
    return {row.pop("key"): row for row in grouped}


# The key a row is counted under, as an expression over the row reached through a prefix (e.g.
# "case__"); None when everything is counted under the one key None.
KeyOf = Callable[[str], Any] | None


def _key(key_of: KeyOf, prefix: str) -> Any:
    return key_of(prefix) if key_of is not None else None


def _tally(
    *,
    cases: CasesWhere,
    stations: StationsWhere,
    keys: dict[Any, str],
    case_key: KeyOf,
    station_key: KeyOf,
    period: Period,
    now: datetime,
    paths: list[str] | None = None,
) -> dict[Any, Figures]:
    """The figures of each key: of everything (no key expressions, key None), of each station
    (keys station ids) or of each area (keys area ids, `paths` theirs). Seven queries however
    many keys (and one more for areas on SQLite: _broad)."""
    out = {
        key: Figures(target=code, start=period.start, end=period.end) for key, code in keys.items()
    }
    base = _cases_base(cases("", scan=_broad(paths or [])))
    station = _key(station_key, "")
    # Only the cases some figure counts (received, accepted or closed in the period, or overdue
    # now): the others are read but not weighed against every figure and every key.
    counted = base.filter(reduce(or_, (d.cases(period, now) for d in CASE_FIGURES if d.cases)))

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
            counted,
            _key(case_key, ""),
            **{d.name: Count("pk", filter=d.cases(period, now)) for d in CASE_FIGURES if d.cases},
        )
    )
    # One join to the case (not `case__in` a subquery: that read the cases twice).
    # Driven from the period's events (their covering index), each event's case looked up by
    # its key: a period's events are fewer than an area's cases over the years.
    events = CaseEvent.objects.filter(
        cases("case__", scan=True),
        at__gte=period.since,
        at__lt=period.until,
        action__in=[d.event for d in EVENT_FIGURES],
    ).exclude(case__channel=Channel.ESCALATION)
    put(
        _grouped(
            events,
            _key(case_key, "case__"),
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
    members = _people(StationMembership.objects.filter(stations("")), station_key, "")
    active = _taking_part(stations, period, key_of=station_key)
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
        case_key=None,
        station_key=None,
        period=period,
        now=now or timezone.now(),
        paths=[target.area.path] if target.area is not None else None,
    )[None]


def figures_of_stations(
    *, stations: list[Station], period: Period, now: datetime | None = None
) -> dict[int, Figures]:
    """The figures of each station over a period, by station id (seven queries in all)."""
    ids = [s.pk for s in stations]
    return _tally(
        cases=lambda prefix, scan=False: Q(**{f"{prefix}station_id__in": ids}),
        stations=lambda prefix: Q(**{f"{prefix}station_id__in": ids}),
        keys={s.pk: s.code for s in stations},
        case_key=lambda prefix: F(f"{prefix}station_id"),
        station_key=lambda prefix: F(f"{prefix}station_id"),
        period=period,
        now=now or timezone.now(),
    )


def figures_of_areas(
    *, areas: list[Area], period: Period, now: datetime | None = None
) -> dict[int, Figures]:
    """The figures of each area (with everything below it) over a period, by area id: seven
    queries in all, each row counted under the area its path lies in (areas that do not
    overlap, e.g. the sub-areas of one area)."""
    if not areas:
        return {}
    now = now or timezone.now()
    parent = _common_parent(areas)
    if parent is not None:
        return _areas_under(parent, areas, period, now)

    def below(field_name: str, scan: bool = False) -> Q:
        return reduce(or_, (path_below(field_name, a.path, scan=scan) for a in areas))

    def which(field_name: str) -> Choose:
        return Choose(
            *(When(path_below(field_name, a.path), then=Value(a.pk)) for a in areas),
            default=None,
            output_field=IntegerField(),
        )

    return _tally(
        cases=lambda prefix, scan=False: below(f"{prefix}scope_path", scan),
        stations=lambda prefix: below(f"{prefix}station__area__path"),
        keys={a.pk: a.code for a in areas},
        case_key=lambda prefix: which(f"{prefix}scope_path"),
        station_key=lambda prefix: which(f"{prefix}station__area__path"),
        period=period,
        now=now,
        paths=[a.path for a in areas],
    )


def _common_parent(areas: list[Area]) -> str | None:
    """The path of the area all these areas sit directly under, if they do ("/a/b/" for
    "/a/b/c/" and "/a/b/d/"), else None."""
    parents = {a.path[: a.path.rstrip("/").rfind("/") + 1] for a in areas}
    return parents.pop() if len(parents) == 1 else None


def _areas_under(
    parent: str, areas: list[Area], period: Period, now: datetime
) -> dict[int, Figures]:
    """The sub-areas of one area (the drill-down): the rows below the parent, each counted
    under the path's next segment ("c/" of "/a/b/c/…"), one cheap expression per row rather
    than one comparison per sub-area."""
    start = len(parent) + 1
    by_segment = {a.path[len(parent) :]: a for a in areas}

    def segment(field_name: str) -> Substr:
        rest = Substr(F(field_name), start)
        return Substr(F(field_name), start, StrIndex(rest, Value("/")))

    out = _tally(
        cases=lambda prefix, scan=False: path_below(f"{prefix}scope_path", parent, scan=scan),
        stations=lambda prefix: path_below(f"{prefix}station__area__path", parent),
        keys={seg: a.code for seg, a in by_segment.items()},
        case_key=lambda prefix: segment(f"{prefix}scope_path"),
        station_key=lambda prefix: segment(f"{prefix}station__area__path"),
        period=period,
        now=now,
        paths=[parent],
    )
    return {by_segment[seg].pk: figures for seg, figures in out.items()}


def figures_of_targets(
    *, targets: list[Target], period: Period, now: datetime | None = None
) -> list[Figures]:
    """The figures of each target, in their order: the stations in one batch, the areas in
    another (fourteen queries at most, however many targets)."""
    at_stations = figures_of_stations(
        stations=[t.station for t in targets if t.station is not None], period=period, now=now
    )
    at_areas = figures_of_areas(
        areas=[t.area for t in targets if t.area is not None], period=period, now=now
    )
    return [
        at_stations[t.station.pk] if t.station is not None else at_areas[t.area.pk]  # type: ignore[union-attr]
        for t in targets
    ]


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


def _people(rows: QuerySet[Any], key_of: KeyOf, prefix: str) -> dict[Any, set[int]]:
    """The deputies of rows (with a `deputy_id`), by the key of the station they reach."""
    out: dict[Any, set[int]] = {}
    if key_of is None:
        out[None] = set(rows.values_list("deputy_id", flat=True))
        return out
    for key, deputy_id in rows.annotate(key=key_of(prefix)).values_list("key", "deputy_id"):
        out.setdefault(key, set()).add(deputy_id)
    return out


def _taking_part(stations: StationsWhere, period: Period, *, key_of: KeyOf) -> dict[Any, set[int]]:
    present = _people(
        ReceptionRecord.deputies_present.through.objects.filter(
            stations("receptionrecord__reception_day__"),
            receptionrecord__reception_day__date__gte=period.start,
            receptionrecord__reception_day__date__lte=period.end,
        ),
        key_of,
        "receptionrecord__reception_day__",
    )
    checked_in = _people(
        Signup.objects.filter(
            stations("activity__"),
            checked_in_at__gte=period.since,
            checked_in_at__lt=period.until,
        ),
        key_of,
        "activity__",
    )
    for key, people in checked_in.items():
        present.setdefault(key, set()).update(people)
    return present


def deputies_taking_part(*, target: Target, period: Period) -> set[int]:
    """Deputies present at a held reception day or checked in at an activity of the target's
    stations in the period (by their ids)."""
    return _taking_part(target.stations, period, key_of=None).get(None, set())


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
