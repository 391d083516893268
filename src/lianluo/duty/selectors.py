"""Reads of the duty archive and points: who may see and run a deputy's points, the archive
(履职档案), rankings, the verification queue and the catalog. All scoped by the viewer.

Who sees a deputy's archive: the deputy, the liaison officers of the stations they are grouped
into, congress staff whose area covers one of those stations or one of the deputy's congresses,
and the system administrator; for anyone else it does not exist (NotFound). The same people,
except the deputy, register, verify and reverse entries.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _

from lianluo.core.errors import CoreCode, NotFound
from lianluo.core.models import Congress, User
from lianluo.core.scope import Scope, scope_for
from lianluo.deputies.models import Deputy, DeputyGroup, Mandate
from lianluo.duty.models import AutoEvent, DutyItem, EntrySource, EntryStatus, PointEntry
from lianluo.stations.models import Station, StationMembership


def status_is(status: EntryStatus) -> Q:
    """Entries of that status, the value written into the SQL rather than bound: SQLite's
    planner reads a partial index (`WHERE status = 'approved'`) as covering only when the query
    names the value itself (a bound parameter costs twice the time on the ranking)."""
    # EntryStatus(status) refuses anything but the enum's own values.
    return Q(status=RawSQL(f"'{EntryStatus(status).value}'", []))  # noqa: S611


# ---- who ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reach:
    """Where a deputy belongs: their stations (id → area path) and their congresses' paths."""

    stations: dict[int, str]
    congress_ids: frozenset[int]
    paths: tuple[str, ...]


def deputy_reach(deputy: Deputy) -> Reach:
    """Two queries, then cached on the deputy object."""
    cached = getattr(deputy, "_points_reach", None)
    if cached is not None:
        return cached
    rows = list(
        StationMembership.objects.filter(deputy=deputy).values_list(
            "station_id", "station__area__path", "station__congress_id"
        )
    )
    stations = {pk: path for pk, path, _c in rows}
    station_congresses = {c for _pk, _path, c in rows}
    mandates = list(
        Mandate.objects.filter(deputy=deputy, active=True).values_list(
            "congress_id", "congress__area__path"
        )
    )
    reach = Reach(
        stations=stations,
        congress_ids=frozenset(station_congresses | {c for c, _p in mandates}),
        paths=tuple(stations.values()) + tuple(p for _c, p in mandates),
    )
    deputy._points_reach = reach  # type: ignore[attr-defined]
    return reach


def deputy_congress_ids(deputy: Deputy) -> frozenset[int]:
    """The congresses whose catalogs count the deputy's work: their stations' and mandates'."""
    return deputy_reach(deputy).congress_ids


def _covers(scope: Scope, reach: Reach) -> bool:
    return any(path.startswith(p) for path in reach.paths for p in scope.staff_paths)


def can_manage_points(user: User | None, deputy: Deputy) -> bool:
    """Register, verify and reverse the deputy's entries: an officer of one of their stations,
    congress staff whose area covers them, the system administrator."""
    scope = scope_for(user)
    if scope.everything:
        return True
    if not (scope.station_ids or scope.staff_paths):
        return False
    reach = deputy_reach(deputy)
    return bool(scope.station_ids & set(reach.stations)) or _covers(scope, reach)


def can_view_archive(user: User | None, deputy: Deputy) -> bool:
    return deputy.pk in scope_for(user).deputy_ids or can_manage_points(user, deputy)


def officer_station_for(user: User | None, deputy: Deputy) -> Station | None:
    """The station in whose name the user registers for the deputy: the officer's own station
    the deputy belongs to, else the deputy's primary station."""
    scope = scope_for(user)
    reach = deputy_reach(deputy)
    own = sorted(scope.station_ids & set(reach.stations))
    if own:
        return Station.objects.filter(pk=own[0]).first()
    return (
        Station.objects.filter(memberships__deputy=deputy)
        .order_by("-memberships__primary", "pk")
        .first()
    )


def _managed_q(scope: Scope, *, reading: bool = False) -> Q | None:
    """Deputies whose points the scope runs (None: all); `reading` adds the leaders' areas,
    whose rankings they read (never the archives)."""
    if scope.everything:
        return None
    q = Q(pk__in=[])
    if scope.station_ids:
        q |= Q(
            pk__in=StationMembership.objects.filter(station_id__in=scope.station_ids).values(
                "deputy_id"
            )
        )
    for path in scope.read_paths if reading else scope.staff_paths:
        q |= Q(
            pk__in=StationMembership.objects.filter(station__area__path__startswith=path).values(
                "deputy_id"
            )
        )
        q |= Q(
            pk__in=Mandate.objects.filter(
                active=True, congress__area__path__startswith=path
            ).values("deputy_id")
        )
    return q


def deputies_managed(*, viewer: User, search: str = "") -> QuerySet[Deputy]:
    """The deputies whose points the viewer runs, in code order (one query); `search` narrows
    them to a name containing it or exactly that code."""
    qs = Deputy.objects.order_by("code")
    q = _managed_q(scope_for(viewer))
    if q is not None:
        qs = qs.filter(q)
    if search:
        qs = qs.filter(Q(name__contains=search) | Q(code=search))
    return qs


def entry_is_reversed(entry: PointEntry) -> bool:
    """Whether a reversal entry points at this entry."""
    return PointEntry.objects.filter(reverses=entry).exists()


def deputies_ranked_for(*, viewer: User) -> QuerySet[Deputy]:
    """The deputies whose ranking the viewer reads: those whose points they run, and for a
    leader the deputies of their area (read only; their archives stay closed)."""
    qs = Deputy.objects.order_by("code")
    q = _managed_q(scope_for(viewer), reading=True)
    return qs if q is None else qs.filter(q)


def deputy_get(*, viewer: User, code: str) -> Deputy:
    """A deputy whose archive the viewer may see; missing and not-yours are the same. Three
    queries (the deputy, their mandates and their stations with the areas), from which the
    deputy's reach is read too (no more queries to decide)."""
    deputy = (
        Deputy.objects.filter(code=code)
        .select_related("group", "user")
        .prefetch_related(
            Prefetch("mandates", queryset=Mandate.objects.select_related("congress__area")),
            Prefetch(
                "memberships", queryset=StationMembership.objects.select_related("station__area")
            ),
        )
        .first()
    )
    if deputy is None:
        raise NotFound(CoreCode.NOT_FOUND, _("No deputy has this code."))
    memberships = list(deputy.memberships.all())
    mandates = [m for m in deputy.mandates.all() if m.active]
    stations = {m.station_id: m.station.area.path for m in memberships}
    deputy._points_reach = Reach(  # type: ignore[attr-defined]
        stations=stations,
        congress_ids=frozenset(
            {m.station.congress_id for m in memberships} | {m.congress_id for m in mandates}
        ),
        paths=tuple(stations.values()) + tuple(m.congress.area.path for m in mandates),
    )
    if not can_view_archive(viewer, deputy):
        raise NotFound(CoreCode.NOT_FOUND, _("No deputy has this code."))
    return deputy


# ---- the catalog -------------------------------------------------------------------------------


def catalog_of(*, congress: Congress, year: int) -> list[DutyItem]:
    return list(DutyItem.objects.filter(congress=congress, year=year).order_by("order", "code"))


def catalog_years(*, congress: Congress) -> list[int]:
    return sorted(
        set(DutyItem.objects.filter(congress=congress).values_list("year", flat=True)),
        reverse=True,
    )


def item_get(*, viewer: User, pk: int) -> DutyItem:
    item = DutyItem.objects.select_related("congress__area").filter(pk=pk).first()
    if item is None or not scope_for(viewer).covers_path(item.congress.area.path, acting=True):
        raise NotFound(CoreCode.NOT_FOUND, _("Item not found."))
    return item


def items_registrable(*, deputy: Deputy, year: int) -> list[DutyItem]:
    """The items an officer registers or the deputy reports for that year: the active items of
    the deputy's congresses that no platform event credits."""
    return list(
        DutyItem.objects.filter(
            congress_id__in=list(deputy_congress_ids(deputy)), year=year, active=True, auto_event=""
        )
        .select_related("congress")
        .order_by("congress__area__path", "order", "code")
    )


# ---- entries -----------------------------------------------------------------------------------


def entry_get(*, viewer: User, pk: int) -> PointEntry:
    """An entry of a deputy whose archive the viewer may see (NotFound otherwise)."""
    entry = PointEntry.objects.select_related("deputy", "item", "station").filter(pk=pk).first()
    if entry is None or not can_view_archive(viewer, entry.deputy):
        raise NotFound(CoreCode.NOT_FOUND, _("Entry not found."))
    return entry


def _pending_qs(viewer: User) -> QuerySet[PointEntry] | None:
    scope = scope_for(viewer)
    if not (scope.everything or scope.station_ids or scope.staff_paths):
        return None
    qs = PointEntry.objects.filter(status_is(EntryStatus.PENDING))
    q = _managed_q(scope)
    if q is not None:
        qs = qs.filter(deputy__in=Deputy.objects.filter(q))
    if scope.deputy_ids:
        qs = qs.exclude(deputy_id__in=scope.deputy_ids)
    return qs


def pending_entries(*, viewer: User, limit: int = 200) -> list[PointEntry]:
    """The verification queue: self-reported entries awaiting verification of the deputies
    whose points the viewer runs, oldest first (one query, on the partial index
    `points_pending`). The viewer's own reports are not theirs to verify."""
    qs = _pending_qs(viewer)
    if qs is None:
        return []
    return list(
        qs.select_related("deputy", "item", "station", "created_by").order_by("created_at", "pk")[
            :limit
        ]
    )


def pending_count(*, viewer: User, limit: int = 200) -> int:
    """The size of that queue as the queue page shows it (at most `limit`): one COUNT."""
    qs = _pending_qs(viewer)
    return 0 if qs is None else qs.order_by()[:limit].count()


# ---- a deputy's year (the archive) ------------------------------------------------------------


@dataclass
class ItemTotal:
    """Counted points of one item in a deputy's year, and how many entries count (reversals
    and reversed entries left out)."""

    item: DutyItem
    points: Decimal = Decimal(0)
    count: int = 0


@dataclass(frozen=True)
class LedgerYear:
    """A deputy's year in the ledger, added up: points by item (counted entries only), the
    total, the entries awaiting verification, and the number of entries of every status."""

    by_item: list[ItemTotal]
    points_total: Decimal
    pending_count: int
    entries_count: int


def ledger_year(*, deputy: Deputy, year: int) -> LedgerYear:
    """Two queries whatever the size of the year: one aggregate grouped by item and status (on
    the index `points_archive`), then the items that appear in it."""
    rows = list(
        PointEntry.objects.filter(deputy=deputy, year=year)
        .order_by()
        .values("item_id", "status")
        .annotate(
            points=Sum("points"),
            entries=Count("pk"),
            counted=Count(
                "pk", filter=~Q(source=EntrySource.REVERSAL) & Q(reversed_by__isnull=True)
            ),
        )
    )
    approved = [r for r in rows if r["status"] == EntryStatus.APPROVED]
    items = DutyItem.objects.in_bulk([r["item_id"] for r in approved])
    by_item = sorted(
        (
            ItemTotal(
                item=items[r["item_id"]], points=Decimal(r["points"] or 0), count=r["counted"]
            )
            for r in approved
        ),
        key=lambda t: (t.item.order, t.item.code, t.item.pk),
    )
    return LedgerYear(
        by_item=by_item,
        points_total=sum((t.points for t in by_item), Decimal(0)),
        pending_count=sum(r["entries"] for r in rows if r["status"] == EntryStatus.PENDING),
        entries_count=sum(r["entries"] for r in rows),
    )


def _with_reversed(qs: QuerySet[PointEntry]) -> QuerySet[PointEntry]:
    """Entries with their item and `is_reversed` (a reversing entry points at them)."""
    return qs.select_related("item").annotate(
        is_reversed=Exists(PointEntry.objects.filter(reverses=OuterRef("pk")))
    )


def ledger_entries(*, deputy: Deputy, year: int, limit: int | None = None) -> list[PointEntry]:
    """The deputy's entries of the year, newest first (the `limit` latest, or all), each with
    its item and `is_reversed`: one query, in the order of the index `points_archive`."""
    qs = _with_reversed(PointEntry.objects.filter(deputy=deputy, year=year)).order_by(
        "-occurred_on", "-pk"
    )
    return list(qs[:limit] if limit is not None else qs)


def ledger_notable(*, deputy: Deputy, year: int) -> tuple[list[PointEntry], PointEntry | None]:
    """One query: the year's ideas (金点子: neither reversals nor rejected), newest first, and
    the entry that credited the duty report to the voters (述职), if any and not reversed."""
    entries = list(
        _with_reversed(
            PointEntry.objects.filter(deputy=deputy, year=year).filter(
                Q(item__code="idea")
                & ~Q(source=EntrySource.REVERSAL)
                & ~Q(status=EntryStatus.REJECTED)
                | Q(item__auto_event=AutoEvent.REPORT_SUBMITTED, source=EntrySource.AUTO)
            )
        ).order_by("-occurred_on", "-pk")
    )
    ideas = [
        e
        for e in entries
        if e.item.code == "idea"
        and e.source != EntrySource.REVERSAL
        and e.status != EntryStatus.REJECTED
    ]
    reported = next(
        (
            e
            for e in entries
            if e.item.auto_event == AutoEvent.REPORT_SUBMITTED
            and e.source == EntrySource.AUTO
            and not e.is_reversed  # type: ignore[attr-defined]
        ),
        None,
    )
    return ideas, reported


def ledger_years(*, deputy: Deputy) -> set[int]:
    """The years with entries of the deputy (one query on the index `points_archive`)."""
    return set(
        PointEntry.objects.filter(deputy=deputy)
        .order_by()  # no default ordering inside the DISTINCT: one row per year
        .values_list("year", flat=True)
        .distinct()
    )


# ---- ranking -----------------------------------------------------------------------------------


class Ranked(Protocol):
    """What a ranking shows of a deputy: a Deputy, or the RankedDeputy a ranking reads."""

    @property
    def pk(self) -> Any: ...
    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...


@dataclass(frozen=True, slots=True)
class RankedDeputy:
    """A ranked deputy as the ranking reads them (no model instance per deputy)."""

    pk: int
    code: str
    name: str


@dataclass(frozen=True)
class RankRow:
    rank: int
    deputy: Ranked
    points: Decimal


def yearly_totals(*, year: int, deputy_ids: list[int] | None = None) -> dict[int, Decimal]:
    """Counted points per deputy for a year: one aggregate on the partial index
    `points_counted_sum` (year, deputy, points) WHERE status = 'approved', read from the index
    alone."""
    qs = PointEntry.objects.filter(status_is(EntryStatus.APPROVED), year=year)
    if deputy_ids is not None:
        qs = qs.filter(deputy_id__in=deputy_ids)
    rows = qs.values("deputy_id").annotate(total=Sum("points")).values_list("deputy_id", "total")
    return {pk: Decimal(total or 0) for pk, total in rows}


def ranking(
    *,
    year: int,
    congress: Congress | None = None,
    station: Station | None = None,
    group: DeputyGroup | None = None,
    deputies: QuerySet[Deputy] | None = None,
) -> list[RankRow]:
    """The year's ranking of a congress's deputies (active mandates), a station's (members),
    a deputy group's, or of the deputies given: every one of them, with zero when they have no
    points; ties share a rank (1, 1, 3); then by code. Two queries whatever the size: the
    deputies (code and name, no model instances), and one aggregate of the year."""
    if deputies is None:
        deputies = Deputy.objects.all()
        if congress is not None:
            deputies = deputies.filter(
                pk__in=Mandate.objects.filter(congress=congress, active=True).values("deputy_id")
            )
        if station is not None:
            deputies = deputies.filter(
                pk__in=StationMembership.objects.filter(station=station).values("deputy_id")
            )
        if group is not None:
            deputies = deputies.filter(group=group)
    people = [
        RankedDeputy(pk, code, name)
        for pk, code, name in deputies.order_by().values_list("pk", "code", "name")
    ]
    ids = [d.pk for d in people]
    # Few deputies: filter the aggregate by them; many: aggregate the year and pick.
    totals = yearly_totals(year=year, deputy_ids=ids if len(ids) <= 500 else None)
    return rank_rows(people, totals)


def rank_rows(people: Sequence[Ranked], totals: dict[int, Decimal]) -> list[RankRow]:
    """`people` ranked by their `totals` (zero when absent): ties share a rank (1, 1, 3), then
    by code."""
    zero = Decimal(0)
    ordered = sorted(
        ((totals.get(d.pk, zero), d) for d in people), key=lambda pair: (-pair[0], pair[1].code)
    )
    rows: list[RankRow] = []
    previous: Decimal | None = None
    rank = 0
    for n, (points, deputy) in enumerate(ordered, start=1):
        if points != previous:
            rank, previous = n, points
        rows.append(RankRow(rank=rank, deputy=deputy, points=points))
    return rows


def item_find(*, pk: int) -> DutyItem | None:
    """A catalog item by id (whose catalog it is, the service checks against the deputy)."""
    return DutyItem.objects.filter(pk=pk).first()
