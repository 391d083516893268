"""Field groups that many models repeat, written once. Each returns exactly the field the models
declared before (same arguments), so using one changes no migration."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models

if TYPE_CHECKING:
    from lianluo.core.models import User


def actor_field(
    *, blank: bool = False, **options: Any
) -> models.ForeignKey[User | None, User | None]:
    """Who did it (`created_by`, `recorded_by`, `published_by` …): a user, kept as null when the
    account is deleted, with no reverse accessor (`related_name="+"`)."""
    if blank:
        options["blank"] = True
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", **options
    )
