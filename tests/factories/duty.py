"""Records of the points ledger for tests, built through the ledger's services."""

from __future__ import annotations

import io
from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.utils import timezone
from PIL import Image

from lianluo.board.replay import points_replay
from lianluo.cases.reception.services import reception_record_save
from lianluo.core.models import Role, RoleAssignment, User
from lianluo.deputies.models import Deputy
from lianluo.duty.models import DutyItem, EntryStatus, PointEntry
from lianluo.duty.services import catalog_install_default, points_register
from lianluo.stations.models import Duty, ReceptionDay, Station


def png(name: str = "proof.png", color: tuple[int, int, int] = (30, 120, 30)) -> io.BytesIO:
    """A small PNG upload (evidence)."""
    buf = io.BytesIO()
    Image.new("RGB", (60, 40), color).save(buf, format="PNG")
    buf.seek(0)
    buf.name = name
    return buf


def entry_registered(
    officer: User, deputy: Deputy, item: DutyItem, *, days_ago: int = 3, note: str = "走访记录"
) -> PointEntry:
    """A record the officer registered for the deputy `days_ago` days ago (counted at once)."""
    return points_register(
        actor=officer,
        deputy=deputy,
        item=item,
        occurred_on=timezone.localdate() - timedelta(days=days_ago),
        note=note,
    )


def deputy_user(deputy: Deputy) -> User:
    """The deputy's user account, with the deputy role (created when missing)."""
    user = deputy.user or User.objects.create(username=f"u-{deputy.code}")
    if deputy.user_id is None:
        deputy.user = user
        deputy.save(update_fields=["user"])
    RoleAssignment.objects.get_or_create(user=user, role=Role.DEPUTY, deputy=deputy)
    return user


def points_total(deputy: Deputy, year: int = 2026) -> Decimal:
    """The deputy's counted points of the year, summed from the ledger."""
    value = PointEntry.objects.filter(
        deputy=deputy, year=year, status=EntryStatus.APPROVED
    ).aggregate(s=Sum("points"))["s"]
    return Decimal(value or 0)


def replay_adds_nothing_for(deputies: list[Deputy], year: int = 2026) -> bool:
    """Replaying the year's events (the demo county's own included) credits these deputies
    nothing more."""
    before = PointEntry.objects.filter(deputy__in=deputies).count()
    points_replay(year=year)
    return PointEntry.objects.filter(deputy__in=deputies).count() == before


def reception_day(station, on, deputies: list[Deputy]) -> ReceptionDay:
    """A published morning reception day of the station with these deputies on duty."""
    day = ReceptionDay.objects.create(
        station=station, date=on, start=time(9), end=time(12), status="published"
    )
    Duty.objects.bulk_create([Duty(reception_day=day, deputy=d) for d in deputies])
    return day


def sector_year(*, training_note: str, day_status: str | None = None) -> dict[str, Any]:
    """The 城关 east sector station of the demo county with its officer and deputies, dep-005
    (the first) with a login `dep005`, the 2026 catalog, and dep-005's year so far: the 6 June
    reception attended (its day `day_status`, or the model's default) and a training on 20 May
    registered with `training_note`. Call it inside the test's time travel."""
    station = Station.objects.get(code="cg-sector-1")
    d1, d2, d3 = Deputy.objects.filter(memberships__station=station).order_by("code")
    officer = User.objects.get(username="officer-cg-sector-1")
    me = User.objects.create(username="dep005", display_name=d1.name)
    d1.user = me
    d1.save(update_fields=["user"])
    RoleAssignment.objects.create(user=me, role=Role.DEPUTY, deputy=d1)
    catalog_install_default(congress=station.congress, year=2026, actor=None)
    items = {i.code: i for i in DutyItem.objects.filter(congress=station.congress, year=2026)}
    status = {"status": day_status} if day_status else {}
    day = ReceptionDay.objects.create(
        station=station, date=date(2026, 6, 6), start=time(9), end=time(12), **status
    )
    Duty.objects.create(reception_day=day, deputy=d1)
    reception_record_save(actor=officer, day=day, deputies_present=[d1], citizens_received=4)
    points_register(
        actor=officer,
        deputy=d1,
        item=items["training"],
        occurred_on=date(2026, 5, 20),
        note=training_note,
    )
    return {
        "station": station,
        "deputies": (d1, d2, d3),
        "officer": officer,
        "me": me,
        "items": items,
    }
