"""`POST/GET /api/v1/stations/{code}/receptions`: the record of a reception held today or on a
past day within the window (its day made when none was scheduled), and the list of a period."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from lianluo.cases.models import Case
from lianluo.duty.models import PointEntry
from lianluo.duty.services import catalog_install_default
from lianluo.stations.models import ReceptionDay, ReceptionRecord

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 2, 10, 0, tzinfo=SH)
UNSCHEDULED = date(2026, 11, 20)  # a Friday: the demo stations receive on Wednesdays


@pytest.fixture
def demo(demo_shared):
    return demo_shared


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def members(demo):
    return [m.deputy for m in demo["cg_hub"].memberships.order_by("deputy__code")[:2]]


def test_a_past_unscheduled_reception_is_recorded_with_its_day(api, demo):
    catalog_install_default(congress=demo["cg_hub"].congress, year=2026, actor=None)
    assert not ReceptionDay.objects.filter(station=demo["cg_hub"], date=UNSCHEDULED).exists()
    d1, d2 = members(demo)
    # a case taken at a reception that day, recorded before the reception's record
    taken = api("liaison").post(
        "/api/v1/cases",
        {
            "station": "cg-hub",
            "text": "反映供水",
            "channel": "reception",
            "occurred_at": "2026-11-20",
        },
    )
    assert taken.status_code == 201

    response = api("liaison").post(
        "/api/v1/stations/cg-hub/receptions",
        {
            "date": "2026-11-20",
            "citizens": 9,
            "deputies": [d1.code, d2.code],
            "officials": [{"name": "王立军", "title": "副局长"}],
            "note": "接待群众",
        },
    )

    assert response.status_code == 201, response.content
    body = response.json()
    day = ReceptionDay.objects.get(pk=body["id"])
    assert (day.station, day.date) == (demo["cg_hub"], UNSCHEDULED)
    assert (body["citizens"], body["deputies"], body["note"]) == (9, [d1.code, d2.code], "接待群众")
    assert body["cases"] == [taken.json()["number"]]
    assert Case.objects.get(number=taken.json()["number"]).reception_day == day
    assert PointEntry.objects.filter(item__code="reception", deputy__in=[d1, d2]).count() == 2

    listed = api("liaison").get(
        "/api/v1/stations/cg-hub/receptions", **{"from": "2026-11-19", "to": "2026-11-21"}
    )
    assert listed.status_code == 200
    assert [(r["id"], r["citizens"]) for r in listed.json()] == [(day.pk, 9)]


@pytest.mark.parametrize(("on", "code"), [("2026-10-31", "past"), ("2026-12-03", "future")])
def test_a_day_outside_the_window_is_refused_at_the_date(api, on, code):
    before = (ReceptionDay.objects.count(), ReceptionRecord.objects.count())
    response = api("liaison").post(
        "/api/v1/stations/cg-hub/receptions", {"date": on, "citizens": 1, "deputies": []}
    )
    assert response.status_code == 422
    assert (response.json()["code"], response.json()["field"]) == (code, "date")
    assert (ReceptionDay.objects.count(), ReceptionRecord.objects.count()) == before


def test_a_deputy_of_another_station_and_another_stations_officer_are_refused(api, demo):
    outsider = demo["stations"][demo["townships"][1].code][0].memberships.first().deputy
    refused = api("liaison").post(
        "/api/v1/stations/cg-hub/receptions",
        {"date": "2026-11-20", "citizens": 1, "deputies": [outsider.code]},
    )
    assert (refused.status_code, refused.json()["field"]) == (422, "deputies")
    assert not ReceptionRecord.objects.filter(reception_day__date=UNSCHEDULED).exists()
    assert (
        api("other")
        .post("/api/v1/stations/cg-hub/receptions", {"date": "2026-11-20", "citizens": 1})
        .status_code
        == 404
    )
    assert api("other").get("/api/v1/stations/cg-hub/receptions").status_code == 404
    assert api("deputy").get("/api/v1/stations/cg-hub/receptions").status_code == 404
