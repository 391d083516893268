"""Reads of onboarding, scoped by the viewer: import jobs and their progress, the roster as
export rows, the checklist and its completeness per township and county, station masters."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.cache import cache
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lianluo.core.errors import CoreCode, NotFound
from lianluo.core.models import Area, Congress, User
from lianluo.core.scope import scope_for
from lianluo.deputies.models import LEVEL_ORDER, Deputy, DeputyGroup, Mandate
from lianluo.onboarding.importers.deputies import normalize_tags
from lianluo.onboarding.models import ImportJob, ImportStatus
from lianluo.onboarding.permissions import stations_visible_q
from lianluo.onboarding.sheets import (
    Reference,
    SheetData,
    column_header,
    render_message,
    vocab_label,
)
from lianluo.stations.models import (
    ChecklistItem,
    MasterKind,
    Station,
    StationChecklist,
    StationKind,
    StationMaster,
    StationMembership,
)

# ---- import jobs -------------------------------------------------------------------------


def import_list(*, viewer: User, limit: int = 20) -> list[ImportJob]:
    """The viewer's own imports, newest first (the administrator sees everyone's)."""
    qs = ImportJob.objects.select_related("created_by")
    if not viewer.is_superuser:
        qs = qs.filter(created_by=viewer)
    return list(qs.order_by("-created_at", "-id")[:limit])


def import_get(*, viewer: User, pk: int) -> ImportJob:
    """One import of the viewer's; missing and not-yours are the same NotFound."""
    qs = ImportJob.objects.select_related("created_by").filter(pk=pk)
    if not viewer.is_superuser:
        qs = qs.filter(created_by=viewer)
    job = qs.first()
    if job is None:
        raise NotFound(CoreCode.NOT_FOUND, _("Import not found."))
    return job


def progress_key(job_id: int) -> str:
    return f"lianluo:import-progress:{job_id}"


def import_progress_cached(job_id: int) -> int:
    """Rows processed as the worker last reported them: while its transaction is open, the
    job row cannot show it to others."""
    value = cache.get(progress_key(job_id))
    return int(value) if value is not None else 0


# Progress is counted in rows, per pass over them: a check reads and validates (2 passes);
# an import reads, validates and writes (3).
CHECK_PASSES = 2
RUN_PASSES = 3
RUNNING = {ImportStatus.UPLOADED, ImportStatus.CHECKING, ImportStatus.IMPORTING}


@dataclass
class Progress:
    running: bool
    processed: int
    total: int
    percent: int


def import_progress(*, job: ImportJob) -> Progress:
    """How far the job is, in rows per pass: checking reads and validates every row (two
    passes), importing reads, validates and writes (three)."""
    running = job.status in RUNNING
    passes: dict[str, int] = {
        ImportStatus.CHECKING: CHECK_PASSES,
        ImportStatus.IMPORTING: RUN_PASSES,
    }
    if job.status in passes:
        total = max(job.total_rows * passes[job.status], 1)
        processed = max(job.processed_rows, import_progress_cached(job.pk))
    elif job.status == ImportStatus.UPLOADED:
        total, processed = 1, 0
    else:
        total, processed = 1, 1
    processed = min(processed, total)
    return Progress(running, processed, total, int(processed * 100 / total))


@dataclass
class ErrorLine:
    row: int
    column: str
    message: str


def import_errors(*, job: ImportJob) -> list[ErrorLine]:
    """The job's errors in the reader's language: row number, the column as headed in the
    file, and what is wrong."""
    lines = []
    for e in job.errors:
        key, code, params = e.get("column", ""), e.get("code", ""), e.get("params") or {}
        column = e.get("header") or (column_header(job.kind, key) if key else "")
        if code == "missing_column":
            params = {"value": column}
        text = render_message(code, params) if code else ""
        lines.append(ErrorLine(int(e.get("row", 0)), column, text or e.get("message", "")))
    return lines


# ---- export ------------------------------------------------------------------------------


def _staff_q(viewer: User, field_name: str) -> Q | None:
    scope = scope_for(viewer)
    if scope.everything:
        return None
    q = Q(pk__in=[])
    for path in scope.staff_paths:
        q |= Q(**{f"{field_name}__startswith": path})
    return q


def _filtered(qs: QuerySet[Any], q: Q | None) -> QuerySet[Any]:
    return qs if q is None else qs.filter(q)


def export_area_rows(*, viewer: User) -> list[dict[str, str]]:
    areas = _filtered(Area.objects.select_related("parent"), _staff_q(viewer, "path"))
    congresses = dict(Congress.objects.values_list("area_id", "name"))
    rows = []
    for a in sorted(areas, key=lambda a: (a.path.count("/"), a.code)):
        rows.append(
            {
                "code": a.code,
                "name": a.name,
                "name_en": a.name_en,
                "level": vocab_label("area_level", a.level),
                "parent": a.parent.code if a.parent else "",
                "congress": congresses.get(a.pk, ""),
            }
        )
    return rows


def export_station_rows(*, viewer: User) -> list[dict[str, str]]:
    qs = Station.objects.select_related("area", "parent", "congress__area")
    stations = list(_filtered(qs, _staff_q(viewer, "area__path")))
    by_pk = {s.pk: s for s in stations}

    def depth(s: Station) -> int:
        n = 0
        while s.parent_id in by_pk and n < 100:
            s, n = by_pk[s.parent_id], n + 1  # type: ignore[index]
        return n

    rows = []
    for s in sorted(stations, key=lambda s: (depth(s), s.code)):
        rows.append(
            {
                "code": s.code,
                "name": s.name,
                "kind": vocab_label("station_kind", s.kind),
                "area": s.area.code,
                "parent": s.parent.code if s.parent else "",
                "congress": s.congress.area.code,
                "address": s.address,
                "hours": s.hours,
                "feature": s.feature,
                "active": vocab_label("yesno", "1" if s.active else "0"),
            }
        )
    return rows


def export_deputy_rows(*, viewer: User) -> list[dict[str, str]]:
    """Deputies with a station in the viewer's area; only those stations are listed, so
    that the file imports back unchanged."""
    station_q = _staff_q(viewer, "station__area__path")
    memberships = _filtered(StationMembership.objects.select_related("station"), station_q)
    by_deputy: dict[int, list[StationMembership]] = {}
    for m in memberships.order_by("-primary", "station__code"):
        by_deputy.setdefault(m.deputy_id, []).append(m)
    deputies = (
        Deputy.objects.filter(pk__in=list(by_deputy))
        .select_related("grid_area", "group")
        .prefetch_related(
            Prefetch(
                "mandates",
                queryset=Mandate.objects.filter(active=True).select_related("congress__area"),
            )
        )
        .order_by("code")
    )
    rows = []
    for d in deputies:
        row = {
            "code": d.code,
            "name": d.name,
            "gender": vocab_label("gender", d.gender) if d.gender else "",
            "ethnicity": d.ethnicity,
            "birth_year": str(d.birth_year or ""),
            "party": d.party,
            "industry": d.industry,
            "occupation": d.occupation,
            "specialties": normalize_tags(d.specialties),
            "is_official": vocab_label("yesno", "1" if d.is_official else "0"),
            "phone": d.phone,
            "stations": ";".join(m.station.code for m in by_deputy[d.pk]),
            "grid_area": d.grid_area.code if d.grid_area else "",
            "group": d.group.name if d.group else "",
        }
        mandates = sorted(d.mandates.all(), key=lambda m: (LEVEL_ORDER.index(m.level), -m.term))
        for n, m in enumerate(mandates[:2], start=1):
            row[f"level{n}"] = vocab_label("mandate_level", m.level)
            row[f"congress{n}"] = m.congress.area.code
            row[f"term{n}"] = str(m.term)
            row[f"constituency{n}"] = m.constituency
        rows.append(row)
    return rows


EXPORTERS = {
    "areas": export_area_rows,
    "stations": export_station_rows,
    "deputies": export_deputy_rows,
}


def export_sheets(*, viewer: User, kinds: list[str]) -> list[SheetData]:
    return [SheetData(kind, EXPORTERS[kind](viewer=viewer)) for kind in kinds]


def export_reference(*, viewer: User) -> Reference:
    """Codes to fill in a sheet by hand: congresses at and above the viewer's area and below
    it, stations, areas and deputy groups of the viewer's area."""
    scope = scope_for(viewer)
    area_q = _staff_q(viewer, "path")
    areas = list(_filtered(Area.objects.all(), area_q).order_by("code"))
    above = {code for path in scope.staff_paths for code in path.split("/") if code}
    congress_q = Q(area__in=areas) | Q(area__code__in=above)
    congresses = Congress.objects.select_related("area").order_by("area__code")
    if not scope.everything:
        congresses = congresses.filter(congress_q)
    stations = _filtered(Station.objects.all(), _staff_q(viewer, "area__path")).order_by("code")
    groups = DeputyGroup.objects.select_related("congress__area").order_by("name")
    if not scope.everything:
        groups = groups.filter(congress__area__in=areas)
    return Reference(
        congresses=[(c.area.code, c.name) for c in congresses],
        stations=[(s.code, s.name) for s in stations],
        groups=[g.name for g in groups],
        areas=[(a.code, a.name) for a in areas],
    )


# ---- stations: the checklist and its completeness -----------------------------------------


def stations_visible(*, viewer: User) -> QuerySet[Station]:
    q = stations_visible_q(scope_for(viewer))
    qs = Station.objects.select_related("area", "parent").order_by("code")
    return qs if q is None else qs.filter(q)


def stations_visible_active(*, viewer: User, limit: int = 200) -> list[Station]:
    """The first active stations the viewer sees, by code (the set-up page's list)."""
    return list(stations_visible(viewer=viewer).filter(active=True)[:limit])


def station_get(*, viewer: User, code: str) -> Station:
    """A station the viewer may see; missing and not-yours are the same NotFound."""
    station = stations_visible(viewer=viewer).select_related("congress").filter(code=code).first()
    if station is None:
        raise NotFound(CoreCode.NOT_FOUND, _("No station has this code."))
    return station


@dataclass
class ChecklistLine:
    item: str
    label: str
    done: bool
    note: str
    has_evidence: bool
    evidence_is_pdf: bool
    updated_at: Any
    updated_by: str


def checklist_of(*, station: Station) -> list[ChecklistLine]:
    """The seven items in the standard's order, recorded or not."""
    rows = {
        r.item: r
        for r in StationChecklist.objects.filter(station=station).select_related("updated_by")
    }
    lines = []
    for item, label in ChecklistItem.choices:
        r = rows.get(item)
        lines.append(
            ChecklistLine(
                item=item,
                label=str(label),
                done=bool(r and r.done),
                note=r.note if r else "",
                has_evidence=bool(r and r.evidence),
                evidence_is_pdf=bool(r and r.evidence and r.evidence.name.endswith(".pdf")),
                updated_at=r.updated_at if r else None,
                updated_by=str(r.updated_by) if r and r.updated_by else "",
            )
        )
    return lines


def checklist_evidence(*, viewer: User, code: str, item: str) -> StationChecklist:
    station = station_get(viewer=viewer, code=code)
    row = StationChecklist.objects.filter(station=station, item=item).first()
    if row is None or not row.evidence:
        raise NotFound(CoreCode.NOT_FOUND, _("No evidence has been uploaded."))
    return row


ITEMS = len(ChecklistItem.values)


@dataclass
class StationScore:
    station: Station
    done: int
    missing: list[str]

    @property
    def percent(self) -> int:
        return round(self.done * 100 / ITEMS)


@dataclass
class AreaScore:
    """Stations of one township (or the county's own stations) and their share of items."""

    area: Area | None
    stations: list[StationScore] = field(default_factory=list)

    @property
    def done(self) -> int:
        return sum(s.done for s in self.stations)

    @property
    def total(self) -> int:
        return ITEMS * len(self.stations)

    @property
    def percent(self) -> int:
        return round(self.done * 100 / self.total) if self.total else 0

    @property
    def complete(self) -> int:
        return sum(1 for s in self.stations if s.done == ITEMS)


@dataclass
class CountyScore:
    area: Area
    own: AreaScore  # stations at the county itself (the county hub)
    townships: list[AreaScore]

    @property
    def done(self) -> int:
        return self.own.done + sum(t.done for t in self.townships)

    @property
    def total(self) -> int:
        return self.own.total + sum(t.total for t in self.townships)

    @property
    def percent(self) -> int:
        return round(self.done * 100 / self.total) if self.total else 0

    @property
    def station_count(self) -> int:
        return len(self.own.stations) + sum(len(t.stations) for t in self.townships)


def checklist_completeness(*, viewer: User) -> list[CountyScore]:
    """Per county and township: the share of 七有 items in place over the viewer's stations,
    and per station what is missing. Three queries whatever the number of stations."""
    stations = list(stations_visible(viewer=viewer).filter(active=True))
    done_items: dict[int, set[str]] = {}
    rows = StationChecklist.objects.filter(station__in=stations, done=True).values_list(
        "station_id", "item"
    )
    for sid, item in rows:
        done_items.setdefault(sid, set()).add(item)
    codes = {c for s in stations for c in s.area.path.split("/") if c}
    areas = {a.code: a for a in Area.objects.filter(code__in=codes)}
    labels = dict(ChecklistItem.choices)
    counties: dict[str, CountyScore] = {}
    for s in stations:
        chain = [areas[c] for c in s.area.path.split("/") if c in areas]
        county = next((a for a in chain if a.level == "county"), s.area)
        township = next((a for a in chain if a.level in ("township", "village")), None)
        township = next((a for a in chain if a.level == "township"), township)
        score = StationScore(
            s,
            len(done_items.get(s.pk, set())),
            [str(labels[i]) for i in ChecklistItem.values if i not in done_items.get(s.pk, set())],
        )
        report = counties.setdefault(county.code, CountyScore(county, AreaScore(county), []))
        if township is None:
            report.own.stations.append(score)
        else:
            group = next((t for t in report.townships if t.area == township), None)
            if group is None:
                group = AreaScore(township)
                report.townships.append(group)
            group.stations.append(score)
    kinds = [k.value for k in StationKind]
    for report in counties.values():
        report.townships.sort(key=lambda t: t.area.code if t.area else "")
        for group in [report.own, *report.townships]:
            group.stations.sort(key=lambda s: (kinds.index(s.station.kind), s.station.code))
    return [counties[k] for k in sorted(counties)]


# ---- station masters ---------------------------------------------------------------------


@dataclass
class MastersToday:
    fixed: StationMaster | None
    rotating: StationMaster | None


def masters_on(*, station: Station, day: date | None = None) -> MastersToday:
    """Who is the station's fixed and rotating master on a day (today by default)."""
    day = day or timezone.localdate()
    current = (
        StationMaster.objects.filter(station=station, start__lte=day)
        .filter(Q(end__isnull=True) | Q(end__gte=day))
        .select_related("deputy")
        .order_by("-start")
    )
    by_kind: dict[str, StationMaster] = {}
    for m in current:
        by_kind.setdefault(m.kind, m)
    return MastersToday(by_kind.get(MasterKind.FIXED), by_kind.get(MasterKind.ROTATING))


def master_schedule(*, station: Station, since: date | None = None) -> list[StationMaster]:
    """The rotation from the current month on, and the fixed masters still in office or to
    come."""
    since = (since or timezone.localdate()).replace(day=1)
    return list(
        StationMaster.objects.filter(station=station)
        .filter(Q(end__isnull=True) | Q(end__gte=since))
        .select_related("deputy")
        .order_by("kind", "start")
    )


def master_candidates(*, station: Station) -> list[Deputy]:
    """Deputies who may be the station's master: its members and its child stations'."""
    return list(
        Deputy.objects.filter(
            Q(memberships__station=station) | Q(memberships__station__parent=station)
        )
        .distinct()
        .order_by("code")
    )


def master_get(*, station: Station, pk: int) -> StationMaster | None:
    return (
        StationMaster.objects.select_related("station__area", "deputy")
        .filter(station=station, pk=pk)
        .first()
    )
