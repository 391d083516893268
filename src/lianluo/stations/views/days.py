"""The officer's page of one reception day: who is on duty, publication, cancellation."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianluo.core.errors import DomainError, flash_outcome
from lianluo.core.http import AuthedRequest
from lianluo.stations.forms import CancelForm, DeputiesForm
from lianluo.stations.models import ReceptionDay, ReceptionStatus
from lianluo.stations.selectors import reception_day_get, station_deputy_choices, unavailable_on
from lianluo.stations.services import (
    publish_refusal,
    reception_day_cancel,
    reception_day_set_deputies,
    reception_days_publish,
)


@login_required
def day_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    day = reception_day_get(viewer=request.user, pk=pk)
    return render(request, "stations/day.html", _day_context(day))


def _deputies_form(day: ReceptionDay, data: QueryDict | None = None) -> DeputiesForm:
    """Who is on duty: the station's deputies, those unavailable that day marked."""
    members = station_deputy_choices(station=day.station)
    return DeputiesForm(
        data,
        deputies=members,
        unavailable=unavailable_on(deputies=list(members), day=day.date),
        initial={"deputies": [duty.deputy_id for duty in day.duty.all()]},
    )


def _day_context(
    day: ReceptionDay, *, form: DeputiesForm | None = None, error: str = ""
) -> dict[str, Any]:
    if form is None:
        form = _deputies_form(day)
    today = timezone.localdate()
    return {
        "day": day,
        "form": form,
        "cancel_form": CancelForm(),
        "refusal": publish_refusal(day, today=today),
        "is_past": day.date < today,
        "can_record": day.date <= today and day.status != ReceptionStatus.CANCELLED,
        "error": error,
    }


@login_required
@require_POST
def day_deputies(request: AuthedRequest, pk: int) -> HttpResponse:
    day = reception_day_get(viewer=request.user, pk=pk)
    form = _deputies_form(day, request.POST)
    error = ""
    if form.is_valid():
        try:
            reception_day_set_deputies(
                actor=request.user, day=day, deputies=list(form.cleaned_data["deputies"])
            )
        except DomainError as exc:
            error = str(exc.message)
        else:
            messages.success(request, _("Deputies on duty saved."))
            return redirect("stations:day", pk=day.pk)
    else:
        error = _("Please correct the fields marked below.")
    return render(
        request, "stations/day.html", _day_context(day, form=form, error=error), status=400
    )


@login_required
@require_POST
def day_publish(request: AuthedRequest, pk: int) -> HttpResponse:
    day = reception_day_get(viewer=request.user, pk=pk)
    result = reception_days_publish(actor=request.user, days=[day])
    if result.published:
        messages.success(request, _("Reception day published."))
    for _refused, reason in result.refused:
        messages.error(request, _("Not published: %(reason)s") % {"reason": reason})
    return redirect("stations:day", pk=day.pk)


@login_required
@require_POST
def day_cancel(request: AuthedRequest, pk: int) -> HttpResponse:
    day = reception_day_get(viewer=request.user, pk=pk)
    form = CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    flash_outcome(
        request,
        lambda: reception_day_cancel(actor=request.user, day=day, reason=reason),
        done=_("Reception day cancelled."),
    )
    return redirect("stations:day", pk=day.pk)
