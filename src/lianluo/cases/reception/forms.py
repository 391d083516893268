"""Forms of the reception record: who came, the officials who joined, the cases taken at it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lianluo.cases.forms import CaseMessageForm
from lianluo.core.models import Department
from lianluo.core.widgets import DateInput
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


class ReceptionCaseForm(CaseMessageForm):
    """A case taken on the spot at a reception (channel: reception): the citizen's message form
    (cases.forms.CaseMessageForm, the same limits and checks) with the officer's labels."""

    text_required = _("Describe what the citizen raised.")

    text = forms.CharField(
        label=_("What the citizen raised"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Describe what the citizen raised.")},
    )
    name = forms.CharField(label=_("Citizen's name (optional)"), max_length=50, required=False)


class PastDayForm(forms.Form):
    """The day of a reception held in the past (within LIANLUO_RECORD_PAST_DAYS)."""

    date = forms.DateField(label=_("Date"), widget=DateInput())
