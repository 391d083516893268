"""Station activities through the services, their life: who runs them, the theme of the month,
changes and cancellation, the record made afterwards, and the monthly reminder sent once per
station and month."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
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
    signup_create,
    theme_set,
)
from lianluo.activities.tasks import send_monthly_reminders
from lianluo.cases.services import photo_clean
from lianluo.core.models import AuditLog, Notification, OutboxMessage
from lianluo.deputies.models import Deputy
from lianluo.stations.models import Station
from lianluo.suggestions.models import Suggestion
from tests.activities.conftest import refused
from tests.factories.activities import deputy_user, members

SHANGHAI = ZoneInfo("Asia/Shanghai")


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
