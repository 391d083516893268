"""Reads of collection (征集) and the reserve pool (储备库), each scoped by the viewer.

Congress staff (a staff role over the congress's area, or an administrator) manage; leaders over
it read; a deputy or a department handler sees the proposals they sent. Missing and not-yours
are the same NotFound. Citizens' names and phones are shown in full only to the staff who
handle the proposal (`personal_for`); everyone else reads them masked.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lianluo.core.errors import CoreCode, NotFound
from lianluo.core.models import Congress, User
from lianluo.core.scope import scope_for
from lianluo.core.text import mask_name, mask_phone
from lianluo.deputies.models import Deputy, Mandate
from lianluo.projects.models import (
    Project,
    ProjectStatus,
    Proposal,
    ProposalStatus,
    Slate,
    Source,
    Window,
)
from lianluo.stations.models import Station

# Stages after the vote that the hub lists as "approved projects".
APPROVED = (ProjectStatus.APPROVED, ProjectStatus.COMPLETED, ProjectStatus.EVALUATED)


# ---- who may do what -------------------------------------------------------------------------


def can_manage(viewer: User | None, congress: Congress) -> bool:
    """Congress staff: open windows, act on proposals, file and edit the pool."""
    return scope_for(viewer).covers_path(congress.area.path, acting=True)


def can_read(viewer: User | None, congress: Congress) -> bool:
    """Staff and leaders over the congress read its proposals and pool."""
    return scope_for(viewer).covers_path(congress.area.path)


def _paths_q(paths: tuple[str, ...], field_name: str = "congress__area__path") -> Q:
    q = Q(pk__in=[])
    for p in paths:
        q |= Q(**{f"{field_name}__startswith": p})
    return q


def congresses_read(*, viewer: User) -> QuerySet[Congress]:
    """The congresses whose projects the viewer manages or reads, top first."""
    scope = scope_for(viewer)
    qs = Congress.objects.select_related("area").order_by("area__path")
    return qs if scope.everything else qs.filter(_paths_q(scope.read_paths, "area__path"))


def congress_get(*, viewer: User, pk: int | str) -> Congress:
    congress = congresses_read(viewer=viewer).filter(pk=pk).first()
    if congress is None:
        raise NotFound(CoreCode.NOT_FOUND, _("Congress not found."))
    return congress


# ---- windows ---------------------------------------------------------------------------------


def window_state(window: Window, today: date | None = None) -> str:
    """ "open", "upcoming" or "closed" on `today` (the local date by default)."""
    today = today or timezone.localdate()
    if today < window.opens_on:
        return "upcoming"
    return "open" if today <= window.closes_on else "closed"


def window_list(*, viewer: User) -> QuerySet[Window]:
    scope = scope_for(viewer)
    qs = Window.objects.select_related("congress__area")
    return qs if scope.everything else qs.filter(_paths_q(scope.read_paths))


def window_get(*, viewer: User, pk: int) -> Window:
    window = window_list(viewer=viewer).filter(pk=pk).first()
    if window is None:
        raise NotFound(CoreCode.NOT_FOUND, _("Collection window not found."))
    return window


def window_open_for(*, congress: Congress, today: date | None = None) -> Window | None:
    """The window of this congress that takes proposals today, if any."""
    today = today or timezone.localdate()
    return (
        Window.objects.filter(congress=congress, opens_on__lte=today, closes_on__gte=today)
        .order_by("-year")
        .first()
    )


def deputy_congresses(deputy: Deputy) -> list[Congress]:
    """The congresses where the deputy holds an active mandate."""
    return [
        m.congress
        for m in Mandate.objects.filter(deputy=deputy, active=True).select_related("congress__area")
    ]


def collection_link(
    *, station: Station | None = None, deputy: Deputy | None = None
) -> tuple[Congress, Window] | None:
    """For a station's or a deputy's public page: the congress whose window is open now (the
    station's own congress; for a deputy, the first of theirs with an open window)."""
    congresses = [station.congress] if station is not None else []
    if deputy is not None:
        congresses = deputy_congresses(deputy)
    for congress in congresses:
        window = window_open_for(congress=congress)
        if window is not None:
            return congress, window
    return None


# ---- proposals -------------------------------------------------------------------------------


@dataclass
class ProposalFilters:
    congress: str = ""
    year: str = ""
    source: str = ""
    status: str = ""
    q: str = ""

    @classmethod
    def of(cls, query: Mapping[str, str]) -> ProposalFilters:
        """The filters as the list's form sends them (the page's and the export's)."""
        return cls(**{name: query.get(name, "") for name in cls.__dataclass_fields__})


def proposal_queryset(*, viewer: User) -> QuerySet[Proposal]:
    """Every proposal the viewer may see: staff and leaders those of their congresses, a
    deputy or department handler the ones they sent."""
    scope = scope_for(viewer)
    qs = Proposal.objects.select_related(
        "congress__area", "station", "deputy", "department", "case", "project", "merged_into"
    )
    if scope.everything:
        return qs
    return qs.filter(_paths_q(scope.read_paths) | Q(submitted_by=viewer))


def proposal_list(*, viewer: User, filters: ProposalFilters | None = None) -> QuerySet[Proposal]:
    f = filters or ProposalFilters()
    qs = proposal_queryset(viewer=viewer)
    if f.congress.isdigit():
        qs = qs.filter(congress_id=int(f.congress))
    if f.year.isdigit():
        qs = qs.filter(year=int(f.year))
    if f.source in Source.values:
        qs = qs.filter(source=f.source)
    if f.status in ProposalStatus.values:
        qs = qs.filter(status=f.status)
    if f.q.strip():
        term = f.q.strip()
        qs = qs.filter(
            Q(title__icontains=term) | Q(text__icontains=term) | Q(place__icontains=term)
        )
    return qs


def proposal_get(*, viewer: User, pk: int) -> Proposal:
    proposal = proposal_queryset(viewer=viewer).filter(pk=pk).first()
    if proposal is None:
        raise NotFound(CoreCode.NOT_FOUND, _("Proposal not found."))
    return proposal


def proposal_by_tracking_code(*, code: str) -> Proposal | None:
    return Proposal.objects.filter(tracking_code=code).first() if code else None


def personal_for(viewer: User, proposal: Proposal) -> dict[str, Any]:
    """The citizen's name and phone as this viewer may read them: the congress's staff see the
    name and may reveal the phone (audited, `proposal_reveal_phone`); others see both masked."""
    handles = can_manage(viewer, proposal.congress)
    return {
        "handles": handles,
        "name": proposal.citizen_name if handles else mask_name(proposal.citizen_name),
        "phone": mask_phone(proposal.citizen_phone),
    }


def proposals_mergeable(*, proposal: Proposal) -> QuerySet[Proposal]:
    """Other open proposals of the same congress and year, that may be merged into this one."""
    return Proposal.objects.filter(
        congress=proposal.congress,
        year=proposal.year,
        status__in=[ProposalStatus.NEW, ProposalStatus.POOLED],
    ).exclude(pk=proposal.pk)


# ---- the reserve pool ------------------------------------------------------------------------


def pool_list(
    *, viewer: User, congress: str = "", year: str = "", tag: str = "", status: str = ""
) -> QuerySet[Project]:
    """Entries of the reserve pool (and what became of them) of the viewer's congresses."""
    scope = scope_for(viewer)
    qs = Project.objects.select_related("congress__area", "area").prefetch_related("proposals")
    if not scope.everything:
        qs = qs.filter(_paths_q(scope.read_paths))
    if congress.isdigit():
        qs = qs.filter(congress_id=int(congress))
    if year.isdigit():
        qs = qs.filter(year=int(year))
    qs = qs.filter(status=status) if status in ProjectStatus.values else qs
    if tag.strip():
        qs = qs.filter(tags__icontains=tag.strip())
    return qs


def pool_get(*, viewer: User, pk: int) -> Project:
    project = pool_list(viewer=viewer).filter(pk=pk).first()
    if project is None:
        raise NotFound(CoreCode.NOT_FOUND, _("Project not found."))
    return project


def pool_tags(projects: list[Project]) -> list[str]:
    """Every tag used in these entries, most used first."""
    counts = Counter(t for p in projects for t in p.tag_list)
    return [t for t, _n in counts.most_common()]


def pool_open(*, congress: Congress, year: int) -> QuerySet[Project]:
    """Pool entries a proposal may still be added to."""
    return Project.objects.filter(congress=congress, year=year, status=ProjectStatus.POOL)


# ---- the staff hub ---------------------------------------------------------------------------


@dataclass
class Hub:
    congress: Congress
    year: int
    window: Window | None
    window_state: str
    sources: list[tuple[str, Any]]
    statuses: list[tuple[str, Any]]
    counts: dict[str, dict[str, int]]  # source -> status -> count, with "total" rows/columns
    table: list[tuple[str, str, list[int], int]]  # (source, label, count per status, total)
    pool_count: int
    slate: Slate | None
    approved: list[Project] = field(default_factory=list)
    years: list[int] = field(default_factory=list)


def hub_summary(*, congress: Congress, year: int) -> Hub:
    """Where one congress's year stands: the window, proposals by source and status, the pool,
    the slate and its vote, the approved projects. A fixed number of queries."""
    window = Window.objects.filter(congress=congress, year=year).first()
    counts: dict[str, dict[str, int]] = {s: {} for s in [*Source.values, "total"]}
    for row in (
        Proposal.objects.filter(congress=congress, year=year)
        .values_list("source", "status")
        .order_by()
    ):
        source, status = row
        for s in (source, "total"):
            counts[s][status] = counts[s].get(status, 0) + 1
            counts[s]["total"] = counts[s].get("total", 0) + 1
    labels = [*Source.choices, ("total", _("Total"))]
    table = [
        (
            source,
            str(label),
            [counts[source].get(status, 0) for status in ProposalStatus.values],
            counts[source].get("total", 0),
        )
        for source, label in labels
    ]
    projects = list(Project.objects.filter(congress=congress, year=year).order_by("pk"))
    years = sorted(
        set(Window.objects.filter(congress=congress).values_list("year", flat=True))
        | set(Project.objects.filter(congress=congress).values_list("year", flat=True))
        | {year},
        reverse=True,
    )
    return Hub(
        congress=congress,
        year=year,
        window=window,
        window_state=window_state(window) if window else "",
        sources=list(Source.choices),
        statuses=list(ProposalStatus.choices),
        counts=counts,
        table=table,
        pool_count=sum(1 for p in projects if p.status == ProjectStatus.POOL),
        slate=Slate.objects.filter(congress=congress, year=year).select_related("vote").first(),
        approved=[p for p in projects if p.status in APPROVED],
        years=years,
    )
