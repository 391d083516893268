"""The reception record: what happened on a reception day, who came, the officials who joined,
and which of the station's cases were taken at it. It files cases and credits duty points, so it
sits with cases, above the ledger (duty) and stations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianluo.cases.services.record import record_window_message, record_window_refusal
from lianluo.cases.states import Channel
from lianluo.core.errors import DomainError
from lianluo.core.models import Department, User
from lianluo.core.scope import department_serves
from lianluo.core.services import audit_record
from lianluo.deputies.models import Deputy
from lianluo.duty.services import points_for_reception
from lianluo.stations.models import (
    OfficialVisit,
    ReceptionDay,
    ReceptionRecord,
    ReceptionStatus,
    Station,
)
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


# A day made for a record of a reception nobody had scheduled: the usual morning hours.
UNSCHEDULED_HOURS = (time(9), time(12))


def reception_day_for_record(*, actor: User, station: Station, on: date) -> ReceptionDay:
    """The station's reception day on `on` to write a record for, made (published, the usual
    morning hours) when none was scheduled that day: a reception held without a rule, or before
    the platform. Only within the window of field records (cases.services.record): a day after
    today is refused (`future`), one older than the window too (`past`, pointing to the import
    of past years), both at `date`."""
    station_require_manager(actor, station)
    refusal = record_window_refusal(on)
    if refusal:
        code = ReceptionCode.FUTURE if refusal == "future" else ReceptionCode.PAST
        raise DomainError(code, record_window_message(refusal), field="date")
    with transaction.atomic():
        day = (
            ReceptionDay.objects.filter(station=station, date=on)
            .exclude(status=ReceptionStatus.CANCELLED)
            .order_by("start")
            .first()
        )
        if day is None:
            start, end = UNSCHEDULED_HOURS
            day, created = ReceptionDay.objects.get_or_create(
                station=station,
                date=on,
                start=start,
                defaults={
                    "end": end,
                    "status": ReceptionStatus.PUBLISHED,
                    "published_at": timezone.now(),
                },
            )
            if created:
                audit_record(
                    actor=actor,
                    verb="reception_day.create_for_record",
                    target=day,
                    data={"date": on.isoformat()},
                )
    return day


def reception_record_on(
    *,
    actor: User,
    station: Station,
    on: date,
    deputies_present: list[Deputy],
    citizens_received: int,
    summary: str = "",
    officials: list[OfficialIn] | None = None,
) -> ReceptionRecord:
    """Write the record of the station's reception on a date (the API): the day is found or
    made (`reception_day_for_record`, the window's rule), and the station's cases taken at a
    reception that day and not linked yet link to it, with those linked before."""
    with transaction.atomic():
        day = reception_day_for_record(actor=actor, station=station, on=on)
        taken = station.cases.filter(
            created_at__date=on, channel=Channel.RECEPTION, reception_day=None
        ).values_list("pk", flat=True)
        linked = day.cases.values_list("pk", flat=True)
        return reception_record_save(
            actor=actor,
            day=day,
            deputies_present=deputies_present,
            citizens_received=citizens_received,
            summary=summary,
            officials=officials,
            case_ids=sorted({*taken, *linked}),
        )
