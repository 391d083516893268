"""Forms of the board pages: publishing a ranking, objecting, deciding an objection, grade
thresholds, families and support records, campaigns, the station-of-the-year vote."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianluo.core.widgets import DateInput
from lianluo.deputies.models import GroupKind
from lianluo.duty.models import SupportKind


def _first_of_year() -> date:
    return timezone.localdate().replace(month=1, day=1)


class PublishForm(forms.Form):
    target = forms.ChoiceField(label=_("Ranking of"))
    title = forms.CharField(label=_("Title"), max_length=200)
    period_start = forms.DateField(label=_("Period from"), widget=DateInput, initial=_first_of_year)
    period_end = forms.DateField(
        label=_("Period until"), widget=DateInput, initial=timezone.localdate
    )
    visible_days = forms.IntegerField(
        label=_("Shown on the board for (days)"), min_value=1, max_value=365, initial=15
    )
    objection_days = forms.IntegerField(
        label=_("Objections open for (days)"), min_value=1, max_value=60, initial=7
    )

    def __init__(self, *args, stations=(), congresses=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(f"s:{s.code}", s.name) for s in stations] + [
            (f"c:{c.pk}", c.name) for c in congresses
        ]
        self.fields["target"].choices = choices


class ObjectionForm(forms.Form):
    entry = forms.TypedChoiceField(
        label=_("Entry concerned (optional)"), required=False, coerce=int, empty_value=None
    )
    text = forms.CharField(label=_("What is wrong"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, entries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].choices = [("", _("The ranking as a whole"))] + [
            (e.pk, f"{e.occurred_on:%Y-%m-%d} · {e.item.name} · {e.points}") for e in entries
        ]


class DecideForm(forms.Form):
    uphold = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Uphold (correct the entry)")), ("0", _("Dismiss"))],
        coerce=lambda v: v == "1",
    )
    outcome = forms.CharField(label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 2}))


class GradesForm(forms.Form):
    """Up to four thresholds: name and minimum points each."""

    def __init__(self, *args, grades=(), **kwargs):
        super().__init__(*args, **kwargs)
        grades = list(grades)
        for n in range(4):
            g = grades[n] if n < len(grades) else None
            self.fields[f"label_{n}"] = forms.CharField(
                label=_("Grade"), max_length=20, required=False, initial=g.label if g else ""
            )
            self.fields[f"min_{n}"] = forms.DecimalField(
                label=_("Minimum points"),
                max_digits=7,
                decimal_places=1,
                required=False,
                initial=g.min_points if g else None,
            )

    def thresholds(self) -> list[tuple[str, Decimal]]:
        rows = []
        for n in range(4):
            label = self.cleaned_data.get(f"label_{n}") or ""
            minimum = self.cleaned_data.get(f"min_{n}")
            if label.strip() and minimum is not None:
                rows.append((label.strip(), minimum))
        return rows


class FamilyForm(forms.Form):
    area = forms.ChoiceField(label=_("Area"))
    label = forms.CharField(
        label=_("Family"), max_length=50, help_text=_("Surname only, e.g. 张某某家")
    )
    members = forms.IntegerField(label=_("Household members"), min_value=1, max_value=30, initial=1)
    situation = forms.CharField(
        label=_("Situation"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=20, required=False)
    plan = forms.CharField(
        label=_("Support plan"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [(a.pk, a.name) for a in areas]


class PairForm(forms.Form):
    deputy = forms.CharField(label=_("Deputy code"), max_length=20)


class SupportForm(forms.Form):
    deputy = forms.ChoiceField(label=_("Deputy"))
    date = forms.DateField(label=_("Date"), widget=DateInput, initial=timezone.localdate)
    kind = forms.ChoiceField(label=_("Kind"), choices=SupportKind.choices)
    value_yuan = forms.DecimalField(
        label=_("Value (yuan)"), max_digits=10, decimal_places=2, min_value=0, initial=0
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args, deputies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputy"].choices = [(d.code, d.name) for d in deputies]


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    start = forms.DateField(label=_("From"), widget=DateInput)
    end = forms.DateField(label=_("Until"), widget=DateInput)
    congresses = forms.MultipleChoiceField(
        label=_("Congresses taking part"), widget=forms.CheckboxSelectMultiple
    )
    target_set = forms.TypedChoiceField(
        label=_("Target set"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, congresses=(), target_sets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["congresses"].choices = [(c.pk, c.name) for c in congresses]
        self.fields["target_set"].choices = [("", "—")] + [
            (t.pk, f"{t.name} ({t.year})") for t in target_sets
        ]


class VoteForm(forms.Form):
    station = forms.ChoiceField(label=_("Station"))
    tracking_code = forms.CharField(
        label=_("Tracking code of a case you submitted"), max_length=40, required=False
    )

    def __init__(self, *args, stations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].choices = [(s.code, s.name) for s in stations]


class GroupForm(forms.Form):
    """A deputy group: its congress (when created), name and kind."""

    congress = forms.ChoiceField(label=_("People's congress"))
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=GroupKind.choices, initial=GroupKind.AREA)

    def __init__(self, *args, congresses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["congress"].choices = [(str(c.pk), c.name) for c in congresses]
