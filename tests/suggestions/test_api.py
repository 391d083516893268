"""The API contract of issue 9: POST /api/v1/suggestions (201), the scoped list with its filters,
the detail's fields, and transitions answering 200 with the item as the actor now sees it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.conftest import ApiClient
from tests.factories import suggestions as f
from tests.factories.suggestions import on, walk


def _year() -> int:
    """Numbers carry the year of filing: the (pinned) clock's, local time."""
    return timezone.localdate().year


pytestmark = pytest.mark.django_db

LIST = "/api/v1/suggestions"


def numbers(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["number"] for row in response.json()["results"]]


def test_a_deputy_files_one_with_co_signers(sx):
    body = {
        "title": "增设公交线路",
        "content": "城关至河口缺少公交。",
        "category": "transport",
        "co_signers": [sx.fellow.code],
        "congress": sx.congress.area.code,  # the demo deputy sits in the province's too
    }
    r = ApiClient(sx.author).post(LIST, body)
    assert r.status_code == 201, r.content
    out = r.json()
    assert out["status"] == "filed" and out["number"].startswith(f"430399-{_year()}-R")
    assert out["lead"] == sx.deputy.code and out["category"] == "transport"
    assert out["co"] == [
        {"code": sx.fellow.code, "name": sx.fellow.name, "confirmed": False, "refused": False}
    ]
    assert [e["action"] for e in out["events"]] == ["file"]
    assert out["actions"] == ["withdraw"]  # the author's, while co-signers confirm


def test_without_a_congress_named_the_deputys_highest_seat_takes_it(sx):
    r = ApiClient(sx.author).post(LIST, {"title": "t", "content": "c"})
    assert r.status_code == 201 and r.json()["congress"] == "430000000000"


def test_filing_refusals(sx, api):
    body = {"title": "t", "content": "c", "congress": sx.congress.area.code}
    r = ApiClient(sx.author).post(LIST, {**body, "co_signers": ["dep-999"]})
    assert r.status_code == 422 and r.json()["field"] == "co_signers"
    r = ApiClient(sx.author).post(LIST, {**body, "co_signers": [sx.deputy.code]})
    assert r.status_code == 422 and r.json()["field"] == "co_signers"
    r = ApiClient(sx.author).post(LIST, {**body, "title": " "})
    assert r.status_code == 422 and r.json()["field"] == "title"
    r = ApiClient(sx.author).post(LIST, {**body, "kind": "motion"})
    assert r.status_code == 422 and r.json()["field"] == "kind"
    r = ApiClient(sx.h0).post(LIST, body)  # not a deputy, names none
    assert r.status_code == 422 and r.json()["field"] == "deputy"
    r = ApiClient(sx.h0).post(LIST, {**body, "deputy": sx.deputy.code})
    assert r.status_code == 403 and r.json()["code"] == "not_allowed"
    assert api().post(LIST, body).status_code == 401


def test_staff_file_a_paper_for_a_deputy(sx):
    r = ApiClient(sx.staff).post(
        LIST,
        {
            "title": "会议期间书面建议",
            "content": "内容",
            "deputy": sx.deputy.code,
            "congress": sx.congress.area.code,
            "period": "session",
        },
    )
    assert r.status_code == 201, r.content
    assert (
        r.json()["number"].startswith(f"430399-{_year()}-S") and r.json()["lead"] == sx.deputy.code
    )


def test_the_detail_of_a_replied_and_rated_item(sx, filing):
    item = f.assigned(staff=sx.staff, lead=sx.d0, co=[sx.d1], **filing)
    walk(item, (sx.h1, ("opinion", {"text": "协办意见"})))
    item = f.rated(f.replied(item, sx.h0, code="B", text="列入明年计划"), sx.author, "satisfied")
    r = ApiClient(sx.author).get(f"{LIST}/{item.number}")
    assert r.status_code == 200
    out = r.json()
    for name in ("number", "title", "status", "deadline", "lead", "co", "replies", "ratings"):
        assert name in out
    assert out["status"] == "rated" and out["deadline"] == item.deadline.isoformat()
    assert out["classification"] == "B" and out["tracking"] is True
    assert [(d["code"], d["role"]) for d in out["departments"]] == [
        (sx.d0.code, "lead"),
        (sx.d1.code, "co"),
    ]
    replies = [(r["department"], r["opinion"], r["code"]) for r in out["replies"]]
    assert replies == [(sx.d1.code, True, ""), (sx.d0.code, False, "B")]
    assert [(r["round"], r["rating"]) for r in out["ratings"]] == [(1, "satisfied")]
    actions = [e["action"] for e in out["events"]]
    assert actions == ["file", "register", "assign", "opinion", "contact", "reply", "rate"]
    assert out["actions"] == []  # nothing left for the author
    staff = ApiClient(sx.staff).get(f"{LIST}/{item.number}").json()
    assert staff["actions"] == ["close"]


def test_the_list_is_filtered_by_status_department_and_overdue(sx, filing):
    with on("2026-08-03"):
        late = f.assigned(staff=sx.staff, lead=sx.d0, **filing)
    filed = f.filed(**filing)
    other = f.assigned(staff=sx.staff, lead=sx.d1, **filing)
    staff = ApiClient(sx.staff)
    assert numbers(staff.get(LIST)) == [late.number, other.number, filed.number]
    assert numbers(staff.get(LIST, status="filed")) == [filed.number]
    assert numbers(staff.get(LIST, department=sx.d1.code)) == [other.number]
    assert numbers(staff.get(LIST, overdue="true")) == [late.number]
    assert set(numbers(staff.get(LIST, overdue="false"))) == {filed.number, other.number}
    row = staff.get(LIST, overdue="true").json()["results"][0]
    assert row["overdue"] is True and row["departments"][0]["code"] == sx.d0.code
    page = staff.get(LIST, page_size=2, page=2).json()
    assert page["count"] == 3 and [r["number"] for r in page["results"]] == [filed.number]


def test_transitions_answer_with_the_item(sx, filing):
    item = f.assigned(staff=sx.staff, lead=sx.d0, **filing)
    dept = ApiClient(sx.h0)
    path = f"{LIST}/{item.number}/transitions"
    r = dept.post(path, {"action": "contact", "method": "face", "date": str(f.today())})
    assert r.status_code == 200 and "reply" in r.json()["actions"]
    until = str(item.deadline + timedelta(days=20))
    r = dept.post(path, {"action": "request_extension", "reason": "预算审批", "until": until})
    assert r.status_code == 200, r.content
    r = ApiClient(sx.staff).post(path, {"action": "extend", "until": until, "reason": "同意"})
    assert r.status_code == 200 and r.json()["deadline"] == until
    r = dept.post(path, {"action": "reply", "code": "a", "text": "已解决", "public": False})
    assert r.status_code == 200 and r.json()["status"] == "replied"
    assert r.json()["replies"][0]["public_text"] == ""
    r = dept.post(path, {"action": "contact", "method": "phone", "date": "2026-13-01"})
    assert r.status_code == 422 and r.json()["code"] == "invalid" and "date" in r.json()["errors"]


def test_a_draft_is_filed_through_the_api_and_answers_with_its_number(sx, filing):
    draft = f.filed(**filing, file=False)
    r = ApiClient(sx.author).post(f"{LIST}/d{draft.pk}/transitions", {"action": "file"})
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "filed" and r.json()["number"].startswith("430399-")


def test_co_signers_answer_through_the_api(sx, filing):
    other = f.fellow_deputies(sx.congress, but=sx.deputy, n=2)[1]
    item = f.filed(**filing, co_signers=[sx.fellow, other])
    path = f"{LIST}/{item.number}/transitions"
    r = ApiClient(sx.fellow_user).post(path, {"action": "cosign"})
    assert r.status_code == 200 and r.json()["co"][0]["confirmed"] is True
    r = ApiClient(f.deputy_user(other)).post(path, {"action": "cosign_refuse"})
    assert r.status_code == 200, r.content
    assert [c["refused"] for c in r.json()["co"]] == [False, True]
    listed = ApiClient(other.user).get(LIST)
    assert numbers(listed) == [item.number]


def test_deadline_of_a_difficult_item_through_the_api(sx, filing):
    with on("2026-12-02"):
        item = f.registered(staff=sx.staff, **filing)
        r = ApiClient(sx.staff).post(
            f"{LIST}/{item.number}/transitions",
            {"action": "assign", "lead": sx.d0.code, "co": [sx.d1.code], "difficult": True},
        )
    assert r.status_code == 200 and r.json()["deadline"] == date(2027, 6, 2).isoformat()
    assert r.json()["difficult"] is True and r.json()["mode"] == "lead"
