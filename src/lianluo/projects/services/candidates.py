"""The list of candidates (候选项目) and its session vote (票决).

Staff of a congress pick candidates from the year's reserve pool, fill what the deputies read
before they vote (content, investment, expected effect, responsible department, completion time,
the government's presentation), record the body that approved the list and the date and the
number to approve (quota; the list must be longer: 差额), then create the session vote from the
slate. When that vote closes, `session_result_apply` (a receiver of `vote_closed`) marks each
candidate approved or not; candidates tied at the quota's boundary stay candidates until the
run-off, whose options carry the same projects, closes.

Every write is one transaction with its audit row. Once the vote exists the slate is frozen: the
ballot shows the particulars as they were when it was made.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from enum import StrEnum

from django.db import transaction
from django.utils.translation import gettext as _

from lianluo.core.errors import Conflict, DomainError
from lianluo.core.models import Congress, Department, User
from lianluo.core.services import audit_record
from lianluo.projects.models import Project, ProjectStatus, Slate
from lianluo.voting.models import Base, Kind, Method, Result, Vote
from lianluo.voting.services import OptionSpec, require_staff, vote_create

SUBJECT = "projects.project"  # what a session vote's options stand for


class CandidatesCode(StrEnum):
    """Refusals of the candidates stage (clients depend on the strings)."""

    SLATE_FROZEN = "slate_frozen"  # 409: the session vote exists, the slate no longer changes
    NO_SLATE = "no_slate"  # 409: record who approved the list and the quota first
    NOT_IN_POOL = "not_in_pool"  # 422: a project picked is not in this year's pool
    NOT_CANDIDATE = "not_candidate"  # 409: the project is not a candidate (any more)
    TOO_FEW = "too_few_candidates"  # 422: not more candidates than the quota (差额)
    INCOMPLETE = "incomplete_candidate"  # 422: a candidate lacks investment or completion time
    BAD_QUOTA = "bad_quota"  # 422: the quota is below one


def _frozen(slate: Slate) -> None:
    if slate.vote_id is not None:
        raise Conflict(
            CandidatesCode.SLATE_FROZEN,
            _("The session vote on this list exists already: the list no longer changes."),
        )


@transaction.atomic
def slate_save(
    *,
    actor: User | None,
    congress: Congress,
    year: int,
    approved_by: str,
    approved_on: date,
    quota: int,
) -> Slate:
    """Record (or correct) the list of one congress and year: the body that approved it, the
    date, the quota. Refused once its session vote exists."""
    require_staff(actor, congress)
    if quota < 1:
        raise DomainError(
            CandidatesCode.BAD_QUOTA, _("At least one project is to be approved."), field="quota"
        )
    slate = Slate.objects.select_for_update().filter(congress=congress, year=year).first()
    if slate is None:
        slate = Slate(congress=congress, year=year)
    else:
        _frozen(slate)
    slate.approved_by = approved_by.strip()
    slate.approved_on = approved_on
    slate.quota = quota
    slate.save()
    audit_record(
        actor=actor,
        verb="slate.saved",
        target=slate,
        data={"approved_by": slate.approved_by, "approved_on": str(approved_on), "quota": quota},
    )
    return slate


@transaction.atomic
def candidates_pick(*, actor: User | None, slate: Slate, project_ids: Iterable[int]) -> int:
    """Move projects of the slate's congress and year from the reserve pool onto the list. The
    estimated cost is the first guess of the investment."""
    require_staff(actor, slate.congress)
    slate = Slate.objects.select_for_update().get(pk=slate.pk)
    _frozen(slate)
    ids = sorted(set(project_ids))
    projects = list(
        Project.objects.select_for_update().filter(
            pk__in=ids, congress=slate.congress, year=slate.year, status=ProjectStatus.POOL
        )
    )
    if len(projects) != len(ids) or not ids:
        raise DomainError(
            CandidatesCode.NOT_IN_POOL,
            _("Pick projects of this year's reserve pool."),
            field="projects",
        )
    for project in projects:
        project.status = ProjectStatus.CANDIDATE
        project.slate = slate
        if project.investment is None:
            project.investment = project.estimated_cost
        project.save(update_fields=["status", "slate", "investment"])
        audit_record(
            actor=actor,
            verb="project.candidate",
            target=project,
            data={"slate": slate.pk, "from": ProjectStatus.POOL, "to": ProjectStatus.CANDIDATE},
        )
    return len(projects)


def _candidate(slate: Slate, project_id: int) -> Project:
    project = (
        Project.objects.select_for_update()
        .filter(pk=project_id, slate=slate, status=ProjectStatus.CANDIDATE)
        .first()
    )
    if project is None:
        raise Conflict(CandidatesCode.NOT_CANDIDATE, _("This project is not on the list."))
    return project


@transaction.atomic
def candidate_drop(*, actor: User | None, slate: Slate, project_id: int) -> Project:
    """Take a candidate off the list, back into the reserve pool."""
    require_staff(actor, slate.congress)
    slate = Slate.objects.select_for_update().get(pk=slate.pk)
    _frozen(slate)
    project = _candidate(slate, project_id)
    project.status = ProjectStatus.POOL
    project.slate = None
    project.save(update_fields=["status", "slate"])
    audit_record(
        actor=actor,
        verb="project.uncandidate",
        target=project,
        data={"slate": slate.pk, "from": ProjectStatus.CANDIDATE, "to": ProjectStatus.POOL},
    )
    return project


@transaction.atomic
def candidate_fill(
    *,
    actor: User | None,
    slate: Slate,
    project_id: int,
    title: str,
    content: str,
    investment: Decimal | None,
    expected_effect: str,
    department: Department | None,
    completion: str,
    completion_due: date | None,
    presentation: str,
) -> Project:
    """A candidate's particulars, as the deputies will read them on the ballot."""
    require_staff(actor, slate.congress)
    slate = Slate.objects.select_for_update().get(pk=slate.pk)
    _frozen(slate)
    project = _candidate(slate, project_id)
    new = {
        "title": title.strip(),
        "content": content.strip(),
        "investment": investment,
        "expected_effect": expected_effect.strip(),
        "department": department,
        "completion": completion.strip(),
        "completion_due": completion_due,
        "presentation": presentation.strip(),
    }
    changed = [name for name, value in new.items() if getattr(project, name) != value]
    for name in changed:
        setattr(project, name, new[name])
    project.save(update_fields=changed or ["title"])
    audit_record(actor=actor, verb="project.particulars", target=project, data={"changed": changed})
    return project


def _incomplete(project: Project) -> bool:
    return project.investment is None or not project.completion or not project.content


@transaction.atomic
def slate_vote_create(
    *, actor: User | None, slate: Slate, base: str = Base.ALL, title: str = ""
) -> Vote:
    """The session vote on the slate: one option per candidate (name, content, investment,
    completion time), for/against/abstain on each, at most `quota` "for" per ballot; the
    register is every deputy of the congress. Refused unless the list has more candidates than
    the quota and every candidate's particulars are filled."""
    require_staff(actor, slate.congress)
    slate = Slate.objects.select_for_update().select_related("congress__area").get(pk=slate.pk)
    _frozen(slate)
    candidates = list(slate.projects.filter(status=ProjectStatus.CANDIDATE).order_by("pk"))
    if len(candidates) <= slate.quota:
        raise DomainError(
            CandidatesCode.TOO_FEW,
            _(
                "The list needs more candidates than the number to approve "
                "(%(quota)d): it has %(n)d."
            )
            % {"quota": slate.quota, "n": len(candidates)},
        )
    missing = [p.title for p in candidates if _incomplete(p)]
    if missing:
        raise DomainError(
            CandidatesCode.INCOMPLETE,
            _("Fill the content, investment and completion time of: %(names)s.")
            % {"names": "、".join(missing)},
        )
    vote = vote_create(
        actor=actor,
        kind=Kind.SESSION,
        method=Method.APPROVE,
        congress=slate.congress,
        year=slate.year,
        title=title.strip()
        or _("%(congress)s: livelihood projects of %(year)d")
        % {"congress": slate.congress.name, "year": slate.year},
        options=[
            OptionSpec(
                label=p.title,
                description=p.content,
                amount=p.investment,
                completion=p.completion,
                subject_type=SUBJECT,
                subject_id=p.pk,
            )
            for p in candidates
        ],
        base=base,
        quota=slate.quota,
        max_for=slate.quota,
    )
    slate.vote = vote
    slate.save(update_fields=["vote"])
    audit_record(
        actor=actor,
        verb="slate.vote_created",
        target=slate,
        data={"vote": vote.pk, "candidates": [p.pk for p in candidates], "base": base},
    )
    return vote


def session_result_apply(vote: Vote) -> None:
    """Mark the slate's candidates approved or not from the closed session vote's result (run in
    the closing transaction, by the `vote_closed` receiver).

    Selected within the quota: approved; tied at the quota's boundary: still a candidate, the
    run-off decides (its options carry the same projects, and its close comes back here);
    otherwise not approved. `votes_for` is the first round's count (all candidates were voted
    on in it); a run-off only decides between the tied."""
    rows = Result.objects.filter(vote=vote, option__subject_type=SUBJECT).select_related("option")
    first_round = vote.runoff_of_id is None
    for row in rows:
        if row.option.subject_id is None:
            continue
        project = (
            Project.objects.select_for_update()
            .filter(pk=row.option.subject_id, status=ProjectStatus.CANDIDATE)
            .first()
        )
        if project is None:
            continue
        fields = []
        if first_round:
            project.votes_for = int(row.counts.get("for", 0))
            fields.append("votes_for")
        if row.tied:
            verb = "project.runoff"
        else:
            project.status = ProjectStatus.APPROVED if row.selected else ProjectStatus.NOT_APPROVED
            fields.append("status")
            verb = "project.approved" if row.selected else "project.not_approved"
        if fields:
            project.save(update_fields=fields)
        audit_record(
            actor=None,
            verb=verb,
            target=project,
            data={
                "vote": vote.pk,
                "round": vote.round,
                "counts": row.counts,
                "rank": row.rank,
                "passed": row.passed,
            },
        )
