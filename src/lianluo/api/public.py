"""API v1 for everyone, without a token: stations, deputies and their QR codes, and the
citizen's case (submit, track)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema

from lianluo.api.common import DeputyBrief, Error, deputy_brief
from lianluo.cases.intake import case_intake, intake_addressee, intake_form
from lianluo.cases.models import Case
from lianluo.cases.selectors import (
    case_by_tracking_code,
    case_for_tracking,
    case_public_timeline,
    case_published_get,
)
from lianluo.cases.services import case_support_add
from lianluo.cases.services.rating import case_citizen_rate
from lianluo.cases.states import CaseStatus
from lianluo.cases.tracking import case_tracking
from lianluo.core.qr import deputy_url, qr_bytes, station_url
from lianluo.core.throttle import RateThrottle
from lianluo.deputies.selectors import deputy_public_get
from lianluo.stations.selectors import (
    reception_days_upcoming,
    station_public_get,
    station_public_list,
)

router = Router()

# These endpoints were first declared in lianluo.api.api, and ninja derives an operationId from
# the module: clients generated from openapi.json call them by those ids, so they are kept.
_OP = "lianluo_api_api_"


# ---- stations and deputies ------------------------------------------------------------------


class ReceptionDayOut(Schema):
    date: str
    start: str
    end: str
    deputies: list[str]


class MandateOut(Schema):
    level: str
    level_label: str
    congress: str
    term: int


class StationBrief(Schema):
    code: str
    name: str
    kind: str
    kind_label: str
    area: str
    parent: str | None
    url: str
    qr_png: str


class StationOut(StationBrief):
    address: str
    hours: str
    feature: str
    deputies: list[DeputyBrief]
    reception_days: list[ReceptionDayOut]


class DeputyOut(Schema):
    code: str
    name: str
    levels: list[str]
    mandates: list[MandateOut]
    industry: str
    stations: list[dict[str, str]]
    url: str
    qr_png: str
    reception_days: list[ReceptionDayOut]


def _days(days) -> list[dict[str, Any]]:
    return [
        {
            "date": d.date.isoformat(),
            "start": d.start.strftime("%H:%M"),
            "end": d.end.strftime("%H:%M"),
            "deputies": [p.name for p in d.deputies.all()],
        }
        for d in days
    ]


def _station_brief(s) -> dict[str, Any]:
    return {
        "code": s.code,
        "name": s.name,
        "kind": s.kind,
        "kind_label": s.get_kind_display(),
        "area": s.area.name,
        "parent": s.parent.code if s.parent_id else None,
        "url": station_url(s.code),
        "qr_png": f"{settings.SITE_URL}/api/v1/public/stations/{s.code}/qr.png",
    }


@router.get(
    "/public/stations",
    response=list[StationBrief],
    tags=["public"],
    operation_id=_OP + "public_stations",
)
def public_stations(request: HttpRequest):
    return [_station_brief(s) for s in station_public_list()]


@router.get(
    "/public/stations/{code}",
    response={200: StationOut, 404: Error},
    tags=["public"],
    operation_id=_OP + "public_station",
)
def public_station(request: HttpRequest, code: str):
    s = station_public_get(code=code)
    return {
        **_station_brief(s),
        "address": s.address,
        "hours": s.hours,
        "feature": s.feature,
        "deputies": [deputy_brief(d) for d in s.deputies.all()],
        "reception_days": _days(reception_days_upcoming(station=s)),
    }


_QR_TYPES = {"png": "image/png", "svg": "image/svg+xml"}


def _qr_routes(path: str, op: str, url_of: Callable[[str], str]) -> None:
    """The PNG (`{op}`) and SVG (`{op}_svg`) QR codes of a public page, 404 for an unknown
    code: `url_of(code)` looks the record up and gives the page's address."""
    for kind, suffix in (("png", ""), ("svg", "_svg")):
        _qr_route(f"{path}/qr.{kind}", op + suffix, kind, url_of)


def _qr_route(path: str, op: str, kind: str, url_of: Callable[[str], str]) -> None:
    @router.get(path, tags=["public"], response={404: Error}, operation_id=_OP + op)
    def qr(request: HttpRequest, code: str) -> HttpResponse:
        return HttpResponse(qr_bytes(url_of(code), kind), content_type=_QR_TYPES[kind])


_qr_routes(
    "/public/stations/{code}",
    "public_station_qr",
    lambda code: station_url(station_public_get(code=code).code),
)


@router.get(
    "/public/deputies/{code}",
    response={200: DeputyOut, 404: Error},
    tags=["public"],
    operation_id=_OP + "public_deputy",
)
def public_deputy(request: HttpRequest, code: str):
    d = deputy_public_get(code=code)
    return {
        **deputy_brief(d),
        "mandates": [
            {
                "level": m.level,
                "level_label": m.get_level_display(),
                "congress": m.congress.name,
                "term": m.term,
            }
            for m in d.mandates.all()
            if m.active
        ],
        "industry": d.industry,
        "stations": [{"code": s.code, "name": s.name} for s in d.stations.all()],
        "qr_png": f"{settings.SITE_URL}/api/v1/public/deputies/{d.code}/qr.png",
        "reception_days": _days(reception_days_upcoming(deputy=d)),
    }


_qr_routes(
    "/public/deputies/{code}",
    "public_deputy_qr",
    lambda code: deputy_url(deputy_public_get(code=code).code),
)


# ---- cases ----------------------------------------------------------------------------------


class CaseSubmitIn(Schema):
    station: str | None = None
    deputy: str | None = None
    text: str | None = None
    title: str | None = None
    category: str | None = None
    place: str | None = None
    name: str | None = None
    phone: str | None = None
    consent_publish: bool = False
    idempotency_key: str | None = None


class CaseSubmitOut(Schema):
    number: str
    tracking_code: str
    status: str
    status_label: str


class PublicEvent(Schema):
    at: datetime
    status: str
    status_label: str
    note: str


class PublicMergedOut(Schema):
    """The case a merged duplicate is handled with: its answer is the citizen's too."""

    number: str
    status: str
    status_label: str
    events: list[PublicEvent]


class PublicCaseOut(Schema):
    number: str
    status: str
    status_label: str
    submitted_at: datetime
    events: list[PublicEvent]
    # The citizen's own message and what they were promised and told (cases.tracking).
    text: str
    triage: str  # "" before triage, else simple | general | major
    triage_label: str
    deadline: datetime | None
    deadline_text: str  # e.g. 一般问题，30日内答复
    answer: str
    answered_at: datetime | None
    rating: str  # "" | satisfied | basically_satisfied | dissatisfied
    rating_label: str
    rating_by: str  # "" | citizen | staff (recorded at a follow-up)
    solved: bool | None
    rating_comment: str
    can_rate: bool
    rate_until: datetime | None
    merged_into: PublicMergedOut | None = None


class RatingIn(Schema):
    rating: str
    solved: bool | None = None
    comment: str = ""


class IntakeThrottle(RateThrottle):
    """The public intake rate per client (LIANLUO_INTAKE_RATE); the HTML form counts on the
    same counter (portal.views)."""

    scope = "intake"
    rate_setting = "LIANLUO_INTAKE_RATE"


class RatingThrottle(RateThrottle):
    """Ratings per client at the intake rate, on their own counter (the tracking page's form
    counts on it too)."""

    scope = "rating"
    rate_setting = "LIANLUO_INTAKE_RATE"


def _submit_out(case: Case) -> dict[str, Any]:
    return {
        "number": case.number,
        "tracking_code": case.tracking_code,
        "status": case.status,
        "status_label": str(CaseStatus(case.status).label),
    }


@router.post(
    "/public/cases",
    response={
        200: CaseSubmitOut,
        201: CaseSubmitOut,
        404: Error,
        409: Error,
        422: Error,
        429: Error,
    },
    tags=["public"],
    throttle=[IntakeThrottle()],
    operation_id=_OP + "public_case_submit",
)
def public_case_submit(request: HttpRequest, payload: CaseSubmitIn):
    """Submit a citizen's message to a station or a deputy (by code). `text` is at most
    LIANLUO_TEXT_MAX_CHARS characters (10,000 by default; longer: 422 `text_too_long`).
    Retrying the same submission with the same `idempotency_key` returns the case already
    created (200) instead of a new one (201); the same key with another addressee or other
    content is refused (409 `idempotency_conflict`) and reveals nothing of the first case."""
    station, deputy = intake_addressee(station_code=payload.station, deputy_code=payload.deputy)
    form = intake_form(
        {k: v for k, v in payload.dict().items() if v is not None}, station=station, deputy=deputy
    )
    case, created = case_intake(form=form, station=station, deputy=deputy)
    return (201 if created else 200), _submit_out(case)


@router.get(
    "/public/cases/{tracking_code}",
    response={200: PublicCaseOut, 404: Error},
    tags=["public"],
    operation_id=_OP + "public_case_track",
)
def public_case_track(request: HttpRequest, tracking_code: str):
    """A case as its citizen sees it by the tracking code: their message, the deadline, the
    answer, the rating and the public timeline; no name, phone number, photo or internal note.
    A duplicate merged into another case names it in `merged_into`, with its public steps."""
    case, survivor = case_for_tracking(code=tracking_code)
    merged = None
    if survivor is not None:
        merged = {
            "number": survivor.number,
            "status": survivor.status,
            "status_label": str(CaseStatus(survivor.status).label),
            "events": case_public_timeline(case=survivor),
        }
    return {**asdict(case_tracking(case=case)), "merged_into": merged}


@router.post(
    "/public/cases/{tracking_code}/rating",
    response={200: PublicCaseOut, 404: Error, 409: Error, 422: Error, 429: Error},
    tags=["public"],
    throttle=[RatingThrottle()],
    operation_id="public_case_rate",
)
def public_case_rate(request: HttpRequest, tracking_code: str, payload: RatingIn):
    """The citizen rates the answer (`rating`: satisfied | basically_satisfied | dissatisfied),
    says whether the problem is `solved` and may add a `comment`; answers with the case as
    tracked. Once only (409 `already_rated`, also when staff recorded it), after an answer (409
    `not_answered`), within LIANLUO_RATING_DAYS of it (409 `rating_closed`). A dissatisfied
    rating reopens the case once."""
    case = case_by_tracking_code(code=tracking_code)
    case = case_citizen_rate(
        case=case, rating=payload.rating, solved=payload.solved, comment=payload.comment
    )
    return asdict(case_tracking(case=case_by_tracking_code(code=tracking_code)))


# ---- 我也遇到 ----------------------------------------------------------------------------------


class SupportIn(Schema):
    device: str | None = None  # the app's own id of this device (at most 200 characters)
    phone: str | None = None


class SupportOut(Schema):
    number: str
    support_count: int
    added: bool


class SupportThrottle(RateThrottle):
    """The "me too" rate per client (LIANLUO_SUPPORT_RATE); the station page's button counts
    on the same counter (portal.views)."""

    scope = "support"
    rate_setting = "LIANLUO_SUPPORT_RATE"


@router.post(
    "/public/stations/{code}/cases/{number}/support",
    response={200: SupportOut, 201: SupportOut, 404: Error, 422: Error, 429: Error},
    tags=["public"],
    throttle=[SupportThrottle()],
)
def public_case_support(request: HttpRequest, code: str, number: str, payload: SupportIn):
    """我也遇到 ("me too") on a case published on the station's page (by its ledger number):
    counted once per device and once per phone; at least one of `device` and `phone` (422
    `missing_field`). 201 when counted, 200 with `added` false when this device or phone
    already said so; 404 for a case the station's page does not publish."""
    case = case_published_get(station=station_public_get(code=code), number=number)
    result = case_support_add(case=case, device=payload.device or "", phone=payload.phone or "")
    out = {"number": case.number, "support_count": result.count, "added": result.added}
    return (201 if result.added else 200), out
