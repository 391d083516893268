"""The dashboard benchmark's data: a county of 20 townships and five years of its ledger.

Imported by benchmarks/dashboard.py's setup step (Django set up). Fixed seeds: the same data on
every run and database. Cases and their events are written row by row as tuples (COPY on
PostgreSQL, executemany on SQLite), the small tables through the ORM.
"""

from __future__ import annotations

import itertools
import json
import random
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta
from datetime import time as dtime
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from lianluo.activities.models import Activity, ActivityStatus, Signup
from lianluo.cases.models import Case, CaseEvent, Category, DeclineReason
from lianluo.core.models import Area, Congress, Department
from lianluo.demo.seed import CASE_TEXTS, SURNAMES, seed_structure
from lianluo.deputies.models import Deputy
from lianluo.stations.models import ReceptionDay, ReceptionRecord, Station, StationMembership
from lianluo.suggestions.models import Suggestion

YEARS = 5
EXTRA_TOWNSHIPS = 16  # the demo's 4 + these = 20
CHANNELS = {"station_qr": 40, "deputy_qr": 25, "reception": 15, "visit": 10, "staff": 10}
# The step after acceptance (None: the station answers itself).
STEPS = {"answer_on_spot": 25, "assign": 45, "escalate": 5, "convert": 5, None: 20}
STEP_STATUS = {
    "answer_on_spot": "answered_on_spot",
    "assign": "assigned",
    "escalate": "escalated",
    "convert": "converted",
    None: "accepted",
}
RATINGS = {"satisfied": 68, "basically_satisfied": 20, "dissatisfied": 4, "": 8}
BATCH = 20_000


_CUMULATIVE: dict[int, tuple[list, list[int]]] = {}


def _pick(rng: random.Random, table: dict) -> Any:
    """A key of `table` drawn with the values as weights."""
    pop, cum = _CUMULATIVE.get(id(table)) or _CUMULATIVE.setdefault(
        id(table), (list(table), list(itertools.accumulate(table.values())))
    )
    return rng.choices(pop, cum_weights=cum)[0]


# ---- the county ------------------------------------------------------------------------------


def grow_county(rng: random.Random) -> None:
    """The demo county (4 townships, 25 stations) and 16 more townships with a "1+5" each and
    three deputies per station."""
    seed_structure(rng)
    county = Area.objects.get(code="430399000000")
    hub = Station.objects.get(code="qx-hub")
    n = 0
    for k in range(EXTRA_TOWNSHIPS):
        code = f"430399{110 + k:03d}000"
        name = f"新{k + 1:02d}镇"
        t = Area.objects.create(code=code, name=name, level="township", parent=county)
        for i, village in enumerate(["社区", "村"]):
            Area.objects.create(
                code=f"{code[:9]}{200 + i:03d}", name=f"{name}{village}", level="village", parent=t
            )
        congress = Congress.objects.create(area=t, name=f"{name}人民代表大会")
        group = [
            Station.objects.create(
                code=f"t{k:02d}-hub",
                name=f"{name}联络总站",
                kind="hub",
                area=t,
                congress=congress,
                parent=hub,
            )
        ]
        for j, kind in enumerate(["sector", "sector", "industry", "contact", "contact"]):
            group.append(
                Station.objects.create(
                    code=f"t{k:02d}-{j}",
                    name=f"{name}联络站{j}",
                    kind=kind,
                    area=t,
                    congress=congress,
                    parent=group[0],
                )
            )
        for s in group:
            for _ in range(3):
                n += 1
                d = Deputy.objects.create(
                    code=f"bd-{n:04d}", name=SURNAMES[n % len(SURNAMES)] + "代表", industry="农业"
                )
                StationMembership.objects.create(station=s, deputy=d, primary=True)


# ---- writing rows fast -----------------------------------------------------------------------


def _columns(model: type[models.Model]) -> list[models.Field]:
    return list(model._meta.concrete_fields)


def write_rows(model: type[models.Model], rows: Iterable[dict[str, Any]]) -> int:
    """Insert dicts (by attname; every concrete field, the pk included; missing ones take their
    default) with COPY on PostgreSQL and executemany on SQLite."""
    fields = _columns(model)
    defaults = {f.attname: f.get_default() for f in fields}
    json_fields = {f.attname for f in fields if isinstance(f, models.JSONField)}
    dt_fields = {f.attname for f in fields if isinstance(f, models.DateTimeField)}
    adapt = connection.ops.adapt_datetimefield_value
    names = [f.attname for f in fields]
    table = connection.ops.quote_name(model._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(f.column) for f in fields)

    plain = [n for n in names if n not in json_fields and n not in dt_fields]
    fixed = {n: json.dumps(defaults[n] or {}) for n in json_fields}

    def tuples() -> Iterator[tuple]:
        for row in rows:
            values = {n: row.get(n, defaults[n]) for n in plain}
            for n in dt_fields:
                v = row.get(n)
                values[n] = adapt(v) if v is not None else None
            values.update(fixed)
            yield tuple(values[n] for n in names)

    n = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for t in tuples():
                    copy.write_row(t)
                    n += 1
        else:
            marks = ", ".join(["%s"] * len(names))
            sql = f"INSERT INTO {table} ({cols}) VALUES ({marks})"  # noqa: S608
            chunk: list[tuple] = []
            for t in tuples():
                chunk.append(t)
                if len(chunk) >= BATCH:
                    cursor.executemany(sql, chunk)
                    n += len(chunk)
                    chunk = []
            if chunk:
                cursor.executemany(sql, chunk)
                n += len(chunk)
    return n


def _reset_sequence(model: type[models.Model]) -> None:
    if connection.vendor != "postgresql":
        return
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
            f"(SELECT MAX(id) FROM {table}))"
        )


def _tracking(i: int) -> str:
    """A unique tracking code of the product's shape (four groups of four)."""
    raw = f"{i * 2654435761 % (1 << 64):016X}"
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:12]}-{raw[12:]}"


# ---- the ledger ------------------------------------------------------------------------------


class Ledger:
    """Generates the cases (and their events) of five years in time order."""

    def __init__(self, count: int, rng: random.Random) -> None:
        self.rng = rng
        self.count = count
        self.now = timezone.now()
        self.start = timezone.make_aware(
            datetime.combine(date(self.now.year - YEARS + 1, 1, 1), dtime.min)
        )
        self.stations = list(
            Station.objects.select_related("area", "congress__area").order_by("code")
        )
        self.cum_weights = list(
            itertools.accumulate(4 if s.kind == "hub" else 1 for s in self.stations)
        )
        self.prefix = {s.pk: s.congress.number_prefix for s in self.stations}
        members: dict[int, list[int]] = defaultdict(list)
        for m in StationMembership.objects.all():
            members[m.station_id].append(m.deputy_id)
        self.members = members
        # Each congress has its own catalog (the defaults, installed when it was created).
        self.categories: dict[int, list[int]] = defaultdict(list)
        for pk, congress_id in Category.objects.values_list("pk", "congress_id"):
            self.categories[congress_id].append(pk)
        self.reasons = list(DeclineReason.objects.values_list("pk", flat=True))
        self.departments = list(Department.objects.values_list("pk", flat=True))
        self.county_hub = Station.objects.select_related("area", "congress__area").get(
            code="qx-hub"
        )
        self.suggestions: dict[tuple[int, int], list[int]] = {}
        self.first_id = (Case.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1
        self.copies: list[dict[str, Any]] = []
        self.events = 0
        self.counters: dict[tuple[int, int], int] = defaultdict(int)
        # The zone's offset (China has no summer time): a case's local year without tz lookups.
        self.offset = timezone.localtime(self.now).utcoffset() or timedelta(0)
        _write_events.next_id = (  # type: ignore[attr-defined]
            CaseEvent.objects.aggregate(m=models.Max("pk"))["m"] or 0
        ) + 1

    def make_suggestions(self) -> None:
        """A handful of deputies' suggestions per congress and year, for converted cases."""
        rows = []
        congresses = {s.congress_id for s in self.stations}
        for congress_id in sorted(congresses):
            for year in range(self.start.year, self.now.year + 1):
                for k in range(20):
                    rows.append(
                        Suggestion(
                            congress_id=congress_id,
                            year=year,
                            title=f"关于第{k + 1}项民生问题的建议",
                            text="多名群众反映的问题，建议有关部门研究解决。",
                        )
                    )
        Suggestion.objects.bulk_create(rows, batch_size=2000)
        for s in Suggestion.objects.values("pk", "congress_id", "year"):
            self.suggestions.setdefault((s["congress_id"], s["year"]), []).append(s["pk"])

    def cases(self) -> Iterator[dict[str, Any]]:
        rng, now = self.rng, self.now
        span = (now - self.start).total_seconds() - 3600
        moments = sorted(rng.random() * span for _ in range(self.count))
        for i, offset in enumerate(moments):
            created = self.start + timedelta(seconds=offset)
            yield self._case(self.first_id + i, i, created)

    def _case(self, pk: int, i: int, created: datetime) -> dict[str, Any]:
        rng, now = self.rng, self.now
        station = rng.choices(self.stations, cum_weights=self.cum_weights)[0]
        year = (created + self.offset).year
        key = (station.congress_id, year)
        self.counters[key] += 1
        seq = self.counters[key]
        channel = _pick(rng, CHANNELS)
        deputies = self.members.get(station.pk) or [None]
        cat, title, text, place = CASE_TEXTS[i % len(CASE_TEXTS)]
        age_days = (now - created).total_seconds() / 86400
        row: dict[str, Any] = {
            "id": pk,
            "number": f"{self.prefix[station.pk]}-{year}-{seq:06d}",
            "congress_id": station.congress_id,
            "year": year,
            "seq": seq,
            "tracking_code": _tracking(pk),
            "idempotency_key": None,
            "channel": channel,
            "station_id": station.pk,
            "deputy_id": rng.choice(deputies) if channel in ("deputy_qr", "visit") else None,
            "scope_path": station.area.path,
            "title": title,
            "text": text,
            "category_id": rng.choice(self.categories[station.congress_id]),
            "place": place,
            "citizen_name": SURNAMES[i % len(SURNAMES)] + ("女士" if i % 2 else "先生"),
            "citizen_phone": f"138{rng.randint(10000000, 99999999)}" if i % 3 else "",
            "consent_publish": i % 2 == 0,
            "created_at": created,
            "status": "submitted",
        }
        events = [("submit", created, "", "submitted")]
        # Not yet triaged: the last few days' cases, mostly.
        if age_days < rng.uniform(0, 4):
            row["_events"] = events
            return row
        accepted_at = created + timedelta(hours=rng.uniform(1, 72))
        if accepted_at > now or rng.random() < 0.06:
            row["status"] = "declined"
            row["decline_reason_id"] = rng.choice(self.reasons) if self.reasons else None
            events.append(("decline", min(accepted_at, now), "submitted", "declined"))
            row["_events"] = events
            return row
        step = _pick(rng, STEPS)
        simple = step == "answer_on_spot"
        triage = "simple" if simple else ("major" if rng.random() < 0.15 else "general")
        deadline = None if simple else accepted_at + timedelta(days=90 if triage == "major" else 30)
        row.update(
            status="accepted",
            triage=triage,
            deadline=deadline,
            accepted_at=accepted_at,
            responsible_deputy_id=rng.choice(deputies),
        )
        events.append(("accept", accepted_at, "submitted", "accepted"))
        step_at = accepted_at + timedelta(hours=rng.uniform(0, 48) if not simple else 0)
        if step_at > now:
            row["_events"] = events
            return row
        if step is not None:
            events.append((step, step_at, "accepted", STEP_STATUS[step]))
            row["status"] = STEP_STATUS[step]
            if step == "assign":
                row["department_id"] = rng.choice(self.departments) if self.departments else None
            elif step == "convert":
                pool = self.suggestions.get((station.congress_id, year)) or [None]
                row["suggestion_id"] = rng.choice(pool)
            elif step == "escalate" and station.area.level == "township":
                self._copy(row, step_at)
        # The answer: on the spot at once; else within the deadline mostly, some late.
        if simple:
            answered_at = accepted_at
        else:
            days = rng.uniform(2, 28) if rng.random() < 0.9 else rng.uniform(25, 60)
            if triage == "major":
                days *= 3
            answered_at = step_at + timedelta(days=days)
        # Stuck: a few old cases are never answered (overdue now).
        if answered_at > now or rng.random() < 0.01:
            row["_events"] = events
            return row
        if not simple:
            events.append(("answer", answered_at, row["status"], "answered"))
            row["status"] = "answered"
        row["answered_at"] = answered_at
        closed_at = answered_at + timedelta(days=rng.uniform(1, 20))
        rating = _pick(rng, RATINGS)
        if closed_at > now or rng.random() < 0.02:
            row["status"] = rng.choice(["answered", "followed_up", "rated"])
            row["rating"] = rating if row["status"] == "rated" else ""
            row["_events"] = events
            return row
        if rating == "dissatisfied" and rng.random() < 0.5:
            # Reopened once, assigned again, answered again, then closed with a new rating.
            again = answered_at + timedelta(days=rng.uniform(1, 5))
            events.append(("reopen", again, "rated", "reopened"))
            events.append(("assign", again + timedelta(hours=2), "reopened", "assigned"))
            row["reopened_count"] = 1
            answered_at = again + timedelta(days=rng.uniform(3, 15))
            row["answered_at"] = answered_at
            closed_at = answered_at + timedelta(days=rng.uniform(1, 10))
            rating = "basically_satisfied" if rng.random() < 0.6 else "dissatisfied"
            if closed_at > now:
                row.update(status="answered", rating="")
                row["_events"] = events
                return row
        events.append(("close", closed_at, "rated" if rating else "followed_up", "closed"))
        row.update(status="closed", rating=rating, closed_at=closed_at)
        row["_events"] = events
        return row

    def _copy(self, row: dict[str, Any], at: datetime) -> None:
        """The congress-above copy of an escalated case (never counted again)."""
        hub = self.county_hub
        year = (at + self.offset).year
        key = (hub.congress_id, year)
        self.counters[key] += 1
        self.copies.append(
            {
                "number": f"{hub.congress.number_prefix}-{year}-{self.counters[key]:06d}",
                "congress_id": hub.congress_id,
                "year": year,
                "seq": self.counters[key],
                "tracking_code": "X-" + _tracking(row["id"]),
                "channel": "escalation",
                "station_id": hub.pk,
                "scope_path": hub.area.path,
                "title": row["title"],
                "text": row["text"],
                "status": "accepted",
                "triage": "general",
                "created_at": at,
                "accepted_at": at,
                "deadline": at + timedelta(days=30),
                "escalated_from_id": row["id"],
            }
        )

    def write(self) -> tuple[int, int]:
        """Cases and their events, in chunks; then the escalated copies."""
        made = 0
        chunk: list[dict[str, Any]] = []
        for row in self.cases():
            chunk.append(row)
            if len(chunk) >= BATCH:
                made += self._flush(chunk)
                chunk = []
        if chunk:
            made += self._flush(chunk)
        next_id = self.first_id + made
        for k, copy in enumerate(self.copies):
            copy["id"] = next_id + k
        write_rows(Case, self.copies)
        _reset_sequence(Case)
        _reset_sequence(CaseEvent)
        return made, len(self.copies)

    def _flush(self, chunk: list[dict[str, Any]]) -> int:
        events = []
        for row in chunk:
            for action, at, src, dst in row.pop("_events"):
                events.append(
                    {
                        "id": None,
                        "case_id": row["id"],
                        "at": at,
                        "action": action,
                        "from_status": src,
                        "to_status": dst,
                    }
                )
        n = write_rows(Case, chunk)
        self.events += _write_events(events)
        return n


def _write_events(events: list[dict[str, Any]]) -> int:
    first = _write_events.next_id  # type: ignore[attr-defined]
    for k, e in enumerate(events):
        e["id"] = first + k
    _write_events.next_id = first + len(events)  # type: ignore[attr-defined]
    return write_rows(CaseEvent, events)


# ---- reception days and activities -----------------------------------------------------------


def stations_life(start: datetime, now: datetime, rng: random.Random) -> tuple[int, int]:
    """Two reception days a month per station (nine in ten held, with their record and the
    deputies present), one activity a month (done, with check-ins)."""
    stations = list(Station.objects.order_by("code"))
    members: dict[int, list[int]] = defaultdict(list)
    for m in StationMembership.objects.all():
        members[m.station_id].append(m.deputy_id)
    today = timezone.localdate()
    days: list[ReceptionDay] = []
    acts: list[Activity] = []
    d = start.date().replace(day=1)
    while d <= today:
        for s in stations:
            for day in (6, 20):
                on = d.replace(day=day)
                if on <= today:
                    days.append(
                        ReceptionDay(
                            station=s, date=on, start=dtime(9), end=dtime(12), status="published"
                        )
                    )
            at = timezone.make_aware(datetime.combine(d.replace(day=12), dtime(14)))
            if at < now:
                acts.append(
                    Activity(
                        station=s,
                        type="visit",
                        title="走访选民",
                        place="村委会",
                        start=at,
                        end=at + timedelta(hours=2),
                        status=ActivityStatus.DONE,
                    )
                )
        d = (d + timedelta(days=32)).replace(day=1)
    # ReceptionDay rows created today by the demo's own schedule may clash: skip them.
    ReceptionDay.objects.bulk_create(days, batch_size=5000, ignore_conflicts=True)
    held = [
        rd
        for rd in ReceptionDay.objects.filter(date__lt=today, record__isnull=True)
        if rng.random() < 0.9
    ]
    records = ReceptionRecord.objects.bulk_create(
        [ReceptionRecord(reception_day=rd, citizens_received=rng.randint(0, 15)) for rd in held],
        batch_size=5000,
    )
    if records and records[0].pk is None:
        records = list(ReceptionRecord.objects.select_related("reception_day"))
    through = ReceptionRecord.deputies_present.through
    station_of = {rd.pk: rd.station_id for rd in held}
    present = []
    for r in records:
        pool = members.get(station_of.get(r.reception_day_id, 0)) or []
        for dep in rng.sample(pool, min(len(pool), 2)):
            present.append(through(receptionrecord_id=r.pk, deputy_id=dep))
    through.objects.bulk_create(present, batch_size=5000, ignore_conflicts=True)
    Activity.objects.bulk_create(acts, batch_size=5000)
    signups = []
    for a in Activity.objects.filter(title="走访选民"):
        for dep in rng.sample(
            members.get(a.station_id) or [], min(3, len(members.get(a.station_id) or []))
        ):
            signups.append(Signup(activity=a, deputy_id=dep, checked_in_at=a.start))
    Signup.objects.bulk_create(signups, batch_size=5000, ignore_conflicts=True)
    return ReceptionDay.objects.count(), Activity.objects.count()


def seed(count: int) -> dict[str, Any]:
    """The whole data set; returns what was made (for the report)."""
    rng = random.Random(2026)
    t0 = time.perf_counter()
    with transaction.atomic():
        grow_county(rng)
    t1 = time.perf_counter()
    ledger = Ledger(count, random.Random(11))
    ledger.make_suggestions()
    with transaction.atomic():
        made, copies = ledger.write()
    t2 = time.perf_counter()
    with transaction.atomic():
        days, acts = stations_life(ledger.start, ledger.now, random.Random(5))
    t3 = time.perf_counter()
    return {
        "seconds": t3 - t0,
        "county_s": t1 - t0,
        "ledger_s": t2 - t1,
        "stations_s": t3 - t2,
        "cases": made,
        "copies": copies,
        "events": ledger.events,
        "stations": Station.objects.count(),
        "townships": Area.objects.filter(level="township").count(),
        "reception_days": days,
        "activities": acts,
    }
