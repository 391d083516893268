"""The officer's reception page of a station: its rules, generation and publication."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianluo.core.errors import DomainError, NotFound, form_error
from lianluo.core.http import AuthedRequest
from lianluo.stations.forms import WEEKDAY_CHOICES, GenerateForm, RuleForm, coming_quarter
from lianluo.stations.models import ReceptionRule, ReceptionStatus, RuleKind, Station
from lianluo.stations.selectors import (
    congresses_managed,
    deputy_of,
    deputy_station_has,
    reception_days_of,
    reception_days_to_publish,
    reception_days_to_record,
    reception_rule_get,
    reception_rules_of,
    station_managed_get,
    station_tree,
    stations_managed,
)
from lianluo.stations.services import (
    publish_refusal,
    reception_days_generate,
    reception_days_publish,
    reception_rule_save,
    reception_rule_set_active,
)


def rule_text(rule: ReceptionRule) -> str:
    """How a rule reads to a person: "Days 6, 16, 26 of each month, 09:00–12:00"."""
    values = rule.values or []
    if rule.kind == RuleKind.MONTH_DAYS:
        what = _("Days %(days)s of each month") % {"days": ", ".join(str(v) for v in values)}
    elif rule.kind == RuleKind.WEEKDAYS:
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
def reception_index(request: AuthedRequest) -> HttpResponse:
    """The entry: stations the user runs, and for a deputy their duties."""
    stations = station_tree(list(stations_managed(viewer=request.user)))
    if (
        len(stations) == 1
        and deputy_of(user=request.user) is None
        and not congresses_managed(viewer=request.user).exists()
    ):
        return redirect("stations:reception", code=stations[0][0].code)
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
def reception(request: AuthedRequest, code: str) -> HttpResponse:
    try:
        station = station_managed_get(viewer=request.user, code=code)
    except NotFound:
        if deputy_station_has(user=request.user, code=code):
            return redirect("stations:my_duties")  # a deputy's own station: their duty page
        raise
    return render(request, "stations/reception.html", _reception_context(request, station))


def _reception_context(request: AuthedRequest, station: Station, **extra: Any) -> dict[str, Any]:
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


def _save_rule(
    request: AuthedRequest, station: Station, rule: ReceptionRule | None = None
) -> HttpResponse:
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
            if exc.field == "values":  # the field of the kind chosen holds the values
                exc.field = form.value_field()
            form_error(form, exc)
        else:
            messages.success(request, _("Rule saved."))
            return redirect("stations:reception", code=station.code)
    template = "stations/rule.html"
    return render(request, template, {"station": station, "form": form, "rule": rule}, status=400)


@login_required
def rule_new(request: AuthedRequest, code: str) -> HttpResponse:
    station = station_managed_get(viewer=request.user, code=code)
    if request.method == "POST":
        return _save_rule(request, station)
    form = RuleForm(initial={"start": "09:00", "end": "12:00"})
    return render(request, "stations/rule.html", {"station": station, "form": form})


@login_required
def rule_edit(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    station = station_managed_get(viewer=request.user, code=code)
    rule = reception_rule_get(station=station, pk=pk)
    if request.method == "POST":
        return _save_rule(request, station, rule)
    form = RuleForm(initial=RuleForm.initial_for(rule))
    return render(request, "stations/rule.html", {"station": station, "form": form, "rule": rule})


@login_required
@require_POST
def rule_active(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    station = station_managed_get(viewer=request.user, code=code)
    rule = reception_rule_get(station=station, pk=pk)
    active = request.POST.get("active") == "1"
    reception_rule_set_active(actor=request.user, rule=rule, active=active)
    messages.success(request, _("Rule activated.") if active else _("Rule deactivated."))
    return redirect("stations:reception", code=station.code)


@login_required
@require_POST
def generate(request: AuthedRequest, code: str) -> HttpResponse:
    station = station_managed_get(viewer=request.user, code=code)
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
            form_error(form, exc)
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
def publish(request: AuthedRequest, code: str) -> HttpResponse:
    station = station_managed_get(viewer=request.user, code=code)
    days = reception_days_to_publish(
        station=station,
        ids=[int(i) for i in request.POST.getlist("day") if i.isdigit()],
        all_drafts=bool(request.POST.get("all_drafts")),
    )
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
