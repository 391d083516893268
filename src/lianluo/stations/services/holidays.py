"""Holidays listed by a congress: generation skips them at its stations and those below."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from lianluo.core.errors import CoreCode, DomainError, NotFound
from lianluo.core.models import Congress, Holiday, User
from lianluo.core.scope import scope_for
from lianluo.core.services import audit_record
from lianluo.stations.services.common import ReceptionCode


def _require_congress(actor: User, congress: Congress) -> None:
    scope = scope_for(actor)
    if not scope.covers_path(congress.area.path, acting=True):
        raise NotFound(CoreCode.NOT_FOUND, _("Congress not found."))


def holiday_save(
    *, actor: User, congress: Congress, day: date, name: str, workday: bool = False
) -> Holiday:
    """List a holiday of a congress (its staff, or staff above it): generation skips it at the
    congress's stations and at those of every congress below. With `workday`, the day is a
    make-up workday (调休上班) instead: a working day for deadlines, not skipped."""
    _require_congress(actor, congress)
    name = name.strip()
    if not name:
        raise DomainError(ReceptionCode.INVALID_VALUE, _("Give the holiday a name."), field="name")
    with transaction.atomic():
        holiday, created = Holiday.objects.update_or_create(
            congress=congress, date=day, defaults={"name": name, "workday": workday}
        )
        audit_record(
            actor=actor,
            verb="holiday.create" if created else "holiday.change",
            target=holiday,
            data={
                "congress": congress.pk,
                "date": day.isoformat(),
                "name": name,
                "workday": workday,
            },
        )
    return holiday


def holiday_delete(*, actor: User, holiday: Holiday) -> None:
    """Remove a listed holiday (days already generated are not added back by themselves)."""
    _require_congress(actor, holiday.congress)
    with transaction.atomic():
        audit_record(
            actor=actor,
            verb="holiday.delete",
            target=holiday,
            data={"date": holiday.date.isoformat(), "name": holiday.name},
        )
        holiday.delete()
