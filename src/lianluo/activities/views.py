"""Activity pages: the officer's list, form, check-in screen and record; the deputy's open
activities with sign-up, the check-in landing a QR code opens, and the deputy's home page."""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from lianluo.activities import exports
from lianluo.activities.forms import ActivityForm, RecordForm, ThemeForm
from lianluo.activities.models import Activity, ActivityStatus
from lianluo.activities.permissions import can_manage, is_member
from lianluo.activities.selectors import (
    ActivityFilters,
    activities_managed,
    activities_open_for_deputy,
    activity_get,
    activity_managed_get,
    activity_of_checkin_token,
    activity_photo_get,
    activity_photos,
    activity_suggestions,
    attendance,
    deputy_home,
    seats_left,
    station_deputies,
    station_managed_get,
    stations_managed,
    theme_for,
    themes_of,
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
    checkin_token_seconds,
    signup_cancel,
    signup_create,
    theme_set,
)
from lianluo.activities.states import EDITABLE, OPEN, can_transition
from lianluo.core.errors import DomainError, NotFound, form_error
from lianluo.core.http import AuthedRequest
from lianluo.core.qr import qr_bytes
from lianluo.core.xlsx import filters_of, xlsx_export

# A missing or foreign activity or station raises NotFound from its selector: the middleware
# answers with the 404 page. Refusals of a form's service are shown at their field (form_error).
from lianluo.deputies.selectors import deputy_for_user as deputy_of


def _form_page(
    request: AuthedRequest, template: str, form: Any, context: dict[str, Any]
) -> HttpResponse:
    """A form page: shown blank (200), or again with what was wrong (400) — a field's mistake
    next to the field, a refusal of the whole form at the top."""
    error = ""
    if form.errors:
        error = " ".join(form.non_field_errors()) or _("Please correct the fields marked below.")
    status = 400 if request.method == "POST" else 200
    return render(request, template, {"form": form, "error": error, **context}, status=status)


def _next(request: AuthedRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def _decorate(activities: Iterable[Activity]) -> list[Activity]:
    """What the cards show besides the fields: places left and whether sign-up is open."""
    rows = list(activities)
    now = timezone.now()
    for a in rows:
        a.seats_left = seats_left(a)  # type: ignore[attr-defined]
        a.sign_up_open = a.status in OPEN and a.start > now  # type: ignore[attr-defined]
        a.under_way = a.status in OPEN and a.start <= now <= a.end  # type: ignore[attr-defined]
    return rows


@login_required
def activity_list_view(request: AuthedRequest) -> HttpResponse:
    """Officers: their stations' activities. Deputies: the open ones of their stations."""
    stations = list(stations_managed(viewer=request.user))
    code = request.GET.get("station", "")
    station = next((s for s in stations if s.code == code), None)
    if station is None and len(stations) == 1:
        station = stations[0]
    status = request.GET.get("status", "")
    managed: list[Activity] = []
    if stations:
        filters = ActivityFilters(
            station=station.code if station else "",
            status=status if status in ActivityStatus.values else "",
        )
        managed = _decorate(activities_managed(viewer=request.user, filters=filters))
    deputy = deputy_of(request.user)
    context = {
        "stations": stations,
        "station": station,
        "status": status,
        "statuses": ActivityStatus.choices,
        "managed": managed,
        "deputy": deputy,
        "open": _decorate(activities_open_for_deputy(viewer=request.user)) if deputy else [],
        "theme": theme_for(station=station, day=timezone.localdate()) if station else None,
    }
    return render(request, "activities/list.html", context)


def _activity_fields(form: ActivityForm) -> dict[str, Any]:
    d = form.cleaned_data
    return {
        "type": d["type"],
        "title": d["title"],
        "place": d["place"],
        "start": d["start"],
        "end": d["end"],
        "capacity": d["capacity"],
        "description": d["description"],
        "theme": d["theme"],
    }


@login_required
def activity_new(request: AuthedRequest) -> HttpResponse:
    station = station_managed_get(
        viewer=request.user, code=request.GET.get("station") or request.POST.get("station", "")
    )
    if request.method == "POST":
        form = ActivityForm(request.POST, station=station)
        if form.is_valid():
            try:
                activity = activity_create(
                    actor=request.user, station=station, **_activity_fields(form)
                )
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("Saved as a draft. Publish it to open sign-up."))
                return redirect("activities:detail", pk=activity.pk)
    else:
        theme = theme_for(station=station, day=timezone.localdate())
        form = ActivityForm(station=station, initial={"theme": theme})
    context = {"station": station, "activity": None}
    return _form_page(request, "activities/form.html", form, context)


@login_required
def activity_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    activity = activity_managed_get(viewer=request.user, pk=pk)
    if activity.status not in EDITABLE:
        raise Http404
    if request.method == "POST":
        form = ActivityForm(request.POST, station=activity.station)
        if form.is_valid():
            try:
                activity_update(actor=request.user, activity=activity, **_activity_fields(form))
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("activities:detail", pk=activity.pk)
    else:
        form = ActivityForm(
            station=activity.station,
            initial={
                "type": activity.type,
                "title": activity.title,
                "theme": activity.theme_id,
                "place": activity.place,
                "start": timezone.localtime(activity.start),
                "end": timezone.localtime(activity.end),
                "capacity": activity.capacity,
                "description": activity.description,
            },
        )
    context = {"station": activity.station, "activity": activity}
    return _form_page(request, "activities/form.html", form, context)


@login_required
def activity_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    (activity,) = _decorate([activity_get(viewer=request.user, pk=pk)])
    manages = can_manage(request.user, activity.station)
    now = timezone.now()
    context = {
        "a": activity,
        "manages": manages,
        "attendance": attendance(activity=activity) if manages else [],
        "photos": activity_photos(activity=activity),
        "suggestions": activity_suggestions(activity=activity),
        "can_publish": manages and can_transition(activity.status, "publish"),
        "can_cancel": manages and can_transition(activity.status, "cancel"),
        "can_edit": manages and activity.status in EDITABLE,
        "can_record": manages
        and can_transition(activity.status, "record")
        and activity.start <= now,
        "can_checkin_code": manages and activity.status in OPEN and activity.end >= now,
        "is_member": is_member(deputy_of(request.user), activity.station),
    }
    return render(request, "activities/detail.html", context)


def _attempt(request: AuthedRequest, service: Callable[..., object], activity: Activity) -> str:
    """Run a one-click service on the activity: "" when done, else the refusal's message to
    show. An activity the user may not see stays a 404 (the middleware's)."""
    try:
        service(actor=request.user, activity=activity)
    except NotFound:
        raise
    except DomainError as exc:
        return str(exc.message)
    return ""


def _act(
    request: AuthedRequest, pk: int, service: Callable[..., object], done: str
) -> HttpResponse:
    """Publish or cancel from the detail page: a refusal (not from this state) is flashed."""
    activity = activity_managed_get(viewer=request.user, pk=pk)
    error = _attempt(request, service, activity)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done)
    return redirect("activities:detail", pk=activity.pk)


@login_required
@require_POST
def activity_publish_view(request: AuthedRequest, pk: int) -> HttpResponse:
    return _act(request, pk, activity_publish, _("Published: the station's deputies are told."))


@login_required
@require_POST
def activity_cancel_view(request: AuthedRequest, pk: int) -> HttpResponse:
    return _act(request, pk, activity_cancel, _("Cancelled."))


def _signup_response(request: AuthedRequest, pk: int, error: str = "") -> HttpResponse:
    """htmx swaps the activity's card; a plain form post goes back where it came from."""
    if request.headers.get("HX-Request"):
        (activity,) = _decorate([activity_get(viewer=request.user, pk=pk)])
        context = {"a": activity, "error": error, "compact": bool(request.POST.get("compact"))}
        return render(request, "activities/_deputy_card.html", context)
    if error:
        messages.error(request, error)
    return redirect(_next(request, f"/activities/{pk}/"))


def _signup_act(
    request: AuthedRequest, pk: int, service: Callable[..., object], done: str
) -> HttpResponse:
    """Sign up or withdraw: a refusal (full, begun, checked in) is shown on the card."""
    activity = activity_get(viewer=request.user, pk=pk)
    error = _attempt(request, service, activity)
    if not error and not request.headers.get("HX-Request"):
        messages.success(request, done)
    return _signup_response(request, pk, error)


@login_required
@require_POST
def signup_view(request: AuthedRequest, pk: int) -> HttpResponse:
    return _signup_act(request, pk, signup_create, _("You are signed up."))


@login_required
@require_POST
def signup_cancel_view(request: AuthedRequest, pk: int) -> HttpResponse:
    return _signup_act(request, pk, signup_cancel, _("Your sign-up is withdrawn."))


def _code_context(request: AuthedRequest, pk: int) -> dict[str, Any]:
    activity = activity_managed_get(viewer=request.user, pk=pk)
    # Renew well within the code's lifetime: every minute, sooner if codes live shorter.
    refresh = max(10, min(60, checkin_token_seconds() // 2))
    try:
        code = checkin_token_issue(actor=request.user, activity=activity)
    except DomainError as exc:
        return {"a": activity, "error": str(exc.message), "code": None, "refresh": refresh}
    png = qr_bytes(code.url, "png")
    present = attendance(activity=activity)
    return {
        "a": activity,
        "code": code,
        "qr": "data:image/png;base64," + base64.b64encode(png).decode(),
        "checked_in": sum(1 for s in present if s.checked_in_at),
        "signed_up": len(present),
        "error": "",
        "refresh": refresh,
    }


@never_cache
@login_required
def checkin_code(request: AuthedRequest, pk: int) -> HttpResponse:
    """The big QR code for the projector or the officer's phone; renewed every minute."""
    return render(request, "activities/checkin_code.html", _code_context(request, pk))


@never_cache
@login_required
def checkin_code_live(request: AuthedRequest, pk: int) -> HttpResponse:
    return render(request, "activities/_checkin_code.html", _code_context(request, pk))


@never_cache
@login_required
def checkin(request: AuthedRequest) -> HttpResponse:
    """Where the scanned QR code leads (sign-in first, then back here). The code itself is
    the proof of presence, so opening it checks in; doing it twice changes nothing."""
    token = request.GET.get("t", "")
    try:
        signup, first = checkin_scan(actor=request.user, token=token)
    except DomainError as exc:
        activity = activity_of_checkin_token(token)
        context = {"ok": False, "code": exc.code, "error": str(exc.message), "a": activity}
        return render(request, "activities/checkin.html", context, status=exc.status)
    context = {"ok": True, "first": first, "signup": signup, "a": signup.activity}
    return render(request, "activities/checkin.html", context)


@login_required
def activity_record_view(request: AuthedRequest, pk: int) -> HttpResponse:
    activity = activity_managed_get(viewer=request.user, pk=pk)
    now = timezone.now()
    if not can_transition(activity.status, "record") or activity.start > now:
        messages.error(request, _("An activity is recorded once it has begun."))
        return redirect("activities:detail", pk=activity.pk)
    present = attendance(activity=activity)
    people = {d.pk: d for d in station_deputies(station=activity.station)}
    people.update({s.deputy_id: s.deputy for s in present})
    station, deputies = activity.station, list(people.values())
    if request.method == "POST":
        form = RecordForm(request.POST, request.FILES, station=station, deputies=deputies)
        if form.is_valid():
            d = form.cleaned_data
            drafts = []
            if d["new_title"].strip():
                drafts.append(SuggestionDraft(d["new_title"], d["new_text"], d["new_deputy"]))
            try:
                activity_record(
                    actor=request.user,
                    activity=activity,
                    attended=list(d["attended"]),
                    summary=d["summary"],
                    photos=d["photos"],
                    suggestions=list(d["suggestions"]),
                    new_suggestions=drafts,
                )
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("Recorded."))
                return redirect("activities:detail", pk=activity.pk)
    else:
        form = RecordForm(
            initial={
                "attended": [s.deputy_id for s in present if s.checked_in_at],
                "summary": activity.summary,
                "suggestions": [s.pk for s in activity_suggestions(activity=activity)],
            },
            station=station,
            deputies=deputies,
        )
    context = {"a": activity, "attendance": present}
    return _form_page(request, "activities/record.html", form, context)


@login_required
def photo(request: AuthedRequest, pk: int, photo_id: int) -> FileResponse:
    """Activity photos live in private storage: shown to whoever may see the activity."""
    item = activity_photo_get(viewer=request.user, pk=pk, photo_id=photo_id)
    response = FileResponse(item.file.open("rb"), content_type=item.content_type)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def themes(request: AuthedRequest, code: str) -> HttpResponse:
    """The station's theme of the month (每月一主题), set by its officer or the staff."""
    station = station_managed_get(viewer=request.user, code=code)
    if request.method == "POST":
        form = ThemeForm(request.POST)
        if form.is_valid():
            try:
                theme_set(actor=request.user, station=station, **form.cleaned_data)
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("Theme saved."))
                return redirect("activities:themes", code=station.code)
    else:
        form = ThemeForm(initial={"month": timezone.localdate().replace(day=1)})
    context = {"station": station, "themes": themes_of(station=station)}
    return _form_page(request, "activities/themes.html", form, context)


@login_required
def me(request: AuthedRequest) -> HttpResponse:
    """The deputy's phone home page."""
    home = deputy_home(viewer=request.user)
    if home.deputy is None:
        return redirect("home")
    _decorate(home.signed_up)
    return render(request, "activities/me.html", {"home": home})


@login_required
def activity_list_xlsx(request: AuthedRequest) -> FileResponse:
    """The officer's list as filtered on the page (station, status), every row, as Excel."""
    codes = {s.code for s in stations_managed(viewer=request.user)}
    code = request.GET.get("station", "")
    status = request.GET.get("status", "")
    filters = ActivityFilters(
        station=code if code in codes else "",
        status=status if status in ActivityStatus.values else "",
    )
    today = timezone.localdate()
    return xlsx_export(
        actor=request.user,
        verb="export.activities",
        filters=filters_of(request.GET),
        filename=f"activities-{today:%Y%m%d}.xlsx",
        columns=exports.activity_columns(),
        rows=exports.activity_rows(
            exports.activities_for_export(viewer=request.user, filters=filters)
        ),
        sheet=_("Activities"),
        title=f"{_('Activities')} ({today:%Y-%m-%d})",
    )
