"""Open data: the active stations and the deputies as public JSON, with exactly the public
fields (no phone, no ID, no account), no inactive station, cacheable, linked from the portal."""

from __future__ import annotations

import pytest
from django.test import Client

from lianluo.deputies.models import Deputy, Mandate
from lianluo.stations.models import Station

STATION_KEYS = {
    "code",
    "name",
    "kind",
    "kind_label",
    "area",
    "address",
    "hours",
    "congress",
    "url",
    "reception_rules",
}
DEPUTY_KEYS = {"code", "name", "levels", "level_labels", "stations", "url"}


@pytest.fixture
def demo(demo_shared):
    return demo_shared


def _get(path: str):
    response = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "public" in response["Cache-Control"] and "max-age=3600" in response["Cache-Control"]
    return response.json()


@pytest.mark.django_db
def test_stations_have_only_public_fields_and_no_inactive_station(demo):
    closed = Station.objects.get(code="hk-hub")
    closed.active = False
    closed.save(update_fields=["active"])
    data = _get("/opendata/stations.json")
    codes = [s["code"] for s in data["stations"]]
    assert codes == sorted(Station.objects.filter(active=True).values_list("code", flat=True))
    assert "hk-hub" not in codes
    assert all(set(s) == STATION_KEYS for s in data["stations"])
    hub = next(s for s in data["stations"] if s["code"] == demo["cg_hub"].code)
    assert hub["name"] == demo["cg_hub"].name and hub["url"].endswith(f"/s/{hub['code']}/")
    assert set(hub["area"]) == {"code", "name"}
    assert all(isinstance(line, str) for line in hub["reception_rules"])
    assert any("接待群众" in line for s in data["stations"] for line in s["reception_rules"])


@pytest.mark.django_db
def test_deputies_have_no_personal_field_and_only_active_stations(demo):
    Station.objects.filter(code="hk-hub").update(active=False)
    deputy = Deputy.objects.filter(memberships__station__code="hk-hub").first()
    assert deputy is not None
    Deputy.objects.filter(pk=deputy.pk).update(phone="13900001111")
    past = Deputy.objects.exclude(pk=deputy.pk).order_by("code").last()
    Mandate.objects.filter(deputy=past).update(active=False)  # their term ended
    response = Client().get("/opendata/deputies.json")
    assert "13900001111" not in response.content.decode()
    data = _get("/opendata/deputies.json")
    assert all(set(d) == DEPUTY_KEYS for d in data["deputies"])
    assert all("hk-hub" not in d["stations"] for d in data["deputies"])
    mine = next(d for d in data["deputies"] if d["code"] == deputy.code)
    assert mine["name"] == deputy.name and mine["url"].endswith(f"/d/{deputy.code}/")
    assert mine["level_labels"] == deputy.level_labels()
    expected = set(Mandate.objects.filter(active=True).values_list("deputy__code", flat=True))
    assert {d["code"] for d in data["deputies"]} == expected
    assert past.code not in expected  # a past deputy is not listed


@pytest.mark.django_db
def test_the_portal_links_the_open_data(demo):
    html = Client().get("/").content.decode()
    assert 'href="/opendata/stations.json"' in html and 'href="/opendata/deputies.json"' in html
