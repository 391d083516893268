"""A deputy files a suggestion from citizens' cases: the suggestion is filed and numbered, and
each case is converted into it (and from then on follows it: cases.services.follow). One
transaction: a case that may not be converted undoes the filing."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from lianluo.cases.models import Case
from lianluo.cases.services.transitions import case_transition
from lianluo.cases.states import Action
from lianluo.core.errors import DomainError
from lianluo.core.models import Congress, User
from lianluo.core.scope import path_within
from lianluo.deputies.models import Deputy
from lianluo.suggestions.errors import SuggestionCode
from lianluo.suggestions.models import Suggestion
from lianluo.suggestions.services import congresses_of, suggestion_new


def congress_for_cases(deputy: Deputy, cases: list[Case], code: str | None = None) -> Congress:
    """The congress the item goes to: the one named (by area code), else the nearest of the
    deputy's seats whose area holds every case, else the deputy's highest seat."""
    seats = congresses_of(deputy)
    if code:
        seats = [c for c in seats if c.area.code == code]
    elif cases:
        seats = [
            c for c in seats if all(path_within(k.congress.area.path, c.area.path) for k in cases)
        ]
        seats = seats[-1:]
    if not seats:
        raise DomainError(
            SuggestionCode.INVALID_VALUE,
            _("%(name)s holds no seat in that congress.") % {"name": deputy.name},
            field="congress",
        )
    return seats[0]


@transaction.atomic
def suggestion_file_from_cases(
    *,
    actor: User,
    deputy: Deputy,
    cases: list[Case],
    congress: Congress | None = None,
    **fields: Any,
) -> Suggestion:
    """File a suggestion (fields as `suggestion_new`) and convert each case into it."""
    item = suggestion_new(
        actor=actor,
        deputy=deputy,
        congress=congress or congress_for_cases(deputy, cases),
        **fields,
    )
    for case in cases:
        case_transition(case=case, actor=actor, action=Action.CONVERT, suggestion=item)
    return item
