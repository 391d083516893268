"""Sign-in (the lockout answer) and notifications. The desk is lianluo.portal.desk."""

from __future__ import annotations

import math
from datetime import datetime

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from lianluo.core.http import AuthedRequest
from lianluo.core.selectors import notifications_of
from lianluo.core.services import notifications_mark_read


@login_required
def notifications(request: AuthedRequest) -> HttpResponse:
    page = Paginator(notifications_of(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "core/notifications.html", {"page": page})


@login_required
@require_POST
def notifications_read(request: AuthedRequest) -> HttpResponse:
    ids = [int(i) for i in request.POST.getlist("id") if i.isdigit()] or None
    notifications_mark_read(user=request.user, ids=ids)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "notifications"
    return redirect(target)


def lockout_message(until: datetime) -> str:
    """When a throttled sign-in may be tried again, in minutes from now (rounded up)."""
    minutes = max(1, math.ceil((until - timezone.now()).total_seconds() / 60))
    return ngettext(
        "Too many failed sign-ins. Try again in %(minutes)d minute.",
        "Too many failed sign-ins. Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def lockout_response(request: HttpRequest, until: datetime) -> HttpResponse:
    """The answer to a sign-in refused by the throttle (lianluo.core.throttle): the API keeps
    its JSON `{code, message}` errors, the web gets the lockout page; 429 with Retry-After for
    both."""
    message = lockout_message(until)
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {"code": "locked_out", "message": message}, status=429
        )
    else:
        response = render(request, "core/locked_out.html", {"message": message}, status=429)
    response["Retry-After"] = str(max(1, math.ceil((until - timezone.now()).total_seconds())))
    return response
