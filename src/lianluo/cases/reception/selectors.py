"""Reads of the reception record: the station's cases a record may link."""

from __future__ import annotations

from django.db.models import Q

from lianluo.cases.models import Case
from lianluo.stations.models import ReceptionDay


def reception_cases_of(*, day: ReceptionDay) -> list[Case]:
    """The station's cases of that day and those already linked to it, oldest first."""
    return list(
        Case.objects.filter(station=day.station)
        .filter(Q(created_at__date=day.date) | Q(reception_day=day))
        .order_by("created_at")
    )
