"""The scope matrix: every demo role against every kind of record, through the JSON API and the
HTML ledger. A refusal is checked twice: the answer, and that nothing changed."""

from __future__ import annotations

import pytest
from django.test import Client

from lianluo.cases.models import Case, CaseEvent
from lianluo.core.models import AuditLog, Department, OutboxMessage
from lianluo.stations.models import Station

ROLES = ["admin", "staff", "liaison", "deputy", "dept", "other", "leader"]
KINDS = ["station", "other_township", "deputy", "department", "county"]
EVERYTHING = set(KINDS)

# What each role sees. The deputy's case goes to the deputy's station, Chengguan's hub, so the
# liaison officer there sees it too.
SEES = {
    "admin": EVERYTHING,
    "staff": EVERYTHING,
    "leader": EVERYTHING,
    "liaison": {"station", "deputy"},
    "deputy": {"deputy"},
    "dept": {"department"},
    "other": {"other_township"},
}
# Who may take the next step of each record: triage, or for the assigned case, the answer.
ACTS = {
    "admin": EVERYTHING,
    "staff": EVERYTHING,
    "leader": set(),  # leaders read only
    "liaison": {"station", "deputy"},
    "deputy": set(),  # a deputy answers and follows up, but does not triage
    "dept": {"department"},
    "other": {"other_township"},
}
NEXT_STEP = {
    "station": ("accept", {"triage": "general"}),
    "other_township": ("accept", {"triage": "general"}),
    "deputy": ("accept", {"triage": "general"}),
    "department": ("answer", {"text": "已派人修复。"}),
    "county": ("accept", {"triage": "general"}),
}


@pytest.fixture
def demo(demo_shared):
    """The demo county, built once for this module (see conftest)."""
    return demo_shared


@pytest.fixture
def records(demo, make_case) -> dict[str, Case]:
    """One case of each kind, built through the services."""
    housing = Department.objects.get(code="qx-housing")
    escalated = make_case(
        ("accept", {"triage": "major"}),
        ("escalate", {"reason": "需县级统筹"}),
        station=Station.objects.get(code="by-hub"),
    )
    return {
        "station": make_case(),
        "other_township": make_case(station=Station.objects.get(code="hk-hub")),
        "deputy": make_case(deputy=demo["deputy"]),
        "department": make_case(
            ("accept", {"triage": "general"}),
            ("assign", {"department": housing}),
            station=Station.objects.get(code="sq-hub"),
        ),
        "county": Case.objects.get(escalated_from=escalated),
    }


def state(case: Case) -> tuple:
    """Everything a refused request must leave untouched."""
    return (
        Case.objects.filter(pk=case.pk).values().get(),
        CaseEvent.objects.filter(case=case).count(),
        Case.objects.count(),
        OutboxMessage.objects.count(),
        AuditLog.objects.count(),
    )


def html_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_records_are_what_the_matrix_says(records, demo):
    # the matrix only means something if each record is the kind it is named after
    assert records["station"].station.code == "cg-hub"
    assert records["other_township"].station.code == "hk-hub"
    assert records["deputy"].deputy == demo["deputy"]
    assert records["deputy"].station.code == "cg-hub"
    assert records["department"].department.code == "qx-housing"
    assert records["department"].status == "assigned"
    county = records["county"]
    assert (county.station, county.congress.area.code) == (None, "430399000000")
    assert county.number.startswith("430399-")


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_which_case_in_the_api(api, records, role):
    # given one case of each kind and a user of one role
    client = api(role)

    # when the user lists the ledger and opens each case
    listing = client.get("/api/v1/cases", page_size=100)
    details = {kind: client.get(f"/api/v1/cases/{case.number}") for kind, case in records.items()}

    # then exactly the cases in the user's scope are listed and open
    assert listing.status_code == 200
    listed = {c["number"] for c in listing.json()["results"]}
    assert {kind for kind, case in records.items() if case.number in listed} == SEES[role]
    assert {kind for kind, r in details.items() if r.status_code == 200} == SEES[role]
    # and the others are not found, not forbidden: their existence is not given away
    for kind, response in details.items():
        if kind not in SEES[role]:
            assert (response.status_code, response.json()["code"]) == (404, "not_found")
        else:
            assert response.json()["number"] == records[kind].number


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_which_case_in_the_html_ledger(users, records, role):
    # given one case of each kind and a signed-in user of one role
    client = html_client(users[role])

    # when the user opens the ledger and each case's page
    ledger = client.get("/ledger/")
    pages = {kind: client.get(f"/ledger/{case.number}/") for kind, case in records.items()}

    # then exactly the cases in the user's scope are listed and open; the others are 404
    assert ledger.status_code == 200
    html = ledger.content.decode()
    listed = {kind for kind, case in records.items() if f"/ledger/{case.number}/" in html}
    assert listed == SEES[role]
    assert {kind: r.status_code for kind, r in pages.items()} == {
        kind: 200 if kind in SEES[role] else 404 for kind in KINDS
    }


@pytest.mark.parametrize("role", ROLES)
def test_who_may_act_on_which_case(api, users, records, role):
    # given one case of each kind and a user of one role
    outcomes, unchanged = {}, {}

    # when the user takes each case's next step: through the API where it is theirs to take,
    # and where it is not, through the HTML ledger and the API both
    for kind, case in records.items():
        action, fields = NEXT_STEP[kind]
        before = state(case)
        body = {"action": action, **fields}
        if kind in ACTS[role]:
            response = api(role).post(f"/api/v1/cases/{case.number}/transitions", body)
            outcomes[kind] = "done" if response.status_code == 200 else response.content
            continue
        form = {f"{action}-{name}": value for name, value in fields.items()}
        page = html_client(users[role]).post(f"/ledger/{case.number}/do/{action}/", form)
        response = api(role).post(f"/api/v1/cases/{case.number}/transitions", body)
        outcomes[kind] = (page.status_code, response.status_code, response.json()["code"])
        unchanged[kind] = state(case) == before

    # then the user in charge did it, recorded as theirs; outside their scope it is 404;
    # inside it but not theirs to do (a leader, a deputy's triage) it is refused; and a
    # refusal changed nothing
    expected = {
        kind: "done"
        if kind in ACTS[role]
        else (400, 403, "not_allowed")
        if kind in SEES[role]
        else (404, 404, "not_found")
        for kind in KINDS
    }
    assert outcomes == expected
    assert unchanged == {kind: True for kind in KINDS if kind not in ACTS[role]}
    for kind in ACTS[role]:
        event = CaseEvent.objects.filter(case=records[kind]).last()
        assert (event.action, event.actor) == (NEXT_STEP[kind][0], users[role])


def test_a_liaison_officer_acts_through_the_html_ledger(users, records):
    # given a submitted case at the liaison officer's station
    case = records["station"]

    # when the officer accepts it through the case's page
    page = html_client(users["liaison"]).post(
        f"/ledger/{case.number}/do/accept/", {"accept-triage": "simple"}
    )

    # then it is accepted and the page goes back to the case
    assert page.status_code == 302
    assert page["Location"] == f"/ledger/{case.number}/"
    case.refresh_from_db()
    assert (case.status, case.triage) == ("accepted", "simple")


def test_nobody_signed_out_reads_or_acts_on_the_ledger(api, records):
    # given a case, and a visitor without a token or a session
    case = records["station"]
    before = state(case)

    # when they ask for the ledger, the case, or an action
    api_list = api().get("/api/v1/cases")
    api_act = api().post(f"/api/v1/cases/{case.number}/transitions", {"action": "decline"})
    html = Client().get(f"/ledger/{case.number}/")
    html_act = Client().post(f"/ledger/{case.number}/do/accept/", {"accept-triage": "simple"})

    # then the API wants a token, the pages send them to sign in, and nothing changed
    assert (api_list.status_code, api_act.status_code) == (401, 401)
    assert api_list.json()["code"] == "unauthorized"
    assert html.status_code == html_act.status_code == 302
    assert html["Location"].startswith("/accounts/login/")
    assert state(case) == before


@pytest.mark.parametrize(
    ("role", "station_codes", "has_deputy", "area"),
    [
        ("admin", [], False, None),
        ("staff", [], False, "430399000000"),
        ("leader", [], False, "430399000000"),
        ("liaison", ["cg-hub"], False, None),
        ("other", ["hk-hub"], False, None),
        ("deputy", ["cg-hub"], True, None),
        ("dept", [], False, None),
    ],
)
def test_me_says_who_the_user_is_and_what_they_cover(
    api, demo, role, station_codes, has_deputy, area
):
    # when each demo user asks who they are
    response = api(role).get("/api/v1/me")

    # then they get their roles, area, stations and deputy record
    assert response.status_code == 200
    me = response.json()
    assert me["username"] == role
    expected_role = {"dept": "department", "other": "liaison"}.get(role, role)
    assert expected_role in me["roles"]
    assert (me["area"] or {}).get("code") == area
    assert [s["code"] for s in me["stations"]] == station_codes
    assert all(s["name"] for s in me["stations"])
    assert (me["deputy"] is not None) is has_deputy
    if has_deputy:
        assert me["deputy"]["code"] == demo["deputy"].code
