"""Station activities through the services: who runs them, sign-up under a capacity (also when
many deputies press at once), time-limited QR check-in codes (expired, tampered and foreign
codes refused with a reason), the record made afterwards, and the monthly reminder sent once
per station and month."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import signing
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from PIL import Image

from lianluo.activities.models import (
    Activity,
    ActivityPhoto,
    MonthlyReminder,
    MonthlyTheme,
    Signup,
)
from lianluo.activities.services import (
    SuggestionDraft,
    activity_cancel,
    activity_create,
    activity_publish,
    activity_record,
    activity_update,
    checkin_scan,
    checkin_token_issue,
    monthly_reminders_send,
    signup_cancel,
    signup_create,
    theme_set,
)
from lianluo.activities.tasks import send_monthly_reminders
from lianluo.cases.services import photo_clean
from lianluo.core.errors import DomainError, NotFound
from lianluo.core.models import AuditLog, Notification, OutboxMessage, Role, RoleAssignment, User
from lianluo.deputies.models import Deputy
from lianluo.stations.models import Station, StationMembership
from lianluo.suggestions.models import Suggestion

SHANGHAI = ZoneInfo("Asia/Shanghai")


# ---- given: deputies with logins, and activities built through the services -------------------


def deputy_user(deputy: Deputy) -> User:
    """A login acting as this deputy (the demo has one; tests need more)."""
    if deputy.user_id:
        return deputy.user  # type: ignore[return-value]
    user = User.objects.create_user(username=f"u-{deputy.code}", display_name=deputy.name)
    deputy.user = user
    deputy.save(update_fields=["user"])
    RoleAssignment.objects.create(user=user, role=Role.DEPUTY, deputy=deputy)
    return user


def members(station: Station, n: int) -> list[Deputy]:
    """n deputies grouped into the station (adding others to it as needed), demo deputy first."""
    have = list(Deputy.objects.filter(memberships__station=station).order_by("code"))
    for d in Deputy.objects.exclude(memberships__station=station).order_by("code"):
        if len(have) >= n:
            break
        StationMembership.objects.create(station=station, deputy=d, primary=False)
        have.append(d)
    return have[:n]


@pytest.fixture
def cg(demo) -> Station:
    return Station.objects.select_related("area", "congress").get(code="cg-hub")


@pytest.fixture
def make_activity(demo, users, cg) -> Callable[..., Activity]:
    def make(
        *,
        capacity: int | None = None,
        starts_in: timedelta = timedelta(days=2),
        hours: float = 2,
        publish: bool = True,
        station: Station | None = None,
        actor: User | None = None,
        title: str = "民生实事座谈会",
    ) -> Activity:
        start = timezone.now() + starts_in
        activity = activity_create(
            actor=actor or users["liaison"],
            station=station or cg,
            type="symposium",
            title=title,
            place="城关镇政府一楼会议室",
            start=start,
            end=start + timedelta(hours=hours),
            capacity=capacity,
        )
        if publish:
            activity = activity_publish(actor=actor or users["liaison"], activity=activity)
        return activity

    return make


def refused(code: str, call: Callable[[], Any]) -> DomainError:
    with pytest.raises(DomainError) as info:
        call()
    assert info.value.code == code, (info.value.code, str(info.value.message))
    assert str(info.value.message)
    return info.value


def run_together(n: int, work: Callable[[int], Any]) -> tuple[list[Any], list[Exception]]:
    """Run work(0..n-1) in n threads released at the same moment."""
    barrier = threading.Barrier(n)
    results: list[Any] = [None] * n
    errors: list[Exception] = []

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = work(i)
        except Exception as exc:  # reported by the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a sign-up hung"
    return results, errors


# ---- who runs activities ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("admin", True),
        ("staff", True),  # the county's staff: every station in the county
        ("liaison", True),  # the officer of this station
        ("other", False),  # the officer of another township's station
        ("leader", False),  # reads only
        ("deputy", False),
        ("dept", False),
    ],
)
def test_only_the_station_officer_and_area_staff_create_and_publish(
    users, cg, make_activity, role, allowed
):
    # given a draft of the Chengguan hub
    draft = make_activity(publish=False)
    start = timezone.now() + timedelta(days=3)

    # when someone creates and publishes an activity of that station
    def create():
        return activity_create(
            actor=users[role],
            station=cg,
            type="training",
            title="培训",
            place="会议室",
            start=start,
            end=start + timedelta(hours=1),
        )

    if allowed:
        assert create().station == cg
        assert activity_publish(actor=users[role], activity=draft).status == "published"
    else:
        # then others are refused, and nothing changed
        before = Activity.objects.count()
        refused("not_allowed", create)
        refused("not_allowed", lambda: activity_publish(actor=users[role], activity=draft))
        assert Activity.objects.count() == before
        draft.refresh_from_db()
        assert draft.status == "draft"


def test_creating_checks_the_fields(users, cg):
    start = timezone.now() + timedelta(days=1)
    base = {
        "actor": users["liaison"],
        "station": cg,
        "type": "research",
        "title": "调研",
        "place": "村委会",
        "start": start,
        "end": start + timedelta(hours=2),
    }
    # when a field is wrong, the refusal names it
    assert refused("invalid_value", lambda: activity_create(**{**base, "type": "party"})).field == (
        "type"
    )
    assert refused("invalid_value", lambda: activity_create(**{**base, "title": " "})).field == (
        "title"
    )
    bad_end = {**base, "end": start - timedelta(minutes=1)}
    assert refused("invalid_value", lambda: activity_create(**bad_end)).field == "end"
    assert refused("invalid_value", lambda: activity_create(**{**base, "capacity": 0})).field == (
        "capacity"
    )
    other_theme = theme_set(
        actor=users["other"],
        station=Station.objects.get(code="hk-hub"),
        month=timezone.localdate(),
        title="河口主题",
    )
    assert refused("invalid_value", lambda: activity_create(**{**base, "theme": other_theme}))
    assert not Activity.objects.exists()


def test_publishing_tells_the_station_deputies_and_nobody_else(
    users, cg, make_activity, django_capture_on_commit_callbacks
):
    # given the station's deputies with logins, and a deputy of another station with one
    own = [deputy_user(d) for d in members(cg, 3)]
    stranger = deputy_user(Deputy.objects.exclude(memberships__station=cg).first())

    # when the officer publishes an activity (delivery runs after commit)
    with django_capture_on_commit_callbacks(execute=True):
        activity = make_activity()

    # then each of the station's deputies gets one notification linking to it
    rows = OutboxMessage.objects.filter(kind="activity_published")
    assert sorted(r.recipient_id for r in rows) == sorted(u.pk for u in own)
    assert all(r.link == f"/activities/{activity.pk}/" for r in rows)
    assert stranger.pk not in {r.recipient_id for r in rows}
    assert Notification.objects.filter(user=own[0], subject__contains=activity.title).exists()
    assert activity.published_at is not None
    assert AuditLog.objects.filter(verb="activity_publish", target_id=str(activity.pk)).exists()


def test_publishing_twice_is_refused(users, make_activity):
    activity = make_activity()
    refused(
        "invalid_transition", lambda: activity_publish(actor=users["liaison"], activity=activity)
    )


def test_a_theme_of_the_month_is_set_once_per_station_and_month(users, cg):
    # when the officer sets this month's theme twice
    first = theme_set(actor=users["liaison"], station=cg, month=date(2026, 5, 17), title="优化营商")
    second = theme_set(actor=users["liaison"], station=cg, month=date(2026, 5, 2), title="乡村振兴")

    # then there is one theme for May, the last one given, stored on the 1st
    assert first.pk == second.pk
    theme = MonthlyTheme.objects.get(station=cg)
    assert (theme.month, theme.title) == (date(2026, 5, 1), "乡村振兴")
    refused(
        "not_allowed",
        lambda: theme_set(actor=users["other"], station=cg, month=date(2026, 5, 1), title="x"),
    )  # noqa: E501


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


# ---- changes and cancellation -----------------------------------------------------------------


def test_the_capacity_never_drops_below_the_sign_ups_and_a_move_is_announced(
    cg, users, make_activity
):
    # given three deputies signed up
    activity = make_activity(capacity=5)
    people = [deputy_user(d) for d in members(cg, 3)]
    for user in people:
        signup_create(actor=user, activity=activity)
    fields = {
        "type": activity.type,
        "title": activity.title,
        "place": activity.place,
        "start": activity.start,
        "end": activity.end,
    }

    # when the officer lowers the capacity to two, it is refused
    error = refused(
        "invalid_value",
        lambda: activity_update(actor=users["liaison"], activity=activity, capacity=2, **fields),
    )
    assert error.field == "capacity"

    # when the officer moves it a day later, the three are told
    later = {**fields, "start": fields["start"] + timedelta(days=1)}
    later["end"] = later["start"] + timedelta(hours=2)
    activity_update(actor=users["liaison"], activity=activity, capacity=3, **later)
    changed = OutboxMessage.objects.filter(kind="activity_changed")
    assert sorted(m.recipient_id for m in changed) == sorted(u.pk for u in people)
    activity.refresh_from_db()
    assert (activity.capacity, activity.start) == (3, later["start"])


def test_cancelling_tells_those_who_signed_up(users, make_activity):
    activity = make_activity()
    signup_create(actor=users["deputy"], activity=activity)

    activity_cancel(actor=users["liaison"], activity=activity, reason="因天气原因取消")

    (message,) = OutboxMessage.objects.filter(kind="activity_cancelled")
    assert message.recipient == users["deputy"]
    assert message.body == "因天气原因取消"
    refused(
        "invalid_transition", lambda: activity_cancel(actor=users["liaison"], activity=activity)
    )


# ---- the record afterwards --------------------------------------------------------------------


@pytest.fixture
def photo_storage(tmp_path, monkeypatch):
    field = ActivityPhoto._meta.get_field("file")
    monkeypatch.setattr(field, "storage", FileSystemStorage(location=tmp_path, base_url=None))
    return tmp_path


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (28.0, 12.0, 30.5), 3: "E", 4: (112.0, 56.0, 10.2)}
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), "red").save(buf, "JPEG", exif=exif.tobytes())
    return buf.getvalue()


def test_the_record_keeps_attendance_summary_photos_and_suggestions(
    cg, users, make_activity, photo_storage
):
    # given an activity under way: the demo deputy checked in by QR code, a second one signed
    # up and checked in by mistake, a third came without a phone
    activity = make_activity(starts_in=timedelta(minutes=10))
    me, mistaken, walk_in = members(cg, 3)
    token = checkin_token_issue(actor=users["liaison"], activity=activity).token
    checkin_scan(actor=users["deputy"], token=token)
    checkin_scan(actor=deputy_user(mistaken), token=token)
    earlier = Suggestion.objects.create(
        congress=cg.congress, deputy=me, title="已有建议", text="……", created_by=users["staff"]
    )

    # when, after it began, the officer records it
    with time_machine.travel(activity.start + timedelta(hours=1)):
        activity = activity_record(
            actor=users["liaison"],
            activity=activity,
            attended=[me, walk_in],
            summary="  座谈形成建议三条。 ",
            photos=[photo_clean(jpeg_with_gps())],
            suggestions=[earlier],
            new_suggestions=[SuggestionDraft("关于增设公交线路的建议", "建议增设……", walk_in)],
        )

    # then the activity is held, with the attendance as recorded
    assert activity.status == "done"
    assert activity.summary == "座谈形成建议三条。"
    present = set(
        Signup.objects.filter(activity=activity, checked_in_at__isnull=False).values_list(
            "deputy_id", flat=True
        )
    )
    assert present == {me.pk, walk_in.pk}
    # (marked by hand: present at the activity, stamped with its start)
    assert Signup.objects.get(activity=activity, deputy=walk_in).checked_in_at == activity.start
    # and the photo lost its location
    (photo,) = ActivityPhoto.objects.filter(activity=activity)
    with photo.file.open("rb") as f:
        assert not Image.open(f).getexif().get_ifd(0x8825)
    # and the suggestions are linked, the new one filed as a draft for the deputy named
    linked = {s.title: s for s in activity.suggestions.all()}
    assert set(linked) == {"已有建议", "关于增设公交线路的建议"}
    assert linked["关于增设公交线路的建议"].deputy == walk_in
    assert linked["关于增设公交线路的建议"].status == "draft"
    entry = AuditLog.objects.get(verb="activity_record")
    assert entry.data["marked_present"] == [walk_in.code]
    assert entry.data["unmarked"] == [mistaken.pk]


def test_the_record_waits_for_the_start_and_refuses_strangers(users, make_activity):
    activity = make_activity(starts_in=timedelta(hours=2))
    stranger = Deputy.objects.exclude(memberships__station=activity.station).first()

    refused(
        "invalid_transition",
        lambda: activity_record(
            actor=users["liaison"], activity=activity, attended=[], summary="x"
        ),
    )
    with time_machine.travel(activity.start + timedelta(minutes=5)):
        error = refused(
            "invalid_value",
            lambda: activity_record(
                actor=users["liaison"], activity=activity, attended=[stranger], summary="x"
            ),
        )
        assert stranger.name in str(error.message)
        refused(
            "not_allowed",
            lambda: activity_record(
                actor=users["other"], activity=activity, attended=[], summary="x"
            ),
        )
    activity.refresh_from_db()
    assert activity.status == "published"


# ---- monthly reminders ------------------------------------------------------------------------


def test_the_monthly_reminder_goes_out_once_per_station_and_month(cg, users, make_activity):
    # given May's theme at the Chengguan hub and a published activity in May, with the
    # station's deputies and officer having logins; Hekou's hub has nothing published yet
    people = [deputy_user(d) for d in members(cg, 2)]
    hk = Station.objects.get(code="hk-hub")
    stations = Station.objects.filter(active=True).count()
    theme_set(actor=users["liaison"], station=cg, month=date(2026, 5, 1), title="优化营商环境")
    with time_machine.travel(datetime(2026, 5, 1, 7, tzinfo=SHANGHAI), tick=False):
        activity = make_activity(starts_in=timedelta(days=9), title="园区企业座谈")
        make_activity(starts_in=timedelta(days=9), publish=False, title="草稿活动")

        # when the job runs on the 1st, and again later that day
        first = monthly_reminders_send()
        second = monthly_reminders_send()

    # then every station was reminded once, and a re-run sent nothing
    assert (first, second) == (stations, 0)
    assert MonthlyReminder.objects.filter(month=date(2026, 5, 1)).count() == stations
    # and Chengguan's deputies and officer got one notification each, listing the theme and
    # the published activity (not the draft)
    cg_rows = OutboxMessage.objects.filter(kind="activity_monthly", subject__contains=cg.name)
    assert sorted(r.recipient_id for r in cg_rows) == sorted(
        [u.pk for u in people] + [users["liaison"].pk]
    )
    body = cg_rows[0].body
    assert "优化营商环境" in body and activity.title in body and "草稿活动" not in body
    assert cg_rows[0].link == "/activities/?station=cg-hub"
    # and Hekou's officer was told that nothing is published yet
    (hk_row,) = OutboxMessage.objects.filter(kind="activity_monthly", subject__contains=hk.name)
    assert hk_row.recipient == users["other"]
    assert "园区企业座谈" not in hk_row.body
    sent_in_may = OutboxMessage.objects.filter(kind="activity_monthly").count()

    # and when the job runs on the 20th, nothing more
    with time_machine.travel(datetime(2026, 5, 20, 8, tzinfo=SHANGHAI), tick=False):
        assert monthly_reminders_send() == 0
    # in June, once more: the task (Celery or not) and the command run the same job
    with time_machine.travel(datetime(2026, 6, 1, 8, tzinfo=SHANGHAI), tick=False):
        assert send_monthly_reminders() == stations
        out = io.StringIO()
        call_command("activities_monthly_reminders", stdout=out)
        assert "0 station(s)" in out.getvalue()
    assert OutboxMessage.objects.filter(kind="activity_monthly").count() == sent_in_may * 2


def test_the_monthly_reminder_command_takes_a_date(cg, users):
    theme_set(actor=users["liaison"], station=cg, month=date(2026, 3, 1), title="三月主题")
    out = io.StringIO()
    call_command("activities_monthly_reminders", "--date", "2026-03-15", stdout=out)
    stations = Station.objects.filter(active=True).count()
    assert f"{stations} station(s)" in out.getvalue()
    assert MonthlyReminder.objects.get(station=cg).month == date(2026, 3, 1)
    (row,) = OutboxMessage.objects.filter(
        kind="activity_monthly", recipient=users["liaison"], subject__contains=cg.name
    )
    assert "三月主题" in row.body
