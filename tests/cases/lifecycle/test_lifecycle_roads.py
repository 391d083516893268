"""The side roads of a case's lifecycle through the JSON API (escalate, convert, reopen) and
what it refuses: illegal transitions, unknown actions, missing fields, records out of scope."""

from __future__ import annotations

import pytest
from django.utils.translation import override

from lianluo.cases.models import Case
from lianluo.cases.states import Action, CaseStatus
from lianluo.core.models import (
    Area,
    Department,
    OutboxMessage,
)
from lianluo.suggestions.models import Suggestion
from tests.cases.lifecycle.steps import (
    NOW,
    PHONE,
    act,
    state,
    submit,
    track,
)


def test_escalating_opens_a_linked_case_in_the_county_queue_whose_answer_comes_back(api, users):
    # given a township case accepted by the station's liaison officer
    sent = submit(api)
    number, liaison, staff = sent["number"], api("liaison"), api("staff")
    act(liaison, number, "accept", triage="major")

    # when the liaison officer escalates it to the county congress
    response = act(liaison, number, "escalate", reason="需县级统筹资金")

    # then the case is escalated and linked to a new case numbered in the county's ledger
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "escalated"
    linked_number = response.json()["escalated_to"]
    assert linked_number == f"430399-{NOW.year}-000001"
    linked = Case.objects.get(number=linked_number)
    assert linked.congress.area.code == "430399000000"
    assert linked.escalated_from.number == number
    assert (linked.text, linked.citizen_phone) == ("村口路灯坏了两个月", PHONE)
    # and it waits in the county staff's queue, who are notified
    queue = staff.get("/api/v1/cases", status="submitted").json()
    assert linked_number in [c["number"] for c in queue["results"]]
    detail = staff.get(f"/api/v1/cases/{linked_number}").json()
    assert (detail["escalated_from"], detail["channel"]) == (number, "escalation")
    assert OutboxMessage.objects.filter(
        recipient=users["staff"], kind="case_escalated", subject__contains=linked_number
    ).exists()
    # but not in the township liaison officer's: it is the county's case now
    assert liaison.get(f"/api/v1/cases/{linked_number}").status_code == 404
    # and the citizen reads where it went, not the internal reason
    escalated = track(api, sent["tracking_code"])["events"][-1]
    assert escalated["status"] == "escalated"
    assert "青溪县人民代表大会" in escalated["note"]
    assert "需县级统筹资金" not in escalated["note"]

    # when the county accepts and answers the linked case
    act(staff, linked_number, "accept", triage="general")
    answered = act(staff, linked_number, "answer", text="县财政已安排专项资金维修。")

    # then the original case is answered with the same answer, shown to the citizen
    assert answered.status_code == 200, answered.content
    assert liaison.get(f"/api/v1/cases/{number}").json()["status"] == "answered"
    last = track(api, sent["tracking_code"])["events"][-1]
    assert last["status"] == "answered"
    assert "县财政已安排专项资金维修。" in last["note"]


def test_a_county_case_cannot_be_escalated_further_than_the_top(api, demo):
    # given a case at the county hub, escalated to the city, then to the province
    sent = submit(api, station="qx-hub")
    admin = api("admin")
    act(admin, sent["number"], "accept", triage="major")
    city = act(admin, sent["number"], "escalate", reason="市级").json()["escalated_to"]
    assert city.startswith("430300-")
    act(admin, city, "accept", triage="major")
    province = act(admin, city, "escalate", reason="省级").json()["escalated_to"]
    assert province.startswith("430000-")
    act(admin, province, "accept", triage="major")
    before = state(province)

    # when the provincial case is escalated
    response = act(admin, province, "escalate", reason="再往上")

    # then there is no congress above: refused, nothing changed
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    assert state(province) == before


def test_converting_files_a_draft_suggestion_for_the_responsible_deputy(api, demo, users):
    # given a case addressed to a deputy and accepted
    deputy = demo["deputy"]
    sent = submit(api, station=None, deputy=deputy.code)
    act(api("staff"), sent["number"], "accept", triage="general")

    # when staff convert it into a suggestion
    response = act(api("staff"), sent["number"], "convert")

    # then the case is converted and a draft suggestion carries its text
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "converted"
    case = Case.objects.get(number=sent["number"])
    suggestion = Suggestion.objects.get()
    assert case.suggestion == suggestion
    assert (suggestion.text, suggestion.deputy, suggestion.status) == (case.text, deputy, "draft")
    assert suggestion.congress == case.congress
    assert suggestion.created_by == users["staff"]
    assert track(api, sent["tracking_code"])["events"][-1]["status"] == "converted"


def test_a_dissatisfied_rating_reopens_the_case_once(api):
    # given an answered case
    sent = submit(api)
    number, staff = sent["number"], api("staff")
    act(staff, number, "accept", triage="general")
    act(staff, number, "answer", text="已答复")

    # when the citizen is dissatisfied
    first = act(staff, number, "rate", rating="dissatisfied")

    # then the case is reopened to be handled again
    assert first.status_code == 200, first.content
    assert (first.json()["status"], first.json()["reopened_count"]) == ("reopened", 1)
    statuses = [e["status"] for e in track(api, sent["tracking_code"])["events"]]
    assert statuses[-2:] == ["rated", "reopened"]

    # when it is answered again and the citizen is dissatisfied a second time
    act(staff, number, "answer", text="再次答复")
    second = act(staff, number, "rate", rating="dissatisfied")

    # then it stays rated: no second reopening, by hand or automatically
    assert second.status_code == 200, second.content
    assert second.json()["status"] == "rated"
    assert "reopen" not in second.json()["actions"]
    before = state(number)
    again = act(staff, number, "reopen")
    assert again.status_code == 409
    assert again.json()["code"] == "invalid_transition"
    assert state(number) == before
    # and it can be closed out
    assert act(staff, number, "close").json()["status"] == "closed"


def test_a_satisfied_case_is_not_reopened(api):
    # given an answered case rated satisfied
    sent = submit(api)
    number, staff = sent["number"], api("staff")
    act(staff, number, "accept", triage="general")
    act(staff, number, "answer", text="已答复")
    assert act(staff, number, "rate", rating="satisfied").json()["status"] == "rated"
    before = state(number)

    # when staff try to reopen it
    response = act(staff, number, "reopen")

    # then it is refused and nothing changed
    assert response.status_code == 409
    assert state(number) == before


ACCEPTED = ("accept", {"triage": "general"})
ANSWERED = [ACCEPTED, ("answer", {"text": "已答复"})]
CLOSED = [*ANSWERED, ("follow_up", {"method": "phone", "note": "好"}), "close"]


@pytest.mark.parametrize(
    ("steps", "action", "fields"),
    [
        ([], "close", {}),
        ([], "answer", {"text": "还没受理就答复"}),
        ([], "rate", {"rating": "satisfied"}),
        ([ACCEPTED], "accept", {"triage": "major"}),
        ([ACCEPTED], "decline", {"reason": "petition"}),
        ([ACCEPTED], "follow_up", {"method": "phone", "note": "x"}),
        (ANSWERED, "assign", {"department": "qx-housing"}),
        (ANSWERED, "escalate", {"reason": "x"}),
        (CLOSED, "reopen", {}),
        (CLOSED, "answer", {"text": "x"}),
        ([("decline", {"reason": "petition"})], "accept", {"triage": "general"}),
    ],
)
def test_an_illegal_transition_is_refused_with_a_clear_message(
    api, make_case, steps, action, fields
):
    # given a case in some state
    case = make_case(*steps)
    before = state(case.number)

    # when staff ask for an action that state does not allow
    response = act(api("staff", "en"), case.number, action, **fields)

    # then 409 invalid_transition, naming the state and the action, and nothing changed
    assert response.status_code == 409, response.content
    body = response.json()
    assert body["code"] == "invalid_transition"
    with override("en"):
        assert str(CaseStatus(case.status).label) in body["message"]
        assert str(Action(action).label) in body["message"]
    assert state(case.number) == before


def test_an_unknown_action_is_refused_with_422(api, make_case):
    # given a submitted case
    case = make_case()
    before = state(case.number)

    # when staff send an action the workflow does not know
    response = act(api("staff"), case.number, "approve")

    # then 422 naming the field, and nothing changed
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_value"
    assert response.json()["field"] == "action"
    assert state(case.number) == before


@pytest.mark.parametrize(
    ("steps", "action", "fields", "field"),
    [
        ([], "accept", {}, "triage"),
        ([], "accept", {"triage": "urgent"}, "triage"),
        ([], "accept", {"triage": "general", "category": "nope"}, "category"),
        ([ACCEPTED], "assign", {}, "department"),
        ([ACCEPTED], "assign", {"department": "nope"}, "department"),
        ([ACCEPTED], "answer", {}, "text"),
        ([ACCEPTED], "escalate", {}, "reason"),
        (ANSWERED, "follow_up", {"method": "letter", "note": "x"}, "method"),
        (ANSWERED, "rate", {"rating": "great"}, "rating"),
    ],
)
def test_a_missing_or_wrong_field_is_refused_with_422(api, make_case, steps, action, fields, field):
    # given a case in a state that allows the action
    case = make_case(*steps)
    before = state(case.number)

    # when the action comes without its field, or with a value that is not one of the choices
    response = act(api("staff"), case.number, action, **fields)

    # then 422 naming the field, and nothing changed
    assert response.status_code == 422, response.content
    assert response.json()["field"] == field
    assert response.json()["message"]
    assert state(case.number) == before


def test_a_case_is_not_assigned_to_a_department_of_another_township(api, make_case, demo):
    # given an accepted Chengguan case and a department of the Hekou township
    case = make_case(ACCEPTED)
    Department.objects.create(
        code="hk-roads", name="河口镇村镇建设办", area=Area.objects.get(code="430399101000")
    )
    before = state(case.number)

    # when staff assign it to that sibling township's department
    response = act(api("staff"), case.number, "assign", department="hk-roads")

    # then it is refused, and nothing changed
    assert response.status_code == 422
    assert (response.json()["code"], response.json()["field"]) == ("invalid_value", "department")
    assert state(case.number) == before


def test_a_deputy_answers_a_case_addressed_to_them_but_does_not_triage_it(api, demo):
    # given a case addressed to the deputy
    sent = submit(api, station=None, deputy=demo["deputy"].code)
    number, deputy = sent["number"], api("deputy")
    before = state(number)

    # when the deputy tries to accept it
    refused = act(deputy, number, "accept", triage="simple")

    # then triage is not theirs: refused, nothing changed
    assert refused.status_code == 403
    assert state(number) == before

    # when staff accept it as simple and the deputy answers on the spot, then follows up
    act(api("staff"), number, "accept", triage="simple")
    answered = act(deputy, number, "answer_on_spot", text="代表当面作了解释。")
    followed = act(deputy, number, "follow_up", method="visit", note="上门回访")

    # then both are recorded as the deputy's
    assert answered.json()["status"] == "answered_on_spot"
    assert followed.json()["status"] == "followed_up"
    actors = [e["actor"] for e in followed.json()["events"][-2:]]
    assert all(str(demo["deputy"].name) in a for a in actors)


def test_accepting_can_set_the_category_and_a_responsible_deputy_who_then_sees_it(api, demo):
    # given a station case the deputy has nothing to do with yet
    sent = submit(api)
    deputy = api("deputy")
    assert deputy.get(f"/api/v1/cases/{sent['number']}").status_code == 404

    # when staff accept it, filing it under transport and making the deputy responsible
    response = act(
        api("staff"),
        sent["number"],
        "accept",
        triage="general",
        category="transport",
        deputy=demo["deputy"].code,
    )

    # then the case carries both, and the deputy now sees it and may answer it
    assert response.status_code == 200, response.content
    assert response.json()["category"] == "transport"
    assert response.json()["responsible_deputy"] == demo["deputy"].code
    assert sent["number"] in [c["number"] for c in deputy.get("/api/v1/cases").json()["results"]]
    answered = act(deputy, sent["number"], "answer", text="代表已协调公交公司。")
    assert answered.json()["status"] == "answered"
