"""The big screen (大屏) for the congress hall: the main figures of a scope in very large type,
the charts and the children ranked by cases received. Every few minutes its script fetches the
same figures again from `screen_data` (JSON for the signed-in session: no API token on the hall's
computer) and redraws them in place; without the script the page still shows them all."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse

from lianluo.core.http import AuthedRequest
from lianluo.insights import breakdowns
from lianluo.insights.dashboard import Board
from lianluo.insights.selectors import children_of
from lianluo.insights.views.common import asked
from lianluo.insights.views.dashboard import chart_data, child_rows

REFRESH_SECONDS = 300
MAIN = (
    "received",
    "closed",
    "closure_rate",
    "on_time_rate",
    "satisfaction_rate",
    "citizens_received",
    "receptions",
    "activities",
    "suggestions_formed",
    "overdue",
)


def ranked(children: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The ten children with the most cases received (then by name)."""
    return sorted(children, key=lambda c: (-c["figures"].received, c["target"].name))[:10]


@login_required
def screen(request: AuthedRequest) -> HttpResponse:
    a = asked(request)
    context = {
        "form": a.form,
        "target": a.target,
        "refresh": REFRESH_SECONDS,
        "refresh_minutes": REFRESH_SECONDS // 60,
        "refresh_url": f"{reverse('insights:screen_data')}?{request.GET.urlencode()}",
    }
    if a.period is None:
        return render(request, "insights/screen.html", context, status=400)
    board = Board(target=a.target, period=a.period)
    children = child_rows(children_of(a.target), a.period, a.preset)
    trend = breakdowns.trend(target=a.target, period=a.period)
    context.update(
        {
            "period": a.period,
            "rows": board.rows(MAIN),
            "ranked": ranked(children),
            "chart_data": chart_data(board, children, trend),
        }
    )
    return render(request, "insights/screen.html", context)


@login_required
def screen_data(request: AuthedRequest) -> JsonResponse:
    """The big screen's figures as JSON: figures_of(...).as_dict(), the figures as the page
    writes them (`shown`), and the charts' data. Scope and period as the page's; 422 on bad
    dates (with the message), 403/404 as the page."""
    a = asked(request)
    if a.period is None:
        errors = [str(m) for ms in a.form.errors.values() for m in ms]
        return JsonResponse({"code": "bad_period", "message": " ".join(errors)}, status=422)
    board = Board(target=a.target, period=a.period)
    children = child_rows(children_of(a.target), a.period, a.preset)
    trend = breakdowns.trend(target=a.target, period=a.period)
    return JsonResponse(
        {
            "figures": board.now.as_dict(),
            "shown": {r.name: r.shown for r in board.rows(MAIN)},
            "charts": chart_data(board, children, trend),
            "ranking": [
                {
                    "name": c["target"].name,
                    "received": c["figures"].received,
                    "satisfaction": c["satisfaction"],
                }
                for c in ranked(children)
            ],
        }
    )
