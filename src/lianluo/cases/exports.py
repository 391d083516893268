"""The case ledger as an Excel workbook: the columns the ledger page shows (number, title,
category, status, class, station, deadline and its flag, submitted at), every row the page's
filters give, through `selectors.case_list` (the same scope). Like the page, no citizen's name
or phone: those are revealed one case at a time, audited."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lianluo.cases.models import Case
from lianluo.core.xlsx import DATE, DATETIME, Column, Marked, Row

CHUNK = 2000  # rows fetched per query while the workbook is written


def ledger_columns() -> list[Column]:
    return [
        Column(_("Number"), 18),
        Column(_("Title"), 40),
        Column(_("Category"), 14),
        Column(_("Status"), 12),
        Column(_("Class"), 12),
        Column(_("Station"), 24),
        Column(_("Deadline"), 12, DATE),
        Column(_("Deadline state"), 10),
        Column(_("Submitted at"), 17, DATETIME),
    ]


def ledger_rows(cases: QuerySet[Case]) -> Iterator[Row]:
    """One row per case, overdue ones marked, read in chunks (constant memory)."""
    now = timezone.now()
    flags = {"overdue": _("Overdue"), "due_soon": _("Due soon")}
    for c in cases.iterator(chunk_size=CHUNK):
        state = c.deadline_state(now)
        values = [
            c.number,
            c.display_title,
            c.category.label if c.category else "",
            c.get_status_display(),
            c.get_triage_display(),
            c.station.name if c.station else c.congress.name,
            timezone.localdate(c.deadline) if c.deadline else None,
            flags.get(state, ""),
            c.created_at,
        ]
        yield Marked(values) if state == "overdue" else values
