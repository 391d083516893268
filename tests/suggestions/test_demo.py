"""The demo's suggestions: every state, several departments, two congresses, key suggestions
with a progress log, a re-handled one, and suggestions formed from citizens' cases that the
citizens follow by their tracking code — all built through the services, on a fixed day."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction
from django.test import Client, override_settings

from lianluo.cases.models import Case
from lianluo.demo.seed import seed_demo
from lianluo.suggestions.models import Assignment, Event, Suggestion
from lianluo.suggestions.selectors import is_overdue
from lianluo.suggestions.states import Kind, SuggestionStatus

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """The whole demo, built once for the module on a fixed day and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        with (
            override_settings(
                DATA_DIR=tmp_path_factory.mktemp("data"),
                LIANLUO_OUTBOX_MODE="sync",
                PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            ),
            time_machine.travel(NOW, tick=False),
        ):
            ctx = seed_demo(cases=12)
        yield ctx
        transaction.set_rollback(True)


@pytest.fixture
def demo(seeded, db):
    return seeded


def test_every_state_is_in_the_demo(demo):
    states = set(Suggestion.objects.values_list("status", flat=True))
    assert states == set(SuggestionStatus.values)


def test_the_items_span_several_departments_and_two_congresses(demo):
    departments = set(
        Assignment.objects.filter(active=True).values_list("department__code", flat=True)
    )
    assert {"qx-housing", "qx-transport", "qx-agri"} <= departments
    congresses = set(
        Suggestion.objects.exclude(number=None).values_list("congress__area__level", flat=True)
    )
    assert congresses == {"county", "township"}


def test_the_variants_staff_look_for_are_there(demo):
    filed = Suggestion.objects.filter(status="filed")
    # a joint suggestion with a co-signer still to confirm
    assert filed.filter(signers__confirmed_at=None, signers__refused_at=None).exists()
    declined = Suggestion.objects.get(status="declined")
    assert declined.decline_outcome == "letter"
    merged = Suggestion.objects.get(status="merged")
    assert merged.merged_into is not None and merged.merged_into.status == "assigned"
    assert any(is_overdue(s, NOW.date()) for s in Suggestion.objects.filter(status="assigned"))
    again = Suggestion.objects.get(status="rehandling")
    assert again.round == 2 and again.ratings.get(round=1).rating == "dissatisfied"
    closed = Suggestion.objects.filter(status="closed", kind=Kind.SUGGESTION)
    assert closed.filter(reply_class="A").exists()
    assert closed.filter(reply_class="B", tracking=True).exists()
    idea = Suggestion.objects.get(kind=Kind.IDEA, status="closed")
    assert idea.events.filter(action="adopt").exists() and idea.events.filter(action="outcome")
    assert Suggestion.objects.filter(kind=Kind.RESEARCH, status="not_adopted").exists()
    separate = Assignment.objects.filter(role="separate").values("suggestion").distinct()
    assert separate.count() == 1
    assert Assignment.objects.exclude(change_requested_at=None).exists()


def test_key_suggestions_have_leaders_committees_and_a_progress_log(demo):
    key = Suggestion.objects.filter(key=True)
    assert 2 <= key.count() <= 3
    assert all(s.supervising_leader and s.supervising_committee for s in key)
    assert Event.objects.filter(suggestion__in=key, action="progress").count() >= 2


def test_steps_happened_over_the_past_months_in_order(demo):
    item = Suggestion.objects.get(status="rehandling")
    times = list(item.events.values_list("at", flat=True))
    assert times == sorted(times) and times[0] < times[-1]
    assert (NOW - times[0]).days >= 100
    assert all(r.at <= NOW for r in item.replies.all())


def test_citizens_follow_the_suggestions_made_from_their_cases(demo):
    carried = Case.objects.filter(suggestion__number__isnull=False)
    assert carried.values("suggestion").distinct().count() == 2
    answered = carried.filter(suggestion__status="closed")
    assert answered and all(c.status == "answered" for c in answered)
    code = demo["suggestion_tracking_code"]
    assert code in {c.tracking_code for c in answered}
    page = Client().get(f"/t/{code}/")
    assert page.status_code == 200
    assert "幸福里小区路灯已全部更换" in page.content.decode()


def test_a_second_run_adds_no_suggestion(demo):
    before = Suggestion.objects.count(), Event.objects.count()
    with time_machine.travel(NOW, tick=False):
        seed_demo(cases=12)
    assert (Suggestion.objects.count(), Event.objects.count()) == before
