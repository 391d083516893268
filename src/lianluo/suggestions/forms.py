"""Forms of the suggestion pages: filing (cases.suggest_views) and one small form per action on
an item (views/work.py). Each action form's cleaned data are the fields `suggestion_transition`
takes for that action, under the same names, so a service's refusal lands at its field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.base import ContentFile
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianluo.core.models import Congress
from lianluo.core.scope import departments_serving
from lianluo.core.uploads import evidence_max_bytes
from lianluo.core.widgets import DateInput
from lianluo.deputies.models import Deputy
from lianluo.suggestions.models import Suggestion
from lianluo.suggestions.rules import reply_class_labels
from lianluo.suggestions.states import (
    Action,
    Category,
    ContactMethod,
    DeclineOutcome,
    DeclineReason,
    Kind,
    Period,
    SuggestionRating,
)

TEXTAREA = forms.Textarea(attrs={"rows": 4})


def _today() -> str:
    return timezone.localdate().isoformat()


def set_choices(form: forms.Form, name: str, choices: list[tuple[str, str]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


# ---- filing -----------------------------------------------------------------------------------


class FileForm(forms.Form):
    """A deputy writes a suggestion (or idea, or research report), perhaps from their cases."""

    congress = forms.ChoiceField(label=_("Congress"))
    kind = forms.ChoiceField(
        label=_("Type"),
        choices=Kind.choices,
        initial=Kind.SUGGESTION,
        widget=forms.RadioSelect,
    )
    title = forms.CharField(label=_("Title"), max_length=200, help_text=_("One matter only."))
    text = forms.CharField(label=_("Content"), widget=forms.Textarea(attrs={"rows": 8}))
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", "—"), *Category.choices], required=False
    )
    period = forms.ChoiceField(
        label=_("Filed"), choices=Period.choices, initial=Period.RECESS, widget=forms.RadioSelect
    )
    co_signers = forms.ModelMultipleChoiceField(
        label=_("Co-signing deputies"),
        queryset=Deputy.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each of them confirms online before the suggestion is registered."),
    )
    cases = forms.MultipleChoiceField(
        label=_("Citizens' cases it takes up"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    private = forms.BooleanField(label=_("Keep the text off the public page"), required=False)

    def __init__(
        self,
        *args: Any,
        congresses: list[Congress],
        co_signers: QuerySet[Deputy],
        cases: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.congresses = {c.area.code: c for c in congresses}
        set_choices(self, "congress", [(c.area.code, c.name) for c in congresses])
        if len(congresses) == 1:
            self.fields["congress"].widget = forms.HiddenInput()
            self.fields["congress"].initial = congresses[0].area.code
        field = self.fields["co_signers"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = co_signers  # labelled by name (Deputy.__str__)
        set_choices(self, "cases", cases)
        if not cases:
            del self.fields["cases"]

    def clean_congress(self) -> Congress:
        return self.congresses[self.cleaned_data["congress"]]


# ---- actions on an item -----------------------------------------------------------------------


class ActionForm(forms.Form):
    """An action's form; `item` gives the choices that depend on the suggestion."""

    def __init__(self, *args: Any, item: Suggestion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.item = item

    def service_fields(self) -> dict[str, Any]:
        """The fields for `suggestion_transition`, without the blanks (the service says which it
        needs)."""
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "", [])}


class DeclineForm(ActionForm):
    reason = forms.ChoiceField(label=_("Reason"), choices=DeclineReason.choices)
    outcome = forms.ChoiceField(
        label=_("What happens to it"),
        choices=DeclineOutcome.choices,
        initial=DeclineOutcome.LETTER,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Explanation to the deputy"), widget=TEXTAREA, required=False)


class MergeForm(ActionForm):
    into = forms.CharField(
        label=_("Number of the suggestion it joins"),
        max_length=32,
        help_text=_("Every author still gets an answer."),
    )


class AssignForm(ActionForm):
    lead = forms.ChoiceField(label=_("Lead department"))
    co = forms.MultipleChoiceField(
        label=_("Co-departments"), required=False, widget=forms.CheckboxSelectMultiple
    )
    separate = forms.BooleanField(
        label=_("Separate handling: each department replies for its part"), required=False
    )
    difficult = forms.BooleanField(
        label=_("Wide-ranging or difficult (six months)"), required=False
    )

    def __init__(self, *args: Any, item: Suggestion, **kwargs: Any) -> None:
        super().__init__(*args, item=item, **kwargs)
        choices = [(d.code, d.name) for d in departments_serving(item.congress.area.path)]
        set_choices(self, "lead", [("", "—"), *choices])
        set_choices(self, "co", choices)


class ReasonForm(ActionForm):
    reason = forms.CharField(label=_("Reason"), widget=TEXTAREA)


class DecideChangeForm(ActionForm):
    accept = forms.ChoiceField(
        label=_("Decision"),
        choices=[("yes", _("Change the department")), ("no", _("Refuse: it stays"))],
        widget=forms.RadioSelect,
    )
    department = forms.ChoiceField(label=_("New department"), required=False)

    def __init__(self, *args: Any, item: Suggestion, **kwargs: Any) -> None:
        super().__init__(*args, item=item, **kwargs)
        choices = [(d.code, d.name) for d in departments_serving(item.congress.area.path)]
        set_choices(self, "department", [("", "—"), *choices])

    def service_fields(self) -> dict[str, Any]:
        fields = super().service_fields()
        fields["accept"] = self.cleaned_data.get("accept") == "yes"
        return fields


class OfficerForm(ActionForm):
    leader = forms.CharField(label=_("Responsible leader"), max_length=60)
    officer = forms.CharField(label=_("Handling officer"), max_length=60)
    officer_phone = forms.CharField(label=_("Officer's phone"), max_length=20, required=False)


class ContactForm(ActionForm):
    method = forms.ChoiceField(
        label=_("How"), choices=ContactMethod.choices, widget=forms.RadioSelect
    )
    date = forms.DateField(label=_("Date"), widget=DateInput, initial=_today)
    note = forms.CharField(label=_("Note"), widget=TEXTAREA, required=False)


class TextForm(ActionForm):
    text = forms.CharField(label=_("Text"), widget=TEXTAREA)


class ExtensionRequestForm(ActionForm):
    until = forms.DateField(label=_("New deadline asked for"), widget=DateInput, required=False)
    reason = forms.CharField(label=_("Reason"), widget=TEXTAREA)

    def service_fields(self) -> dict[str, Any]:
        fields = super().service_fields()
        if "until" in fields:
            fields["until"] = fields["until"].isoformat()  # kept in the event's JSON data
        return fields


class ExtendForm(ActionForm):
    until = forms.DateField(label=_("New deadline"), widget=DateInput)
    reason = forms.CharField(label=_("Explanation to the deputy"), widget=TEXTAREA)


class ReplyForm(ActionForm):
    code = forms.ChoiceField(label=_("Classification"), widget=forms.RadioSelect)
    text = forms.CharField(label=_("Reply"), widget=forms.Textarea(attrs={"rows": 6}))
    public = forms.BooleanField(label=_("Publish a summary"), required=False, initial=True)
    public_text = forms.CharField(
        label=_("Public summary"),
        widget=TEXTAREA,
        required=False,
        help_text=_("Shown to citizens; leave empty to publish the reply itself."),
    )
    letter = forms.FileField(
        label=_("Reply letter (PDF)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )

    def __init__(self, *args: Any, item: Suggestion, **kwargs: Any) -> None:
        super().__init__(*args, item=item, **kwargs)
        set_choices(self, "code", reply_class_labels(item.congress))

    def clean_letter(self) -> ContentFile[bytes] | None:
        upload = self.cleaned_data.get("letter")
        if not upload:
            return None
        limit = evidence_max_bytes()
        if upload.size > limit:
            raise forms.ValidationError(
                _("“%(name)s” is larger than %(limit)d MB."),
                params={"name": upload.name, "limit": limit // 2**20},
            )
        data = upload.read()
        if data[:5] != b"%PDF-":
            raise forms.ValidationError(_("The reply letter must be a PDF."))
        return ContentFile(data, name="reply.pdf")

    def service_fields(self) -> dict[str, Any]:
        fields = super().service_fields()
        fields["public"] = bool(self.cleaned_data.get("public"))
        return fields


class FurtherReplyForm(ActionForm):
    code = forms.ChoiceField(label=_("Classification"), widget=forms.RadioSelect)
    text = forms.CharField(label=_("Further reply"), widget=TEXTAREA)

    def __init__(self, *args: Any, item: Suggestion, **kwargs: Any) -> None:
        super().__init__(*args, item=item, **kwargs)
        set_choices(self, "code", reply_class_labels(item.congress))


class RateForm(ActionForm):
    rating = forms.ChoiceField(
        label=_("Your rating of the reply"),
        choices=[c for c in SuggestionRating.choices if c[0] != SuggestionRating.NO_ANSWER],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("Comment"), widget=TEXTAREA, required=False)


class NoteForm(ActionForm):
    note = forms.CharField(label=_("Note"), widget=TEXTAREA, required=False)


class MeetForm(ActionForm):
    date = forms.DateField(label=_("Date of the meeting"), widget=DateInput, initial=_today)
    note = forms.CharField(label=_("What the meeting settled"), widget=TEXTAREA)


class KeyForm(ActionForm):
    leader = forms.CharField(label=_("Supervising leader"), max_length=60)
    committee = forms.CharField(label=_("Supervising committee"), max_length=60, required=False)


class ProgressForm(ActionForm):
    text = forms.CharField(label=_("Progress"), widget=TEXTAREA)
    public = forms.BooleanField(label=_("Tell the citizens"), required=False)


class OutcomeForm(ActionForm):
    text = forms.CharField(label=_("Outcome"), widget=TEXTAREA)


# Keyed by the action's value; an action with no entry is offered as a plain confirm button.
ACTION_FORMS: dict[str, type[ActionForm]] = {
    Action.FILE: ActionForm,
    Action.COSIGN: ActionForm,
    Action.COSIGN_REFUSE: ActionForm,
    Action.REGISTER: ActionForm,
    Action.DECLINE: DeclineForm,
    Action.MERGE: MergeForm,
    Action.ASSIGN: AssignForm,
    Action.REQUEST_CHANGE: ReasonForm,
    Action.DECIDE_CHANGE: DecideChangeForm,
    "officer": OfficerForm,  # the department names its leader and officer (core: Action.OFFICER)
    Action.CONTACT: ContactForm,
    Action.OPINION: TextForm,
    Action.REQUEST_EXTENSION: ExtensionRequestForm,
    Action.EXTEND: ExtendForm,
    Action.REPLY: ReplyForm,
    Action.FURTHER_REPLY: FurtherReplyForm,
    Action.RATE: RateForm,
    Action.REHANDLE: NoteForm,
    Action.MEET: MeetForm,
    Action.MARK_KEY: KeyForm,
    Action.PROGRESS: ProgressForm,
    Action.ADOPT: NoteForm,
    Action.NOT_ADOPT: ReasonForm,
    Action.OUTCOME: OutcomeForm,
    Action.CLOSE: ActionForm,
    Action.WITHDRAW: ReasonForm,
}
