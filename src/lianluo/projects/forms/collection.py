"""Forms of collection and the reserve pool. The citizen's form builds on the case message form
(`cases.forms.CaseMessageForm`: the text within its limit, CRLF and blanks cleaned, the phone
normalized and checked, the idempotency key), so a proposal is cleaned exactly like a case."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lianluo.cases.forms import CaseMessageForm
from lianluo.core.models import Area, Congress
from lianluo.core.text import text_check_length, text_max_chars
from lianluo.core.widgets import DateInput
from lianluo.projects.models import Project, Proposal


class _Form(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class WindowForm(_Form):
    year = forms.IntegerField(label=_("Projects of the year"), min_value=2000, max_value=2100)
    opens_on = forms.DateField(label=_("Collection opens"), widget=DateInput())
    closes_on = forms.DateField(label=_("Collection closes"), widget=DateInput())
    intro = forms.CharField(
        label=_("What we ask for"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class CitizenProposalForm(CaseMessageForm):
    """A citizen's proposal on the public page. `website` is a honeypot: hidden from people by
    the page, filled by form-filling robots; a filled one is thanked and not recorded."""

    text_required = _("Please describe what should be done, and why.")
    field_order = ["title", "text", "place", "name", "phone", "consent", "idempotency_key"]

    place = forms.CharField(
        label=_("Where (village, street, place)"), max_length=200, required=False
    )
    consent = forms.BooleanField(
        label=_("Keep my name and phone so that staff can contact me about this proposal"),
        required=False,
    )
    website = forms.CharField(label=_("Leave this empty"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        title = self.fields["title"]
        title.label, title.required = _("Project name"), True
        title.error_messages["required"] = _("Please give the project a short name.")
        text = self.fields["text"]
        text.label = _("What should be done, and why")
        text.error_messages["required"] = self.text_required
        text.widget.attrs.update(
            {"data-max-chars": text_max_chars(), "aria-describedby": "text-hint text-counter"}
        )
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get("website"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("name") or data.get("phone")) and not data.get("consent"):
            self.add_error(
                "consent",
                _("Tick this box to let us keep your name and phone, or leave them empty."),
            )
        return data


class ProposalForm(_Form):
    """A proposal from a deputy, a department or the staff (signed in)."""

    congress = forms.ModelChoiceField(label=_("Congress"), queryset=Congress.objects.none())
    year = forms.IntegerField(
        label=_("Projects of the year"),
        required=False,
        help_text=_("Staff only: a year whose window is closed."),
    )
    title = forms.CharField(label=_("Project name"), max_length=200)
    text = forms.CharField(
        label=_("What should be done, and why"), widget=forms.Textarea(attrs={"rows": 6})
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    estimated_cost = forms.DecimalField(
        label=_("Estimated cost (10,000 yuan)"),
        max_digits=12,
        decimal_places=2,
        min_value=0,
        required=False,
    )

    def __init__(self, *args: Any, congresses: QuerySet[Congress], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["congress"].queryset = congresses  # type: ignore[attr-defined]

    def clean_text(self) -> str:
        text = str(self.cleaned_data["text"]).replace("\r\n", "\n").strip()
        text_check_length(text)
        return text


class FromCaseForm(_Form):
    title = forms.CharField(label=_("Project name"), max_length=200)
    text = forms.CharField(
        label=_("What should be done, and why"), widget=forms.Textarea(attrs={"rows": 6})
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)

    def clean_text(self) -> str:
        text = str(self.cleaned_data["text"]).replace("\r\n", "\n").strip()
        text_check_length(text)
        return text


class _ProposalsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"#{obj.pk} {obj.title}"


class MergeForm(_Form):
    others = _ProposalsField(
        label=_("Duplicates to merge into this proposal"),
        queryset=Proposal.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, candidates: QuerySet[Proposal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["others"].queryset = candidates  # type: ignore[attr-defined]


class DeclineForm(_Form):
    reason = forms.CharField(
        label=_("Why it is not taken up"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class PoolEntryForm(_Form):
    """A new or edited entry of the reserve pool."""

    title = forms.CharField(label=_("Project name"), max_length=200)
    content = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 5}))
    tags = forms.CharField(
        label=_("Tags"), max_length=200, required=False, help_text=_("Comma-separated.")
    )
    estimated_cost = forms.DecimalField(
        label=_("Estimated cost (10,000 yuan)"),
        max_digits=12,
        decimal_places=2,
        min_value=0,
        required=False,
    )
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.none(), required=False)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)

    def __init__(self, *args: Any, congress: Congress, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.filter(  # type: ignore[attr-defined]
            path__startswith=congress.area.path
        ).order_by("path")


class PoolFileForm(PoolEntryForm):
    """File this proposal (and, optionally, others) as a new entry."""

    also = _ProposalsField(
        label=_("Also file these proposals in the same entry"),
        queryset=Proposal.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(
        self, *args: Any, congress: Congress, candidates: QuerySet[Proposal], **kwargs: Any
    ) -> None:
        super().__init__(*args, congress=congress, **kwargs)
        self.fields["also"].queryset = candidates  # type: ignore[attr-defined]


class PoolAddForm(_Form):
    project = forms.ModelChoiceField(
        label=_("Entry of the reserve pool"), queryset=Project.objects.none()
    )

    def __init__(self, *args: Any, entries: QuerySet[Project], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = entries  # type: ignore[attr-defined]


class WithdrawForm(_Form):
    reason = forms.CharField(label=_("Why it is taken out of the pool"), max_length=500)
