"""The ledger as an Excel workbook in the layout staff use for reports (代表建议办理台账): a
title row, then one row per item with real dates, set widths, the header frozen and overdue
items in light red. Headers follow the UI's language. The rows are the page's
(`selectors.ledger_rows` with the same filters, then `ledger_lines`), read in chunks and
written by `lianluo.core.xlsx` in constant memory."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lianluo.core.xlsx import DATE, Column, Marked, Row
from lianluo.suggestions.models import Suggestion
from lianluo.suggestions.selectors import ledger_lines

CHUNK = 500  # items per query (and per batch of electing units) while the workbook is written


def ledger_columns() -> list[Column]:
    """The columns in the staff's order, with their widths in characters."""
    return [
        Column(_("No."), 6),
        Column(_("Suggestion number"), 18),
        Column(_("Title"), 40),
        Column(_("Lead deputy"), 12),
        Column(_("Co-signing deputies"), 20),
        Column(_("Electing unit"), 16),
        Column(_("Category"), 16),
        Column(_("Lead department"), 20),
        Column(_("Co-departments"), 20),
        Column(_("Assigned on"), 12, DATE),
        Column(_("Reply due"), 12, DATE),
        Column(_("Replied on"), 12, DATE),
        Column(_("Reply class"), 10),
        Column(_("Deputy's rating"), 14),
        Column(_("Status"), 12),
    ]


def ledger_rows(items: QuerySet[Suggestion]) -> Iterator[Row]:
    """One numbered row per item, overdue ones marked."""
    stream = items.iterator(chunk_size=CHUNK)
    n = 0
    while chunk := list(islice(stream, CHUNK)):
        for line in ledger_lines(chunk):
            n += 1
            s = line.item
            values = [
                n,
                s.number or "",
                s.title,
                s.deputy.name if s.deputy else "",
                "、".join(line.co_signers),
                line.constituency,
                s.get_category_display() if s.category else "",
                "、".join(line.lead),
                "、".join(line.co),
                timezone.localdate(s.assigned_at) if s.assigned_at else None,
                s.deadline,
                timezone.localdate(s.replied_at) if s.replied_at else None,
                s.reply_class,
                s.get_last_rating_display() if s.last_rating else "",
                s.get_status_display(),
            ]
            yield Marked(values) if line.days_overdue is not None else values
