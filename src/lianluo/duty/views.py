"""Points pages: the ranking of the deputies one runs, registering a record with evidence, the
deputy's self-report, the verification queue, evidence downloads, and the catalog (积分事项)
for staff. A deputy's archive, the duty report and reversals from the archive read the other
apps too: they are lianluo.board's pages (views/archive.py), under the same `duty:` URL names."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianluo.core.errors import CoreCode, DomainError, Forbidden, NotFound, form_error
from lianluo.core.http import AuthedRequest
from lianluo.core.models import Congress
from lianluo.core.scope import scope_for
from lianluo.core.xlsx import filters_of, xlsx_export
from lianluo.deputies.models import Deputy
from lianluo.deputies.selectors import deputy_for_user
from lianluo.duty import exports
from lianluo.duty.catalog import item_label
from lianluo.duty.forms import DutyItemForm, RecordForm, VerifyForm
from lianluo.duty.models import DutyItem, PointEntry
from lianluo.duty.pages import archive_url, year_asked
from lianluo.duty.selectors import (
    RankRow,
    can_manage_points,
    catalog_of,
    catalog_years,
    deputies_managed,
    deputies_ranked_for,
    deputy_get,
    entry_get,
    item_get,
    items_registrable,
    pending_count,
    pending_entries,
    ranking,
)
from lianluo.duty.services import (
    catalog_copy_year,
    catalog_install_default,
    duty_item_save,
    points_register,
    points_self_report,
    points_verify,
)
from lianluo.stations.models import Station
from lianluo.stations.selectors import congresses_managed, stations_managed

ENTRIES_SHOWN = 50


def _runs_points(request: AuthedRequest) -> bool:
    scope = scope_for(request.user)
    return bool(scope.everything or scope.station_ids or scope.staff_paths)


# ---- ranking (the index) ------------------------------------------------------------------------


@dataclass
class RankingAsked:
    """The ranking the query asks for (the page's and the export's): the year, the station or
    congress chosen among the viewer's, and the rows."""

    year: int
    stations: list[Station]
    congresses: list[Congress]
    station: Station | None
    congress: Congress | None
    rows: list[RankRow]


def _ranking_asked(request: AuthedRequest) -> RankingAsked:
    scope = scope_for(request.user)
    year = year_asked(request)
    stations = list(stations_managed(viewer=request.user))
    congresses = list(congresses_managed(viewer=request.user))
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
    return RankingAsked(year, stations, congresses, station, congress, rows)


@login_required
def index(request: AuthedRequest) -> HttpResponse:
    """Officers and staff: the year's ranking of the deputies they run (by station or congress),
    the verification queue's size; leaders: the ranking of their area, read only. A deputy is
    taken to their own archive."""
    scope = scope_for(request.user)
    own = deputy_for_user(request.user)
    if not _runs_points(request) and own is not None:
        return redirect(archive_url(own.code, year_asked(request)))
    asked = _ranking_asked(request)
    this_year = timezone.localdate().year
    query = request.GET.copy()
    query["year"] = str(asked.year)
    return render(
        request,
        "duty/index.html",
        {
            "year": asked.year,
            "years": list(range(this_year, this_year - 4, -1)),
            "rows": asked.rows,
            "stations": asked.stations,
            "congresses": asked.congresses,
            "station": asked.station,
            "congress": asked.congress,
            "querystring": query.urlencode(),
            "pending": pending_count(viewer=request.user) if _runs_points(request) else 0,
            "own": own,
            "runs": _runs_points(request),
            "reads": bool(scope.leader_paths),
            "staff": bool(scope.everything or scope.staff_paths),
        },
    )


@login_required
def ranking_xlsx(request: AuthedRequest) -> FileResponse:
    """The ranking as shown on the page (same year, station or congress), as a workbook: for
    those who see the ranking (officers, staff, leaders), not for a deputy alone."""
    if not (_runs_points(request) or scope_for(request.user).leader_paths):
        raise Forbidden(CoreCode.FORBIDDEN, _("The ranking is for liaison officers and staff."))
    asked = _ranking_asked(request)
    where = asked.station or asked.congress
    title = _("Duty points %(year)s") % {"year": asked.year}
    return xlsx_export(
        actor=request.user,
        verb="export.points",
        filters=filters_of(request.GET),
        filename=f"points-{asked.year}.xlsx",
        columns=exports.ranking_columns(),
        rows=exports.ranking_rows(asked.rows),
        sheet=title,
        title=f"{where.name} · {title}" if where is not None else title,
    )


# ---- registering and reporting records ----------------------------------------------------------


def _record_items(deputy: Deputy, year: int) -> list[DutyItem]:
    return items_registrable(deputy=deputy, year=year) + items_registrable(
        deputy=deputy, year=year - 1
    )


# What the record form gives both writes (points_register, points_self_report).
RECORD_FIELDS = ("item", "occurred_on", "note", "evidence")


def _record_page(
    request: AuthedRequest,
    deputy: Deputy,
    *,
    mode: str,
    write: Callable[..., PointEntry],
    done: Callable[[PointEntry], str],
) -> HttpResponse:
    """The record form (registered or self-reported): `write` called with the form's item, date,
    note and evidence, then the deputy's archive with `done`; a refusal is shown at its field
    (400)."""
    items = _record_items(deputy, timezone.localdate().year)
    form = RecordForm(request.POST or None, request.FILES or None, items=items)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                entry = write(**{f: form.cleaned_data[f] for f in RECORD_FIELDS})
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, done(entry))
                return redirect(archive_url(deputy.code, entry.year, "#entries"))
        status = 400
    return render(
        request,
        "duty/record_form.html",
        {"form": form, "deputy": deputy, "mode": mode, "has_items": bool(items)},
        status=status,
    )


@login_required
def register(request: AuthedRequest) -> HttpResponse:
    """An officer or staff registers a duty record (with evidence) for a deputy they run: first
    choose the deputy, then the record."""
    if not _runs_points(request):
        raise Http404
    code = request.GET.get("deputy") or ""
    if not code:
        q = (request.GET.get("q") or "").strip()
        deputies = deputies_managed(viewer=request.user, search=q)
        return render(
            request,
            "duty/register_choose.html",
            {"deputies": list(deputies[:200]), "q": q},
        )
    deputy = deputy_get(viewer=request.user, code=code)
    if not can_manage_points(request.user, deputy):
        raise Http404
    return _record_page(
        request,
        deputy,
        mode="register",
        write=partial(points_register, actor=request.user, deputy=deputy),
        done=lambda entry: (
            _("Registered for %(name)s: %(item)s, %(points)s points.")
            % {"name": deputy.name, "item": item_label(entry.item), "points": entry.points}
        ),
    )


@login_required
def self_report(request: AuthedRequest) -> HttpResponse:
    """The deputy reports a duty record of their own, to be verified."""
    deputy = deputy_for_user(request.user)
    if deputy is None:
        raise Http404
    return _record_page(
        request,
        deputy,
        mode="self",
        write=partial(points_self_report, actor=request.user),
        done=lambda entry: _("Sent for verification: %(item)s.") % {"item": item_label(entry.item)},
    )


# ---- verification and corrections ---------------------------------------------------------------


def _queue(
    request: AuthedRequest,
    errors: dict[int, tuple[VerifyForm, str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    entries = pending_entries(viewer=request.user)
    return render(
        request,
        "duty/verify.html",
        {"entries": entries, "errors": errors or {}},
        status=status,
    )


@login_required
def verify_queue(request: AuthedRequest) -> HttpResponse:
    if not _runs_points(request):
        raise Http404
    return _queue(request)


@login_required
@require_POST
def verify(request: AuthedRequest, pk: int) -> HttpResponse:
    entry = entry_get(viewer=request.user, pk=pk)
    form = VerifyForm(request.POST)
    if not form.is_valid():
        return _queue(request, {pk: (form, _("Please correct the fields marked below."))}, 400)
    approve = form.cleaned_data["approve"]
    try:
        points_verify(
            actor=request.user, entry=entry, approve=approve, reason=form.cleaned_data["reason"]
        )
    except NotFound:
        raise  # the 404 page, through the middleware
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
def evidence(request: AuthedRequest, pk: int) -> FileResponse:
    """Evidence is served only to those who may see the deputy's archive (never public)."""
    entry = entry_get(viewer=request.user, pk=pk)
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
def catalog(request: AuthedRequest) -> HttpResponse:
    congresses = list(congresses_managed(viewer=request.user))
    if not congresses:
        raise Http404
    wanted = request.POST.get("congress") or request.GET.get("congress")
    congress = next((c for c in congresses if str(c.pk) == wanted), congresses[0])
    year = year_asked(request)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "install":
                created = catalog_install_default(congress=congress, year=year, actor=request.user)
            elif action == "copy":
                created = catalog_copy_year(congress=congress, year=year, actor=request.user)
            else:
                raise Http404
        except NotFound:
            raise  # the 404 page, through the middleware
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
def item_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    item = item_get(viewer=request.user, pk=pk)
    form = DutyItemForm(request.POST or None, instance=DutyItem.objects.get(pk=item.pk))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                duty_item_save(actor=request.user, item=item, changes=dict(form.cleaned_data))
            except DomainError as exc:
                form_error(form, exc)
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
