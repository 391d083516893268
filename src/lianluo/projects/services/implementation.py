"""Implementation of an approved project (项目实施): the plan, milestones, progress reports with
photos, and the government's report on completion. Also who may see and act on one project
(`project_get`, `can_manage`, `can_report`), which the supervision and evaluation services and
the pages share.

Congress staff do everything; the handlers of the plan's responsible department report
progress; leaders read; the deputies of the supervision group read (and record inspections:
`services.supervision`).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from enum import StrEnum

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from lianluo.core.errors import Conflict, DomainError, Forbidden, NotFound
from lianluo.core.models import Department, User
from lianluo.core.scope import scope_for
from lianluo.core.services import audit_record
from lianluo.core.uploads import CleanImage, image_clean
from lianluo.projects.models import (
    Member,
    MemberStatus,
    Milestone,
    Photo,
    Plan,
    Progress,
    Project,
    ProjectStatus,
)
from lianluo.voting.services import require_staff


class SupervisionCode(StrEnum):
    """Codes of refusals of implementation, supervision and evaluation (stable strings)."""

    NOT_FOUND = "not_found"  # 404: no such project, or not one the user may see
    NOT_ALLOWED = "not_allowed"  # 403: the user may not do this to the project
    INVALID_STATE = "invalid_state"  # 409: not possible in the project's status
    NO_PLAN = "no_plan"  # 409: the project has no implementation plan yet
    INVALID = "invalid"  # 422: a value out of its range (see the field)
    GROUP_SIZE = "group_size"  # 422: a supervision group has 3 to 5 deputies
    NOT_A_MEMBER = "not_a_member"  # 422: a deputy who is not in the group
    RECORDED = "recorded"  # 409: this step of this period is recorded already
    VOTE_EXISTS = "vote_exists"  # 409: the year's satisfaction vote exists already


# Statuses in which the project's implementation is under way and its progress is public.
IMPLEMENTING = frozenset({ProjectStatus.APPROVED, ProjectStatus.COMPLETED})
PUBLISHED = frozenset({ProjectStatus.APPROVED, ProjectStatus.COMPLETED, ProjectStatus.EVALUATED})
MAX_PHOTOS = 9  # per progress report

photo_clean = image_clean  # an uploaded photo: checked, oriented, metadata dropped


# ---- who may see and do what --------------------------------------------------------------------


def can_manage(user: User | None, project: Project) -> bool:
    """Congress staff (acting) of the project's congress, or an administrator."""
    return scope_for(user).covers_path(project.congress.area.path, acting=True)


def plan_department_id(project: Project) -> int | None:
    plan = Plan.objects.filter(project=project).only("department_id").first()
    return plan.department_id if plan else project.department_id


def can_report(user: User | None, project: Project) -> bool:
    """Staff, or a handler of the responsible department of the plan."""
    if can_manage(user, project):
        return True
    dept = plan_department_id(project)
    return dept is not None and dept in scope_for(user).department_ids


def member_deputy_ids(user: User | None, project: Project) -> set[int]:
    """The user's deputies who are confirmed members of the project's group."""
    ids = scope_for(user).deputy_ids
    if not ids:
        return set()
    return set(
        Member.objects.filter(
            project=project, deputy_id__in=ids, status=MemberStatus.CONFIRMED
        ).values_list("deputy_id", flat=True)
    )


def can_see(user: User | None, project: Project) -> bool:
    scope = scope_for(user)
    if scope.covers_path(project.congress.area.path):
        return True
    return can_report(user, project) or bool(member_deputy_ids(user, project))


def project_get(*, viewer: User | None, pk: int | str) -> Project:
    """One project as the staff page shows it; missing and not-yours are the same 404."""
    project = (
        Project.objects.select_related("congress__area", "area", "department", "carried_from")
        .filter(pk=pk)
        .first()
        if str(pk).isdigit()
        else None
    )
    if project is None or not can_see(viewer, project):
        raise NotFound(SupervisionCode.NOT_FOUND, _("No project has this number."))
    return project


def _require_manage(actor: User | None, project: Project) -> None:
    require_staff(actor, project.congress)


def _locked(project: Project) -> Project:
    return Project.objects.select_for_update().select_related("congress__area").get(pk=project.pk)


def _require_implementing(project: Project) -> None:
    if project.status not in IMPLEMENTING:
        raise Conflict(
            SupervisionCode.INVALID_STATE,
            _("Only an approved project that is not yet evaluated is implemented."),
        )


# ---- the plan and milestones ------------------------------------------------------------------


@transaction.atomic
def plan_set(
    *,
    actor: User | None,
    project: Project,
    department: Department,
    budget: Decimal,
    starts_on: date,
    ends_on: date,
    team: str = "",
) -> Plan:
    """Write (or rewrite) the implementation plan of an approved project. Staff only."""
    _require_manage(actor, project)
    project = _locked(project)
    _require_implementing(project)
    if ends_on < starts_on:
        raise DomainError(
            SupervisionCode.INVALID, _("The plan ends before it starts."), field="ends_on"
        )
    if budget < 0:
        raise DomainError(SupervisionCode.INVALID, _("A budget is not negative."), field="budget")
    plan, _created = Plan.objects.update_or_create(
        project=project,
        defaults={
            "department": department,
            "team": team.strip(),
            "budget": budget,
            "starts_on": starts_on,
            "ends_on": ends_on,
        },
    )
    audit_record(
        actor=actor,
        verb="project.plan",
        target=project,
        data={"department": department.pk, "starts_on": str(starts_on), "ends_on": str(ends_on)},
    )
    return plan


@transaction.atomic
def milestone_add(*, actor: User | None, project: Project, title: str, due_on: date) -> Milestone:
    _require_manage(actor, project)
    _require_implementing(project)
    if not title.strip():
        raise DomainError(SupervisionCode.INVALID, _("Name the milestone."), field="title")
    milestone = Milestone.objects.create(project=project, title=title.strip(), due_on=due_on)
    audit_record(actor=actor, verb="project.milestone", target=project, data={"id": milestone.pk})
    return milestone


@transaction.atomic
def milestone_done(*, actor: User | None, milestone: Milestone, done_on: date) -> Milestone:
    """Mark a milestone reached (staff, or the responsible department)."""
    project = milestone.project
    if not can_report(actor, project):
        raise Forbidden(SupervisionCode.NOT_ALLOWED, _("You may not report on this project."))
    milestone.done_on = done_on
    milestone.save(update_fields=["done_on"])
    audit_record(
        actor=actor, verb="project.milestone_done", target=project, data={"id": milestone.pk}
    )
    return milestone


# ---- progress --------------------------------------------------------------------------------


@transaction.atomic
def progress_report(
    *,
    actor: User | None,
    project: Project,
    reported_on: date,
    percent: int,
    text: str,
    spent: Decimal | None = None,
    note: str = "",
    photos: Sequence[CleanImage] = (),
    captions: Sequence[str] = (),
) -> Progress:
    """A progress report of the responsible department (or staff), with cleaned photos.

    Progress never goes back silently: a percentage below the latest report needs a note saying
    why (kept with the report's text). Photos are already cleaned (`photo_clean`); they are
    stored in private storage and served by a view that checks the viewer."""
    if not can_report(actor, project):
        raise Forbidden(SupervisionCode.NOT_ALLOWED, _("You may not report on this project."))
    project = _locked(project)
    _require_implementing(project)
    if not Plan.objects.filter(project=project).exists():
        raise Conflict(SupervisionCode.NO_PLAN, _("Write the implementation plan first."))
    if not 0 <= percent <= 100:
        raise DomainError(
            SupervisionCode.INVALID, _("Progress is between 0 and 100 %."), field="percent"
        )
    if spent is not None and spent < 0:
        raise DomainError(SupervisionCode.INVALID, _("Spending is not negative."), field="spent")
    if len(photos) > MAX_PHOTOS:
        raise DomainError(
            SupervisionCode.INVALID,
            _("At most %(n)d photos per report.") % {"n": MAX_PHOTOS},
            field="photos",
        )
    latest = project.progress.order_by("-reported_on", "-pk").first()
    body = text.strip()
    if latest is not None and percent < latest.percent and not note.strip():
        raise DomainError(
            SupervisionCode.INVALID,
            _("Progress was %(n)d %% in the last report: say why it is lower now.")
            % {"n": latest.percent},
            field="note",
        )
    if note.strip():
        body = "\n\n".join([body, _("Note: %(note)s") % {"note": note.strip()}])
    progress = Progress.objects.create(
        project=project,
        reported_on=reported_on,
        percent=percent,
        spent=spent,
        text=body,
        created_by=actor if actor and actor.is_authenticated else None,
    )
    for i, photo in enumerate(photos):
        Photo.objects.create(
            progress=progress,
            file=ContentFile(photo.content, name=f"{uuid.uuid4().hex}.{photo.extension}"),
            content_type=photo.content_type,
            caption=(captions[i] if i < len(captions) else "")[:200],
        )
    audit_record(
        actor=actor,
        verb="project.progress",
        target=project,
        data={"percent": percent, "photos": len(photos)},
    )
    return progress


def photo_get(*, viewer: User | None, project: Project, photo_id: int | str) -> Photo:
    """A progress photo: public once the project is published (approved and after); else only
    for those who see the project."""
    photo = (
        Photo.objects.select_related("progress").filter(pk=photo_id).first()
        if str(photo_id).isdigit()
        else None
    )
    if (
        photo is None
        or photo.progress.project_id != project.pk
        or (project.status not in PUBLISHED and not can_see(viewer, project))
    ):
        raise NotFound(SupervisionCode.NOT_FOUND, _("No photo has this number."))
    return photo


def project_public_get(pk: int | str) -> Project:
    """A published project by its number (for its public photos)."""
    project = (
        Project.objects.select_related("congress__area").filter(pk=pk).first()
        if str(pk).isdigit()
        else None
    )
    if project is None:
        raise NotFound(SupervisionCode.NOT_FOUND, _("No project has this number."))
    return project


# ---- completion --------------------------------------------------------------------------------


@transaction.atomic
def completion_report(
    *, actor: User | None, project: Project, completed_on: date, report: str
) -> Project:
    """The government's report on completion (完成情况报告): the project is completed."""
    _require_manage(actor, project)
    project = _locked(project)
    if project.status != ProjectStatus.APPROVED:
        raise Conflict(
            SupervisionCode.INVALID_STATE,
            _("Only an approved project in implementation can be reported completed."),
        )
    if not report.strip():
        raise DomainError(
            SupervisionCode.INVALID, _("Give the government's report."), field="report"
        )
    project.status = ProjectStatus.COMPLETED
    project.completed_on = completed_on
    project.completion_report = report.strip()
    project.save(update_fields=["status", "completed_on", "completion_report"])
    audit_record(
        actor=actor, verb="project.completed", target=project, data={"on": str(completed_on)}
    )
    return project
