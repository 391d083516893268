"""The whole road of one suggestion through the API: filed from a citizen's case, registered,
assigned, contacted, replied, rated; the case follows it."""

from __future__ import annotations

import pytest

from lianluo.cases.models import Case
from lianluo.deputies.models import Deputy


@pytest.mark.django_db
def test_suggestion_from_case_to_rating(api, users, demo, make_case):
    deputy = Deputy.objects.get(user=users["deputy"])
    case = make_case(("accept", {"triage": "general", "deputy": deputy}))
    dep, staff, dept = api("deputy"), api("staff"), api("dept")
    r = dep.post(
        "/api/v1/suggestions",
        {"title": "修缮城关小学围墙", "content": "围墙倒塌，需要修缮。", "cases": [case.number]},
    )
    assert r.status_code == 201, r.content
    body = r.json()
    number = body["number"]
    assert body["status"] == "filed"
    assert Case.objects.get(pk=case.pk).status == "converted"
    path = f"/api/v1/suggestions/{number}/transitions"
    assert staff.post(path, {"action": "register"}).status_code == 200
    code = demo["departments"][0].code
    r = staff.post(path, {"action": "assign", "lead": code})
    assert r.status_code == 200, r.content
    assert r.json()["deadline"]
    r = dept.post(path, {"action": "reply", "code": "A", "text": "已修好"})
    assert r.status_code == 409 and r.json()["code"] == "no_contact"
    r = dept.post(path, {"action": "contact", "method": "phone", "date": str(demo["today"])})
    assert r.status_code == 200, r.content
    r = dept.post(path, {"action": "reply", "code": "A", "text": "已修好"})
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "replied"
    assert Case.objects.get(pk=case.pk).status == "answered"
    r = dep.post(path, {"action": "rate", "rating": "satisfied"})
    assert r.status_code == 200 and r.json()["status"] == "rated"
    r = staff.post(path, {"action": "close"})
    assert r.status_code == 200 and r.json()["status"] == "closed"
