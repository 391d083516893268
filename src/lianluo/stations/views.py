"""Reception pages: officers run rules, generation, publication, the roster and records;
deputies sign up for duty; anyone subscribes to a station's or a deputy's calendar."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from lianluo.cases.services import IdempotencyConflict, case_submit
from lianluo.cases.states import Channel
from lianluo.core.errors import DomainError, NotFound
from lianluo.core.scope import departments_serving
from lianluo.deputies.models import Deputy
from lianluo.deputies.selectors import deputy_of_account as deputy_of
from lianluo.deputies.selectors import deputy_public_get
from lianluo.stations import ics
from lianluo.stations.forms import (
    CancelForm,
    DeputiesForm,
    GenerateForm,
    HolidayForm,
    OfficialFormSet,
    ReceptionCaseForm,
    RecordForm,
    RuleForm,
    UnavailabilityForm,
    coming_quarter,
)
from lianluo.stations.models import ReceptionDay, ReceptionStatus, RuleKind
from lianluo.stations.selectors import (
    congresses_managed,
    duties_upcoming,
    holidays_listed,
    reception_day_get,
    reception_days_feed,
    reception_days_of,
    reception_days_to_record,
    reception_record_of,
    reception_rules_of,
    signup_days_for,
    station_deputies,
    station_managed_get,
    station_public_get,
    stations_managed,
    unavailability_of,
    unavailable_on,
)
from lianluo.stations.services import (
    OfficialIn,
    duty_signup,
    duty_withdraw,
    holiday_delete,
    holiday_save,
    publish_refusal,
    reception_day_cancel,
    reception_day_set_deputies,
    reception_days_generate,
    reception_days_publish,
    reception_record_save,
    reception_rule_save,
    reception_rule_set_active,
    unavailability_declare,
    unavailability_withdraw,
)


def _station(request: HttpRequest, code: str):
    try:
        return station_managed_get(viewer=request.user, code=code)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc


def _day(request: HttpRequest, pk: int) -> ReceptionDay:
    try:
        return reception_day_get(viewer=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc


def rule_text(rule) -> str:
    """How a rule reads to a person: "Days 6, 16, 26 of each month, 09:00–12:00"."""
    values = rule.values or []
    if rule.kind == RuleKind.MONTH_DAYS:
        what = _("Days %(days)s of each month") % {"days": ", ".join(str(v) for v in values)}
    elif rule.kind == RuleKind.WEEKDAYS:
        from lianluo.stations.forms import WEEKDAY_CHOICES

        names = dict(WEEKDAY_CHOICES)
        what = _("Every %(days)s") % {"days": ", ".join(str(names[int(v)]) for v in values)}
    else:
        shown = [str(v) for v in values[:3]]
        if len(values) > 4:
            shown.append(f"… {values[-1]}")
        else:
            shown += [str(v) for v in values[3:]]
        what = _("%(count)d market days: %(days)s") % {
            "count": len(values),
            "days": ", ".join(shown),
        }
    return f"{what}, {rule.start:%H:%M}–{rule.end:%H:%M}"


@login_required
def reception_index(request: HttpRequest) -> HttpResponse:
    """The entry: stations the user runs, and for a deputy their duties."""
    stations = list(stations_managed(viewer=request.user))
    if (
        len(stations) == 1
        and deputy_of(user=request.user) is None
        and not congresses_managed(viewer=request.user).exists()
    ):
        return redirect("stations:reception", code=stations[0].code)
    return render(
        request,
        "stations/index.html",
        {
            "stations": stations,
            "deputy": deputy_of(user=request.user),
            "lists_holidays": congresses_managed(viewer=request.user).exists(),
        },
    )


@login_required
def reception(request: HttpRequest, code: str) -> HttpResponse:
    try:
        station = station_managed_get(viewer=request.user, code=code)
    except NotFound as exc:
        deputy = deputy_of(user=request.user)
        if deputy is not None and deputy.stations.filter(code=code).exists():
            return redirect("stations:my_duties")  # a deputy's own station: their duty page
        raise Http404(str(exc.message)) from exc
    return render(request, "stations/reception.html", _reception_context(request, station))


def _reception_context(request: HttpRequest, station, **extra) -> dict:
    today = timezone.localdate()
    start, end = coming_quarter(today)
    days = reception_days_of(station=station, start=today)
    lead = station.congress.publish_lead_days
    context = {
        "station": station,
        "rules": [(r, rule_text(r)) for r in reception_rules_of(station=station)],
        "rule_form": RuleForm(initial={"start": "09:00", "end": "12:00"}),
        "generate_form": GenerateForm(initial={"start": start, "end": end}),
        "days": [(d, publish_refusal(d, today=today)) for d in days],
        "drafts": sum(1 for d in days if d.status == ReceptionStatus.DRAFT),
        "past_days": reception_days_to_record(station=station),
        "lead_days": lead,
        "earliest": today + timedelta(days=lead),
        "ics_url": request.build_absolute_uri(
            reverse("stations:station_ics", kwargs={"code": station.code})
        ),
    }
    context.update(extra)
    return context


def _save_rule(request: HttpRequest, station, rule=None) -> HttpResponse:
    form = RuleForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            reception_rule_save(
                actor=request.user,
                station=station,
                rule=rule,
                kind=data["kind"],
                values=form.values(),
                start=data["start"],
                end=data["end"],
                deputies_per_day=data["deputies_per_day"],
                assignment=data["assignment"],
                valid_from=data["valid_from"],
                valid_until=data["valid_until"],
                active=True if rule is None else rule.active,
            )
        except DomainError as exc:
            field = form.value_field() if exc.field == "values" else exc.field
            form.add_error(field if field in form.fields else None, str(exc.message))
        else:
            messages.success(request, _("Rule saved."))
            return redirect("stations:reception", code=station.code)
    template = "stations/rule.html"
    return render(request, template, {"station": station, "form": form, "rule": rule}, status=400)


@login_required
def rule_new(request: HttpRequest, code: str) -> HttpResponse:
    station = _station(request, code)
    if request.method == "POST":
        return _save_rule(request, station)
    form = RuleForm(initial={"start": "09:00", "end": "12:00"})
    return render(request, "stations/rule.html", {"station": station, "form": form})


@login_required
def rule_edit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    station = _station(request, code)
    rule = station.rules.filter(pk=pk).first()
    if rule is None:
        raise Http404
    if request.method == "POST":
        return _save_rule(request, station, rule)
    form = RuleForm(initial=RuleForm.initial_for(rule))
    return render(request, "stations/rule.html", {"station": station, "form": form, "rule": rule})


@login_required
@require_POST
def rule_active(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    station = _station(request, code)
    rule = station.rules.filter(pk=pk).first()
    if rule is None:
        raise Http404
    active = request.POST.get("active") == "1"
    reception_rule_set_active(actor=request.user, rule=rule, active=active)
    messages.success(request, _("Rule activated.") if active else _("Rule deactivated."))
    return redirect("stations:reception", code=station.code)


@login_required
@require_POST
def generate(request: HttpRequest, code: str) -> HttpResponse:
    station = _station(request, code)
    form = GenerateForm(request.POST)
    if form.is_valid():
        try:
            result = reception_days_generate(
                actor=request.user,
                station=station,
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            messages.success(
                request,
                _(
                    "%(created)d reception days generated as drafts; %(existing)d were "
                    "already there."
                )
                % {"created": len(result.created), "existing": result.existing},
            )
            if result.holidays:
                messages.info(
                    request,
                    _("Skipped holidays: %(days)s.")
                    % {
                        "days": "、".join(
                            f"{d:%Y-%m-%d} {name}" for d, name in sorted(result.holidays.items())
                        )
                    },
                )
            for day in result.short:
                messages.warning(
                    request,
                    _("%(day)s: not enough deputies available; add deputies by hand.")
                    % {"day": day.date.isoformat()},
                )
            return redirect("stations:reception", code=station.code)
    context = _reception_context(request, station, generate_form=form)
    return render(request, "stations/reception.html", context, status=400)


@login_required
@require_POST
def publish(request: HttpRequest, code: str) -> HttpResponse:
    station = _station(request, code)
    ids = [int(i) for i in request.POST.getlist("day") if i.isdigit()]
    qs = station.reception_days.select_related("station__congress", "station__area")
    if request.POST.get("all_drafts"):
        days = list(qs.filter(status=ReceptionStatus.DRAFT, date__gte=timezone.localdate()))
    else:
        days = list(qs.filter(pk__in=ids))
    if not days:
        messages.warning(request, _("Choose the days to publish."))
        return redirect("stations:reception", code=station.code)
    result = reception_days_publish(actor=request.user, days=days)
    if result.published:
        messages.success(
            request, _("%(count)d reception days published.") % {"count": len(result.published)}
        )
    for day, reason in result.refused:
        messages.error(
            request,
            _("Not published: %(day)s — %(reason)s")
            % {"day": day.date.isoformat(), "reason": reason},
        )
    return redirect("stations:reception", code=station.code)


@login_required
def day_detail(request: HttpRequest, pk: int) -> HttpResponse:
    day = _day(request, pk)
    return render(request, "stations/day.html", _day_context(day))


def _day_context(day: ReceptionDay, *, form: DeputiesForm | None = None, error: str = "") -> dict:
    members = station_deputies(station=day.station)
    busy = unavailable_on(deputies=members, day=day.date)
    ids = [m.pk for m in members]
    if form is None:
        form = DeputiesForm(
            deputies=Deputy.objects.filter(pk__in=ids).order_by("code"),
            unavailable=busy,
            initial={"deputies": [duty.deputy_id for duty in day.duty.all()]},
        )
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
def day_deputies(request: HttpRequest, pk: int) -> HttpResponse:
    day = _day(request, pk)
    members = station_deputies(station=day.station)
    form = DeputiesForm(
        request.POST,
        deputies=Deputy.objects.filter(pk__in=[m.pk for m in members]).order_by("code"),
        unavailable=unavailable_on(deputies=members, day=day.date),
    )
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
def day_publish(request: HttpRequest, pk: int) -> HttpResponse:
    day = _day(request, pk)
    result = reception_days_publish(actor=request.user, days=[day])
    if result.published:
        messages.success(request, _("Reception day published."))
    for _refused, reason in result.refused:
        messages.error(request, _("Not published: %(reason)s") % {"reason": reason})
    return redirect("stations:day", pk=day.pk)


@login_required
@require_POST
def day_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    day = _day(request, pk)
    form = CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        reception_day_cancel(actor=request.user, day=day, reason=reason)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Reception day cancelled."))
    return redirect("stations:day", pk=day.pk)


# ---- the reception record ----------------------------------------------------------------


def _record_forms(day: ReceptionDay, data=None):
    record = reception_record_of(day=day)
    members = station_deputies(station=day.station)
    on_duty = [duty.deputy_id for duty in day.duty.all()]
    deputies = Deputy.objects.filter(Q(pk__in=[m.pk for m in members]) | Q(pk__in=on_duty))
    cases = list(
        day.station.cases.filter(Q(created_at__date=day.date) | Q(reception_day=day)).order_by(
            "created_at"
        )
    )
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
    form = RecordForm(
        data, deputies=deputies.distinct().order_by("code"), cases=cases, initial=initial
    )
    formset = OfficialFormSet(
        data,
        prefix="officials",
        initial=officials,
        form_kwargs={"departments": departments},
    )
    return record, form, formset, cases


@login_required
def record(request: HttpRequest, pk: int) -> HttpResponse:
    day = _day(request, pk)
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


def _record_context(day, record_obj, form, formset, *, error="", case_form=None) -> dict:
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
def record_case(request: HttpRequest, pk: int) -> HttpResponse:
    """A case taken on the spot: numbered in the ledger with channel "reception" and linked
    to this day."""
    day = _day(request, pk)
    form = ReceptionCaseForm(request.POST)
    open_for_record = day.status != ReceptionStatus.CANCELLED and day.date <= timezone.localdate()
    conflict = False
    if form.is_valid() and open_for_record:
        data = form.cleaned_data
        try:
            case, _created = case_submit(
                station=day.station,
                channel=Channel.RECEPTION,
                text=data["text"],
                title=data["title"],
                name=data["name"],
                phone=data["phone"],
                idempotency_key=data["idempotency_key"] or None,
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


# ---- deputies: duties and sign-up ---------------------------------------------------------


@login_required
def my_duties(request: HttpRequest) -> HttpResponse:
    deputy = deputy_of(user=request.user)
    if deputy is None:
        raise Http404(_("This page is for deputies."))
    return render(request, "stations/my_duties.html", _duties_context(request, deputy))


def _duties_context(request: HttpRequest, deputy, *, away_form=None) -> dict:
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
def away_declare(request: HttpRequest) -> HttpResponse:
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
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
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
def away_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    from lianluo.deputies.models import Unavailability

    row = Unavailability.objects.filter(pk=pk).first()
    if row is None:
        raise Http404
    try:
        unavailability_withdraw(actor=request.user, row=row)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc
    messages.success(request, _("Removed."))
    return redirect("stations:my_duties")


def _signup_target(request: HttpRequest, pk: int) -> ReceptionDay:
    day = ReceptionDay.objects.filter(pk=pk).first()
    if day is None:
        raise Http404
    return day


@login_required
@require_POST
def signup(request: HttpRequest, pk: int) -> HttpResponse:
    day = _signup_target(request, pk)
    try:
        _duty, created = duty_signup(actor=request.user, day=day)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc
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
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    day = _signup_target(request, pk)
    try:
        duty_withdraw(actor=request.user, day=day)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Your sign-up is withdrawn."))
    return redirect("stations:my_duties")


# ---- public calendar feeds ----------------------------------------------------------------


def ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@cache_control(public=True, max_age=300)
def station_ics(request: HttpRequest, code: str) -> HttpResponse:
    try:
        station = station_public_get(code=code)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc
    body = ics.calendar_bytes(
        name=f"{station.name} 接待日", days=reception_days_feed(station=station)
    )
    return ics_response(body, f"{station.code}.ics")


@cache_control(public=True, max_age=300)
def deputy_ics(request: HttpRequest, code: str) -> HttpResponse:
    try:
        deputy = deputy_public_get(code=code)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc
    body = ics.calendar_bytes(
        name=f"{deputy.name} 代表接待日", days=reception_days_feed(deputy=deputy)
    )
    return ics_response(body, f"{deputy.code}.ics")


# ---- holidays -----------------------------------------------------------------------------


@login_required
def holidays(request: HttpRequest) -> HttpResponse:
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
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
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
def holiday_remove(request: HttpRequest, pk: int) -> HttpResponse:
    from lianluo.core.models import Holiday

    holiday = Holiday.objects.select_related("congress__area").filter(pk=pk).first()
    if holiday is None:
        raise Http404
    try:
        holiday_delete(actor=request.user, holiday=holiday)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc
    messages.success(request, _("Holiday removed."))
    return redirect("stations:holidays")
