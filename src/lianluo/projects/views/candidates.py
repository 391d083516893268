"""The candidates page (候选项目, `projects:slate`): the year's reserve pool, the list with the
body that approved it and the quota, each candidate's particulars, and the session vote made
from the list. Staff change it; leaders of the area read it. One form per action, each posted to
the same page with its `action`; a refusal is shown at its form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _

from lianluo.core.errors import DomainError, Forbidden, form_error
from lianluo.core.http import AuthedRequest
from lianluo.projects.forms.candidates import CandidateForm, PickForm, SlateForm, VoteCreateForm
from lianluo.projects.models import ProjectStatus
from lianluo.projects.selectors.candidates import (
    candidate_for,
    candidates_of,
    congress_for,
    departments_for,
    may_manage,
    pool_of,
    slate_of,
)
from lianluo.projects.services.candidates import (
    CandidatesCode,
    candidate_drop,
    candidate_fill,
    candidates_pick,
    slate_save,
    slate_vote_create,
)
from lianluo.voting.errors import VotingCode


@login_required
def slate(request: AuthedRequest, congress_pk: int, year: int) -> HttpResponse:
    congress = congress_for(request.user, congress_pk)
    manage = may_manage(request.user, congress)
    current = slate_of(congress, year)
    pool = pool_of(congress, year)
    bound: dict[str, forms.Form] = {}
    if request.method == "POST":
        if not manage:
            raise Forbidden(VotingCode.NOT_ALLOWED, _("Only the congress's staff run its votes."))
        action = request.POST.get("action", "")
        form: forms.Form
        try:
            if action == "slate":
                form = bound["slate"] = SlateForm(request.POST, prefix="slate")
                if form.is_valid():
                    slate_save(
                        actor=request.user, congress=congress, year=year, **form.cleaned_data
                    )
                    messages.success(request, _("The list's record is saved."))
                    return redirect(request.path)
            elif current is None:
                raise DomainError(
                    CandidatesCode.NO_SLATE,
                    _("First record who approved the list, when, and the number to approve."),
                )
            elif action == "pick":
                form = bound["pick"] = PickForm(request.POST, prefix="pick", pool=pool)
                if form.is_valid():
                    n = candidates_pick(actor=request.user, slate=current, project_ids=form.ids())
                    messages.success(request, _("%(n)d projects put on the list.") % {"n": n})
                    return redirect(request.path)
            elif action == "drop":
                candidate_drop(
                    actor=request.user,
                    slate=current,
                    project_id=int(request.POST.get("project") or 0),
                )
                messages.success(request, _("The project is back in the reserve pool."))
                return redirect(request.path)
            elif action == "vote":
                form = bound["vote"] = VoteCreateForm(request.POST, prefix="vote")
                if form.is_valid():
                    vote = slate_vote_create(actor=request.user, slate=current, **form.cleaned_data)
                    messages.success(request, _("The session vote is prepared."))
                    return redirect("voting:run", pk=vote.pk)
        except DomainError as exc:
            if action in bound:
                form_error(bound[action], exc)
            else:
                messages.error(request, str(exc.message))
                return redirect(request.path)
    candidates = candidates_of(current)
    context: dict[str, Any] = {
        "congress": congress,
        "year": year,
        "slate": current,
        "manage": manage,
        "frozen": bool(current and current.vote_id),
        "pool": pool,
        "candidates": candidates,
        "open_count": sum(1 for p in candidates if p.status == ProjectStatus.CANDIDATE),
        "slate_form": bound.get("slate")
        or SlateForm(
            prefix="slate",
            initial=(
                {
                    "approved_by": current.approved_by,
                    "approved_on": current.approved_on,
                    "quota": current.quota,
                }
                if current
                else {}
            ),
        ),
        "pick_form": bound.get("pick") or PickForm(prefix="pick", pool=pool),
        "vote_form": bound.get("vote") or VoteCreateForm(prefix="vote"),
    }
    return render(request, "projects/candidates/slate.html", context)


@login_required
def candidate(request: AuthedRequest, congress_pk: int, year: int, pk: int) -> HttpResponse:
    """One candidate's particulars, as the deputies read them on the ballot."""
    congress = congress_for(request.user, congress_pk)
    current = slate_of(congress, year)
    if current is None or not may_manage(request.user, congress):
        raise Forbidden(VotingCode.NOT_ALLOWED, _("Only the congress's staff run its votes."))
    project = candidate_for(current, pk)
    departments = departments_for(congress)
    if request.method == "POST":
        form = CandidateForm(request.POST, departments=departments)
        if form.is_valid():
            try:
                candidate_fill(
                    actor=request.user, slate=current, project_id=project.pk, **form.cleaned_data
                )
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("The particulars are saved."))
                return redirect("projects:slate", congress_pk=congress.pk, year=year)
    else:
        form = CandidateForm(
            departments=departments,
            initial={
                "title": project.title,
                "content": project.content,
                "investment": project.investment,
                "expected_effect": project.expected_effect,
                "department": project.department_id,
                "completion": project.completion,
                "completion_due": project.completion_due,
                "presentation": project.presentation,
            },
        )
    return render(
        request,
        "projects/candidates/candidate.html",
        {"congress": congress, "year": year, "project": project, "form": form},
    )


urlpatterns: list[URLPattern] = [
    path("projects/<int:congress_pk>/<int:year>/candidates/", slate, name="slate"),
    path("projects/<int:congress_pk>/<int:year>/candidates/<int:pk>/", candidate, name="candidate"),
]
