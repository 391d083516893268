"""`GET /api/v1/stats` and `GET /api/v1/public/stations/{code}/stats`: the contract's fields,
the viewer's scope, and clear refusals of bad periods."""

from __future__ import annotations

import pytest
from django.utils import timezone

from lianluo.cases.states import Channel
from lianluo.core.models import Area

FIELDS = {
    "received", "by_channel", "accepted", "answered_on_spot", "assigned", "escalated",
    "converted", "closed", "closed_on_time", "overdue", "rated", "satisfied",
    "basically_satisfied", "dissatisfied", "closure_rate", "on_time_rate", "satisfaction_rate",
    "citizens_received", "receptions", "activities", "suggestions_formed",
}  # fmt: skip


@pytest.fixture
def demo(demo_shared):
    return demo_shared


def test_the_contract_for_a_county(api, demo, make_case):
    make_case(("accept", {"triage": "simple"}), channel=Channel.STATION_QR)
    make_case(channel=Channel.DEPUTY_QR)
    body = api("staff").get("/api/v1/stats", scope=demo["county"].code).json()
    assert set(body) >= FIELDS
    assert body["scope"] == demo["county"].code
    assert body["received"] == 2 and body["accepted"] == 1
    assert body["by_channel"] == {
        "station_qr": 1,
        "deputy_qr": 1,
        "reception": 0,
        "visit": 0,
        "staff": 0,
    }
    # nothing closed, nothing rated: the rates are null, never 0
    assert body["satisfaction_rate"] is None and body["on_time_rate"] is None
    assert body["closure_rate"] == 0.0  # one accepted, none closed
    assert all(isinstance(body[k], int) for k in FIELDS - {"by_channel"} if "rate" not in k)


def test_a_period_and_a_station(api, demo, make_case):
    make_case()
    station = demo["cg_hub"].code
    first = f"{timezone.localdate().year - 1}-01-01"
    body = api("staff").get("/api/v1/stats", scope=station, **{"from": first}).json()
    assert body["scope"] == station and body["from"] == first
    assert body["received"] == 1
    empty = api("staff").get(
        "/api/v1/stats", scope=station, **{"from": "2001-01-01", "to": "2001-12-31"}
    )
    assert empty.json()["received"] == 0 and empty.json()["to"] == "2001-12-31"


def test_scope(api, demo):
    # the township liaison officer sees their station, not the county
    response = api("liaison").get("/api/v1/stats", scope=demo["county"].code)
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert api("liaison").get("/api/v1/stats", scope=demo["cg_hub"].code).status_code == 200
    # their own when they name none
    assert api("liaison").get("/api/v1/stats").json()["scope"] == demo["cg_hub"].code
    # a department handler has no area or station
    assert api("dept").get("/api/v1/stats").status_code == 403
    assert api().get("/api/v1/stats").status_code == 401
    assert api("staff").get("/api/v1/stats", scope="nowhere").status_code == 404
    # staff of the county do not see the province above them
    province = Area.objects.get(pk=demo["county"].parent.parent_id)
    assert api("staff").get("/api/v1/stats", scope=province.code).status_code == 403


@pytest.mark.parametrize(
    ("params", "field", "zh", "en"),
    [
        ({"from": "2026-13-01"}, "from", "YYYY-MM-DD", "YYYY-MM-DD"),
        ({"from": "2026-03-01", "to": "2026-02-01"}, "to", "结束日期早于开始日期", "ends before"),
        ({"from": "1990-01-01", "to": "1990-02-01"}, "from", "超出范围", "out of range"),
        ({"from": "2000-01-01", "to": "2026-12-31"}, "from", "最长6年", "at most 6 years"),
    ],
)
def test_bad_periods_are_refused_clearly(api, demo, params, field, zh, en):
    for language, words in (("zh-hans", zh), ("en", en)):
        response = api("staff", language=language).get("/api/v1/stats", **params)
        assert response.status_code == 422
        assert response.json()["code"] == "bad_period" and response.json()["field"] == field
        assert words in response.json()["message"]


def test_public_station_stats(api, demo, make_case):
    make_case()
    body = api().get(f"/api/v1/public/stations/{demo['cg_hub'].code}/stats").json()
    assert body["received"] == 1 and body["scope"] == demo["cg_hub"].code
    assert api().get("/api/v1/public/stations/nowhere/stats").status_code == 404
