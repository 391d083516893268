"""Reads of insights: which target a viewer may see figures of, and the period asked for.

Scope is the one rule of core.scope: congress staff and leaders see their areas and everything
below them, a liaison officer their stations, a deputy the stations they are grouped into, the
administrator everything. A station's figures are public too (its public page prints them).
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from lianluo.core.errors import CoreCode, DomainError, Forbidden, NotFound
from lianluo.core.models import Area, User
from lianluo.core.scope import scope_for
from lianluo.insights.errors import InsightsCode
from lianluo.insights.figures import Period, Target
from lianluo.stations.models import Station, StationMembership

# The longest period one question may ask about (a congress's term and a little).
MAX_DAYS = 366 * 6
EARLIEST = date(2000, 1, 1)


def period_from(raw_from: str | None, raw_to: str | None, *, today: date | None = None) -> Period:
    """The period of `from`/`to` (ISO dates, both inclusive); this year to date by default."""
    today = today or timezone.localdate()
    start = _date(raw_from, "from") if raw_from else date(today.year, 1, 1)
    end = _date(raw_to, "to") if raw_to else max(today, start)
    if end < start:
        raise DomainError(
            InsightsCode.BAD_PERIOD, _("The period ends before it starts."), field="to"
        )
    if (end - start).days + 1 > MAX_DAYS:
        raise DomainError(
            InsightsCode.BAD_PERIOD,
            _("A period may be at most %(years)s years long.") % {"years": MAX_DAYS // 366},
            field="from",
        )
    return Period(start, end)


def _date(raw: str, name: str) -> date:
    try:
        value = date.fromisoformat(raw.strip())
    except ValueError:
        raise DomainError(
            InsightsCode.BAD_PERIOD,
            _("Give the date as YYYY-MM-DD, e.g. 2026-01-31."),
            field=name,
        ) from None
    if value < EARLIEST or value.year > 2100:
        raise DomainError(InsightsCode.BAD_PERIOD, _("The date is out of range."), field=name)
    return value


def _area(code: str) -> Area | None:
    return Area.objects.filter(code=code).first()


def _station(code: str) -> Station | None:
    return Station.objects.select_related("area", "congress").filter(code=code).first()


def target_of(code: str) -> Target:
    """The area (by its code) or else the station (by its public code); 404 when neither."""
    area = _area(code)
    if area is not None:
        return Target(area=area)
    station = _station(code)
    if station is not None:
        return Target(station=station)
    raise NotFound(CoreCode.NOT_FOUND, _("No area or station has this code."))


def target_public(code: str) -> Target:
    """An active station, for its public figures."""
    station = _station(code)
    if station is None or not station.active:
        raise NotFound(CoreCode.NOT_FOUND, _("No station has this code."))
    return Target(station=station)


def viewer_stations(viewer: User) -> set[int]:
    """Stations a viewer sees figures of beyond the areas: run (officer) or grouped into."""
    scope = scope_for(viewer)
    ids = set(scope.station_ids)
    if scope.deputy_ids:
        ids |= set(
            StationMembership.objects.filter(deputy_id__in=scope.deputy_ids).values_list(
                "station_id", flat=True
            )
        )
    return ids


def may_see(viewer: User, target: Target) -> bool:
    scope = scope_for(viewer)
    if scope.covers_path(target.path):
        return True
    return target.station is not None and target.station.pk in viewer_stations(viewer)


def target_for(viewer: User, code: str | None) -> Target:
    """The target a viewer asks for (their own widest one when none is named); 403 outside
    their scope."""
    if not code:
        return default_target(viewer)
    target = target_of(code.strip())
    if not may_see(viewer, target):
        raise Forbidden(CoreCode.FORBIDDEN, _("These figures are outside your area."))
    return target


def default_target(viewer: User) -> Target:
    """The viewer's widest area, else their first station; 403 when they have neither."""
    scope = scope_for(viewer)
    if scope.everything:
        top = Area.objects.filter(parent__isnull=True).order_by("code").first()
        if top is not None:
            return Target(area=top)
    paths = sorted(scope.read_paths, key=len)
    if paths:
        area = Area.objects.filter(path=paths[0]).first()
        if area is not None:
            return Target(area=area)
    stations = sorted(viewer_stations(viewer))
    if stations:
        return Target(station=Station.objects.select_related("area").get(pk=stations[0]))
    raise Forbidden(CoreCode.FORBIDDEN, _("You have no area or station to see figures of."))


def children_of(target: Target) -> list[Target]:
    """The next level down for drill-down: an area's sub-areas that have stations or cases
    below them, then the stations directly in the area; a station has none."""
    if target.area is None:
        return []
    area = target.area
    subareas = [Target(area=a) for a in Area.objects.filter(parent=area).order_by("code")]
    stations = [
        Target(station=s)
        for s in Station.objects.filter(area=area, active=True)
        .select_related("area", "congress")
        .order_by("code")
    ]
    return subareas + stations
