"""Board pages: the public board (阳光栏) of a station, publishing a ranking, a publication with
its objections, the annual evaluation with its Excel export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianluo.core.errors import DomainError
from lianluo.core.models import Congress
from lianluo.core.scope import scope_for
from lianluo.duty.board import (
    board_for_station,
    can_publish,
    evaluation_for,
    evaluation_xlsx,
    grades_of,
    grades_set,
    objectable_entries,
    objection_decide,
    objection_file,
    objection_open,
    objections_for,
    publication_get,
    publication_list,
    publication_publish,
    publish_targets,
)
from lianluo.duty.board_forms import DecideForm, GradesForm, ObjectionForm, PublishForm
from lianluo.duty.models import Objection, PointEntry
from lianluo.stations.models import Station


def _form_error(form, exc: DomainError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))


def _year(request: HttpRequest) -> int:
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year") or this_year)
    except ValueError:
        return this_year
    return year if 2000 <= year <= this_year + 1 else this_year


# ---- public ------------------------------------------------------------------------------------


def public_board(request: HttpRequest, code: str) -> HttpResponse:
    """The station's public board: the ranking now published, its period and the objection
    deadline. Public; a station with nothing published says so."""
    station = Station.objects.filter(code=code, active=True).select_related("congress").first()
    if station is None:
        raise Http404
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
def index(request: HttpRequest) -> HttpResponse:
    stations, congresses = publish_targets(viewer=request.user)
    return render(
        request,
        "duty/board/index.html",
        {
            "publications": publication_list(viewer=request.user),
            "can_publish": bool(stations or congresses),
            "congresses": congresses,
            "now": timezone.now(),
        },
    )


@login_required
def publish(request: HttpRequest) -> HttpResponse:
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
                _form_error(form, exc)
            else:
                messages.success(request, _("The ranking is published on the public board."))
                return redirect("board:publication", pk=publication.pk)
        status = 400
    return render(request, "duty/board/publish.html", {"form": form}, status=status)


def _publication_page(request: HttpRequest, pk: int, *, objection_form=None, status=200):
    publication = publication_get(viewer=request.user, pk=pk)
    runs = can_publish(request.user, congress=publication.congress, station=publication.station)
    codes = set(publication_codes_of(request.user))
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


def publication_codes_of(user) -> list[str]:
    from lianluo.deputies.models import Deputy

    return list(
        Deputy.objects.filter(pk__in=scope_for(user).deputy_ids).values_list("code", flat=True)
    )


@login_required
def publication(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        return _publication_page(request, pk)
    except DomainError as exc:
        raise Http404 from exc


@login_required
@require_POST
def object_to(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        pub = publication_get(viewer=request.user, pk=pk)
    except DomainError as exc:
        raise Http404 from exc
    entries = objectable_entries(viewer=request.user, publication=pub)
    form = ObjectionForm(request.POST, entries=entries)
    if form.is_valid():
        entry_pk = form.cleaned_data["entry"]
        entry = PointEntry.objects.filter(pk=entry_pk).first() if entry_pk else None
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
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    objection = get_object_or_404(Objection.objects.select_related("publication"), pk=pk)
    try:
        publication_get(viewer=request.user, pk=objection.publication_id)
    except DomainError as exc:
        raise Http404 from exc
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a decision and record the outcome."))
        return redirect("board:publication", pk=objection.publication_id)
    try:
        objection_decide(
            actor=request.user,
            objection=objection,
            uphold=form.cleaned_data["uphold"],
            outcome=form.cleaned_data["outcome"],
        )
    except DomainError as exc:
        if exc.status == 404:
            raise Http404 from exc
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The outcome is recorded."))
    return redirect("board:publication", pk=objection.publication_id)


# ---- annual evaluation -------------------------------------------------------------------------


def _congress_for(request: HttpRequest, pk: int) -> Congress:
    congress = Congress.objects.select_related("area").filter(pk=pk).first()
    if congress is None or not can_publish(request.user, congress=congress, station=None):
        raise Http404
    return congress


@login_required
def evaluation(request: HttpRequest, pk: int) -> HttpResponse:
    """A congress's annual evaluation: thresholds (editable) and each deputy's grade."""
    congress = _congress_for(request, pk)
    year = _year(request)
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
                _form_error(form, exc)
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
def evaluation_export(request: HttpRequest, pk: int) -> HttpResponse:
    congress = _congress_for(request, pk)
    year = _year(request)
    response = HttpResponse(
        evaluation_xlsx(congress=congress, year=year),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="evaluation-{congress.pk}-{year}.xlsx"'
    return response


# ---- families (结对帮扶) ------------------------------------------------------------------------


@login_required
def families(request: HttpRequest) -> HttpResponse:
    from lianluo.duty.families import families_for, family_areas, figures_for

    today = timezone.localdate()
    rows = list(families_for(viewer=request.user))
    areas = family_areas(viewer=request.user)
    if not rows and not areas:
        raise Http404
    return render(
        request,
        "duty/board/families.html",
        {
            "families": rows,
            "can_create": bool(areas),
            "figures": figures_for(
                viewer=request.user, start=today.replace(month=1, day=1), end=today
            ),
            "year": today.year,
        },
    )


@login_required
def family_new(request: HttpRequest) -> HttpResponse:
    from lianluo.duty.board_forms import FamilyForm
    from lianluo.duty.families import family_areas, family_create

    areas = family_areas(viewer=request.user)
    if not areas:
        raise Http404
    form = FamilyForm(request.POST or None, areas=areas)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            area = next(a for a in areas if str(a.pk) == data["area"])
            try:
                family = family_create(
                    actor=request.user,
                    area=area,
                    label=data["label"],
                    members=data["members"],
                    situation=data["situation"],
                    contact_phone=data["contact_phone"],
                    plan=data["plan"],
                )
            except DomainError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("The family is registered."))
                return redirect("board:family", pk=family.pk)
        status = 400
    return render(request, "duty/board/family_form.html", {"form": form}, status=status)


def _family_page(request: HttpRequest, pk: int, *, pair_form=None, support_form=None, status=200):
    from lianluo.duty.board_forms import PairForm, SupportForm
    from lianluo.duty.families import (
        can_manage_families,
        family_get,
        masked_phone,
        support_of,
    )

    try:
        family = family_get(viewer=request.user, pk=pk)
    except DomainError as exc:
        raise Http404 from exc
    manages = can_manage_families(request.user, family.area)
    paired = [p.deputy for p in family.pairings.all()]
    own = set(scope_for(request.user).deputy_ids)
    recordable = paired if manages else [d for d in paired if d.pk in own]
    return render(
        request,
        "duty/board/family.html",
        {
            "family": family,
            "manages": manages,
            "paired": paired,
            "phone": masked_phone(family),
            "records": support_of(family=family),
            "pair_form": pair_form or PairForm(),
            "support_form": support_form or SupportForm(deputies=recordable),
            "can_record": bool(recordable),
        },
        status=status,
    )


@login_required
def family(request: HttpRequest, pk: int) -> HttpResponse:
    return _family_page(request, pk)


@login_required
@require_POST
def family_pair_view(request: HttpRequest, pk: int) -> HttpResponse:
    from lianluo.deputies.models import Deputy
    from lianluo.duty.board_forms import PairForm
    from lianluo.duty.families import family_get, family_pair

    try:
        fam = family_get(viewer=request.user, pk=pk)
    except DomainError as exc:
        raise Http404 from exc
    form = PairForm(request.POST)
    if form.is_valid():
        deputy = Deputy.objects.filter(code=form.cleaned_data["deputy"].strip()).first()
        if deputy is None:
            form.add_error("deputy", _("No deputy has this code."))
        else:
            try:
                family_pair(actor=request.user, family=fam, deputy=deputy)
            except DomainError as exc:
                if exc.status == 404:
                    raise Http404 from exc
                _form_error(form, exc)
            else:
                messages.success(request, _("The deputy is paired with the family."))
                return redirect("board:family", pk=pk)
    return _family_page(request, pk, pair_form=form, status=400)


@login_required
@require_POST
def family_support_view(request: HttpRequest, pk: int) -> HttpResponse:
    from lianluo.deputies.models import Deputy
    from lianluo.duty.board_forms import SupportForm
    from lianluo.duty.families import family_get, support_record_add

    try:
        fam = family_get(viewer=request.user, pk=pk)
    except DomainError as exc:
        raise Http404 from exc
    deputies = [p.deputy for p in fam.pairings.all()]
    form = SupportForm(request.POST, deputies=deputies)
    if form.is_valid():
        data = form.cleaned_data
        deputy = Deputy.objects.get(code=data["deputy"])
        try:
            support_record_add(
                actor=request.user,
                family=fam,
                deputy=deputy,
                on=data["date"],
                kind=data["kind"],
                value_yuan=data["value_yuan"],
                note=data["note"],
            )
        except DomainError as exc:
            if exc.status == 404:
                raise Http404 from exc
            _form_error(form, exc)
        else:
            messages.success(request, _("The support is recorded."))
            return redirect("board:family", pk=pk)
    return _family_page(request, pk, support_form=form, status=400)


@login_required
@require_POST
def family_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    from lianluo.duty.families import family_get, family_phone_reveal

    try:
        fam = family_get(viewer=request.user, pk=pk)
        phone = family_phone_reveal(actor=request.user, family=fam)
    except DomainError as exc:
        raise Http404 from exc
    from django.utils.html import format_html

    return HttpResponse(
        format_html('<a href="tel:{0}" data-testid="phone-full">{0}</a>', phone),
        content_type="text/html",
    )


# ---- targets (五个一) and campaigns -------------------------------------------------------------


@login_required
def targets(request: HttpRequest) -> HttpResponse:
    """Staff and officers: progress of the deputies they run on a target set, who is behind
    (with a reminder), the groups, and each station and area."""
    from lianluo.duty import targets as t

    scope = scope_for(request.user)
    if not (scope.everything or scope.read_paths or scope.station_ids):
        if scope.deputy_ids:
            return redirect("board:my_targets")
        raise Http404
    year = _year(request)
    sets = list(t.target_sets_for(viewer=request.user, year=year))
    chosen = None
    if request.GET.get("set"):
        chosen = next((s for s in sets if str(s.pk) == request.GET["set"]), None)
    chosen = chosen or next((s for s in sets if s.scope == "deputy"), None)
    context: dict = {"sets": sets, "chosen": chosen, "year": year}
    if chosen is not None:
        deputies = t.deputies_followed(viewer=request.user, congress=chosen.congress)
        progress = t.deputy_progress(target_set=chosen, deputies=deputies)
        progress.sort(key=lambda p: (p.complete, p.percent, p.subject.code))
        targets_ = list(chosen.targets.all())
        group_set = next(
            (s for s in sets if s.scope == "group" and s.congress_id == chosen.congress_id), None
        )
        context.update(
            targets=targets_,
            progress=progress,
            behind=sum(1 for p in progress if not p.complete),
            summaries=t.summaries_by_station(progress, targets_),
            group_set=group_set,
            groups=t.group_progress(
                target_set=group_set,
                groups=t.groups_followed(viewer=request.user, congress=chosen.congress),
            )
            if group_set
            else [],
        )
    _s, congresses = publish_targets(viewer=request.user)
    context["installable"] = congresses
    return render(request, "duty/board/targets.html", context)


@login_required
@require_POST
def targets_install(request: HttpRequest) -> HttpResponse:
    from lianluo.duty.targets import target_sets_install_default

    congress = _congress_for(request, int(request.POST.get("congress") or 0))
    year = _year(request)
    try:
        target_sets_install_default(actor=request.user, congress=congress, year=year)
    except DomainError as exc:
        raise Http404 from exc
    messages.success(request, _("The default targets are installed."))
    return redirect(f"{_url('board:targets')}?year={year}")


def _url(name: str, *args) -> str:
    from django.urls import reverse

    return reverse(name, args=args)


@login_required
@require_POST
def targets_remind_view(request: HttpRequest, pk: int) -> HttpResponse:
    from lianluo.duty.targets import deputies_followed, target_set_get, targets_remind

    try:
        target_set = target_set_get(viewer=request.user, pk=pk)
    except DomainError as exc:
        raise Http404 from exc
    followed = deputies_followed(viewer=request.user, congress=target_set.congress)
    codes = set(request.POST.getlist("deputy"))
    chosen = [d for d in followed if d.code in codes] if codes else followed
    sent = targets_remind(actor=request.user, target_set=target_set, deputies=chosen)
    messages.success(
        request,
        _("Reminders sent: %(n)d (a deputy is reminded at most once a day).") % {"n": sent},
    )
    return redirect(f"{_url('board:targets')}?year={target_set.year}&set={target_set.pk}")


@login_required
def my_targets(request: HttpRequest) -> HttpResponse:
    """A deputy's own progress on their congresses' targets, and their group's."""
    from lianluo.deputies.selectors import deputy_for_user
    from lianluo.duty import targets as t

    deputy = deputy_for_user(request.user)
    if deputy is None:
        raise Http404
    year = _year(request)
    sets = list(t.target_sets_for(viewer=request.user, year=year))
    mine = [
        (s, t.deputy_progress(target_set=s, deputies=[deputy])[0])
        for s in sets
        if s.scope == "deputy"
    ]
    group = deputy.group
    groups = [
        (s, t.group_progress(target_set=s, groups=[group])[0])
        for s in sets
        if s.scope == "group" and group is not None and s.congress_id == group.congress_id
    ]
    return render(
        request,
        "duty/board/my_targets.html",
        {"deputy": deputy, "year": year, "mine": mine, "groups": groups},
    )


@login_required
def campaigns(request: HttpRequest) -> HttpResponse:
    from lianluo.duty.targets import campaigns_for

    _s, congresses = publish_targets(viewer=request.user)
    return render(
        request,
        "duty/board/campaigns.html",
        {"campaigns": campaigns_for(viewer=request.user), "can_create": bool(congresses)},
    )


@login_required
def campaign_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    from lianluo.duty.board_forms import CampaignForm
    from lianluo.duty.targets import campaign_get, campaign_save, target_sets_for

    _s, congresses = publish_targets(viewer=request.user)
    if not congresses:
        raise Http404
    campaign = None
    initial = {}
    if pk is not None:
        try:
            campaign = campaign_get(viewer=request.user, pk=pk)
        except DomainError as exc:
            raise Http404 from exc
        initial = {
            "name": campaign.name,
            "start": campaign.start,
            "end": campaign.end,
            "congresses": [c.pk for c in campaign.congresses.all()],
            "target_set": campaign.target_set_id,
        }
    sets = list(target_sets_for(viewer=request.user))
    form = CampaignForm(
        request.POST or None, initial=initial, congresses=congresses, target_sets=sets
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            chosen = [c for c in congresses if str(c.pk) in data["congresses"]]
            target_set = next((s for s in sets if s.pk == data["target_set"]), None)
            try:
                campaign = campaign_save(
                    actor=request.user,
                    campaign=campaign,
                    name=data["name"],
                    start=data["start"],
                    end=data["end"],
                    congresses=chosen,
                    target_set=target_set,
                )
            except DomainError as exc:
                if exc.status == 404:
                    raise Http404 from exc
                _form_error(form, exc)
            else:
                messages.success(request, _("The campaign is saved."))
                return redirect("board:campaign", pk=campaign.pk)
        status = 400
    return render(
        request,
        "duty/board/campaign_form.html",
        {"form": form, "campaign": campaign},
        status=status,
    )


@login_required
def campaign(request: HttpRequest, pk: int) -> HttpResponse:
    from lianluo.duty.targets import campaign_get, campaign_progress

    try:
        found = campaign_get(viewer=request.user, pk=pk)
    except DomainError as exc:
        raise Http404 from exc
    _s, congresses = publish_targets(viewer=request.user)
    return render(
        request,
        "duty/board/campaign.html",
        {
            "campaign": found,
            "can_edit": all(c in congresses for c in found.congresses.all()),
            **campaign_progress(viewer=request.user, campaign=found),
        },
    )


# ---- station of the year (人民满意代表联络站) ----------------------------------------------------


def station_year(request: HttpRequest) -> HttpResponse:
    """Public: vote (a deputy signed in, or a citizen with a case's tracking code; throttled)
    and the published results of the year."""
    from django.conf import settings

    from lianluo.core.throttle import rate_allowed
    from lianluo.duty.board_forms import VoteForm
    from lianluo.duty.station_of_year import published_results, vote_cast

    year = _year(request)
    stations = list(Station.objects.filter(active=True).order_by("code"))
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
                _form_error(form, exc)
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
            "as_deputy": bool(scope_for(request.user).deputy_ids),
        },
        status=status,
    )


@login_required
def station_year_scorecard(request: HttpRequest) -> HttpResponse:
    from lianluo.duty.station_of_year import result_congresses, scorecards, stations_scored

    stations = stations_scored(viewer=request.user)
    if not stations:
        raise Http404
    year = _year(request)
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
def station_year_publish_view(request: HttpRequest) -> HttpResponse:
    from lianluo.duty.station_of_year import station_year_publish

    congress = (
        Congress.objects.select_related("area")
        .filter(pk=int(request.POST.get("congress") or 0))
        .first()
    )
    if congress is None:
        raise Http404
    year = _year(request)
    try:
        station_year_publish(actor=request.user, congress=congress, year=year)
    except DomainError as exc:
        if exc.status == 404:
            raise Http404 from exc
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The result is published."))
    return redirect(f"{_url('board:station_year')}?year={year}")


@login_required
@require_POST
def campaign_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    from lianluo.duty.targets import campaign_delete, campaign_get

    try:
        found = campaign_get(viewer=request.user, pk=pk)
        campaign_delete(actor=request.user, campaign=found)
    except DomainError as exc:
        raise Http404 from exc
    messages.success(request, _("The campaign is deleted."))
    return redirect("board:campaigns")


@login_required
def group_targets(request: HttpRequest, pk: int) -> HttpResponse:
    """A deputy group's page of targets: the group's sets and each member's progress, for
    those who follow the group's congress and for its members."""
    from lianluo.deputies.models import DeputyGroup
    from lianluo.duty import targets as t

    group = DeputyGroup.objects.select_related("congress__area").filter(pk=pk).first()
    if group is None or group not in t.groups_followed(
        viewer=request.user, congress=group.congress
    ):
        raise Http404
    year = _year(request)
    sets = [
        s
        for s in t.target_sets_for(viewer=request.user, year=year)
        if s.congress_id == group.congress_id
    ]
    members = list(group.members.order_by("code"))
    return render(
        request,
        "duty/board/group_targets.html",
        {
            "group": group,
            "year": year,
            "group_sets": [
                (s, t.group_progress(target_set=s, groups=[group])[0])
                for s in sets
                if s.scope == "group"
            ],
            "member_sets": [
                (s, t.deputy_progress(target_set=s, deputies=members))
                for s in sets
                if s.scope == "deputy"
            ],
        },
    )
