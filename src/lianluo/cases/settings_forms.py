"""The forms of the catalogs' settings pages (cases.settings_views): what staff may change of a
category or a decline reason. The rules (unique code, guidance required) are the services'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lianluo.cases.models import DeclineReason
from lianluo.core.models import Congress


class CategoryForm(forms.Form):
    code = forms.SlugField(
        label=_("Code"), max_length=40, help_text=_("Letters, digits and hyphens, e.g. roads.")
    )
    name = forms.CharField(label=_("Name"), max_length=50)
    name_en = forms.CharField(label=_("English name"), max_length=50, required=False)
    guidance_reason = forms.ModelChoiceField(
        label=_("Guidance shown to the citizen"),
        queryset=DeclineReason.objects.none(),
        required=False,
        help_text=_(
            "For a matter the station does not take (涉法涉诉, 信访): the citizen's form shows "
            "this reason's guidance as soon as the category is chosen."
        ),
    )
    active = forms.BooleanField(label=_("Offered"), required=False, initial=True)

    def __init__(self, *args: Any, congress: Congress, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        field = self.fields["guidance_reason"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = DeclineReason.objects.filter(congress=congress).order_by("code")


class DeclineReasonForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Reason"), max_length=100)
    name_en = forms.CharField(label=_("English reason"), max_length=100, required=False)
    guidance = forms.CharField(
        label=_("Guidance for the citizen"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Where to go instead, e.g. 请向人民法院提出."),
    )
    guidance_en = forms.CharField(
        label=_("English guidance"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    active = forms.BooleanField(label=_("Offered"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
