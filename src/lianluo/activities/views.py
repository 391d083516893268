"""Activity pages: the officer's list, form, check-in screen and record; the deputy's open
activities with sign-up, the check-in landing a QR code opens, and the deputy's home page."""

from __future__ import annotations

import base64

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from lianluo.activities.forms import ActivityForm, RecordForm, ThemeForm
from lianluo.activities.models import Activity, ActivityStatus
from lianluo.activities.permissions import can_manage, is_member
from lianluo.activities.selectors import (
    ActivityFilters,
    activities_open_for_deputy,
    activity_get,
    activity_list,
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
    checkin_token_activity_id,
    checkin_token_issue,
    checkin_token_seconds,
    signup_cancel,
    signup_create,
    theme_set,
)
from lianluo.activities.states import EDITABLE, OPEN, can_transition
from lianluo.core.errors import DomainError, NotFound
from lianluo.core.qr import qr_bytes
from lianluo.deputies.selectors import deputy_for_user as deputy_of


def _get(request: HttpRequest, pk: int) -> Activity:
    try:
        return activity_get(viewer=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc


def _get_managed(request: HttpRequest, pk: int) -> Activity:
    activity = _get(request, pk)
    if not can_manage(request.user, activity.station):
        raise Http404
    return activity


def _next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def _decorate(activities) -> list[Activity]:
    """What the cards show besides the fields: places left and whether sign-up is open."""
    rows = list(activities)
    now = timezone.now()
    for a in rows:
        a.seats_left = seats_left(a)  # type: ignore[attr-defined]
        a.sign_up_open = a.status in OPEN and a.start > now  # type: ignore[attr-defined]
        a.under_way = a.status in OPEN and a.start <= now <= a.end  # type: ignore[attr-defined]
    return rows


@login_required
def activity_list_view(request: HttpRequest) -> HttpResponse:
    """Officers: their stations' activities. Deputies: the open ones of their stations."""
    stations = list(stations_managed(viewer=request.user))
    code = request.GET.get("station", "")
    station = next((s for s in stations if s.code == code), None)
    if station is None and len(stations) == 1:
        station = stations[0]
    status = request.GET.get("status", "")
    managed: list[Activity] = []
    if stations:
        managed = _decorate(
            activity_list(
                viewer=request.user,
                filters=ActivityFilters(
                    station=station.code if station else "",
                    status=status if status in ActivityStatus.values else "",
                ),
            ).filter(station__in=stations)[:100]
        )
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


def _form_context(form: ActivityForm, station, activity=None, error: str = "") -> dict:
    return {"form": form, "station": station, "activity": activity, "error": error}


def _activity_fields(form: ActivityForm) -> dict:
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
def activity_new(request: HttpRequest) -> HttpResponse:
    try:
        station = station_managed_get(
            viewer=request.user, code=request.GET.get("station") or request.POST.get("station", "")
        )
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc
    error = ""
    if request.method == "POST":
        form = ActivityForm(request.POST, station=station)
        if form.is_valid():
            try:
                activity = activity_create(
                    actor=request.user, station=station, **_activity_fields(form)
                )
            except DomainError as exc:
                error = str(exc.message)
            else:
                messages.success(request, _("Saved as a draft. Publish it to open sign-up."))
                return redirect("activities:detail", pk=activity.pk)
        else:
            error = _("Please correct the fields marked below.")
    else:
        theme = theme_for(station=station, day=timezone.localdate())
        form = ActivityForm(station=station, initial={"theme": theme})
    status = 400 if request.method == "POST" else 200
    return render(
        request, "activities/form.html", _form_context(form, station, error=error), status=status
    )


@login_required
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _get_managed(request, pk)
    if activity.status not in EDITABLE:
        raise Http404
    error = ""
    if request.method == "POST":
        form = ActivityForm(request.POST, station=activity.station)
        if form.is_valid():
            try:
                activity_update(actor=request.user, activity=activity, **_activity_fields(form))
            except DomainError as exc:
                error = str(exc.message)
            else:
                messages.success(request, _("Saved."))
                return redirect("activities:detail", pk=activity.pk)
        else:
            error = _("Please correct the fields marked below.")
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
    return render(
        request,
        "activities/form.html",
        _form_context(form, activity.station, activity, error),
        status=400 if request.method == "POST" else 200,
    )


@login_required
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    (activity,) = _decorate([_get(request, pk)])
    manages = can_manage(request.user, activity.station)
    now = timezone.now()
    context = {
        "a": activity,
        "manages": manages,
        "attendance": attendance(activity=activity) if manages else [],
        "photos": list(activity.photos.all()),
        "suggestions": list(activity.suggestions.all()),
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


def _act(request: HttpRequest, pk: int, service, done: str) -> HttpResponse:
    activity = _get_managed(request, pk)
    try:
        service(actor=request.user, activity=activity)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, done)
    return redirect("activities:detail", pk=activity.pk)


@login_required
@require_POST
def activity_publish_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, activity_publish, _("Published: the station's deputies are told."))


@login_required
@require_POST
def activity_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, activity_cancel, _("Cancelled."))


def _signup_response(request: HttpRequest, pk: int, error: str = "") -> HttpResponse:
    """htmx swaps the activity's card; a plain form post goes back where it came from."""
    if request.headers.get("HX-Request"):
        (activity,) = _decorate([_get(request, pk)])
        context = {"a": activity, "error": error, "compact": bool(request.POST.get("compact"))}
        return render(request, "activities/_deputy_card.html", context)
    if error:
        messages.error(request, error)
    return redirect(_next(request, f"/activities/{pk}/"))


@login_required
@require_POST
def signup_view(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _get(request, pk)
    error = ""
    try:
        signup_create(actor=request.user, activity=activity)
    except NotFound as exc:
        raise Http404 from exc
    except DomainError as exc:
        error = str(exc.message)
    else:
        if not request.headers.get("HX-Request"):
            messages.success(request, _("You are signed up."))
    return _signup_response(request, pk, error)


@login_required
@require_POST
def signup_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _get(request, pk)
    error = ""
    try:
        signup_cancel(actor=request.user, activity=activity)
    except NotFound as exc:
        raise Http404 from exc
    except DomainError as exc:
        error = str(exc.message)
    else:
        if not request.headers.get("HX-Request"):
            messages.success(request, _("Your sign-up is withdrawn."))
    return _signup_response(request, pk, error)


def _code_context(request: HttpRequest, activity: Activity) -> dict:
    # Renew well within the code's lifetime: every minute, sooner if codes live shorter.
    refresh = max(10, min(60, checkin_token_seconds() // 2))
    try:
        code = checkin_token_issue(actor=request.user, activity=activity)
    except DomainError as exc:
        return {"a": activity, "error": str(exc.message), "code": None, "refresh": refresh}
    png = qr_bytes(code.url, "png")
    checked = sum(1 for s in attendance(activity=activity) if s.checked_in_at)
    return {
        "a": activity,
        "code": code,
        "qr": "data:image/png;base64," + base64.b64encode(png).decode(),
        "checked_in": checked,
        "signed_up": activity.signups.count(),
        "error": "",
        "refresh": refresh,
    }


@never_cache
@login_required
def checkin_code(request: HttpRequest, pk: int) -> HttpResponse:
    """The big QR code for the projector or the officer's phone; renewed every minute."""
    activity = _get_managed(request, pk)
    return render(request, "activities/checkin_code.html", _code_context(request, activity))


@never_cache
@login_required
def checkin_code_live(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _get_managed(request, pk)
    return render(request, "activities/_checkin_code.html", _code_context(request, activity))


@never_cache
@login_required
def checkin(request: HttpRequest) -> HttpResponse:
    """Where the scanned QR code leads (sign-in first, then back here). The code itself is
    the proof of presence, so opening it checks in; doing it twice changes nothing."""
    token = request.GET.get("t", "")
    activity = None
    try:
        signup, first = checkin_scan(actor=request.user, token=token)
    except DomainError as exc:
        try:
            activity = Activity.objects.filter(pk=checkin_token_activity_id(token)).first()
        except DomainError:
            activity = None
        context = {"ok": False, "code": exc.code, "error": str(exc.message), "a": activity}
        return render(request, "activities/checkin.html", context, status=exc.status)
    context = {"ok": True, "first": first, "signup": signup, "a": signup.activity}
    return render(request, "activities/checkin.html", context)


@login_required
def activity_record_view(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _get_managed(request, pk)
    now = timezone.now()
    if not can_transition(activity.status, "record") or activity.start > now:
        messages.error(request, _("An activity is recorded once it has begun."))
        return redirect("activities:detail", pk=activity.pk)
    present = attendance(activity=activity)
    people = {d.pk: d for d in station_deputies(station=activity.station)}
    people.update({s.deputy_id: s.deputy for s in present})
    kwargs = {"station": activity.station, "deputies": list(people.values())}
    error = ""
    if request.method == "POST":
        form = RecordForm(request.POST, request.FILES, **kwargs)
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
                error = str(exc.message)
            else:
                messages.success(request, _("Recorded."))
                return redirect("activities:detail", pk=activity.pk)
        else:
            error = _("Please correct the fields marked below.")
    else:
        form = RecordForm(
            initial={
                "attended": [s.deputy_id for s in present if s.checked_in_at],
                "summary": activity.summary,
                "suggestions": [s.pk for s in activity.suggestions.all()],
            },
            **kwargs,
        )
    return render(
        request,
        "activities/record.html",
        {"a": activity, "form": form, "error": error, "attendance": present},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def photo(request: HttpRequest, pk: int, photo_id: int) -> FileResponse:
    """Activity photos live in private storage: shown to whoever may see the activity."""
    activity = _get(request, pk)
    item = activity.photos.filter(pk=photo_id).first()
    if item is None:
        raise Http404
    response = FileResponse(item.file.open("rb"), content_type=item.content_type)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def themes(request: HttpRequest, code: str) -> HttpResponse:
    """The station's theme of the month (每月一主题), set by its officer or the staff."""
    try:
        station = station_managed_get(viewer=request.user, code=code)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc
    error = ""
    if request.method == "POST":
        form = ThemeForm(request.POST)
        if form.is_valid():
            try:
                theme_set(actor=request.user, station=station, **form.cleaned_data)
            except DomainError as exc:
                error = str(exc.message)
            else:
                messages.success(request, _("Theme saved."))
                return redirect("activities:themes", code=station.code)
        else:
            error = _("Please correct the fields marked below.")
    else:
        form = ThemeForm(initial={"month": timezone.localdate().replace(day=1)})
    return render(
        request,
        "activities/themes.html",
        {"station": station, "form": form, "themes": themes_of(station=station), "error": error},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def me(request: HttpRequest) -> HttpResponse:
    """The deputy's phone home page."""
    home = deputy_home(viewer=request.user)
    if home.deputy is None:
        return redirect("home")
    _decorate(home.signed_up)
    return render(request, "activities/me.html", {"home": home})
