"""Collection and the reserve pool through the services: who may send what while the window is
open, case → proposal, merge, decline, filing and editing the pool, scope and audit."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from lianluo.cases.models import CaseEvent
from lianluo.core.errors import Conflict, DomainError, Forbidden, NotFound
from lianluo.core.models import AuditLog
from lianluo.projects.models import Project, ProjectStatus, Proposal, ProposalStatus, Source
from lianluo.projects.selectors import collection as sel
from lianluo.projects.services import collection as svc
from tests.projects import collection_cast

# The collection window of the cast is open around 2026-12-02 (projects of 2027).
pytestmark = pytest.mark.clock("2026-12-02T10:00")

# The cast's fixtures, by name (a conftest here would be shared with the other stages' tests).
cx, demo = collection_cast.cx, collection_cast.demo


def _citizen(cx, title="修建村口路灯", **kw) -> Proposal:
    kw.setdefault("text", "村口到学校的路晚上很黑，建议安装路灯。")
    proposal, _created = svc.proposal_submit_citizen(congress=cx.congress, title=title, **kw)
    return proposal


def _audited(verb: str) -> int:
    return AuditLog.objects.filter(verb=verb).count()


def test_a_window_opens_once_per_congress_and_year(cx):
    with pytest.raises(Conflict):
        svc.window_open(
            actor=cx.staff,
            congress=cx.congress,
            year=2027,
            opens_on=date(2026, 11, 1),
            closes_on=date(2026, 12, 1),
        )
    with pytest.raises(DomainError) as bad:
        svc.window_open(
            actor=cx.staff,
            congress=cx.congress,
            year=2028,
            opens_on=date(2027, 11, 1),
            closes_on=date(2027, 10, 1),
        )
    assert bad.value.field == "closes_on"
    assert _audited("project_window_open") == 1


@pytest.mark.parametrize("who", ["leader", "outsider", "dept"])
def test_only_the_congress_staff_open_a_window(cx, who):
    with pytest.raises(Forbidden):
        svc.window_open(
            actor=getattr(cx, who),
            congress=cx.congress,
            year=2028,
            opens_on=date(2027, 11, 1),
            closes_on=date(2027, 12, 1),
        )
    assert not sel.Window.objects.filter(year=2028).exists()


def test_citizens_propose_only_while_the_window_is_open(cx):
    proposal = _citizen(cx)
    assert (proposal.year, proposal.source, proposal.status) == (2027, "citizen", "new")
    assert proposal.tracking_code
    svc.window_update(
        actor=cx.staff,
        window=cx.window,
        opens_on=date(2026, 11, 1),
        closes_on=date(2026, 12, 1),
    )
    with pytest.raises(DomainError) as closed:
        _citizen(cx, title="另一条建议")
    assert closed.value.code == "window_closed"
    assert Proposal.objects.count() == 1


def test_name_and_phone_are_kept_only_with_consent(cx):
    kept = _citizen(cx, name="张三", phone="13812345678", consent=True)
    dropped = _citizen(cx, title="清理河道", name="李四", phone="13900001111", consent=False)
    assert (kept.citizen_name, kept.citizen_phone) == ("张三", "13812345678")
    assert (dropped.citizen_name, dropped.citizen_phone) == ("", "")


def test_the_same_key_returns_the_same_proposal_and_refuses_other_content(cx):
    first, created = svc.proposal_submit_citizen(
        congress=cx.congress, title="路灯", text="装路灯", idempotency_key="k-1"
    )
    again, created_again = svc.proposal_submit_citizen(
        congress=cx.congress, title="路灯", text="装路灯", idempotency_key="k-1"
    )
    assert created and not created_again and again.pk == first.pk
    with pytest.raises(Conflict):
        svc.proposal_submit_citizen(
            congress=cx.congress, title="别的", text="别的", idempotency_key="k-1"
        )
    assert Proposal.objects.count() == 1


def test_deputies_and_departments_propose_as_themselves(cx, users):
    if cx.deputy_congress != cx.congress:
        svc.window_open(
            actor=users["admin"],
            congress=cx.deputy_congress,
            year=2027,
            opens_on=date(2026, 11, 1),
            closes_on=date(2026, 12, 31),
        )
    by_deputy = svc.proposal_submit(
        actor=cx.deputy_user, congress=cx.deputy_congress, title="修桥", text="修一座桥"
    )
    by_dept = svc.proposal_submit(
        actor=cx.dept,
        congress=cx.congress,
        title="污水管网",
        text="改造污水管网",
        estimated_cost=Decimal("120.50"),
    )
    assert (by_deputy.source, by_deputy.deputy) == (Source.DEPUTY, cx.deputy)
    assert (by_dept.source, by_dept.department.pk) == (
        Source.DEPARTMENT,
        cx.demo["departments"][0].pk,
    )
    with pytest.raises(Forbidden):
        svc.proposal_submit(actor=users["liaison"], congress=cx.congress, title="x", text="y")
    with pytest.raises(Forbidden):
        svc.proposal_submit(actor=cx.dept, congress=cx.other_congress, title="x", text="y")


def test_a_case_becomes_a_proposal_linked_to_it(cx, make_case):
    case = make_case(text="小区门口积水严重")
    with pytest.raises(DomainError) as closed:  # the township has no window yet
        svc.proposal_from_case(actor=cx.staff, case=case, title="t", text="t")
    assert closed.value.code == "window_closed"
    svc.window_open(
        actor=cx.staff,
        congress=case.congress,
        year=2027,
        opens_on=date(2026, 11, 1),
        closes_on=date(2026, 12, 31),
    )
    proposal = svc.proposal_from_case(
        actor=cx.staff, case=case, title="小区排水改造", text=case.text
    )
    assert (proposal.source, proposal.case, proposal.year) == (Source.CASE, case, 2027)
    event = CaseEvent.objects.filter(case=case, action="project_proposal").get()
    assert "2027" in event.public_note
    with pytest.raises(NotFound):
        svc.proposal_from_case(actor=cx.outsider, case=case, title="x", text="y")


def test_merge_keeps_one_and_lists_the_others(cx):
    keep, dup1, dup2 = _citizen(cx, "路灯"), _citizen(cx, "装路灯"), _citizen(cx, "路灯不亮")
    svc.proposal_merge(actor=cx.staff, keep=keep, others=[dup1, dup2], note="同一件事")
    dup1.refresh_from_db()
    assert (dup1.status, dup1.merged_into) == (ProposalStatus.MERGED, keep)
    assert set(keep.merged.all()) == {dup1, dup2}
    with pytest.raises(DomainError):  # a merged one is not merged again
        svc.proposal_merge(actor=cx.staff, keep=_citizen(cx, "再来"), others=[dup1])
    with pytest.raises(Forbidden):
        svc.proposal_merge(actor=cx.leader, keep=keep, others=[_citizen(cx, "领导")])
    assert _audited("project_proposal_merge") == 1


def test_decline_needs_a_reason(cx):
    proposal = _citizen(cx)
    with pytest.raises(DomainError) as empty:
        svc.proposal_decline(actor=cx.staff, proposal=proposal, reason="  ")
    assert empty.value.field == "reason"
    svc.proposal_decline(actor=cx.staff, proposal=proposal, reason="不属于政府职责")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.note) == (ProposalStatus.DECLINED, "不属于政府职责")


def test_filing_into_the_pool_and_adding_to_an_entry(cx):
    a, b, c = _citizen(cx, "路灯A"), _citizen(cx, "路灯B"), _citizen(cx, "路灯C")
    dup = _citizen(cx, "路灯A重复")
    svc.proposal_merge(actor=cx.staff, keep=a, others=[dup])
    entry = svc.pool_file(
        actor=cx.staff,
        congress=cx.congress,
        year=2027,
        proposals=[a, b],
        title="农村路灯亮化工程",
        content="全县主要村道安装路灯。",
        tags="交通,亮化",
        estimated_cost=Decimal("300"),
        area=cx.demo["townships"][0],
        place="各村主干道",
    )
    assert entry.status == ProjectStatus.POOL and entry.tag_list == ["交通", "亮化"]
    assert set(entry.proposals.all()) == {a, b, dup}
    assert Proposal.objects.get(pk=a.pk).status == ProposalStatus.POOLED
    svc.pool_add(actor=cx.staff, project=entry, proposals=[c])
    assert Proposal.objects.get(pk=c.pk).project == entry
    other = svc.pool_file(
        actor=cx.staff,
        congress=cx.congress,
        year=2027,
        proposals=[_citizen(cx)],
        title="t",
        content="c",
    )
    with pytest.raises(DomainError):  # already in another entry
        svc.pool_add(actor=cx.staff, project=other, proposals=[c])
    assert [p.title for p in sel.pool_list(viewer=cx.staff, tag="亮化")] == ["农村路灯亮化工程"]


def test_staff_edit_and_withdraw_a_pool_entry(cx):
    entry = svc.pool_file(
        actor=cx.staff,
        congress=cx.congress,
        year=2027,
        proposals=[_citizen(cx)],
        title="旧名",
        content="内容",
    )
    svc.pool_edit(actor=cx.staff, project=entry, title="新名", estimated_cost=Decimal("88"))
    entry.refresh_from_db()
    assert (entry.title, entry.estimated_cost) == ("新名", Decimal("88"))
    with pytest.raises(Forbidden):
        svc.pool_edit(actor=cx.outsider, project=entry, title="外县改的")
    svc.pool_withdraw(actor=cx.staff, project=entry, reason="资金不足")
    assert Project.objects.get(pk=entry.pk).status == ProjectStatus.WITHDRAWN
    with pytest.raises(DomainError):
        svc.pool_edit(actor=cx.staff, project=entry, title="再改")
    assert AuditLog.objects.filter(verb="project_pool_withdraw", data__reason="资金不足").exists()


def test_scope_other_county_sees_nothing_leader_reads(cx):
    proposal = _citizen(cx)
    assert not sel.proposal_list(viewer=cx.outsider).exists()
    with pytest.raises(NotFound):
        sel.proposal_get(viewer=cx.outsider, pk=proposal.pk)
    assert sel.proposal_get(viewer=cx.leader, pk=proposal.pk) == proposal
    assert not sel.can_manage(cx.leader, cx.congress)


def test_citizen_data_is_masked_for_all_but_the_staff(cx):
    proposal = _citizen(cx, name="张三丰", phone="13812345678", consent=True)
    staff_view = sel.personal_for(cx.staff, proposal)
    leader_view = sel.personal_for(cx.leader, proposal)
    assert staff_view["name"] == "张三丰" and staff_view["phone"] == "138****5678"
    assert leader_view["name"] == "张**" and leader_view["phone"] == "138****5678"
    assert svc.proposal_reveal_phone(actor=cx.staff, proposal=proposal) == "13812345678"
    with pytest.raises(NotFound):
        svc.proposal_reveal_phone(actor=cx.leader, proposal=proposal)
    assert _audited("reveal_phone") == 1
