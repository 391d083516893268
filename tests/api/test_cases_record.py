"""`POST /api/v1/cases`: a matter recorded by a deputy, an officer or staff becomes a numbered
case (the staff case's schema), with its refusals at their fields."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from lianluo.cases.models import Case
from lianluo.cases.reception.services import reception_day_for_record
from lianluo.duty.models import PointEntry
from lianluo.duty.services import catalog_install_default
from lianluo.stations.models import ReceptionDay, Station

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 2, 10, 0, tzinfo=SH)


@pytest.fixture
def demo(demo_shared):
    return demo_shared


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def post(api, role, headers=None, **body):
    client = api(role)
    client.headers.update(headers or {})
    payload = {"station": "cg-hub", "text": "路灯不亮", "channel": "visit", **body}
    return client.post("/api/v1/cases", payload)


def test_a_deputy_records_a_visit_for_themselves(api, demo):
    catalog_install_default(congress=demo["cg_hub"].congress, year=2026, actor=None)
    response = post(api, "deputy", occurred_at="2026-11-30", place="北街", phone="13812345678")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["channel"], body["station"], body["place"]) == ("visit", "cg-hub", "北街")
    assert body["responsible_deputy"] == demo["deputy"].code
    assert body["created_at"].startswith("2026-11-30")
    assert body["events"][0]["action"] == "submit"
    assert PointEntry.objects.filter(deputy=demo["deputy"], item__code="case_recorded").count() == 1


def test_a_deputy_names_no_other_deputy(api, demo):
    other = demo["cg_hub"].memberships.exclude(deputy=demo["deputy"]).first().deputy
    before = Case.objects.count()
    response = post(api, "deputy", deputy=other.code)
    assert (response.status_code, response.json()["field"]) == (422, "deputy")
    assert Case.objects.count() == before


@pytest.mark.parametrize(
    ("body", "status", "code", "field"),
    [
        ({"channel": "station_qr"}, 422, "invalid", "channel"),
        ({"occurred_at": "2026-10-31"}, 422, "date_too_old", "occurred_at"),
        ({"occurred_at": "2026-12-03"}, 422, "date_in_future", "occurred_at"),
        ({"occurred_at": "2026-12-02T11:00:00+08:00"}, 422, "date_in_future", "occurred_at"),
        ({"station": "hk-hub"}, 403, "not_allowed", "station"),
        ({"deputy": "dep-nobody"}, 422, "invalid_value", "deputy"),
    ],
)
def test_refusals_at_their_fields_record_nothing(api, body, status, code, field):
    before = Case.objects.count()
    response = post(api, "liaison", **body)
    assert response.status_code == status, response.content
    assert (response.json()["code"], response.json()["field"]) == (code, field)
    assert Case.objects.count() == before


def test_a_reception_of_another_station_is_refused(api, demo):
    day = ReceptionDay.objects.filter(station=Station.objects.get(code="hk-hub")).first()
    response = post(api, "staff", channel="reception", reception=day.pk)
    assert (response.status_code, response.json()["field"]) == (422, "reception")


def test_a_reception_of_the_station_links_the_case(api, demo, users):
    # a reception held three days ago (its day made for the record, as the page does)
    day = reception_day_for_record(
        actor=users["liaison"],
        station=demo["cg_hub"],
        on=timezone.localdate() - timedelta(days=3),
    )
    response = post(api, "liaison", channel="reception", reception=day.pk)
    assert response.status_code == 201
    case = Case.objects.get(number=response.json()["number"])
    assert case.reception_day == day
    assert case.created_at.astimezone(SH).date() == day.date


def test_the_idempotency_key_header_returns_the_same_case(api):
    key = {"Idempotency-Key": "field-1"}
    first = post(api, "liaison", headers=key)
    again = post(api, "liaison", headers=key)
    other = post(api, "liaison", headers=key, text="另一件事")
    assert (first.status_code, again.status_code, other.status_code) == (201, 200, 409)
    assert first.json()["number"] == again.json()["number"]
    assert Case.objects.filter(text="另一件事").count() == 0
