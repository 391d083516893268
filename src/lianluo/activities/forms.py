"""Forms of the activity pages (validation only; the services decide)."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from lianluo.activities.models import ActivityType, MonthlyTheme
from lianluo.cases.forms import MultipleImageField
from lianluo.core.text import text_check_length
from lianluo.deputies.models import Deputy
from lianluo.stations.models import Station
from lianluo.suggestions.models import Suggestion

_LOCAL = "%Y-%m-%dT%H:%M"


class LocalDateTimeInput(forms.DateTimeInput):
    """The phone's own date-and-time picker."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=_LOCAL)


class ActivityForm(forms.Form):
    type = forms.ChoiceField(label=_("Type"), choices=ActivityType.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    theme = forms.ModelChoiceField(
        label=_("Theme of the month"),
        queryset=MonthlyTheme.objects.none(),
        required=False,
        empty_label=_("— none —"),
    )
    place = forms.CharField(label=_("Place"), max_length=200)
    start = forms.DateTimeField(
        label=_("Starts"), widget=LocalDateTimeInput(), input_formats=[_LOCAL, "%Y-%m-%d %H:%M"]
    )
    end = forms.DateTimeField(
        label=_("Ends"), widget=LocalDateTimeInput(), input_formats=[_LOCAL, "%Y-%m-%d %H:%M"]
    )
    capacity = forms.IntegerField(
        label=_("Places"),
        min_value=1,
        required=False,
        help_text=_("Leave empty for no limit."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, station: Station, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        field = self.fields["theme"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = MonthlyTheme.objects.filter(station=station).order_by("-month")

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if isinstance(start, datetime) and isinstance(end, datetime) and end < start:
            self.add_error("end", _("The end comes before the start."))
        return data


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m")


class ThemeForm(forms.Form):
    month = forms.DateField(label=_("Month"), widget=MonthInput(), input_formats=["%Y-%m"])
    title = forms.CharField(label=_("Theme"), max_length=100)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class DeputyChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Deputy) -> str:  # type: ignore[override]
        return obj.name


def _deputy_name(obj: Deputy) -> str:
    return obj.name


class RecordForm(forms.Form):
    """Afterwards: attendance, summary, photos, and the suggestions the activity produced."""

    attended = DeputyChoiceField(
        label=_("Present"),
        queryset=Deputy.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # The same limit as a citizen's message, never a `maxlength` that cuts a pasted summary.
    summary = forms.CharField(
        label=_("Summary"), widget=forms.Textarea(attrs={"rows": 5}), validators=[text_check_length]
    )
    photos = MultipleImageField(label=_("Photos"))
    suggestions = forms.ModelMultipleChoiceField(
        label=_("Suggestions it produced (already filed)"),
        queryset=Suggestion.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    new_title = forms.CharField(label=_("New suggestion: title"), max_length=200, required=False)
    new_text = forms.CharField(
        label=_("New suggestion: text"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    new_deputy = forms.ModelChoiceField(
        label=_("New suggestion: deputy"),
        queryset=Deputy.objects.none(),
        required=False,
        empty_label=_("— none —"),
    )

    def __init__(self, *args, station: Station, deputies: list[Deputy], **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        ids = [d.pk for d in deputies]
        people = Deputy.objects.filter(pk__in=ids).order_by("code")
        for name in ("attended", "new_deputy"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = people
        new_deputy = self.fields["new_deputy"]
        assert isinstance(new_deputy, forms.ModelChoiceField)
        new_deputy.label_from_instance = _deputy_name  # type: ignore[method-assign]
        suggestions = self.fields["suggestions"]
        assert isinstance(suggestions, forms.ModelChoiceField)
        suggestions.queryset = Suggestion.objects.filter(
            congress=station.congress_id, deputy__in=ids
        ).order_by("-created_at")

    def clean(self):
        data = super().clean()
        title, text = data.get("new_title", "").strip(), data.get("new_text", "").strip()
        if bool(title) != bool(text):
            self.add_error(
                "new_text" if title else "new_title",
                _("A new suggestion needs a title and a text."),
            )
        return data
