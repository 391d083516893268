"""What the past years' importers share: dates and times as ledgers write them, stations by
code or name within the importer's area, deputies by name or code, and the fixed hours that
place a day's records in time."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from lianluo.deputies.models import Deputy
from lianluo.onboarding.importers.base import Importer, chunks
from lianluo.onboarding.sheets import SheetRow
from lianluo.stations.models import Station

# A past record is placed at a fixed local hour of its day: received in the morning, closed at
# the end of the working day (the figures count by day, the hour only orders the events).
RECEIVED_AT = time(9, 0)
CLOSED_AT = time(17, 0)
EARLIEST = date(1980, 1, 1)

_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_TIME = re.compile(r"^(\d{1,2})\s*[:：时点]\s*(\d{1,2})?\s*(?:[:：]\s*\d{1,2})?\s*分?$")
_EXCEL_EPOCH = date(1899, 12, 30)


def parse_date(value: str) -> date | None:
    """A day as ledgers write it: 2023-05-06, 2023/5/6, 2023.5.6, 2023年5月6日, 20230506, or a
    spreadsheet's serial number (a date cell typed as a number)."""
    text = value.strip().split(" ")[0].split("T")[0]
    match = _DATE.match(text) or _COMPACT.match(text)
    try:
        if match:
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        if text.isdigit() and 10_000 < int(text) < 80_000:
            return _EXCEL_EPOCH + timedelta(days=int(text))
    except ValueError:
        return None
    return None


def parse_time(value: str) -> time | None:
    """9:00, 09:00:00, 9：30, 9点, or a spreadsheet's fraction of a day (0.375)."""
    text = value.strip()
    match = _TIME.match(text)
    try:
        if match:
            return time(int(match.group(1)), int(match.group(2) or 0))
        fraction = float(text)
    except ValueError:
        return None
    if 0 <= fraction < 1:
        minutes = round(fraction * 24 * 60)
        return time(minutes // 60, minutes % 60)
    return None


def local_at(day: date, hour: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, hour))


class HistoryImporter(Importer):
    """An importer of a past year's records: cells of days and stations, read in scope."""

    stations_by_code: dict[str, Station]
    stations_by_name: dict[str, list[Station]]

    def read_date(self, row: SheetRow, key: str, *, required: bool = False) -> date | None:
        value = row.values.get(key, "")
        if not value:
            if required:
                self.error(row, key, "required")
            return None
        day = parse_date(value)
        if day is None:
            self.error(row, key, "bad_date", value=value)
            return None
        if not EARLIEST <= day <= timezone.localdate():
            self.error(row, key, "date_range", value=day.isoformat(), min=EARLIEST.isoformat())
            return None
        return day

    def read_time(self, row: SheetRow, key: str) -> time | None:
        value = row.values.get(key, "")
        if not value:
            return None
        found = parse_time(value)
        if found is None:
            self.error(row, key, "bad_time", value=value)
        return found

    def read_count(self, row: SheetRow, key: str) -> int | None:
        value = row.values.get(key, "")
        if not value:
            self.error(row, key, "required")
            return None
        if not value.isdigit():
            self.error(row, key, "bad_count", value=value)
            return None
        return int(value)

    # -- stations --------------------------------------------------------------------------
    def load_stations(self, values: Iterable[str]) -> None:
        wanted = sorted({v for v in values if v})
        self.stations_by_code, self.stations_by_name = {}, {}
        for part in chunks(wanted):
            qs = Station.objects.select_related("area", "congress__area").filter(
                Q(code__in=part) | Q(name__in=part)
            )
            for s in qs.order_by("code"):
                self.stations_by_code[s.code] = s
                self.stations_by_name.setdefault(s.name, []).append(s)

    def station(self, row: SheetRow, key: str = "station") -> Station | None:
        """The station by code, else by exact name; in the importer's area."""
        value = row.values.get(key, "")
        if not value:
            self.error(row, key, "required")
            return None
        station = self.stations_by_code.get(value)
        if station is None:
            named = self.stations_by_name.get(value, [])
            if len(named) > 1:
                self.error(row, key, "ambiguous_station", value=value)
                return None
            station = named[0] if named else None
        if station is None:
            self.error(row, key, "unknown_station_ref", value=value)
            return None
        if not self.may_act_on(station.area.path):
            self.error(row, key, "station_out_of_scope", value=value)
            return None
        return station

    # -- deputies --------------------------------------------------------------------------
    def load_deputies(self, values: Iterable[str]) -> None:
        wanted = sorted({v for v in values if v})
        self.deputies_by_code: dict[str, Deputy] = {}
        self.deputies_by_name: dict[str, list[Deputy]] = {}
        self.stations_of: dict[int, set[int]] = {}
        for part in chunks(wanted):
            qs = Deputy.objects.filter(Q(code__in=part) | Q(name__in=part)).prefetch_related(
                "memberships"
            )
            for d in qs.order_by("code"):
                self.deputies_by_code[d.code] = d
                self.deputies_by_name.setdefault(d.name, []).append(d)
                self.stations_of[d.pk] = {m.station_id for m in d.memberships.all()}

    def deputy(self, row: SheetRow, key: str, value: str, station: Station | None) -> Deputy | None:
        """A deputy by code, else by name; of several namesakes, the one of the row's station."""
        found = self.deputies_by_code.get(value)
        if found is not None:
            return found
        named = self.deputies_by_name.get(value, [])
        if len(named) > 1 and station is not None:
            named = [d for d in named if station.pk in self.stations_of.get(d.pk, set())]
        if len(named) == 1:
            return named[0]
        self.error(row, key, "ambiguous_deputy" if named else "unknown_deputy", value=value)
        return None
