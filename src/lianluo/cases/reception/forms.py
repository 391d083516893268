"""Forms of the reception record: who came, the officials who joined, the cases taken at it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lianluo.core.models import Department
from lianluo.core.text import is_valid_phone, normalize_phone, text_check_length
from lianluo.stations.forms import deputies_field, deputies_offer


class RecordForm(forms.Form):
    deputies_present = deputies_field(_("Deputies present"))
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
        deputies_offer(self.fields["deputies_present"], deputies, lambda d: d.name)
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
