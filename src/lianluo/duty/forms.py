"""Forms of the points pages (and the API's evidence check): registering and self-reporting a
duty record with evidence, verifying, reversing, and editing a catalog item."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianluo.core.uploads import evidence_from_upload
from lianluo.core.widgets import DateInput
from lianluo.duty.catalog import item_label
from lianluo.duty.models import AutoEvent, DutyItem
from lianluo.duty.services import EvidenceFile
from lianluo.duty.services.catalog import ITEM_FIELDS

EVIDENCE_ACCEPT = "image/jpeg,image/png,image/webp,application/pdf,.pdf"


def _number(value) -> str:
    return f"{value:f}".rstrip("0").rstrip(".") if "." in f"{value:f}" else f"{value:f}"


class ItemChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: DutyItem) -> str:
        cap = f" · {_('cap')} {_number(obj.yearly_cap)}" if obj.yearly_cap is not None else ""
        proof = f" · {_('evidence required')}" if obj.evidence_required else ""
        year = f"{obj.year} · " if obj.year != timezone.localdate().year else ""
        return f"{item_label(obj)} ({year}{_number(obj.points)} {_('points')}{cap}{proof})"


class RecordForm(forms.Form):
    """A duty record: the item, the day, what was done, evidence (photo or PDF)."""

    item = ItemChoice(label=_("Duty item"), queryset=DutyItem.objects.none())
    occurred_on = forms.DateField(
        label=_("Date"),
        # ISO whatever the language: a date input shows nothing for a localized value.
        widget=DateInput(),
    )
    note = forms.CharField(
        label=_("What was done"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    evidence = forms.FileField(
        label=_("Evidence (photo or PDF)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": EVIDENCE_ACCEPT}),
    )

    def __init__(self, *args, items: list[DutyItem] | None = None, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        ids = [i.pk for i in items or []]
        item_field = self.fields["item"]
        assert isinstance(item_field, ItemChoice)
        item_field.queryset = DutyItem.objects.filter(pk__in=ids).order_by(
            "congress__area__path", "order", "code"
        )
        self.fields["occurred_on"].widget.attrs["max"] = timezone.localdate().isoformat()
        if not self.is_bound:
            self.initial.setdefault("occurred_on", timezone.localdate())

    def clean_occurred_on(self) -> date:
        value = self.cleaned_data["occurred_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value

    def clean_evidence(self) -> EvidenceFile | None:
        upload = self.cleaned_data.get("evidence")
        return evidence_from_upload(upload) if upload else None

    def clean(self):
        data = super().clean()
        item = data.get("item")
        needs = item is not None and item.evidence_required and not data.get("evidence")
        if needs and "evidence" not in self.errors:
            self.add_error("evidence", _("This item needs evidence: attach a photo or a PDF."))
        return data


class VerifyForm(forms.Form):
    approve = forms.TypedChoiceField(
        choices=[("1", _("Approve")), ("0", _("Reject"))],
        coerce=lambda v: v == "1",
        widget=forms.HiddenInput,
    )
    reason = forms.CharField(
        label=_("Reason (required to reject)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReverseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DutyItemForm(forms.ModelForm):
    class Meta:
        model = DutyItem
        fields = list(ITEM_FIELDS)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["auto_event"].choices = list(AutoEvent.choices)
        for name in ("points", "yearly_cap", "order"):
            self.fields[name].widget.attrs.setdefault("inputmode", "decimal")

    def validate_unique(self) -> None:
        """The (congress, year, code) of an item never changes here."""
