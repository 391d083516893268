"""Pages of onboarding: Excel import/export for staff, the station checklist (七有) and its
completeness, station masters."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianluo.core.errors import DomainError, form_error
from lianluo.core.http import AuthedRequest
from lianluo.onboarding.forms import (
    ChecklistItemForm,
    FixedMasterForm,
    ImportUploadForm,
    RotationForm,
)
from lianluo.onboarding.models import (
    PAST_KINDS,
    ROSTER_KINDS,
    ImportJob,
    ImportKind,
    ImportStatus,
)
from lianluo.onboarding.permissions import can_import, can_manage_station
from lianluo.onboarding.samples import past_sample_rows
from lianluo.onboarding.selectors import (
    checklist_completeness,
    checklist_evidence,
    checklist_of,
    export_reference,
    import_errors,
    import_get,
    import_list,
    import_progress,
    master_candidates,
    master_get,
    master_schedule,
    masters_on,
    station_get,
    stations_visible_active,
)
from lianluo.onboarding.services import (
    checklist_update,
    import_confirm,
    import_upload,
    master_remove,
    master_rotation_generate,
    master_set_fixed,
    roster_export,
)
from lianluo.onboarding.sheets import SheetData, build_workbook
from lianluo.stations.models import ChecklistItem, Station

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_import(request: AuthedRequest) -> None:
    if not can_import(request.user):
        raise Http404


def _station(request: AuthedRequest, code: str, *, manage: bool = False) -> Station:
    """The station if the user may see it (its selector's NotFound is the 404 page otherwise);
    to change it they must also manage it (403 for someone who only reads, such as a leader)."""
    station = station_get(viewer=request.user, code=code)
    if manage and not can_manage_station(request.user, station):
        raise PermissionDenied
    return station


@login_required
def index(request: AuthedRequest) -> HttpResponse:
    """Station set-up: what the user can do here, by role."""
    stations = stations_visible_active(viewer=request.user)
    own = [s for s in stations if can_manage_station(request.user, s)]
    context = {
        "can_import": can_import(request.user),
        "stations": own[:50] if not can_import(request.user) else [],
        "station_count": len(stations),
    }
    return render(request, "onboarding/index.html", context)


# ---- import / export ---------------------------------------------------------------------


@login_required
def imports(request: AuthedRequest) -> HttpResponse:
    _require_import(request)
    if request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                job = import_upload(
                    kind=form.cleaned_data["kind"],
                    upload=form.cleaned_data["file"],
                    actor=request.user,
                )
            except DomainError as exc:
                form_error(form, exc)
            else:
                return redirect("onboarding:import_detail", pk=job.pk)
    else:
        form = ImportUploadForm()
    context = {
        "form": form,
        "kinds": [(k, ImportKind(k).label) for k in ROSTER_KINDS],
        "past_kinds": [(k, ImportKind(k).label) for k in PAST_KINDS],
        "jobs": import_list(viewer=request.user),
    }
    return render(request, "onboarding/imports.html", context, status=400 if form.errors else 200)


@login_required
def template_download(request: AuthedRequest, kind: str) -> HttpResponse:
    """An empty sheet with headers, dropdowns, instructions and the codes of the user's area."""
    _require_import(request)
    if kind not in ImportKind.values:
        raise Http404
    # A past year's sheet comes with one example row made of the user's own stations.
    rows = past_sample_rows(viewer=request.user, kind=kind) if kind in PAST_KINDS else []
    data = build_workbook([SheetData(kind, rows)], export_reference(viewer=request.user))
    return _xlsx(data, _("template") + f"-{kind}.xlsx")


@login_required
def export(request: AuthedRequest, kind: str) -> HttpResponse:
    """The same sheets filled with the user's area: they import back unchanged (audited)."""
    _require_import(request)
    kinds = [str(k) for k in ROSTER_KINDS if kind in (k, "all")]
    if not kinds:
        raise Http404
    data = roster_export(actor=request.user, kinds=kinds)
    stamp = timezone.localdate().strftime("%Y%m%d")
    return _xlsx(data, f"{_('roster')}-{kind}-{stamp}.xlsx")


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "private, no-store"
    return response


def _job_context(job: ImportJob) -> dict[str, Any]:
    summary = job.summary or {}
    return {
        "job": job,
        "progress": import_progress(job=job),
        "errors": import_errors(job=job) if job.status in ("invalid", "failed") else [],
        "error_count": summary.get("error_count", len(job.errors)),
        "summary": summary,
        "items": summary.get("items", []),
        "statuses": ImportStatus,
    }


@login_required
def import_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    job = import_get(viewer=request.user, pk=pk)
    return render(request, "onboarding/import_detail.html", _job_context(job))


@login_required
def import_status(request: AuthedRequest, pk: int) -> HttpResponse:
    """The part of the job page that htmx polls every second while the job runs."""
    job = import_get(viewer=request.user, pk=pk)
    return render(request, "onboarding/_import_status.html", _job_context(job))


@login_required
@require_POST
def import_confirm_view(request: AuthedRequest, pk: int) -> HttpResponse:
    job = import_get(viewer=request.user, pk=pk)
    try:
        import_confirm(job=job, actor=request.user)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("onboarding:import_detail", pk=job.pk)


# ---- the station checklist ---------------------------------------------------------------


@login_required
def completeness(request: AuthedRequest) -> HttpResponse:
    counties = checklist_completeness(viewer=request.user)
    return render(request, "onboarding/completeness.html", {"counties": counties})


def _checklist_context(
    request: AuthedRequest, station: Station, forms: dict[str, ChecklistItemForm] | None = None
) -> dict[str, Any]:
    lines = checklist_of(station=station)
    manage = can_manage_station(request.user, station)
    forms = forms or {}
    return {
        "station": station,
        "lines": [
            (
                line,
                forms.get(line.item)
                or ChecklistItemForm(
                    prefix=line.item, initial={"done": line.done, "note": line.note}
                ),
            )
            for line in lines
        ],
        "done": sum(1 for line in lines if line.done),
        "total": len(lines),
        "can_manage": manage,
        "masters": masters_on(station=station),
    }


@login_required
def checklist(request: AuthedRequest, code: str) -> HttpResponse:
    station = _station(request, code)
    return render(request, "onboarding/checklist.html", _checklist_context(request, station))


@login_required
@require_POST
def checklist_item(request: AuthedRequest, code: str, item: str) -> HttpResponse:
    station = _station(request, code, manage=True)
    if item not in ChecklistItem.values:
        raise Http404
    form = ChecklistItemForm(request.POST, request.FILES, prefix=item)
    if form.is_valid():
        try:
            checklist_update(
                station=station,
                item=item,
                done=form.cleaned_data["done"],
                note=form.cleaned_data["note"],
                evidence=form.cleaned_data["evidence"],
                remove_evidence=form.cleaned_data["remove_evidence"],
                actor=request.user,
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Saved: %(item)s.") % {"item": ChecklistItem(item).label})
            return redirect(f"{request.path.rsplit('/', 2)[0]}/#item-{item}")
    context = _checklist_context(request, station, {item: form})
    return render(request, "onboarding/checklist.html", context, status=400)


@login_required
def evidence(request: AuthedRequest, code: str, item: str) -> FileResponse:
    """Evidence files are served only to people who may see the station (never public)."""
    row = checklist_evidence(viewer=request.user, code=code, item=item)
    name = row.evidence.name
    ctype = {
        "pdf": "application/pdf",
        "png": "image/png",
        "webp": "image/webp",
    }.get(name.rsplit(".", 1)[-1], "image/jpeg")
    response = FileResponse(row.evidence.open("rb"), content_type=ctype)
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = "inline"
    return response


# ---- station masters ---------------------------------------------------------------------


def _masters_context(request: AuthedRequest, station: Station) -> dict[str, Any]:
    candidates = master_candidates(station=station)
    return {
        "station": station,
        "today": masters_on(station=station),
        "schedule": master_schedule(station=station),
        "can_manage": can_manage_station(request.user, station),
        "fixed_form": FixedMasterForm(candidates=candidates),
        "rotation_form": RotationForm(candidates=candidates),
        "has_candidates": bool(candidates),
        "now": timezone.localdate(),
    }


@login_required
def masters(request: AuthedRequest, code: str) -> HttpResponse:
    station = _station(request, code)
    return render(request, "onboarding/masters.html", _masters_context(request, station))


def _masters_post(
    request: AuthedRequest,
    code: str,
    form_class: type[FixedMasterForm] | type[RotationForm],
    save: Callable[[Station, dict[str, Any]], str],
) -> HttpResponse:
    """One of the two master forms: saved (its message flashed), or the page again with what
    was wrong at the field (400)."""
    station = _station(request, code, manage=True)
    form = form_class(request.POST, candidates=master_candidates(station=station))
    if form.is_valid():
        try:
            done = save(station, form.cleaned_data)
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, done)
            return redirect("onboarding:masters", code=station.code)
    key = "fixed_form" if isinstance(form, FixedMasterForm) else "rotation_form"
    context = {**_masters_context(request, station), key: form}
    return render(request, "onboarding/masters.html", context, status=400)


@login_required
@require_POST
def masters_fixed(request: AuthedRequest, code: str) -> HttpResponse:
    def save(station: Station, data: dict[str, Any]) -> str:
        master_set_fixed(
            station=station, deputy=data["deputy"], start=data["start"], actor=request.user
        )
        return _("The fixed station master is set.")

    return _masters_post(request, code, FixedMasterForm, save)


@login_required
@require_POST
def masters_rotation(request: AuthedRequest, code: str) -> HttpResponse:
    def save(station: Station, data: dict[str, Any]) -> str:
        rows = master_rotation_generate(
            station=station,
            deputies=list(data["deputies"]),
            start=data["start"],
            months=data["months"],
            actor=request.user,
        )
        return _("Rotation set for %(count)d months.") % {"count": len(rows)}

    return _masters_post(request, code, RotationForm, save)


@login_required
@require_POST
def masters_remove(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    station = _station(request, code, manage=True)
    row = master_get(station=station, pk=pk)
    if row is None:
        raise Http404
    try:
        master_remove(master=row, actor=request.user)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("onboarding:masters", code=station.code)
