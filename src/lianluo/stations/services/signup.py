"""A deputy's own writes: signing up for a sign-up day, withdrawing, and declaring the periods
they cannot be on duty."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override

from lianluo.core.errors import CoreCode, DomainError, NotFound
from lianluo.core.models import Role, RoleAssignment, User
from lianluo.core.services import audit_record, outbox_enqueue
from lianluo.deputies.models import Deputy, Unavailability
from lianluo.deputies.selectors import deputy_of_account as deputy_of
from lianluo.stations.models import Assignment, Duty, DutySource, ReceptionDay, ReceptionStatus
from lianluo.stations.services.common import ReceptionCode


def _signup_day(actor: User, day: ReceptionDay) -> tuple[Deputy, ReceptionDay]:
    deputy = deputy_of(user=actor)
    if deputy is None:
        raise DomainError(ReceptionCode.NOT_A_DEPUTY, _("Only deputies sign up for duty."))
    locked = (
        ReceptionDay.objects.select_for_update(of=("self",))
        .select_related("station", "rule")
        .filter(pk=day.pk, station__memberships__deputy=deputy)
        .first()
    )
    if locked is None:
        raise NotFound(CoreCode.NOT_FOUND, _("Reception day not found."))
    day = locked
    if day.rule is None or day.rule.assignment != Assignment.SIGNUP:
        raise DomainError(
            ReceptionCode.NOT_SIGNUP, _("The officer sets who is on duty on this day.")
        )
    if day.status == ReceptionStatus.CANCELLED:
        raise DomainError(ReceptionCode.INVALID_STATUS, _("This day is cancelled."))
    if day.date < timezone.localdate():
        raise DomainError(ReceptionCode.PAST, _("This day is past."))
    return deputy, day


def duty_signup(*, actor: User, day: ReceptionDay) -> tuple[Duty, bool]:
    """A deputy signs up for a sign-up day of their station; returns (duty, created).

    The day's row is locked, so two deputies taking the last place cannot both get it
    (capacity = the rule's deputies per day). Signing up twice returns the same duty."""
    with transaction.atomic():
        deputy, day = _signup_day(actor, day)
        existing = Duty.objects.filter(reception_day=day, deputy=deputy).first()
        if existing is not None:
            return existing, False
        capacity = day.rule.deputies_per_day  # type: ignore[union-attr]
        if Duty.objects.filter(reception_day=day).count() >= capacity:
            raise DomainError(
                ReceptionCode.FULL,
                _("This day already has %(count)d deputies on duty.") % {"count": capacity},
            )
        if Unavailability.objects.filter(
            deputy=deputy, start__lte=day.date, end__gte=day.date
        ).exists():
            raise DomainError(
                ReceptionCode.UNAVAILABLE,
                _("You have said you are not available that day."),
            )
        duty = Duty.objects.create(reception_day=day, deputy=deputy, source=DutySource.SIGNUP)
        audit_record(actor=actor, verb="duty.signup", target=duty, data={"day": day.pk})
    return duty, True


def duty_withdraw(*, actor: User, day: ReceptionDay) -> None:
    """A deputy withdraws their own sign-up from a coming day."""
    with transaction.atomic():
        deputy, day = _signup_day(actor, day)
        duty = Duty.objects.filter(
            reception_day=day, deputy=deputy, source=DutySource.SIGNUP
        ).first()
        if duty is None:
            raise NotFound(CoreCode.NOT_FOUND, _("You are not signed up for this day."))
        audit_record(actor=actor, verb="duty.withdraw", target=duty, data={"day": day.pk})
        duty.delete()


# ---- a deputy's own unavailability ----------------------------------------------------------


def unavailability_declare(
    *, actor: User, start: date, end: date, reason: str = ""
) -> tuple[Unavailability, list[ReceptionDay]]:
    """A deputy says they cannot be on duty from `start` to `end`: the rotation and sign-up
    skip them. Returns the coming days they are already on duty in that period; the officers
    of those stations are told, since only they change a published roster."""
    deputy = deputy_of(user=actor)
    if deputy is None:
        raise DomainError(ReceptionCode.NOT_A_DEPUTY, _("Only deputies declare this."))
    if end < start:
        raise DomainError(
            ReceptionCode.INVALID_PERIOD, _("The end must not be before the start."), field="end"
        )
    if end < timezone.localdate():
        raise DomainError(ReceptionCode.PAST, _("This period is past."), field="end")
    with transaction.atomic():
        row = Unavailability.objects.create(
            deputy=deputy, start=start, end=end, reason=reason.strip()[:200]
        )
        clashes = list(
            ReceptionDay.objects.filter(
                duty__deputy=deputy,
                date__range=(max(start, timezone.localdate()), end),
                status__in=[ReceptionStatus.DRAFT, ReceptionStatus.PUBLISHED],
            )
            .select_related("station")
            .order_by("date", "start")
        )
        audit_record(
            actor=actor,
            verb="unavailability.declare",
            target=row,
            data={"clashes": [d.pk for d in clashes]},
        )
        for station_id in {d.station_id for d in clashes}:
            own = [d for d in clashes if d.station_id == station_id]
            officers = [
                ra.user
                for ra in RoleAssignment.objects.filter(
                    role=Role.LIAISON, station_id=station_id, user__is_active=True
                ).select_related("user")
            ]
            with override("zh-hans"):
                subject = _("%(name)s cannot be on duty on %(days)s") % {
                    "name": deputy.name,
                    "days": "、".join(date_format(d.date, "Y-m-d") for d in own),
                }
            if officers:
                outbox_enqueue(
                    recipients=officers,
                    kind="duty_unavailable",
                    subject=subject,
                    body=reason.strip(),
                    link=reverse("stations:day", kwargs={"pk": own[0].pk}),
                )
    return row, clashes


def unavailability_withdraw(*, actor: User, row: Unavailability) -> None:
    """A deputy removes a period they declared."""
    deputy = deputy_of(user=actor)
    if deputy is None or row.deputy_id != deputy.pk:
        raise NotFound(CoreCode.NOT_FOUND, _("Not found."))
    with transaction.atomic():
        audit_record(actor=actor, verb="unavailability.withdraw", target=row)
        row.delete()
