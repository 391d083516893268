"""Reminders through the outbox: each fires on its day, to the right people, and only once (a
re-run the same day, or the next day, sends nothing new)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from lianluo.core.models import OutboxMessage
from lianluo.deputies.models import Deputy
from lianluo.suggestions.models import Event, Suggestion
from lianluo.suggestions.reminders import suggestion_reminders_send
from lianluo.suggestions.services import suggestion_new, suggestion_transition

TZ = ZoneInfo("Asia/Shanghai")
ASSIGNED = date(2026, 3, 2)


@pytest.fixture
def demo(demo_shared):
    return demo_shared


def _at(day: date):
    return time_machine.travel(datetime.combine(day, time(9), tzinfo=TZ), tick=False)


def _send(day: date) -> int:
    with _at(day):
        return suggestion_reminders_send()


def _sent(item: Suggestion, kind: str) -> list[str]:
    return list(
        Event.objects.filter(suggestion=item, action="remind", data__kind=kind)
        .order_by("pk")
        .values_list("data__step", flat=True)
    )


def _step(item: Suggestion, actor, action: str, day: date, **fields) -> Suggestion:
    with _at(day):
        return suggestion_transition(actor=actor, suggestion=item, action=action, **fields)


@pytest.fixture
def assigned(demo, users) -> Suggestion:
    """A suggestion of the demo deputy, assigned to the housing bureau on ASSIGNED."""
    deputy = Deputy.objects.get(user=users["deputy"])
    with _at(ASSIGNED - timedelta(days=5)):
        item = suggestion_new(
            actor=users["deputy"],
            congress=demo["county_congress"],
            deputy=deputy,
            title="关于修缮城关小学围墙的建议",
            text="围墙倒塌，需要修缮。",
        )
    item = _step(item, users["staff"], "register", ASSIGNED - timedelta(days=3))
    return _step(item, users["staff"], "assign", ASSIGNED, lead=demo["departments"][0])


def _contacted(item: Suggestion, users, day: date) -> Suggestion:
    return _step(item, users["dept"], "contact", day, method="phone", date=day)


def test_due_in_30_7_and_1_days_each_once_to_the_department(assigned, users):
    item = _contacted(assigned, users, ASSIGNED + timedelta(days=1))
    due = item.deadline
    for day in (due - timedelta(days=31), ASSIGNED + timedelta(days=2)):
        assert _send(day) == 0
    for days in (30, 7, 1):
        # on its day the reminder goes out, once; the next days add nothing
        assert _send(due - timedelta(days=days)) == 1
        assert _send(due - timedelta(days=days)) == 0
        assert _send(due - timedelta(days=days - 1)) == 0 or days == 1
    assert _send(due) == 0
    assert _sent(item, "due") == [f"{due}:30", f"{due}:7", f"{due}:1"]
    messages = OutboxMessage.objects.filter(kind="suggestion_due")
    assert {m.recipient.username for m in messages} == {"dept"}
    assert "30" in messages.order_by("pk").first().subject


def test_overdue_once_then_weekly(assigned, users):
    item = _contacted(assigned, users, ASSIGNED + timedelta(days=1))
    due = item.deadline
    _send(due - timedelta(days=1))
    assert _send(due + timedelta(days=1)) == 1
    for n in range(2, 8):
        assert _send(due + timedelta(days=n)) == 0
    assert _send(due + timedelta(days=8)) == 1
    assert _send(due + timedelta(days=8)) == 0
    assert _sent(item, "overdue") == [f"{due}:w0", f"{due}:w1"]
    assert Suggestion.objects.get(pk=item.pk).status == "assigned"  # a reminder changes nothing


def test_no_contact_with_the_deputy_30_days_after_assignment(assigned, users):
    _send(ASSIGNED + timedelta(days=29))
    assert _sent(assigned, "no_contact") == []
    assert _send(ASSIGNED + timedelta(days=30)) == 1
    assert _send(ASSIGNED + timedelta(days=31)) == 0
    assert len(_sent(assigned, "no_contact")) == 1
    message = OutboxMessage.objects.get(kind="suggestion_no_contact")
    assert message.recipient.username == "dept"


def test_a_contacted_item_gets_no_contact_reminder(assigned, users):
    _contacted(assigned, users, ASSIGNED + timedelta(days=10))
    _send(ASSIGNED + timedelta(days=40))
    assert _sent(assigned, "no_contact") == []


def test_the_deputy_is_asked_to_rate_then_staff_told_the_time_passed(assigned, users):
    replied_on = ASSIGNED + timedelta(days=20)
    _contacted(assigned, users, replied_on)
    item = _step(assigned, users["dept"], "reply", replied_on, code="A", text="已修好")
    due = item.rate_due
    _send(due - timedelta(days=4))
    assert _sent(item, "rate") == []
    assert _send(due - timedelta(days=3)) == 1
    assert _send(due) == 0
    assert OutboxMessage.objects.get(kind="suggestion_rate").recipient == users["deputy"]
    assert _send(due + timedelta(days=1)) == 1
    assert _send(due + timedelta(days=2)) == 0
    assert OutboxMessage.objects.get(kind="suggestion_unrated").recipient == users["staff"]


def test_staff_hear_of_a_change_request_once(assigned, users):
    _step(
        assigned, users["dept"], "request_change", ASSIGNED + timedelta(days=2), reason="非我局职责"
    )
    assert _send(ASSIGNED + timedelta(days=2)) == 1
    assert _send(ASSIGNED + timedelta(days=3)) == 0
    message = OutboxMessage.objects.get(kind="suggestion_change")
    assert message.recipient == users["staff"] and "非我局职责" in message.body


def test_the_command_sends_and_reports(assigned, users):
    out = StringIO()
    with _at(ASSIGNED + timedelta(days=30)):
        call_command("send_suggestion_reminders", stdout=out)
        call_command("send_suggestion_reminders", stdout=out)
    assert out.getvalue().splitlines() == [
        "1 suggestion reminder(s) queued.",
        "0 suggestion reminder(s) queued.",
    ]
