"""JSON API v1 (django-ninja): the contract for the deputies' app and the mini-program.

OpenAPI schema at /api/v1/openapi.json, interactive docs at /api/v1/docs.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.http import Http404, HttpRequest, HttpResponse
from django.http.request import RawPostDataException
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Query, Schema
from ninja.errors import HttpError, ValidationError
from ninja.parser import Parser
from ninja.security import HttpBearer

from lianluo.cases.forms import CaseSubmitForm
from lianluo.cases.models import Case
from lianluo.cases.permissions import (
    can_act,
    can_handle,
    case_category,
    case_departments,
    responsible_deputies,
)
from lianluo.cases.selectors import (
    CaseFilters,
    case_by_tracking_code,
    case_get,
    case_list,
    case_public_timeline,
)
from lianluo.cases.services import case_submit, case_transition
from lianluo.cases.states import Action, CaseStatus, allowed_actions
from lianluo.core.edge import (
    PARSED_JSON,
    STATUS_CODES,
    BadInput,
    check_api_body,
    status_message,
)
from lianluo.core.errors import DomainError, NotFound
from lianluo.core.models import Department, Notification, Role
from lianluo.core.scope import on_line_q, roles_of, scope_for
from lianluo.core.services import api_token_issue, api_token_user
from lianluo.core.text import TEXT_TOO_LONG, mask_name, mask_phone
from lianluo.core.throttle import RateThrottle
from lianluo.core.views import lockout_response
from lianluo.deputies.models import Deputy
from lianluo.deputies.selectors import deputy_public_get
from lianluo.portal.qr import deputy_url, qr_bytes, station_url
from lianluo.stations.models import Station
from lianluo.stations.selectors import (
    reception_days_upcoming,
    station_public_get,
    station_public_list,
    stations_of,
)


class BearerAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        user = api_token_user(token)
        if user is not None:
            request.user = user
        return user


class EdgeParser(Parser):
    """Where the API reads a body: only JSON, or a form with a bearer token (check_api_body says
    why); the JSON as the edge middleware already parsed and checked it (once, not twice)."""

    def parse_body(self, request: HttpRequest) -> Any:
        check_api_body(request, form=False)
        if hasattr(request, PARSED_JSON):
            return getattr(request, PARSED_JSON)
        return super().parse_body(request)

    def parse_querydict(
        self, data: MultiValueDict, list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        if data is request.POST or data is request.FILES:
            check_api_body(request, form=True)
        return super().parse_querydict(data, list_fields, request)


api = NinjaAPI(
    title="Lianluo API",
    version="1",
    description="People's-congress deputy liaison platform (联络). Every error, including 404, "
    "405, 415 and 500, is `{code, message}` JSON with the message in the request's language "
    "(Accept-Language; Simplified Chinese by default). A request body is JSON "
    "(`Content-Type: application/json`); only `POST /duty/records`, with a bearer token, takes "
    "multipart/form-data.",
    urls_namespace="api",
    parser=EdgeParser(),
)


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    body: dict[str, Any] = {"code": exc.code, "message": str(exc.message)}
    if exc.field:
        body["field"] = exc.field
    return api.create_response(request, body, status=exc.status)


def _validation_message(item: dict[str, Any]) -> str:
    """pydantic's error, in the user's language: its `msg` is English only. The msgids that
    Django already translates are reused (its catalog is loaded after ours)."""
    kind = str(item.get("type", ""))
    by_type = {
        "missing": _("This field is required."),
        "string_type": _("Enter text."),
        "int_parsing": _("Enter a whole number."),
        "int_type": _("Enter a whole number."),
        "int_from_float": _("Enter a whole number."),
        "float_parsing": _("Enter a number."),
        "float_type": _("Enter a number."),
        "decimal_parsing": _("Enter a number."),
        "bool_parsing": _("Enter true or false."),
        "bool_type": _("Enter true or false."),
        "date_parsing": _("Enter a valid date."),
        "date_type": _("Enter a valid date."),
        "date_from_datetime_parsing": _("Enter a valid date."),
        "date_from_datetime_inexact": _("Enter a valid date."),
        "datetime_parsing": _("Enter a valid date/time."),
        "datetime_type": _("Enter a valid date/time."),
        "datetime_from_date_parsing": _("Enter a valid date/time."),
        "time_parsing": _("Enter a valid time."),
        "list_type": _("Enter a list of values."),
        "dict_type": _("Enter an object (a JSON {…})."),
        "model_type": _("Enter an object (a JSON {…})."),
        "model_attributes_type": _("Enter an object (a JSON {…})."),
        "string_too_long": _("The text is too long."),
        "string_too_short": _("The text is too short."),
        "literal_error": _("Choose one of the allowed values."),
        "enum": _("Choose one of the allowed values."),
        "json_invalid": _("The request body is not valid JSON: check quotes, commas and brackets."),
    }
    if kind in by_type:
        return by_type[kind]
    if kind.startswith(("greater_than", "less_than", "int_too", "finite_number")):
        return _("The number is out of range.")
    return _("This value is not valid.")


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for item in exc.errors:
        loc = [str(p) for p in item.get("loc", []) if p not in ("body", "payload", "query")]
        errors.setdefault(".".join(loc) or "body", []).append(_validation_message(item))
    return api.create_response(
        request,
        {"code": "invalid", "message": _("The request is not valid."), "errors": errors},
        status=422,
    )


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # ninja turns whatever its parser raises into "400 Cannot parse request body".
    if isinstance(exc.__cause__, BadInput):
        return on_bad_input(request, exc.__cause__)
    # ninja's own HttpErrors (unparsable body, authentication, throttling) carry English texts:
    # the user reads ours, by status.
    status = exc.status_code
    code = STATUS_CODES.get(status, "error")
    message = status_message(status)
    if status == 400:
        code = "malformed_json"
        message = _("The request body is not valid JSON: check quotes, commas and brackets.")
    return api.create_response(request, {"code": code, "message": message}, status=status)


@api.exception_handler(BadInput)
def on_bad_input(request: HttpRequest, exc: BadInput) -> HttpResponse:
    return api.create_response(
        request, {"code": exc.code, "message": exc.message}, status=exc.status
    )


@api.exception_handler(RawPostDataException)
def on_form_sent_for_json(request: HttpRequest, exc: RawPostDataException) -> HttpResponse:
    # A form (multipart) body, already read as a form by the edge, where the endpoint reads JSON.
    return on_bad_input(
        request, BadInput("unsupported_media_type", status_message(415), status=415)
    )


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(
        request, {"code": "not_found", "message": status_message(404)}, status=404
    )


class Error(Schema):
    code: str
    message: str


# ---- public: stations and deputies -------------------------------------------------------


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


class DeputyBrief(Schema):
    code: str
    name: str
    levels: list[str]
    url: str


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


def _deputy_brief(d: Deputy) -> dict[str, Any]:
    return {"code": d.code, "name": d.name, "levels": d.level_labels(), "url": deputy_url(d.code)}


@api.get("/public/stations", response=list[StationBrief], tags=["public"])
def public_stations(request: HttpRequest):
    return [_station_brief(s) for s in station_public_list()]


@api.get("/public/stations/{code}", response={200: StationOut, 404: Error}, tags=["public"])
def public_station(request: HttpRequest, code: str):
    s = station_public_get(code=code)
    return {
        **_station_brief(s),
        "address": s.address,
        "hours": s.hours,
        "feature": s.feature,
        "deputies": [_deputy_brief(d) for d in s.deputies.all()],
        "reception_days": _days(reception_days_upcoming(station=s)),
    }


@api.get("/public/stations/{code}/qr.png", tags=["public"], response={404: Error})
def public_station_qr(request: HttpRequest, code: str):
    s = station_public_get(code=code)
    return HttpResponse(qr_bytes(station_url(s.code), "png"), content_type="image/png")


@api.get("/public/stations/{code}/qr.svg", tags=["public"], response={404: Error})
def public_station_qr_svg(request: HttpRequest, code: str):
    s = station_public_get(code=code)
    return HttpResponse(qr_bytes(station_url(s.code), "svg"), content_type="image/svg+xml")


@api.get("/public/deputies/{code}", response={200: DeputyOut, 404: Error}, tags=["public"])
def public_deputy(request: HttpRequest, code: str):
    d = deputy_public_get(code=code)
    return {
        **_deputy_brief(d),
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


@api.get("/public/deputies/{code}/qr.png", tags=["public"], response={404: Error})
def public_deputy_qr(request: HttpRequest, code: str):
    d = deputy_public_get(code=code)
    return HttpResponse(qr_bytes(deputy_url(d.code), "png"), content_type="image/png")


@api.get("/public/deputies/{code}/qr.svg", tags=["public"], response={404: Error})
def public_deputy_qr_svg(request: HttpRequest, code: str):
    d = deputy_public_get(code=code)
    return HttpResponse(qr_bytes(deputy_url(d.code), "svg"), content_type="image/svg+xml")


# ---- public: cases ------------------------------------------------------------------------


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


class PublicCaseOut(Schema):
    number: str
    status: str
    status_label: str
    submitted_at: datetime
    events: list[PublicEvent]


class IntakeThrottle(RateThrottle):
    """The public intake rate per client (LIANLUO_INTAKE_RATE); the HTML form counts on the
    same counter (portal.views)."""

    scope = "intake"
    rate_setting = "LIANLUO_INTAKE_RATE"


def _submit_out(case: Case) -> dict[str, Any]:
    return {
        "number": case.number,
        "tracking_code": case.tracking_code,
        "status": case.status,
        "status_label": str(CaseStatus(case.status).label),
    }


def _intake_station(code: str) -> Station:
    """The station a submission is addressed to, with what case_submit reads (one query;
    station_public_get also loads the deputies and their mandates for the public page)."""
    station = (
        Station.objects.filter(code=code, active=True)
        .select_related("area", "congress__area")
        .first()
    )
    if station is None:
        raise NotFound("not_found", _("No station has this code."))
    return station


@api.post(
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
)
def public_case_submit(request: HttpRequest, payload: CaseSubmitIn):
    """Submit a citizen's message to a station or a deputy (by code). `text` is at most
    LIANLUO_TEXT_MAX_CHARS characters (10,000 by default; longer: 422 `text_too_long`).
    Retrying the same submission with the same `idempotency_key` returns the case already
    created (200) instead of a new one (201); the same key with another addressee or other
    content is refused (409 `idempotency_conflict`) and reveals nothing of the first case."""
    station = deputy = None
    if payload.station:
        station = _intake_station(payload.station)
    elif payload.deputy:
        deputy = deputy_public_get(code=payload.deputy)
    else:
        raise DomainError("missing_field", _("Give a station or a deputy code."), field="station")
    congress = station.congress if station else None
    form = CaseSubmitForm(
        data={k: v for k, v in payload.dict().items() if v is not None}, congress=congress
    )
    if not form.is_valid():
        field, errors = next(iter(form.errors.as_data().items()))
        error = errors[0]
        code = TEXT_TOO_LONG if error.code == TEXT_TOO_LONG else "invalid"
        raise DomainError(code, next(iter(error)), field=field)
    case, created = case_submit(
        station=station,
        deputy=deputy,
        text=form.cleaned_data["text"],
        title=form.cleaned_data["title"],
        category=form.category_obj,
        category_text=form.category_text,
        place=form.cleaned_data["place"],
        name=form.cleaned_data["name"],
        phone=form.cleaned_data["phone"],
        consent_publish=form.cleaned_data["consent_publish"],
        idempotency_key=form.cleaned_data["idempotency_key"] or None,
    )
    return (201 if created else 200), _submit_out(case)


@api.get(
    "/public/cases/{tracking_code}", response={200: PublicCaseOut, 404: Error}, tags=["public"]
)
def public_case_track(request: HttpRequest, tracking_code: str):
    """A case's public timeline by tracking code: no names, phone numbers or internal notes."""
    case = case_by_tracking_code(code=tracking_code)
    return {
        "number": case.number,
        "status": case.status,
        "status_label": str(CaseStatus(case.status).label),
        "submitted_at": case.created_at,
        "events": case_public_timeline(case=case),
    }


# ---- auth and me --------------------------------------------------------------------------


class TokenIn(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str
    token_type: str = "bearer"
    expires_at: datetime


@api.post("/auth/token", response={200: TokenOut, 401: Error, 429: Error}, tags=["auth"])
def auth_token(request: HttpRequest, payload: TokenIn):
    """Exchange a username and password for a bearer token. Throttled like the login page (one
    rule, lianluo.core.throttle): 429 `locked_out` says when to try again."""
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        until = getattr(request, "login_blocked_until", None)
        if until is not None:
            return lockout_response(request, until)
        return 401, {"code": "invalid_credentials", "message": _("Wrong username or password.")}
    raw, token = api_token_issue(user=user)
    return {"token": raw, "token_type": "bearer", "expires_at": token.expires_at}


bearer = BearerAuth()


class MeOut(Schema):
    username: str
    name: str
    roles: list[str]
    area: dict[str, str] | None
    stations: list[dict[str, str]]
    deputy: dict[str, Any] | None
    departments: list[dict[str, str]]


@api.get("/me", response=MeOut, auth=bearer, tags=["me"])
def me(request: HttpRequest):
    user = request.auth
    area = None
    ra = (
        user.role_assignments.filter(role__in=[Role.STAFF, Role.LEADER])
        .select_related("area")
        .first()
    )
    if ra is not None:
        area = {"code": ra.area.code, "name": ra.area.name}
    deputy = Deputy.objects.filter(user=user).prefetch_related("mandates").first()
    return {
        "username": user.username,
        "name": str(user),
        "roles": roles_of(user),
        "area": area,
        "stations": [{"code": s.code, "name": s.name} for s in stations_of(user=user)],
        "deputy": _deputy_brief(deputy) if deputy else None,
        "departments": [
            {"code": d.code, "name": d.name}
            for d in Department.objects.filter(id__in=scope_for(user).department_ids)
        ],
    }


class NotificationOut(Schema):
    id: int
    created_at: datetime
    subject: str
    body: str
    link: str
    read: bool


class NotificationsOut(Schema):
    unread: int
    items: list[NotificationOut]


@api.get("/me/notifications", response=NotificationsOut, auth=bearer, tags=["me"])
def my_notifications(request: HttpRequest, limit: int = 50):
    user = request.auth
    items = Notification.objects.filter(user=user)[: max(1, min(limit, 200))]
    return {
        "unread": Notification.objects.filter(user=user, read_at__isnull=True).count(),
        "items": [
            {
                "id": n.id,
                "created_at": n.created_at,
                "subject": n.subject,
                "body": n.body,
                "link": n.link,
                "read": n.read_at is not None,
            }
            for n in items
        ],
    }


# ---- staff: the ledger ----------------------------------------------------------------------


class DepartmentOut(Schema):
    code: str
    name: str
    area: str


@api.get("/departments", response=list[DepartmentOut], auth=bearer, tags=["ledger"])
def departments(request: HttpRequest):
    """Departments the user may assign cases to: those in the areas they act for."""
    scope = scope_for(request.auth)
    qs = Department.objects.filter(active=True).select_related("area")
    if not scope.everything:
        paths = scope.staff_paths + tuple(
            s.area.path for s in stations_of(user=request.auth) if s.id in scope.station_ids
        )
        from django.db.models import Q

        q = Q(pk__in=[])
        for path in paths:
            q |= on_line_q(path)  # the same rule as the assignment itself (core.scope)
        qs = qs.filter(q)
    return [{"code": d.code, "name": d.name, "area": d.area.name} for d in qs]


class CaseListItem(Schema):
    number: str
    title: str
    status: str
    status_label: str
    triage: str
    station: str | None
    category: str | None
    department: str | None
    created_at: datetime
    deadline: datetime | None
    deadline_state: str
    phone: str
    name: str


class CaseListOut(Schema):
    count: int
    page: int
    page_size: int
    results: list[CaseListItem]


MAX_PAGE = 100_000


class CaseListQuery(Schema):
    status: str = ""
    station: str = ""
    triage: str = ""
    category: str = ""
    deadline: str = ""
    q: str = ""
    # Bounded above: a page number past 64 bits made an OFFSET the database refused (a 500).
    page: int = Field(1, le=MAX_PAGE)
    page_size: int = 25


def _case_item(case: Case) -> dict[str, Any]:
    return {
        "number": case.number,
        "title": case.display_title,
        "status": case.status,
        "status_label": str(CaseStatus(case.status).label),
        "triage": case.triage,
        "station": case.station.code if case.station_id else None,
        "category": case.category.code if case.category_id else (case.category_text or None),
        "department": case.department.code if case.department_id else None,
        "created_at": case.created_at,
        "deadline": case.deadline,
        "deadline_state": case.deadline_state(),
        "phone": mask_phone(case.citizen_phone),
        "name": mask_name(case.citizen_name),
    }


@api.get("/cases", response=CaseListOut, auth=bearer, tags=["ledger"])
def cases(request: HttpRequest, filters: Query[CaseListQuery]):
    f = CaseFilters(
        status=filters.status,
        station=filters.station,
        triage=filters.triage,
        category=filters.category,
        deadline=filters.deadline,
        q=filters.q,
    )
    qs = case_list(viewer=request.auth, filters=f)
    size = max(1, min(filters.page_size, 100))
    page = max(1, filters.page)
    rows = list(qs[(page - 1) * size : page * size])
    return {
        "count": qs.count(),
        "page": page,
        "page_size": size,
        "results": [_case_item(c) for c in rows],
    }


class StaffEvent(Schema):
    at: datetime
    action: str
    from_status: str
    status: str
    status_label: str
    actor: str
    note: str
    staff_note: str


class CaseDetailOut(CaseListItem):
    text: str
    place: str
    tracking_code: str
    channel: str
    responsible_deputy: str | None
    consent_publish: bool
    rating: str
    reopened_count: int
    escalated_to: str | None
    escalated_from: str | None
    actions: list[str]
    events: list[StaffEvent]


def _case_detail(case: Case, user) -> dict[str, Any]:
    from lianluo.cases.selectors import event_public_text

    actions = [a for a in allowed_actions(case.status) if can_act(user, case, a)]
    if "reopen" in actions and (case.rating != "dissatisfied" or case.reopened_count >= 1):
        actions.remove("reopen")
    escalated_to = Case.objects.filter(escalated_from=case).values_list("number", flat=True)
    return {
        **_case_item(case),
        "text": case.text,
        "place": case.place,
        "tracking_code": case.tracking_code if can_handle(user, case) else "",
        "channel": case.channel,
        "responsible_deputy": case.responsible_deputy.code if case.responsible_deputy_id else None,
        "consent_publish": case.consent_publish,
        "rating": case.rating,
        "reopened_count": case.reopened_count,
        "escalated_to": escalated_to.first(),
        "escalated_from": case.escalated_from.number if case.escalated_from_id else None,
        "actions": actions,
        "events": [
            {
                "at": e.at,
                "action": e.action,
                "from_status": e.from_status,
                "status": e.to_status,
                "status_label": str(CaseStatus(e.to_status).label),
                "actor": str(e.actor) if e.actor else "",
                "note": event_public_text(e),
                "staff_note": e.staff_note,
            }
            for e in case.events.select_related("actor")
        ],
    }


@api.get("/cases/{number}", response={200: CaseDetailOut, 404: Error}, auth=bearer, tags=["ledger"])
def case_detail(request: HttpRequest, number: str):
    return _case_detail(case_get(viewer=request.auth, number=number), request.auth)


class TransitionIn(Schema):
    action: str
    triage: str | None = None
    category: str | None = None
    deputy: str | None = None
    reason: str | None = None
    department: str | None = None
    text: str | None = None
    method: str | None = None
    note: str | None = None
    rating: str | None = None


@api.post(
    "/cases/{number}/transitions",
    response={200: CaseDetailOut, 403: Error, 404: Error, 409: Error, 422: Error},
    auth=bearer,
    tags=["ledger"],
)
def case_transitions(request: HttpRequest, number: str, payload: TransitionIn):
    """Apply one lifecycle action. Actions: accept (triage, category?, deputy?), decline (reason),
    answer_on_spot (text), assign (department), escalate (reason), convert, answer (text),
    follow_up (method, note), rate (rating), close, reopen. `deputy`, `category` and
    `department` name only records of the case's scope; any other code is 422 `invalid_value`
    as an unknown one."""
    user = request.auth
    case = case_get(viewer=user, number=number)
    if payload.action not in Action.values:
        raise DomainError(
            "invalid_value",
            _("Unknown action “%(action)s”.") % {"action": payload.action},
            field="action",
        )
    if not can_act(user, case, payload.action):
        # Before the codes are resolved: who may not act learns nothing about them.
        exc = DomainError("not_allowed", _("You may not do this on this case."))
        exc.status = 403
        raise exc
    # Codes resolve only among the records this case may name (cases.permissions): one out of
    # the case's scope is as unknown as one that does not exist (the service checks it again).
    category = deputy = department = None
    if payload.category:
        category = case_category(case, payload.category)
        if category is None:
            raise DomainError("invalid_value", _("Unknown category."), field="category")
    if payload.deputy:
        deputy = responsible_deputies(case).filter(code=payload.deputy).first()
        if deputy is None:
            raise DomainError("invalid_value", _("Unknown deputy."), field="deputy")
    if payload.department:
        department = case_departments(case).filter(code=payload.department).first()
        if department is None:
            raise DomainError("invalid_value", _("Unknown department."), field="department")
    try:
        case = case_transition(
            case=case,
            actor=user,
            action=payload.action,
            triage=payload.triage,
            category=category,
            deputy=deputy,
            reason=payload.reason,
            department=department,
            text=payload.text,
            method=payload.method,
            note=payload.note,
            rating=payload.rating,
        )
    except DomainError as exc:
        if exc.code == "invalid_transition":
            exc.status = 409
        elif exc.code == "not_allowed":
            exc.status = 403
        raise
    case = case_get(viewer=user, number=number)
    return _case_detail(case, user)


# Routers of the other contexts: each owns its module, mounted here under /api/v1/.
from lianluo.api import activities as _activities  # noqa: E402
from lianluo.api import onboarding as _onboarding  # noqa: E402
from lianluo.api import portal as _portal  # noqa: E402
from lianluo.api import stations as _stations  # noqa: E402

api.add_router("", _stations.router)
api.add_router("", _activities.router)
api.add_router("", _onboarding.router)
api.add_router("", _portal.router)

from lianluo.api import duty as _duty  # noqa: E402

api.add_router("", _duty.router)

from lianluo.api import board as _board  # noqa: E402

api.add_router("", _board.router)
