"""The station's public board shows the deputies by name, never their internal codes, and the
public station page links to it."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import timezone

from lianluo.board.publications import publication_publish
from lianluo.deputies.models import Deputy
from lianluo.duty.models import DutyItem
from lianluo.duty.services import catalog_install_default
from tests.factories.duty import entry_registered

pytestmark = pytest.mark.clock("2026-06-10T10:00")


def test_the_public_board_shows_names_and_no_deputy_code(demo, users):
    # Given the 城关 hub's ranking published, one member with points
    station = demo["cg_hub"]
    today = timezone.localdate()
    catalog_install_default(congress=station.congress, year=today.year, actor=users["staff"])
    item = DutyItem.objects.get(congress=station.congress, year=today.year, code="session")
    entry_registered(users["liaison"], demo["deputy"], item)
    publication = publication_publish(
        actor=users["liaison"],
        station=station,
        title="城关联络站代表履职积分公示",
        period_start=today.replace(month=1, day=1),
        period_end=today,
        visible_days=15,
        objection_days=7,
    )
    members = list(Deputy.objects.filter(memberships__station=station))
    assert len(publication.ranking) == len(members) > 1

    # When a citizen opens the public board
    page = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").get(f"/board/{station.code}/").content.decode()

    # Then every ranked deputy shows by name, the first with the points, and no code anywhere
    assert 'data-testid="name-1">' + demo["deputy"].name + "<" in page
    for deputy in members:
        assert deputy.name in page
        assert deputy.code not in page
    assert not re.search(r"dep-\d{3}", page)

    # While the staff's own page of the publication still names the codes
    staff = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    staff.force_login(users["liaison"])
    inside = staff.get(f"/board/publications/{publication.pk}/").content.decode()
    assert demo["deputy"].code in inside


def test_the_station_page_links_its_public_board(demo):
    station = demo["cg_hub"]
    page = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").get(f"/s/{station.code}/").content.decode()
    assert f'href="/board/{station.code}/" data-testid="board-link"' in page
    assert "积分公示栏" in page
    assert Client().get(f"/board/{station.code}/").status_code == 200
