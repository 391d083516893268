"""Reads of deputies."""

from __future__ import annotations

from django.utils.translation import gettext as _

from lianluo.core.errors import NotFound
from lianluo.deputies.models import Deputy


def deputy_public_get(*, code: str) -> Deputy:
    deputy = (
        Deputy.objects.filter(code=code).prefetch_related("mandates__congress", "stations").first()
    )
    if deputy is None:
        raise NotFound("not_found", _("No deputy has this code."))
    return deputy
