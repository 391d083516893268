"""Records of the points ledger for tests, built through the ledger's services."""

from __future__ import annotations

import io
from datetime import time, timedelta
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone
from PIL import Image

from lianluo.board.replay import points_replay
from lianluo.core.models import Role, RoleAssignment, User
from lianluo.deputies.models import Deputy
from lianluo.duty.models import DutyItem, EntryStatus, PointEntry
from lianluo.duty.services import points_register
from lianluo.stations.models import Duty, ReceptionDay


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
