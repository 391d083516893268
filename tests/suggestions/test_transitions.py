"""Every step of the suggestion workflow (each Action of suggestions.states.TRANSITIONS), taken
through the services by the role that may take it."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from lianluo.core.errors import Conflict
from lianluo.suggestions.models import Assignment, Contact, Event, Feedback, Reply
from lianluo.suggestions.selectors import department_queue
from lianluo.suggestions.services import suggestion_create
from lianluo.suggestions.states import TRANSITIONS, Action
from tests.factories import suggestions as f
from tests.factories.suggestions import walk


def _year() -> int:
    """Numbers carry the year of filing: the (pinned) clock's, local time."""
    return timezone.localdate().year


pytestmark = pytest.mark.django_db


def actions_of(item) -> list[str]:
    events = Event.objects.filter(suggestion=item).order_by("pk")
    return list(events.values_list("action", flat=True))


def test_filing_numbers_the_item_per_congress_year_and_series(sx, filing):
    first = f.filed(**filing)
    second = f.filed(**filing, period="session")
    third = f.filed(**filing)
    assert first.status == "filed" and first.filed_at is not None
    assert re.fullmatch(rf"430399-{_year()}-R\d{{3}}", first.number)
    assert second.number.startswith(f"430399-{_year()}-S")
    assert int(third.number[-3:]) == int(first.number[-3:]) + 1
    assert actions_of(first) == ["file"]


def test_a_draft_from_a_case_is_filed_by_its_deputy(sx):
    draft = suggestion_create(
        actor=sx.staff, congress=sx.congress, deputy=sx.deputy, title="草稿", text="内容"
    )
    assert draft.status == "draft" and draft.number is None
    item = walk(draft, (sx.author, "file"))
    assert item.status == "filed" and item.number


def test_co_signers_confirm_or_decline_then_staff_register(sx, filing):
    other = f.fellow_deputies(sx.congress, but=sx.deputy, n=2)[1]
    other_user = f.deputy_user(other)
    item = f.filed(**filing, co_signers=[sx.fellow, other])
    item = walk(item, (sx.fellow_user, "cosign"), (other_user, "cosign_refuse"))
    signers = {s.deputy_id: s for s in item.signers.all()}
    assert signers[sx.fellow.pk].confirmed_at and not signers[sx.fellow.pk].refused_at
    assert signers[other.pk].refused_at and not signers[other.pk].confirmed_at
    item = walk(item, (sx.staff, "register"))
    assert item.status == "registered" and item.registered_at is not None


def test_staff_decline_with_a_reason_and_what_becomes_of_it(sx, filing):
    item = walk(
        f.filed(**filing),
        (sx.staff, ("decline", {"reason": "personal", "outcome": "returned", "note": "私事"})),
    )
    assert item.status == "declined"
    assert (item.decline_reason, item.decline_outcome) == ("personal", "returned")
    assert item.closed_at is not None


def test_identical_items_merge_into_one(sx, filing):
    target = f.filed(**filing)
    item = walk(f.filed(**filing), (sx.staff, ("merge", {"into": target.number})))
    assert item.status == "merged" and item.merged_into_id == target.pk
    assert list(target.merged.all()) == [item]


def test_assign_to_a_lead_and_a_co_department_who_sends_its_opinion(sx, filing):
    item = f.assigned(staff=sx.staff, lead=sx.d0, co=[sx.d1], **filing)
    assert item.status == "assigned" and item.mode == "lead"
    roles = dict(Assignment.objects.filter(suggestion=item).values_list("department", "role"))
    assert roles == {sx.d0.pk: "lead", sx.d1.pk: "co"}
    co = Assignment.objects.get(suggestion=item, department=sx.d1)
    assert co.opinion_due is not None and co.change_until is not None
    item = walk(item, (sx.h1, ("opinion", {"text": "交通局意见：同意设置临时停车区。"})))
    assert item.status == "assigned"
    assert Reply.objects.get(suggestion=item, opinion=True).assignment == co
    # the co-department does not reply itself; the lead replies once, stating the opinion
    item = f.replied(item, sx.h0, code="A", text="已设置临时停车区（含交通局意见）。")
    assert item.status == "replied" and item.reply_class == "A"
    assert Reply.objects.filter(suggestion=item, opinion=False).count() == 1


def test_separate_handling_is_replied_once_every_department_replied(sx, filing):
    item = f.assigned(staff=sx.staff, lead=sx.d0, co=[sx.d1], separate=True, **filing)
    assert set(item.assignments.values_list("role", flat=True)) == {"separate"}
    item = f.replied(item, sx.h0, code="A")
    assert item.status == "assigned" and item.replied_at is None
    item = f.replied(item, sx.h1, code="C")
    assert item.status == "replied" and item.replied_at is not None
    assert item.reply_class == "C"  # the latest class among the parts
    assert item.tracking is True


def test_separate_parts_b_and_d_stay_tracked_for_the_b_part(sx, filing):
    item = f.assigned(staff=sx.staff, lead=sx.d0, co=[sx.d1], separate=True, **filing)
    item = f.replied(f.replied(item, sx.h0, code="B"), sx.h1, code="D")
    assert item.reply_class == "D" and item.tracking is True


def test_a_granted_change_request_moves_the_item_to_the_new_department(sx, filing):
    item = f.assigned(staff=sx.staff, lead=sx.d0, **filing)
    assert [a.suggestion_id for a in department_queue(sx.h0)] == [item.pk]
    item = walk(
        item,
        (sx.h0, ("request_change", {"reason": "不属于本局职责"})),
        (sx.staff, ("decide_change", {"accept": True, "department": sx.d2.code})),
    )
    old = Assignment.objects.get(suggestion=item, department=sx.d0)
    new = Assignment.objects.get(suggestion=item, department=sx.d2)
    assert not old.active and new.active and new.role == "lead"
    assert department_queue(sx.h0) == []
    assert [a.suggestion_id for a in department_queue(sx.h2)] == [item.pk]
    assert item.status == "assigned"


def test_a_refused_change_request_leaves_the_department_and_ends_its_window(sx, filing):
    item = walk(
        f.assigned(staff=sx.staff, lead=sx.d0, **filing),
        (sx.h0, ("request_change", {"reason": "不属于本局职责"})),
        (sx.staff, ("decide_change", {"accept": False})),
    )
    mine = Assignment.objects.get(suggestion=item, department=sx.d0)
    assert mine.active and mine.change_requested_at is None
    assert mine.change_until == f.today()


def test_each_department_names_its_leader_and_officer(sx, filing):
    item = f.assigned(staff=sx.staff, lead=sx.d0, co=[sx.d1], **filing)
    item = walk(
        item,
        (sx.h0, ("officer", {"leader": "李局长", "officer": "吴芳", "officer_phone": "0731-1234"})),
        (sx.h1, ("officer", {"leader": "赵局长", "officer": "钱明"})),
    )
    rows = Assignment.objects.filter(suggestion=item).order_by("role")
    assert [(a.role, a.leader, a.officer) for a in rows] == [
        ("co", "赵局长", "钱明"),
        ("lead", "李局长", "吴芳"),
    ]


def test_an_extension_asked_by_the_department_and_granted_by_staff(sx, filing):
    item = f.assigned(staff=sx.staff, lead=sx.d0, **filing)
    before = item.deadline
    until = before + timedelta(days=30)
    item = walk(
        item,
        (sx.h0, ("request_extension", {"reason": "需要财政预算", "until": until})),
        (sx.staff, ("extend", {"until": until, "reason": "涉及预算，延期一个月"})),
    )
    assert item.deadline == until
    event = Event.objects.filter(suggestion=item, action="extend").get()
    assert event.public and event.data["from"] == before.isoformat()


def test_b_and_c_replies_are_tracked_until_a_further_reply_with_a(sx, filing):
    item = f.replied(f.assigned(staff=sx.staff, lead=sx.d0, **filing), sx.h0, code="B")
    assert item.tracking is True and item.reply_class == "B"
    item = walk(item, (sx.h0, ("further_reply", {"code": "C", "text": "仍在推进"})))
    assert item.tracking is True
    item = walk(item, (sx.h0, ("further_reply", {"code": "A", "text": "已经解决"})))
    assert item.tracking is False and item.reply_class == "A"
    assert item.status == "replied"
    assert Reply.objects.filter(suggestion=item, further=True).count() == 2


def test_an_a_or_d_reply_is_not_tracked(sx, filing):
    item = f.replied(f.assigned(staff=sx.staff, lead=sx.d0, **filing), sx.h0, code="D")
    assert item.tracking is False


def test_the_lead_deputy_rates_and_staff_close(sx, filing):
    item = f.replied(f.assigned(staff=sx.staff, lead=sx.d0, **filing), sx.h0)
    assert item.rate_due == f.today() + timedelta(days=10)
    item = f.rated(item, sx.author, "basically_satisfied")
    assert item.status == "rated" and item.last_rating == "basically_satisfied"
    item = walk(item, (sx.staff, "close"))
    assert item.status == "closed" and item.closed_at is not None
    assert list(Feedback.objects.filter(suggestion=item).values_list("rating", flat=True)) == [
        "basically_satisfied"
    ]


def test_key_suggestions_get_a_supervisor_and_a_progress_log(sx, filing):
    item = walk(
        f.assigned(staff=sx.staff, lead=sx.d0, **filing),
        (sx.staff, ("mark_key", {"leader": "王主任", "committee": "城建环资工委"})),
        (sx.staff, ("progress", {"text": "主任会议听取汇报", "public": True})),
    )
    assert item.key and item.supervising_leader == "王主任"
    assert item.supervising_committee == "城建环资工委"
    progress = Event.objects.get(suggestion=item, action="progress")
    assert progress.public and progress.note == "主任会议听取汇报"


def test_an_idea_is_adopted_and_its_outcome_closes_it(sx, filing):
    item = walk(
        f.registered(staff=sx.staff, **filing, kind="idea"),
        (sx.staff, ("adopt", {"note": "采纳"})),
    )
    assert item.status == "adopted" and item.number.startswith(f"430399-{_year()}-I")
    item = walk(item, (sx.staff, ("outcome", {"text": "已纳入明年计划"})))
    assert item.status == "closed"


def test_a_research_report_not_adopted_is_closed(sx, filing):
    item = walk(
        f.registered(staff=sx.staff, **filing, kind="research"),
        (sx.staff, ("not_adopt", {"reason": "条件不成熟"})),
    )
    assert item.status == "not_adopted" and item.number.startswith(f"430399-{_year()}-Y")
    assert walk(item, (sx.staff, "close")).status == "closed"


def test_the_author_withdraws_and_the_departments_lose_it(sx, filing):
    item = f.assigned(staff=sx.staff, lead=sx.d0, **filing)
    item = walk(item, (sx.author, ("withdraw", {"reason": "问题已自行解决"})))
    assert item.status == "withdrawn" and item.closed_at is not None
    assert not Assignment.objects.filter(suggestion=item, active=True).exists()
    assert department_queue(sx.h0) == []


def test_rehandling_after_dissatisfaction_then_a_meeting_after_the_second(sx, filing):
    item = f.replied(f.assigned(staff=sx.staff, lead=sx.d0, **filing), sx.h0, code="A")
    item = f.rated(item, sx.author, "dissatisfied")
    item = walk(item, (sx.staff, ("rehandle", {"note": "请重新办理"})))
    assert item.status == "rehandling" and item.round == 2
    assert item.replied_at is None and item.rate_due is None
    # round 2 needs its own contact before the reply
    item = f.replied(item, sx.h0, code="B", text="第二次答复")
    assert item.status == "replied" and item.round == 2
    item = f.rated(item, sx.author, "dissatisfied")
    with pytest.raises(Conflict) as refused:
        walk(item, (sx.staff, "rehandle"))
    assert refused.value.code == "invalid_transition"
    with pytest.raises(Conflict):
        walk(item, (sx.staff, "close"))  # after a second dissatisfaction: the meeting first
    item = walk(
        item,
        (sx.staff, ("meet", {"date": f.today(), "note": "与代表面商，明确整改时间表"})),
        (sx.staff, "close"),
    )
    assert item.status == "closed" and item.met_on == f.today()
    ratings = list(Feedback.objects.filter(suggestion=item).order_by("round"))
    assert [(r.round, r.rating) for r in ratings] == [(1, "dissatisfied"), (2, "dissatisfied")]
    replies = Reply.objects.filter(suggestion=item, opinion=False).order_by("round")
    assert [(r.round, r.code) for r in replies] == [(1, "A"), (2, "B")]
    assert Contact.objects.filter(assignment__suggestion=item).count() == 2


def test_every_action_of_the_table_is_taken_in_this_module():
    # (file, assign, contact, reply and rate are also taken by tests.factories.suggestions)
    source = "".join(Path(p).read_text(encoding="utf-8") for p in (__file__, f.__file__))
    missing = [a for a in TRANSITIONS if f'"{a}"' not in source]
    assert missing == [], missing
    assert set(TRANSITIONS) == set(Action.values)
