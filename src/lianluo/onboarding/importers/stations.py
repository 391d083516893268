"""Stations (联络站) by their public code, with their parent station and congress."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lianluo.core.models import Area, Congress
from lianluo.onboarding.importers.base import (
    CongressIndex,
    Importer,
    Progress,
    chunks,
    nearest_congresses,
)
from lianluo.onboarding.sheets import Sheet, SheetRow
from lianluo.stations.hierarchy import ALLOWED_PARENTS, children_refusal, parent_refusal
from lianluo.stations.models import Station, StationKind

TEXT_FIELDS = ("name", "address", "hours", "feature")


@dataclass
class StationPlan:
    row: SheetRow
    code: str
    values: dict[str, Any]  # field name → value to write (only columns present in the file)
    area: Area
    parent_code: str
    congress: Congress | None
    existing: Station | None
    changes: bool = False
    depth: int = 0
    children: list[str] = field(default_factory=list)


class StationImporter(Importer):
    kind = "stations"

    def check(self, sheet: Sheet, progress: Progress) -> None:
        rows = self.begin(sheet)
        if rows is None:
            return
        codes = {r.values.get("code", "") for r in rows} | {
            r.values.get("parent", "") for r in rows
        }
        saved: dict[str, Station] = {}
        for part in chunks(sorted(c for c in codes if c)):
            qs = Station.objects.select_related("area", "congress__area", "parent").filter(
                code__in=part
            )
            saved.update({s.code: s for s in qs})
        areas = self.areas_by_code(r.values.get("area", "") for r in rows)
        congress_index = CongressIndex(r.values.get("congress", "") for r in rows)
        nearest = nearest_congresses(a.path for a in areas.values())

        plans: list[StationPlan] = []
        first_row: dict[str, int] = {}
        for i, row in enumerate(rows, start=1):
            if i % 200 == 0:
                progress(i)
            before = len(self.errors)
            code = self.slug(row, "code", required=True)
            name = self.text(row, "name", max_length=100, required=True)
            kind = self.choice(row, "kind", "station_kind", required=True)
            area_code = self.area_code(row, "area", required=True)
            parent_code = self.slug(row, "parent")
            congress_value = self.text(row, "congress", max_length=100)
            address = self.text(row, "address", max_length=200)
            hours = self.text(row, "hours", max_length=200)
            feature = self.text(row, "feature", max_length=2000)
            active = self.yes_no(row, "active")
            if code and code in first_row:
                self.error(row, "code", "duplicate_code", value=code, first=first_row[code])
            elif code:
                first_row[code] = row.number
            existing = saved.get(code) if code else None
            if existing is not None and not self.may_act_on(existing.area.path):
                self.error(row, "code", "station_out_of_scope", value=code)
            area = areas.get(area_code) if area_code else None
            if area_code and area is None:
                self.error(row, "area", "unknown_area", value=area_code)
            elif area is not None and not self.may_act_on(area.path):
                self.error(row, "area", "area_out_of_scope", value=area_code)
            if parent_code and parent_code == code:
                self.error(row, "parent", "parent_self")
            congress: Congress | None = None
            if congress_value:
                congress = congress_index.get(congress_value)
                if congress is None:
                    self.error(row, "congress", "unknown_congress", value=congress_value)
                elif area is not None and not area.path.startswith(congress.area.path):
                    self.error(row, "congress", "congress_not_above", value=congress_value)
            elif area is not None and existing is None:
                congress = nearest.get(area.path)
                if congress is None:
                    self.error(row, "congress", "no_congress")
            if len(self.errors) > before or area is None:
                continue
            values: dict[str, Any] = {"name": name, "kind": kind, "area": area}
            for key, value in (("address", address), ("hours", hours), ("feature", feature)):
                if self.present(key):
                    values[key] = value
            if active is not None:
                values["active"] = active
            if congress is not None:
                values["congress"] = congress
            plans.append(StationPlan(row, code, values, area, parent_code, congress, existing))

        # Parents: saved or in this file, in the station's area or above it, and no loops.
        by_code = {p.code: p for p in plans}
        parent_of: dict[str, str] = {
            s.code: s.parent.code for s in saved.values() if s.parent is not None
        }
        if self.present("parent"):
            parent_of.update({p.code: p.parent_code for p in plans})
        for plan in plans:
            if not plan.parent_code or plan.parent_code == plan.code:
                continue
            parent_plan = by_code.get(plan.parent_code)
            parent_saved = saved.get(plan.parent_code)
            if parent_plan is None and parent_saved is None:
                self.error(plan.row, "parent", "unknown_parent_station", value=plan.parent_code)
                continue
            parent_area = parent_plan.area if parent_plan else parent_saved.area  # type: ignore[union-attr]
            if not plan.area.path.startswith(parent_area.path):
                self.error(plan.row, "parent", "parent_area", value=plan.parent_code)
                continue
            chain, code = [plan.code], plan.parent_code
            while code and code not in chain and len(chain) < 100:
                chain.append(code)
                code = parent_of.get(code, "")
            if code == plan.code:
                self.error(plan.row, "parent", "parent_cycle", value=" → ".join([*chain, code]))
        self._check_levels(plans, saved, by_code)
        # Unchanged parents of saved stations need no lookup; new parents may be new stations.
        for plan in plans:
            depth, code = 0, plan.parent_code
            while code in by_code and depth < 100:
                depth += 1
                code = by_code[code].parent_code
            plan.depth = depth
        progress(len(rows))
        if self.errors:
            return
        for plan in plans:
            s = plan.existing
            if s is None:
                self.creates += 1
                continue
            self.updates += 1
            changes = any(getattr(s, k) != v for k, v in plan.values.items())
            if self.present("parent"):
                changes |= (s.parent.code if s.parent is not None else "") != plan.parent_code
            plan.changes = changes
            self.changed += int(changes)
        self._plans = plans
        self._saved = saved

    def _check_levels(
        self, plans: list[StationPlan], saved: dict[str, Station], by_code: dict[str, StationPlan]
    ) -> None:
        """The hierarchy 站—室—家 (lianluo.stations.hierarchy): each row's kind under its
        parent's (as this file leaves it), and a saved station's sub-stations not in the file
        under the kind the row gives it."""

        def kind_of(code: str) -> str | None:
            if code in by_code:
                return str(by_code[code].values["kind"])
            return saved[code].kind if code in saved else None

        # A row whose parent is already refused (unknown, outside the area, a loop) says so once.
        refused_rows = {e.row for e in self.errors if e.column == "parent"}
        for plan in plans:
            if plan.row.number in refused_rows:
                continue
            parent_kind: str | None = None
            if self.present("parent") or plan.existing is None:
                parent_code = plan.parent_code
                if parent_code == plan.code or (parent_code and kind_of(parent_code) is None):
                    continue  # refused above: itself, or unknown
                parent_kind = kind_of(parent_code) if parent_code else None
            else:  # the parent stays as saved
                parent = plan.existing.parent
                parent_code = parent.code if parent is not None else ""
                parent_kind = (
                    by_code[parent_code].values["kind"]
                    if parent_code in by_code
                    else (parent.kind if parent is not None else None)
                )
            kind = str(plan.values["kind"])
            refused = parent_refusal(kind=kind, parent_kind=parent_kind)
            if refused is not None:
                allowed = [k for k in StationKind.values if k in ALLOWED_PARENTS[kind]]
                self.error(
                    plan.row,
                    "parent",
                    str(refused[0]),
                    kind=kind,
                    parent=parent_kind or "",
                    allowed_kinds=allowed,
                    value=parent_code,
                )
        changed = [
            p for p in plans if p.existing is not None and p.existing.kind != p.values["kind"]
        ]
        if not changed:
            return
        children: dict[str, list[str]] = {}
        for part in chunks([p.code for p in changed]):
            rows = Station.objects.filter(parent__code__in=part).exclude(code__in=list(by_code))
            for parent_code, kind in rows.values_list("parent__code", "kind"):
                children.setdefault(parent_code, []).append(kind)
        for plan in changed:
            refused = children_refusal(
                kind=str(plan.values["kind"]), child_kinds=children.get(plan.code, [])
            )
            if refused is not None:
                child = next(
                    k
                    for k in sorted(set(children[plan.code]))
                    if plan.values["kind"] not in ALLOWED_PARENTS.get(k, ())
                )
                self.error(plan.row, "kind", str(refused[0]), kind=plan.values["kind"], child=child)

    def apply(self, progress: Progress) -> None:
        written: dict[str, Station] = dict(self._saved)
        plans = sorted(self._plans, key=lambda p: (p.depth, p.row.number))
        for i, plan in enumerate(plans, start=1):
            station = plan.existing
            if station is None:
                station = Station(code=plan.code, **plan.values)
            elif plan.changes:
                for key, value in plan.values.items():
                    setattr(station, key, value)
            if self.present("parent") and (plan.existing is None or plan.changes):
                station.parent = written.get(plan.parent_code) if plan.parent_code else None
                if plan.parent_code and station.parent is None:
                    station.parent = Station.objects.get(code=plan.parent_code)
            if plan.existing is None or plan.changes:
                station.save()
            written[station.code] = station
            action = "create" if plan.existing is None else ("change" if plan.changes else "same")
            self.keep_item(code=plan.code, name=station.name, action=action)
            if i % 100 == 0:
                progress(i)
        progress(len(plans))
