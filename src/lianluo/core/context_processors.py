"""Header data for every page: the unread notification count and the user's roles."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from lianluo.core.models import Notification


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "unread_count": Notification.objects.filter(user=user, read_at__isnull=True).count(),
    }
