"""Reads of stations: public lookups and the viewer's own stations."""

from __future__ import annotations

from datetime import date

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lianluo.core.errors import NotFound
from lianluo.core.models import Role, User
from lianluo.core.scope import scope_for
from lianluo.deputies.models import Deputy
from lianluo.stations.models import ReceptionDay, Station


def station_public_list() -> QuerySet[Station]:
    return Station.objects.filter(active=True).select_related("area", "parent").order_by("code")


def station_public_get(*, code: str) -> Station:
    station = (
        Station.objects.filter(code=code, active=True)
        .select_related("area", "congress", "parent")
        .prefetch_related(
            Prefetch(
                "deputies",
                queryset=Deputy.objects.prefetch_related("mandates").order_by("code"),
            )
        )
        .first()
    )
    if station is None:
        raise NotFound("not_found", _("No station has this code."))
    return station


def reception_days_upcoming(
    *, station: Station | None = None, deputy: Deputy | None = None, limit: int = 5
) -> list[ReceptionDay]:
    today: date = timezone.localdate()
    qs = ReceptionDay.objects.filter(date__gte=today, status="published").select_related("station")
    if station is not None:
        qs = qs.filter(station=station)
    if deputy is not None:
        qs = qs.filter(deputies=deputy)
    return list(qs.prefetch_related("deputies").order_by("date", "start")[:limit])


def stations_of(*, user: User) -> list[Station]:
    """Stations the user runs (liaison officer) or belongs to (as a deputy)."""
    ids = set(user.role_assignments.filter(role=Role.LIAISON).values_list("station_id", flat=True))
    deputy = getattr(user, "deputy", None) if hasattr(user, "deputy") else None
    qs = Station.objects.filter(id__in=ids)
    if deputy is not None:
        qs = qs | Station.objects.filter(memberships__deputy=deputy)
    return list(qs.distinct().order_by("code"))


def stations_in_scope(*, viewer: User) -> QuerySet[Station]:
    """Stations whose cases the viewer may list: by area for staff and leaders, their own
    stations for officers and deputies (the ledger's station filter)."""
    from django.db.models import Q

    scope = scope_for(viewer)
    qs = Station.objects.select_related("area").order_by("code")
    if scope.everything:
        return qs
    q = Q(pk__in=scope.station_ids)
    for path in scope.read_paths:
        q |= Q(area__path__startswith=path)
    if scope.deputy_ids:
        q |= Q(memberships__deputy_id__in=scope.deputy_ids)
    return qs.filter(q).distinct()
