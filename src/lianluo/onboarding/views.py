"""Pages of onboarding: Excel import/export for staff, the station checklist (七有) and its
completeness, station masters."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianluo.core.errors import DomainError, NotFound
from lianluo.onboarding.forms import (
    ChecklistItemForm,
    FixedMasterForm,
    ImportUploadForm,
    RotationForm,
)
from lianluo.onboarding.models import ImportKind, ImportStatus
from lianluo.onboarding.permissions import can_import, can_manage_station
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
    stations_visible,
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
from lianluo.stations.models import ChecklistItem

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_import(request: HttpRequest) -> None:
    if not can_import(request.user):
        raise Http404


def _station(request: HttpRequest, code: str, *, manage: bool = False):
    """The station if the user may see it (404 otherwise); to change it they must also
    manage it (403 for someone who only reads, such as a leader)."""
    try:
        station = station_get(viewer=request.user, code=code)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc
    if manage and not can_manage_station(request.user, station):
        raise PermissionDenied
    return station


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Station set-up: what the user can do here, by role."""
    stations = list(stations_visible(viewer=request.user).filter(active=True)[:200])
    own = [s for s in stations if can_manage_station(request.user, s)]
    context = {
        "can_import": can_import(request.user),
        "stations": own[:50] if not can_import(request.user) else [],
        "station_count": len(stations),
    }
    return render(request, "onboarding/index.html", context)


# ---- import / export ---------------------------------------------------------------------


@login_required
def imports(request: HttpRequest) -> HttpResponse:
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
                form.add_error(None, str(exc.message))
            else:
                return redirect("onboarding:import_detail", pk=job.pk)
    else:
        form = ImportUploadForm()
    context = {
        "form": form,
        "kinds": ImportKind.choices,
        "jobs": import_list(viewer=request.user),
    }
    return render(request, "onboarding/imports.html", context, status=400 if form.errors else 200)


@login_required
def template_download(request: HttpRequest, kind: str) -> HttpResponse:
    """An empty sheet with headers, dropdowns, instructions and the codes of the user's area."""
    _require_import(request)
    if kind not in ImportKind.values:
        raise Http404
    data = build_workbook([SheetData(kind, [])], export_reference(viewer=request.user))
    return _xlsx(data, _("template") + f"-{kind}.xlsx")


@login_required
def export(request: HttpRequest, kind: str) -> HttpResponse:
    """The same sheets filled with the user's area: they import back unchanged (audited)."""
    _require_import(request)
    kinds = [k for k in ImportKind.values if kind in (k, "all")]
    if not kinds:
        raise Http404
    data = roster_export(actor=request.user, kinds=kinds)
    stamp = timezone.localdate().strftime("%Y%m%d")
    return _xlsx(data, f"{_('roster')}-{kind}-{stamp}.xlsx")


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "private, no-store"
    return response


def _job(request: HttpRequest, pk: int):
    try:
        return import_get(viewer=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc


def _job_context(job) -> dict:
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
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    return render(request, "onboarding/import_detail.html", _job_context(job))


@login_required
def import_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The part of the job page that htmx polls every second while the job runs."""
    job = _job(request, pk)
    return render(request, "onboarding/_import_status.html", _job_context(job))


@login_required
@require_POST
def import_confirm_view(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    try:
        import_confirm(job=job, actor=request.user)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("onboarding:import_detail", pk=job.pk)


# ---- the station checklist ---------------------------------------------------------------


@login_required
def completeness(request: HttpRequest) -> HttpResponse:
    counties = checklist_completeness(viewer=request.user)
    return render(request, "onboarding/completeness.html", {"counties": counties})


def _checklist_context(request: HttpRequest, station, forms: dict | None = None) -> dict:
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
def checklist(request: HttpRequest, code: str) -> HttpResponse:
    station = _station(request, code)
    return render(request, "onboarding/checklist.html", _checklist_context(request, station))


@login_required
@require_POST
def checklist_item(request: HttpRequest, code: str, item: str) -> HttpResponse:
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
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            messages.success(request, _("Saved: %(item)s.") % {"item": ChecklistItem(item).label})
            return redirect(f"{request.path.rsplit('/', 2)[0]}/#item-{item}")
    context = _checklist_context(request, station, {item: form})
    return render(request, "onboarding/checklist.html", context, status=400)


@login_required
def evidence(request: HttpRequest, code: str, item: str) -> FileResponse:
    """Evidence files are served only to people who may see the station (never public)."""
    try:
        row = checklist_evidence(viewer=request.user, code=code, item=item)
    except NotFound as exc:
        raise Http404 from exc
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


def _masters_context(request, station, fixed_form=None, rotation_form=None) -> dict:
    candidates = master_candidates(station=station)
    return {
        "station": station,
        "today": masters_on(station=station),
        "schedule": master_schedule(station=station),
        "can_manage": can_manage_station(request.user, station),
        "fixed_form": fixed_form or FixedMasterForm(candidates=candidates),
        "rotation_form": rotation_form or RotationForm(candidates=candidates),
        "has_candidates": bool(candidates),
        "now": timezone.localdate(),
    }


@login_required
def masters(request: HttpRequest, code: str) -> HttpResponse:
    station = _station(request, code)
    return render(request, "onboarding/masters.html", _masters_context(request, station))


@login_required
@require_POST
def masters_fixed(request: HttpRequest, code: str) -> HttpResponse:
    station = _station(request, code, manage=True)
    form = FixedMasterForm(request.POST, candidates=master_candidates(station=station))
    if form.is_valid():
        try:
            master_set_fixed(
                station=station,
                deputy=form.cleaned_data["deputy"],
                start=form.cleaned_data["start"],
                actor=request.user,
            )
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("The fixed station master is set."))
            return redirect("onboarding:masters", code=station.code)
    context = _masters_context(request, station, fixed_form=form)
    return render(request, "onboarding/masters.html", context, status=400)


@login_required
@require_POST
def masters_rotation(request: HttpRequest, code: str) -> HttpResponse:
    station = _station(request, code, manage=True)
    form = RotationForm(request.POST, candidates=master_candidates(station=station))
    if form.is_valid():
        try:
            rows = master_rotation_generate(
                station=station,
                deputies=list(form.cleaned_data["deputies"]),
                start=form.cleaned_data["start"],
                months=form.cleaned_data["months"],
                actor=request.user,
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            messages.success(
                request, _("Rotation set for %(count)d months.") % {"count": len(rows)}
            )
            return redirect("onboarding:masters", code=station.code)
    context = _masters_context(request, station, rotation_form=form)
    return render(request, "onboarding/masters.html", context, status=400)


@login_required
@require_POST
def masters_remove(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    station = _station(request, code, manage=True)
    row = master_get(station=station, pk=pk)
    if row is None:
        raise Http404
    try:
        master_remove(master=row, actor=request.user)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("onboarding:masters", code=station.code)
