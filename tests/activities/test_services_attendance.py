"""Station activities through the services, attendance: sign-up under a capacity (also when
many deputies press at once), and time-limited QR check-in codes (expired, tampered and foreign
codes refused with a reason)."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import signing
from django.utils import timezone

from lianluo.activities.models import (
    Signup,
)
from lianluo.activities.services import (
    activity_cancel,
    checkin_scan,
    checkin_token_issue,
    signup_cancel,
    signup_create,
)
from lianluo.core.errors import DomainError, NotFound
from lianluo.core.models import AuditLog
from lianluo.deputies.models import Deputy
from lianluo.stations.models import Station
from tests.activities.conftest import refused
from tests.factories.activities import deputy_user, members
from tests.threads import run_together

SHANGHAI = ZoneInfo("Asia/Shanghai")


# ---- sign-up ----------------------------------------------------------------------------------


def test_a_deputy_signs_up_once_however_often_they_tap(users, make_activity):
    activity = make_activity(capacity=5)

    # when the deputy signs up twice
    first, created = signup_create(actor=users["deputy"], activity=activity)
    again, created_again = signup_create(actor=users["deputy"], activity=activity)

    # then there is one sign-up
    assert (created, created_again) == (True, False)
    assert first.pk == again.pk
    assert Signup.objects.filter(activity=activity).count() == 1


def test_the_last_place_goes_to_one_deputy_and_the_next_one_is_told_it_is_full(cg, make_activity):
    # given an activity with two places and three of the station's deputies
    activity = make_activity(capacity=2)
    a, b, c = (deputy_user(d) for d in members(cg, 3))

    # when all three sign up in turn
    signup_create(actor=a, activity=activity)
    signup_create(actor=b, activity=activity)
    error = refused("full", lambda: signup_create(actor=c, activity=activity))

    # then the third is refused with a conflict, and two places are taken
    assert error.status == 409
    assert "2" in str(error.message)
    assert Signup.objects.filter(activity=activity).count() == 2


@pytest.mark.django_db(transaction=True)
def test_simultaneous_sign_ups_never_exceed_the_capacity(demo, users, cg, make_activity):
    # given three places and eight deputies of the station pressing "sign up" at the same moment
    activity = make_activity(capacity=3)
    people = [deputy_user(d) for d in members(cg, 8)]

    # when their sign-ups run at once, each in its own transaction
    results, errors = run_together(
        8, lambda i: signup_create(actor=people[i], activity=activity)[1]
    )

    # then exactly three got a place, and every other one was told it is full
    assert results.count(True) == 3
    assert len(errors) == 5
    assert all(isinstance(e, DomainError) and e.code == "full" for e in errors), errors
    assert Signup.objects.filter(activity=activity).count() == 3


def test_a_deputy_of_another_station_neither_finds_nor_joins_it(users, make_activity):
    # given an activity of the Hekou hub, and the demo deputy who belongs to Chengguan
    hk = Station.objects.get(code="hk-hub")
    activity = make_activity(station=hk, actor=users["other"])

    # when the deputy tries to sign up, it is as if it did not exist
    with pytest.raises(NotFound):
        signup_create(actor=users["deputy"], activity=activity)
    assert not Signup.objects.exists()


def test_only_deputies_sign_up(users, make_activity):
    activity = make_activity()
    refused("not_allowed", lambda: signup_create(actor=users["liaison"], activity=activity))


def test_sign_up_is_open_only_while_published_and_before_the_start(users, make_activity):
    # given a draft, a cancelled activity and one about to begin
    draft = make_activity(publish=False)
    cancelled = activity_cancel(actor=users["liaison"], activity=make_activity())
    soon = make_activity(starts_in=timedelta(minutes=30))

    # then a draft is not there for the deputy, a cancelled one is closed
    with pytest.raises(NotFound):
        signup_create(actor=users["deputy"], activity=draft)
    refused("not_open", lambda: signup_create(actor=users["deputy"], activity=cancelled))

    # and once the activity has begun, sign-up is closed
    with time_machine.travel(soon.start + timedelta(minutes=1), tick=False):
        refused("started", lambda: signup_create(actor=users["deputy"], activity=soon))
    assert not Signup.objects.exists()


def test_withdrawing_frees_the_place_until_the_start(cg, users, make_activity):
    # given a full activity with one place
    activity = make_activity(capacity=1)
    other = deputy_user(members(cg, 2)[1])
    signup_create(actor=users["deputy"], activity=activity)
    refused("full", lambda: signup_create(actor=other, activity=activity))

    # when the deputy withdraws (twice: the second time changes nothing)
    assert signup_cancel(actor=users["deputy"], activity=activity) is True
    assert signup_cancel(actor=users["deputy"], activity=activity) is False

    # then the place is free for another deputy
    assert signup_create(actor=other, activity=activity)[1] is True

    # and after the start, a sign-up can no longer be withdrawn
    with time_machine.travel(activity.start + timedelta(minutes=5), tick=False):
        refused("started", lambda: signup_cancel(actor=other, activity=activity))
    assert Signup.objects.filter(activity=activity).count() == 1


# ---- QR check-in ------------------------------------------------------------------------------


def test_a_fresh_code_checks_the_deputy_in_and_a_second_scan_changes_nothing(users, make_activity):
    # given an activity under way that the deputy signed up for
    activity = make_activity(starts_in=timedelta(minutes=30))
    signup_create(actor=users["deputy"], activity=activity)
    code = checkin_token_issue(actor=users["liaison"], activity=activity)
    assert code.url.endswith(f"/activities/checkin/?t={code.token}")

    # when the deputy scans it, then scans again a minute later
    signup, first = checkin_scan(actor=users["deputy"], token=code.token)
    with time_machine.travel(timezone.now() + timedelta(minutes=1)):
        again, first_again = checkin_scan(actor=users["deputy"], token=code.token)

    # then the first scan checked them in, and the second kept that time
    assert (first, first_again) == (True, False)
    assert again.checked_in_at == signup.checked_in_at is not None
    assert AuditLog.objects.filter(verb="activity_checkin").count() == 1


def test_a_code_is_accepted_for_its_lifetime_and_refused_after_it(settings, users, make_activity):
    # given a code issued now, and a lifetime of ten minutes
    settings.LIANLUO_CHECKIN_TOKEN_SECONDS = 600
    activity = make_activity(starts_in=timedelta(minutes=10))
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        token = checkin_token_issue(actor=users["liaison"], activity=activity).token

    # when it is scanned eleven minutes later
    with time_machine.travel(now + timedelta(seconds=601), tick=False):
        error = refused("expired", lambda: checkin_scan(actor=users["deputy"], token=token))

    # then it is refused as expired, with the reason, and nobody is checked in
    assert error.status == 422
    assert not Signup.objects.filter(checked_in_at__isnull=False).exists()

    # but within its lifetime it is accepted
    with time_machine.travel(now + timedelta(seconds=590), tick=False):
        assert checkin_scan(actor=users["deputy"], token=token)[1] is True


def test_the_lifetime_is_a_setting(settings, users, make_activity):
    settings.LIANLUO_CHECKIN_TOKEN_SECONDS = 60
    activity = make_activity(starts_in=timedelta(minutes=10))
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        code = checkin_token_issue(actor=users["liaison"], activity=activity)
    assert code.expires_at == now + timedelta(seconds=60)
    with time_machine.travel(now + timedelta(seconds=61), tick=False):
        refused("expired", lambda: checkin_scan(actor=users["deputy"], token=code.token))


@pytest.mark.parametrize(
    "forge",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # a changed signature
        lambda t: "999" + t[t.index(":") :],  # another activity id under the same signature
        lambda t: t.split(":")[0],  # the id alone
        lambda t: "",
        lambda t: "hello world",
        lambda t: signing.TimestampSigner(salt="other").sign(t.split(":")[0]),  # not our salt
    ],
    ids=["signature", "activity-id", "bare-id", "empty", "text", "other-salt"],
)
def test_a_tampered_or_foreign_code_is_refused(users, make_activity, forge):
    activity = make_activity(starts_in=timedelta(minutes=10))
    signup_create(actor=users["deputy"], activity=activity)
    token = checkin_token_issue(actor=users["liaison"], activity=activity).token

    refused("invalid_token", lambda: checkin_scan(actor=users["deputy"], token=forge(token)))
    assert not Signup.objects.filter(checked_in_at__isnull=False).exists()


def test_a_code_of_another_activity_is_refused_where_one_activity_is_expected(users, make_activity):
    # given two activities under way, and the code of the second
    first = make_activity(starts_in=timedelta(minutes=10))
    second = make_activity(starts_in=timedelta(minutes=10), title="第二场")
    token = checkin_token_issue(actor=users["liaison"], activity=second).token

    # when it is presented for the first one
    error = refused(
        "wrong_activity",
        lambda: checkin_scan(actor=users["deputy"], token=token, activity_id=first.pk),
    )
    assert error.status == 422
    assert not Signup.objects.exists()


def test_a_member_who_did_not_sign_up_is_checked_in_while_places_are_free(cg, users, make_activity):
    # given one place left, and two deputies of the station who did not sign up
    activity = make_activity(capacity=1, starts_in=timedelta(minutes=10))
    first, second = (deputy_user(d) for d in members(cg, 3)[1:])
    token = checkin_token_issue(actor=users["liaison"], activity=activity).token

    # when both scan, the first takes the place, the second is told it is full
    assert checkin_scan(actor=first, token=token)[1] is True
    refused("full", lambda: checkin_scan(actor=second, token=token))
    assert Signup.objects.filter(activity=activity, checked_in_at__isnull=False).count() == 1


def test_a_deputy_of_another_station_cannot_check_in_with_the_code(users, make_activity):
    activity = make_activity(starts_in=timedelta(minutes=10))
    token = checkin_token_issue(actor=users["liaison"], activity=activity).token
    stranger = deputy_user(
        Deputy.objects.exclude(memberships__station=activity.station).order_by("code").first()
    )

    error = refused("not_member", lambda: checkin_scan(actor=stranger, token=token))
    assert activity.station.name in str(error.message)
    assert not Signup.objects.exists()


def test_codes_are_shown_from_an_hour_before_the_start_until_the_end(users, make_activity):
    activity = make_activity(starts_in=timedelta(hours=3), hours=2)

    # too early: the officer is told when check-in opens
    refused("too_early", lambda: checkin_token_issue(actor=users["liaison"], activity=activity))
    with time_machine.travel(activity.start - timedelta(minutes=59), tick=False):
        assert checkin_token_issue(actor=users["liaison"], activity=activity).token
    with time_machine.travel(activity.end + timedelta(minutes=1), tick=False):
        refused("not_open", lambda: checkin_token_issue(actor=users["liaison"], activity=activity))
    # and never to someone who does not run the station
    with time_machine.travel(activity.start, tick=False):
        for role in ("other", "deputy", "leader"):
            refused(
                "not_allowed", lambda r=role: checkin_token_issue(actor=users[r], activity=activity)
            )  # noqa: E501


def test_a_cancelled_activity_takes_no_more_check_ins(users, make_activity):
    activity = make_activity(starts_in=timedelta(minutes=10))
    signup_create(actor=users["deputy"], activity=activity)
    token = checkin_token_issue(actor=users["liaison"], activity=activity).token
    activity_cancel(actor=users["liaison"], activity=activity, reason="暴雨")

    refused("not_open", lambda: checkin_scan(actor=users["deputy"], token=token))
    assert not Signup.objects.filter(checked_in_at__isnull=False).exists()


def test_a_checked_in_sign_up_cannot_be_withdrawn(users, make_activity):
    activity = make_activity(starts_in=timedelta(minutes=10))
    token = checkin_token_issue(actor=users["liaison"], activity=activity).token
    checkin_scan(actor=users["deputy"], token=token)
    refused("checked_in", lambda: signup_cancel(actor=users["deputy"], activity=activity))
    assert Signup.objects.filter(checked_in_at__isnull=False).count() == 1
