"""Forms of the candidates page: the list's record, picking from the pool, a candidate's
particulars, creating the session vote."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lianluo.core.models import Department
from lianluo.core.widgets import DateInput
from lianluo.projects.models import Project
from lianluo.voting.models import Base


class SlateForm(forms.Form):
    approved_by = forms.CharField(
        label=_("approved by"),
        max_length=100,
        help_text=_("The body that approved the list, e.g. the presidium (主席团)."),
    )
    approved_on = forms.DateField(label=_("approved on"), widget=DateInput())
    quota = forms.IntegerField(
        label=_("number of projects to approve"),
        min_value=1,
        max_value=99,
        help_text=_("The list must have more candidates than this (差额)."),
    )


class PickForm(forms.Form):
    projects = forms.MultipleChoiceField(
        label=_("Projects of the reserve pool"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, pool: list[Project], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["projects"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(str(p.pk), p.title) for p in pool]

    def ids(self) -> list[int]:
        return [int(pk) for pk in self.cleaned_data["projects"]]


class CandidateForm(forms.Form):
    title = forms.CharField(label=_("name"), max_length=200)
    content = forms.CharField(label=_("content"), widget=forms.Textarea)
    investment = forms.DecimalField(
        label=_("total investment (10,000 yuan)"),
        max_digits=12,
        decimal_places=2,
        min_value=0,
        required=False,
    )
    expected_effect = forms.CharField(
        label=_("expected effect"), widget=forms.Textarea, required=False
    )
    department = forms.ModelChoiceField(
        label=_("responsible department"), queryset=Department.objects.none(), required=False
    )
    completion = forms.CharField(
        label=_("completion time"),
        max_length=100,
        required=False,
        help_text=_("As the deputies read it, e.g. “by the end of 2027”."),
    )
    completion_due = forms.DateField(
        label=_("to be completed by"),
        required=False,
        widget=DateInput(),
    )
    presentation = forms.CharField(
        label=_("the government's presentation"), widget=forms.Textarea, required=False
    )

    def __init__(self, *args: Any, departments: list[Department], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["department"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Department.objects.filter(pk__in=[d.pk for d in departments]).order_by(
            "name"
        )


class VoteCreateForm(forms.Form):
    title = forms.CharField(
        label=_("title of the vote"),
        max_length=200,
        required=False,
        help_text=_("Leave empty for the usual title."),
    )
    base = forms.ChoiceField(
        label=_("A candidate passes with more than half of"),
        choices=Base.choices,
        initial=Base.ALL,
        widget=forms.RadioSelect,
        help_text=_("地方组织法 Art. 25: all deputies of the congress, unless decided otherwise."),
    )
