"""A converted citizen's case follows the suggestion that carries it.

Each public step of the suggestion (filed, registered, assigned, replied, extended, handled again,
closed…) is appended to the case's timeline, so the citizen can follow it by the tracking code;
when the departments' reply is complete, the case is answered with the reply's public part and
goes on to follow-up and rating like any answered case. This runs inside the suggestion's
transaction (suggestions.signals): if it fails, the suggestion's step is undone too.
"""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django.utils.translation import gettext as _

from lianluo.cases.models import Case
from lianluo.cases.services.events import event_append
from lianluo.cases.services.transitions import Step, _transition
from lianluo.cases.states import Action, CaseStatus
from lianluo.suggestions.models import Event, Suggestion
from lianluo.suggestions.signals import suggestion_progress
from lianluo.suggestions.states import Action as SuggestionAction

# The suggestion's steps a citizen is told of.
TOLD = frozenset(
    {
        SuggestionAction.FILE,
        SuggestionAction.REGISTER,
        SuggestionAction.DECLINE,
        SuggestionAction.ASSIGN,
        SuggestionAction.DECIDE_CHANGE,
        SuggestionAction.EXTEND,
        SuggestionAction.REPLY,
        SuggestionAction.FURTHER_REPLY,
        SuggestionAction.REHANDLE,
        SuggestionAction.ADOPT,
        SuggestionAction.NOT_ADOPT,
        SuggestionAction.OUTCOME,
        SuggestionAction.CLOSE,
        SuggestionAction.WITHDRAW,
    }
)


@receiver(suggestion_progress, dispatch_uid="cases.follow_suggestion")
def follow_suggestion(sender: Any, suggestion: Suggestion, event: Event, **kwargs: Any) -> None:
    if event.action not in TOLD or not event.public:
        return
    carried = [suggestion.pk, *suggestion.merged.values_list("pk", flat=True)]
    cases = (
        Case.objects.select_for_update(of=("self",))
        .select_related("congress__area")
        .filter(suggestion_id__in=carried)
        .order_by("pk")
    )
    data = {
        "step": event.action,
        "number": suggestion.number or "",
        **{k: v for k, v in event.data.items() if k in PUBLIC_DATA},
    }
    answer = event.action in (SuggestionAction.REPLY, SuggestionAction.OUTCOME) and (
        event.data.get("complete") or event.action == SuggestionAction.OUTCOME
    )
    for case in cases:
        if answer and case.status == CaseStatus.CONVERTED:
            _transition(
                Step(
                    case=case,
                    actor=event.actor,  # type: ignore[arg-type]
                    action=Action.ANSWER,
                    now=event.at,
                    text=event.note or _("The departments replied to the suggestion."),
                    data={"suggestion": suggestion.number or ""},
                )
            )
            continue
        event_append(
            case,
            action="suggestion",
            from_status=case.status,
            actor=event.actor,
            public_note=event.note if event.action != SuggestionAction.DECLINE else "",
            staff_note="",
            data=data,
        )


# What of a suggestion's event data a citizen may read (names of departments, dates, codes).
PUBLIC_DATA = frozenset(
    {"lead_name", "deadline", "until", "new_name", "code", "rating", "round", "department"}
)
