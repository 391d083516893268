"""The staff ledger (台账): list, detail, transitions, phone reveal, photos."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianluo.cases.forms import ACTION_FORMS
from lianluo.cases.models import Category
from lianluo.cases.permissions import can_act, can_handle
from lianluo.cases.selectors import (
    CaseFilters,
    case_get,
    case_list,
    case_staff_timeline,
    event_public_text,
)
from lianluo.cases.services import case_reveal_phone, case_transition
from lianluo.cases.states import Action, CaseStatus, Triage, allowed_actions
from lianluo.core.errors import DomainError, NotFound
from lianluo.core.text import mask_name, mask_phone
from lianluo.stations.selectors import stations_in_scope


def _get_case(request: HttpRequest, number: str):
    try:
        return case_get(viewer=request.user, number=number)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc


@login_required
def ledger(request: HttpRequest) -> HttpResponse:
    g = request.GET
    filters = CaseFilters(
        status=g.get("status", ""),
        station=g.get("station", ""),
        triage=g.get("triage", ""),
        category=g.get("category", ""),
        deadline=g.get("deadline", ""),
        q=g.get("q", ""),
    )
    qs = case_list(viewer=request.user, filters=filters)
    page = Paginator(qs, 25).get_page(g.get("page"))
    context = {
        "page": page,
        "filters": filters,
        "statuses": CaseStatus.choices,
        "triages": Triage.choices,
        "categories": Category.objects.order_by("code"),
        "stations": stations_in_scope(viewer=request.user),
        "querystring": _querystring_without_page(request),
    }
    template = (
        "cases/_ledger_rows.html" if request.headers.get("HX-Request") else "cases/ledger.html"
    )
    return render(request, template, context)


def _querystring_without_page(request: HttpRequest) -> str:
    q = request.GET.copy()
    q.pop("page", None)
    return q.urlencode()


@login_required
def case_detail(request: HttpRequest, number: str) -> HttpResponse:
    case = _get_case(request, number)
    actions = [a for a in allowed_actions(case.status) if can_act(request.user, case, a)]
    if "reopen" in actions and (case.rating != "dissatisfied" or case.reopened_count >= 1):
        actions.remove("reopen")
    forms_by_action = {a: ACTION_FORMS[a](prefix=a, case=case) for a in actions}
    return render(request, "cases/detail.html", _detail_context(request, case, forms_by_action))


def _detail_context(request, case, forms_by_action, error: str = ""):
    handles = can_handle(request.user, case)
    return {
        "case": case,
        "timeline": [(e, event_public_text(e)) for e in case_staff_timeline(case=case)],
        "action_forms": [(a, Action(a).label, f) for a, f in forms_by_action.items()],
        "can_handle": handles,
        "masked_phone": mask_phone(case.citizen_phone),
        "masked_name": mask_name(case.citizen_name) if not handles else case.citizen_name,
        "photos": list(case.photos.all()) if handles else [],
        "error": error,
        "deadline_state": case.deadline_state(),
    }


@login_required
@require_POST
def case_action(request: HttpRequest, number: str, action: str) -> HttpResponse:
    case = _get_case(request, number)
    if action not in ACTION_FORMS:
        raise Http404
    form = ACTION_FORMS[action](request.POST, prefix=action, case=case)
    error = ""
    if form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason", None)
        if reason is not None and hasattr(reason, "code"):
            reason = reason.code
        try:
            case_transition(case=case, actor=request.user, action=action, reason=reason, **data)
        except DomainError as exc:
            error = str(exc.message)
        else:
            messages.success(request, _("Done: %(action)s.") % {"action": Action(action).label})
            return redirect("cases:detail", number=case.number)
    else:
        error = _("Please correct the fields marked below.")
    case = _get_case(request, number)
    actions = [a for a in allowed_actions(case.status) if can_act(request.user, case, a)]
    forms_by_action = {a: ACTION_FORMS[a](prefix=a, case=case) for a in actions}
    forms_by_action[action] = form
    return render(
        request,
        "cases/detail.html",
        _detail_context(request, case, forms_by_action, error),
        status=400,
    )


@login_required
@require_POST
def reveal_phone(request: HttpRequest, number: str) -> HttpResponse:
    case = _get_case(request, number)
    try:
        phone = case_reveal_phone(case=case, actor=request.user)
    except NotFound as exc:
        raise Http404 from exc
    return render(request, "cases/_phone.html", {"phone": phone, "case": case})


@login_required
def photo(request: HttpRequest, number: str, photo_id: int) -> FileResponse:
    """Photos are personal data: served only to people handling the case."""
    case = _get_case(request, number)
    if not can_handle(request.user, case):
        raise Http404
    item = case.photos.filter(pk=photo_id).first()
    if item is None:
        raise Http404
    response = FileResponse(item.file.open("rb"), content_type=item.content_type)
    response["Cache-Control"] = "private, no-store"
    return response
