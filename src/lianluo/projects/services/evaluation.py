"""The year-end satisfaction vote (满意度测评), grades and rectification lists.

After the government has reported on the completion of every approved project of a year, staff
create the satisfaction vote (`satisfaction_create`: a rate vote of the voting core, one option
per project). When it closes, `satisfaction_result_apply` (receiver of `vote_closed`) grades each
project from the core's tally (满意 when the satisfied marks reach half of all deputies; 基本满意
when satisfied + basically satisfied do; else 不满意), marks it evaluated, and gives a project
graded 不满意 — or rated below the slate's `rectify_below_pct` — a rectification list, and carries
it into next year's supervision (a new approved project with `carried_from`, the same
responsible department and group).
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from lianluo.core.errors import Conflict, DomainError
from lianluo.core.models import Congress, User
from lianluo.core.services import audit_record
from lianluo.projects.models import (
    Grade,
    Member,
    MemberStatus,
    Plan,
    Project,
    ProjectStatus,
    Rectification,
    Slate,
)
from lianluo.projects.services.implementation import SupervisionCode
from lianluo.voting.models import Base, Kind, Method, Result, Vote
from lianluo.voting.services import OptionSpec, require_staff, vote_create

SUBJECT = "projects.project"


def year_projects(congress: Congress, year: int) -> list[Project]:
    """The projects the deputies approved for the year (in implementation, completed, rated)."""
    return list(
        Project.objects.filter(
            congress=congress,
            year=year,
            status__in=[ProjectStatus.APPROVED, ProjectStatus.COMPLETED, ProjectStatus.EVALUATED],
        ).order_by("pk")
    )


@transaction.atomic
def satisfaction_create(
    *, actor: User | None, congress: Congress, year: int, title: str = ""
) -> Vote:
    """Prepare the year's satisfaction vote: every approved project of the year must be
    reported completed by the government; one vote per slate."""
    require_staff(actor, congress)
    slate = Slate.objects.select_for_update().filter(congress=congress, year=year).first()
    if slate is None:
        raise Conflict(
            SupervisionCode.INVALID_STATE, _("This year has no list of approved projects.")
        )
    if slate.satisfaction_vote_id is not None:
        raise Conflict(
            SupervisionCode.VOTE_EXISTS, _("The satisfaction vote of this year exists already.")
        )
    projects = year_projects(congress, year)
    pending = [p.title for p in projects if p.status == ProjectStatus.APPROVED]
    if pending:
        raise DomainError(
            SupervisionCode.INVALID_STATE,
            _("The government has not reported on the completion of: %(names)s.")
            % {"names": "、".join(pending)},
        )
    rated = [p for p in projects if p.status == ProjectStatus.COMPLETED]
    if not rated:
        raise DomainError(SupervisionCode.INVALID_STATE, _("No completed project to rate."))
    vote = vote_create(
        actor=actor,
        kind=Kind.SATISFACTION,
        method=Method.RATE,
        congress=congress,
        year=year,
        title=title.strip()
        or _("%(congress)s: satisfaction with the livelihood projects of %(year)d")
        % {"congress": congress.name, "year": year},
        options=[
            OptionSpec(
                label=p.title,
                description=p.completion_report or p.content,
                amount=p.investment,
                completion=p.completed_on.isoformat() if p.completed_on else p.completion,
                subject_type=SUBJECT,
                subject_id=p.pk,
            )
            for p in rated
        ],
    )
    slate.satisfaction_vote = vote
    slate.save(update_fields=["satisfaction_vote"])
    return vote


def _below(result: Result, vote: Vote, pct: int | None) -> bool:
    """Satisfied + basically satisfied are less than `pct` % of the vote's base."""
    if pct is None:
        return False
    base = vote.present_count if vote.base == Base.PRESENT else vote.entitled_count
    good = int(result.counts.get("satisfied", 0)) + int(result.counts.get("basic", 0))
    return good * 100 < pct * base


def satisfaction_result_apply(vote: Vote) -> None:
    """Grade the rated projects from the closed satisfaction vote's result (inside the
    closing transaction); a project already graded is left as it is (a replay does nothing)."""
    slate = Slate.objects.filter(satisfaction_vote=vote).first()
    pct = slate.rectify_below_pct if slate else None
    results = Result.objects.filter(vote=vote, option__subject_type=SUBJECT).select_related(
        "option"
    )
    for result in results:
        if result.option.subject_id is None:
            continue
        project = Project.objects.select_for_update().filter(pk=result.option.subject_id).first()
        if project is None or project.status != ProjectStatus.COMPLETED:
            continue
        project.grade = result.grade or Grade.DISSATISFIED
        project.status = ProjectStatus.EVALUATED
        project.save(update_fields=["grade", "status"])
        if project.grade == Grade.DISSATISFIED or _below(result, vote, pct):
            Rectification.objects.get_or_create(
                project=project,
                defaults={"problems": "", "responsibilities": "", "corrections": ""},
            )
            _carry(project)
        audit_record(
            actor=None, verb="project.graded", target=project, data={"grade": project.grade}
        )


def _carry(project: Project) -> Project:
    """Next year's supervision of a project to rectify: a new approved project of the next
    year, with the plan's responsible department and the same confirmed group."""
    existing = project.carried_into.first()
    if existing is not None:
        return existing
    plan = Plan.objects.filter(project=project).first()
    carried = Project.objects.create(
        congress=project.congress,
        year=project.year + 1,
        title=project.title,
        content=project.content,
        tags=project.tags,
        area=project.area,
        place=project.place,
        estimated_cost=project.estimated_cost,
        investment=project.investment,
        expected_effect=project.expected_effect,
        department=plan.department if plan else project.department,
        status=ProjectStatus.APPROVED,
        carried_from=project,
    )
    Member.objects.bulk_create(
        [
            Member(
                project=carried,
                deputy_id=m.deputy_id,
                leader=m.leader,
                status=MemberStatus.CONFIRMED,
                score=m.score,
                reasons=m.reasons,
            )
            for m in project.members.filter(status=MemberStatus.CONFIRMED)
        ]
    )
    return carried


# ---- the rectification list ---------------------------------------------------------------------


def _rectification(project: Project) -> Rectification:
    rect = Rectification.objects.select_for_update().filter(project=project).first()
    if rect is None:
        raise Conflict(SupervisionCode.INVALID_STATE, _("This project has no rectification list."))
    return rect


@transaction.atomic
def rectification_write(
    *,
    actor: User | None,
    project: Project,
    problems: str,
    responsibilities: str,
    corrections: str,
    deadline: date | None,
) -> Rectification:
    """Write the list: problems (问题), responsibilities (责任), corrections (整改), deadline."""
    require_staff(actor, project.congress)
    rect = _rectification(project)
    for name, value in (
        ("problems", problems),
        ("responsibilities", responsibilities),
        ("corrections", corrections),
    ):
        if not value.strip():
            raise DomainError(SupervisionCode.INVALID, _("This field is required."), field=name)
    rect.problems = problems.strip()
    rect.responsibilities = responsibilities.strip()
    rect.corrections = corrections.strip()
    rect.deadline = deadline
    rect.save(update_fields=["problems", "responsibilities", "corrections", "deadline"])
    audit_record(actor=actor, verb="project.rectification", target=project)
    return rect


@transaction.atomic
def rectification_report(
    *, actor: User | None, project: Project, reported_to: str, reported_on: date
) -> Rectification:
    """The list was reported to the standing committee or the presidium on a date."""
    require_staff(actor, project.congress)
    rect = _rectification(project)
    if not rect.problems:
        raise Conflict(SupervisionCode.INVALID_STATE, _("Write the rectification list first."))
    if not reported_to.strip():
        raise DomainError(
            SupervisionCode.INVALID, _("Name the body reported to."), field="reported_to"
        )
    rect.reported_to = reported_to.strip()
    rect.reported_on = reported_on
    rect.save(update_fields=["reported_to", "reported_on"])
    audit_record(actor=actor, verb="project.rectification_reported", target=project)
    return rect


@transaction.atomic
def rectification_done(*, actor: User | None, project: Project, done_on: date) -> Rectification:
    require_staff(actor, project.congress)
    rect = _rectification(project)
    if not rect.problems:
        raise Conflict(SupervisionCode.INVALID_STATE, _("Write the rectification list first."))
    rect.done_on = done_on
    rect.save(update_fields=["done_on"])
    audit_record(actor=actor, verb="project.rectification_done", target=project)
    return rect
