"""Areas (行政区划) by their 12-digit code, with the people's congress of the area."""

from __future__ import annotations

from dataclasses import dataclass

from lianluo.core.models import Area, AreaLevel, Congress
from lianluo.onboarding.importers.base import Importer, Progress
from lianluo.onboarding.sheets import Sheet, SheetRow

LEVELS = [c.value for c in AreaLevel]  # province … village, top down
# Significant digits of a code per level (GB/T 2260 + 统计用区划代码): the rest are zeros.
DIGITS = {"province": 2, "city": 4, "county": 6, "township": 9, "village": 12}


@dataclass
class AreaPlan:
    row: SheetRow
    code: str
    name: str
    name_en: str
    level: str
    parent_code: str
    congress: str
    existing: Area | None
    changes: bool = False


class AreaImporter(Importer):
    kind = "areas"

    def check(self, sheet: Sheet, progress: Progress) -> None:
        rows = self.begin(sheet)
        if rows is None:
            return
        codes = [r.values.get("code", "") for r in rows]
        parents = [r.values.get("parent", "") for r in rows]
        saved = self.areas_by_code(codes + parents)
        plans: list[AreaPlan] = []
        first_row: dict[str, int] = {}
        for i, row in enumerate(rows, start=1):
            if i % 200 == 0:
                progress(i)
            before = len(self.errors)
            code = self.area_code(row, "code", required=True)
            name = self.text(row, "name", max_length=100, required=True)
            name_en = self.text(row, "name_en", max_length=100)
            level = self.choice(row, "level", "area_level", required=True)
            parent = self.area_code(row, "parent")
            congress = self.text(row, "congress", max_length=100)
            if code and code in first_row:
                self.error(row, "code", "duplicate_code", value=code, first=first_row[code])
            elif code:
                first_row[code] = row.number
            if congress and level == "village":
                self.error(row, "congress", "village_congress")
            if code and level and code[DIGITS[level] :].strip("0"):
                self.error(row, "code", "area_code_level", value=code, level=level)
            existing = saved.get(code) if code else None
            if existing is not None:
                if not self.may_act_on(existing.path):
                    self.error(row, "code", "area_out_of_scope", value=code)
                elif (
                    self.present("parent")
                    and (existing.parent.code if existing.parent else "") != parent
                ):
                    self.error(row, "parent", "area_move", value=code)
            if len(self.errors) == before:
                plans.append(AreaPlan(row, code, name, name_en, level, parent, congress, existing))
        # Parents may be saved areas or rows of this file; a new area must land in scope.
        in_file = {p.code: p for p in plans}
        paths: dict[str, str] = {}

        def path_of(code: str, depth: int = 0) -> str | None:
            if code in saved:
                return saved[code].path
            if code in paths:
                return paths[code]
            plan = in_file.get(code)
            if plan is None or depth > len(LEVELS):
                return None
            parent_path = path_of(plan.parent_code, depth + 1) if plan.parent_code else "/"
            if parent_path is None:
                return None
            paths[code] = f"{parent_path}{code}/"
            return paths[code]

        valid: list[AreaPlan] = []
        for plan in plans:
            before = len(self.errors)
            row = plan.row
            if plan.parent_code:
                parent_level = (
                    saved[plan.parent_code].level
                    if plan.parent_code in saved
                    else in_file[plan.parent_code].level
                    if plan.parent_code in in_file
                    else None
                )
                if parent_level is None:
                    self.error(row, "parent", "unknown_parent_area", value=plan.parent_code)
                elif LEVELS.index(parent_level) >= LEVELS.index(plan.level):
                    self.error(
                        row,
                        "level",
                        "area_level_parent",
                        level=plan.level,
                        parent_level=parent_level,
                    )
                else:
                    digits = DIGITS[parent_level]
                    if plan.code[:digits] != plan.parent_code[:digits]:
                        self.error(
                            row,
                            "code",
                            "area_code_parent",
                            value=plan.code,
                            parent=plan.parent_code,
                        )
            elif plan.existing is None and plan.level != "province":
                self.error(row, "parent", "required")
            if len(self.errors) == before and plan.existing is None:
                parent_path = path_of(plan.parent_code) if plan.parent_code else "/"
                if parent_path is None or not (
                    self.scope.everything if parent_path == "/" else self.may_act_on(parent_path)
                ):
                    self.error(row, "code", "area_out_of_scope", value=plan.code)
            if len(self.errors) == before:
                valid.append(plan)
        progress(len(sheet.rows))
        if self.errors:
            return
        congresses = {
            c.area_id: c
            for c in Congress.objects.filter(area__in=[p.existing for p in valid if p.existing])
        }
        for plan in valid:
            if plan.existing is None:
                self.creates += 1
                continue
            self.updates += 1
            a = plan.existing
            changes = a.name != plan.name or a.level != plan.level
            if self.present("name_en"):
                changes |= a.name_en != plan.name_en
            if plan.congress:
                c = congresses.get(a.pk)
                changes |= c is None or c.name != plan.congress
            plan.changes = changes
            self.changed += int(changes)
        self._plans = valid

    def apply(self, progress: Progress) -> None:
        # Parents first: a child's path is built from its parent's.
        plans = sorted(self._plans, key=lambda p: (LEVELS.index(p.level), p.code))
        done: dict[str, Area] = {}
        for i, plan in enumerate(plans, start=1):
            if plan.existing is not None:
                area = plan.existing
                if plan.changes:
                    area.name, area.level = plan.name, plan.level
                    if self.present("name_en"):
                        area.name_en = plan.name_en
                    area.save()
            else:
                parent = None
                if plan.parent_code:
                    parent = done.get(plan.parent_code) or Area.objects.get(code=plan.parent_code)
                area = Area(
                    code=plan.code,
                    name=plan.name,
                    name_en=plan.name_en,
                    level=plan.level,
                    parent=parent,
                )
                area.save()
            done[area.code] = area
            if plan.congress and (plan.existing is None or plan.changes):
                Congress.objects.update_or_create(area=area, defaults={"name": plan.congress})
            action = "create" if plan.existing is None else ("change" if plan.changes else "same")
            self.keep_item(code=plan.code, name=plan.name, action=action)
            if i % 100 == 0:
                progress(i)
        progress(len(plans))
