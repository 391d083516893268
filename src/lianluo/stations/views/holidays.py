"""Congress staff list the holidays of their congresses (generation skips them)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianluo.core.errors import DomainError, form_error
from lianluo.core.http import AuthedRequest
from lianluo.stations.forms import HolidayForm
from lianluo.stations.selectors import congresses_managed, holiday_get, holidays_listed
from lianluo.stations.services import holiday_delete, holiday_save


@login_required
def holidays(request: AuthedRequest) -> HttpResponse:
    """Congress staff list the holidays of their congresses (reception rules skip them)."""
    congresses = congresses_managed(viewer=request.user)
    if not congresses.exists():
        raise Http404
    status = 200
    if request.method == "POST":
        form = HolidayForm(request.POST, congresses=congresses)
        if form.is_valid():
            try:
                holiday_save(
                    actor=request.user,
                    congress=form.cleaned_data["congress"],
                    day=form.cleaned_data["date"],
                    name=form.cleaned_data["name"],
                    workday=form.cleaned_data["workday"],
                )
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("Holiday saved."))
                return redirect("stations:holidays")
        status = 400
    else:
        form = HolidayForm(congresses=congresses)
    listed = holidays_listed(congresses=congresses, since=timezone.localdate())
    return render(
        request, "stations/holidays.html", {"form": form, "holidays": listed}, status=status
    )


@login_required
@require_POST
def holiday_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    holiday_delete(actor=request.user, holiday=holiday_get(pk=pk))
    messages.success(request, _("Holiday removed."))
    return redirect("stations:holidays")
