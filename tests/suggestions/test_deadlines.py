"""Deadlines in calendar months and in working days (China's calendar with 调休, and the
congress's own days): the answer, difficult items, the change-request window, the co-department's
opinion, re-handling, and the rating window that closing waits for."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from lianluo.core.errors import Conflict
from lianluo.core.models import Congress, Holiday
from lianluo.core.workdays import add_working_days, is_working_day
from lianluo.deputies.models import Mandate
from lianluo.suggestions.models import Assignment, Feedback, Rules
from tests.factories import suggestions as f
from tests.factories.suggestions import on, walk

pytestmark = pytest.mark.django_db


def test_november_30_plus_three_months_is_the_end_of_february_a_make_up_workday(sx, filing):
    # 2026-02-28 is a Saturday, but a make-up workday (调休) for the Spring Festival
    with on("2025-11-30"):
        item = f.assigned(staff=sx.staff, lead=sx.d0, **filing)
    assert item.deadline == date(2026, 2, 28)


def test_a_deadline_on_a_sunday_moves_to_the_next_working_day(sx, filing):
    # 2026-11-30 + 3 months = 2027-02-28 (clamped), a Sunday → Monday 2027-03-01
    with on("2026-11-30"):
        item = f.assigned(staff=sx.staff, lead=sx.d0, **filing)
    assert item.deadline == date(2027, 3, 1)


def test_a_difficult_item_has_six_months(sx, filing):
    with on("2026-12-02"):
        plain = f.assigned(staff=sx.staff, lead=sx.d0, **filing)
        difficult = f.assigned(staff=sx.staff, lead=sx.d0, difficult=True, **filing)
    assert plain.deadline == date(2027, 3, 2)
    assert difficult.difficult and difficult.deadline == date(2027, 6, 2)


def test_a_holiday_of_the_congress_pushes_the_deadline(sx, filing):
    Holiday.objects.create(congress=sx.congress, date=date(2027, 3, 2), name="县庆")
    with on("2026-12-02"):
        item = f.assigned(staff=sx.staff, lead=sx.d0, **filing)
    assert item.deadline == date(2027, 3, 3)


def test_a_county_holiday_holds_for_its_townships(sx):
    township = Congress.objects.get(area=sx.demo["townships"][0])
    seat = Mandate.objects.filter(congress=township, active=True).select_related("deputy").first()
    Holiday.objects.create(congress=sx.congress, date=date(2027, 3, 2), name="县庆")
    with on("2026-12-02"):
        item = f.assigned(
            staff=sx.staff, lead=sx.d0, actor=sx.staff, deputy=seat.deputy, congress=township
        )
    assert item.number.startswith(township.number_prefix)
    assert item.deadline == date(2027, 3, 3)


def test_the_change_window_counts_working_days_across_national_day(sx, filing):
    # assigned Tue 2026-09-29: Sep 30 (1), Oct 1–7 off, Oct 8 (2), Oct 9 (3), Sat Oct 10 is a
    # make-up workday (4), Oct 12 (5), Oct 13 (6), Oct 14 (7)
    assert not is_working_day(date(2026, 10, 5)) and is_working_day(date(2026, 10, 10))
    with on("2026-09-29"):
        item = f.assigned(staff=sx.staff, lead=sx.d0, co=[sx.d1], **filing)
    rows = Assignment.objects.filter(suggestion=item)
    assert {a.change_until for a in rows} == {date(2026, 10, 14)}
    assert rows.get(department=sx.d1).opinion_due == date(2026, 10, 29)
    with on("2026-10-14", hour=17):
        walk(item, (sx.h0, ("request_change", {"reason": "职责不符"})))
    with on("2026-10-15"), pytest.raises(Conflict) as late:
        walk(item, (sx.h1, ("request_change", {"reason": "职责不符"})))
    assert late.value.code == "change_too_late"


def test_the_congress_sets_its_own_time_limits(sx, filing):
    Rules.objects.create(congress=sx.congress, answer_months=2, change_request_days=3, rate_days=5)
    with on("2026-12-02"):
        item = f.assigned(staff=sx.staff, lead=sx.d0, **filing)
        item = f.replied(item, sx.h0)
    assert item.deadline == date(2027, 2, 2)
    assert Assignment.objects.get(suggestion=item).change_until == add_working_days(
        date(2026, 12, 2), 3
    )
    assert item.rate_due == date(2026, 12, 7)


def test_rehandling_has_its_own_one_month_deadline(sx, filing):
    with on("2026-12-02"):
        item = f.replied(f.assigned(staff=sx.staff, lead=sx.d0, **filing), sx.h0)
        item = f.rated(item, sx.author, "dissatisfied")
    with on("2026-12-10"):
        item = walk(item, (sx.staff, "rehandle"))
    assert item.round == 2 and item.deadline == date(2027, 1, 11)  # Jan 10 is a Sunday


def test_closing_waits_for_the_rating_window_then_records_no_answer(sx, filing):
    with on("2026-12-02"):
        item = f.replied(f.assigned(staff=sx.staff, lead=sx.d0, **filing), sx.h0)
    assert item.rate_due == date(2026, 12, 12)
    with on("2026-12-12", hour=23), pytest.raises(Conflict) as early:
        walk(item, (sx.staff, "close"))
    assert early.value.code == "rating_open"
    with on("2026-12-13"):
        item = walk(item, (sx.staff, "close"))
    assert item.status == "closed" and item.last_rating == "no_answer"
    feedback = Feedback.objects.get(suggestion=item)
    assert feedback.rating == "no_answer" and feedback.by is None


def test_overdue_and_due_soon(sx, filing):
    from lianluo.suggestions.selectors import is_due_soon, is_overdue, suggestion_ledger

    with on("2026-12-02"):
        late = f.assigned(staff=sx.staff, lead=sx.d0, **filing)
        soon = f.assigned(staff=sx.staff, lead=sx.d0, **filing)
        walk(soon, (sx.staff, ("extend", {"until": date(2027, 3, 20), "reason": "需要预算"})))
    with on("2027-03-03"):
        late.refresh_from_db()
        soon.refresh_from_db()
        assert is_overdue(late) and not is_due_soon(late)
        assert is_due_soon(soon) and not is_overdue(soon)
        ledger = list(suggestion_ledger(sx.staff))
        assert ledger.index(late) < ledger.index(soon)  # overdue first
        assert list(suggestion_ledger(sx.staff, overdue=True)) == [late]
    assert late.deadline + timedelta(days=1) == date(2027, 3, 3)
