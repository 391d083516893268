"""The reception record: what happened on a reception day, who came, the officials who joined,
and which of the station's cases were taken at it. It files cases and credits duty points, so it
sits with cases, above the ledger (duty) and stations."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianluo.core.errors import DomainError
from lianluo.core.models import Department, User
from lianluo.core.scope import department_serves
from lianluo.core.services import audit_record
from lianluo.deputies.models import Deputy
from lianluo.duty.services import points_for_reception
from lianluo.stations.models import OfficialVisit, ReceptionDay, ReceptionRecord, ReceptionStatus
from lianluo.stations.services import ReceptionCode, station_require_manager


@dataclass
class OfficialIn:
    """An official of a government department who joined the reception (国家机关负责人进站)."""

    name: str
    title: str = ""
    department: Department | None = None


def reception_record_save(
    *,
    actor: User,
    day: ReceptionDay,
    deputies_present: list[Deputy],
    citizens_received: int,
    summary: str = "",
    officials: list[OfficialIn] | None = None,
    case_ids: list[int] | None = None,
) -> ReceptionRecord:
    """Write (or rewrite) what happened on a reception day: who came, how many citizens were
    received, the officials who joined, and which of the station's cases of that day were
    taken at it (those link back to the day; the others linked before are unlinked)."""
    station_require_manager(actor, day.station)
    if day.date > timezone.localdate():
        raise DomainError(
            ReceptionCode.FUTURE, _("A record can be written on or after the day itself.")
        )
    if day.status == ReceptionStatus.CANCELLED:
        raise DomainError(ReceptionCode.INVALID_STATUS, _("This day is cancelled."))
    if citizens_received < 0:
        raise DomainError(
            ReceptionCode.INVALID_VALUE,
            _("The number of citizens cannot be negative."),
            field="citizens_received",
        )
    allowed = set(
        Deputy.objects.filter(memberships__station=day.station).values_list("id", flat=True)
    ) | set(day.duty.values_list("deputy_id", flat=True))
    for deputy in deputies_present:
        if deputy.pk not in allowed:
            raise DomainError(
                ReceptionCode.NOT_MEMBER,
                _("%(name)s does not belong to this station.") % {"name": deputy.name},
                field="deputies_present",
            )
    officials = [o for o in (officials or []) if o.name.strip()]
    for official in officials:
        # The same rule as a case's assignment (core.scope): the station's line of areas only.
        if official.department is not None and not department_serves(
            official.department, day.station.area.path
        ):
            raise DomainError(
                ReceptionCode.INVALID_VALUE,
                _("Select a valid choice. That choice is not one of the available choices."),
                field="officials",
            )
    with transaction.atomic():
        record, created = ReceptionRecord.objects.select_for_update().get_or_create(
            reception_day=day,
            defaults={"citizens_received": citizens_received, "recorded_by": actor},
        )
        record.citizens_received = citizens_received
        record.summary = summary
        record.recorded_by = actor
        record.save()
        record.deputies_present.set(deputies_present)
        # Duty points: each deputy present is credited once per day (a correction reverses).
        points_for_reception(day=day, deputies=list(deputies_present), actor=actor)
        record.officials.all().delete()
        OfficialVisit.objects.bulk_create(
            [
                OfficialVisit(
                    record=record,
                    name=o.name.strip(),
                    title=o.title.strip(),
                    department=o.department,
                )
                for o in officials
            ]
        )
        if case_ids is not None:
            candidates = day.station.cases.filter(created_at__date=day.date)
            chosen = set(case_ids)
            unknown = (
                chosen
                - set(candidates.filter(pk__in=chosen).values_list("pk", flat=True))
                - set(day.cases.values_list("pk", flat=True))
            )
            if unknown:
                raise DomainError(
                    ReceptionCode.INVALID_VALUE,
                    _("Only the station's cases of that day can be linked."),
                    field="cases",
                )
            day.cases.exclude(pk__in=chosen).update(reception_day=None)
            candidates.filter(pk__in=chosen).update(reception_day=day)
        audit_record(
            actor=actor,
            verb="reception_record.create" if created else "reception_record.change",
            target=record,
            data={
                "day": day.pk,
                "citizens": citizens_received,
                "deputies": sorted(d.pk for d in deputies_present),
                "officials": len(officials),
                "cases": sorted(case_ids or []),
            },
        )
    return record
