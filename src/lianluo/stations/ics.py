"""iCalendar (RFC 5545) feeds of published reception days, per station and per deputy.

Written with the `icalendar` package: CRLF line endings, lines folded at 75 octets (also
inside multi-byte Chinese text), a VTIMEZONE for Asia/Shanghai with times in local time. A day
cancelled after publication stays in the feed with STATUS:CANCELLED and a higher SEQUENCE, so
subscribed calendars drop it rather than keep a stale event.

The event text is Chinese whatever the request's language: it is a public notice for the
station's citizens (值班预告), like the paper one on the station's notice board.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone

from lianluo.deputies.models import Deputy
from lianluo.stations.models import ReceptionDay, ReceptionStatus, Station
from lianluo.stations.selectors import reception_days_feed

TZ = ZoneInfo("Asia/Shanghai")
PRODID = "-//Lianluo//Reception days 接待日//ZH"

if TYPE_CHECKING:
    from icalendar import Event


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "lianluo.local"


def day_uid(day: ReceptionDay) -> str:
    """Stable per day: a changed or cancelled day updates the same calendar event."""
    return f"reception-day-{day.pk}@{_host()}"


def _event(day: ReceptionDay, *, stamp: datetime) -> Event:
    from icalendar import Event

    station = day.station
    names = "、".join(duty.deputy.name for duty in day.duty.all())
    event = Event()
    event.add("uid", day_uid(day))
    event.add("dtstamp", stamp)
    event.add("dtstart", datetime.combine(day.date, day.start, tzinfo=TZ))
    event.add("dtend", datetime.combine(day.date, day.end, tzinfo=TZ))
    cancelled = day.status == ReceptionStatus.CANCELLED
    event.add("summary", f"{'【已取消】' if cancelled else ''}{station.name} 人大代表接待日")
    if station.address:
        event.add("location", station.address)
    lines = [f"值班代表：{names}" if names else "值班代表：待定"]
    lines.append(f"接待地点：{station.address or station.name}")
    lines.append("群众可现场反映问题和建议，也可扫码留言。")
    event.add("description", "\n".join(lines))
    event.add("url", f"{settings.SITE_URL}/s/{station.code}/")
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("sequence", 1 if cancelled else 0)
    event.add("transp", "OPAQUE")
    if day.published_at:
        event.add("last-modified", day.published_at)
    return event


def calendar_bytes(*, name: str, days: Iterable[ReceptionDay]) -> bytes:
    """A VCALENDAR of those days (published or cancelled after publication)."""
    from icalendar import Calendar, Timezone  # some 9 MB: loaded by the first feed served

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Asia/Shanghai")
    # Always there, so an empty feed is still a calendar with one component (RFC 5545 §3.6).
    cal.add_component(
        Timezone.from_tzid("Asia/Shanghai", first_date=date(2000, 1, 1), last_date=date(2100, 1, 1))
    )
    stamp = timezone.now()
    for day in days:
        cal.add_component(_event(day, stamp=stamp))
    return cal.to_ical()


def feed_response(*, station: Station | None = None, deputy: Deputy | None = None) -> HttpResponse:
    """The feed of a station's reception days, or of the days a deputy is on duty, as an
    inline .ics (the page and the API serve the same)."""
    if station is not None:
        name, filename = f"{station.name} 接待日", f"{station.code}.ics"
    elif deputy is not None:
        name, filename = f"{deputy.name} 代表接待日", f"{deputy.code}.ics"
    else:
        raise ValueError("feed_response needs a station or a deputy")
    body = calendar_bytes(name=name, days=reception_days_feed(station=station, deputy=deputy))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
