"""The big screen (大屏) for the congress hall: the main figures of a scope in very large type,
the charts and the children ranked by cases received. The page reloads itself every few minutes
(`<meta http-equiv=refresh>`: no script and no API token needed)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

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


@login_required
def screen(request: AuthedRequest) -> HttpResponse:
    a = asked(request)
    context = {"form": a.form, "target": a.target, "refresh": REFRESH_SECONDS}
    if a.period is None:
        return render(request, "insights/screen.html", context, status=400)
    board = Board(target=a.target, period=a.period)
    children = child_rows(children_of(a.target), a.period, a.preset)
    ranked = sorted(children, key=lambda c: (-c["figures"].received, c["target"].name))
    trend = breakdowns.trend(target=a.target, period=a.period)
    context.update(
        {
            "period": a.period,
            "rows": board.rows(MAIN),
            "ranked": ranked,
            "chart_data": chart_data(board, children, trend),
        }
    )
    return render(request, "insights/screen.html", context)
