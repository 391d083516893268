"""Forms of the public pages that are not the message form (that one is cases.forms)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lianluo.cases.services.rating import COMMENT_MAX_CHARS
from lianluo.cases.states import Rating


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class CitizenRatingForm(forms.Form):
    """The citizen rates the answer on the tracking page (cases.services.rating checks the rest:
    once, after an answer, in time)."""

    rating = forms.ChoiceField(
        label=_("How satisfied are you with the answer?"),
        choices=Rating.choices,
        widget=forms.RadioSelect,
    )
    solved = forms.TypedChoiceField(
        label=_("Is the problem solved?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=_yes_no,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Anything to add? (optional)"),
        required=False,
        max_length=COMMENT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def rating_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "rating": data["rating"],
            "solved": data.get("solved"),
            "comment": data.get("comment") or "",
        }
