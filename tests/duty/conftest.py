"""Fixtures of the ledger's tests: the demo county on 15 June 2026 (time frozen), its default
catalog, a station with three deputies and its officer."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from lianluo.core.models import User
from lianluo.deputies.models import Deputy
from lianluo.duty.models import DutyItem
from lianluo.duty.services import catalog_install_default
from lianluo.stations.models import Station

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 6, 15, 10, 0, tzinfo=SH)


@pytest.fixture
def june(demo):
    """The demo county, on 15 June 2026 (time frozen), with no catalog yet."""
    with time_machine.travel(NOW, tick=False):
        yield demo


@pytest.fixture
def catalog(june):
    """The default 2026 catalog of the 城关 township congress and of the county congress."""
    for congress in (june["cg_hub"].congress, june["county_congress"]):
        catalog_install_default(congress=congress, year=2026, actor=None)
    return {i.code: i for i in DutyItem.objects.filter(congress=june["cg_hub"].congress)}


@pytest.fixture
def hub(june):
    """The 城关 east sector station and its three deputies (no demo events of their own):
    dep-005 (city deputy), dep-029 (county and township), dep-053 (township)."""
    station = Station.objects.get(code="cg-sector-1")
    members = list(Deputy.objects.filter(memberships__station=station).order_by("code"))
    assert [d.code for d in members] == ["dep-005", "dep-029", "dep-053"]
    return station, members


@pytest.fixture
def officer(june) -> User:
    """The liaison officer of that station."""
    return User.objects.get(username="officer-cg-sector-1")
