"""Writes for suggestions."""

from __future__ import annotations

from django.db import transaction

from lianluo.core.models import Congress, User
from lianluo.deputies.models import Deputy
from lianluo.suggestions.models import Suggestion


@transaction.atomic
def suggestion_create(
    *, actor: User, congress: Congress, deputy: Deputy | None, title: str, text: str
) -> Suggestion:
    """Create a draft suggestion (from a converted case); the deputy files it later."""
    return Suggestion.objects.create(
        congress=congress, deputy=deputy, title=title[:200], text=text, created_by=actor
    )
