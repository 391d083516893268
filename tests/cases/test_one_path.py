"""What issue 8 made single: the actions a user is offered (one `actions_for`, the same on the
page and in the API, the reopen guard in every place), state changes only through
case_transition (the answer passed down to an escalated case is a transition event), and one
rule for the station of a message to a deputy (the form and the API alike)."""

from __future__ import annotations

import pytest
from django.test import Client

from lianluo.cases.errors import CaseCode
from lianluo.cases.intake import intake_form
from lianluo.cases.models import Case, CaseEvent
from lianluo.cases.permissions import actions_for
from lianluo.cases.selectors import deputy_intake_station
from lianluo.cases.services import case_transition
from lianluo.cases.states import Action, CaseStatus
from lianluo.core.errors import Conflict
from lianluo.stations.models import Station, StationMembership


@pytest.fixture
def demo(demo_shared):
    """The demo county, built once for this module (see conftest)."""
    return demo_shared


ANSWERED = [("accept", {"triage": "general"}), ("answer", {"text": "已答复"})]
SATISFIED = [*ANSWERED, ("rate", {"rating": "satisfied"})]
# Dissatisfied, answered again, dissatisfied again: rated, and reopened once already.
TWICE_DISSATISFIED = [
    *ANSWERED,
    ("rate", {"rating": "dissatisfied"}),
    ("answer", {"text": "再次答复"}),
    ("rate", {"rating": "dissatisfied"}),
]


def page_actions(user, case: Case) -> list[str]:
    client = Client()
    client.force_login(user)
    response = client.get(f"/ledger/{case.number}/")
    assert response.status_code == 200
    return [action for action, _label, _form in response.context["action_forms"]]


def api_actions(api, role: str, case: Case) -> list[str]:
    response = api(role).get(f"/api/v1/cases/{case.number}")
    assert response.status_code == 200, response.content
    return response.json()["actions"]


@pytest.mark.parametrize("role", ["staff", "liaison", "deputy", "leader"])
@pytest.mark.parametrize(
    "steps", [[], ANSWERED[:1], ANSWERED, SATISFIED, TWICE_DISSATISFIED], ids=len
)
def test_the_page_and_the_api_offer_the_same_actions(make_case, api, demo, users, role, steps):
    # given a case addressed to the demo deputy, in some state
    case = make_case(*steps, deputy=demo["deputy"], actor=users["staff"])

    # when the user opens it on the ledger page and through the API
    # then both offer exactly what actions_for says
    expected = actions_for(users[role], case)
    assert page_actions(users[role], case) == expected
    assert api_actions(api, role, case) == expected


@pytest.mark.parametrize("steps", [SATISFIED, TWICE_DISSATISFIED], ids=["satisfied", "twice"])
def test_a_case_that_may_not_be_reopened_is_offered_no_reopen_anywhere(
    make_case, api, users, steps
):
    # given a rated case that the guard keeps closed to reopening
    case = make_case(*steps, actor=users["staff"])
    assert case.status == CaseStatus.RATED
    staff = users["staff"]

    # then neither the rule, nor the page, nor the API offers to reopen it
    assert "reopen" not in actions_for(staff, case)
    assert "reopen" not in page_actions(staff, case)
    assert "reopen" not in api_actions(api, "staff", case)
    # and the service refuses it, as a conflict with the case's state, changing nothing
    with pytest.raises(Conflict) as refusal:
        case_transition(case=case, actor=staff, action=Action.REOPEN)
    assert (refusal.value.code, refusal.value.status) == (CaseCode.INVALID_TRANSITION, 409)
    case.refresh_from_db()
    assert case.status == CaseStatus.RATED


def test_the_page_after_a_refused_action_offers_no_reopen(make_case, users):
    # given a case rated satisfied
    case = make_case(*SATISFIED, actor=users["staff"])
    client = Client()
    client.force_login(users["staff"])

    # when an action is sent without its fields (refused: the page is shown again)
    response = client.post(f"/ledger/{case.number}/do/rate/", {})

    # then the page shows the refused form again, and still no reopen
    assert response.status_code == 400
    offered = [a for a, _l, _f in response.context["action_forms"]]
    assert "rate" in offered
    assert "reopen" not in offered


def test_the_answer_from_above_is_a_transition_of_the_escalated_case(make_case, api, users):
    # given a case escalated to the county, whose linked case the county staff answers
    case = make_case(("accept", {"triage": "general"}), actor=users["liaison"])
    case = case_transition(case=case, actor=users["liaison"], action="escalate", reason="县级")
    linked = Case.objects.get(escalated_from=case)
    case_transition(case=linked, actor=users["staff"], action="accept", triage="general")

    # when the linked case is answered
    case_transition(case=linked, actor=users["staff"], action="answer", text="县里已安排")

    # then the case below is answered by its own transition event, naming the case above
    case.refresh_from_db()
    assert case.status == CaseStatus.ANSWERED
    assert case.answered_at is not None
    event = CaseEvent.objects.filter(case=case).latest("id")
    assert (event.action, event.from_status, event.to_status) == (
        "answer",
        "escalated",
        "answered",
    )
    assert (event.public_note, event.data) == ("县里已安排", {"from_case": linked.number})
    assert event.actor == users["staff"]


def test_a_dissatisfied_rating_reopens_by_a_transition_event(make_case, users):
    # given an answered case
    case = make_case(*ANSWERED, actor=users["staff"])

    # when it is rated dissatisfied
    case = case_transition(case=case, actor=users["staff"], action="rate", rating="dissatisfied")

    # then the reopening is an event of its own, marked automatic
    events = list(CaseEvent.objects.filter(case=case).order_by("id"))
    assert [(e.action, e.to_status) for e in events[-2:]] == [
        ("rate", "rated"),
        ("reopen", "reopened"),
    ]
    assert events[-1].data == {"automatic": True}
    assert (case.status, case.reopened_count) == (CaseStatus.REOPENED, 1)


@pytest.fixture
def deputy_of_two_stations(demo):
    """The demo deputy grouped into a second active station, made their primary one: the
    later station in id order, so a rule taking "the first" would miss it."""
    deputy = demo["deputy"]
    taken = StationMembership.objects.filter(deputy=deputy).values("station_id")
    primary = Station.objects.filter(active=True).exclude(pk__in=taken).order_by("-id").first()
    StationMembership.objects.filter(deputy=deputy).update(primary=False)
    StationMembership.objects.create(station=primary, deputy=deputy, primary=True)
    return deputy, primary


def test_a_message_to_a_deputy_goes_to_one_station_through_the_form_and_the_api(
    api, deputy_of_two_stations
):
    deputy, primary = deputy_of_two_stations
    # given the one rule
    assert deputy_intake_station(deputy=deputy) == primary

    # when a citizen writes to the deputy through the page, and another through the API
    page = Client().post(f"/d/{deputy.code}/", {"text": "路灯坏了", "idempotency_key": "p-1"})
    sent = api().post("/api/v1/public/cases", {"deputy": deputy.code, "text": "垃圾没人收"})

    # then both cases go to the deputy's primary station, numbered in its congress
    assert page.status_code == 302, page.content
    assert sent.status_code == 201, sent.content
    by_page = Case.objects.get(idempotency_key="p-1")
    by_api = Case.objects.get(number=sent.json()["number"])
    assert by_page.station == by_api.station == primary
    assert by_page.congress == by_api.congress == primary.congress
    # and the form offers that congress's categories, as the API resolves them
    assert intake_form(deputy=deputy).congress == primary.congress
