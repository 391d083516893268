"""The ledger's settings (/ledger/settings/): a congress's case categories and decline reasons,
edited by its staff (list, add, edit, deactivate). Each write is one service call in
cases.services.catalogs, which checks the congress and audits."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from lianluo.cases import selectors
from lianluo.cases.models import Category, DeclineReason
from lianluo.cases.services.catalogs import category_save, decline_reason_save
from lianluo.cases.settings_forms import CategoryForm, DeclineReasonForm
from lianluo.core.errors import CoreCode, DomainError, NotFound, form_error
from lianluo.core.http import AuthedRequest
from lianluo.core.models import Congress
from lianluo.stations.selectors import congresses_managed


def _congress(request: AuthedRequest) -> tuple[Congress, list[Congress]]:
    """The congress asked for (`?congress=`) among those the user manages, the first by default;
    a user who manages none gets the 404 page."""
    congresses = list(congresses_managed(viewer=request.user))
    if not congresses:
        raise NotFound(CoreCode.NOT_FOUND, _("Not found."))
    wanted = request.POST.get("congress") or request.GET.get("congress")
    return next((c for c in congresses if str(c.pk) == wanted), congresses[0]), congresses


def _back(congress_id: int) -> str:
    return f"{reverse('cases:settings')}?congress={congress_id}"


@login_required
def settings_index(request: AuthedRequest) -> HttpResponse:
    congress, congresses = _congress(request)
    categories, reasons = selectors.catalog_of(congress=congress)
    return render(
        request,
        "cases/settings_index.html",
        {
            "congress": congress,
            "congresses": congresses,
            "categories": categories,
            "reasons": reasons,
        },
    )


def _edit_page(
    request: AuthedRequest,
    *,
    congress: Congress,
    form: forms.Form,
    save: Callable[[dict[str, Any]], Category | DeclineReason],
    template: str,
    context: dict[str, Any],
) -> HttpResponse:
    """One catalog row's form: shown, or validated and saved (the refusal at its field)."""
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                row = save(dict(form.cleaned_data))
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("Saved: %(name)s.") % {"name": row.name})
                return redirect(_back(congress.pk))
        status = 400
    context = {"form": form, "congress": congress, **context}
    return render(request, template, context, status=status)


def _category_page(
    request: AuthedRequest, congress: Congress, category: Category | None
) -> HttpResponse:
    initial: dict[str, object] = {"active": True}
    if category is not None:
        initial = {f: getattr(category, f) for f in ("code", "name", "name_en", "active")}
        initial["guidance_reason"] = category.guidance_reason_id
    return _edit_page(
        request,
        congress=congress,
        form=CategoryForm(request.POST or None, congress=congress, initial=initial),
        save=lambda changes: category_save(
            actor=request.user, congress=congress, category=category, changes=changes
        ),
        template="cases/settings_category.html",
        context={"category": category},
    )


@login_required
def category_add(request: AuthedRequest) -> HttpResponse:
    congress, _all = _congress(request)
    return _category_page(request, congress, None)


@login_required
def category_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    category = selectors.catalog_category_get(viewer=request.user, pk=pk)
    assert category.congress is not None  # the selector finds only a congress's own
    return _category_page(request, category.congress, category)


def _reason_page(
    request: AuthedRequest, congress: Congress, reason: DeclineReason | None
) -> HttpResponse:
    fields = ("code", "name", "name_en", "guidance", "guidance_en", "active")
    initial = {"active": True} if reason is None else {f: getattr(reason, f) for f in fields}
    return _edit_page(
        request,
        congress=congress,
        form=DeclineReasonForm(request.POST or None, initial=initial),
        save=lambda changes: decline_reason_save(
            actor=request.user, congress=congress, reason=reason, changes=changes
        ),
        template="cases/settings_reason.html",
        context={"reason": reason},
    )


@login_required
def reason_add(request: AuthedRequest) -> HttpResponse:
    congress, _all = _congress(request)
    return _reason_page(request, congress, None)


@login_required
def reason_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    reason = selectors.catalog_reason_get(viewer=request.user, pk=pk)
    assert reason.congress is not None
    return _reason_page(request, reason.congress, reason)
