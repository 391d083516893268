"""A deputy's archive page (履职档案) and what is done from it: the duty report (PDF, DOCX),
recording the report to the voters (述职), filing a draft suggestion, reversing an entry. The URL
names are the ledger's (`duty:archive`, …): the archive is the ledger's page seen with
everything else the deputy did, which only this floor may read."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lianluo.board.archive import archive_for, archive_suggestion_get
from lianluo.board.reports import ReportDocument, report_document, report_docx, report_pdf
from lianluo.core.errors import DomainError, NotFound, flash_outcome
from lianluo.core.http import AuthedRequest
from lianluo.core.scope import scope_for
from lianluo.duty.catalog import item_label
from lianluo.duty.forms import ReverseForm
from lianluo.duty.pages import archive_url, year_asked
from lianluo.duty.selectors import can_manage_points, deputy_get, entry_get
from lianluo.duty.services import duty_report_submit, points_reverse
from lianluo.suggestions.services import suggestion_file

ENTRIES_SHOWN = 50


def _archive_context(request: AuthedRequest, code: str, year: int) -> dict[str, Any]:
    # The latest entries on a phone; every one of them on request.
    show_all = request.GET.get("all") == "1"
    archive = archive_for(
        viewer=request.user,
        deputy_code=code,
        year=year,
        limit=None if show_all else ENTRIES_SHOWN,
    )
    scope = scope_for(request.user)
    return {
        "duty_reported": archive.duty_reported,
        "a": archive,
        "year": year,
        "entries": archive.entries,
        "hidden": archive.entries_count - len(archive.entries),
        "can_manage": can_manage_points(request.user, archive.deputy),
        "is_self": archive.deputy.pk in scope.deputy_ids,
        "reverse_form": ReverseForm(),
        "reverse_errors": {},
    }


@login_required
def archive(request: AuthedRequest, code: str) -> HttpResponse:
    return render(
        request, "duty/archive.html", _archive_context(request, code, year_asked(request))
    )


def _report(request: AuthedRequest, code: str) -> tuple[ReportDocument, str]:
    a = archive_for(viewer=request.user, deputy_code=code, year=year_asked(request))
    language = request.GET.get("lang") or translation.get_language() or "zh-hans"
    if language not in ("zh-hans", "en"):
        language = "zh-hans"
    with translation.override(language):
        return report_document(a), language


def _download(
    content: bytes, *, content_type: str, disposition: str, language: str
) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = disposition
    response["Content-Language"] = language
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def report_pdf_view(request: AuthedRequest, code: str) -> HttpResponse:
    doc, language = _report(request, code)
    with translation.override(language):
        content = report_pdf(doc)
    return _download(
        content,
        content_type="application/pdf",
        disposition=f'inline; filename="{doc.filename}.pdf"',
        language=language,
    )


@login_required
def report_docx_view(request: AuthedRequest, code: str) -> HttpResponse:
    doc, language = _report(request, code)
    return _download(
        report_docx(doc),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        disposition=f'attachment; filename="{doc.filename}.docx"',
        language=language,
    )


@login_required
@require_POST
def report_submit(request: AuthedRequest, code: str) -> HttpResponse:
    """The deputy reported to the voters this year (述职): credits it once."""
    year = year_asked(request)
    deputy = deputy_get(viewer=request.user, code=code)
    try:
        entry = duty_report_submit(actor=request.user, deputy=deputy, year=year)
    except NotFound:
        raise  # the 404 page, through the middleware
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        if entry is None:
            messages.info(request, _("The duty report of this year was recorded before."))
        else:
            messages.success(
                request,
                _("Recorded: duty reported to the voters, %(points)s points.")
                % {"points": entry.points},
            )
    return redirect(archive_url(code, year))


@login_required
@require_POST
def suggestion_file_view(request: AuthedRequest, code: str, pk: int) -> HttpResponse:
    """File a draft suggestion of the deputy (from the archive's list)."""
    year = year_asked(request)
    deputy = deputy_get(viewer=request.user, code=code)
    suggestion = archive_suggestion_get(deputy=deputy, pk=pk)
    flash_outcome(
        request,
        lambda: suggestion_file(actor=request.user, suggestion=suggestion),
        done=_("Filed: %(title)s") % {"title": suggestion.title},
    )
    return redirect(archive_url(code, year, "#suggestions"))


@login_required
@require_POST
def reverse_entry(request: AuthedRequest, pk: int) -> HttpResponse:
    """Reverse a counted entry from the archive; a refusal shows the archive again at it."""
    entry = entry_get(viewer=request.user, pk=pk)
    form = ReverseForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            points_reverse(actor=request.user, entry=entry, reason=form.cleaned_data["reason"])
        except NotFound:
            raise  # the 404 page, through the middleware
        except DomainError as exc:
            error = str(exc.message)
        else:
            messages.success(
                request,
                _("Corrected: %(item)s, %(points)s points reversed.")
                % {"item": item_label(entry.item), "points": entry.points},
            )
            return redirect(archive_url(entry.deputy.code, entry.year, "#entries"))
    else:
        error = _("Give the reason for the correction.")
    context = _archive_context(request, entry.deputy.code, entry.year)
    context["reverse_errors"] = {entry.pk: (form, error)}
    return render(request, "duty/archive.html", context, status=400)
