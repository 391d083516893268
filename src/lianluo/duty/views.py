"""Points pages: the ranking of the deputies one runs, a deputy's archive (履职档案) with the
duty report (PDF, DOCX), registering a record with evidence, the deputy's self-report, the
verification queue, reversals, evidence downloads, and the catalog (积分事项) for staff."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianluo.core.errors import DomainError, NotFound
from lianluo.core.scope import scope_for
from lianluo.deputies.selectors import deputy_for_user
from lianluo.duty.catalog import item_label
from lianluo.duty.forms import DutyItemForm, RecordForm, ReverseForm, VerifyForm
from lianluo.duty.models import AutoEvent, DutyItem, EntrySource
from lianluo.duty.reports import report_document, report_docx, report_pdf
from lianluo.duty.selectors import (
    archive_for,
    can_manage_points,
    catalog_of,
    catalog_years,
    congresses_for_catalog,
    deputies_managed,
    deputies_ranked_for,
    deputy_get,
    entry_get,
    item_get,
    items_registrable,
    pending_entries,
    ranking,
)
from lianluo.duty.services import (
    catalog_copy_year,
    catalog_install_default,
    duty_item_save,
    duty_report_submit,
    points_register,
    points_reverse,
    points_self_report,
    points_verify,
)
from lianluo.stations.selectors import stations_managed

ENTRIES_SHOWN = 50


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year") or request.POST.get("year") or ""
    this_year = timezone.localdate().year
    try:
        year = int(raw)
    except ValueError:
        return this_year
    return year if 2000 <= year <= this_year + 1 else this_year


def _runs_points(request: HttpRequest) -> bool:
    scope = scope_for(request.user)
    return bool(scope.everything or scope.station_ids or scope.staff_paths)


def _archive_url(code: str, year: int, anchor: str = "") -> str:
    return f"{reverse('duty:archive', args=[code])}?year={year}{anchor}"


# ---- ranking (the index) ------------------------------------------------------------------------


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Officers and staff: the year's ranking of the deputies they run (by station or congress),
    the verification queue's size; leaders: the ranking of their area, read only. A deputy is
    taken to their own archive."""
    scope = scope_for(request.user)
    own = deputy_for_user(request.user)
    if not _runs_points(request) and own is not None:
        return redirect(_archive_url(own.code, _year(request)))
    year = _year(request)
    stations = list(stations_managed(viewer=request.user))
    congresses = list(congresses_for_catalog(viewer=request.user))
    station = next((s for s in stations if s.code == request.GET.get("station")), None)
    congress = next((c for c in congresses if str(c.pk) == request.GET.get("congress")), None)
    if station is not None:
        rows = ranking(year=year, station=station)
    elif congress is not None:
        rows = ranking(year=year, congress=congress)
    elif _runs_points(request) or scope.leader_paths:
        rows = ranking(year=year, deputies=deputies_ranked_for(viewer=request.user))
    else:
        rows = []
    this_year = timezone.localdate().year
    return render(
        request,
        "duty/index.html",
        {
            "year": year,
            "years": list(range(this_year, this_year - 4, -1)),
            "rows": rows,
            "stations": stations,
            "congresses": congresses,
            "station": station,
            "congress": congress,
            "pending": len(pending_entries(viewer=request.user)) if _runs_points(request) else 0,
            "own": own,
            "runs": _runs_points(request),
            "reads": bool(scope.leader_paths),
            "staff": bool(scope.everything or scope.staff_paths),
        },
    )


# ---- the archive --------------------------------------------------------------------------------


def _archive_context(request: HttpRequest, code: str, year: int) -> dict[str, Any]:
    try:
        archive = archive_for(viewer=request.user, deputy_code=code, year=year)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc
    scope = scope_for(request.user)
    show_all = request.GET.get("all") == "1"
    reported = next(
        (
            e
            for e in archive.entries
            if e.item.auto_event == AutoEvent.REPORT_SUBMITTED
            and e.source == EntrySource.AUTO
            and not getattr(e, "is_reversed", False)
        ),
        None,
    )
    return {
        "duty_reported": reported,
        "a": archive,
        "year": year,
        # The latest entries on a phone; every one of them on request.
        "entries": archive.entries if show_all else archive.entries[:ENTRIES_SHOWN],
        "hidden": 0 if show_all else max(0, len(archive.entries) - ENTRIES_SHOWN),
        "can_manage": can_manage_points(request.user, archive.deputy),
        "is_self": archive.deputy.pk in scope.deputy_ids,
        "reverse_form": ReverseForm(),
        "reverse_errors": {},
    }


@login_required
def archive(request: HttpRequest, code: str) -> HttpResponse:
    return render(request, "duty/archive.html", _archive_context(request, code, _year(request)))


def _report(request: HttpRequest, code: str) -> tuple[Any, str]:
    try:
        a = archive_for(viewer=request.user, deputy_code=code, year=_year(request))
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc
    language = request.GET.get("lang") or translation.get_language() or "zh-hans"
    if language not in ("zh-hans", "en"):
        language = "zh-hans"
    with translation.override(language):
        return report_document(a), language


@login_required
def report_pdf_view(request: HttpRequest, code: str) -> HttpResponse:
    doc, language = _report(request, code)
    with translation.override(language):
        content = report_pdf(doc)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{doc.filename}.pdf"'
    response["Content-Language"] = language
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def report_docx_view(request: HttpRequest, code: str) -> HttpResponse:
    doc, language = _report(request, code)
    response = HttpResponse(
        report_docx(doc),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="{doc.filename}.docx"'
    response["Content-Language"] = language
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def report_submit(request: HttpRequest, code: str) -> HttpResponse:
    """The deputy reported to the voters this year (述职): credits it once."""
    year = _year(request)
    try:
        deputy = deputy_get(viewer=request.user, code=code)
        entry = duty_report_submit(actor=request.user, deputy=deputy, year=year)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        if entry is None:
            messages.info(request, _("The duty report of this year was recorded before."))
        else:
            messages.success(
                request,
                _("Recorded: duty reported to the voters, %(points)s points.")
                % {"points": entry.points},
            )
    return redirect(_archive_url(code, year))


@login_required
@require_POST
def suggestion_file_view(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """File a draft suggestion of the deputy (from the archive's list)."""
    from lianluo.suggestions.models import Suggestion
    from lianluo.suggestions.services import suggestion_file

    year = _year(request)
    try:
        deputy = deputy_get(viewer=request.user, code=code)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc
    suggestion = Suggestion.objects.filter(pk=pk, deputy=deputy).first()
    if suggestion is None:
        raise Http404
    try:
        suggestion_file(actor=request.user, suggestion=suggestion)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Filed: %(title)s") % {"title": suggestion.title})
    return redirect(_archive_url(code, year, "#suggestions"))


# ---- registering and reporting records ----------------------------------------------------------


def _record_items(deputy, year: int) -> list[DutyItem]:
    return items_registrable(deputy=deputy, year=year) + items_registrable(
        deputy=deputy, year=year - 1
    )


def _apply_error(form: RecordForm, exc: DomainError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))


@login_required
def register(request: HttpRequest) -> HttpResponse:
    """An officer or staff registers a duty record (with evidence) for a deputy they run: first
    choose the deputy, then the record."""
    if not _runs_points(request):
        raise Http404
    code = request.GET.get("deputy") or ""
    if not code:
        q = (request.GET.get("q") or "").strip()
        deputies = deputies_managed(viewer=request.user)
        if q:
            deputies = deputies.filter(name__contains=q) | deputies.filter(code=q)
        return render(
            request,
            "duty/register_choose.html",
            {"deputies": list(deputies[:200]), "q": q},
        )
    try:
        deputy = deputy_get(viewer=request.user, code=code)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc
    if not can_manage_points(request.user, deputy):
        raise Http404
    today = timezone.localdate()
    items = _record_items(deputy, today.year)
    form = RecordForm(request.POST or None, request.FILES or None, items=items)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                entry = points_register(
                    actor=request.user,
                    deputy=deputy,
                    item=data["item"],
                    occurred_on=data["occurred_on"],
                    note=data["note"],
                    evidence=data["evidence"],
                )
            except DomainError as exc:
                _apply_error(form, exc)
            else:
                messages.success(
                    request,
                    _("Registered for %(name)s: %(item)s, %(points)s points.")
                    % {"name": deputy.name, "item": item_label(entry.item), "points": entry.points},
                )
                return redirect(_archive_url(deputy.code, entry.year, "#entries"))
        status = 400
    return render(
        request,
        "duty/record_form.html",
        {"form": form, "deputy": deputy, "mode": "register", "has_items": bool(items)},
        status=status,
    )


@login_required
def self_report(request: HttpRequest) -> HttpResponse:
    """The deputy reports a duty record of their own, to be verified."""
    deputy = deputy_for_user(request.user)
    if deputy is None:
        raise Http404
    today = timezone.localdate()
    items = _record_items(deputy, today.year)
    form = RecordForm(request.POST or None, request.FILES or None, items=items)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                entry = points_self_report(
                    actor=request.user,
                    item=data["item"],
                    occurred_on=data["occurred_on"],
                    note=data["note"],
                    evidence=data["evidence"],
                )
            except DomainError as exc:
                _apply_error(form, exc)
            else:
                messages.success(
                    request,
                    _("Sent for verification: %(item)s.") % {"item": item_label(entry.item)},
                )
                return redirect(_archive_url(deputy.code, entry.year, "#entries"))
        status = 400
    return render(
        request,
        "duty/record_form.html",
        {"form": form, "deputy": deputy, "mode": "self", "has_items": bool(items)},
        status=status,
    )


# ---- verification and corrections ---------------------------------------------------------------


def _queue(
    request: HttpRequest, errors: dict[int, tuple[VerifyForm, str]] | None = None, status=200
):
    entries = pending_entries(viewer=request.user)
    return render(
        request,
        "duty/verify.html",
        {"entries": entries, "errors": errors or {}},
        status=status,
    )


@login_required
def verify_queue(request: HttpRequest) -> HttpResponse:
    if not _runs_points(request):
        raise Http404
    return _queue(request)


@login_required
@require_POST
def verify(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        entry = entry_get(viewer=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc
    form = VerifyForm(request.POST)
    if not form.is_valid():
        return _queue(request, {pk: (form, _("Please correct the fields marked below."))}, 400)
    approve = form.cleaned_data["approve"]
    try:
        points_verify(
            actor=request.user, entry=entry, approve=approve, reason=form.cleaned_data["reason"]
        )
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc
    except DomainError as exc:
        return _queue(request, {pk: (form, str(exc.message))}, 400)
    if approve:
        messages.success(
            request,
            _("Approved: %(name)s, %(item)s.")
            % {"name": entry.deputy.name, "item": item_label(entry.item)},
        )
    else:
        messages.success(
            request,
            _("Rejected: %(name)s, %(item)s.")
            % {"name": entry.deputy.name, "item": item_label(entry.item)},
        )
    return redirect("duty:verify_queue")


@login_required
@require_POST
def reverse_entry(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        entry = entry_get(viewer=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc
    form = ReverseForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            points_reverse(actor=request.user, entry=entry, reason=form.cleaned_data["reason"])
        except NotFound as exc:
            raise Http404(str(exc.message)) from exc
        except DomainError as exc:
            error = str(exc.message)
        else:
            messages.success(
                request,
                _("Corrected: %(item)s, %(points)s points reversed.")
                % {"item": item_label(entry.item), "points": entry.points},
            )
            return redirect(_archive_url(entry.deputy.code, entry.year, "#entries"))
    else:
        error = _("Give the reason for the correction.")
    context = _archive_context(request, entry.deputy.code, entry.year)
    context["reverse_errors"] = {entry.pk: (form, error)}
    return render(request, "duty/archive.html", context, status=400)


@login_required
def evidence(request: HttpRequest, pk: int) -> FileResponse:
    """Evidence is served only to those who may see the deputy's archive (never public)."""
    try:
        entry = entry_get(viewer=request.user, pk=pk)
    except NotFound as exc:
        raise Http404 from exc
    if not entry.evidence:
        raise Http404
    name = entry.evidence.name
    ctype = {"pdf": "application/pdf", "png": "image/png", "webp": "image/webp"}.get(
        name.rsplit(".", 1)[-1], "image/jpeg"
    )
    response = FileResponse(entry.evidence.open("rb"), content_type=ctype)
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---- the catalog (staff) ------------------------------------------------------------------------


@login_required
def catalog(request: HttpRequest) -> HttpResponse:
    congresses = list(congresses_for_catalog(viewer=request.user))
    if not congresses:
        raise Http404
    wanted = request.POST.get("congress") or request.GET.get("congress")
    congress = next((c for c in congresses if str(c.pk) == wanted), congresses[0])
    year = _year(request)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "install":
                created = catalog_install_default(congress=congress, year=year, actor=request.user)
            elif action == "copy":
                created = catalog_copy_year(congress=congress, year=year, actor=request.user)
            else:
                raise Http404
        except NotFound as exc:
            raise Http404(str(exc.message)) from exc
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(
                request, _("%(count)s items added to the catalog.") % {"count": len(created)}
            )
        return redirect(f"{reverse('duty:catalog')}?congress={congress.pk}&year={year}")
    this_year = timezone.localdate().year
    return render(
        request,
        "duty/catalog.html",
        {
            "congresses": congresses,
            "congress": congress,
            "year": year,
            "years": sorted(
                set(catalog_years(congress=congress)) | {this_year, this_year + 1}, reverse=True
            ),
            "items": catalog_of(congress=congress, year=year),
        },
    )


@login_required
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        item = item_get(viewer=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc
    form = DutyItemForm(request.POST or None, instance=DutyItem.objects.get(pk=item.pk))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                duty_item_save(actor=request.user, item=item, changes=dict(form.cleaned_data))
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
            else:
                messages.success(
                    request,
                    _("Saved: %(item)s. Points already credited keep their value.")
                    % {"item": item_label(item)},
                )
                return redirect(
                    f"{reverse('duty:catalog')}?congress={item.congress_id}&year={item.year}"
                )
        status = 400
    return render(request, "duty/item_form.html", {"form": form, "item": item}, status=status)
