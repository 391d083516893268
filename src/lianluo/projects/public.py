"""Reads of the public view of a congress's livelihood projects (step 7 of the loop), shared by
the public pages and the year's report (PDF, Excel).

Only published stages appear, each by one rule here:
- the collection window and how many proposals came in, counted by source (never a name, a
  phone, or the text of a citizen's proposal);
- the candidates once their list is approved (a body and a date on or before today): a list
  still being put together is not shown;
- the session vote's counts once the vote is closed (an open vote shows no partial counts), with
  its run-off rounds;
- plans, progress, photos, the supervision group (deputies' names only) and the cadence steps
  done, for the projects the deputies approved;
- the satisfaction grades once the year-end vote is closed, and the rectification lists.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from lianluo.core.errors import CoreCode, NotFound
from lianluo.core.models import Congress
from lianluo.projects.models import (
    Member,
    MemberStatus,
    Photo,
    Progress,
    Project,
    ProjectStatus,
    Proposal,
    ProposalStatus,
    Record,
    Rectification,
    Slate,
    Source,
    Window,
)
from lianluo.voting.models import Result, Status, Vote

SUBJECT = "projects.project"  # Option.subject_type of a project
ON_SLATE = (
    ProjectStatus.CANDIDATE,
    ProjectStatus.APPROVED,
    ProjectStatus.NOT_APPROVED,
    ProjectStatus.COMPLETED,
    ProjectStatus.EVALUATED,
)
CHOSEN = (ProjectStatus.APPROVED, ProjectStatus.COMPLETED, ProjectStatus.EVALUATED)


def _today() -> date:
    return timezone.localdate()


def slate_published(slate: Slate | None) -> bool:
    """A list of candidates is public once a body approved it on a date that has come (or its
    vote is under way)."""
    if slate is None:
        return False
    if slate.vote is not None and slate.vote.status != Status.DRAFT:
        return True
    return bool(slate.approved_by) and slate.approved_on <= _today()


def vote_published(vote: Vote | None) -> bool:
    """A vote's counts are public once it is closed, never while it runs."""
    return vote is not None and vote.status == Status.CLOSED


# ---- the year's data ----------------------------------------------------------------------------


@dataclass
class OptionResult:
    """A candidate's line of a closed vote (one round)."""

    vote: Vote
    counts: dict[str, int]
    rank: int | None
    passed: bool
    selected: bool
    tied: bool
    grade: str


@dataclass
class ProjectView:
    project: Project
    origin: list[tuple[str, int]]  # (source label, proposals)
    session: list[OptionResult] = field(default_factory=list)  # round 1, then run-offs
    satisfaction: OptionResult | None = None
    approved: bool = False
    members: list[Member] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    progress: list[Progress] = field(default_factory=list)

    @property
    def latest(self) -> Progress | None:
        return self.progress[0] if self.progress else None

    @property
    def final(self) -> OptionResult | None:
        return self.session[-1] if self.session else None

    @property
    def spent(self) -> Decimal | None:
        latest = self.latest
        return latest.spent if latest is not None else None


@dataclass
class YearView:
    congress: Congress
    year: int
    window: Window | None
    proposals_total: int
    proposals_by_source: list[tuple[str, int]]
    slate: Slate | None  # None unless published
    session_votes: list[Vote]  # the session vote and its run-offs, when published
    session_open: bool  # the vote is under way: no counts shown
    runoff_open: bool  # a run-off among the tied is prepared or under way
    satisfaction_vote: Vote | None  # when published
    projects: list[ProjectView]  # the candidates (empty before the list is published)

    @property
    def approved(self) -> list[ProjectView]:
        return [p for p in self.projects if p.approved]

    @property
    def rectified(self) -> list[ProjectView]:
        return [p for p in self.approved if _rectification(p.project) is not None]

    @property
    def is_empty(self) -> bool:
        return self.window is None and self.slate is None


def _rectification(project: Project) -> Rectification | None:
    try:
        return project.rectification
    except Rectification.DoesNotExist:
        return None


def rectification_of(project: Project) -> Rectification | None:
    """The project's rectification list, or None."""
    return _rectification(project)


def _source_counts(rows: list[tuple[str, int]]) -> list[tuple[str, int]]:
    labels = dict(Source.choices)
    return [(str(labels.get(source, source)), n) for source, n in rows]


def _results_by_project(vote: Vote) -> dict[int, OptionResult]:
    out: dict[int, OptionResult] = {}
    rows = Result.objects.filter(vote=vote, option__subject_type=SUBJECT).select_related("option")
    for r in rows:
        if r.option.subject_id is None:
            continue
        out[r.option.subject_id] = OptionResult(
            vote=vote,
            counts={k: int(v) for k, v in r.counts.items()},
            rank=r.rank,
            passed=r.passed,
            selected=r.selected,
            tied=r.tied,
            grade=r.grade,
        )
    return out


def _rounds(vote: Vote) -> list[Vote]:
    """The vote and its closed run-offs, in order."""
    out = [vote]
    while True:
        nxt = (
            Vote.objects.filter(runoff_of=out[-1], status=Status.CLOSED)
            .order_by("round", "pk")
            .first()
        )
        if nxt is None:
            return out
        out.append(nxt)


def year_view(congress: Congress, year: int, *, detail: bool = True) -> YearView:
    """Everything public of one congress's projects of one year. NotFound when nothing is."""
    window = Window.objects.filter(congress=congress, year=year).first()
    counted = (
        Proposal.objects.filter(congress=congress, year=year)
        .exclude(status=ProposalStatus.MERGED)
        .values_list("source")
    )
    by_source = Counter(source for (source,) in counted)
    order = [s for s, _label in Source.choices]
    proposals_by_source = _source_counts([(s, by_source[s]) for s in order if by_source[s]])
    slate = (
        Slate.objects.select_related("vote", "satisfaction_vote")
        .filter(congress=congress, year=year)
        .first()
    )
    if not slate_published(slate):
        slate = None
    if window is None and slate is None:
        raise NotFound(CoreCode.NOT_FOUND, _("Nothing is published for this year yet."))
    view = YearView(
        congress=congress,
        year=year,
        window=window,
        proposals_total=sum(by_source.values()),
        proposals_by_source=proposals_by_source,
        slate=slate,
        session_votes=[],
        session_open=False,
        runoff_open=False,
        satisfaction_vote=None,
        projects=[],
    )
    if slate is None:
        return view
    session = slate.vote
    if vote_published(session):
        assert session is not None
        view.session_votes = _rounds(session)
        view.runoff_open = (
            Vote.objects.filter(runoff_of=view.session_votes[-1])
            .exclude(status=Status.CLOSED)
            .exists()
        )
    elif session is not None and session.status == Status.OPEN:
        view.session_open = True
    if vote_published(slate.satisfaction_vote):
        view.satisfaction_vote = slate.satisfaction_vote
    view.projects = _project_views(slate, view, detail=detail)
    return view


def _project_views(slate: Slate, view: YearView, *, detail: bool) -> list[ProjectView]:
    projects = list(
        Project.objects.filter(slate=slate, status__in=ON_SLATE)
        .select_related("department", "area", "plan__department", "rectification")
        .prefetch_related(
            "milestones",
            Prefetch(
                "members",
                queryset=Member.objects.filter(status=MemberStatus.CONFIRMED).select_related(
                    "deputy"
                ),
                to_attr="confirmed",
            ),
            Prefetch(
                "progress",
                queryset=Progress.objects.order_by("-reported_on", "-pk").prefetch_related(
                    "photos"
                ),
                to_attr="reports",
            ),
            Prefetch("records", queryset=Record.objects.order_by("held_on", "pk")),
        )
        .order_by("pk")
    )
    origins: dict[int, Counter[str]] = {}
    for project_id, source in Proposal.objects.filter(project__in=projects).values_list(
        "project_id", "source"
    ):
        origins.setdefault(project_id, Counter())[source] += 1
    rounds = [_results_by_project(v) for v in view.session_votes]
    rated = _results_by_project(view.satisfaction_vote) if view.satisfaction_vote else {}
    order = [s for s, _label in Source.choices]
    out = []
    for p in projects:
        counts = origins.get(p.pk, Counter())
        pv = ProjectView(
            project=p,
            origin=_source_counts([(s, counts[s]) for s in order if counts[s]]),
            session=[r[p.pk] for r in rounds if p.pk in r],
            satisfaction=rated.get(p.pk),
        )
        pv.approved = bool(view.session_votes) and (
            p.status in CHOSEN or (pv.final is not None and pv.final.selected)
        )
        if pv.approved and detail:
            pv.members = list(p.confirmed)  # type: ignore[attr-defined]
            pv.records = list(p.records.all())
            pv.progress = list(p.reports)  # type: ignore[attr-defined]
        out.append(pv)
    # The ranking of the vote first (approved by votes for), then the others as listed.
    out.sort(key=lambda pv: (pv.session[0].rank or 999) if pv.session else 999)
    return out


# ---- entry points -------------------------------------------------------------------------------


def public_congress(pk: int) -> Congress:
    congress = Congress.objects.select_related("area").filter(pk=pk).first()
    if congress is None:
        raise NotFound(CoreCode.NOT_FOUND, _("No congress has this number."))
    return congress


def public_years() -> list[tuple[Congress, list[int]]]:
    """Every congress with something public, and its years (latest first)."""
    years: dict[int, set[int]] = {}
    for congress_id, year in Window.objects.values_list("congress_id", "year"):
        years.setdefault(congress_id, set()).add(year)
    for slate in Slate.objects.select_related("vote"):
        if slate_published(slate):
            years.setdefault(slate.congress_id, set()).add(slate.year)
    congresses = Congress.objects.select_related("area").filter(pk__in=years).order_by("area__path")
    return [(c, sorted(years[c.pk], reverse=True)) for c in congresses]


def public_project(pk: int) -> tuple[YearView, ProjectView]:
    """One candidate's closed loop. NotFound unless it is on a published list."""
    project = Project.objects.select_related("congress__area").filter(pk=pk).first()
    if project is None or project.slate_id is None or project.status not in ON_SLATE:
        raise NotFound(CoreCode.NOT_FOUND, _("No published project has this number."))
    view = year_view(project.congress, project.year)
    for pv in view.projects:
        if pv.project.pk == project.pk:
            return view, pv
    raise NotFound(CoreCode.NOT_FOUND, _("No published project has this number."))


def public_photo(pk: int) -> Photo:
    """A progress photo of an approved project on a published list."""
    photo = Photo.objects.select_related("progress__project").filter(pk=pk).first()
    if photo is None:
        raise NotFound(CoreCode.NOT_FOUND, _("No photo has this number."))
    _view, pv = public_project(photo.progress.project_id)
    if not pv.approved:
        raise NotFound(CoreCode.NOT_FOUND, _("No photo has this number."))
    return photo
