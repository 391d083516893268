"""The staff half of the JSON API: the scoped ledger list with its filters and pages, a case's
detail, and the departments a user may hand cases to."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from lianluo.cases.models import Category
from lianluo.core.models import Area, Department, User
from lianluo.stations.models import Station

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 3, 10, 9, 0, tzinfo=SHANGHAI)


@pytest.fixture
def demo(demo_shared):
    """The demo county, built once for this module (see conftest)."""
    return demo_shared


def numbers(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {c["number"] for c in response.json()["results"]}


@pytest.fixture
def ledger(make_case, demo) -> dict:
    """A small ledger: cases in several states, stations, classes and categories, accepted
    on 10 March."""
    hk = Station.objects.get(code="hk-hub")
    transport = Category.objects.get(code="transport", congress=demo["cg_hub"].congress)
    housing = Department.objects.get(code="qx-housing")
    with time_machine.travel(NOW, tick=False):
        cases = {
            "new": make_case(text="东门路灯坏了"),
            "general": make_case(
                ("accept", {"triage": "general"}), text="河口公交太少", station=hk
            ),
            "simple": make_case(("accept", {"triage": "simple", "category": transport})),
            "major": make_case(("accept", {"triage": "major"})),
            "assigned": make_case(
                ("accept", {"triage": "general"}), ("assign", {"department": housing})
            ),
            "declined": make_case(("decline", {"reason": "petition"})),
        }
    return {name: case.number for name, case in cases.items()}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {"new", "general", "simple", "major", "assigned", "declined"}),
        ({"status": "accepted"}, {"general", "simple", "major"}),
        ({"status": "open"}, {"new", "general", "simple", "major", "assigned"}),
        ({"status": "declined"}, {"declined"}),
        ({"station": "hk-hub"}, {"general"}),
        ({"triage": "major"}, {"major"}),
        ({"category": "transport"}, {"simple"}),
        ({"q": "公交"}, {"general"}),
        ({"q": "路灯"}, {"new", "simple", "major", "assigned", "declined"}),
        ({"status": "accepted", "station": "cg-hub"}, {"simple", "major"}),
    ],
)
def test_the_ledger_list_filters(api, ledger, params, expected):
    # when staff filter the ledger
    found = numbers(api("staff").get("/api/v1/cases", **params))

    # then exactly the matching cases come back
    assert found == {ledger[name] for name in expected}


@pytest.mark.parametrize(
    ("days_later", "deadline", "expected"),
    [
        (5, "overdue", {"simple"}),
        (5, "due_soon", set()),
        (29, "due_soon", {"general", "assigned"}),
        (29, "overdue", {"simple"}),
        (40, "overdue", {"simple", "general", "assigned"}),
        (100, "overdue", {"simple", "general", "major", "assigned"}),
    ],
)
def test_the_ledger_list_finds_overdue_and_due_soon_cases(
    api, ledger, days_later, deadline, expected
):
    # given the ledger accepted on 10 March: simple cases due that day, general ones in 30
    # days, major ones in 90; a congress calls a case due soon 3 days before its deadline
    client = api("staff")

    # when staff look for overdue or due-soon cases some days later
    with time_machine.travel(NOW + timedelta(days=days_later), tick=False):
        found = numbers(client.get("/api/v1/cases", deadline=deadline))

    # then exactly the cases still waiting for an answer past (or near) their deadline
    assert found == {ledger[name] for name in expected}


def test_an_answered_case_is_never_overdue(api, make_case):
    # given a case accepted on 10 March and answered
    with time_machine.travel(NOW, tick=False):
        case = make_case(("accept", {"triage": "simple"}), ("answer_on_spot", {"text": "已答复"}))

    # when staff look for overdue cases a year later
    with time_machine.travel(NOW + timedelta(days=365), tick=False):
        found = numbers(api("staff").get("/api/v1/cases", deadline="overdue"))

    # then it is not among them
    assert case.number not in found


def test_the_ledger_list_comes_in_pages(api, ledger):
    # when staff page through the ledger two at a time
    client = api("staff")
    pages = [client.get("/api/v1/cases", page_size=2, page=p).json() for p in (1, 2, 3, 4)]

    # then each page holds two, the count is the whole ledger, nothing repeats, and past the
    # end a page is empty
    assert [p["count"] for p in pages] == [6, 6, 6, 6]
    assert [len(p["results"]) for p in pages] == [2, 2, 2, 0]
    seen = [c["number"] for p in pages for c in p["results"]]
    assert sorted(seen) == sorted(ledger.values())
    # and the newest comes first
    created = [c["created_at"] for c in pages[0]["results"] + pages[1]["results"]]
    assert created == sorted(created, reverse=True)


def test_a_page_size_is_kept_within_bounds(api, ledger):
    # when a client asks for far too many or too few per page
    client = api("staff")
    big = client.get("/api/v1/cases", page_size=10_000).json()
    small = client.get("/api/v1/cases", page_size=0).json()

    # then the page size is clamped
    assert big["page_size"] == 100
    assert small["page_size"] == 1
    assert len(small["results"]) == 1


def test_a_cases_detail_has_the_text_the_history_and_the_next_steps(api, ledger):
    # when staff open an assigned case
    detail = api("staff").get(f"/api/v1/cases/{ledger['assigned']}").json()

    # then they see the message, the department, the steps so far and what may come next
    assert detail["text"] == "村口路灯坏了"
    assert detail["department"] == "qx-housing"
    assert detail["tracking_code"]
    assert [e["action"] for e in detail["events"]] == ["submit", "accept", "assign"]
    assert all(e["status_label"] for e in detail["events"])
    assert detail["events"][1]["actor"] == "县人大代表工委 刘明"
    assert detail["actions"] == ["answer"]


def test_a_reader_gets_no_tracking_code_and_no_next_steps(api, ledger):
    # when a leader (who reads but does not handle) opens a case
    detail = api("leader").get(f"/api/v1/cases/{ledger['new']}").json()

    # then the tracking code (the citizen's key to the case) is withheld, and there is
    # nothing for them to do
    assert detail["tracking_code"] == ""
    assert detail["actions"] == []


def test_an_unknown_case_is_not_found(api, ledger):
    # when staff open a number that does not exist
    response = api("staff").get("/api/v1/cases/430399100-2026-999999")

    # then 404 not_found
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.fixture
def township_departments(demo) -> None:
    """A department of each of two townships, and a county one that has closed."""
    for code, area in [("cg-office", "430399100000"), ("hk-office", "430399101000")]:
        Department.objects.create(code=code, name=code, area=Area.objects.get(code=area))
    Department.objects.create(
        code="qx-closed", name="撤销的局", area=Area.objects.get(code="430399000000"), active=False
    )


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("staff", {"qx-housing", "qx-transport", "qx-hrss", "qx-agri", "cg-office", "hk-office"}),
        ("liaison", {"qx-housing", "qx-transport", "qx-hrss", "qx-agri", "cg-office"}),
        ("other", {"qx-housing", "qx-transport", "qx-hrss", "qx-agri", "hk-office"}),
        ("leader", set()),
        ("dept", set()),
        ("deputy", set()),
    ],
)
def test_departments_are_those_the_user_may_hand_cases_to(
    api, township_departments, role, expected
):
    # when a user asks which departments they may assign to
    response = api(role).get("/api/v1/departments")

    # then they get the active ones of their own area's line, never a sibling township's
    assert response.status_code == 200
    assert {d["code"] for d in response.json()} == expected
    assert all(d["name"] and d["area"] for d in response.json())


def test_the_ledger_list_filters_by_channel(api, ledger, make_case):
    # given a case taken at a reception day beside the ledger's QR-code cases
    with time_machine.travel(NOW, tick=False):
        reception = make_case(text="接待日反映路灯", channel="reception").number

    # then the channel filter keeps exactly the matching cases, with the other filters
    staff = api("staff")
    assert numbers(staff.get("/api/v1/cases", channel="reception")) == {reception}
    both = numbers(staff.get("/api/v1/cases", channel="station_qr", status="declined"))
    assert both == {ledger["declined"]}
    assert numbers(staff.get("/api/v1/cases", channel="deputy_qr")) == set()
    # and the ledger page offers it
    page = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    page.force_login(User.objects.get(username="staff"))
    html = page.get("/ledger/", {"channel": "reception"}).content.decode()
    assert reception in html and ledger["declined"] not in html
    assert '<option value="reception" selected>' in html
