"""The page of a matter recorded in the field or at a desk (`/ledger/record/`): mobile first, for
a deputy on the phone (linked from /me/), a liaison officer, congress staff."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from lianluo.cases.errors import CaseCode, IdempotencyConflict
from lianluo.cases.record import (
    FieldRecordForm,
    case_record,
    record_station_default,
    record_stations,
)
from lianluo.cases.selectors import case_get
from lianluo.cases.services.record import record_past_days
from lianluo.core.errors import DomainError, Forbidden, form_error
from lianluo.core.http import AuthedRequest
from lianluo.deputies.models import Deputy
from lianluo.deputies.selectors import deputy_for_user


def _form(request: AuthedRequest, data: Any = None, files: Any = None) -> FieldRecordForm:
    stations = list(record_stations(user=request.user))
    if not stations:
        raise Forbidden(CaseCode.NOT_ALLOWED, _("You may not record matters at any station."))
    # A deputy records for themselves: the deputy choice is for staff, among the stations' own.
    own = deputy_for_user(request.user)
    deputies = (
        []
        if own is not None
        else list(
            Deputy.objects.filter(memberships__station__in=stations).distinct().order_by("code")
        )
    )
    default = record_station_default(user=request.user)
    initial = {
        "station": default.code if default is not None else "",
        "occurred_on": timezone.localdate(),
        "idempotency_key": uuid.uuid4().hex,
    }
    form = FieldRecordForm(data, files, stations=stations, deputies=deputies, initial=initial)
    if own is not None:
        del form.fields["deputy"]
    return form


@login_required
def record(request: AuthedRequest) -> HttpResponse:
    """GET: the form; POST: the matter becomes a numbered case, credited to the deputy."""
    form = _form(request, request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        try:
            case, _created = case_record(
                actor=request.user,
                form=form,
                station_code=request.POST.get("station", ""),
                deputy_code=request.POST.get("deputy") or None,
            )
        except IdempotencyConflict as exc:
            form_error(form, exc)
            status = 409
        except DomainError as exc:
            # The API names the date `occurred_at`, the page's field is the day.
            exc.field = "occurred_on" if exc.field == "occurred_at" else exc.field
            if exc.field not in form.errors:  # an invalid form shows its own errors already
                form_error(form, exc)
            status = exc.status if exc.status == 403 else 400
        else:
            return redirect("cases:record_done", number=case.number)
    return render(
        request,
        "cases/record.html",
        {"form": form, "past_days": record_past_days()},
        status=status,
    )


@login_required
def record_done(request: AuthedRequest, number: str) -> HttpResponse:
    """After a record: its ledger number, a link to it and to record another."""
    case = case_get(viewer=request.user, number=number)
    return render(request, "cases/record_done.html", {"case": case})
