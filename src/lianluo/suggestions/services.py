"""Writes for suggestions."""

from __future__ import annotations

from enum import StrEnum

from django.db import transaction
from django.utils.translation import gettext as _

from lianluo.core.errors import DomainError, NotFound
from lianluo.core.models import Congress, User
from lianluo.core.scope import scope_for
from lianluo.core.services import audit_record
from lianluo.deputies.models import Deputy
from lianluo.duty.services import points_for_suggestion
from lianluo.suggestions.models import Suggestion, SuggestionStatus


class SuggestionCode(StrEnum):
    """Stable codes of the refusals below (clients read them)."""

    NOT_FOUND = "not_found"
    INVALID_TRANSITION = "invalid_transition"
    MISSING_FIELD = "missing_field"


@transaction.atomic
def suggestion_create(
    *, actor: User, congress: Congress, deputy: Deputy | None, title: str, text: str
) -> Suggestion:
    """Create a draft suggestion (from a converted case); the deputy files it later."""
    return Suggestion.objects.create(
        congress=congress, deputy=deputy, title=title[:200], text=text, created_by=actor
    )


@transaction.atomic
def suggestion_file(*, actor: User, suggestion: Suggestion) -> Suggestion:
    """The deputy (or congress staff in scope) files a draft suggestion with its congress; it
    credits the deputy "suggestion filed" (duty points) once. Audited."""
    suggestion = (
        Suggestion.objects.select_for_update(of=("self",))
        .select_related("congress__area", "deputy")
        .get(pk=suggestion.pk)
    )
    scope = scope_for(actor)
    own = suggestion.deputy_id is not None and suggestion.deputy_id in scope.deputy_ids
    if not (own or scope.covers_path(suggestion.congress.area.path, acting=True)):
        raise NotFound(SuggestionCode.NOT_FOUND, _("Suggestion not found."))
    if suggestion.status != SuggestionStatus.DRAFT:
        raise DomainError(
            SuggestionCode.INVALID_TRANSITION, _("Only a draft suggestion can be filed.")
        )
    if suggestion.deputy_id is None:
        raise DomainError(
            SuggestionCode.MISSING_FIELD, _("Name the deputy who files it."), field="deputy"
        )
    suggestion.status = SuggestionStatus.FILED
    suggestion.save(update_fields=["status"])
    audit_record(actor=actor, verb="suggestion.file", target=suggestion)
    points_for_suggestion(suggestion=suggestion, actor=actor)
    return suggestion
