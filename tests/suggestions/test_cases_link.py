"""The citizen's case converted into a suggestion: it follows the suggestion for good — its public
timeline (by tracking code) tells the steps, it is answered when the departments' reply is
complete, then goes on like any answered case, and stays countable as "converted"."""

from __future__ import annotations

from datetime import timedelta

import pytest

from lianluo.cases.models import Case
from lianluo.cases.selectors import CaseFilters, case_list
from lianluo.cases.services import case_transition
from tests.conftest import ApiClient
from tests.factories import suggestions as f
from tests.factories.suggestions import walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def converted(sx, make_case):
    """A case accepted for the `deputy` login, filed as a suggestion through the API."""
    case = make_case(("accept", {"triage": "general", "deputy": sx.deputy}))
    r = ApiClient(sx.author).post(
        "/api/v1/suggestions",
        {"title": "修缮城关小学围墙", "content": "围墙倒塌，需要修缮。", "cases": [case.number]},
    )
    assert r.status_code == 201, r.content
    case.refresh_from_db()
    return case, case.suggestion


def public(case: Case) -> dict:
    r = ApiClient(language="en").get(f"/api/v1/public/cases/{case.tracking_code}")
    assert r.status_code == 200
    return r.json()


def notes(case: Case) -> str:
    return "\n".join(e["note"] for e in public(case)["events"])


def test_the_case_is_converted_on_filing_and_tells_each_step(sx, converted):
    case, item = converted
    assert case.status == "converted" and item.status == "filed"
    assert item.congress == sx.congress  # the nearest seat holding the case
    walk(item, (sx.staff, "register"))
    item = f.assigned(staff=sx.staff, lead=sx.d0, item=item)
    told = notes(case)
    assert "Taken up by a deputy as a formal suggestion." in told  # (filed before converted)
    assert f"Suggestion {item.number} was registered" in told
    assert f"assigned to {sx.d0.name}; reply due by {item.deadline.isoformat()}" in told
    assert Case.objects.get(pk=case.pk).status == "converted"
    f.replied(item, sx.h0, text="内部：经费已落实", public_text="围墙已于本月修缮完毕。")
    case.refresh_from_db()
    assert case.status == "answered"
    told = notes(case)
    assert "围墙已于本月修缮完毕。" in told and "经费已落实" not in told
    assert public(case)["status"] == "answered"


def test_after_the_reply_the_case_goes_on_like_any_answered_case(sx, converted):
    case, item = converted
    item = f.assigned(staff=sx.staff, lead=sx.d0, item=walk(item, (sx.staff, "register")))
    f.replied(item, sx.h0, text="已修缮")
    case.refresh_from_db()
    for action, fields in (
        ("follow_up", {"method": "phone", "note": "群众认可"}),
        ("rate", {"rating": "satisfied"}),
        ("close", {}),
    ):
        case = case_transition(case=case, actor=sx.staff, action=action, **fields)
    assert case.status == "closed"
    # the suggestion's later steps are still told on the closed case
    f.rated(item, sx.author)
    walk(item, (sx.staff, "close"))
    assert f"The handling of suggestion {item.number} is closed." in notes(case)


def test_a_converted_case_stays_counted_as_converted(sx, converted, make_case):
    case, item = converted
    plain = make_case(("accept", {"triage": "general", "deputy": sx.deputy}))
    convert = CaseFilters(status="converted")
    assert set(case_list(viewer=sx.staff, filters=convert)) == {case}
    item = f.assigned(staff=sx.staff, lead=sx.d0, item=walk(item, (sx.staff, "register")))
    f.replied(item, sx.h0)
    assert Case.objects.get(pk=case.pk).status == "answered"
    assert set(case_list(viewer=sx.staff, filters=convert)) == {case}
    assert plain not in case_list(viewer=sx.staff, filters=convert)
    answered = set(case_list(viewer=sx.staff, filters=CaseFilters(status="answered")))
    assert case in answered


def test_with_separate_handling_the_case_waits_for_every_part(sx, converted):
    case, item = converted
    item = walk(item, (sx.staff, "register"))
    item = f.assigned(staff=sx.staff, lead=sx.d0, co=[sx.d1], separate=True, item=item)
    f.replied(item, sx.h0, public_text="住建部分已完成。")
    assert Case.objects.get(pk=case.pk).status == "converted"
    f.replied(item, sx.h1, public_text="交通部分已完成。")
    assert Case.objects.get(pk=case.pk).status == "answered"
    told = notes(case)
    assert "住建部分已完成。" in told and "交通部分已完成。" in told


def test_a_merged_items_case_follows_the_target(sx, filing, converted):
    case, item = converted
    target = f.registered(staff=sx.staff, **filing)
    walk(item, (sx.staff, ("merge", {"into": target.number})))
    target = f.assigned(staff=sx.staff, lead=sx.d0, item=target)
    assert f"assigned to {sx.d0.name}" in notes(case)
    f.replied(target, sx.h0, public_text="并案答复：已修缮。")
    case.refresh_from_db()
    assert case.status == "answered" and "并案答复：已修缮。" in notes(case)


def test_a_declined_suggestion_tells_the_citizen_without_the_staff_note(sx, converted):
    case, item = converted
    walk(item, (sx.staff, ("decline", {"reason": "personal", "note": "内部：代表亲属事务"})))
    told = notes(case)
    assert f"Suggestion {item.number} was not registered" in told
    assert "内部" not in told
    assert Case.objects.get(pk=case.pk).status == "converted"


def test_a_change_of_department_and_an_extension_are_told(sx, converted):
    case, item = converted
    item = f.assigned(staff=sx.staff, lead=sx.d0, item=walk(item, (sx.staff, "register")))
    until = item.deadline + timedelta(days=30)
    walk(
        item,
        (sx.h0, ("request_change", {"reason": "不属于本局"})),
        (sx.staff, ("decide_change", {"accept": True, "department": sx.d2.code})),
        (sx.staff, ("extend", {"until": until, "reason": "需要协调"})),
    )
    told = notes(case)
    assert f"reassigned to {sx.d2.name}" in told
    assert f"now due by {until.isoformat()}" in told
