"""A case's lifecycle through the JSON API: submit, triage, hand over, answer, follow up, rate,
close — and the side roads (decline, answer on the spot, escalate, convert, reopen) — each
checked on the citizen's tracking endpoint as well."""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils.translation import override

from lianluo.cases.models import Case, CaseEvent
from lianluo.cases.states import Action, CaseStatus
from lianluo.core.models import (
    Area,
    Congress,
    Department,
    OutboxMessage,
    Role,
    RoleAssignment,
    User,
)
from lianluo.suggestions.models import Suggestion

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Half past midnight in Shanghai is still the previous day in UTC: a deadline computed from the
# UTC date would land a day early.
NOW = datetime(2026, 3, 10, 0, 30, tzinfo=SHANGHAI)
PHONE, NAME = "13812345678", "张三"


@pytest.fixture
def demo(demo_shared):
    """The demo county, built once for this module (see conftest)."""
    return demo_shared


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=True):
        yield


def submit(api, **fields) -> dict:
    body = {"station": "cg-hub", "text": "村口路灯坏了两个月", "name": NAME, "phone": PHONE}
    response = api().post("/api/v1/public/cases", {**body, **fields})
    assert response.status_code == 201, response.content
    return response.json()


def act(client, number: str, action: str, **fields):
    return client.post(f"/api/v1/cases/{number}/transitions", {"action": action, **fields})


def track(api, tracking_code: str, language: str = "zh-hans") -> dict:
    response = api(language=language).get(f"/api/v1/public/cases/{tracking_code}")
    assert response.status_code == 200, response.content
    return response.json()


def end_of_day(day, days: int) -> datetime:
    return datetime.combine(day + timedelta(days=days), time(23, 59, 59), tzinfo=SHANGHAI)


def state(number: str) -> tuple:
    """Everything a refused action must leave untouched."""
    return (
        Case.objects.filter(number=number).values().get(),
        CaseEvent.objects.filter(case__number=number).count(),
        Case.objects.count(),
        OutboxMessage.objects.count(),
        Suggestion.objects.count(),
    )


def test_a_case_goes_from_submission_to_close_through_the_api(api):
    # given a citizen's message to the liaison station
    sent = submit(api)
    assert sent["status"] == "submitted"
    number, staff, dept = sent["number"], api("staff"), api("dept")
    steps = [
        (staff, "accept", {"triage": "general"}, "accepted"),
        (staff, "assign", {"department": "qx-housing", "note": "请住建局核实"}, "assigned"),
        (dept, "answer", {"text": "路灯线路已修复，恢复照明。"}, "answered"),
        (staff, "follow_up", {"method": "phone", "note": "回访张三，基本认可"}, "followed_up"),
        (staff, "rate", {"rating": "satisfied"}, "rated"),
        (staff, "close", {}, "closed"),
    ]

    # when staff triage it and hand it to the housing bureau, whose handler answers, and staff
    # follow up, record the rating and close it, one day after another
    for day, (client, action, fields, status) in enumerate(steps, start=1):
        with time_machine.travel(NOW + timedelta(days=day), tick=False):
            response = act(client, number, action, **fields)
        assert response.status_code == 200, response.content
        assert response.json()["status"] == status

    # then the case is closed with a deadline 30 days after acceptance, end of day
    case = Case.objects.get(number=number)
    assert case.status == CaseStatus.CLOSED
    assert case.deadline == end_of_day(NOW.date(), 1 + 30)
    assert case.department.code == "qx-housing"
    # and the citizen's tracking shows every step, its time and its public note
    public = track(api, sent["tracking_code"])
    assert public["number"] == number
    assert public["status"] == "closed"
    assert [e["status"] for e in public["events"]] == [
        "submitted",
        "accepted",
        "assigned",
        "answered",
        "followed_up",
        "rated",
        "closed",
    ]
    times = [datetime.fromisoformat(e["at"]) for e in public["events"]]
    assert times[1:] == [NOW + timedelta(days=d) for d in range(1, 7)]
    assert times[0] - NOW < timedelta(minutes=1)
    notes = [e["note"] for e in public["events"]]
    assert number in notes[0]
    assert "青溪县住房和城乡建设局" in notes[2]
    assert "路灯线路已修复，恢复照明。" in notes[3]
    # and never the citizen's name or phone, nor a staff note
    raw = json.dumps(public, ensure_ascii=False)
    for private in (NAME, PHONE, "****", "请住建局核实", "回访张三"):
        assert private not in raw


@pytest.mark.parametrize(("triage", "days"), [("simple", 0), ("general", 30), ("major", 90)])
def test_accepting_sets_the_deadline_from_the_class(api, triage, days):
    # given a submitted case
    sent = submit(api)

    # when staff accept it with a class
    response = act(api("staff"), sent["number"], "accept", triage=triage)

    # then the deadline is the end of the local day that many days later
    assert response.status_code == 200, response.content
    assert datetime.fromisoformat(response.json()["deadline"]) == end_of_day(NOW.date(), days)
    assert response.json()["triage"] == triage


def test_the_congress_decides_how_long_a_general_case_may_take(api, demo):
    # given the township congress of Chengguan gives general cases 15 days, not 30
    Congress.objects.filter(area__code="430399100000").update(general_days=15)
    ours, theirs = submit(api), submit(api, station="hk-hub")

    # when a case of each township is accepted as general
    mine = act(api("staff"), ours["number"], "accept", triage="general").json()
    other = act(api("staff"), theirs["number"], "accept", triage="general").json()

    # then each congress's setting applies to its own cases
    assert datetime.fromisoformat(mine["deadline"]) == end_of_day(NOW.date(), 15)
    assert datetime.fromisoformat(other["deadline"]) == end_of_day(NOW.date(), 30)


def test_only_the_department_the_case_is_assigned_to_answers_it(api, demo, users):
    # given a case assigned to the transport bureau, which has a handler of its own
    sent = submit(api)
    number, staff = sent["number"], api("staff")
    act(staff, number, "accept", triage="general")
    act(staff, number, "assign", department="qx-transport")
    transport = Department.objects.get(code="qx-transport")
    users["transport"] = User.objects.create(username="transport", display_name="交通局承办员")
    RoleAssignment.objects.create(
        user=users["transport"], role=Role.DEPARTMENT, department=transport
    )
    before = state(number)

    # when the housing handler (not the assigned department) tries to answer
    refused = act(api("dept"), number, "answer", text="我们来答")

    # then the case is not theirs to see, and nothing changed
    assert refused.status_code == 404
    assert refused.json()["code"] == "not_found"
    assert state(number) == before

    # when the transport handler tries another step than answering
    not_theirs = act(api("transport"), number, "follow_up", method="phone", note="x")

    # then it is refused as not allowed, and nothing changed
    assert not_theirs.status_code == 403
    assert not_theirs.json()["code"] == "not_allowed"
    assert state(number) == before

    # when the transport handler answers
    answered = act(api("transport"), number, "answer", text="公交班次已调整。")

    # then the case is answered, and the department may not answer a second time
    assert answered.status_code == 200, answered.content
    assert answered.json()["status"] == "answered"
    assert act(api("transport"), number, "answer", text="再答一次").status_code == 403


def test_declining_tells_the_citizen_where_to_go_in_their_language(api):
    # given a submitted case
    sent = submit(api)

    # when staff decline it with a catalog reason code
    response = act(api("staff"), sent["number"], "decline", reason="petition")

    # then the case is declined (and closed out of the open queue)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "declined"
    assert Case.objects.get(number=sent["number"]).closed_at is not None
    # and the tracking shows the reason and the guidance, in Chinese by default
    zh = track(api, sent["tracking_code"])["events"][-1]
    assert zh["status"] == "declined"
    assert "信访事项" in zh["note"]
    assert "请向县信访局（人民来访接待中心）反映" in zh["note"]
    # and in English when the citizen's browser asks for it
    en = track(api, sent["tracking_code"], "en")
    assert en["status_label"] == "Declined"
    assert "please bring it to the county petition office" in en["events"][-1]["note"]
    assert "信访" not in en["events"][-1]["note"]


def test_declining_needs_a_reason(api):
    # given a submitted case
    sent = submit(api)
    before = state(sent["number"])

    # when staff decline it without a reason
    response = act(api("staff"), sent["number"], "decline")

    # then it is refused and nothing changed
    assert response.status_code == 422
    assert response.json()["code"] == "missing_field"
    assert response.json()["field"] == "reason"
    assert state(sent["number"]) == before


def test_only_a_simple_case_is_answered_on_the_spot(api):
    # given a case accepted as general and one accepted as simple
    general, simple = submit(api), submit(api)
    staff = api("staff")
    act(staff, general["number"], "accept", triage="general")
    act(staff, simple["number"], "accept", triage="simple")
    before = state(general["number"])

    # when both are answered on the spot
    refused = act(staff, general["number"], "answer_on_spot", text="当场答复")
    done = act(staff, simple["number"], "answer_on_spot", text="已当场解释政策。")

    # then the general case is refused as an invalid transition and left as it was
    assert refused.status_code == 409
    assert refused.json()["code"] == "invalid_transition"
    assert state(general["number"]) == before
    # and the simple one is answered, the answer shown to the citizen
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "answered_on_spot"
    last = track(api, simple["tracking_code"])["events"][-1]
    assert last["status"] == "answered_on_spot"
    assert "已当场解释政策。" in last["note"]


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
