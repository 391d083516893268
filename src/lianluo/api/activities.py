"""API v1 endpoints of the activities context (a django-ninja Router mounted in api.api).

For deputies' phones: the activities of their stations with their own sign-up state, sign-up
(capacity-safe, idempotent) and check-in with the token of the scanned QR code. Officers and
staff list what they run and fetch the current check-in code for their own screen.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Query, Router, Schema, Status

from lianluo.activities.models import Activity, ActivityStatus, ActivityType
from lianluo.activities.selectors import (
    ActivityFilters,
    activity_feed,
    activity_get,
    activity_managed_get,
    seats_left,
)
from lianluo.activities.services import (
    checkin_scan,
    checkin_token_issue,
    signup_cancel,
    signup_create,
)
from lianluo.api.common import Error, bearer_v1
from lianluo.core.http import ApiRequest

router = Router(tags=["activities"], auth=bearer_v1)


class StationRef(Schema):
    code: str
    name: str


class ActivityOut(Schema):
    id: int
    station: StationRef
    type: str
    type_label: str
    title: str
    theme: str | None
    description: str
    place: str
    start: datetime
    end: datetime
    status: str
    status_label: str
    capacity: int | None
    signups: int
    seats_left: int | None
    signed_up: bool
    checked_in: bool


class ActivityListQuery(Schema):
    station: str = ""
    status: str = ""
    upcoming: bool = False


def _out(a: Activity) -> dict[str, Any]:
    return {
        "id": a.pk,
        "station": {"code": a.station.code, "name": a.station.name},
        "type": a.type,
        "type_label": str(ActivityType(a.type).label),
        "title": a.title,
        "theme": a.theme.title if a.theme_id and a.theme else None,
        "description": a.description,
        "place": a.place,
        "start": a.start,
        "end": a.end,
        "status": a.status,
        "status_label": str(ActivityStatus(a.status).label),
        "capacity": a.capacity,
        "signups": getattr(a, "signup_count", 0),
        "seats_left": seats_left(a),
        "signed_up": bool(getattr(a, "signed_up", False)),
        "checked_in": bool(getattr(a, "checked_in", False)),
    }


def _get(request: ApiRequest, pk: int) -> Activity:
    return activity_get(viewer=request.auth, pk=pk)


@router.get("/activities", response=list[ActivityOut])
def activities(request: ApiRequest, filters: Query[ActivityListQuery]):
    """Activities in the caller's scope. Deputies: the published ones of their stations (with
    `signed_up`, `checked_in`, `seats_left`); officers and staff: every status of what they
    run, leaders what is in their area. `upcoming=true` keeps those not over yet, soonest
    first; otherwise newest first. At most 200."""
    qs = activity_feed(
        viewer=request.auth,
        filters=ActivityFilters(
            station=filters.station, status=filters.status, upcoming=filters.upcoming
        ),
    )
    return [_out(a) for a in qs[:200]]


@router.get("/activities/{activity_id}", response={200: ActivityOut, 404: Error})
def activity(request: ApiRequest, activity_id: int):
    return _out(_get(request, activity_id))


@router.post(
    "/activities/{activity_id}/signup",
    response={200: ActivityOut, 201: ActivityOut, 403: Error, 404: Error, 409: Error},
)
def signup(request: ApiRequest, activity_id: int):
    """Sign the calling deputy up: 201 when signed up now, 200 when already signed up (retries
    are harmless); 409 with code `full` when every place is taken, `not_open` or `started`
    when sign-up is closed."""
    a = _get(request, activity_id)
    _signup, created = signup_create(actor=request.auth, activity=a)
    return Status(201 if created else 200, _out(_get(request, activity_id)))


@router.delete(
    "/activities/{activity_id}/signup",
    response={200: ActivityOut, 403: Error, 404: Error, 409: Error},
)
def signup_withdraw(request: ApiRequest, activity_id: int):
    """Withdraw the calling deputy's sign-up before the activity begins (idempotent); 409
    `checked_in` once checked in, `started` once it has begun."""
    a = _get(request, activity_id)
    signup_cancel(actor=request.auth, activity=a)
    return _out(_get(request, activity_id))


class CheckinIn(Schema):
    token: str


class CheckinOut(Schema):
    activity: ActivityOut
    checked_in_at: datetime
    already: bool


@router.post(
    "/activities/{activity_id}/checkin",
    response={200: CheckinOut, 403: Error, 404: Error, 409: Error, 422: Error},
)
def checkin(request: ApiRequest, activity_id: int, payload: CheckinIn):
    """Check the calling deputy in with the token of the scanned QR code (the `t` parameter of
    its address). 422 with code `expired` (older than its lifetime), `invalid_token` (not
    ours, or tampered with) or `wrong_activity` (a code of another activity); 409 `full` or
    `not_open`; 403 `not_member` for a deputy of another station. Checking in twice answers
    200 with `already: true`."""
    signup, first = checkin_scan(
        actor=request.auth,
        token=payload.token,
        activity_id=activity_id,
    )
    assert signup.checked_in_at is not None
    return {
        "activity": _out(_get(request, activity_id)),
        "checked_in_at": signup.checked_in_at,
        "already": not first,
    }


class CheckinCodeOut(Schema):
    token: str
    url: str
    expires_at: datetime


@router.get(
    "/activities/{activity_id}/checkin-code",
    response={200: CheckinCodeOut, 404: Error, 409: Error},
)
def checkin_code(request: ApiRequest, activity_id: int):
    """For the officer's own screen: a fresh check-in code and the address to put in a QR
    code. Fetch a new one every minute; each is accepted for its lifetime."""
    a = activity_managed_get(viewer=request.auth, pk=activity_id)
    code = checkin_token_issue(actor=request.auth, activity=a)
    return {"token": code.token, "url": code.url, "expires_at": code.expires_at}
