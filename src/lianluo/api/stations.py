"""API v1 endpoints of the stations context (a django-ninja Router mounted in api.api):
the public reception schedule (值班预告), iCalendar feeds, and a deputy's sign-up for duty."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema

from lianluo.api.common import bearer_v1
from lianluo.core.http import ApiRequest
from lianluo.deputies.selectors import deputy_public_get
from lianluo.stations import ics
from lianluo.stations.models import ReceptionDay
from lianluo.stations.selectors import (
    reception_day_lookup,
    reception_days_upcoming,
    station_public_get,
)
from lianluo.stations.services import duty_signup, duty_withdraw

router = Router(tags=["stations"])


class ReceptionError(Schema):
    code: str
    message: str


class DutyDeputyOut(Schema):
    code: str
    name: str


class ScheduleDayOut(Schema):
    id: int
    date: str
    start: str
    end: str
    deputies: list[DutyDeputyOut]


class ScheduleOut(Schema):
    station: str
    name: str
    address: str
    calendar: str
    days: list[ScheduleDayOut]


def _schedule_day(day: ReceptionDay) -> dict[str, Any]:
    return {
        "id": day.pk,
        "date": day.date.isoformat(),
        "start": day.start.strftime("%H:%M"),
        "end": day.end.strftime("%H:%M"),
        "deputies": [{"code": d.deputy.code, "name": d.deputy.name} for d in day.duty.all()],
    }


@router.get(
    "/public/stations/{code}/schedule",
    response={200: ScheduleOut, 404: ReceptionError},
    tags=["public"],
)
def public_station_schedule(request: HttpRequest, code: str) -> dict[str, Any]:
    """The station's published reception days from today: date, start, end (Asia/Shanghai)
    and the deputies on duty."""
    station = station_public_get(code=code)
    return {
        "station": station.code,
        "name": station.name,
        "address": station.address,
        "calendar": request.build_absolute_uri(
            f"/api/v1/public/stations/{station.code}/calendar.ics"
        ),
        "days": [_schedule_day(d) for d in reception_days_upcoming(station=station, limit=200)],
    }


def _ics(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "public, max-age=300"
    return response


@router.get("/public/stations/{code}/calendar.ics", response={404: ReceptionError}, tags=["public"])
def public_station_calendar(request: HttpRequest, code: str) -> HttpResponse:
    """The station's published reception days as an iCalendar (RFC 5545) feed."""
    return _ics(ics.feed_response(station=station_public_get(code=code)))


@router.get("/public/deputies/{code}/calendar.ics", response={404: ReceptionError}, tags=["public"])
def public_deputy_calendar(request: HttpRequest, code: str) -> HttpResponse:
    """The published reception days on which the deputy is on duty, as an iCalendar feed."""
    return _ics(ics.feed_response(deputy=deputy_public_get(code=code)))


class SignupOut(Schema):
    reception_day: int
    date: str
    start: str
    end: str
    station: str
    created: bool
    deputies: list[DutyDeputyOut]


@router.post(
    "/reception-days/{day_id}/signup",
    response={200: SignupOut, 201: SignupOut, 404: ReceptionError, 422: ReceptionError},
    auth=bearer_v1,
    tags=["duty"],
)
def reception_day_signup(request: ApiRequest, day_id: int) -> tuple[int, dict[str, Any]]:
    """The signed-in deputy signs up for a sign-up day of their station (201; 200 if they
    already had). Refusals: `full`, `unavailable`, `not_signup`, `past`, `invalid_status`,
    `not_a_deputy` (422); a day not of their stations is 404."""
    day = reception_day_lookup(pk=day_id)
    duty, created = duty_signup(actor=request.auth, day=day)
    day = reception_day_lookup(pk=duty.reception_day_id)
    out = _schedule_day(day)
    return (201 if created else 200), {
        "reception_day": day.pk,
        "date": out["date"],
        "start": out["start"],
        "end": out["end"],
        "station": day.station.code,
        "created": created,
        "deputies": out["deputies"],
    }


@router.delete(
    "/reception-days/{day_id}/signup",
    response={204: None, 404: ReceptionError, 422: ReceptionError},
    auth=bearer_v1,
    tags=["duty"],
)
def reception_day_withdraw(request: ApiRequest, day_id: int) -> tuple[int, None]:
    """The signed-in deputy withdraws their sign-up from a coming day."""
    duty_withdraw(actor=request.auth, day=reception_day_lookup(pk=day_id))
    return 204, None
