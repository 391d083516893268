"""Collection pages of the projects app: the staff hub, windows, proposals, the reserve pool,
the citizen's public form (from the station's and deputy's QR pages) and case → proposal."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianluo.cases.errors import IdempotencyConflict
from lianluo.cases.selectors import case_queryset
from lianluo.core.errors import CoreCode, DomainError, Forbidden, NotFound, form_error
from lianluo.core.http import AuthedRequest
from lianluo.core.models import Congress
from lianluo.core.text import text_max_chars
from lianluo.core.throttle import rate_allowed
from lianluo.deputies.selectors import deputy_public_get
from lianluo.projects.forms.collection import (
    CitizenProposalForm,
    DeclineForm,
    FromCaseForm,
    MergeForm,
    PoolAddForm,
    PoolEntryForm,
    PoolFileForm,
    ProposalForm,
    WindowForm,
    WithdrawForm,
)
from lianluo.projects.models import ProjectStatus, Proposal, ProposalStatus, Source, Window
from lianluo.projects.selectors import collection as sel
from lianluo.projects.services import collection as svc
from lianluo.stations.selectors import station_public_get

# ---- the staff hub ---------------------------------------------------------------------------


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    congresses = list(sel.congresses_read(viewer=request.user))
    if not congresses:
        raise Forbidden(CoreCode.NOT_ALLOWED, _("Only congress staff and leaders see this page."))
    pk = request.GET.get("congress", "")
    congress = next((c for c in congresses if str(c.pk) == pk), congresses[0])
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() else _current_year(congress)
    hub = sel.hub_summary(congress=congress, year=year)
    context = {
        "hub": hub,
        "congresses": congresses,
        "manage": sel.can_manage(request.user, congress),
        "today": timezone.localdate(),
    }
    return render(request, "projects/collect/home.html", context)


def _current_year(congress: Congress) -> int:
    window = sel.window_open_for(congress=congress)
    if window is not None:
        return window.year
    latest = Window.objects.filter(congress=congress).order_by("-year").first()
    return latest.year if latest else timezone.localdate().year + 1


# ---- windows ---------------------------------------------------------------------------------


@login_required
def windows(request: AuthedRequest) -> HttpResponse:
    managed = [
        c for c in sel.congresses_read(viewer=request.user) if sel.can_manage(request.user, c)
    ]
    form = WindowForm(request.POST or None)
    congress_pk = request.POST.get("congress", "")
    status = 200
    if request.method == "POST":
        congress = next((c for c in managed if str(c.pk) == congress_pk), None)
        if congress is None:
            raise Forbidden(CoreCode.NOT_ALLOWED, _("Only the congress's staff may do this."))
        if form.is_valid():
            try:
                svc.window_open(actor=request.user, congress=congress, **form.cleaned_data)
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("The collection window is set."))
                return redirect("projects:windows")
        status = 400
    rows = [
        (w, sel.window_state(w), sel.can_manage(request.user, w.congress))
        for w in sel.window_list(viewer=request.user)
    ]
    context = {"rows": rows, "form": form, "managed": managed, "congress_pk": congress_pk}
    return render(request, "projects/collect/windows.html", context, status=status)


@login_required
def window_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    window = sel.window_get(viewer=request.user, pk=pk)
    initial = {
        "year": window.year,
        "opens_on": window.opens_on,
        "closes_on": window.closes_on,
        "intro": window.intro,
    }
    form = WindowForm(request.POST or None, initial=initial)
    form.fields["year"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            svc.window_update(
                actor=request.user,
                window=window,
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                intro=data["intro"],
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("The collection window is set."))
            return redirect("projects:windows")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "projects/collect/window.html", {"window": window, "form": form}, status=status
    )


# ---- proposals -------------------------------------------------------------------------------


@login_required
def proposals(request: AuthedRequest) -> HttpResponse:
    g = request.GET
    filters = sel.ProposalFilters.of(g)
    qs = sel.proposal_list(viewer=request.user, filters=filters)
    page = Paginator(qs, 30).get_page(g.get("page"))
    query = g.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "filters": filters,
        "sources": Source.choices,
        "statuses": ProposalStatus.choices,
        "congresses": sel.congresses_read(viewer=request.user),
        "querystring": query.urlencode(),
    }
    return render(request, "projects/collect/proposals.html", context)


@login_required
def proposal_new(request: AuthedRequest) -> HttpResponse:
    """A deputy's, a department's or the staff's proposal."""
    form = ProposalForm(request.POST or None, congresses=Congress.objects.all())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proposal = svc.proposal_submit(actor=request.user, **data)
        except DomainError as exc:
            if isinstance(exc, NotFound):
                raise
            form_error(form, exc)
        else:
            messages.success(request, _("Your proposal is recorded."))
            return redirect(_after_submit(request, proposal))
    status = 400 if request.method == "POST" else 200
    return render(request, "projects/collect/new.html", {"form": form}, status=status)


def _after_submit(request: AuthedRequest, proposal: Proposal) -> str:
    return reverse("projects:proposal", args=[proposal.pk])


def _proposal_context(request: AuthedRequest, proposal: Proposal, **forms: Any) -> dict[str, Any]:
    manage = sel.can_manage(request.user, proposal.congress)
    context: dict[str, Any] = {
        "proposal": proposal,
        "personal": sel.personal_for(request.user, proposal),
        "manage": manage,
        "merged": list(proposal.merged.all()),
        "open": proposal.status in svc.OPEN,
    }
    if manage and proposal.status in svc.OPEN:
        candidates = sel.proposals_mergeable(proposal=proposal)
        entries = sel.pool_open(congress=proposal.congress, year=proposal.year)
        context["merge_form"] = forms.get("merge") or MergeForm(
            prefix="merge", candidates=candidates
        )
        if proposal.status == ProposalStatus.NEW:
            context["decline_form"] = forms.get("decline") or DeclineForm(prefix="decline")
            context["file_form"] = forms.get("file") or PoolFileForm(
                prefix="file",
                congress=proposal.congress,
                candidates=candidates.filter(status=ProposalStatus.NEW),
                initial={
                    "title": proposal.title,
                    "content": proposal.text,
                    "place": proposal.place,
                    "estimated_cost": proposal.estimated_cost,
                    "area": proposal.area_id,
                },
            )
            if entries.exists():
                context["add_form"] = forms.get("add") or PoolAddForm(prefix="add", entries=entries)
    return context


@login_required
def proposal(request: AuthedRequest, pk: int) -> HttpResponse:
    item = sel.proposal_get(viewer=request.user, pk=pk)
    return render(request, "projects/collect/proposal.html", _proposal_context(request, item))


@login_required
@require_POST
def proposal_act(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    item = sel.proposal_get(viewer=request.user, pk=pk)
    user = request.user
    form: Any
    if action == "merge":
        form = MergeForm(
            request.POST, prefix="merge", candidates=sel.proposals_mergeable(proposal=item)
        )
    elif action == "decline":
        form = DeclineForm(request.POST, prefix="decline")
    elif action == "file":
        form = PoolFileForm(
            request.POST,
            prefix="file",
            congress=item.congress,
            candidates=sel.proposals_mergeable(proposal=item),
        )
    elif action == "add":
        form = PoolAddForm(
            request.POST,
            prefix="add",
            entries=sel.pool_open(congress=item.congress, year=item.year),
        )
    else:
        raise Http404
    if not sel.can_manage(user, item.congress):
        raise Forbidden(CoreCode.NOT_ALLOWED, _("Only the congress's staff may do this."))
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if action == "merge":
                svc.proposal_merge(
                    actor=user, keep=item, others=list(data["others"]), note=data["note"]
                )
            elif action == "decline":
                svc.proposal_decline(actor=user, proposal=item, reason=data["reason"])
            elif action == "file":
                also = list(data.pop("also"))
                project = svc.pool_file(
                    actor=user,
                    congress=item.congress,
                    year=item.year,
                    proposals=[item, *also],
                    **data,
                )
                messages.success(request, _("Filed into the reserve pool."))
                return redirect("projects:pool_entry", pk=project.pk)
            else:
                svc.pool_add(actor=user, project=data["project"], proposals=[item])
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Done."))
            return redirect("projects:proposal", pk=item.pk)
    item = sel.proposal_get(viewer=user, pk=pk)
    context = _proposal_context(request, item, **{action: form})
    context["error"] = _("Please correct the fields marked below.")
    return render(request, "projects/collect/proposal.html", context, status=400)


@login_required
@require_POST
def proposal_phone(request: AuthedRequest, pk: int) -> HttpResponse:
    item = sel.proposal_get(viewer=request.user, pk=pk)
    phone = svc.proposal_reveal_phone(actor=request.user, proposal=item)
    return HttpResponse(f'<span data-testid="phone-full">{phone}</span>')


# ---- the reserve pool ------------------------------------------------------------------------


@login_required
def pool(request: AuthedRequest) -> HttpResponse:
    g = request.GET
    entries = list(
        sel.pool_list(
            viewer=request.user,
            congress=g.get("congress", ""),
            year=g.get("year", ""),
            tag=g.get("tag", ""),
            status=g.get("status", ProjectStatus.POOL),
        )[:200]
    )
    context = {
        "entries": entries,
        "tags": sel.pool_tags(entries),
        "tag": g.get("tag", ""),
        "year": g.get("year", ""),
        "congress": g.get("congress", ""),
        "status": g.get("status", ProjectStatus.POOL),
        "statuses": ProjectStatus.choices,
        "congresses": sel.congresses_read(viewer=request.user),
    }
    return render(request, "projects/collect/pool.html", context)


@login_required
def pool_entry(request: AuthedRequest, pk: int) -> HttpResponse:
    project = sel.pool_get(viewer=request.user, pk=pk)
    manage = sel.can_manage(request.user, project.congress)
    initial = {f: getattr(project, f) for f in svc.POOL_FIELDS}
    form = PoolEntryForm(request.POST or None, congress=project.congress, initial=initial)
    withdraw = WithdrawForm(prefix="withdraw")
    status = 200
    if request.method == "POST":
        if not manage:
            raise Forbidden(CoreCode.NOT_ALLOWED, _("Only the congress's staff may do this."))
        withdrawing = "withdraw-reason" in request.POST
        target: Any = WithdrawForm(request.POST, prefix="withdraw") if withdrawing else form
        if target.is_valid():
            try:
                if withdrawing:
                    svc.pool_withdraw(
                        actor=request.user, project=project, reason=target.cleaned_data["reason"]
                    )
                else:
                    svc.pool_edit(actor=request.user, project=project, **target.cleaned_data)
            except DomainError as exc:
                form_error(target, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("projects:pool_entry", pk=project.pk)
        if withdrawing:
            withdraw, form = target, PoolEntryForm(congress=project.congress, initial=initial)
        status = 400
    context = {
        "project": project,
        "manage": manage and project.status == ProjectStatus.POOL,
        "form": form,
        "withdraw": withdraw,
        "proposals": list(project.proposals.all()),
    }
    return render(request, "projects/collect/pool_entry.html", context, status=status)


# ---- the citizen's form ----------------------------------------------------------------------

# The session remembers the tracking codes of the proposals this device sent.
SENT = "proposals_sent"


def propose(request: HttpRequest, congress_pk: int) -> HttpResponse:
    """The public form: only while the congress's window is open; from a station's or a
    deputy's page (?station=<code> / ?deputy=<code>), which is then noted on the proposal."""
    congress = Congress.objects.select_related("area").filter(pk=congress_pk).first()
    if congress is None:
        raise NotFound(CoreCode.NOT_FOUND, _("There is nothing at this address."))
    station = (
        station_public_get(code=request.GET["station"]) if request.GET.get("station") else None
    )
    deputy = deputy_public_get(code=request.GET["deputy"]) if request.GET.get("deputy") else None
    window = sel.window_open_for(congress=congress)
    error, status = "", 200
    if request.method == "POST" and window is not None:
        form = CitizenProposalForm(request.POST)
        status = 400
        if not rate_allowed(request, "proposal", settings.LIANLUO_INTAKE_RATE):
            error = _("Too many messages from this device. Please wait a minute and try again.")
            status = 429
        elif form.is_robot:
            # Thanked like anyone, recorded nowhere: a robot learns nothing from the answer.
            return render(request, "projects/collect/proposed.html", {"code": ""})
        elif form.is_valid():
            data = form.cleaned_data
            try:
                item, _created = svc.proposal_submit_citizen(
                    congress=congress,
                    title=data["title"],
                    text=data["text"],
                    place=data["place"],
                    name=data["name"],
                    phone=data["phone"],
                    consent=data["consent"],
                    station=station,
                    deputy=deputy,
                    idempotency_key=data["idempotency_key"] or uuid.uuid4().hex,
                )
            except IdempotencyConflict:
                fresh = request.POST.copy()
                fresh["idempotency_key"] = uuid.uuid4().hex
                form = CitizenProposalForm(fresh)
                error = _(
                    "This form was already used to send a different message, so this one was "
                    "not recorded yet. Everything you typed is still here: check it and send "
                    "it again."
                )
                status = 409
            except DomainError as exc:
                error = str(exc.message)
            else:
                sent = [*request.session.get(SENT, [])[-9:], item.tracking_code]
                request.session[SENT] = sent
                return redirect("projects:proposed", code=item.tracking_code)
        else:
            error = _("Please correct the fields marked below; what you typed is kept.")
    else:
        form = CitizenProposalForm(initial={"idempotency_key": uuid.uuid4().hex})
        if request.method == "POST":  # the window closed while the form was open
            form = CitizenProposalForm(request.POST)
            error, status = (
                _("%(congress)s is not collecting project proposals now.")
                % {"congress": congress.name},
                400,
            )
    context = {
        "congress": congress,
        "window": window,
        "station": station,
        "deputy": deputy,
        "form": form,
        "error": error,
        "text_max_chars": text_max_chars(),
    }
    return render(request, "projects/collect/propose.html", context, status=status)


def proposed(request: HttpRequest, code: str) -> HttpResponse:
    """Thanks, and the tracking code. The device that sent it sees its title; anyone with the
    code sees where it stands (never a name or phone)."""
    item = sel.proposal_by_tracking_code(code=code)
    if item is None:
        raise NotFound(CoreCode.NOT_FOUND, _("No proposal has this tracking code."))
    mine = code in request.session.get(SENT, [])
    return render(
        request, "projects/collect/proposed.html", {"code": code, "item": item, "mine": mine}
    )


# ---- a case becomes a proposal ---------------------------------------------------------------


@login_required
def from_case(request: AuthedRequest, case_pk: int) -> HttpResponse:
    case = case_queryset(viewer=request.user).filter(pk=case_pk).first()
    if case is None:
        raise NotFound(CoreCode.NOT_FOUND, _("Case not found."))
    initial = {"title": case.title, "text": case.text, "place": case.place}
    form = FromCaseForm(request.POST or None, initial=initial)
    error = ""
    try:
        window = svc.from_case_window(actor=request.user, case=case)
    except DomainError as exc:
        window, error = None, str(exc.message)
    if request.method == "POST" and form.is_valid():
        try:
            item = svc.proposal_from_case(actor=request.user, case=case, **form.cleaned_data)
        except DomainError as exc:
            if isinstance(exc, NotFound):
                raise
            form_error(form, exc)
        else:
            messages.success(request, _("The case is now a project proposal."))
            return redirect("projects:proposal", pk=item.pk)
    status = 400 if request.method == "POST" else 200
    context = {"case": case, "form": form, "window": window, "error": error}
    return render(request, "projects/collect/from_case.html", context, status=status)


urlpatterns: list[URLPattern] = [
    path("projects/", home, name="home"),
    path("projects/windows/", windows, name="windows"),
    path("projects/windows/<int:pk>/", window_edit, name="window_edit"),
    path("projects/proposals/", proposals, name="proposals"),
    path("projects/proposals/new/", proposal_new, name="proposal_new"),
    path("projects/proposals/<int:pk>/", proposal, name="proposal"),
    path("projects/proposals/<int:pk>/do/<str:action>/", proposal_act, name="proposal_act"),
    path("projects/proposals/<int:pk>/phone/", proposal_phone, name="proposal_phone"),
    path("projects/pool/", pool, name="pool"),
    path("projects/pool/<int:pk>/", pool_entry, name="pool_entry"),
    path("projects/propose/<int:congress_pk>/", propose, name="propose"),
    path("projects/propose/done/<str:code>/", proposed, name="proposed"),
    path("projects/from-case/<int:case_pk>/", from_case, name="from_case"),
]
