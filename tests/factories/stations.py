"""Reception-day fixtures the station tests share: a frozen clock, a station with its
deputies, and a rule with the days it generates (built through the stations services)."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import time_machine

from lianluo.core.models import Role, RoleAssignment, User
from lianluo.deputies.models import Deputy
from lianluo.stations.models import ReceptionRule, Station, StationMembership
from lianluo.stations.services import reception_days_generate, reception_rule_save

SH = ZoneInfo("Asia/Shanghai")


def on(y: int, m: int, d: int, h: int = 9) -> Any:
    """Freeze the clock at that hour (09:00 unless told) Beijing time on that day."""
    return time_machine.travel(datetime(y, m, d, h, tzinfo=SH), tick=False)


def deputy_with_login(code: str, name: str) -> Deputy:
    user = User.objects.create_user(code, password="x", display_name=name)
    deputy = Deputy.objects.create(code=code, name=name, user=user)
    RoleAssignment.objects.create(user=user, role=Role.DEPUTY, deputy=deputy)
    return deputy


def station_with_deputies(
    demo: dict[str, Any],
    *,
    code: str,
    name: str,
    deputies: int,
    deputy_code: str,
    deputy_name: str,
    kind: str = "station",
    address: str = "",
    logins: bool = False,
) -> tuple[Station, list[Deputy]]:
    """A station under the 城关 hub with `deputies` deputies coded `{deputy_code}-0`… and
    named `{deputy_name}0`… (with a login each if `logins`)."""
    hub = demo["cg_hub"]
    station = Station.objects.create(
        code=code,
        name=name,
        kind=kind,
        area=hub.area,
        congress=hub.congress,
        parent=hub,
        address=address,
    )
    people = [
        deputy_with_login(f"{deputy_code}-{i}", f"{deputy_name}{i}")
        if logins
        else Deputy.objects.create(code=f"{deputy_code}-{i}", name=f"{deputy_name}{i}")
        for i in range(deputies)
    ]
    StationMembership.objects.bulk_create(
        [StationMembership(station=station, deputy=d) for d in people]
    )
    return station, people


def reception_days_made(
    *,
    actor: User,
    station: Station,
    kind: str,
    values: list[Any],
    generated_on: tuple[int, ...],
    until: date,
    start: time = time(9),
    end: time = time(12),
    deputies_per_day: int = 2,
    assignment: str = "rotation",
    since: date | None = None,
) -> ReceptionRule:
    """A rule of the station, and its draft days from `since` (the day it is generated on,
    unless told) to `until`, generated with the clock at `generated_on` (y, m, d[, h])."""
    rule = reception_rule_save(
        actor=actor,
        station=station,
        kind=kind,
        values=values,
        start=start,
        end=end,
        deputies_per_day=deputies_per_day,
        assignment=assignment,
    )
    with on(*generated_on):
        first = since or date(*generated_on[:3])
        reception_days_generate(actor=actor, station=station, start=first, end=until)
    return rule
