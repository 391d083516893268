"""Forms of the reception pages: rules, generation, the roster, records."""

from __future__ import annotations

import calendar
from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from lianluo.core.models import Department
from lianluo.core.text import is_valid_phone, normalize_phone, text_check_length
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


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


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
    start = forms.TimeField(label=_("From"), widget=TimeInput)
    end = forms.TimeField(label=_("Until"), widget=TimeInput)
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


class DeputiesForm(forms.Form):
    deputies = forms.ModelMultipleChoiceField(
        label=_("Choose the deputies of the station"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, deputies, unavailable: set[int] | None = None, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        field = self.fields["deputies"]
        field.queryset = deputies
        unavailable = unavailable or set()
        busy = _(" (not available)")
        field.label_from_instance = lambda d: f"{d.name}{busy if d.pk in unavailable else ''}"


class RecordForm(forms.Form):
    deputies_present = forms.ModelMultipleChoiceField(
        label=_("Deputies present"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    citizens_received = forms.IntegerField(label=_("Citizens received"), min_value=0, initial=0)
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    cases = forms.TypedMultipleChoiceField(
        label=_("Cases taken at this reception"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, deputies, cases, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["deputies_present"].queryset = deputies
        self.fields["deputies_present"].label_from_instance = lambda d: d.name
        self.fields["cases"].choices = [(c.pk, f"{c.number} {c.display_title}") for c in cases]


class OfficialForm(forms.Form):
    name = forms.CharField(label=_("Official's name"), max_length=50, required=False)
    title = forms.CharField(label=_("Post"), max_length=100, required=False)
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False
    )

    def __init__(self, *args, departments=None, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        if departments is not None:
            self.fields["department"].queryset = departments

    def clean(self):
        data = super().clean()
        if (data.get("title") or data.get("department")) and not data.get("name"):
            self.add_error("name", _("Give the official's name."))
        return data


OfficialFormSet = forms.formset_factory(OfficialForm, extra=2, max_num=20)


class ReceptionCaseForm(forms.Form):
    """A case taken on the spot at a reception (channel: reception)."""

    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    text = forms.CharField(
        label=_("What the citizen raised"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Describe what the citizen raised.")},
    )
    name = forms.CharField(label=_("Citizen's name (optional)"), max_length=50, required=False)
    phone = forms.CharField(label=_("Phone (optional)"), max_length=20, required=False)
    idempotency_key = forms.CharField(max_length=64, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].replace("\r\n", "\n").strip()
        if not text:
            raise forms.ValidationError(_("Describe what the citizen raised."))
        text_check_length(text)  # the citizens' limit, never a truncating maxlength
        return text

    def clean_phone(self) -> str:
        phone = normalize_phone(self.cleaned_data.get("phone", ""))
        if phone and not is_valid_phone(phone):
            raise forms.ValidationError(_("Enter a phone number such as 13812345678."))
        return phone


class HolidayForm(forms.Form):
    congress = forms.ModelChoiceField(label=_("Congress"), queryset=None)
    date = forms.DateField(label=_("Date"), widget=DateInput)
    name = forms.CharField(label=_("Name of the holiday"), max_length=50)

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
