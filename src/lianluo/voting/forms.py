"""Forms of the voting pages: a ballot built from a vote's options (on a phone, on a shared
device, or as tellers read a paper ballot), the one-time code of a shared device, a paper
ballot handed out, a receipt to check."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lianluo.voting.models import Choice, Method, Option, Vote

PREFIX = "o"  # a ballot's field per option: "o<option id>"
PICK = "pick"  # the one field of a pick-one ballot


def option_field(option: Option) -> str:
    return f"{PREFIX}{option.pk}"


class BallotForm(forms.Form):
    """One radio group per option (for/against/abstain, or the three ratings), or one group of
    options for a pick-one vote. A paper ballot may leave a mark out: it is then stored invalid,
    as the tellers read it."""

    def __init__(
        self, *args: Any, vote: Vote, options: list[Option], paper: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.vote, self.options, self.paper = vote, options, paper
        if vote.method == Method.PICK:
            self.fields[PICK] = forms.ChoiceField(
                label=_("Your choice"),
                choices=[(str(o.pk), o.label) for o in options],
                widget=forms.RadioSelect,
                required=not paper,
                error_messages={"required": _("Choose one.")},
            )
            return
        choices = [(c, Choice(c).label) for c in vote.choices]
        if paper:
            choices.append(("", pgettext_lazy("ballot", "No mark")))
        for option in options:
            self.fields[option_field(option)] = forms.ChoiceField(
                label=option.label,
                choices=choices,
                widget=forms.RadioSelect,
                required=not paper,
                error_messages={"required": _("Mark this item.")},
            )

    def marks(self) -> dict[str, str]:
        """The marks as the voting core takes them: `{"<option id>": choice}`."""
        if self.vote.method == Method.PICK:
            pick = self.cleaned_data.get(PICK)
            return {pick: "for"} if pick else {}
        out = {}
        for option in self.options:
            choice = self.cleaned_data.get(option_field(option))
            if choice:
                out[str(option.pk)] = choice
        return out

    def rows(self) -> list[tuple[Option, forms.BoundField]]:
        """Each option with its radio group (for the ballot's cards)."""
        return [(o, self[option_field(o)]) for o in self.options if option_field(o) in self.fields]

    def chosen(self) -> list[tuple[Option, str]]:
        """What the ballot says, for the confirmation step."""
        marks = self.marks()
        labels = dict(Choice.choices)
        return [(o, str(labels[marks[str(o.pk)]])) for o in self.options if str(o.pk) in marks]


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Your ballot code"),
        max_length=20,
        help_text=_("The code on the slip you were given at the session."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).strip().upper().replace(" ", "").replace("-", "")


class PaperIssueForm(forms.Form):
    deputy = forms.TypedChoiceField(label=_("Deputy"), coerce=int)

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["deputy"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "—"), *choices]


class ReceiptCheckForm(forms.Form):
    code = forms.CharField(
        label=_("Your receipt code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
