"""The three levels 站—室—家: one rule (lianluo.stations.hierarchy) answers the admin's form,
the services, and shows on the staff's station list and the public station page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from lianluo.core.errors import DomainError
from lianluo.stations.admin import StationAdminForm
from lianluo.stations.hierarchy import station_parent_check
from lianluo.stations.models import Station


@pytest.fixture
def demo(demo_shared):
    return demo_shared


@pytest.mark.parametrize(
    ("kind", "parent"),
    [
        ("hub", None),
        ("hub", "hub"),
        ("station", "hub"),
        ("sector", None),
        ("industry", "hub"),
        ("studio", "station"),
        ("studio", "sector"),
        ("home", "studio"),
        ("contact", "studio"),
        ("contact", "station"),
        ("contact", "hub"),
    ],
)
def test_the_rule_allows_each_level_under_the_one_above(kind, parent):
    station_parent_check(kind=kind, parent_kind=parent)  # no refusal


@pytest.mark.parametrize(
    ("kind", "parent", "code", "words"),
    [
        ("studio", "hub", "parent_kind", "A Deputy studio cannot be placed under a Hub station"),
        ("home", "station", "parent_kind", "A Deputy home cannot be placed under a Liaison"),
        ("home", "hub", "parent_kind", "it belongs under: Deputy studio."),
        ("station", "studio", "parent_kind", "it belongs under: Hub station."),
        ("hub", "station", "parent_kind", "A Hub station cannot be placed under"),
        ("contact", "home", "parent_kind", "A Contact point cannot be placed under a Deputy home"),
        ("studio", None, "parent_required", "A Deputy studio must be placed under a parent"),
        ("home", None, "parent_required", "under a parent station: Deputy studio."),
    ],
)
def test_the_rule_refuses_a_level_out_of_place(kind, parent, code, words):
    with translation.override("en"), pytest.raises(DomainError) as refused:
        station_parent_check(kind=kind, parent_kind=parent)
    assert (refused.value.code, refused.value.field) == (code, "parent")
    assert words in str(refused.value.message)


def test_a_station_with_a_home_under_it_cannot_become_a_home():
    with translation.override("en"), pytest.raises(DomainError) as refused:
        station_parent_check(kind="home", parent_kind="studio", child_kinds=["home"])
    assert (refused.value.code, refused.value.field) == ("child_kind", "kind")
    assert "A Deputy home cannot have a Deputy home under it" in str(refused.value.message)


def _form(demo, **changes):
    hub = demo["cg_hub"]
    data = {
        "code": "cg-x",
        "name": "城关新站",
        "kind": "station",
        "parent": hub.pk,
        "area": hub.area.pk,
        "congress": hub.congress.pk,
        "active": True,
        **changes,
    }
    return StationAdminForm(data=data)


def test_the_admin_refuses_a_home_directly_under_the_hub(demo):
    with translation.override("zh-hans"):
        form = _form(demo, kind="home")
        assert not form.is_valid()
        assert form.errors["parent"] == ["代表之家不能设在总站之下；应设在：代表工作室。"]
    studio = Station.objects.get(code="cg-contact-1")
    assert _form(demo, kind="home", parent=studio.pk).is_valid()


def test_the_admin_refuses_a_studio_that_would_leave_its_home_out_of_place(demo):
    studio = Station.objects.get(code="cg-contact-1")
    data = {
        "code": studio.code,
        "name": studio.name,
        "kind": "station",
        "parent": demo["cg_hub"].pk,
        "area": studio.area_id,
        "congress": studio.congress_id,
        "active": True,
    }
    with translation.override("en"):
        form = StationAdminForm(data=data, instance=studio)
        assert not form.is_valid()
    assert "cannot have a Deputy home under it" in form.errors["kind"][0]


def test_the_demo_county_has_one_chain_station_studio_home(demo):
    home = Station.objects.select_related("parent__parent__parent").get(code="cg-contact-2")
    chain = [home, home.parent, home.parent.parent, home.parent.parent.parent]
    assert [s.kind for s in chain] == ["home", "studio", "sector", "hub"]
    for s in Station.objects.select_related("parent"):
        station_parent_check(kind=s.kind, parent_kind=s.parent.kind if s.parent else None)


def test_the_public_station_page_shows_the_parent_and_the_stations_under_it(demo):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    page = client.get("/s/cg-contact-1/").content.decode()
    assert 'data-testid="parent-station"' in page
    assert "上级站点" in page and 'href="/s/cg-sector-1/"' in page
    assert "下设" in page and "城关村代表之家" in page and 'href="/s/cg-contact-2/"' in page
    # a home has nothing under it
    home = client.get("/s/cg-contact-2/").content.decode()
    assert 'data-testid="child-stations"' not in home and "城关社区代表工作室" in home


def test_the_staff_station_list_shows_each_station_under_its_parent(demo, users):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(users["staff"])
    page = client.get("/reception/").content.decode()
    order = [
        page.index(f'data-testid="station-{code}"')
        for code in ("cg-hub", "cg-sector-1", "cg-contact-1", "cg-contact-2", "cg-sector-2")
    ]
    assert order == sorted(order)
    assert 'data-testid="station-cg-contact-2" data-depth="4"' in page
    assert "上级站点：城关社区代表工作室" in page or "上级站点: 城关社区代表工作室" in page
