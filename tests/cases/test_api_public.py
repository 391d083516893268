"""The public half of the JSON API: stations, deputies, their QR codes, and tracking a case by
its code — nothing personal, labels in the caller's language. And the OpenAPI document lists
the whole contract."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.test import Client
from PIL import Image

from lianluo.stations.models import Station

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def demo(demo_shared):
    return demo_shared


def test_the_station_list_shows_every_open_station(api, demo):
    # given a station that has closed
    Station.objects.filter(code="cg-contact-2").update(active=False)

    # when the mini-program lists the stations
    response = api().get("/api/v1/public/stations")

    # then every open station is there with its QR code's address, the closed one is not
    assert response.status_code == 200
    stations = {s["code"]: s for s in response.json()}
    assert len(stations) == Station.objects.filter(active=True).count()
    assert "cg-contact-2" not in stations
    hub = stations["cg-hub"]
    assert (hub["name"], hub["kind"], hub["parent"]) == ("城关镇人大代表联络总站", "hub", "qx-hub")
    assert hub["qr_png"].endswith("/api/v1/public/stations/cg-hub/qr.png")
    assert hub["url"].endswith("/s/cg-hub/")


def test_a_station_shows_its_deputies_and_reception_days(api, demo):
    # when a citizen's phone opens the Chengguan hub
    response = api().get("/api/v1/public/stations/cg-hub")

    # then it has the address, hours, its deputies and the coming reception days
    assert response.status_code == 200
    station = response.json()
    assert station["address"] == "城关镇政府大院一楼"
    assert demo["deputy"].code in [d["code"] for d in station["deputies"]]
    assert all(day["date"] and day["start"] < day["end"] for day in station["reception_days"])


def test_a_deputy_shows_mandates_and_stations_but_no_private_data(api, demo):
    # given the demo deputy, who has a private phone number and a user account
    deputy = demo["deputy"]

    # when their public page is asked for
    response = api().get(f"/api/v1/public/deputies/{deputy.code}")

    # then it shows who they are and where to meet them
    assert response.status_code == 200
    body = response.json()
    assert (body["code"], body["name"]) == (deputy.code, deputy.name)
    assert body["mandates"] and all(m["congress"] for m in body["mandates"])
    assert "cg-hub" in [s["code"] for s in body["stations"]]
    assert body["qr_png"].endswith(f"/api/v1/public/deputies/{deputy.code}/qr.png")
    # and nothing private
    assert deputy.phone
    assert deputy.phone not in json.dumps(body)
    assert not {"phone", "user", "username", "email"} & set(body)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/public/stations/no-such-station",
        "/api/v1/public/deputies/dep-999",
        "/api/v1/public/stations/no-such-station/qr.png",
        "/api/v1/public/deputies/dep-999/qr.png",
        "/api/v1/public/stations/cg-contact-2",
    ],
)
def test_an_unknown_or_closed_station_or_deputy_is_not_found(api, demo, path):
    # given a station that has closed
    Station.objects.filter(code="cg-contact-2").update(active=False)

    # when it, or an unknown code, is asked for
    response = api().get(path)

    # then 404 not_found
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/public/stations/cg-hub/qr.png",
        "/api/v1/public/deputies/dep-001/qr.png",
        "/s/cg-hub/qr.png",
        "/d/dep-001/qr.png",
    ],
)
def test_qr_codes_are_square_png_images(api, demo, path):
    # when a QR code is asked for
    response = api().get(path)

    # then it is a PNG image, square as QR codes are
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG"
    assert image.width == image.height >= 21


def test_the_tracking_code_is_read_leniently(api, make_case):
    # given a case and its tracking code
    case = make_case()

    # when the citizen types the code in lower case, with spaces around it
    response = api().get(f"/api/v1/public/cases/ {case.tracking_code.lower()} ")

    # then the case is found
    assert response.status_code == 200
    assert response.json()["number"] == case.number


def test_an_unknown_tracking_code_is_not_found(api, make_case):
    # given a case
    make_case()

    # when a code that belongs to no case is asked for, through the API and the page
    response = api().get("/api/v1/public/cases/AAAA-BBBB-CCCC-DDDD")
    page = Client().get("/t/AAAA-BBBB-CCCC-DDDD/")

    # then 404 not_found
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert page.status_code == 404


def test_the_tracking_answer_is_the_contract_and_nothing_more(api, make_case):
    # given an accepted case
    case = make_case(("accept", {"triage": "general"}))

    # when it is tracked
    body = api().get(f"/api/v1/public/cases/{case.tracking_code}").json()

    # then it has exactly the public fields, no names, phones, photos, staff or actors
    assert set(body) == {
        "number",
        "status",
        "status_label",
        "submitted_at",
        "events",
        "merged_into",
        # the citizen's own message and what they were promised and told (issue 12)
        "text",
        "triage",
        "triage_label",
        "deadline",
        "deadline_text",
        "answer",
        "answered_at",
        "rating",
        "rating_label",
        "rating_by",
        "solved",
        "rating_comment",
        "can_rate",
        "rate_until",
    }
    assert case.citizen_phone not in json.dumps(body) and case.citizen_name not in json.dumps(body)
    assert body["merged_into"] is None  # not merged into another case
    assert all(set(e) <= {"at", "status", "status_label", "note", "action"} for e in body["events"])
    assert [e["status"] for e in body["events"]] == ["submitted", "accepted"]


def test_status_labels_are_in_the_callers_language(api, make_case):
    # given an accepted case
    case = make_case(("accept", {"triage": "general"}))
    path = f"/api/v1/public/cases/{case.tracking_code}"

    # when it is tracked from an English and from a Chinese phone
    en, zh = api(language="en").get(path).json(), api(language="zh-hans").get(path).json()

    # then the codes are the same and the labels in each language
    assert en["status"] == zh["status"] == "accepted"
    assert en["status_label"] == "Accepted"
    assert [e["status_label"] for e in en["events"]] == ["Submitted", "Accepted"]
    assert zh["status_label"] != "Accepted"
    assert CJK.search(zh["status_label"])
    assert all(CJK.search(e["status_label"]) for e in zh["events"])


def test_the_tracking_page_shows_the_timeline(make_case):
    # given an answered case
    case = make_case(("accept", {"triage": "general"}), ("answer", {"text": "路灯已修复。"}))

    # when the citizen opens the tracking page in English
    page = Client(HTTP_ACCEPT_LANGUAGE="en").get(f"/t/{case.tracking_code}/")

    # then it shows the number, the status and the answer
    html = page.content.decode()
    assert page.status_code == 200
    assert case.number in html
    assert "Answered" in html
    assert "路灯已修复。" in html


CONTRACT_PATHS = {
    "/api/v1/public/cases": {"post"},
    "/api/v1/public/cases/{tracking_code}": {"get"},
    "/api/v1/public/cases/{tracking_code}/rating": {"post"},
    "/api/v1/public/stations": {"get"},
    "/api/v1/public/stations/{code}": {"get"},
    "/api/v1/public/stations/{code}/qr.png": {"get"},
    "/api/v1/public/deputies/{code}": {"get"},
    "/api/v1/public/deputies/{code}/qr.png": {"get"},
    "/api/v1/auth/token": {"post"},
    "/api/v1/me": {"get"},
    "/api/v1/me/notifications": {"get"},
    "/api/v1/cases": {"get"},
    "/api/v1/cases/{number}": {"get"},
    "/api/v1/cases/{number}/transitions": {"post"},
    "/api/v1/departments": {"get"},
}


def test_the_openapi_document_lists_the_whole_contract(api, demo):
    # when the OpenAPI document is fetched
    response = api().get("/api/v1/openapi.json")

    # then every path and method of the contract is in it
    assert response.status_code == 200
    paths = response.json()["paths"]
    missing = {
        path: methods - set(paths.get(path, {}))
        for path, methods in CONTRACT_PATHS.items()
        if methods - set(paths.get(path, {}))
    }
    assert missing == {}
    # and the staff endpoints say they need the bearer token
    assert paths["/api/v1/cases"]["get"].get("security")
    assert not paths["/api/v1/public/cases"]["post"].get("security")
