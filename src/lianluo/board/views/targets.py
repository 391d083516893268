"""Target pages (五个一) and campaigns: progress of the deputies one runs, a deputy's own
progress, a group's, reminders, campaigns."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianluo.board import targets as t
from lianluo.board.forms import CampaignForm
from lianluo.board.publications import congress_to_run, publish_targets
from lianluo.core.errors import DomainError, NotFound, form_error
from lianluo.core.http import AuthedRequest
from lianluo.core.scope import scope_for
from lianluo.deputies.selectors import deputy_for_user
from lianluo.duty.pages import year_asked


@login_required
def targets(request: AuthedRequest) -> HttpResponse:
    """Staff and officers: progress of the deputies they run on a target set, who is behind
    (with a reminder), the groups, and each station and area."""
    scope = scope_for(request.user)
    if not (scope.everything or scope.read_paths or scope.station_ids):
        if scope.deputy_ids:
            return redirect("board:my_targets")
        raise Http404
    year = year_asked(request)
    sets = list(t.target_sets_for(viewer=request.user, year=year))
    chosen = None
    if request.GET.get("set"):
        chosen = next((s for s in sets if str(s.pk) == request.GET["set"]), None)
    chosen = chosen or next((s for s in sets if s.scope == "deputy"), None)
    context: dict[str, Any] = {"sets": sets, "chosen": chosen, "year": year}
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
def targets_install(request: AuthedRequest) -> HttpResponse:
    congress = congress_to_run(viewer=request.user, pk=int(request.POST.get("congress") or 0))
    year = year_asked(request)
    t.target_sets_install_default(actor=request.user, congress=congress, year=year)
    messages.success(request, _("The default targets are installed."))
    return redirect(f"{reverse('board:targets')}?year={year}")


@login_required
@require_POST
def targets_remind_view(request: AuthedRequest, pk: int) -> HttpResponse:
    target_set = t.target_set_get(viewer=request.user, pk=pk)
    followed = t.deputies_followed(viewer=request.user, congress=target_set.congress)
    codes = set(request.POST.getlist("deputy"))
    chosen = [d for d in followed if d.code in codes] if codes else followed
    sent = t.targets_remind(actor=request.user, target_set=target_set, deputies=chosen)
    messages.success(
        request,
        _("Reminders sent: %(n)d (a deputy is reminded at most once a day).") % {"n": sent},
    )
    return redirect(f"{reverse('board:targets')}?year={target_set.year}&set={target_set.pk}")


@login_required
def my_targets(request: AuthedRequest) -> HttpResponse:
    """A deputy's own progress on their congresses' targets, and their group's."""
    deputy = deputy_for_user(request.user)
    if deputy is None:
        raise Http404
    year = year_asked(request)
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
def group_targets(request: AuthedRequest, pk: int) -> HttpResponse:
    """A deputy group's page of targets: the group's sets and each member's progress, for
    those who follow the group's congress and for its members."""
    group = t.group_get(viewer=request.user, pk=pk)
    year = year_asked(request)
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


# ---- campaigns ---------------------------------------------------------------------------------


@login_required
def campaigns(request: AuthedRequest) -> HttpResponse:
    _s, congresses = publish_targets(viewer=request.user)
    return render(
        request,
        "duty/board/campaigns.html",
        {"campaigns": t.campaigns_for(viewer=request.user), "can_create": bool(congresses)},
    )


@login_required
def campaign_edit(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    _s, congresses = publish_targets(viewer=request.user)
    if not congresses:
        raise Http404
    campaign = None
    initial: dict[str, Any] = {}
    if pk is not None:
        campaign = t.campaign_get(viewer=request.user, pk=pk)
        initial = {
            "name": campaign.name,
            "start": campaign.start,
            "end": campaign.end,
            "congresses": [c.pk for c in campaign.congresses.all()],
            "target_set": campaign.target_set_id,
        }
    sets = list(t.target_sets_for(viewer=request.user))
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
                campaign = t.campaign_save(
                    actor=request.user,
                    campaign=campaign,
                    name=data["name"],
                    start=data["start"],
                    end=data["end"],
                    congresses=chosen,
                    target_set=target_set,
                )
            except NotFound:
                raise  # the 404 page, through the middleware
            except DomainError as exc:
                form_error(form, exc)
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
def campaign(request: AuthedRequest, pk: int) -> HttpResponse:
    found = t.campaign_get(viewer=request.user, pk=pk)
    _s, congresses = publish_targets(viewer=request.user)
    return render(
        request,
        "duty/board/campaign.html",
        {
            "campaign": found,
            "can_edit": all(c in congresses for c in found.congresses.all()),
            **t.campaign_progress(viewer=request.user, campaign=found),
        },
    )


@login_required
@require_POST
def campaign_delete_view(request: AuthedRequest, pk: int) -> HttpResponse:
    found = t.campaign_get(viewer=request.user, pk=pk)
    t.campaign_delete(actor=request.user, campaign=found)
    messages.success(request, _("The campaign is deleted."))
    return redirect("board:campaigns")
