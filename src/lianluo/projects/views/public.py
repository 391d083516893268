"""Public pages of the projects app (no login): every congress with projects, one congress's year,
one project's closed loop, its progress photos; and the year's report (PDF, Excel) for the
congress's staff and leaders. What is public is decided in `projects.public`, nowhere else."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

from lianluo.core.errors import CoreCode, Forbidden
from lianluo.core.http import AuthedRequest
from lianluo.core.models import Congress
from lianluo.core.scope import scope_for
from lianluo.projects import exports, report
from lianluo.projects.public import (
    YearView,
    public_congress,
    public_photo,
    public_project,
    public_years,
    rectification_of,
    year_view,
)
from lianluo.voting.models import Vote


def vote_links(vote: Vote | None) -> dict[str, str]:
    """The published pages of a closed vote (result, receipts, ballots), by the voting app's URL
    names; a name the voting app does not define is left out."""
    if vote is None:
        return {}
    out = {}
    for name in ("result", "receipts", "ballots"):
        try:
            out[name] = reverse(f"voting:{name}", args=[vote.pk])
        except NoReverseMatch:
            continue
    return out


def can_report(request: HttpRequest, congress: Congress) -> bool:
    """The congress's staff and leaders (read scope over its area) export the year's report."""
    user = request.user if request.user.is_authenticated else None
    return scope_for(user).covers_path(congress.area.path)  # type: ignore[arg-type]


def _year_context(request: HttpRequest, view: YearView) -> dict[str, object]:
    return {
        "can_report": can_report(request, view.congress),
        "view": view,
        "congress": view.congress,
        "year": view.year,
        "session_links": [(v, vote_links(v)) for v in view.session_votes],
        "satisfaction_links": vote_links(view.satisfaction_vote),
    }


def public_index(request: HttpRequest) -> HttpResponse:
    return render(request, "projects/public/index.html", {"congresses": public_years()})


def public_year(request: HttpRequest, congress_pk: int, year: int) -> HttpResponse:
    view = year_view(public_congress(congress_pk), year)
    return render(request, "projects/public/year.html", _year_context(request, view))


def public_project_page(request: HttpRequest, pk: int) -> HttpResponse:
    view, pv = public_project(pk)
    context = _year_context(request, view)
    context["pv"] = pv
    context["rectification"] = rectification_of(pv.project)
    return render(request, "projects/public/project.html", context)


@cache_control(public=True, max_age=3600)
def photo(request: HttpRequest, pk: int) -> FileResponse:
    item = public_photo(pk)
    response = FileResponse(item.file.open("rb"), content_type=item.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---- the year's report (staff and leaders of the congress) -------------------------------------


def _report_congress(request: AuthedRequest, congress_pk: int) -> Congress:
    congress = public_congress(congress_pk)
    if not can_report(request, congress):
        raise Forbidden(
            CoreCode.FORBIDDEN, _("The year's report is for the congress's staff and leaders.")
        )
    return congress


@login_required
def report_pdf(request: AuthedRequest, congress_pk: int, year: int) -> HttpResponse:
    view = year_view(_report_congress(request, congress_pk), year)
    response = HttpResponse(report.year_report_pdf(view), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{report.filename(view)}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def report_xlsx(request: AuthedRequest, congress_pk: int, year: int) -> HttpResponse:
    view = year_view(_report_congress(request, congress_pk), year)
    response = HttpResponse(
        exports.year_xlsx(view),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{report.filename(view)}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns: list[URLPattern] = [
    path("projects/public/", public_index, name="public_index"),
    path("projects/public/<int:congress_pk>/<int:year>/", public_year, name="public_year"),
    path("projects/public/p/<int:pk>/", public_project_page, name="public_project"),
    path("projects/public/photo/<int:pk>/", photo, name="public_photo"),
    path("projects/<int:congress_pk>/<int:year>/report.pdf", report_pdf, name="report_pdf"),
    path("projects/<int:congress_pk>/<int:year>/report.xlsx", report_xlsx, name="report_xlsx"),
]
