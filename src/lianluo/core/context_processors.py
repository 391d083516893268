"""Header data for every page: the unread notification count and the user's roles."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from lianluo.core.scope import scope_for
from lianluo.core.selectors import unread_count


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    scope = scope_for(user)
    officer = bool(scope.everything or scope.staff_paths or scope.station_ids)
    return {
        "unread_count": unread_count(user),
        # Which sections the header offers: each page still checks scope itself.
        "nav": {
            "reception": officer or bool(scope.deputy_ids),
            "activities": officer or bool(scope.deputy_ids),
            "setup": officer,
            "points": officer or bool(scope.deputy_ids or scope.leader_paths),
            "board": officer or bool(scope.deputy_ids or scope.leader_paths),
            "suggestions": bool(
                scope.everything
                or scope.staff_paths
                or scope.leader_paths
                or scope.deputy_ids
                or scope.department_ids
            ),
            "file_suggestion": bool(scope.deputy_ids),  # the filing page is the deputies'
            "projects": bool(scope.everything or scope.staff_paths or scope.leader_paths),
            # the dashboard: staff, leaders, liaison officers, deputies (their stations)
            "insights": officer or bool(scope.deputy_ids or scope.leader_paths),
        },
    }
