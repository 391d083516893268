"""The cast of the collection tests: the demo county built once per module, a collection
window of the county congress open on the pinned clock (2026-12-02) for the projects of 2027,
and a second county with its own staff."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from lianluo.core.models import Area, Congress, Role, RoleAssignment, User
from lianluo.deputies.models import Deputy
from lianluo.projects.selectors.collection import deputy_congresses
from lianluo.projects.services.collection import window_open


@pytest.fixture
def demo(demo_shared):
    return demo_shared


@pytest.fixture
def cx(demo, users):
    congress = demo["county_congress"]
    window = window_open(
        actor=users["staff"],
        congress=congress,
        year=2027,
        opens_on=date(2026, 11, 1),
        closes_on=date(2026, 12, 31),
        intro="请提出明年的民生实事项目建议。",
    )
    county = demo["county"]
    other_area = Area.objects.create(
        code="430398000000", name="白石县", name_en="", level="county", parent=county.parent
    )
    other_congress = Congress.objects.create(area=other_area, name="白石县人民代表大会")
    outsider = User.objects.create_user(username="outsider", password="x")
    RoleAssignment.objects.create(user=outsider, role=Role.STAFF, area=other_area)
    deputy = Deputy.objects.get(user=users["deputy"])
    mine = deputy_congresses(deputy)
    return SimpleNamespace(
        demo=demo,
        congress=congress,
        window=window,
        staff=users["staff"],
        leader=users["leader"],
        dept=users["dept"],
        deputy_user=users["deputy"],
        deputy=deputy,
        deputy_congress=congress if congress in mine else mine[0],
        other_congress=other_congress,
        outsider=outsider,
    )
