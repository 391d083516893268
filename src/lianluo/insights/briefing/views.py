"""The briefing page (preview and downloads) within the viewer's scope."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from lianluo.core.errors import DomainError
from lianluo.core.http import AuthedRequest
from lianluo.insights.briefing.build import Briefing, briefing_for, last_month
from lianluo.insights.briefing.docx import briefing_docx
from lianluo.insights.briefing.pdf import briefing_pdf, sections
from lianluo.insights.selectors import period_from, target_for
from lianluo.insights.topics import topic_lines, topics_latest

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _asked(request: AuthedRequest) -> tuple[Briefing, dict[str, str]]:
    """The briefing asked for; 403 outside the viewer's scope, a DomainError for a bad period."""
    target = target_for(request.user, request.GET.get("scope"))
    raw_from, raw_to = request.GET.get("from"), request.GET.get("to")
    period = period_from(raw_from, raw_to) if raw_from or raw_to else last_month()
    query = {"scope": target.code, "from": period.start.isoformat(), "to": period.end.isoformat()}
    topics = topic_lines(topics_latest(target=target, period=period))
    return briefing_for(target=target, period=period, topics=topics), query


@login_required
def page(request: AuthedRequest) -> HttpResponse:
    context: dict[str, Any] = {"form": request.GET, "error": None}
    try:
        briefing, query = _asked(request)
    except DomainError as exc:
        if exc.status != 422:
            raise
        context["error"] = exc.message
        return render(request, "insights/briefing.html", context, status=422)
    context.update(b=briefing, sections=sections(briefing), query=urlencode(query), **query)
    return render(request, "insights/briefing.html", context)


def _download(content: bytes, *, content_type: str, filename: str, inline: bool) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    kind = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{kind}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def pdf(request: AuthedRequest) -> HttpResponse:
    briefing, _query = _asked(request)
    return _download(
        briefing_pdf(briefing),
        content_type="application/pdf",
        filename=f"{briefing.filename}.pdf",
        inline=True,
    )


@login_required
def docx(request: AuthedRequest) -> HttpResponse:
    briefing, _query = _asked(request)
    return _download(
        briefing_docx(briefing),
        content_type=DOCX_TYPE,
        filename=f"{briefing.filename}.docx",
        inline=False,
    )
