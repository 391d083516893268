"""Reads of stations: public lookups and the viewer's own stations."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lianluo.core.errors import CoreCode, NotFound
from lianluo.core.models import Congress, Holiday, Role, User
from lianluo.core.scope import scope_for
from lianluo.core.selectors import first_or_not_found
from lianluo.deputies.models import Deputy, Unavailability
from lianluo.deputies.selectors import deputy_of_account as deputy_of
from lianluo.stations.models import (
    Duty,
    ReceptionDay,
    ReceptionRecord,
    ReceptionRule,
    ReceptionStatus,
    Station,
)


def station_public_list() -> QuerySet[Station]:
    return Station.objects.filter(active=True).select_related("area", "parent").order_by("code")


def station_active_by_code(code: str) -> Station | None:
    """The active station with this code, or None (one query, nothing prefetched)."""
    return Station.objects.filter(code=code, active=True).first()


def station_public_get(*, code: str) -> Station:
    return first_or_not_found(
        Station.objects.filter(code=code, active=True)
        .select_related("area", "congress", "parent")
        .prefetch_related(
            Prefetch(
                "deputies",
                queryset=Deputy.objects.prefetch_related("mandates").order_by("code"),
            )
        ),
        _("No station has this code."),
    )


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


# ---- reception: rules, days, duty rosters, records (the "reception" part) ------------------


def can_manage_station(user: User, station: Station) -> bool:
    """Who runs a station's reception days: its liaison officers, congress staff whose area
    covers it, the system administrator. Leaders only read; deputies sign up."""
    scope = scope_for(user)
    return (
        scope.everything
        or station.pk in scope.station_ids
        or scope.covers_path(station.area.path, acting=True)
    )


def stations_managed(*, viewer: User) -> QuerySet[Station]:
    """Stations whose reception days the viewer runs."""
    scope = scope_for(viewer)
    qs = (
        Station.objects.filter(active=True)
        .select_related("area", "congress", "parent")
        .order_by("code")
    )
    if scope.everything:
        return qs
    q = Q(pk__in=scope.station_ids)
    for path in scope.staff_paths:
        q |= Q(area__path__startswith=path)
    return qs.filter(q)


def station_tree(stations: list[Station]) -> list[tuple[Station, int]]:
    """The stations in the order of their hierarchy (站—室—家): each under its parent, with its
    depth; one whose parent is not in the list starts a tree of its own. No query."""
    present = {s.pk for s in stations}
    children: dict[int | None, list[Station]] = {}
    for s in stations:
        key = s.parent_id if s.parent_id in present else None
        children.setdefault(key, []).append(s)
    ordered: list[tuple[Station, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for s in children.get(parent, []):
            ordered.append((s, depth))
            if depth < 10:  # a cycle (refused on write) cannot loop here
                walk(s.pk, depth + 1)

    walk(None, 0)
    return ordered


def station_managed_get(*, viewer: User, code: str) -> Station:
    """A station the viewer runs; missing and not-yours are the same NotFound."""
    return first_or_not_found(
        stations_managed(viewer=viewer).filter(code=code), _("No station has this code.")
    )


def reception_rules_of(*, station: Station) -> list[ReceptionRule]:
    return list(station.rules.order_by("-active", "kind", "start", "pk"))


def _days_queryset() -> QuerySet[ReceptionDay]:
    return ReceptionDay.objects.select_related("station__congress", "rule").prefetch_related(
        Prefetch("duty", queryset=Duty.objects.select_related("deputy").order_by("deputy__code"))
    )


def reception_days_upcoming(
    *,
    station: Station | None = None,
    deputy: Deputy | None = None,
    today: date | None = None,
    days: int | None = None,
    limit: int | None = 5,
) -> list[ReceptionDay]:
    """The published reception days from today (for `days` days if given, at most `limit`) of
    a station, or those a deputy is on duty on, in date order: what the public sees (值班预告).
    Each comes with its station, its congress and area, `duty` (with the deputy) and
    `deputies`, both in code order."""
    start = today or timezone.localdate()
    qs = (
        _days_queryset()
        .select_related("station__area")
        .prefetch_related("deputies")
        .filter(status=ReceptionStatus.PUBLISHED, date__gte=start)
    )
    if days is not None:
        qs = qs.filter(date__lte=start + timedelta(days=days))
    if station is not None:
        qs = qs.filter(station=station)
    if deputy is not None:
        qs = qs.filter(duty__deputy=deputy).distinct()
    qs = qs.order_by("date", "start")
    return list(qs if limit is None else qs[:limit])


def reception_days_of(
    *,
    station: Station,
    start: date | None = None,
    end: date | None = None,
    statuses: list[str] | None = None,
) -> list[ReceptionDay]:
    """A station's reception days in a period, with their duties (two queries)."""
    qs = _days_queryset().filter(station=station)
    if start is not None:
        qs = qs.filter(date__gte=start)
    if end is not None:
        qs = qs.filter(date__lte=end)
    if statuses:
        qs = qs.filter(status__in=statuses)
    return list(qs.order_by("date", "start"))


def reception_day_get(*, viewer: User, pk: int) -> ReceptionDay:
    """A reception day of a station the viewer runs (NotFound otherwise)."""
    qs = _days_queryset().select_related("station__area", "station__congress")
    day = qs.filter(pk=pk).first()
    if day is None or not can_manage_station(viewer, day.station):
        raise NotFound(CoreCode.NOT_FOUND, _("Reception day not found."))
    return day


def station_deputies(*, station: Station) -> list[Deputy]:
    """The deputies grouped into the station (the rotation's pool), in code order."""
    return list(station_deputy_choices(station=station))


def station_deputy_choices(*, station: Station, also: list[int] | None = None) -> QuerySet[Deputy]:
    """The station's deputies (and those with the ids `also`, e.g. on duty), in code order:
    the choices of a roster or record form."""
    q = Q(memberships__station=station)
    if also:
        q |= Q(pk__in=also)
    return Deputy.objects.filter(q).order_by("code").distinct()


def reception_rule_get(*, station: Station, pk: int) -> ReceptionRule:
    return first_or_not_found(station.rules.filter(pk=pk), _("Reception rule not found."))


def reception_days_to_publish(
    *, station: Station, ids: list[int], all_drafts: bool = False
) -> list[ReceptionDay]:
    """The days of the station an officer chose to publish (or all its coming drafts)."""
    qs = station.reception_days.select_related("station__congress", "station__area")
    if all_drafts:
        return list(qs.filter(status=ReceptionStatus.DRAFT, date__gte=timezone.localdate()))
    return list(qs.filter(pk__in=ids))


def reception_day_lookup(*, pk: int) -> ReceptionDay:
    """Any reception day by id, with its station and duties; the service decides whether the
    user may act on it (sign-up, withdrawal)."""
    return first_or_not_found(_days_queryset().filter(pk=pk), _("Reception day not found."))


def unavailable_on(*, deputies: list[Deputy], day: date) -> set[int]:
    """Ids of those deputies who have declared themselves unavailable on that day."""
    return set(
        Unavailability.objects.filter(
            deputy__in=deputies, start__lte=day, end__gte=day
        ).values_list("deputy_id", flat=True)
    )


def reception_days_feed(
    *, station: Station | None = None, deputy: Deputy | None = None, past_days: int = 90
) -> list[ReceptionDay]:
    """Days for a calendar feed: published ones and those cancelled after publication (so
    subscribed calendars drop them), from `past_days` ago on."""
    since = timezone.localdate() - timedelta(days=past_days)
    qs = (
        _days_queryset()
        .select_related("station__area")
        .filter(date__gte=since, published_at__isnull=False)
        .filter(status__in=["published", "cancelled"])
    )
    if station is not None:
        qs = qs.filter(station=station)
    if deputy is not None:
        qs = qs.filter(duty__deputy=deputy).distinct()
    return list(qs.order_by("date", "start"))


def deputy_station_has(*, user: User, code: str) -> bool:
    """Whether the user is a deputy of the station with that code."""
    deputy = deputy_of(user=user)
    return deputy is not None and deputy.stations.filter(code=code).exists()


def signup_days_for(*, deputy: Deputy) -> list[ReceptionDay]:
    """Upcoming sign-up days at the deputy's stations (draft or published, not cancelled)."""
    today = timezone.localdate()
    qs = _days_queryset().filter(
        station__memberships__deputy=deputy,
        rule__assignment="signup",
        status__in=["draft", "published"],
        date__gte=today,
    )
    return list(qs.order_by("date", "start").distinct())


def duties_upcoming(*, deputy: Deputy, limit: int = 20) -> list[ReceptionDay]:
    """The deputy's own coming duties (published or draft), for their sign-up page."""
    today = timezone.localdate()
    qs = _days_queryset().filter(
        duty__deputy=deputy, status__in=["draft", "published"], date__gte=today
    )
    return list(qs.order_by("date", "start").distinct()[:limit])


def reception_record_of(*, day: ReceptionDay) -> ReceptionRecord | None:
    return (
        ReceptionRecord.objects.filter(reception_day=day)
        .prefetch_related("deputies_present", "officials__department")
        .first()
    )


def reception_days_to_record(*, station: Station, limit: int = 10) -> list[ReceptionDay]:
    """Past days of the station (not cancelled), latest first, for the record form."""
    today = timezone.localdate()
    qs = (
        _days_queryset()
        .select_related("record")
        .filter(station=station, date__lte=today)
        .exclude(status="cancelled")
    )
    return list(qs.order_by("-date", "-start")[:limit])


def congresses_managed(*, viewer: User) -> QuerySet[Congress]:
    """Congresses the viewer manages (lists their holidays, edits their duty catalog): congress
    staff of that area or above it."""
    scope = scope_for(viewer)
    qs = Congress.objects.select_related("area").order_by("area__path")
    if scope.everything:
        return qs
    q = Q(pk__in=[])
    for path in scope.staff_paths:
        q |= Q(area__path__startswith=path)
    return qs.filter(q)


def holiday_get(*, pk: int) -> Holiday:
    """A listed holiday by id; the service checks that the user lists that congress's."""
    return first_or_not_found(
        Holiday.objects.select_related("congress__area").filter(pk=pk), _("Not found.")
    )


def holidays_listed(*, congresses: QuerySet[Congress], since: date) -> list[Holiday]:
    return list(
        Holiday.objects.filter(congress__in=congresses, date__gte=since)
        .select_related("congress")
        .order_by("date", "congress__area__path")
    )


def unavailability_of(*, deputy: Deputy) -> list[Unavailability]:
    """The deputy's declared periods that have not ended yet."""
    today = timezone.localdate()
    return list(Unavailability.objects.filter(deputy=deputy, end__gte=today).order_by("start"))


def unavailability_get(*, pk: int) -> Unavailability:
    """A declared period by id; the service checks that it is the user's own."""
    return first_or_not_found(Unavailability.objects.filter(pk=pk), _("Not found."))
