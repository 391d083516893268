"""A deputy's duty page: their coming duties, sign-up days, and the periods they are away."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianluo.core.errors import DomainError, NotFound, form_error
from lianluo.core.http import AuthedRequest
from lianluo.deputies.models import Deputy
from lianluo.stations.forms import UnavailabilityForm
from lianluo.stations.selectors import (
    deputy_of,
    duties_upcoming,
    reception_day_lookup,
    signup_days_for,
    unavailability_get,
    unavailability_of,
)
from lianluo.stations.services import (
    duty_signup,
    duty_withdraw,
    unavailability_declare,
    unavailability_withdraw,
)


@login_required
def my_duties(request: AuthedRequest) -> HttpResponse:
    deputy = deputy_of(user=request.user)
    if deputy is None:
        raise Http404(_("This page is for deputies."))
    return render(request, "stations/my_duties.html", _duties_context(request, deputy))


def _duties_context(
    request: AuthedRequest, deputy: Deputy, *, away_form: UnavailabilityForm | None = None
) -> dict[str, Any]:
    rows = []
    for day in signup_days_for(deputy=deputy):
        taken = [duty.deputy_id for duty in day.duty.all()]
        rows.append(
            {
                "day": day,
                "mine": deputy.pk in taken,
                "count": len(taken),
                "capacity": day.rule.deputies_per_day if day.rule else 0,
            }
        )
    return {
        "deputy": deputy,
        "duties": duties_upcoming(deputy=deputy),
        "signup": rows,
        "away": unavailability_of(deputy=deputy),
        "away_form": away_form or UnavailabilityForm(),
        "ics_url": request.build_absolute_uri(
            reverse("stations:deputy_ics", kwargs={"code": deputy.code})
        ),
    }


@login_required
@require_POST
def away_declare(request: AuthedRequest) -> HttpResponse:
    deputy = deputy_of(user=request.user)
    if deputy is None:
        raise Http404
    form = UnavailabilityForm(request.POST)
    if form.is_valid():
        try:
            _row, clashes = unavailability_declare(
                actor=request.user,
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Saved: you will not be put on duty in that period."))
            if clashes:
                messages.warning(
                    request,
                    _("You are already on duty on %(days)s: the liaison officer has been told.")
                    % {"days": "、".join(d.date.isoformat() for d in clashes)},
                )
            return redirect("stations:my_duties")
    context = _duties_context(request, deputy, away_form=form)
    return render(request, "stations/my_duties.html", context, status=400)


@login_required
@require_POST
def away_withdraw(request: AuthedRequest, pk: int) -> HttpResponse:
    unavailability_withdraw(actor=request.user, row=unavailability_get(pk=pk))
    messages.success(request, _("Removed."))
    return redirect("stations:my_duties")


@login_required
@require_POST
def signup(request: AuthedRequest, pk: int) -> HttpResponse:
    day = reception_day_lookup(pk=pk)
    try:
        _duty, created = duty_signup(actor=request.user, day=day)
    except NotFound:
        raise  # not a day of the deputy's stations: the 404 page
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request,
            _("You are on duty on %(day)s.") % {"day": day.date.isoformat()}
            if created
            else _("You were already signed up."),
        )
    return redirect("stations:my_duties")


@login_required
@require_POST
def withdraw(request: AuthedRequest, pk: int) -> HttpResponse:
    day = reception_day_lookup(pk=pk)
    try:
        duty_withdraw(actor=request.user, day=day)
    except NotFound:
        raise  # not a day of the deputy's stations: the 404 page
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Your sign-up is withdrawn."))
    return redirect("stations:my_duties")
