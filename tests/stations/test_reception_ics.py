"""iCalendar feeds per station and per deputy: valid RFC 5545, checked with two independent
parsers (icalendar, vobject) and by hand (CRLF, 75-octet folding, UID, PRODID)."""

from __future__ import annotations

from datetime import date, datetime

import icalendar
import pytest
import vobject
from django.test import Client

from lianluo.stations.models import ReceptionDay
from lianluo.stations.services import (
    reception_day_cancel,
    reception_days_publish,
)
from tests.factories.stations import SH, on, reception_days_made, station_with_deputies

# The story is set on fixed days (time_machine) next to the days the demo generates from
# "today": the demo is built on the day the story was written for, whatever --clock says.
pytestmark = pytest.mark.clock("2026-12-02T10:00")


LONG_ADDRESS = "青溪县城关镇人民路与解放路交叉口东北角新时代文明实践中心二楼人大代表联络站接待室"


@pytest.fixture
def feed(demo, users):
    """A station with a long Chinese address; its 逢6 days of Jan–Feb 2027 published on
    2026-12-20 (2027-02-06 is the county's 春节 holiday), the 2027-01-16 day cancelled and
    the February days left as drafts."""
    staff = users["staff"]
    station, deputies = station_with_deputies(
        demo,
        code="test-ics",
        name="城关日历测试站",
        address=LONG_ADDRESS,
        deputies=4,
        deputy_code="ics",
        deputy_name="日历代表",
    )
    reception_days_made(
        actor=staff,
        station=station,
        kind="month_days",
        values=[6, 16, 26],
        generated_on=(2026, 12, 20),
        since=date(2027, 1, 1),
        until=date(2027, 2, 28),
    )
    with on(2026, 12, 20):
        january = list(
            ReceptionDay.objects.filter(station=station, date__month=1).select_related(
                "station__congress"
            )
        )
        reception_days_publish(actor=staff, days=january)
        reception_day_cancel(
            actor=staff, day=ReceptionDay.objects.get(station=station, date="2027-01-16")
        )
    return station, deputies


def assert_valid_ics(body: bytes) -> icalendar.Calendar:
    """The checks ENVIRONMENT.md asks for: two parsers, CRLF, folding, UID, PRODID."""
    # every line ends in CRLF, and there is no bare LF or CR
    assert body.endswith(b"\r\n")
    assert b"\n" not in body.replace(b"\r\n", b"")
    assert b"\r" not in body.replace(b"\r\n", b"")
    lines = body.split(b"\r\n")[:-1]
    # content lines are folded at 75 octets (multi-byte UTF-8 not split)
    for line in lines:
        assert len(line) <= 75, line
        line.decode("utf-8")
    assert lines[0] == b"BEGIN:VCALENDAR" and lines[-1] == b"END:VCALENDAR"
    text = body.decode("utf-8")
    # icalendar parses it; every event has a unique UID and a DTSTAMP
    cal = icalendar.Calendar.from_ical(text)
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["PRODID"]).startswith("-//Lianluo//")
    uids = [str(e["UID"]) for e in cal.walk("VEVENT")]
    assert len(uids) == len(set(uids))
    for event in cal.walk("VEVENT"):
        assert event.get("DTSTAMP") is not None
        assert event.decoded("DTSTART").tzinfo is not None
        assert event.decoded("DTEND") > event.decoded("DTSTART")
    # and so does vobject, whose validation raises on a broken component
    parsed = vobject.readOne(text)
    parsed.validate(raiseException=True)
    assert parsed.prodid.value.startswith("-//Lianluo//")
    return cal


def test_station_feed_is_valid_and_carries_the_published_days(feed):
    station, _deputies = feed
    with on(2027, 1, 2):
        response = Client().get(f"/api/v1/public/stations/{station.code}/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal = assert_valid_ics(response.content)
    events = {e.decoded("DTSTART").date().isoformat(): e for e in cal.walk("VEVENT")}
    # the three January days (one cancelled); February drafts are not in the feed
    assert sorted(events) == ["2027-01-06", "2027-01-16", "2027-01-26"]
    first = events["2027-01-06"]
    assert first.decoded("DTSTART") == datetime(2027, 1, 6, 9, tzinfo=SH)
    assert first.decoded("DTEND") == datetime(2027, 1, 6, 12, tzinfo=SH)
    assert str(first["SUMMARY"]) == "城关日历测试站 人大代表接待日"
    assert str(first["LOCATION"]) == LONG_ADDRESS  # folded in the file, whole when unfolded
    assert str(first["DESCRIPTION"]).startswith("值班代表：日历代表")
    assert str(first["STATUS"]) == "CONFIRMED"
    assert str(events["2027-01-16"]["STATUS"]) == "CANCELLED"
    # the VTIMEZONE for the local times is there
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Asia/Shanghai"]


def test_the_html_url_serves_the_same_calendar(feed):
    station, _deputies = feed
    with on(2027, 1, 2):
        api_body = Client().get(f"/api/v1/public/stations/{station.code}/calendar.ics").content
        page = Client().get(f"/stations/{station.code}/calendar.ics")
    assert page.status_code == 200
    assert page["Content-Type"].startswith("text/calendar")
    assert_valid_ics(page.content)
    uids = {str(e["UID"]) for e in icalendar.Calendar.from_ical(api_body).walk("VEVENT")}
    assert uids == {
        str(e["UID"]) for e in icalendar.Calendar.from_ical(page.content).walk("VEVENT")
    }


def test_deputy_feed_lists_only_the_days_the_deputy_is_on_duty(feed):
    station, deputies = feed
    own = set(
        ReceptionDay.objects.filter(
            station=station, duty__deputy=deputies[0], published_at__isnull=False
        ).values_list("date", flat=True)
    )
    assert own  # the rotation put deputy 0 on at least one January day
    with on(2027, 1, 2):
        response = Client().get(f"/api/v1/public/deputies/{deputies[0].code}/calendar.ics")
        page = Client().get(f"/deputies/{deputies[0].code}/calendar.ics")
    assert response.status_code == page.status_code == 200
    cal = assert_valid_ics(response.content)
    assert_valid_ics(page.content)
    assert {e.decoded("DTSTART").date() for e in cal.walk("VEVENT")} == own
    for event in cal.walk("VEVENT"):
        assert deputies[0].name in str(event["DESCRIPTION"])


def test_an_empty_feed_is_still_a_valid_calendar(demo):
    # the county hub has no rules and no days
    response = Client().get("/api/v1/public/stations/qx-hub/calendar.ics")
    assert response.status_code == 200
    cal = assert_valid_ics(response.content)
    assert cal.walk("VEVENT") == []


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/public/stations/no-such/calendar.ics",
        "/api/v1/public/deputies/no-such/calendar.ics",
        "/stations/no-such/calendar.ics",
        "/deputies/no-such/calendar.ics",
    ],
)
def test_unknown_codes_are_404(demo, url):
    response = Client().get(url)
    assert response.status_code == 404
    if url.startswith("/api/"):
        assert response.json()["code"] == "not_found"
