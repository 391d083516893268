"""The activities list as an Excel workbook: every activity of the stations the viewer runs
that the page's filters (station, status) give — not only the page's first hundred — with its
sign-ups and check-ins counted in the same query."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from lianluo.activities.models import Activity
from lianluo.activities.selectors import ActivityFilters, activity_list, stations_managed
from lianluo.core.models import User
from lianluo.core.xlsx import DATETIME, Column, Row

CHUNK = 2000  # rows fetched per query while the workbook is written


def activities_for_export(*, viewer: User, filters: ActivityFilters) -> QuerySet[Activity]:
    """What the officer's list shows, every row, with the counts the workbook prints."""
    return (
        activity_list(viewer=viewer, filters=filters)
        .filter(station__in=stations_managed(viewer=viewer))
        .select_related("station", "theme")
        .annotate(
            signed_up=Count("signups", distinct=True),
            checked_in=Count(
                "signups", filter=Q(signups__checked_in_at__isnull=False), distinct=True
            ),
        )
    )


def activity_columns() -> list[Column]:
    return [
        Column(_("Station"), 24),
        Column(_("Title"), 36),
        Column(_("Type"), 14),
        Column(_("Theme of the month"), 20),
        Column(_("Place"), 24),
        Column(_("Start"), 17, DATETIME),
        Column(_("End"), 17, DATETIME),
        Column(_("Status"), 10),
        Column(_("Capacity"), 8),
        Column(_("Signed up"), 8),
        Column(_("Checked in"), 8),
    ]


def activity_rows(activities: QuerySet[Activity]) -> Iterator[Row]:
    for a in activities.iterator(chunk_size=CHUNK):
        yield [
            a.station.name,
            a.title,
            a.get_type_display(),
            a.theme.title if a.theme else "",
            a.place,
            a.start,
            a.end,
            a.get_status_display(),
            a.capacity,
            a.signed_up,  # type: ignore[attr-defined]
            a.checked_in,  # type: ignore[attr-defined]
        ]
