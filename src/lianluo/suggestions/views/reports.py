"""The reading pages of suggestions: the ledger (and its Excel export), key suggestions, the
statistics, the annual handling report, and the congress's public page. Every page shows only
what `suggestions_visible` gives the user; the public page only `public_replies`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from lianluo.core.errors import CoreCode, Forbidden, NotFound
from lianluo.core.http import AuthedRequest
from lianluo.core.models import Congress
from lianluo.core.xlsx import filters_of, xlsx_export
from lianluo.suggestions import exports, report, selectors
from lianluo.suggestions.rules import reply_class_labels
from lianluo.suggestions.states import Kind, SuggestionStatus

PAGE_SIZE = 25


def _reader(request: AuthedRequest) -> None:
    if not selectors.can_read_reports(request.user):
        raise Forbidden(
            CoreCode.FORBIDDEN, _("These pages are for congress staff and departments.")
        )


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _yes_no(value: str | None) -> bool | None:
    return {"1": True, "0": False}.get(value or "")


@dataclass
class LedgerQuery:
    """The ledger's filters as the page's form sends them (also the export's)."""

    status: str
    kind: str
    department: str
    overdue: str
    key: str
    congress: str
    year: str
    q: str

    @classmethod
    def of(cls, request: HttpRequest) -> LedgerQuery:
        g = request.GET
        return cls(**{name: g.get(name, "").strip() for name in cls.__dataclass_fields__})

    def congress_of(self, request: AuthedRequest) -> Congress | None:
        return selectors.congress_by_code(request.user, self.congress)

    def rows(self, request: AuthedRequest) -> Any:
        return selectors.ledger_rows(
            request.user,
            status=self.status if self.status in SuggestionStatus.values else None,
            department=self.department or None,
            overdue=_yes_no(self.overdue),
            kind=self.kind if self.kind in Kind.values else None,
            congress=self.congress_of(request),
            key=_yes_no(self.key),
            year=_int(self.year),
            search=self.q or None,
        )


def _querystring_without_page(request: HttpRequest) -> str:
    q = request.GET.copy()
    q.pop("page", None)
    return q.urlencode()


@login_required
def ledger(request: AuthedRequest) -> HttpResponse:
    """The ledger (建议台账): filtered, overdue first and marked with the days overdue."""
    _reader(request)
    query = LedgerQuery.of(request)
    page = Paginator(query.rows(request), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "lines": selectors.ledger_lines(list(page.object_list)),
        "filters": query,
        "statuses": SuggestionStatus.choices,
        "kinds": Kind.choices,
        "congresses": selectors.congresses_in_view(request.user),
        "departments": selectors.departments_in_view(request.user),
        "querystring": _querystring_without_page(request),
    }
    return render(request, "suggestions/report_ledger.html", context)


def _congress_and_year(request: AuthedRequest) -> tuple[Congress | None, int | None]:
    return (
        selectors.congress_by_code(request.user, request.GET.get("congress")),
        _int(request.GET.get("year")),
    )


@login_required
def key(request: AuthedRequest) -> HttpResponse:
    """The key suggestions' assignment table (重点建议交办表) and each one's progress log."""
    _reader(request)
    congress, year = _congress_and_year(request)
    return render(
        request,
        "suggestions/report_key.html",
        {
            "rows": selectors.key_suggestions(request.user, congress=congress, year=year),
            "congresses": selectors.congresses_in_view(request.user),
            "congress": congress,
            "year": year,
        },
    )


@login_required
def stats(request: AuthedRequest) -> HttpResponse:
    """Per department and per congress: registered, assigned, answered on time, overdue,
    classification shares and the deputies' satisfaction (first round)."""
    _reader(request)
    congress, year = _congress_and_year(request)
    tables = report.stats_tables(request.user, congress=congress, year=year)
    return render(
        request,
        "suggestions/report_stats.html",
        {
            "tables": tables,
            "congresses": selectors.congresses_in_view(request.user),
            "congress": congress,
            "year": year,
        },
    )


@login_required
def ledger_xlsx(request: AuthedRequest) -> FileResponse:
    """The ledger as filtered on the page, every row (not one page), as an Excel workbook."""
    _reader(request)
    query = LedgerQuery.of(request)
    congress = query.congress_of(request)
    today = timezone.localdate()
    title = _("Deputies' suggestions: handling ledger")
    if congress is not None:
        title = f"{congress.name} {title}"
    return xlsx_export(
        actor=request.user,
        verb="export.suggestions",
        filters=filters_of(request.GET),
        filename=f"suggestions-{today:%Y%m%d}.xlsx",
        columns=exports.ledger_columns(),
        rows=exports.ledger_rows(query.rows(request)),
        sheet=_("Ledger"),
        title=f"{title} ({today:%Y-%m-%d})",
    )


# ---- public (no login) --------------------------------------------------------------------------


def public_index(request: HttpRequest) -> HttpResponse:
    """The congresses that have answered suggestions to show the public."""
    return render(
        request, "suggestions/public_index.html", {"congresses": selectors.public_congresses()}
    )


def public(request: HttpRequest, code: str) -> HttpResponse:
    """A congress's answered suggestions for citizens: title, number, departments, class and
    the public summary of each reply — nothing the deputy kept private, no internal text."""
    congress = selectors.public_congress(code)
    labels = dict(reply_class_labels(congress))
    items = [
        {**s, "class_label": labels.get(s["classification"], s["classification"])}
        for s in selectors.public_replies(congress)
    ]
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "suggestions/public_replies.html",
        {"congress": congress, "page": page, "querystring": ""},
    )


# ---- the annual handling report ------------------------------------------------------------------


def _annual(request: AuthedRequest, year: int) -> tuple[report.AnnualReport, list[Congress]]:
    _reader(request)
    congresses = selectors.congresses_in_view(request.user)
    congress = selectors.congress_by_code(request.user, request.GET.get("congress"))
    if congress is None and congresses:
        congress = congresses[0]  # the widest the user sees (ordered by area path)
    if congress is None:
        raise NotFound(CoreCode.NOT_FOUND, _("No suggestions to report on."))
    return report.annual_report(request.user, congress=congress, year=year), congresses


@login_required
def annual(request: AuthedRequest, year: int) -> HttpResponse:
    """The annual handling report as a printable page."""
    doc, congresses = _annual(request, year)
    return render(
        request,
        "suggestions/report_annual.html",
        {
            "report": doc,
            "year": year,
            "congresses": congresses,
            "querystring": request.GET.urlencode(),
        },
    )


@login_required
def annual_docx(request: AuthedRequest, year: int) -> HttpResponse:
    """The same report as an editable Word document."""
    doc, _congresses = _annual(request, year)
    response = HttpResponse(
        report.annual_report_docx(doc),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="{doc.filename}.docx"'
    response["Cache-Control"] = "private, no-store"
    return response
