"""Who may import, and who may see or manage a station's checklist and masters — built on the
one scope rule (core.scope)."""

from __future__ import annotations

from django.db.models import Q

from lianluo.core.models import User
from lianluo.core.scope import Scope, scope_for
from lianluo.stations.models import Station
from lianluo.stations.selectors import can_manage_station

__all__ = ["can_import", "can_manage_station", "can_see_station", "stations_visible_q"]


def can_import(user: User) -> bool:
    """Congress staff (for their area and below) and the system administrator."""
    scope = scope_for(user)
    return scope.everything or bool(scope.staff_paths)


def stations_visible_q(scope: Scope) -> Q | None:
    """Stations whose checklist and masters the scope may read; None means all."""
    if scope.everything:
        return None
    q = Q(pk__in=scope.station_ids)
    for path in scope.read_paths:
        q |= Q(area__path__startswith=path)
    return q


def can_see_station(user: User, station: Station) -> bool:
    scope = scope_for(user)
    return (
        scope.everything
        or station.pk in scope.station_ids
        or any(station.area.path.startswith(p) for p in scope.read_paths)
    )
