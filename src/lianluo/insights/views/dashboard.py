"""The dashboard (统计分析): the figures of a scope over a period beside the period before, the
drill-down to the scope's children, and the charts' data (drawn by static/insights/dashboard.js;
every chart also has its numbers in a table)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from lianluo.core.http import AuthedRequest
from lianluo.insights import breakdowns
from lianluo.insights.dashboard import (
    CASE_ROWS,
    CHANNEL_ROWS,
    PRESETS,
    RATE_ROWS,
    RATING_ROWS,
    WORK_ROWS,
    Board,
    breadcrumb,
    dashboard_url,
    show_rate,
)
from lianluo.insights.figures import (
    DEFINITIONS,
    Period,
    Target,
    figures_of_targets,
)
from lianluo.insights.selectors import children_of
from lianluo.insights.topics import topics_latest
from lianluo.insights.views.common import asked


def child_rows(children: list[Target], period: Period, preset: str) -> list[dict[str, Any]]:
    """The drill-down table: each child's main figures and the link to its dashboard."""
    rows = []
    for child, f in zip(children, figures_of_targets(targets=children, period=period), strict=True):
        rows.append(
            {
                "target": child,
                "kind": _("Station") if child.station else _("Area"),
                "href": dashboard_url(child, period, preset),
                "figures": f,
                "closure": show_rate(f.closure_rate),
                "satisfaction": show_rate(f.satisfaction_rate),
            }
        )
    return rows


def chart_data(
    board: Board, children: list[dict[str, Any]], trend: list[tuple[str, int, int]]
) -> dict[str, Any]:
    """What the charts draw (the same numbers as the page's tables)."""
    f = board.now
    return {
        "labels": {
            "received": str(DEFINITIONS["received"].label),
            "closed": str(DEFINITIONS["closed"].label),
        },
        "trend": {
            "keys": [k for k, _r, _c in trend],
            "received": [r for _k, r, _c in trend],
            "closed": [c for _k, _r, c in trend],
        },
        "channels": [
            {"name": str(DEFINITIONS[n].label), "value": f.by_channel[n.removeprefix("channel_")]}
            for n in CHANNEL_ROWS
        ],
        "ratings": [
            {"name": str(DEFINITIONS[n].label), "value": getattr(f, n)} for n in RATING_ROWS[1:]
        ],
        "children": {
            "names": [c["target"].name for c in children],
            "received": [c["figures"].received for c in children],
            "closed": [c["figures"].closed for c in children],
        },
    }


@login_required
def dashboard(request: AuthedRequest) -> HttpResponse:
    a = asked(request)
    context: dict[str, Any] = {
        "form": a.form,
        "target": a.target,
        "presets": PRESETS,
        "crumbs": [
            (t, dashboard_url(t, a.period, a.preset) if a.period else "")
            for t in breadcrumb(request.user, a.target)
        ],
    }
    if a.period is None:
        return render(request, "insights/dashboard.html", context, status=400)
    board = Board(target=a.target, period=a.period)
    children = child_rows(children_of(a.target), a.period, a.preset)
    trend = breakdowns.trend(target=a.target, period=a.period)
    context.update(
        {
            "period": a.period,
            "board": board,
            "case_rows": board.rows(CASE_ROWS),
            "channel_rows": board.rows(CHANNEL_ROWS),
            "rating_rows": board.rows(RATING_ROWS),
            "work_rows": board.rows(WORK_ROWS),
            "rate_rows": board.rows(RATE_ROWS),
            "suggestions_formed": board.row("suggestions_formed"),
            "suggestions_by_state": [
                (label, n, board.records_url("suggestions_formed", state=state))
                for state, label, n in breakdowns.suggestions_by_state(
                    target=a.target, period=a.period
                )
            ],
            "projects_by_state": [
                (label, n, board.records_url("projects", state=state))
                for state, label, n in breakdowns.projects_by_state(
                    target=a.target, period=a.period
                )
            ],
            "children": children,
            "topics": topics_latest(target=a.target, period=a.period),
            "trend": trend,
            "chart_data": chart_data(board, children, trend),
            "ledger_url": (
                f"{reverse('cases:ledger')}?station={a.target.station.code}"
                if a.target.station
                else ""
            ),
            "screen_url": f"{reverse('insights:screen')}?scope={a.target.code}",
        }
    )
    return render(request, "insights/dashboard.html", context)
