"""The records behind a figure: `/insights/records/?figure=&scope=&from=&to=`.

Cases through insights.figures.case_records (paginated; the citizen's name masked as on the
case page, no phone; the title and the link to the case's staff page only for a case in the
viewer's ledger — a deputy sees their stations' figures, not every matter behind them),
reception days and activities through the figures' own querysets, suggestions, projects and
deputies through insights.breakdowns. The count on top equals the dashboard's figure."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from lianluo.cases.selectors import case_queryset
from lianluo.core.errors import CoreCode, NotFound
from lianluo.core.http import AuthedRequest
from lianluo.core.selectors import first_or_not_found
from lianluo.core.text import mask_name
from lianluo.insights import breakdowns
from lianluo.insights.dashboard import dashboard_url
from lianluo.insights.figures import (
    DEFINITIONS,
    Period,
    activities_held,
    case_records,
    receptions_held,
)
from lianluo.insights.models import Topic
from lianluo.insights.selectors import target_for
from lianluo.insights.views.common import asked
from lianluo.projects.models import ProjectStatus
from lianluo.suggestions.states import SuggestionStatus

PER_PAGE = 25
CASE_FIGURES = {
    n for n, d in DEFINITIONS.items() if (d.cases or d.event) and n != "suggestions_formed"
}
KINDS = {
    **dict.fromkeys(CASE_FIGURES, "cases"),
    "receptions": "receptions",
    "citizens_received": "receptions",
    "activities": "activities",
    "suggestions_formed": "suggestions",
    "projects": "projects",
    "deputies": "deputies",
    "deputies_active": "deputies",
}


def _title(figure: str) -> tuple[str, str]:
    if figure == "projects":
        return _("Livelihood projects"), _(
            "Livelihood projects of the years the period touches, in the area."
        )
    d = DEFINITIONS[figure]
    return str(d.label), str(d.text)


@login_required
def records(request: AuthedRequest) -> HttpResponse:
    figure = request.GET.get("figure", "")
    kind = KINDS.get(figure)
    if kind is None:
        raise NotFound(CoreCode.NOT_FOUND, _("No such figure."))
    a = asked(request)
    label, definition = _title(figure)
    context: dict[str, Any] = {
        "form": a.form,
        "target": a.target,
        "figure": figure,
        "kind": kind,
        "label": label,
        "definition": definition,
    }
    if a.period is None:
        return render(request, "insights/records.html", context, status=400)
    t, p = a.target, a.period
    state = request.GET.get("state", "")
    if kind == "cases":
        rows: Any = case_records(name=figure, target=t, period=p).select_related(
            "station", "congress"
        )
        rows = rows.order_by("-created_at", "-pk")
    elif kind == "receptions":
        rows = receptions_held(target=t, period=p).select_related("station", "record")
        rows = rows.order_by("-date", "-pk")
        context["citizens"] = rows.aggregate(n=Sum("record__citizens_received"))["n"] or 0
    elif kind == "activities":
        rows = activities_held(target=t, period=p).select_related("station").order_by("-start")
    elif kind == "suggestions":
        rows = breakdowns.suggestions_formed(target=t, period=p)
        if state:
            rows = rows.filter(status=state)
            context["state"] = dict(SuggestionStatus.choices).get(state, state)
    elif kind == "projects":
        rows = breakdowns.projects_of(target=t, period=p)
        if state:
            rows = rows.filter(status=state)
            context["state"] = dict(ProjectStatus.choices).get(state, state)
    else:
        rows = breakdowns.deputies_of(target=t, period=p, active=figure == "deputies_active")
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    if kind == "cases":
        visible = set(
            case_queryset(viewer=request.user)
            .filter(pk__in=[c.pk for c in page])
            .values_list("pk", flat=True)
        )
        context["case_rows"] = [
            {"case": c, "name": mask_name(c.citizen_name), "open": c.pk in visible} for c in page
        ]
    query = request.GET.copy()
    query.pop("page", None)
    context.update(
        {
            "period": p,
            "page": page,
            "querystring": query.urlencode(),
            "back": dashboard_url(t, p, a.preset),
        }
    )
    return render(request, "insights/records.html", context)


@login_required
def topic(request: AuthedRequest, pk: int) -> HttpResponse:
    """The cases of a hot topic (its period's), for viewers who may see its target."""
    row = first_or_not_found(Topic.objects.select_related("run").filter(pk=pk), _("No such topic."))
    target = target_for(request.user, row.run.scope)
    cases = row.cases.select_related("station", "congress").order_by("-created_at", "-pk")
    page = Paginator(cases, PER_PAGE).get_page(request.GET.get("page"))
    visible = set(
        case_queryset(viewer=request.user)
        .filter(pk__in=[c.pk for c in page])
        .values_list("pk", flat=True)
    )
    period = Period(row.run.start, row.run.end)
    return render(
        request,
        "insights/records.html",
        {
            "target": target,
            "kind": "cases",
            "figure": "topic",
            "label": row.label,
            "definition": _("Hot topic · keywords: %(words)s") % {"words": "、".join(row.keywords)},
            "period": period,
            "page": page,
            "querystring": "",
            "case_rows": [
                {"case": c, "name": mask_name(c.citizen_name), "open": c.pk in visible}
                for c in page
            ],
            "back": dashboard_url(target, period, ""),
            "no_form": True,
        },
    )
