"""The desk: a signed-in user's start page (`/desk/`, URL name `home`). It reads cases and
stations, so it lives up here with the other pages that read many apps, not in core."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render

from lianluo.cases.selectors import CaseFilters, case_list
from lianluo.core.http import AuthedRequest
from lianluo.core.scope import role_label, roles_of
from lianluo.core.selectors import notifications_of
from lianluo.stations.selectors import stations_of


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    user = request.user
    roles = roles_of(user)
    if roles == ["deputy"]:
        # A deputy (and nothing else) starts on the phone home page: stations, duties,
        # activities, cases addressed to them. Other roles keep the desk, linking to it.
        return redirect("activities:me")
    open_cases = case_list(viewer=user, filters=CaseFilters(status="open"))
    context = {
        "roles": [role_label(r) for r in roles],
        "is_deputy": "deputy" in roles,
        "stations": stations_of(user=user),
        "recent": list(open_cases[:10]),
        "open_count": open_cases.count(),
        "overdue_count": case_list(viewer=user, filters=CaseFilters(deadline="overdue")).count(),
        "due_soon_count": case_list(viewer=user, filters=CaseFilters(deadline="due_soon")).count(),
        "notifications": list(notifications_of(user)[:5]),
    }
    return render(request, "portal/desk.html", context)
