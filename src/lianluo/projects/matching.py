"""Who should supervise a project: every deputy of the project's congress (an active mandate)
scored against the project, with the reasons staff read before they confirm the group.

- Industry (`Deputy.industry`) and specialties (`Deputy.specialties`) against the project's tags,
  title and content: a word of the deputy's found in the project, or a tag of the project found
  in the deputy's word ("交通" in "交通运输").
- Place: the deputy's grid area (where they live), the areas of their stations (where they
  work with citizens) and their constituency, against the project's area. The same area scores
  highest, an area above or below it less; a sibling nothing.
- Load: a deputy already in other groups of open projects scores less, so the work is spread.

The scores are plain numbers so that the order is explainable; ties go by name.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from lianluo.core.models import Area
from lianluo.deputies.models import Deputy, Mandate
from lianluo.projects.models import Member, Project, ProjectStatus
from lianluo.stations.models import StationMembership

INDUSTRY_POINTS = 30
SPECIALTY_POINTS = 20  # per specialty found, at most two
SAME_AREA_POINTS = 30
LINE_AREA_POINTS = 15  # the deputy's area is above or below the project's
LOAD_PENALTY = 10  # per group of an open project the deputy is in already
OPEN = (ProjectStatus.APPROVED, ProjectStatus.COMPLETED)


@dataclass
class Match:
    deputy: Deputy
    score: int = 0
    reasons: list[str] = field(default_factory=list)
    load: int = 0

    @property
    def reason_text(self) -> str:
        return "; ".join(self.reasons)


def _words(text: str) -> list[str]:
    return [w.strip() for w in text.replace("，", ",").replace("、", ",").split(",") if w.strip()]


def _found(word: str, haystack: str, tags: list[str]) -> bool:
    """The deputy's word appears in the project, or one of its tags in the word."""
    return (len(word) >= 2 and word in haystack) or any(len(t) >= 2 and t in word for t in tags)


def _place_points(project_area: Area, area: Area) -> int:
    if area.pk == project_area.pk:
        return SAME_AREA_POINTS
    if project_area.path.startswith(area.path) or area.path.startswith(project_area.path):
        return LINE_AREA_POINTS
    return 0


def match_deputies(project: Project, *, exclude: set[int] | None = None) -> list[Match]:
    """Every deputy of the project's congress, best match first."""
    exclude = exclude or set()
    mandates = list(
        Mandate.objects.filter(congress_id=project.congress_id, active=True).select_related(
            "deputy__grid_area"
        )
    )
    deputies: dict[int, Deputy] = {}
    constituencies: dict[int, list[str]] = {}
    for m in mandates:
        if m.deputy_id in exclude:
            continue
        deputies[m.deputy_id] = m.deputy
        if m.constituency:
            constituencies.setdefault(m.deputy_id, []).append(m.constituency)
    stations: dict[int, list[Area]] = {}
    for sm in StationMembership.objects.filter(deputy_id__in=list(deputies)).select_related(
        "station__area"
    ):
        stations.setdefault(sm.deputy_id, []).append(sm.station.area)
    load = Counter(
        Member.objects.filter(deputy_id__in=list(deputies), project__status__in=OPEN)
        .exclude(project=project)
        .values_list("deputy_id", flat=True)
    )
    tags = project.tag_list
    haystack = " ".join([project.tags, project.title, project.content])
    area = project.area
    out: list[Match] = []
    for pk, deputy in deputies.items():
        match = Match(deputy=deputy, load=load.get(pk, 0))
        if deputy.industry and _found(deputy.industry, haystack, tags):
            match.score += INDUSTRY_POINTS
            match.reasons.append(_("Industry: %(v)s") % {"v": deputy.industry})
        found = [s for s in _words(deputy.specialties) if _found(s, haystack, tags)][:2]
        if found:
            match.score += SPECIALTY_POINTS * len(found)
            match.reasons.append(_("Specialties: %(v)s") % {"v": "、".join(found)})
        if area is not None:
            places: list[tuple[int, str]] = []
            if deputy.grid_area is not None:
                points = _place_points(area, deputy.grid_area)
                if points:
                    places.append((points, _("Lives in: %(v)s") % {"v": deputy.grid_area.name}))
            for station_area in stations.get(pk, []):
                points = _place_points(area, station_area)
                if points:
                    places.append((points, _("Station in: %(v)s") % {"v": station_area.name}))
            for name in constituencies.get(pk, []):
                if area.name and area.name in name:
                    places.append((SAME_AREA_POINTS, _("Constituency: %(v)s") % {"v": name}))
            if places:
                best = max(p for p, _r in places)
                match.score += best
                match.reasons.append(next(r for p, r in places if p == best))
        if match.load:
            match.score = max(0, match.score - LOAD_PENALTY * match.load)
            match.reasons.append(_("Already in %(n)d groups") % {"n": match.load})
        out.append(match)
    out.sort(key=lambda m: (-m.score, m.deputy.name, m.deputy.pk))
    return out
