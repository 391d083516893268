"""Supervision of an approved project (代表监督): its group of 3–5 deputies, proposed by the
match (`projects.matching`) and confirmed by staff with a leader, and the records of its cadence
(`projects.cadence`), each crediting the deputies who attended in their duty archive."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lianluo.core.errors import Conflict, DomainError, Forbidden
from lianluo.core.models import User
from lianluo.core.services import audit_record
from lianluo.deputies.models import Deputy, Mandate
from lianluo.duty.models import AutoEvent
from lianluo.duty.services.credit import points_credit_event
from lianluo.projects.cadence import period_span, periods_between
from lianluo.projects.matching import match_deputies
from lianluo.projects.models import Cadence, Member, MemberStatus, Plan, Project, Record
from lianluo.projects.services.implementation import (
    IMPLEMENTING,
    SupervisionCode,
    can_manage,
    member_deputy_ids,
)
from lianluo.voting.services import require_staff

GROUP_MIN, GROUP_MAX = 3, 5


def _require_open(project: Project) -> None:
    if project.status not in IMPLEMENTING:
        raise Conflict(
            SupervisionCode.INVALID_STATE,
            _("Only a project in implementation is supervised."),
        )


# ---- the group --------------------------------------------------------------------------------


@transaction.atomic
def group_propose(*, actor: User | None, project: Project) -> list[Member]:
    """Propose the best matches as members, up to five with those confirmed already. The
    previous proposals not confirmed are replaced; the confirmed members stay."""
    require_staff(actor, project.congress)
    _require_open(project)
    project.members.filter(status=MemberStatus.PROPOSED).delete()
    confirmed = set(project.members.values_list("deputy_id", flat=True))
    room = max(0, GROUP_MAX - len(confirmed))
    matches = match_deputies(project, exclude=confirmed)[:room]
    members = Member.objects.bulk_create(
        [
            Member(
                project=project,
                deputy=m.deputy,
                score=min(m.score, 32767),
                reasons=m.reason_text[:300],
            )
            for m in matches
        ]
    )
    audit_record(
        actor=actor,
        verb="project.group_proposed",
        target=project,
        data={"deputies": [m.deputy.pk for m in matches]},
    )
    return members


@transaction.atomic
def member_add(*, actor: User | None, project: Project, deputy: Deputy) -> Member:
    """Add a deputy of the project's congress to the proposed members (staff choose freely;
    the match's score and reasons are kept for the record)."""
    require_staff(actor, project.congress)
    _require_open(project)
    if not Mandate.objects.filter(
        deputy=deputy, congress_id=project.congress_id, active=True
    ).exists():
        raise DomainError(
            SupervisionCode.NOT_A_MEMBER,
            _("Only a deputy of this congress can supervise its project."),
            field="deputy",
        )
    match = next((m for m in match_deputies(project) if m.deputy.pk == deputy.pk), None)
    try:
        with transaction.atomic():
            member = Member.objects.create(
                project=project,
                deputy=deputy,
                score=min(match.score, 32767) if match else 0,
                reasons=match.reason_text[:300] if match else "",
            )
    except IntegrityError as exc:
        raise Conflict(SupervisionCode.INVALID, _("This deputy is in the group already.")) from exc
    audit_record(actor=actor, verb="project.member_added", target=project, data={"d": deputy.pk})
    return member


@transaction.atomic
def member_remove(*, actor: User | None, member: Member) -> None:
    """Take a deputy out of the group. A confirmed group keeps at least three members."""
    project = member.project
    require_staff(actor, project.congress)
    if member.status == MemberStatus.CONFIRMED:
        confirmed = project.members.filter(status=MemberStatus.CONFIRMED).count()
        if confirmed - 1 < GROUP_MIN:
            raise DomainError(
                SupervisionCode.GROUP_SIZE,
                _("A supervision group keeps at least %(n)d deputies: add one first.")
                % {"n": GROUP_MIN},
            )
    deputy_id = member.deputy_id
    member.delete()
    audit_record(actor=actor, verb="project.member_removed", target=project, data={"d": deputy_id})


@transaction.atomic
def group_confirm(
    *, actor: User | None, project: Project, deputy_ids: Iterable[int], leader_id: int
) -> list[Member]:
    """Confirm the group: the members chosen (3 to 5, all on the list) are confirmed, one of
    them leads it; the other proposals are dropped."""
    require_staff(actor, project.congress)
    _require_open(project)
    chosen = set(deputy_ids)
    on_list = set(project.members.values_list("deputy_id", flat=True))
    if not chosen <= on_list:
        raise DomainError(
            SupervisionCode.NOT_A_MEMBER,
            _("Choose among the proposed members (add a deputy first)."),
            field="deputies",
        )
    if not GROUP_MIN <= len(chosen) <= GROUP_MAX:
        raise DomainError(
            SupervisionCode.GROUP_SIZE,
            _("A supervision group has %(min)d to %(max)d deputies; %(n)d are chosen.")
            % {"min": GROUP_MIN, "max": GROUP_MAX, "n": len(chosen)},
            field="deputies",
        )
    if leader_id not in chosen:
        raise DomainError(
            SupervisionCode.NOT_A_MEMBER,
            _("The leader is one of the group's members."),
            field="leader",
        )
    project.members.exclude(deputy_id__in=chosen).delete()
    project.members.update(status=MemberStatus.CONFIRMED, leader=False)
    project.members.filter(deputy_id=leader_id).update(leader=True)
    audit_record(
        actor=actor,
        verb="project.group_confirmed",
        target=project,
        data={"deputies": sorted(chosen), "leader": leader_id},
    )
    return list(project.members.select_related("deputy"))


def group_of(project: Project) -> list[Member]:
    return list(project.members.select_related("deputy").order_by("-leader", "-score", "pk"))


# ---- the cadence --------------------------------------------------------------------------------


def may_record(user: User | None, project: Project, cadence: str) -> bool:
    """Staff record every step; a deputy of the group records an inspection they attended."""
    if can_manage(user, project):
        return True
    return cadence == Cadence.INSPECTION and bool(member_deputy_ids(user, project))


@transaction.atomic
def record_add(
    *,
    actor: User | None,
    project: Project,
    cadence: str,
    period: str,
    held_on: date,
    text: str,
    problems: str = "",
    attendee_ids: Iterable[int] = (),
) -> Record:
    """Record a step of the cadence for its period (once), and credit each deputy of the group
    who attended (`AutoEvent.PROJECT_SUPERVISED`, once per record and deputy). A deputy who
    records an inspection must be among its attendees."""
    if cadence not in Cadence.values:
        raise DomainError(SupervisionCode.INVALID, _("Not a step of the cadence."), field="cadence")
    if not may_record(actor, project, cadence):
        raise Forbidden(SupervisionCode.NOT_ALLOWED, _("You may not record this step."))
    _require_open(project)
    plan = Plan.objects.filter(project=project).first()
    if plan is None:
        raise Conflict(SupervisionCode.NO_PLAN, _("Write the implementation plan first."))
    span = period_span(cadence, period)
    if span is None or period not in periods_between(cadence, plan.starts_on, plan.ends_on):
        raise DomainError(
            SupervisionCode.INVALID,
            _("%(period)s is not a period of this step in the plan's time.") % {"period": period},
            field="period",
        )
    if not text.strip():
        raise DomainError(SupervisionCode.INVALID, _("Say what was found."), field="text")
    attendees = set(attendee_ids)
    group = set(
        project.members.filter(status=MemberStatus.CONFIRMED).values_list("deputy_id", flat=True)
    )
    if not attendees <= group:
        raise DomainError(
            SupervisionCode.NOT_A_MEMBER,
            _("Attendees are members of the confirmed group."),
            field="attendees",
        )
    if not can_manage(actor, project) and not attendees & member_deputy_ids(actor, project):
        raise DomainError(
            SupervisionCode.NOT_A_MEMBER,
            _("Record an inspection you attended: tick yourself among the attendees."),
            field="attendees",
        )
    try:
        with transaction.atomic():
            record = Record.objects.create(
                project=project,
                cadence=cadence,
                period=period,
                held_on=held_on,
                text=text.strip(),
                problems=problems.strip(),
                created_by=actor if actor and actor.is_authenticated else None,
            )
    except IntegrityError as exc:
        raise Conflict(
            SupervisionCode.RECORDED,
            _("This step of %(period)s is recorded already.") % {"period": period},
        ) from exc
    deputies = list(Deputy.objects.filter(pk__in=attendees).order_by("pk"))
    record.attendees.set(deputies)
    for deputy in deputies:
        points_credit_event(
            deputy=deputy,
            event=AutoEvent.PROJECT_SUPERVISED,
            source_key=f"project_record:{record.pk}:{deputy.pk}",
            occurred_on=held_on,
            congress=project.congress,
            actor=actor,
            note=f"{project.title} · {Cadence(cadence).label} {period}",
        )
    audit_record(
        actor=actor,
        verb="project.recorded",
        target=project,
        data={"cadence": cadence, "period": period, "attendees": sorted(attendees)},
    )
    return record
