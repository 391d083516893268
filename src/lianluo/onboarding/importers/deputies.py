"""Deputies (人大代表) with up to two mandates per row, their stations, grid area and group.

Identity, so that importing the same file again updates instead of duplicating: the deputy
code if the row gives one; otherwise the phone number; otherwise name and birth year. A row
with none of the three is refused. New deputies without a code get one made up.

Stations: the listed stations become the deputy's memberships among the stations of the
importer's area (memberships elsewhere are left alone); the first listed is the primary
station unless the deputy's primary station lies outside the importer's area. Mandates are
added or updated by (congress, term), never removed.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from lianluo.core.inserts import insert_values
from lianluo.core.models import Area, Congress
from lianluo.core.text import is_valid_phone, normalize_phone
from lianluo.deputies.models import Deputy, DeputyGroup, Mandate
from lianluo.onboarding.importers.base import (
    CongressIndex,
    Importer,
    Progress,
    chunks,
    split_list,
)
from lianluo.onboarding.sheets import Sheet, SheetRow
from lianluo.stations.models import Station, StationMembership

# The level of the area whose congress elects a mandate of each level (national deputies are
# elected by a provincial congress).
MANDATE_AREA_LEVEL = {
    "national": "province",
    "provincial": "province",
    "city": "city",
    "county": "county",
    "township": "township",
}
MIN_YEAR = 1900
ADULT = 18
TERM = re.compile(r"^第?\s*(\d{1,3})\s*届?$")
FIELDS = [
    "name",
    "gender",
    "ethnicity",
    "birth_year",
    "party",
    "industry",
    "occupation",
    "specialties",
    "is_official",
    "phone",
    "grid_area",
    "group",
]


def normalize_tags(value: str) -> str:
    return ",".join(t for t in (p.strip() for p in re.split(r"[,，、;；]", value or "")) if t)


@dataclass
class MandatePlan:
    level: str
    congress: Congress
    term: int
    constituency: str


@dataclass(eq=False)
class DeputyPlan:
    row: SheetRow
    code: str
    values: dict[str, Any]  # only the columns present in the file
    stations: list[Station]
    mandates: list[MandatePlan]
    existing: Deputy | None = None
    changes: bool = False
    is_new: bool = False
    # Writes worked out by check(), done by apply().
    mandate_creates: list[MandatePlan] = field(default_factory=list)
    mandate_updates: list[Mandate] = field(default_factory=list)
    membership_deletes: list[int] = field(default_factory=list)
    membership_creates: list[tuple[int, bool]] = field(default_factory=list)  # station, primary
    primary_off: list[int] = field(default_factory=list)  # membership ids losing primary
    primary_on: list[int] = field(default_factory=list)


class DeputyImporter(Importer):
    kind = "deputies"

    def check(self, sheet: Sheet, progress: Progress) -> None:
        rows = self.begin(sheet)
        if rows is None:
            return
        total = len(rows)
        v = [r.values for r in rows]
        stations = self._stations({c for x in v for c in split_list(x.get("stations", ""))})
        areas = self.areas_by_code(x.get("grid_area", "") for x in v)
        congresses = CongressIndex(x.get(f"congress{n}", "") for x in v for n in (1, 2))
        groups = self._groups({x.get("group", "") for x in v})
        max_year = timezone.localdate().year - ADULT

        plans: list[DeputyPlan] = []
        for i, row in enumerate(rows, start=1):
            if i % 500 == 0:
                progress(i // 2)
            before = len(self.errors)
            values: dict[str, Any] = {}
            code = self.slug(row, "code")
            values["name"] = self.text(row, "name", max_length=50, required=True)
            values["gender"] = self.choice(row, "gender", "gender")
            values["ethnicity"] = self.text(row, "ethnicity", max_length=20)
            values["party"] = self.text(row, "party", max_length=50)
            values["industry"] = self.text(row, "industry", max_length=100)
            values["occupation"] = self.text(row, "occupation", max_length=200)
            tags = normalize_tags(row.values.get("specialties", ""))
            if len(tags) > 200:
                self.error(row, "specialties", "too_long", max=200, length=len(tags))
            values["specialties"] = tags
            values["is_official"] = bool(self.yes_no(row, "is_official"))
            values["birth_year"] = self._year(row, max_year)
            values["phone"] = self._phone(row)
            values["grid_area"] = self._area(row, areas)
            values["group"] = self._group(row, groups)
            listed = self._station_list(row, stations)
            mandates = [m for n in (1, 2) if (m := self._mandate(row, n, congresses))]
            if len(mandates) == 2 and (mandates[0].congress.pk, mandates[0].term) == (
                mandates[1].congress.pk,
                mandates[1].term,
            ):
                self.error(row, "congress2", "mandate_twice")
            if not (code or values["phone"] or values["birth_year"]) and len(self.errors) == before:
                self.error(row, "code", "not_identifiable")
            if len(self.errors) == before:
                present = {k: val for k, val in values.items() if self.present(k)}
                present["name"] = values["name"]
                plans.append(DeputyPlan(row, code, present, listed, mandates))
        progress(total // 2)
        self._identify(plans)
        progress(total * 3 // 4)
        if self.errors:
            return
        self._plan_writes(plans)
        progress(total)
        self._plans = plans

    # -- cells -----------------------------------------------------------------------------
    def _year(self, row: SheetRow, max_year: int) -> int | None:
        value = row.values.get("birth_year", "")
        if not value:
            return None
        year = int(value[:4]) if re.match(r"^\d{4}(-\d\d-\d\d)?$", value) else None
        if year is None or not MIN_YEAR <= year <= max_year:
            self.error(row, "birth_year", "bad_year", value=value, min=MIN_YEAR, max=max_year)
            return None
        return year

    def _phone(self, row: SheetRow) -> str:
        value = row.values.get("phone", "")
        phone = normalize_phone(value)
        if phone and (len(phone) > 20 or not is_valid_phone(phone)):
            self.error(row, "phone", "bad_phone", value=value)
            return ""
        return phone

    def _area(self, row: SheetRow, areas: dict[str, Area]) -> Area | None:
        code = self.area_code(row, "grid_area")
        if not code:
            return None
        area = areas.get(code)
        if area is None:
            self.error(row, "grid_area", "unknown_area", value=code)
        elif not self.covers(area.path):
            self.error(row, "grid_area", "area_out_of_scope", value=code)
            return None
        return area

    def _group(self, row: SheetRow, groups: dict[str, list[DeputyGroup]]) -> DeputyGroup | None:
        name = row.values.get("group", "")
        if not name:
            return None
        found = groups.get(name, [])
        if not found:
            self.error(row, "group", "unknown_group", value=name)
        elif len(found) > 1:
            self.error(row, "group", "ambiguous_group", value=name)
        else:
            return found[0]
        return None

    def _station_list(self, row: SheetRow, stations: dict[str, Station]) -> list[Station]:
        codes = split_list(row.values.get("stations", ""))
        if not codes:
            self.error(row, "stations", "required")
            return []
        unknown = [c for c in codes if c not in stations]
        if unknown:
            self.error(row, "stations", "unknown_station", value="、".join(unknown))
            return []
        outside = [c for c in codes if not self.may_act_on(stations[c].area.path)]
        if outside:
            self.error(row, "stations", "station_out_of_scope", value="、".join(outside))
            return []
        return [stations[c] for c in codes]

    def _mandate(self, row: SheetRow, n: int, index: CongressIndex) -> MandatePlan | None:
        keys = (f"level{n}", f"congress{n}", f"term{n}", f"constituency{n}")
        if not any(row.values.get(k) for k in keys[:3]):
            return None
        missing = [k for k in keys[:3] if not row.values.get(k)]
        if missing:
            self.error(row, missing[0], "mandate_incomplete")
            return None
        before = len(self.errors)
        level = self.choice(row, keys[0], "mandate_level", required=True)
        value = row.values[keys[1]]
        congress = index.get(value)
        if congress is None:
            self.error(row, keys[1], "unknown_congress", value=value)
        elif level and congress.area.level != MANDATE_AREA_LEVEL[level]:
            self.error(row, keys[1], "mandate_level", value=value, level=level)
        term_text = row.values[keys[2]]
        match = TERM.match(term_text)
        if not match or not 1 <= int(match.group(1)) <= 99:
            self.error(row, keys[2], "bad_term", value=term_text)
        constituency = self.text(row, keys[3], max_length=100)
        if len(self.errors) > before or congress is None or match is None:
            return None
        return MandatePlan(level, congress, int(match.group(1)), constituency)

    # -- lookups ---------------------------------------------------------------------------
    @staticmethod
    def _stations(codes: set[str]) -> dict[str, Station]:
        found: dict[str, Station] = {}
        for part in chunks(sorted(codes)):
            qs = Station.objects.select_related("area").filter(code__in=part)
            found.update({s.code: s for s in qs})
        return found

    def _groups(self, names: set[str]) -> dict[str, list[DeputyGroup]]:
        found: dict[str, list[DeputyGroup]] = {}
        wanted = sorted(n for n in names if n)
        for part in chunks(wanted):
            for g in DeputyGroup.objects.select_related("congress__area").filter(name__in=part):
                if self.covers(g.congress.area.path):
                    found.setdefault(g.name, []).append(g)
        return found

    # -- identity --------------------------------------------------------------------------
    def _identify(self, plans: list[DeputyPlan]) -> None:
        """Match rows to saved deputies; refuse duplicates within the file and across it."""
        by_code: dict[str, Deputy] = {}
        by_phone: dict[str, list[Deputy]] = {}
        by_person: dict[tuple[str, int], list[Deputy]] = {}
        codes = sorted({p.code for p in plans if p.code})
        phones = sorted({p.values.get("phone", "") for p in plans} - {""})
        names = sorted(
            {p.values["name"] for p in plans if not p.code and not p.values.get("phone")}
        )
        for part in chunks(codes):
            by_code.update({d.code: d for d in Deputy.objects.filter(code__in=part)})
        for part in chunks(phones):
            for d in Deputy.objects.filter(phone__in=part):
                by_phone.setdefault(d.phone, []).append(d)
        for part in chunks(names):
            for d in Deputy.objects.filter(name__in=part, birth_year__isnull=False):
                by_person.setdefault((d.name, d.birth_year or 0), []).append(d)

        first_code: dict[str, int] = {}
        first_phone: dict[str, int] = {}
        first_person: dict[tuple[str, int], int] = {}
        first_deputy: dict[int, int] = {}
        for plan in plans:
            row, phone = plan.row, plan.values.get("phone", "")
            person = (plan.values["name"], plan.values.get("birth_year") or 0)
            before = len(self.errors)
            if plan.code:
                if plan.code in first_code:
                    self.error(
                        row, "code", "duplicate_code", value=plan.code, first=first_code[plan.code]
                    )
                first_code.setdefault(plan.code, row.number)
                plan.existing = by_code.get(plan.code)
            elif phone:
                found = by_phone.get(phone, [])
                if len(found) > 1:
                    self.error(row, "phone", "ambiguous_phone", value=phone)
                plan.existing = found[0] if len(found) == 1 else None
            else:
                found = by_person.get(person, [])
                if person in first_person:
                    self.error(row, "name", "duplicate_person", first=first_person[person])
                first_person.setdefault(person, row.number)
                if len(found) > 1:
                    self.error(row, "name", "ambiguous_person")
                plan.existing = found[0] if len(found) == 1 else None
            if phone:
                if phone in first_phone and len(self.errors) == before:
                    self.error(
                        row, "phone", "duplicate_phone", value=phone, first=first_phone[phone]
                    )
                first_phone.setdefault(phone, row.number)
                owners = [d for d in by_phone.get(phone, []) if d != plan.existing]
                if plan.code and owners and len(self.errors) == before:
                    self.error(row, "phone", "phone_taken", value=owners[0].code)
            if plan.existing is not None and len(self.errors) == before:
                pk = plan.existing.pk
                if pk in first_deputy:
                    self.error(row, "code", "duplicate_deputy", first=first_deputy[pk])
                first_deputy.setdefault(pk, row.number)
        self._check_deputy_scope([p for p in plans if p.existing is not None])

    def _check_deputy_scope(self, plans: list[DeputyPlan]) -> None:
        ids = [p.existing.pk for p in plans if p.existing is not None]
        self._memberships: dict[int, list[tuple[int, int, bool, bool]]] = {}
        for part in chunks(ids):
            qs = StationMembership.objects.filter(deputy_id__in=part).values_list(
                "id", "deputy_id", "station_id", "primary", "station__area__path"
            )
            for mid, did, sid, primary, path in qs:
                self._memberships.setdefault(did, []).append(
                    (mid, sid, primary, self.may_act_on(path))
                )
        for plan in plans:
            assert plan.existing is not None
            rows = self._memberships.get(plan.existing.pk, [])
            if rows and not any(in_scope for *_x, in_scope in rows):
                self.error(plan.row, "code", "deputy_out_of_scope", value=plan.existing.code)

    # -- the plan --------------------------------------------------------------------------
    def _plan_writes(self, plans: list[DeputyPlan]) -> None:
        ids = [p.existing.pk for p in plans if p.existing is not None]
        mandates: dict[int, list[Mandate]] = {}
        for part in chunks(ids):
            for saved in Mandate.objects.filter(deputy_id__in=part):
                mandates.setdefault(saved.deputy_id, []).append(saved)
        for plan in plans:
            d = plan.existing
            saved_mandates = mandates.get(d.pk, []) if d else []
            for m in plan.mandates:
                match = next(
                    (
                        x
                        for x in saved_mandates
                        if (x.congress_id, x.term) == (m.congress.pk, m.term)
                    ),
                    None,
                )
                if match is None:
                    plan.mandate_creates.append(m)  # a row made when written, not for the preview
                elif (match.level, match.constituency, match.active) != (
                    m.level,
                    m.constituency,
                    True,
                ):
                    match.level, match.constituency, match.active = m.level, m.constituency, True
                    plan.mandate_updates.append(match)
            self._plan_memberships(plan)
            if d is None:
                self.creates += 1
                continue
            self.updates += 1
            changes = bool(plan.mandate_creates or plan.mandate_updates)
            changes |= bool(plan.membership_deletes or plan.membership_creates)
            changes |= bool(plan.primary_on or plan.primary_off)
            for key, value in plan.values.items():
                if key in ("grid_area", "group"):
                    current, value = getattr(d, f"{key}_id"), value.pk if value else None
                else:
                    current = getattr(d, key)
                if key == "specialties":
                    current = normalize_tags(current)
                elif key == "phone":
                    current = normalize_phone(current)
                if current != value:
                    changes = True
            plan.changes = changes
            self.changed += int(changes)

    def _plan_memberships(self, plan: DeputyPlan) -> None:
        saved = self._memberships.get(plan.existing.pk, []) if plan.existing else []
        wanted = [s.pk for s in plan.stations]
        primary_outside = any(primary and not in_scope for _m, _s, primary, in_scope in saved)
        primary_station = None if primary_outside else wanted[0]
        by_station = {sid: (mid, primary) for mid, sid, primary, _in in saved}
        for mid, sid, primary, in_scope in saved:
            if in_scope and sid not in wanted:
                plan.membership_deletes.append(mid)
            elif primary and sid != primary_station and not primary_outside:
                plan.primary_off.append(mid)
        for sid in wanted:
            if sid not in by_station:
                plan.membership_creates.append((sid, sid == primary_station))
            elif sid == primary_station and not by_station[sid][1]:
                plan.primary_on.append(by_station[sid][0])

    def apply(self, progress: Progress) -> None:
        done = 0
        for part in chunks(self._plans):
            self._apply_chunk(part)
            done += len(part)
            progress(done)

    def _apply_chunk(self, plans: list[DeputyPlan]) -> None:
        new = [p for p in plans if p.existing is None]
        for plan in new:
            plan.is_new = True
        taken = {p.code for p in plans if p.code}
        for plan in new:
            if not plan.code:
                plan.code = _new_code(taken)
        created = Deputy.objects.bulk_create(
            [Deputy(code=p.code, **p.values) for p in new], batch_size=500
        )
        if any(d.pk is None for d in created):  # databases that return no ids
            ids = dict(
                Deputy.objects.filter(code__in=[p.code for p in new]).values_list("code", "id")
            )
            for d in created:
                d.pk = ids[d.code]
        for plan, deputy in zip(new, created, strict=True):
            plan.existing = deputy
        changed = [p for p in plans if p.changes]
        fields = sorted({k for p in changed for k in p.values})
        for plan in changed:
            for key, value in plan.values.items():
                setattr(plan.existing, key, value)
        if changed and fields:
            written = [p.existing for p in changed if p.existing is not None]
            Deputy.objects.bulk_update(written, fields, batch_size=500)
        mandates_new: list[tuple[int, str, int, int, str, bool]] = []
        mandates_changed: list[Mandate] = []
        off, on, delete = [], [], []
        members: list[tuple[int, int, bool]] = []
        for plan in plans:
            assert plan.existing is not None
            pk = plan.existing.pk
            mandates_new += [
                (pk, m.level, m.congress.pk, m.term, m.constituency, True)
                for m in plan.mandate_creates
            ]
            mandates_changed += plan.mandate_updates
            off += plan.primary_off
            on += plan.primary_on
            delete += plan.membership_deletes
            members += [(sid, pk, primary) for sid, primary in plan.membership_creates]
            action = "create" if plan.is_new else ("change" if plan.changes else "same")
            self.keep_item(
                code=plan.code or plan.existing.code, name=plan.existing.name, action=action
            )
        # One primary station per deputy (a unique index): clear before setting.
        if off:
            StationMembership.objects.filter(id__in=off).update(primary=False)
        if delete:
            StationMembership.objects.filter(id__in=delete).delete()
        insert_values(StationMembership, ["station_id", "deputy_id", "primary"], members)
        if on:
            StationMembership.objects.filter(id__in=on).update(primary=True)
        insert_values(
            Mandate,
            ["deputy_id", "level", "congress_id", "term", "constituency", "active"],
            mandates_new,
        )
        if mandates_changed:
            Mandate.objects.bulk_update(
                mandates_changed, ["level", "constituency", "active"], batch_size=500
            )


def _new_code(taken: set[str]) -> str:
    """A public code for a new deputy (48 random bits; the unique index has the last word)."""
    while True:
        code = f"dep-{secrets.token_hex(6)}"
        if code not in taken:
            taken.add(code)
            return code
