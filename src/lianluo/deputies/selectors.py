"""Reads of deputies."""

from __future__ import annotations

from django.utils.translation import gettext as _

from lianluo.core.errors import CoreCode, NotFound
from lianluo.core.models import User
from lianluo.core.scope import scope_for
from lianluo.deputies.models import Deputy


def deputy_public_get(*, code: str) -> Deputy:
    deputy = (
        Deputy.objects.filter(code=code).prefetch_related("mandates__congress", "stations").first()
    )
    if deputy is None:
        raise NotFound(CoreCode.NOT_FOUND, _("No deputy has this code."))
    return deputy


def deputy_for_user(user: User | None) -> Deputy | None:
    """The deputy a user acts as (their deputy role), or None; read once per user object."""
    scope = scope_for(user)
    if not scope.deputy_ids:
        return None
    cached: Deputy | None = getattr(user, "_lianluo_deputy", None)
    if cached is not None:
        return cached
    deputy = Deputy.objects.filter(pk__in=scope.deputy_ids).order_by("pk").first()
    user._lianluo_deputy = deputy  # type: ignore[union-attr]
    return deputy


def deputy_of_account(*, user: User) -> Deputy | None:
    """The deputy whose login this account is (`Deputy.user`), with or without a deputy role:
    the rule of reception sign-up and of the API's `me`. `deputy_for_user` is the role's rule."""
    if not user.is_authenticated:
        return None
    return Deputy.objects.filter(user=user).first()
