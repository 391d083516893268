"""Station masters (固定站长 + 轮值站长): the fixed master and the monthly rotation, each
change audited and the deputies named told through the outbox."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from lianluo.core.errors import DomainError
from lianluo.core.models import User
from lianluo.core.qr import station_url
from lianluo.core.services import audit_record, outbox_enqueue
from lianluo.deputies.models import Deputy
from lianluo.onboarding.selectors import master_candidates
from lianluo.onboarding.services.base import OnboardingCode, _require_manager
from lianluo.stations.models import MasterKind, Station, StationMaster

# ---- station masters (固定站长 + 轮值站长) -----------------------------------------------------


def _check_candidates(station: Station, deputies: list[Deputy]) -> None:
    allowed = {d.pk for d in master_candidates(station=station)}
    if not deputies or any(d.pk not in allowed for d in deputies):
        raise DomainError(
            OnboardingCode.NOT_A_CANDIDATE,
            _("Choose deputies of this station or of its sub-stations."),
            field="deputies",
        )


def _notify_master(deputies: list[Deputy], station: Station, text: str) -> None:
    users = [d.user for d in deputies if d.user_id and d.user is not None and d.user.is_active]
    if users:
        outbox_enqueue(
            recipients=users,
            kind="station_master",
            subject=_("Station master: %(station)s") % {"station": station.name},
            body=text,
            # The deputy cannot open the officer's masters page: the station's public page.
            link=station_url(station.code),
        )


def master_set_fixed(
    *, station: Station, deputy: Deputy, start: date, actor: User
) -> StationMaster:
    """Make a deputy the fixed master from `start`; the previous fixed master ends the day
    before (one not yet started is replaced). Audited; the deputy is notified."""
    _require_manager(actor, station)
    _check_candidates(station, [deputy])
    with transaction.atomic():
        current = StationMaster.objects.select_for_update().filter(
            Q(end__isnull=True) | Q(end__gte=start), station=station, kind=MasterKind.FIXED
        )
        current.filter(start__gte=start).delete()
        current.filter(start__lt=start).update(end=start - timedelta(days=1))
        master = StationMaster.objects.create(
            station=station, deputy=deputy, kind=MasterKind.FIXED, start=start
        )
        audit_record(
            actor=actor,
            verb="master_set_fixed",
            target=master,
            data={"station": station.code, "deputy": deputy.code, "start": start.isoformat()},
        )
        _notify_master(
            [deputy],
            station,
            _("You are the fixed station master from %(date)s.") % {"date": start.isoformat()},
        )
    return master


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _add_months(day: date, months: int) -> date:
    index = day.month - 1 + months
    return date(day.year + index // 12, index % 12 + 1, 1)


MAX_ROTATION_MONTHS = 36


def master_rotation_generate(
    *, station: Station, deputies: list[Deputy], start: date, months: int, actor: User
) -> list[StationMaster]:
    """A monthly rotation (轮值站长): month i of the period goes to deputies[i mod n].

    Rotating entries inside the period are replaced, one running into it is cut short the
    day before. Audited; each deputy is notified once with their months."""
    _require_manager(actor, station)
    _check_candidates(station, deputies)
    if not 1 <= months <= MAX_ROTATION_MONTHS:
        raise DomainError(
            OnboardingCode.INVALID_VALUE,
            _("Between 1 and %(max)d months.") % {"max": MAX_ROTATION_MONTHS},
            field="months",
        )
    first = start.replace(day=1)
    last = _month_end(_add_months(first, months - 1))
    with transaction.atomic():
        rotating = StationMaster.objects.select_for_update().filter(
            station=station, kind=MasterKind.ROTATING
        )
        rotating.filter(start__gte=first, start__lte=last).delete()
        rotating.filter(start__lt=first).filter(Q(end__isnull=True) | Q(end__gte=first)).update(
            end=first - timedelta(days=1)
        )
        rows = []
        for i in range(months):
            month = _add_months(first, i)
            rows.append(
                StationMaster(
                    station=station,
                    deputy=deputies[i % len(deputies)],
                    kind=MasterKind.ROTATING,
                    start=month,
                    end=_month_end(month),
                )
            )
        created = StationMaster.objects.bulk_create(rows)
        audit_record(
            actor=actor,
            verb="master_rotation",
            target=station,
            data={
                "from": first.isoformat(),
                "until": last.isoformat(),
                "deputies": [d.code for d in deputies],
            },
        )
        for deputy in {d.pk: d for d in deputies}.values():
            mine = [r.start.strftime("%Y-%m") for r in rows if r.deputy.pk == deputy.pk]
            _notify_master(
                [deputy],
                station,
                _("You are the rotating station master in: %(months)s.")
                % {"months": ", ".join(mine)},
            )
    return created


def master_remove(*, master: StationMaster, actor: User) -> None:
    """Remove one master entry (a rotation month, a fixed master set by mistake). Audited."""
    _require_manager(actor, master.station)
    with transaction.atomic():
        audit_record(
            actor=actor,
            verb="master_remove",
            target=master.station,
            data={
                "kind": master.kind,
                "deputy": master.deputy.code,
                "start": master.start.isoformat(),
            },
        )
        master.delete()
