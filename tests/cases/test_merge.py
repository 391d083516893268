"""合并办理: duplicates merged into the case that carries them on keep their numbers, and their
citizens follow that case to its answer; refused across congresses, into a closed case, or by
someone who may not act on every case."""

from __future__ import annotations

import pytest
from django.test import Client

from lianluo.cases.models import Case, CaseEvent
from lianluo.cases.services import case_merge
from lianluo.cases.states import CaseStatus
from lianluo.core.errors import Conflict, DomainError, Forbidden
from lianluo.core.models import AuditLog, User
from lianluo.duty.models import PointEntry
from tests.factories.cases import case_walk

LAMP = "幸福小区3号楼门口的路灯坏了两个星期，晚上很黑"
CLOSE = [
    ("accept", {"triage": "general"}),
    ("answer", {"text": "路灯已经换好了"}),
    ("follow_up", {"method": "phone"}),
    "close",
]


@pytest.fixture
def demo(demo_shared):
    return demo_shared


def _client(username: str | None = None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    if username:
        client.force_login(User.objects.get(username=username))
    return client


def test_merged_cases_keep_their_numbers_and_close_into_the_survivor(make_case, users):
    survivor = make_case(text=LAMP)
    first = make_case(text="幸福小区3号楼门口路灯坏了两周了", phone="13900000001")
    second = make_case(text="3号楼门口路灯不亮", phone="13900000002")
    points_before = PointEntry.objects.count()

    case_merge(survivor=survivor, cases=[first, second], actor=users["staff"], note="同一路灯")

    first.refresh_from_db()
    second.refresh_from_db()
    survivor.refresh_from_db()
    for case in (first, second):
        assert case.status == CaseStatus.CLOSED
        assert case.merged_into == survivor
        assert case.closed_at is not None
        event = case.events.last()
        assert event.action == "merge" and event.data == {"into": survivor.number}
    assert survivor.status == CaseStatus.SUBMITTED
    assert survivor.events.last().data == {"merged": sorted([first.number, second.number])}
    # every number stays in the ledger, marked as merged
    assert Case.objects.filter(number__in=[first.number, second.number]).count() == 2
    html = _client("staff").get("/ledger/?status=closed").content.decode()
    assert first.number in html and second.number in html
    assert f"已合并至 {survivor.number}" in html
    # audited, no points for merging
    assert AuditLog.objects.filter(verb="case_merge", target_id=str(survivor.pk)).exists()
    assert PointEntry.objects.count() == points_before


def test_support_counts_add_up_once_per_phone(make_case, users):
    survivor = make_case(text=LAMP, phone="13800000000")
    same_citizen = make_case(text="路灯坏了", phone="13800000000")  # the survivor's own citizen
    other = make_case(text="路灯坏了两周", phone="13900000001")
    no_phone = make_case(text="路灯坏了三周", phone="")

    case_merge(survivor=survivor, cases=[same_citizen, other, no_phone], actor=users["staff"])

    survivor.refresh_from_db()
    # one per merged citizen, the survivor's own citizen not counted again
    assert survivor.support_count == 2
    assert set(
        Case.objects.filter(merged_into=survivor).values_list("support_count", flat=True)
    ) == {0}


def test_every_merged_citizen_sees_the_survivors_answer(make_case, users):
    survivor = make_case(text=LAMP)
    duplicate = make_case(text="幸福小区3号楼门口路灯坏了两周了，晚上黑漆漆的")
    case_merge(survivor=survivor, cases=[duplicate], actor=users["staff"])
    survivor = Case.objects.get(pk=survivor.pk)
    case_walk(survivor, *CLOSE[:2], actor=users["staff"])

    html = _client().get(f"/t/{duplicate.tracking_code}/").content.decode()

    assert "幸福小区3号楼门口路灯坏了两周了" in html  # their own message
    assert f"您反映的问题已与 {survivor.number} 合并办理" in html
    assert "路灯已经换好了" in html  # the survivor's answer
    body = _client().get(f"/api/v1/public/cases/{duplicate.tracking_code}").json()
    assert body["merged_into"]["number"] == survivor.number
    assert "路灯已经换好了" in " ".join(e["note"] for e in body["merged_into"]["events"])


def test_a_merged_survivor_passes_its_duplicates_on(make_case, users):
    last = make_case(text=LAMP, phone="13900000003")
    middle = make_case(text=LAMP + "。", phone="13900000002")
    first = make_case(text=LAMP + "！", phone="13900000001")
    case_merge(survivor=middle, cases=[first], actor=users["staff"])
    case_merge(survivor=last, cases=[Case.objects.get(pk=middle.pk)], actor=users["staff"])

    html = _client().get(f"/t/{first.tracking_code}/").content.decode()

    assert f"您反映的问题已与 {last.number} 合并办理" in html
    # the middle case's citizen and the one it carried
    assert Case.objects.get(pk=last.pk).support_count == 2


def test_refused_into_a_closed_case(make_case, users):
    survivor = make_case(*CLOSE, text=LAMP, actor=users["staff"])
    duplicate = make_case(text=LAMP)

    with pytest.raises(Conflict):
        case_merge(survivor=survivor, cases=[duplicate], actor=users["staff"])

    assert Case.objects.get(pk=duplicate.pk).status == CaseStatus.SUBMITTED


def test_refused_for_a_closed_duplicate(make_case, users):
    survivor = make_case(text=LAMP)
    declined = make_case(("decline", {"reason": "重复"}), text=LAMP, actor=users["staff"])

    with pytest.raises(Conflict):
        case_merge(survivor=survivor, cases=[declined], actor=users["staff"])

    assert Case.objects.get(pk=declined.pk).merged_into is None


def test_refused_across_congresses(demo, make_case, users):
    survivor = make_case(text=LAMP)
    township = demo["stations"][demo["townships"][1].code][0]
    elsewhere = make_case(text=LAMP, station=township)
    assert elsewhere.congress_id != survivor.congress_id

    with pytest.raises(DomainError) as refused:
        case_merge(survivor=survivor, cases=[elsewhere], actor=users["admin"])

    assert refused.value.field == "cases"
    assert Case.objects.get(pk=elsewhere.pk).status == CaseStatus.SUBMITTED


@pytest.mark.parametrize("username", ["deputy", "leader", "other"])
def test_refused_to_someone_who_may_not_act_on_them(make_case, users, username):
    survivor = make_case(text=LAMP)
    duplicate = make_case(text=LAMP)
    events = CaseEvent.objects.count()

    with pytest.raises(Forbidden):
        case_merge(survivor=survivor, cases=[duplicate], actor=users[username])

    assert Case.objects.get(pk=duplicate.pk).status == CaseStatus.SUBMITTED
    assert CaseEvent.objects.count() == events


def test_the_triage_page_merges_the_ticked_duplicates_in_one_step(make_case, users):
    survivor = make_case(text=LAMP)
    duplicate = make_case(text="幸福小区3号楼门口路灯坏了两周了，晚上黑漆漆的")
    client = _client("staff")
    html = client.get(f"/ledger/{survivor.number}/").content.decode()
    assert f'name="cases" value="{duplicate.number}"' in html and "合并到本案" in html

    response = client.post(
        f"/ledger/{survivor.number}/merge/", {"cases": [duplicate.number]}, follow=True
    )

    assert response.status_code == 200
    assert Case.objects.get(pk=duplicate.pk).merged_into_id == survivor.pk
    page = _client("staff").get(f"/ledger/{duplicate.number}/").content.decode()
    assert f"/ledger/{survivor.number}/" in page and 'data-testid="merged-into"' in page
