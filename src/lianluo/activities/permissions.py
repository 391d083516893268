"""Who may run, see and join a station's activities — built on the one scope rule (core.scope).

Liaison officers run the activities of their own stations, congress staff those of every station
in their area; leaders read what is in their area; deputies see and join the activities of the
stations they belong to (编组进站). Drafts are seen only by those who run the station.
"""

from __future__ import annotations

from django.db.models import Q

from lianluo.activities.states import VISIBLE_TO_DEPUTIES
from lianluo.core.models import User
from lianluo.core.scope import Scope, scope_for
from lianluo.deputies.models import Deputy
from lianluo.stations.models import Station, StationMembership


def can_manage(user: User | None, station: Station) -> bool:
    """Create, edit, publish, cancel, show the check-in code and record an activity."""
    scope = scope_for(user)
    if scope.everything or station.pk in scope.station_ids:
        return True
    return any(station.area.path.startswith(p) for p in scope.staff_paths)


def is_member(deputy: Deputy | None, station: Station) -> bool:
    if deputy is None:
        return False
    return StationMembership.objects.filter(station=station, deputy=deputy).exists()


def managed_station_q(scope: Scope, prefix: str = "") -> Q | None:
    """The stations a scope runs (None: all of them). `prefix` walks from another model."""
    if scope.everything:
        return None
    q = Q(**{f"{prefix}pk__in": list(scope.station_ids)})
    for path in scope.staff_paths:
        q |= Q(**{f"{prefix}area__path__startswith": path})
    return q


def visible_q(scope: Scope) -> Q | None:
    """The activities a scope may see; None means all of them."""
    if scope.everything:
        return None
    managed = managed_station_q(scope, "station__")
    assert managed is not None
    q = managed
    for path in scope.leader_paths:
        q |= Q(station__area__path__startswith=path) & ~Q(status="draft")
    if scope.deputy_ids:
        # A subquery, not a join over memberships: no duplicate rows, no DISTINCT needed.
        member_of = StationMembership.objects.filter(deputy_id__in=list(scope.deputy_ids)).values(
            "station_id"
        )
        q |= Q(station_id__in=member_of, status__in=list(VISIBLE_TO_DEPUTIES))
    return q
