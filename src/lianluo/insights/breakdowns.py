"""Breakdowns the dashboard shows beside the figures: each defined once here, on top of
insights.figures (never a count of its own kind).

- suggestions by state: the suggestions formed in the period (the figure `suggestions_formed`:
  placed by the date their case was converted), by their state today;
- projects by state: the livelihood projects of the years the period touches (placed by their
  `year`) in the target's area (a station: its area; a project without an area: its congress's),
  by their state today;
- the trend: the cases of `received` and `closed` placed in months (or days, for a period of up to
  two months) by the date each figure places them with (`created_at`, `closed_at`), in local time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from lianluo.deputies.models import Deputy
from lianluo.insights.figures import Period, Target, case_records, deputies_taking_part
from lianluo.projects.models import Project, ProjectStatus
from lianluo.stations.models import StationMembership
from lianluo.suggestions.models import Suggestion
from lianluo.suggestions.states import SuggestionStatus

# A period up to this many days is drawn day by day, a longer one month by month.
DAILY_UP_TO = 62


def suggestions_formed(*, target: Target, period: Period) -> QuerySet[Suggestion]:
    """The suggestions the figure `suggestions_formed` counts: those the target's cases were
    converted into in the period (several cases carried by one suggestion: once)."""
    cases = case_records(name="suggestions_formed", target=target, period=period)
    return Suggestion.objects.filter(
        pk__in=cases.filter(suggestion__isnull=False).values("suggestion_id")
    ).order_by("-created_at", "-pk")


def suggestions_by_state(*, target: Target, period: Period) -> list[tuple[str, str, int]]:
    """(state, label, count) of the suggestions formed in the period, by their state today, in
    the states' order; states with none are left out. The counts add up to the figure."""
    rows = dict(
        suggestions_formed(target=target, period=period)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return [(s.value, str(s.label), rows[s.value]) for s in SuggestionStatus if rows.get(s.value)]


def projects_of(*, target: Target, period: Period) -> QuerySet[Project]:
    """The livelihood projects of the years the period touches, in the target's area."""
    path = target.path
    return Project.objects.filter(
        Q(area__path__startswith=path)
        | Q(area__isnull=True, congress__area__path__startswith=path),
        year__gte=period.start.year,
        year__lte=period.end.year,
    ).order_by("-year", "title", "pk")


def projects_by_state(*, target: Target, period: Period) -> list[tuple[str, str, int]]:
    """(state, label, count) of `projects_of`, by their state today; states with none left out."""
    rows = dict(
        projects_of(target=target, period=period)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return [(s.value, str(s.label), rows[s.value]) for s in ProjectStatus if rows.get(s.value)]


@dataclass(frozen=True)
class Bucket:
    period: Period
    daily: bool

    @property
    def key(self) -> str:
        return self.period.start.isoformat() if self.daily else self.period.start.strftime("%Y-%m")


def buckets(period: Period) -> list[Bucket]:
    """The days (short periods) or the months of a period, cut to the period's edges."""
    if period.days <= DAILY_UP_TO:
        days = [period.start + timedelta(days=i) for i in range(period.days)]
        return [Bucket(Period(d, d), True) for d in days]
    out: list[Bucket] = []
    first = period.start
    while first <= period.end:
        following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
        last = min(period.end, following - timedelta(days=1))
        out.append(Bucket(Period(first, last), False))
        first = following
    return out


def trend(*, target: Target, period: Period) -> list[tuple[str, int, int]]:
    """(day or month, received, closed) over the period: the cases of the two figures, placed
    by their own dates. Each column adds up to the figure of the whole period."""
    cuts = buckets(period)
    counts = received_and_closed(target=target, period=period, spans=[b.period for b in cuts])
    return [(b.key, *counts[i]) for i, b in enumerate(cuts)]


def received_and_closed(
    *, target: Target, period: Period, spans: list[Period]
) -> list[tuple[int, int]]:
    """(received, closed) in each span (consecutive parts of the period): two queries."""
    received = _place(
        case_records(name="received", target=target, period=period).values_list(
            "created_at", flat=True
        ),
        spans,
    )
    closed = _place(
        case_records(name="closed", target=target, period=period).values_list(
            "closed_at", flat=True
        ),
        spans,
    )
    return list(zip(received, closed, strict=True))


def _place(moments, spans: list[Period]) -> list[int]:
    counts = [0] * len(spans)
    for moment in moments:
        day = timezone.localdate(moment)
        for i, span in enumerate(spans):
            if span.start <= day <= span.end:
                counts[i] += 1
                break
    return counts


def deputies_of(*, target: Target, period: Period, active: bool) -> QuerySet[Deputy]:
    """The deputies the figures `deputies` (grouped into the target's stations) and, with
    `active`, `deputies_active` (of those, the ones taking part in the period) count."""
    members = StationMembership.objects.filter(target.stations()).values("deputy_id")
    rows = Deputy.objects.filter(pk__in=members)
    if active:
        rows = rows.filter(pk__in=deputies_taking_part(target=target, period=period))
    return rows.order_by("name", "pk")
