"""The dashboard's period form: a preset, or two dates (both inclusive)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lianluo.core.widgets import DateInput
from lianluo.insights.dashboard import PRESETS


class PeriodForm(forms.Form):
    """`period` (a preset) or `from`/`to` (ISO dates); `scope` is an area or station code.
    The dates are checked by insights.selectors.period_from, whose refusal lands at its field."""

    scope = forms.CharField(required=False, widget=forms.HiddenInput)
    period = forms.ChoiceField(label=_("Period"), choices=PRESETS, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword: the field is declared by name.
        self.fields["from"] = forms.CharField(
            label=_("From"), required=False, widget=DateInput(attrs={"max": "2100-12-31"})
        )
        self.fields["to"] = forms.CharField(
            label=_("To (inclusive)"), required=False, widget=DateInput(attrs={"max": "2100-12-31"})
        )
