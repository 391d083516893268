"""Publication (值班预告公示): at least N days ahead per congress (default 3), refused with the
reason otherwise; what the public sees (schedule API, station page); cancellation."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.test import Client

from lianluo.core.errors import DomainError
from lianluo.core.models import Notification, OutboxMessage
from lianluo.stations.models import ReceptionDay
from lianluo.stations.selectors import reception_days_upcoming
from lianluo.stations.services import (
    reception_day_cancel,
    reception_day_publish,
    reception_days_publish,
)
from tests.factories.stations import on, reception_days_made, station_with_deputies

# The story is set on fixed days (time_machine) next to the days the demo generates from
# "today": the demo is built on the day the story was written for, whatever --clock says.
pytestmark = pytest.mark.clock("2026-12-02T10:00")


@pytest.fixture
def daily(demo, users):
    """A station receiving every day (rotation, one deputy); days generated for 2027-01-04…
    2027-01-20 on 2027-01-04, all drafts."""
    station, deputies = station_with_deputies(
        demo,
        code="test-daily",
        name="城关每日接待站",
        address="城关镇人民路9号",
        deputies=3,
        deputy_code="daily",
        deputy_name="每日代表",
    )
    deputies[0].user = users["deputy"].__class__.objects.create_user(
        "daily-0", password="x", display_name="每日代表0"
    )
    deputies[0].save()
    reception_days_made(
        actor=users["staff"],
        station=station,
        kind="weekdays",
        values=list(range(7)),
        end=time(11),
        deputies_per_day=1,
        generated_on=(2027, 1, 4),
        until=date(2027, 1, 20),
    )
    return station, deputies


def _days(station, *dates: str) -> list[ReceptionDay]:
    return list(
        ReceptionDay.objects.filter(station=station, date__in=dates).select_related(
            "station__congress"
        )
    )


def test_days_fewer_than_3_days_ahead_are_refused_with_the_reason(daily, users):
    station, _deputies = daily
    with on(2027, 1, 4):
        # when the officer publishes the 5th, 6th, 7th and 10th on the 4th
        result = reception_days_publish(
            actor=users["staff"],
            days=_days(station, "2027-01-05", "2027-01-06", "2027-01-07", "2027-01-10"),
        )
    # then the 5th and 6th (1 and 2 days away) are refused, each with its reason; the 7th
    # (exactly 3 days ahead) and the 10th are published
    assert [d.date.isoformat() for d in result.published] == ["2027-01-07", "2027-01-10"]
    refused = {d.date.isoformat(): reason for d, reason in result.refused}
    assert set(refused) == {"2027-01-05", "2027-01-06"}
    assert "2027-01-05" in refused["2027-01-05"] and "3" in refused["2027-01-05"]
    statuses = dict(ReceptionDay.objects.filter(station=station).values_list("date", "status"))
    assert statuses[date(2027, 1, 5)] == "draft"
    assert statuses[date(2027, 1, 7)] == "published"
    assert ReceptionDay.objects.get(station=station, date="2027-01-07").published_at is not None


def test_a_congress_that_publishes_a_week_ahead_refuses_more(daily, users):
    station, _deputies = daily
    congress = station.congress
    congress.publish_lead_days = 7
    congress.save()
    with on(2027, 1, 4):
        result = reception_days_publish(
            actor=users["staff"], days=_days(station, "2027-01-10", "2027-01-11", "2027-01-12")
        )
    assert [d.date.isoformat() for d in result.published] == ["2027-01-11", "2027-01-12"]
    ((day, reason),) = result.refused
    assert day.date == date(2027, 1, 10)
    assert "7" in reason


def test_publishing_one_day_too_late_raises_a_typed_error_in_the_users_language(daily, users):
    from django.utils import translation

    station, _deputies = daily
    (day,) = _days(station, "2027-01-05")
    with on(2027, 1, 4), translation.override("en"), pytest.raises(DomainError) as refused:
        reception_day_publish(actor=users["staff"], day=day)
    assert refused.value.code == "publish_too_late"
    assert str(refused.value.message) == (
        "2027-01-05 is fewer than 3 days away: reception days must be published at least "
        "3 days ahead."
    )
    day.refresh_from_db()
    assert day.status == "draft" and day.published_at is None


def test_published_days_are_refused_again_and_cancelled_days_cannot_be_published(daily, users):
    station, _deputies = daily
    with on(2027, 1, 4):
        (day,) = _days(station, "2027-01-10")
        reception_day_publish(actor=users["staff"], day=day)
        (other,) = _days(station, "2027-01-11")
        reception_day_cancel(actor=users["staff"], day=other, reason="场地维修")
        result = reception_days_publish(actor=users["staff"], days=_days(station, "2027-01-10"))
        assert result.published == [] and len(result.refused) == 1
        with pytest.raises(DomainError) as refused:
            reception_day_publish(actor=users["staff"], day=_days(station, "2027-01-11")[0])
    assert refused.value.code == "invalid_status"


def test_publication_is_shown_to_the_public_and_drafts_are_not(daily, users, api):
    station, deputies = daily
    with on(2027, 1, 4):
        reception_days_publish(
            actor=users["staff"], days=_days(station, "2027-01-08", "2027-01-09")
        )
        # when anyone asks for the schedule
        response = api().get(f"/api/v1/public/stations/{station.code}/schedule")
        landing = reception_days_upcoming(station=station, limit=10)
    # then only the two published days are there, with start, end and the deputy on duty
    assert response.status_code == 200
    body = response.json()
    assert [d["date"] for d in body["days"]] == ["2027-01-08", "2027-01-09"]
    first = body["days"][0]
    assert (first["start"], first["end"]) == ("09:00", "11:00")
    assert len(first["deputies"]) == 1
    assert first["deputies"][0]["name"].startswith("每日代表")
    # and the selector behind the station's landing page lists the same published days
    assert [d.date.isoformat() for d in landing] == ["2027-01-08", "2027-01-09"]


def test_the_deputies_on_duty_are_told_when_their_days_are_published(
    daily, users, django_capture_on_commit_callbacks
):
    station, deputies = daily
    with on(2027, 1, 4), django_capture_on_commit_callbacks(execute=True):
        days = _days(station, *[f"2027-01-{n:02d}" for n in range(8, 21)])
        reception_days_publish(actor=users["staff"], days=days)
    mine = [d for d in days if d.duty.filter(deputy=deputies[0]).exists()]
    assert mine  # the rotation gave deputy 0 some of these days
    (note,) = Notification.objects.filter(user=deputies[0].user)
    assert station.name in note.subject
    for day in mine:
        assert day.date.isoformat() in note.body


def test_schedule_of_an_unknown_station_is_404_with_code_and_message(api):
    response = api().get("/api/v1/public/stations/no-such/schedule")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert response.json()["message"]


def test_cancelling_a_published_day_tells_the_deputy_and_hides_it_from_the_schedule(
    daily, users, api
):
    station, deputies = daily
    with on(2027, 1, 4):
        days = _days(station, "2027-01-08", "2027-01-09", "2027-01-10")
        reception_days_publish(actor=users["staff"], days=days)
        own = next(d for d in days if d.duty.filter(deputy=deputies[0]).exists())
        before = OutboxMessage.objects.filter(recipient=deputies[0].user).count()
        reception_day_cancel(actor=users["staff"], day=own, reason="场地维修")
        schedule = api().get(f"/api/v1/public/stations/{station.code}/schedule").json()
    assert own.date.isoformat() not in [d["date"] for d in schedule["days"]]
    sent = OutboxMessage.objects.filter(recipient=deputies[0].user).order_by("-id")
    assert sent.count() == before + 1
    assert sent[0].kind == "reception_cancelled"
    assert "场地维修" in sent[0].body


def test_the_schedule_and_the_reception_page_take_a_constant_number_of_queries(daily, users):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    station, _deputies = daily
    client = Client()

    def count(url: str, c: Client) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(url).status_code == 200
        return len(ctx.captured_queries)

    with on(2027, 1, 4):
        staff = Client()
        staff.force_login(users["staff"])
        reception_days_publish(actor=users["staff"], days=_days(station, "2027-01-08"))
        count(f"/stations/{station.code}/reception/", staff)  # warm up: session, user
        schedule_small = count(f"/api/v1/public/stations/{station.code}/schedule", client)
        feed_small = count(f"/api/v1/public/stations/{station.code}/calendar.ics", client)
        page_small = count(f"/stations/{station.code}/reception/", staff)
        more = [f"2027-01-{n:02d}" for n in range(9, 21)]
        reception_days_publish(actor=users["staff"], days=_days(station, *more))
        schedule_big = count(f"/api/v1/public/stations/{station.code}/schedule", client)
        feed_big = count(f"/api/v1/public/stations/{station.code}/calendar.ics", client)
        page_big = count(f"/stations/{station.code}/reception/", staff)
    assert schedule_small == schedule_big
    assert feed_small == feed_big
    assert page_small == page_big
