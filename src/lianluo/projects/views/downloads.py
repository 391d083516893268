"""The staff's lists as Excel workbooks: the proposals list, with the filters of its page, the
rows of the same selector (`proposal_list`), audited."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _

from lianluo.core.http import AuthedRequest
from lianluo.core.xlsx import filters_of, xlsx_export
from lianluo.projects import exports
from lianluo.projects.selectors import collection as sel


@login_required
def proposals_xlsx(request: AuthedRequest) -> FileResponse:
    """The proposals list as filtered on the page, every row (not one page)."""
    proposals = sel.proposal_list(viewer=request.user, filters=sel.ProposalFilters.of(request.GET))
    today = timezone.localdate()
    return xlsx_export(
        actor=request.user,
        verb="export.proposals",
        filters=filters_of(request.GET),
        filename=f"project-proposals-{today:%Y%m%d}.xlsx",
        columns=exports.proposal_columns(),
        rows=exports.proposal_rows(proposals),
        sheet=_("Project proposals"),
        title=f"{_('Project proposals')} ({today:%Y-%m-%d})",
    )


urlpatterns: list[URLPattern] = [
    path("projects/proposals.xlsx", proposals_xlsx, name="proposals_xlsx"),
]
