"""The forms of one project's staff page (plan, progress, group, cadence, evaluation) and of
the satisfaction vote. Each validates input only; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianluo.core.models import Department
from lianluo.core.scope import on_line_q
from lianluo.core.widgets import DateInput
from lianluo.deputies.models import Deputy, Mandate
from lianluo.projects.models import Cadence, Member, MemberStatus, Plan, Project


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern); the service checks each."""

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


def _today() -> Any:
    return timezone.localdate()


class PlanForm(forms.Form):
    department = forms.ModelChoiceField(
        label=_("Responsible department"), queryset=Department.objects.none()
    )
    team = forms.CharField(label=_("Project team"), required=False, widget=forms.Textarea)
    budget = forms.DecimalField(label=_("Budget (10,000 yuan)"), min_value=0, decimal_places=2)
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput)
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput)

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["department"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Department.objects.filter(
            on_line_q(project.congress.area.path), active=True
        ).order_by("code")
        # Editing a plan starts from the plan as saved (else the candidate's department).
        plan = Plan.objects.filter(project=project).first()
        if plan is not None:
            self.initial.update(
                department=plan.department_id,
                team=plan.team,
                budget=plan.budget,
                starts_on=plan.starts_on,
                ends_on=plan.ends_on,
            )
        elif project.department_id:
            self.initial.setdefault("department", project.department_id)


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=200)
    due_on = forms.DateField(label=_("Due on"), widget=DateInput)


class MilestoneDoneForm(forms.Form):
    milestone = forms.IntegerField(widget=forms.HiddenInput)
    done_on = forms.DateField(label=_("Done on"), widget=DateInput, initial=_today)


class ProgressForm(forms.Form):
    reported_on = forms.DateField(label=_("As of"), widget=DateInput, initial=_today)
    percent = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    spent = forms.DecimalField(
        label=_("Spent so far (10,000 yuan)"), min_value=0, decimal_places=2, required=False
    )
    text = forms.CharField(label=_("What was done"), widget=forms.Textarea)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        help_text=_("Required when the progress is lower than in the last report."),
    )
    photos = MultipleFileField(
        label=_("Photos"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )


class CompletionForm(forms.Form):
    completed_on = forms.DateField(label=_("Completed on"), widget=DateInput, initial=_today)
    report = forms.CharField(
        label=_("The government's report on completion"), widget=forms.Textarea
    )


class MemberAddForm(forms.Form):
    deputy = forms.ModelChoiceField(label=_("Deputy"), queryset=Deputy.objects.none())

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = Mandate.objects.filter(congress_id=project.congress_id, active=True).values(
            "deputy_id"
        )
        field = self.fields["deputy"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Deputy.objects.filter(pk__in=ids).order_by("name", "pk")


class MemberRemoveForm(forms.Form):
    member = forms.IntegerField(widget=forms.HiddenInput)


def _member_choices(project: Project, *, confirmed: bool = False) -> list[tuple[int, str]]:
    qs = Member.objects.filter(project=project).select_related("deputy")
    if confirmed:
        qs = qs.filter(status=MemberStatus.CONFIRMED)
    return [(m.deputy_id, m.deputy.name) for m in qs.order_by("-leader", "-score", "pk")]


class GroupConfirmForm(forms.Form):
    deputies = forms.TypedMultipleChoiceField(
        label=_("Members"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    leader = forms.TypedChoiceField(label=_("Group leader"), coerce=int)

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = _member_choices(project)
        self.fields["deputies"].choices = choices  # type: ignore[attr-defined]
        self.fields["leader"].choices = choices  # type: ignore[attr-defined]


class RecordForm(forms.Form):
    cadence = forms.ChoiceField(label=_("Step"), choices=Cadence.choices)
    period = forms.CharField(
        label=_("Period"), max_length=8, help_text=_("2027-03, 2027-Q1, 2027-H1 or 2027.")
    )
    held_on = forms.DateField(label=_("Held on"), widget=DateInput, initial=_today)
    text = forms.CharField(label=_("What was found"), widget=forms.Textarea)
    problems = forms.CharField(label=_("Problems raised"), required=False, widget=forms.Textarea)
    attendees = forms.TypedMultipleChoiceField(
        label=_("Attending deputies"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self, *args: Any, project: Project, inspection_only: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attendees"].choices = _member_choices(  # type: ignore[attr-defined]
            project, confirmed=True
        )
        if inspection_only:
            self.fields["cadence"].choices = [  # type: ignore[attr-defined]
                (Cadence.INSPECTION.value, Cadence.INSPECTION.label)
            ]


class RectificationForm(forms.Form):
    problems = forms.CharField(label=_("Problems"), widget=forms.Textarea)
    responsibilities = forms.CharField(label=_("Responsibilities"), widget=forms.Textarea)
    corrections = forms.CharField(label=_("Corrections"), widget=forms.Textarea)
    deadline = forms.DateField(label=_("To be corrected by"), widget=DateInput, required=False)


class RectificationReportForm(forms.Form):
    reported_to = forms.CharField(
        label=_("Reported to"),
        max_length=100,
        help_text=_("The standing committee (常委会) or the presidium (主席团)."),
    )
    reported_on = forms.DateField(label=_("Reported on"), widget=DateInput, initial=_today)


class RectificationDoneForm(forms.Form):
    done_on = forms.DateField(label=_("Corrected on"), widget=DateInput, initial=_today)


class SatisfactionForm(forms.Form):
    title = forms.CharField(label=_("Title of the vote"), max_length=200, required=False)
