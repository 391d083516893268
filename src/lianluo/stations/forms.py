"""Forms of the reception pages: rules, generation, the roster, holidays, unavailability.
The reception record's forms are in lianluo.cases.reception.forms."""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import date
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lianluo.core.models import Congress
from lianluo.core.widgets import DateInput
from lianluo.deputies.models import Deputy
from lianluo.stations.models import Assignment, RuleKind

WEEKDAY_CHOICES = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class RuleForm(forms.Form):
    """A reception rule; `values` is read from the field that matches the kind."""

    kind = forms.ChoiceField(label=_("Kind"), choices=RuleKind.choices)
    month_days = forms.CharField(
        label=_("Days of the month"),
        required=False,
        help_text=_(
            "E.g. 6, 16, 26 (逢6) or 15. A day a month does not have (the 31st in November, "
            "the 29th–31st in February) is skipped, not moved."
        ),
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Weekdays"),
        choices=WEEKDAY_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    market_days = forms.CharField(
        label=_("Market days"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Dates such as 2026-12-03, separated by commas or new lines."),
    )
    # Times of day, not dates: their own context, so "From"/"Until" elsewhere keep 起始/截止日期.
    start = forms.TimeField(label=pgettext_lazy("reception rule", "Start time"), widget=TimeInput)
    end = forms.TimeField(label=pgettext_lazy("reception rule", "End time"), widget=TimeInput)
    deputies_per_day = forms.IntegerField(
        label=_("Deputies on duty per day"), min_value=1, max_value=20, initial=2
    )
    assignment = forms.ChoiceField(
        label=_("Who is on duty"), choices=Assignment.choices, initial=Assignment.ROTATION
    )
    valid_from = forms.DateField(label=_("Valid from"), required=False, widget=DateInput)
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=DateInput)

    VALUE_FIELDS = {
        RuleKind.MONTH_DAYS: "month_days",
        RuleKind.WEEKDAYS: "weekdays",
        RuleKind.MARKET_DAYS: "market_days",
    }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    @classmethod
    def initial_for(cls, rule) -> dict:
        initial = {
            "kind": rule.kind,
            "start": rule.start,
            "end": rule.end,
            "deputies_per_day": rule.deputies_per_day,
            "assignment": rule.assignment,
            "valid_from": rule.valid_from,
            "valid_until": rule.valid_until,
        }
        if rule.kind == RuleKind.MONTH_DAYS:
            initial["month_days"] = ", ".join(str(v) for v in rule.values)
        elif rule.kind == RuleKind.WEEKDAYS:
            initial["weekdays"] = list(rule.values)
        else:
            initial["market_days"] = "\n".join(str(v) for v in rule.values)
        return initial

    def values(self) -> list:
        kind = self.cleaned_data["kind"]
        raw = self.cleaned_data.get(self.VALUE_FIELDS[RuleKind(kind)])
        if kind == RuleKind.WEEKDAYS:
            return list(raw or [])
        return [raw or ""]

    def value_field(self) -> str:
        return self.VALUE_FIELDS[RuleKind(self.cleaned_data.get("kind") or RuleKind.MONTH_DAYS)]


def coming_quarter(today: date) -> tuple[date, date]:
    """The calendar quarter after today's (the usual period of a 值班预告)."""
    year, month = today.year, 3 * ((today.month - 1) // 3 + 1) + 1
    if month > 12:
        year, month = year + 1, 1
    last_month = month + 2
    return date(year, month, 1), date(year, last_month, calendar.monthrange(year, last_month)[1])


class GenerateForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DateInput)
    end = forms.DateField(label=_("Until"), widget=DateInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


def deputies_field(label: str | Promise) -> forms.ModelMultipleChoiceField:
    """Deputies as check boxes; the form sets them with `deputies_offer` (the station's, or
    those on duty too)."""
    return forms.ModelMultipleChoiceField(
        label=label, queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )


def deputies_offer(
    field: forms.Field, deputies: QuerySet[Deputy], label: Callable[[Deputy], str]
) -> None:
    """Offer those deputies in a `deputies_field`, each shown as `label` says."""
    assert isinstance(field, forms.ModelMultipleChoiceField)
    field.queryset = deputies
    field.label_from_instance = label  # type: ignore[method-assign,assignment]


class DeputiesForm(forms.Form):
    deputies = deputies_field(_("Choose the deputies of the station"))

    def __init__(
        self,
        *args: Any,
        deputies: QuerySet[Deputy],
        unavailable: set[int] | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        busy = _(" (not available)")
        away = unavailable or set()
        deputies_offer(
            self.fields["deputies"], deputies, lambda d: f"{d.name}{busy if d.pk in away else ''}"
        )


class HolidayForm(forms.Form):
    congress: forms.ModelChoiceField[Congress] = forms.ModelChoiceField(
        label=_("Congress"), queryset=None
    )
    date = forms.DateField(label=_("Date"), widget=DateInput)
    name = forms.CharField(label=_("Name of the holiday"), max_length=50)
    workday = forms.BooleanField(
        label=_("Make-up workday"),
        required=False,
        help_text=_("A working day even on a weekend, instead of a day off."),
    )

    def __init__(self, *args, congresses, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["congress"].queryset = congresses
        self.fields["congress"].empty_label = None
        # The user's own congress first (the highest area they cover).
        self.fields["congress"].initial = congresses.first()


class UnavailabilityForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DateInput)
    end = forms.DateField(label=_("Until"), widget=DateInput)
    reason = forms.CharField(label=_("Reason (optional)"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        kwargs.setdefault("prefix", "away")
        super().__init__(*args, **kwargs)
