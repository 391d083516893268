"""The reception record's page: what happened on a day, and the cases taken on the spot
(numbered in the ledger with channel "reception" and linked to the day)."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import BaseFormSet
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianluo.cases.errors import IdempotencyConflict
from lianluo.cases.intake import case_intake
from lianluo.cases.models import Case
from lianluo.cases.reception.forms import (
    OfficialFormSet,
    PastDayForm,
    ReceptionCaseForm,
    RecordForm,
)
from lianluo.cases.reception.selectors import reception_cases_of
from lianluo.cases.reception.services import (
    OfficialIn,
    reception_day_for_record,
    reception_record_save,
)
from lianluo.cases.states import Channel
from lianluo.core.errors import DomainError
from lianluo.core.http import AuthedRequest
from lianluo.core.scope import departments_serving
from lianluo.stations.models import ReceptionDay, ReceptionRecord, ReceptionStatus
from lianluo.stations.selectors import (
    reception_day_get,
    reception_record_of,
    station_deputy_choices,
    station_managed_get,
)


def _record_forms(
    day: ReceptionDay, data: QueryDict | None = None
) -> tuple[ReceptionRecord | None, RecordForm, BaseFormSet, list[Case]]:
    record = reception_record_of(day=day)
    on_duty = [duty.deputy_id for duty in day.duty.all()]
    cases = reception_cases_of(day=day)
    initial: dict[str, Any]
    if record is not None:
        initial = {
            "deputies_present": [d.pk for d in record.deputies_present.all()],
            "citizens_received": record.citizens_received,
            "summary": record.summary,
        }
        officials = [
            {"name": o.name, "title": o.title, "department": o.department_id}
            for o in record.officials.all()
        ]
    else:
        initial = {"deputies_present": on_duty, "citizens_received": 0}
        officials = []
    initial["cases"] = [c.pk for c in cases if c.reception_day_id == day.pk]
    departments = departments_serving(day.station.area.path)  # what the service accepts
    deputies = station_deputy_choices(station=day.station, also=on_duty)
    form = RecordForm(data, deputies=deputies, cases=cases, initial=initial)
    formset = OfficialFormSet(
        data,
        prefix="officials",
        initial=officials,
        form_kwargs={"departments": departments},
    )
    return record, form, formset, cases


@login_required
def record(request: AuthedRequest, pk: int) -> HttpResponse:
    day = reception_day_get(viewer=request.user, pk=pk)
    if request.method == "POST":
        record_obj, form, formset, cases = _record_forms(day, request.POST)
        error = ""
        if form.is_valid() and formset.is_valid():
            data = form.cleaned_data
            officials = [
                OfficialIn(
                    name=f.cleaned_data.get("name", ""),
                    title=f.cleaned_data.get("title", ""),
                    department=f.cleaned_data.get("department"),
                )
                for f in formset
                if f.cleaned_data.get("name")
            ]
            try:
                reception_record_save(
                    actor=request.user,
                    day=day,
                    deputies_present=list(data["deputies_present"]),
                    citizens_received=data["citizens_received"],
                    summary=data["summary"],
                    officials=officials,
                    case_ids=data["cases"],
                )
            except DomainError as exc:
                error = str(exc.message)
            else:
                messages.success(request, _("Reception record saved."))
                return redirect("stations:record", pk=day.pk)
        else:
            error = _("Please correct the fields marked below.")
        return render(
            request,
            "stations/record.html",
            _record_context(day, record_obj, form, formset, error=error),
            status=400,
        )
    record_obj, form, formset, cases = _record_forms(day)
    return render(request, "stations/record.html", _record_context(day, record_obj, form, formset))


def _record_context(
    day: ReceptionDay,
    record_obj: ReceptionRecord | None,
    form: RecordForm,
    formset: BaseFormSet,
    *,
    error: str = "",
    case_form: ReceptionCaseForm | None = None,
) -> dict[str, Any]:
    return {
        "day": day,
        "record": record_obj,
        "form": form,
        "formset": formset,
        "error": error,
        "can_record": day.date <= timezone.localdate() and day.status != ReceptionStatus.CANCELLED,
        "case_form": case_form or ReceptionCaseForm(initial={"idempotency_key": uuid.uuid4().hex}),
    }


@login_required
@require_POST
def record_case(request: AuthedRequest, pk: int) -> HttpResponse:
    """A case taken on the spot: numbered in the ledger with channel "reception" and linked
    to this day."""
    day = reception_day_get(viewer=request.user, pk=pk)
    form = ReceptionCaseForm(request.POST)
    open_for_record = day.status != ReceptionStatus.CANCELLED and day.date <= timezone.localdate()
    conflict = False
    if form.is_valid() and open_for_record:
        try:
            case, _created = case_intake(
                form=form,
                station=day.station,
                channel=Channel.RECEPTION,
                actor=request.user,
                reception_day=day,
            )
        except IdempotencyConflict:
            # This form's key already recorded another case: keep what was typed, new key.
            retyped = request.POST.copy()
            retyped["idempotency_key"] = uuid.uuid4().hex
            form, conflict = ReceptionCaseForm(retyped), True
        else:
            messages.success(
                request, _("Case %(number)s recorded at this reception.") % {"number": case.number}
            )
            return redirect("stations:record", pk=day.pk)
    record_obj, rform, formset, _cases = _record_forms(day)
    error = _("Please correct the fields marked below.")
    if conflict:
        error = _(
            "This form was already used to send a different message, so this one was not "
            "recorded yet. Everything you typed is still here: check it and send it again."
        )
    elif day.status == ReceptionStatus.CANCELLED:
        error = _("This day is cancelled.")
    elif day.date > timezone.localdate():
        error = _("A record can be written on or after the day itself.")
    return render(
        request,
        "stations/record.html",
        _record_context(day, record_obj, rform, formset, error=error, case_form=form),
        status=409 if conflict else 400,
    )


@login_required
@require_POST
def record_past(request: AuthedRequest, code: str) -> HttpResponse:
    """A reception held on a past day within the window: its day (made if none was scheduled)
    opens for its record."""
    station = station_managed_get(viewer=request.user, code=code)
    form = PastDayForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a valid date."))
        return redirect("stations:reception", code=station.code)
    try:
        day = reception_day_for_record(
            actor=request.user, station=station, on=form.cleaned_data["date"]
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("stations:reception", code=station.code)
    return redirect("stations:record", pk=day.pk)
