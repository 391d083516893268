"""The staff ledger (台账): list, detail, transitions, phone reveal, photos."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianluo.cases import exports, selectors
from lianluo.cases.forms import ACTION_FORMS, TransitionForm
from lianluo.cases.models import Case
from lianluo.cases.permissions import actions_for, can_act, can_handle
from lianluo.cases.services import case_merge, case_reveal_phone, case_transition
from lianluo.cases.services.publication import case_summary_approve, case_summary_draft, may_approve
from lianluo.cases.states import Action, CaseStatus, Channel, Triage
from lianluo.core.errors import DomainError, flash_outcome, form_error
from lianluo.core.http import AuthedRequest
from lianluo.core.scope import scope_for
from lianluo.core.text import mask_name, mask_phone
from lianluo.core.xlsx import filters_of, xlsx_export
from lianluo.stations.selectors import stations_in_scope


@login_required
def ledger(request: AuthedRequest) -> HttpResponse:
    g = request.GET
    filters = _filters(request)
    qs = selectors.case_list(viewer=request.user, filters=filters)
    scope = scope_for(request.user)
    page = Paginator(qs, 25).get_page(g.get("page"))
    context = {
        "page": page,
        "filters": filters,
        "statuses": CaseStatus.choices,
        "channels": Channel.choices,
        "triages": Triage.choices,
        "categories": selectors.categories_all(),
        "stations": stations_in_scope(viewer=request.user),
        "querystring": _querystring_without_page(request),
        # Congress staff edit the categories and decline reasons (cases.settings_views).
        "catalogs_link": bool(scope.everything or scope.staff_paths),
    }
    template = (
        "cases/_ledger_rows.html" if request.headers.get("HX-Request") else "cases/ledger.html"
    )
    return render(request, template, context)


def _filters(request: AuthedRequest) -> selectors.CaseFilters:
    """The ledger's filters as its form sends them (the page's and the export's)."""
    g = request.GET
    return selectors.CaseFilters(
        status=g.get("status", ""),
        station=g.get("station", ""),
        channel=g.get("channel", ""),
        triage=g.get("triage", ""),
        category=g.get("category", ""),
        deadline=g.get("deadline", ""),
        q=g.get("q", ""),
    )


@login_required
def ledger_xlsx(request: AuthedRequest) -> FileResponse:
    """The ledger as filtered on the page, every row (not one page), as an Excel workbook."""
    cases = selectors.case_list(viewer=request.user, filters=_filters(request))
    today = timezone.localdate()
    return xlsx_export(
        actor=request.user,
        verb="export.cases",
        filters=filters_of(request.GET),
        filename=f"cases-{today:%Y%m%d}.xlsx",
        columns=exports.ledger_columns(),
        rows=exports.ledger_rows(cases),
        sheet=_("Case ledger"),
        title=f"{_('Case ledger')} ({today:%Y-%m-%d})",
    )


def _querystring_without_page(request: AuthedRequest) -> str:
    q = request.GET.copy()
    q.pop("page", None)
    return q.urlencode()


@login_required
def case_detail(request: AuthedRequest, number: str) -> HttpResponse:
    case = selectors.case_get(viewer=request.user, number=number)
    return render(request, "cases/detail.html", _detail_context(request, case))


def _detail_context(
    request: AuthedRequest,
    case: Case,
    *,
    form: TransitionForm | None = None,
    error: str = "",
    summary: str | None = None,
    summary_error: str = "",
) -> dict[str, Any]:
    """The case page: its timeline and one form per action the user may take (`form` in place
    of the blank one of its action, after a refused attempt)."""
    handles = can_handle(request.user, case)
    forms_by_action = {
        a: ACTION_FORMS[a](prefix=a, case=case) for a in actions_for(request.user, case)
    }
    if form is not None and form.prefix is not None:
        forms_by_action[form.prefix] = form
    return {
        "case": case,
        "timeline": [
            (e, selectors.event_public_text(e)) for e in selectors.case_staff_timeline(case=case)
        ],
        "action_forms": [(a, Action(a).label, f) for a, f in forms_by_action.items()],
        "can_handle": handles,
        "masked_phone": mask_phone(case.citizen_phone),
        "masked_name": mask_name(case.citizen_name) if not handles else case.citizen_name,
        "photos": selectors.case_photos(viewer=request.user, case=case),
        "duplicates": (
            selectors.likely_duplicates(viewer=request.user, case=case) if handles else []
        ),
        "can_merge": can_act(request.user, case, Action.MERGE),
        "error": error,
        "deadline_state": case.deadline_state(),
        # The public summary form (cases.services.publication), for who may approve it.
        "summary_form": may_approve(request.user, case),
        "summary_text": (
            summary if summary is not None else case.public_summary or case_summary_draft(case)
        ),
        "summary_error": summary_error,
    }


@login_required
@require_POST
def case_action(request: AuthedRequest, number: str, action: str) -> HttpResponse:
    case = selectors.case_get(viewer=request.user, number=number)
    if action not in ACTION_FORMS:
        raise Http404
    form = ACTION_FORMS[action](request.POST, prefix=action, case=case)
    error = _("Please correct the fields marked below.")
    if form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason", None)
        if reason is not None and hasattr(reason, "code"):
            reason = reason.code
        try:
            case_transition(case=case, actor=request.user, action=action, reason=reason, **data)
        except DomainError as exc:
            form_error(form, exc)
            error = str(exc.message)
        else:
            messages.success(request, _("Done: %(action)s.") % {"action": Action(action).label})
            return redirect("cases:detail", number=case.number)
    case = selectors.case_get(viewer=request.user, number=number)
    context = _detail_context(request, case, form=form, error=error)
    return render(request, "cases/detail.html", context, status=400)


@login_required
@require_POST
def merge(request: AuthedRequest, number: str) -> HttpResponse:
    """合并到本案: the ticked likely duplicates are merged into this case in one step."""
    survivor = selectors.case_get(viewer=request.user, number=number)
    numbers = request.POST.getlist("cases")
    note = request.POST.get("note", "")[:500]

    def write() -> object:
        duplicates = selectors.cases_by_numbers(viewer=request.user, numbers=numbers)
        return case_merge(survivor=survivor, cases=duplicates, actor=request.user, note=note)

    flash_outcome(
        request,
        write,
        done=_("Merged into %(number)s: %(cases)s.")
        % {"number": survivor.number, "cases": "、".join(numbers)},
    )
    return redirect("cases:detail", number=survivor.number)


@login_required
@require_POST
def summary_approve(request: AuthedRequest, number: str) -> HttpResponse:
    """Staff approve the public summary of a closed, consented case (公开摘要)."""
    case = selectors.case_get(viewer=request.user, number=number)
    summary = request.POST.get("summary", "")
    try:
        case_summary_approve(case=case, actor=request.user, summary=summary)
    except DomainError as exc:
        context = _detail_context(request, case, summary=summary, summary_error=str(exc.message))
        return render(request, "cases/detail.html", context, status=exc.status)
    messages.success(request, _("The public summary is approved: the station page shows it."))
    return redirect("cases:detail", number=case.number)


@login_required
@require_POST
def reveal_phone(request: AuthedRequest, number: str) -> HttpResponse:
    case = selectors.case_get(viewer=request.user, number=number)
    phone = case_reveal_phone(case=case, actor=request.user)
    return render(request, "cases/_phone.html", {"phone": phone, "case": case})


@login_required
def photo(request: AuthedRequest, number: str, photo_id: int) -> FileResponse:
    """Photos are personal data: served only to people handling the case."""
    case = selectors.case_get(viewer=request.user, number=number)
    item = selectors.case_photo_get(viewer=request.user, case=case, photo_id=photo_id)
    response = FileResponse(item.file.open("rb"), content_type=item.content_type)
    response["Cache-Control"] = "private, no-store"
    return response
