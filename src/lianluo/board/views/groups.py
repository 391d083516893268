"""Deputy-group pages (代表小组/专业小组) for the staff of the group's congress: the list with a
form to create one, and a group's page to rename it, set its kind, add and remove members, set
the leader, and see its progress on the year's targets (set where board sets targets)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianluo.board.forms import GroupForm
from lianluo.board.groups import congresses_run, group_page, group_run_get, groups_run
from lianluo.core.errors import CoreCode, DomainError, NotFound, flash_outcome, form_error
from lianluo.core.http import AuthedRequest
from lianluo.deputies.models import Deputy
from lianluo.deputies.services import (
    group_leader_set,
    group_member_add,
    group_member_remove,
    group_save,
)
from lianluo.duty.pages import year_asked


@login_required
def groups(request: AuthedRequest) -> HttpResponse:
    """The groups of the congresses the viewer runs, and a form to create one."""
    congresses = congresses_run(viewer=request.user)
    if not congresses:
        raise Http404
    form = GroupForm(request.POST or None, congresses=congresses)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            congress = next(c for c in congresses if str(c.pk) == data["congress"])
            try:
                group = group_save(
                    actor=request.user, congress=congress, name=data["name"], kind=data["kind"]
                )
            except NotFound:
                raise
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("The group is created."))
                return redirect("board:group", pk=group.pk)
        status = 400
    return render(
        request,
        "duty/board/groups.html",
        {"groups": groups_run(viewer=request.user), "form": form},
        status=status,
    )


@login_required
def group(request: AuthedRequest, pk: int) -> HttpResponse:
    """A group's page; a POST renames it or sets its kind."""
    found = group_run_get(viewer=request.user, pk=pk)
    initial = {"congress": str(found.congress_id), "name": found.name, "kind": found.kind}
    form = GroupForm(request.POST or None, initial=initial, congresses=[found.congress])
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                group_save(
                    actor=request.user,
                    congress=found.congress,
                    group=found,
                    name=form.cleaned_data["name"],
                    kind=form.cleaned_data["kind"],
                )
            except NotFound:
                raise
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("The group is saved."))
                return redirect("board:group", pk=found.pk)
        status = 400
    page = group_page(viewer=request.user, group=found, year=year_asked(request))
    return render(request, "duty/board/group.html", {"page": page, "form": form}, status=status)


def _deputy(request: AuthedRequest, key: str) -> Deputy | None:
    code = request.POST.get(key, "").strip()
    if not code:
        return None
    found = Deputy.objects.select_related("group").filter(code=code).first()
    if found is None:
        raise NotFound(CoreCode.NOT_FOUND, _("No deputy has this code."))
    return found


@login_required
@require_POST
def group_member_add_view(request: AuthedRequest, pk: int) -> HttpResponse:
    found = group_run_get(viewer=request.user, pk=pk)
    deputy = _deputy(request, "deputy")
    if deputy is not None:
        done = _("%(name)s is a member now.") % {"name": deputy.name}
        if deputy.group is not None and deputy.group.pk != found.pk:
            done += " " + _("(Moved from “%(group)s”.)") % {"group": deputy.group.name}
        flash_outcome(
            request,
            lambda: group_member_add(actor=request.user, group=found, deputy=deputy),
            done=done,
        )
    return redirect("board:group", pk=found.pk)


@login_required
@require_POST
def group_member_remove_view(request: AuthedRequest, pk: int) -> HttpResponse:
    found = group_run_get(viewer=request.user, pk=pk)
    deputy = _deputy(request, "deputy")
    if deputy is not None:
        flash_outcome(
            request,
            lambda: group_member_remove(actor=request.user, group=found, deputy=deputy),
            done=_("%(name)s left the group.") % {"name": deputy.name},
        )
    return redirect("board:group", pk=found.pk)


@login_required
@require_POST
def group_leader_view(request: AuthedRequest, pk: int) -> HttpResponse:
    found = group_run_get(viewer=request.user, pk=pk)
    deputy = _deputy(request, "leader")
    flash_outcome(
        request,
        lambda: group_leader_set(actor=request.user, group=found, deputy=deputy),
        done=_("The leader is set."),
    )
    return redirect("board:group", pk=found.pk)
