"""Past reception records (历史接待记录): one row per reception day of a station.

Each row becomes a published reception day (or reuses the station's day of that date and start)
and its record — citizens received, deputies present, a summary — marked `imported`. No duty
points are credited. Identity: station, date and start time; importing the file again updates
the records it wrote and never overwrites one written on the platform.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

from lianluo.deputies.models import Deputy
from lianluo.onboarding.importers.base import Progress, chunks, split_list
from lianluo.onboarding.importers.history import HistoryImporter, local_at
from lianluo.onboarding.sheets import Sheet, SheetRow
from lianluo.stations.models import (
    ReceptionDay,
    ReceptionRecord,
    ReceptionRule,
    ReceptionStatus,
    Station,
)

USUAL_START, USUAL_END = time(9, 0), time(12, 0)


@dataclass
class ReceptionPlan:
    row: SheetRow
    station: Station
    day: date
    start: time
    end: time
    citizens: int
    summary: str
    deputies: list[Deputy] = field(default_factory=list)
    existing_day: ReceptionDay | None = None
    existing: ReceptionRecord | None = None
    changes: bool = False


class ReceptionImporter(HistoryImporter):
    kind = "receptions"

    def check(self, sheet: Sheet, progress: Progress) -> None:
        rows = self.begin(sheet)
        if rows is None:
            return
        self.load_stations(r.values.get("station", "") for r in rows)
        self.load_deputies(name for r in rows for name in split_list(r.values.get("deputies", "")))
        usual = _usual_hours(self.stations_by_code.values())
        plans: list[ReceptionPlan] = []
        first_row: dict[tuple[int, date, time], int] = {}
        for i, row in enumerate(rows, start=1):
            if i % 200 == 0:
                progress(i)
            plan = self._check_row(row, usual)
            if plan is None:
                continue
            key = (plan.station.pk, plan.day, plan.start)
            if key in first_row:
                self.error(row, "date", "duplicate_reception", first=first_row[key])
                continue
            first_row[key] = row.number
            plans.append(plan)
        progress(len(rows))
        self._match_saved(plans)
        if self.errors:
            return
        for plan in plans:
            if plan.existing is None:
                self.creates += 1
                continue
            self.updates += 1
            r = plan.existing
            present = {d.pk for d in r.deputies_present.all()}
            plan.changes = (r.citizens_received, r.summary, present) != (
                plan.citizens,
                plan.summary,
                {d.pk for d in plan.deputies},
            )
            self.changed += int(plan.changes)
        self._plans = plans

    def _check_row(
        self, row: SheetRow, usual: dict[int, tuple[time, time]]
    ) -> ReceptionPlan | None:
        before = len(self.errors)
        day = self.read_date(row, "date", required=True)
        station = self.station(row)
        start = self.read_time(row, "start")
        end = self.read_time(row, "end")
        citizens = self.read_count(row, "citizens")
        summary = self.text(row, "summary", max_length=5000)
        deputies: list[Deputy] = []
        for value in split_list(row.values.get("deputies", "")):
            deputy = self.deputy(row, "deputies", value, station)
            if deputy is not None and deputy not in deputies:
                deputies.append(deputy)
        if len(self.errors) > before or day is None or station is None or citizens is None:
            return None
        usual_start, usual_end = usual.get(station.pk, (USUAL_START, USUAL_END))
        start = start or usual_start
        end = end or (usual_end if usual_end > start else time(min(start.hour + 3, 23), 0))
        if end <= start:
            self.error(row, "end", "time_order", start=f"{start:%H:%M}", end=f"{end:%H:%M}")
            return None
        return ReceptionPlan(row, station, day, start, end, citizens, summary, deputies)

    def _match_saved(self, plans: list[ReceptionPlan]) -> None:
        """The days already saved for these stations and dates, with their records; a record
        written on the platform is not overwritten (a row error)."""
        stations = sorted({p.station.pk for p in plans})
        dates = sorted({p.day for p in plans})
        days: dict[tuple[int, date, time], ReceptionDay] = {}
        for part in chunks(stations):
            qs = ReceptionDay.objects.filter(station_id__in=part, date__in=dates)
            days.update({(d.station_id, d.date, d.start): d for d in qs})
        records = {
            r.reception_day_id: r
            for part in chunks([d.pk for d in days.values()])
            for r in ReceptionRecord.objects.filter(reception_day_id__in=part).prefetch_related(
                "deputies_present"
            )
        }
        for plan in plans:
            day = days.get((plan.station.pk, plan.day, plan.start))
            if day is None:
                continue
            plan.existing_day = day
            plan.existing = records.get(day.pk)
            if plan.existing is not None and not plan.existing.imported:
                self.error(plan.row, "date", "record_exists", value=plan.day.isoformat())

    def apply(self, progress: Progress) -> None:
        for i, plan in enumerate(self._plans, start=1):
            day = plan.existing_day
            if day is None:
                day = ReceptionDay.objects.create(
                    station=plan.station,
                    date=plan.day,
                    start=plan.start,
                    end=plan.end,
                    status=ReceptionStatus.PUBLISHED,
                    published_at=local_at(plan.day, plan.start),
                )
            elif day.status != ReceptionStatus.PUBLISHED or day.end != plan.end:
                day.status, day.end = ReceptionStatus.PUBLISHED, plan.end
                day.published_at = day.published_at or local_at(plan.day, plan.start)
                day.save(update_fields=["status", "end", "published_at"])
            record = plan.existing
            if record is None:
                record = ReceptionRecord.objects.create(
                    reception_day=day,
                    citizens_received=plan.citizens,
                    summary=plan.summary,
                    recorded_by=self.actor,
                    imported=True,
                )
            elif plan.changes:
                record.citizens_received, record.summary = plan.citizens, plan.summary
                record.recorded_by = self.actor
                record.save(update_fields=["citizens_received", "summary", "recorded_by"])
            if plan.existing is None or plan.changes:
                record.deputies_present.set(plan.deputies)
            action = "create" if plan.existing is None else ("change" if plan.changes else "same")
            self.keep_item(
                code=f"{plan.station.code} {plan.day:%Y-%m-%d}",
                name=plan.station.name,
                action=action,
            )
            if i % 100 == 0:
                progress(i)
        progress(len(self._plans))


def _usual_hours(stations: Any) -> dict[int, tuple[time, time]]:
    """Each station's usual reception hours: those of its first active rule."""
    ids = [s.pk for s in stations]
    usual: dict[int, tuple[time, time]] = {}
    for part in chunks(ids):
        rules = ReceptionRule.objects.filter(station_id__in=part, active=True).order_by("pk")
        for rule in rules:
            usual.setdefault(rule.station_id, (rule.start, rule.end))
    return usual
