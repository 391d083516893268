"""Station of the year pages (人民满意代表联络站): the public vote and results, the scorecards,
publishing a congress's result."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianluo.board.forms import VoteForm
from lianluo.board.publications import congress_to_run
from lianluo.board.station_of_year import (
    published_results,
    result_congresses,
    scorecards,
    station_year_publish,
    stations_scored,
    stations_votable,
    vote_cast,
)
from lianluo.core.errors import DomainError, flash_outcome, form_error
from lianluo.core.http import AuthedRequest
from lianluo.core.scope import scope_for
from lianluo.core.throttle import rate_allowed
from lianluo.duty.pages import year_asked


def station_year(request: HttpRequest) -> HttpResponse:
    """Public: vote (a deputy signed in, or a citizen with a case's tracking code; throttled)
    and the published results of the year."""
    year = year_asked(request)
    stations = stations_votable()
    form = VoteForm(request.POST or None, stations=stations)
    status = 200
    voted = False
    if request.method == "POST":
        status = 400
        # Its own counter at the intake's rate: guessing tracking codes is not sending messages.
        if not rate_allowed(request, "vote", settings.LIANLUO_INTAKE_RATE):
            form.add_error(None, _("Too many attempts from this device. Please wait a minute."))
            status = 429
        elif form.is_valid():
            station = next(s for s in stations if s.code == form.cleaned_data["station"])
            try:
                vote_cast(
                    station=station,
                    user=request.user if request.user.is_authenticated else None,
                    tracking_code=form.cleaned_data["tracking_code"],
                )
            except DomainError as exc:
                form_error(form, exc)
            else:
                voted, status = True, 200
    return render(
        request,
        "duty/board/station_year.html",
        {
            "form": form,
            "voted": voted,
            "year": year,
            "results": published_results(year=year),
            "as_deputy": bool(
                scope_for(request.user if request.user.is_authenticated else None).deputy_ids
            ),
        },
        status=status,
    )


@login_required
def station_year_scorecard(request: AuthedRequest) -> HttpResponse:
    stations = stations_scored(viewer=request.user)
    if not stations:
        raise Http404
    year = year_asked(request)
    return render(
        request,
        "duty/board/scorecard.html",
        {
            "cards": scorecards(stations=stations, year=year),
            "year": year,
            "congresses": result_congresses(viewer=request.user),
        },
    )


@login_required
@require_POST
def station_year_publish_view(request: AuthedRequest) -> HttpResponse:
    congress = congress_to_run(viewer=request.user, pk=int(request.POST.get("congress") or 0))
    year = year_asked(request)
    flash_outcome(
        request,
        lambda: station_year_publish(actor=request.user, congress=congress, year=year),
        done=_("The result is published."),
    )
    return redirect(f"{reverse('board:station_year')}?year={year}")
