"""A case's lifecycle through the JSON API: submit, triage, hand over, answer, follow up, rate,
close, decline, answer on the spot — each checked on the citizen's tracking endpoint as well."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
import time_machine

from lianluo.cases.models import Case
from lianluo.cases.states import CaseStatus
from lianluo.core.models import (
    Congress,
    Department,
    Role,
    RoleAssignment,
    User,
)
from tests.cases.lifecycle.steps import (
    NAME,
    NOW,
    PHONE,
    act,
    end_of_day,
    state,
    submit,
    track,
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
