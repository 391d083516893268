"""Public pages for citizens: station/deputy landing with the message form, tracking, QR."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from lianluo.cases.errors import IdempotencyConflict
from lianluo.cases.intake import case_intake, intake_form, intake_submission
from lianluo.cases.selectors import (
    case_by_tracking_code,
    case_for_tracking,
    case_public_timeline,
    case_published_get,
)
from lianluo.cases.services import case_submission_digest, case_support_add
from lianluo.cases.services.rating import case_citizen_rate
from lianluo.cases.tracking import case_tracking
from lianluo.core.errors import DomainError, NotFound, form_error
from lianluo.core.qr import deputy_url, qr_bytes, station_url
from lianluo.core.text import text_max_chars
from lianluo.core.throttle import rate_allowed
from lianluo.deputies.models import Deputy
from lianluo.deputies.selectors import deputy_public_get
from lianluo.portal.forms import CitizenRatingForm
from lianluo.portal.opendata import deputies_open, stations_open
from lianluo.portal.printing import (
    deputy_poster_document,
    poster_language,
    station_deputies_document,
    station_poster_document,
)
from lianluo.portal.selectors import DeputyPage, StationPage, deputy_page, station_page
from lianluo.projects.selectors.collection import collection_link
from lianluo.stations.models import Station
from lianluo.stations.selectors import station_public_get, station_public_list


def intake_allowed(request: HttpRequest) -> bool:
    """The public intake rate per client, on the same counter as the API's IntakeThrottle."""
    return rate_allowed(request, "intake", settings.LIANLUO_INTAKE_RATE)


def index(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/index.html", {"stations": station_public_list()})


# The session remembers the last message this device sent: its key and its digest.
LAST_SUBMISSION = "intake_last"


def _landing(
    request: HttpRequest, *, station: Station | None = None, deputy: Deputy | None = None
) -> HttpResponse:
    error = ""
    status = 400 if request.method == "POST" else 200
    if request.method == "POST":
        form = intake_form(request.POST, request.FILES, station=station, deputy=deputy)
        if not intake_allowed(request):
            error = _("Too many messages from this device. Please wait a minute and try again.")
            status = 429  # like the API: the client is told to slow down, not that it erred
        elif form.is_valid():
            submission = intake_submission(form, station=station, deputy=deputy)
            key = _submission_key(request, form.cleaned_data["idempotency_key"], submission)
            try:
                case, _created = case_intake(
                    form=form, station=station, deputy=deputy, idempotency_key=key
                )
            except IdempotencyConflict:
                # Keep everything typed; a fresh key lets the next "send" record it.
                data = request.POST.copy()
                data["idempotency_key"] = uuid.uuid4().hex
                form = intake_form(data, station=station, deputy=deputy)
                error = _(
                    "This form was already used to send a different message, so this one was "
                    "not recorded yet. Everything you typed is still here: check it and send "
                    "it again."
                )
                status = 409
            except DomainError as exc:
                error = str(exc.message)
            else:
                request.session["last_case"] = case.tracking_code
                request.session[LAST_SUBMISSION] = {"key": key, "digest": case.submission_digest}
                return redirect("portal:submitted", code=case.tracking_code)
        else:
            error = _("Please correct the fields marked below; what you typed is kept.")
    else:
        form = intake_form(
            station=station, deputy=deputy, initial={"idempotency_key": uuid.uuid4().hex}
        )
    page: StationPage | DeputyPage
    if station is not None:
        page = station_page(station=station, year=_year(request.GET.get("year")))
        qr_target = station_url(station.code)
    else:
        assert deputy is not None
        page, qr_target = deputy_page(deputy=deputy), deputy_url(deputy.code)
    context = {
        "station": station,
        "deputy": deputy,
        "page": page,
        "form": form,
        "text_max_chars": text_max_chars(),
        "error": error,
        "qr_target": qr_target,
        "proposal": collection_link(station=station, deputy=deputy),
    }
    return render(request, "portal/landing.html", context, status=status)


def _year(raw: str | None) -> int | None:
    """`?year=2025` on a station's page; anything else is this year."""
    return int(raw) if raw and raw.isascii() and raw.isdigit() and len(raw) == 4 else None


def _submission_key(request: HttpRequest, form_key: str, submission: dict[str, Any]) -> str:
    """The idempotency key to record this message under.

    Each rendering of the form carries a fresh key, so a double tap sends one key twice. But
    "back" after sending makes the browser fetch the page again (new key) and refill the
    fields with what was typed: sending that is the same message again. So when this device's
    last message had exactly this addressee and content, its key is reused and the citizen
    lands on the case they already have (safe: only this session knows that key and case).
    A message that differs in anything is new and keeps the form's own key."""
    last = request.session.get(LAST_SUBMISSION) or {}
    if last.get("key") and last.get("digest") == case_submission_digest(**submission):
        return str(last["key"])
    # A form without a key (a very old page) still gets one, so the rule above holds for it.
    return form_key or uuid.uuid4().hex


def station_landing(request: HttpRequest, code: str) -> HttpResponse:
    return _landing(request, station=station_public_get(code=code))


def deputy_landing(request: HttpRequest, code: str) -> HttpResponse:
    return _landing(request, deputy=deputy_public_get(code=code))


def submitted(request: HttpRequest, code: str) -> HttpResponse:
    # Only the device that submitted sees the confirmation page; others use the tracking page.
    if request.session.get("last_case") != code:
        return redirect("portal:track", code=code)
    case = case_by_tracking_code(code=code)
    return render(request, "portal/submitted.html", {"case": case})


def track(request: HttpRequest, code: str | None = None) -> HttpResponse:
    """The citizen's case by its tracking code: their message, the deadline, the answer, and the
    form to rate it (POST here; cases.services.rating says when it is open)."""
    code = code or request.GET.get("code", "").strip()
    if not code:
        return render(request, "portal/track_form.html", {})
    try:
        # A merged duplicate's citizen follows the case that carries it on (the survivor).
        case, survivor = case_for_tracking(code=code)
    except NotFound:  # the form again, with what was typed
        return render(
            request,
            "portal/track_form.html",
            {"error": _("No case has this tracking code."), "code": code},
            status=404,
        )
    form, error, status = CitizenRatingForm(), "", 200
    if request.method == "POST":
        form = CitizenRatingForm(request.POST)
        if not rate_allowed(request, "rating", settings.LIANLUO_INTAKE_RATE):
            error = _("Too many attempts from this device. Please wait a minute and try again.")
            status = 429
        elif form.is_valid():
            try:
                case_citizen_rate(case=case, **form.rating_arguments())
            except DomainError as exc:
                form_error(form, exc)
                error, status = str(exc.message), exc.status
            else:
                messages.success(request, _("Thank you for your rating."))
                return redirect("portal:track", code=case.tracking_code)
        else:
            error = _("Please correct the fields marked below; what you typed is kept.")
            status = 400
        case = case_by_tracking_code(code=code)
    context = {
        "case": case,
        "tracking": case_tracking(case=case),
        "form": form,
        "error": error,
        # A merged duplicate's citizen reads the steps, answer and rating of the survivor.
        "survivor": survivor,
        "survivor_timeline": case_public_timeline(case=survivor) if survivor else [],
    }
    return render(request, "portal/track.html", context, status=status)


# The device a "me too" comes from: a random id in a signed cookie (cases.services.support).
DEVICE_COOKIE = "lianluo_device"
DEVICE_SALT = "lianluo.case_support"
DEVICE_MAX_AGE = 2 * 365 * 24 * 3600


def support_allowed(request: HttpRequest) -> bool:
    """The "me too" rate per client, on the same counter as the API's SupportThrottle."""
    return rate_allowed(request, "support", settings.LIANLUO_SUPPORT_RATE)


@require_POST
def case_support(request: HttpRequest, code: str, number: str) -> HttpResponse:
    """我也遇到 on a case published on the station's page; once per device (and phone)."""
    station = station_public_get(code=code)
    case = case_published_get(station=station, number=number)
    device = request.get_signed_cookie(DEVICE_COOKIE, default="", salt=DEVICE_SALT)
    device = device or uuid.uuid4().hex
    count, status = case.support_count, 200
    if not support_allowed(request):
        message, ok, status = _("Too many taps from this device. Please wait a minute."), False, 429
    else:
        try:
            result = case_support_add(case=case, device=device, phone=request.POST.get("phone", ""))
        except DomainError as exc:
            message, ok = str(exc.message), False
        else:
            count, ok = result.count, True
            message = _("Thank you: counted.") if result.added else _("You have already said so.")
    response: HttpResponse
    if request.headers.get("HX-Request"):
        context = {"c": {"number": number, "support_count": count}, "station": station}
        context["support_message"] = message
        response = render(request, "portal/_support.html", context, status=status)
    else:
        (messages.success if ok else messages.error)(request, message)
        response = redirect(reverse("portal:station", args=[code]) + f"#case-{number}")
    response.set_signed_cookie(
        DEVICE_COOKIE,
        device,
        salt=DEVICE_SALT,
        max_age=DEVICE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response


@cache_control(public=True, max_age=3600)
def station_qr(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    station = station_public_get(code=code)
    return _qr_response(station_url(station.code), kind, f"station-{station.code}")


@cache_control(public=True, max_age=3600)
def deputy_qr(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    deputy = deputy_public_get(code=code)
    return _qr_response(deputy_url(deputy.code), kind, f"deputy-{deputy.code}")


def _qr_response(url: str, kind: str, name: str) -> HttpResponse:
    if kind not in ("png", "svg"):
        raise Http404
    content_type = "image/svg+xml" if kind == "svg" else "image/png"
    response = HttpResponse(qr_bytes(url, kind), content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{name}.{kind}"'
    return response


def _pdf(request: HttpRequest, make: Callable[..., tuple[bytes, str]], code: str) -> HttpResponse:
    """A poster as an inline PDF in the language asked for (?lang=), else the page's."""
    language = poster_language(request.GET.get("lang"))
    content, filename = make(code=code, language=language)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Content-Language"] = language
    return response


def station_poster(request: HttpRequest, code: str) -> HttpResponse:
    return _pdf(request, station_poster_document, code)


def station_posters(request: HttpRequest, code: str) -> HttpResponse:
    return _pdf(request, station_deputies_document, code)


def deputy_poster(request: HttpRequest, code: str) -> HttpResponse:
    return _pdf(request, deputy_poster_document, code)


# ---- open data ----------------------------------------------------------------------------------

OPEN_DATA_MAX_AGE = 3600  # an hour: stations and deputies change by the month


def _open_json(data: dict[str, object]) -> JsonResponse:
    # Chinese as characters, not \u escapes: the file is read by people too.
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


@cache_control(public=True, max_age=OPEN_DATA_MAX_AGE)
def opendata_stations(request: HttpRequest) -> HttpResponse:
    """The active stations' public facts (lianluo.portal.opendata)."""
    return _open_json(stations_open())


@cache_control(public=True, max_age=OPEN_DATA_MAX_AGE)
def opendata_deputies(request: HttpRequest) -> HttpResponse:
    """The deputies' public facts (lianluo.portal.opendata)."""
    return _open_json(deputies_open())
