"""Forms of the onboarding pages: upload a roster file, one checklist item, station masters."""

from __future__ import annotations

import re
from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianluo.core.uploads import Evidence, evidence_from_upload
from lianluo.core.widgets import DateInput
from lianluo.deputies.models import Deputy
from lianluo.onboarding.models import ImportKind
from lianluo.onboarding.services import MAX_ROTATION_MONTHS, import_max_bytes
from lianluo.onboarding.sheets import UnreadableFile, open_workbook


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("The file contains"),
        choices=ImportKind.choices,
        widget=forms.RadioSelect,
        initial=ImportKind.DEPUTIES,
    )
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = import_max_bytes()
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is larger than %(limit)d MB."), params={"limit": limit // 2**20}
            )
        if not upload.name.lower().endswith((".xlsx", ".xlsm")):
            raise forms.ValidationError(
                _("Save the sheet as an Excel workbook (.xlsx) and upload that.")
            )
        try:
            open_workbook(upload).close()
        except UnreadableFile as exc:  # not a workbook, or one that unpacks too large
            raise forms.ValidationError(exc.message, code=exc.code) from exc
        upload.seek(0)
        return upload


class ChecklistItemForm(forms.Form):
    done = forms.BooleanField(label=_("In place"), required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
    evidence = forms.FileField(
        label=_("Evidence (photo or PDF)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,.pdf"}),
    )
    remove_evidence = forms.BooleanField(label=_("Remove the evidence"), required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean_evidence(self) -> Evidence | None:
        upload = self.cleaned_data.get("evidence")
        if not upload:
            return None
        return evidence_from_upload(upload)


class DeputyChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Deputy) -> str:
        return f"{obj.name}（{obj.code}）"


class DeputiesChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Deputy) -> str:
        return f"{obj.name}（{obj.code}）"


class FixedMasterForm(forms.Form):
    deputy = DeputyChoice(label=_("Fixed station master"), queryset=Deputy.objects.none())
    start = forms.DateField(label=_("From"), widget=DateInput())

    def __init__(self, *args, candidates=None, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        ids = [d.pk for d in candidates or []]
        self.fields["deputy"].queryset = Deputy.objects.filter(pk__in=ids).order_by("code")
        self.fields["start"].initial = timezone.localdate()


MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class RotationForm(forms.Form):
    deputies = DeputiesChoice(
        label=_("Deputies taking turns, in the order listed"),
        queryset=Deputy.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    start = forms.CharField(
        label=_("First month"), widget=forms.TextInput(attrs={"type": "month"}), max_length=20
    )
    months = forms.IntegerField(
        label=_("Number of months"), min_value=1, max_value=MAX_ROTATION_MONTHS, initial=12
    )

    def __init__(self, *args, candidates=None, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        ids = [d.pk for d in candidates or []]
        self.fields["deputies"].queryset = Deputy.objects.filter(pk__in=ids).order_by("code")
        today = timezone.localdate()
        self.fields["start"].initial = f"{today:%Y-%m}"

    def clean_start(self) -> date:
        match = MONTH.match(self.cleaned_data["start"].strip())
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise forms.ValidationError(_("Give a month such as 2026-12."))
        return date(int(match.group(1)), int(match.group(2)), 1)
