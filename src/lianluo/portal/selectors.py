"""Reads for the public pages and posters: public information only, no viewer, no personal data.

Every selector runs a fixed number of queries whatever the size of the station (asserted in
tests/cases/test_public_pages.py): the page is what a phone loads after scanning a QR code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Min, Prefetch, Q, prefetch_related_objects
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from lianluo.activities.models import Activity, ActivityStatus
from lianluo.cases.models import Case, CaseEvent
from lianluo.cases.selectors import (
    approved_summary,
    cases_published_of,
    event_public_text,
    scrub,
)
from lianluo.cases.states import Action, Rating
from lianluo.deputies.models import LEVEL_ORDER, Deputy, Level
from lianluo.insights.figures import Figures, Period, Target, figures_of
from lianluo.stations.models import (
    ReceptionDay,
    ReceptionRule,
    RuleKind,
    Station,
)
from lianluo.stations.rules import rule_text
from lianluo.stations.selectors import reception_days_upcoming

SCHEDULE_DAYS = 30
RECENT_ACTIVITIES = 5
PUBLISHED_CASES = 5

# ---- deputies by level ---------------------------------------------------------------------------

if TYPE_CHECKING:  # posters.py imports reportlab: loaded only to draw
    from lianluo.portal.posters import DeputyPoster, StationPoster


def level_heading(level: str) -> str:
    """The heading of a level group on the public page."""
    headings: dict[str, str] = {
        # Translators: heading of a group of deputies on a station's page: 全国人大代表
        Level.NATIONAL: _("National deputies"),
        # Translators: 省人大代表
        Level.PROVINCIAL: _("Provincial deputies"),
        # Translators: 市人大代表
        Level.CITY: _("City deputies"),
        # Translators: 县人大代表
        Level.COUNTY: _("County deputies"),
        # Translators: 乡镇人大代表
        Level.TOWNSHIP: _("Township deputies"),
    }
    return headings.get(level, _("Other deputies"))


@dataclass
class LevelGroup:
    level: str  # a Level value, or "" for deputies without an active mandate
    heading: str
    deputies: list[Deputy]


def deputies_by_level(*, deputies: list[Deputy]) -> list[LevelGroup]:
    """Deputies grouped national → township; a deputy with several mandates appears once, under
    the highest level (the page still shows every level tag). Needs mandates prefetched."""
    groups: dict[str, list[Deputy]] = {}
    for deputy in deputies:
        levels = {m.level for m in deputy.mandates.all() if m.active}
        top = next((v for v in LEVEL_ORDER if v in levels), "")
        groups.setdefault(top, []).append(deputy)
    order = [*LEVEL_ORDER, ""]
    return [
        LevelGroup(level=v, heading=level_heading(v), deputies=groups[v])
        for v in order
        if v in groups
    ]


# ---- schedule and activities ---------------------------------------------------------------------


def activities_recent(*, station: Station, limit: int = RECENT_ACTIVITIES) -> list[Activity]:
    """The station's latest public activities (published or held), newest first."""
    return list(
        Activity.objects.filter(
            station=station, status__in=[ActivityStatus.PUBLISHED, ActivityStatus.DONE]
        ).order_by("-start", "-id")[:limit]
    )


# ---- published cases -----------------------------------------------------------------------------


@dataclass
class PublishedCase:
    """A closed case whose citizen consented to publication, as the public page shows it: the
    summary staff approved (with the answer), or, until one is, only its category and outcome."""

    summary: str  # "" until staff approve one (cases.services.publication)
    category: str
    outcome: str  # e.g. 已办结 · 满意
    answer: str  # shown only with an approved summary
    closed_on: date | None
    number: str = ""  # the ledger number: 我也遇到 names the case by it
    support_count: int = 0


def case_outcome(case: Case) -> str:
    """The outcome a closed case shows in public: closed out, and the rating when there is one."""
    # Translators: the outcome of a closed case on the public station page: 已办结
    parts = [pgettext("published case", "Closed")]
    if case.rating:
        parts.append(str(Rating(case.rating).label))
    return " · ".join(parts)


def cases_published(*, station: Station, limit: int = PUBLISHED_CASES) -> list[PublishedCase]:
    """Closed-out cases of the station whose citizens agreed to publication, newest first.
    Nothing the citizen wrote is shown: a case with an approved summary shows it and the public
    text of the last answer (the same words the citizen read on the tracking page); one without
    shows only its category and outcome."""
    answers = CaseEvent.objects.filter(action__in=[Action.ANSWER, Action.ANSWER_ON_SPOT]).order_by(
        "at", "id"
    )
    rows = (
        cases_published_of(station=station)
        .select_related("category")
        .prefetch_related(Prefetch("events", queryset=answers, to_attr="answer_events"))
        .order_by("-closed_at", "-id")[:limit]
    )
    result = []
    for case in rows:
        events = case.answer_events  # type: ignore[attr-defined]
        summary = approved_summary(case)
        result.append(
            PublishedCase(
                summary=summary,
                # The catalog's name; a category the citizen typed in is their words: not shown.
                category=case.category.label if case.category else "",
                outcome=case_outcome(case),
                answer=scrub(event_public_text(events[-1])) if summary and events else "",
                closed_on=timezone.localdate(case.closed_at) if case.closed_at else None,
                number=case.number,
                support_count=case.support_count,
            )
        )
    return result


# ---- headline figures ----------------------------------------------------------------------------


@dataclass
class YearFigures:
    """A station's figures for a year (to date, for this year), as insights.figures defines
    them, and the years the page offers."""

    year: int
    figures: Figures
    years: list[int]


FIRST_YEAR = 2020


def station_figures(*, station: Station, year: int | None = None) -> YearFigures:
    """The station's figures of a year: this year to date unless another year is asked for
    (a year before the first one, or after this one, is this one)."""
    today = timezone.localdate()
    if year is None or not FIRST_YEAR <= year <= today.year:
        year = today.year
    period = Period(date(year, 1, 1), today) if year == today.year else Period.year(year)
    earliest = Case.objects.filter(station=station).aggregate(at=Min("created_at"))["at"]
    first = max(FIRST_YEAR, timezone.localtime(earliest).year if earliest else today.year)
    return YearFigures(
        year=year,
        figures=figures_of(target=Target(station=station), period=period),
        years=list(range(today.year, min(first, today.year) - 1, -1)),
    )


# ---- reception rules in words --------------------------------------------------------------------


def _join(items: list[str]) -> str:
    # Translators: separator of a short list, e.g. days "6, 16, 26" (Chinese: "、")
    return pgettext("list separator", ", ").join(items)


def rule_when(rule: ReceptionRule, *, today: date | None = None) -> str:
    """When a rule receives, in words: 'every month on days ending in 6' (逢6), 'every
    Wednesday', or the next market days."""
    values = list(rule.values or [])
    if rule.kind == RuleKind.MONTH_DAYS:
        days = sorted({int(v) for v in values})
        if len(days) == 3 and days[0] < 10 and days == [days[0], days[0] + 10, days[0] + 20]:
            # Translators: a reception rule such as 逢6 (the 6th, 16th and 26th): 每月逢%(digit)s日
            return _("every month on days ending in %(digit)s") % {"digit": days[0]}
        # Translators: a reception rule on fixed days of the month: 每月%(days)s日
        return _("every month on day %(days)s") % {"days": _join([str(d) for d in days])}
    if rule.kind == RuleKind.WEEKDAYS:
        names = [str(WEEKDAYS[int(v)]) for v in sorted({int(v) for v in values}) if 0 <= int(v) < 7]
        # Translators: a weekly reception rule: 每%(weekdays)s (e.g. 每星期三)
        return _("every %(weekdays)s") % {"weekdays": _join(names)}
    start = today or timezone.localdate()
    upcoming = []
    for v in sorted(str(x) for x in values):
        try:
            d = date.fromisoformat(v)
        except ValueError:
            continue
        if d >= start:
            upcoming.append(d)
    shown = [_("%(month)s/%(day)s") % {"month": d.month, "day": d.day} for d in upcoming[:4]]
    if not shown:
        # Translators: 逢集日 (market days), when no date is listed ahead
        return _("on market days")
    # Translators: 逢集日（%(dates)s）
    return _("on market days (%(dates)s)") % {"dates": _join(shown)}


def rule_sentence(rule: ReceptionRule, *, today: date | None = None, printed: bool = False) -> str:
    """'every month on days ending in 6, 9:00–12:00: deputies receive citizens'. `printed`: the
    rule alone, no date (stations.rules.rule_text), for paper that outlives the dates."""
    when = rule_text(rule) if printed else rule_when(rule, today=today)
    # Translators: e.g. 每月逢6日 9:00–12:00 接待群众
    return _("%(when)s, %(start)s–%(end)s: deputies receive citizens") % {
        "when": when,
        "start": f"{rule.start.hour}:{rule.start.minute:02d}",
        "end": f"{rule.end.hour}:{rule.end.minute:02d}",
    }


def rules_active(
    *, stations: list[Station], today: date | None = None, printed: bool = False
) -> dict[int, list[str]]:
    """The active rules of these stations in words, by station id (one query); `printed` as in
    rule_sentence."""
    day = today or timezone.localdate()
    rules = ReceptionRule.objects.filter(station__in=stations, active=True).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=day)
    )
    result: dict[int, list[str]] = {}
    for rule in rules.order_by("station_id", "start", "id"):
        result.setdefault(rule.station_id, []).append(
            rule_sentence(rule, today=day, printed=printed)
        )
    return result


def station_schedule_text(*, station: Station, rules: dict[int, list[str]]) -> list[str]:
    """What a notice says about when to come: the rules in words, else the station's hours."""
    lines = rules.get(station.id, [])
    if lines:
        return lines
    return [station.hours] if station.hours else []


# ---- the pages -----------------------------------------------------------------------------------


@dataclass
class StationPage:
    station: Station
    groups: list[LevelGroup]
    deputy_count: int
    schedule: list[ReceptionDay]
    rules: list[str]  # the active reception rules in words (the hours are the station's own)
    activities: list[Activity]
    cases: list[PublishedCase]
    figures: YearFigures
    children: list[Station]  # the active stations under it (站—室—家), by code


def station_page(
    *, station: Station, today: date | None = None, year: int | None = None
) -> StationPage:
    """Everything the public station page shows beyond the station itself (which comes from
    stations.selectors.station_public_get with deputies and mandates prefetched)."""
    deputies = list(station.deputies.all())
    return StationPage(
        station=station,
        groups=deputies_by_level(deputies=deputies),
        deputy_count=len(deputies),
        schedule=reception_days_upcoming(
            station=station, today=today, days=SCHEDULE_DAYS, limit=None
        ),
        rules=rules_active(stations=[station], today=today).get(station.id, []),
        activities=activities_recent(station=station),
        cases=cases_published(station=station),
        figures=station_figures(station=station, year=year),
        children=list(station.children.filter(active=True).order_by("code")),
    )


@dataclass
class StationSchedule:
    station: Station
    lines: list[str]  # when the station receives, in words


@dataclass
class DeputyPage:
    deputy: Deputy
    levels: list[str]
    stations: list[StationSchedule]
    duties: list[ReceptionDay]


def deputy_page(*, deputy: Deputy, today: date | None = None) -> DeputyPage:
    """The public deputy page: levels, stations with their reception rules, next duties."""
    stations = [s for s in deputy.stations.all() if s.active]
    rules = rules_active(stations=stations, today=today)
    return DeputyPage(
        deputy=deputy,
        levels=deputy.level_labels(),
        stations=[
            StationSchedule(station=s, lines=station_schedule_text(station=s, rules=rules))
            for s in stations
        ],
        duties=reception_days_upcoming(deputy=deputy, today=today, days=SCHEDULE_DAYS, limit=None),
    )


# ---- posters -------------------------------------------------------------------------------------


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def station_poster(*, station: Station, today: date | None = None) -> StationPoster:
    """What the station's poster says (the station comes from station_public_get)."""
    from lianluo.portal.posters import StationPoster

    rules = rules_active(stations=[station], today=today, printed=True)
    url = _absolute(reverse("portal:station", args=[station.code]))
    return StationPoster(
        name=station.name,
        kind=station.get_kind_display(),
        area=station.area.name,
        congress=station.congress.name,
        address=station.address,
        hours=station.hours,
        schedule=station_schedule_text(station=station, rules=rules),
        deputy_count=len(station.deputies.all()),
        url=url,
        schedule_url=f"{url}#schedule",
        track_url=_absolute(reverse("portal:track_form")),
    )


def level_titles(deputy: Deputy) -> list[str]:
    """'National deputy', 'County deputy' … highest first (mandates prefetched)."""
    # Translators: a deputy's level on a poster, e.g. 全国人大代表 / 县人大代表: %(level)s人大代表
    return [_("%(level)s deputy") % {"level": label} for label in deputy.level_labels()]


def deputy_posters(*, deputies: list[Deputy], today: date | None = None) -> list[DeputyPoster]:
    """What each deputy's poster says: their stations' rules, never a date (the page has the
    dates); two queries however many deputies (mandates must be prefetched by the caller)."""
    from lianluo.portal.posters import DeputyPoster

    start = today or timezone.localdate()
    prefetch_related_objects(
        deputies, Prefetch("stations", queryset=Station.objects.filter(active=True), to_attr="open")
    )
    stations = {s.id: s for d in deputies for s in d.open}  # type: ignore[attr-defined]
    rules = rules_active(stations=list(stations.values()), today=start, printed=True)
    track = _absolute(reverse("portal:track_form"))
    result = []
    for d in deputies:
        own = d.open  # type: ignore[attr-defined]
        url = _absolute(reverse("portal:deputy", args=[d.code]))
        result.append(
            DeputyPoster(
                name=d.name,
                levels=level_titles(d),
                industry=d.industry,
                stations=[(s.name, station_schedule_text(station=s, rules=rules)) for s in own],
                url=url,
                schedule_url=f"{url}#schedule",
                track_url=track,
            )
        )
    return result
