"""Board pages: the public board (阳光栏) of a station, publishing a ranking, a publication with
its objections, the annual evaluation with its Excel export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianluo.board.evaluation import evaluation_for, evaluation_xlsx, grades_of, grades_set
from lianluo.board.families import families_for, family_areas
from lianluo.board.forms import DecideForm, GradesForm, ObjectionForm, PublishForm
from lianluo.board.publications import (
    board_for_station,
    can_publish,
    congress_to_run,
    objectable_entries,
    objection_decide,
    objection_file,
    objection_get,
    objection_open,
    objections_for,
    own_deputy_codes,
    publication_get,
    publication_list,
    publication_publish,
    publish_targets,
    station_public_get,
)
from lianluo.board.station_of_year import stations_scored
from lianluo.core.errors import DomainError, flash_outcome, form_error
from lianluo.core.http import AuthedRequest
from lianluo.duty.pages import year_asked

# ---- public ------------------------------------------------------------------------------------


def public_board(request: HttpRequest, code: str) -> HttpResponse:
    """The station's public board: the ranking now published, its period and the objection
    deadline. Public; a station with nothing published says so."""
    station = station_public_get(code=code)
    publication = board_for_station(station=station)
    return render(
        request,
        "duty/board/public.html",
        {
            "station": station,
            "publication": publication,
            "open": publication is not None and objection_open(publication),
        },
    )


# ---- publications ------------------------------------------------------------------------------


@login_required
def index(request: AuthedRequest) -> HttpResponse:
    stations, congresses = publish_targets(viewer=request.user)
    return render(
        request,
        "duty/board/index.html",
        {
            "publications": publication_list(viewer=request.user),
            "can_publish": bool(stations or congresses),
            # Only the pages this user may open are linked (a deputy has no scorecard to run,
            # a leader no families to register).
            "can_families": families_for(viewer=request.user).exists()
            or bool(family_areas(viewer=request.user)),
            "can_score": bool(stations_scored(viewer=request.user)),
            "congresses": congresses,
            "now": timezone.now(),
        },
    )


@login_required
def publish(request: AuthedRequest) -> HttpResponse:
    stations, congresses = publish_targets(viewer=request.user)
    if not (stations or congresses):
        raise Http404
    form = PublishForm(request.POST or None, stations=stations, congresses=congresses)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            kind, _sep, key = data["target"].partition(":")
            station = next((s for s in stations if s.code == key), None) if kind == "s" else None
            congress = (
                next((c for c in congresses if str(c.pk) == key), None) if kind == "c" else None
            )
            try:
                publication = publication_publish(
                    actor=request.user,
                    station=station,
                    congress=congress,
                    title=data["title"],
                    period_start=data["period_start"],
                    period_end=data["period_end"],
                    visible_days=data["visible_days"],
                    objection_days=data["objection_days"],
                )
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("The ranking is published on the public board."))
                return redirect("board:publication", pk=publication.pk)
        status = 400
    return render(request, "duty/board/publish.html", {"form": form}, status=status)


def _publication_page(
    request: AuthedRequest, pk: int, *, objection_form: Form | None = None, status: int = 200
) -> HttpResponse:
    publication = publication_get(viewer=request.user, pk=pk)
    runs = can_publish(request.user, congress=publication.congress, station=publication.station)
    codes = own_deputy_codes(request.user)
    ranked = any(row["deputy"] in codes for row in publication.ranking)
    is_open = objection_open(publication)
    if objection_form is None and ranked and is_open:
        objection_form = ObjectionForm(
            entries=objectable_entries(viewer=request.user, publication=publication)
        )
    return render(
        request,
        "duty/board/publication.html",
        {
            "publication": publication,
            "objections": objections_for(viewer=request.user, publication=publication),
            "runs": runs,
            "ranked": ranked,
            "open": is_open,
            "own_codes": codes,
            "objection_form": objection_form if ranked and is_open else None,
            "decide_form": DecideForm(),
        },
        status=status,
    )


@login_required
def publication(request: AuthedRequest, pk: int) -> HttpResponse:
    return _publication_page(request, pk)


@login_required
@require_POST
def object_to(request: AuthedRequest, pk: int) -> HttpResponse:
    pub = publication_get(viewer=request.user, pk=pk)
    entries = objectable_entries(viewer=request.user, publication=pub)
    form = ObjectionForm(request.POST, entries=entries)
    if form.is_valid():
        entry_pk = form.cleaned_data["entry"]
        entry = next((e for e in entries if e.pk == entry_pk), None) if entry_pk else None
        try:
            objection_file(
                actor=request.user, publication=pub, entry=entry, text=form.cleaned_data["text"]
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
            return redirect("board:publication", pk=pk)
        messages.success(request, _("Your objection is recorded; you will be told the outcome."))
        return redirect("board:publication", pk=pk)
    return _publication_page(request, pk, objection_form=form, status=400)


@login_required
@require_POST
def decide(request: AuthedRequest, pk: int) -> HttpResponse:
    objection = objection_get(viewer=request.user, pk=pk)
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a decision and record the outcome."))
        return redirect("board:publication", pk=objection.publication_id)
    flash_outcome(
        request,
        lambda: objection_decide(
            actor=request.user,
            objection=objection,
            uphold=form.cleaned_data["uphold"],
            outcome=form.cleaned_data["outcome"],
        ),
        done=_("The outcome is recorded."),
    )
    return redirect("board:publication", pk=objection.publication_id)


# ---- annual evaluation -------------------------------------------------------------------------


@login_required
def evaluation(request: AuthedRequest, pk: int) -> HttpResponse:
    """A congress's annual evaluation: thresholds (editable) and each deputy's grade."""
    congress = congress_to_run(viewer=request.user, pk=pk)
    year = year_asked(request)
    form = GradesForm(request.POST or None, grades=grades_of(congress=congress, year=year))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                grades_set(
                    actor=request.user,
                    congress=congress,
                    year=year,
                    thresholds=form.thresholds(),
                )
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("The grade thresholds are saved."))
                return redirect(f"{request.path}?year={year}")
        status = 400
    return render(
        request,
        "duty/board/evaluation.html",
        {
            "congress": congress,
            "year": year,
            "rows": evaluation_for(congress=congress, year=year),
            "form": form,
            "pairs": [(form[f"label_{n}"], form[f"min_{n}"]) for n in range(4)],
        },
        status=status,
    )


@login_required
def evaluation_export(request: AuthedRequest, pk: int) -> HttpResponse:
    congress = congress_to_run(viewer=request.user, pk=pk)
    year = year_asked(request)
    response = HttpResponse(
        evaluation_xlsx(congress=congress, year=year),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="evaluation-{congress.pk}-{year}.xlsx"'
    return response
