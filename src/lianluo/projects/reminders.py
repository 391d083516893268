"""Reminders of the supervision cadence (一月一视察、一季一调度、半年一报告、一年一测评), through
the outbox, to the project's confirmed group and the congress's staff.

For every project in implementation with a plan: a step is *due soon* in the last
`DUE_DAYS_BEFORE_END` days of its period without a record, and *missed* once its grace has passed
(`projects.cadence`). Each reminder is sent once per (project, step, period, kind) and recorded
as an audit entry ("project.reminded") in the transaction that enqueues it, so a second run
sends nothing new.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from lianluo.core.models import Area, AuditLog, Role, RoleAssignment, User
from lianluo.core.services import audit_record, outbox_enqueue
from lianluo.projects.cadence import cadence_table
from lianluo.projects.models import MemberStatus, Project
from lianluo.projects.services.implementation import IMPLEMENTING

REMINDED = "project.reminded"  # AuditLog.verb of a reminder sent
DUE_DAYS_BEFORE_END = 7


def project_reminders_send(*, today: date | None = None) -> int:
    """Send the cadence reminders due today that were not sent before; returns how many."""
    today = today or timezone.localdate()
    sent = 0
    with transaction.atomic():
        projects = list(
            Project.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(status__in=IMPLEMENTING, plan__isnull=False)
            .select_related("congress__area", "plan")
            .order_by("pk")
        )
        done = set(
            AuditLog.objects.filter(
                verb=REMINDED,
                target_type=Project._meta.label_lower,
                target_id__in=[str(p.pk) for p in projects],
            ).values_list("target_id", "data__key")
        )
        with override("zh-hans"):
            for project in projects:
                for step in cadence_table(project, on=today):
                    if step.state == "missed":
                        kind = "missed"
                    elif step.state == "due" and today >= step.ends - timedelta(
                        days=DUE_DAYS_BEFORE_END
                    ):
                        kind = "due"
                    else:
                        continue
                    key = f"{step.cadence}:{step.period}:{kind}"
                    if (str(project.pk), key) in done:
                        continue
                    recipients = _group_users(project) + _staff_of(project)
                    if not recipients:
                        continue
                    values = {
                        "title": project.title,
                        "step": step.label,
                        "period": step.period,
                        "day": step.due_by.isoformat(),
                    }
                    if kind == "missed":
                        subject = _("Missed: %(step)s %(period)s of “%(title)s”") % values
                        body = (
                            _(
                                "No record of the %(step)s of %(period)s of “%(title)s” was made "
                                "by %(day)s. Hold it and record it."
                            )
                            % values
                        )
                    else:
                        subject = _("Due: %(step)s %(period)s of “%(title)s”") % values
                        body = (
                            _(
                                "The %(step)s of %(period)s of “%(title)s” is due; record it by "
                                "%(day)s."
                            )
                            % values
                        )
                    outbox_enqueue(
                        recipients=recipients,
                        kind=f"project_{kind}",
                        subject=subject[:200],
                        body=body,
                        link=_link(project),
                    )
                    audit_record(
                        actor=None,
                        verb=REMINDED,
                        target=project,
                        data={"key": key, "to": sorted(u.pk for u in recipients)},
                    )
                    done.add((str(project.pk), key))
                    sent += 1
    return sent


def _link(project: Project) -> str:
    try:
        return reverse("projects:project", kwargs={"pk": project.pk})
    except NoReverseMatch:
        return ""


def _group_users(project: Project) -> list[User]:
    return [
        m.deputy.user
        for m in project.members.filter(status=MemberStatus.CONFIRMED).select_related(
            "deputy__user"
        )
        if m.deputy.user is not None and m.deputy.user.is_active
    ]


def _staff_of(project: Project) -> list[User]:
    """The staff of the congress's area, else of the nearest area above with staff."""
    area: Area | None = project.congress.area
    while area is not None:
        rows = RoleAssignment.objects.filter(
            role=Role.STAFF, area=area, user__is_active=True
        ).select_related("user")
        users = list({ra.user.pk: ra.user for ra in rows}.values())
        if users:
            return users
        area = area.parent
    return []
