"""Django-side steps of the intake benchmark, run by benchmarks/intake.py in a subprocess with the
environment of one database (the product's settings: DATABASE_URL or LIANLUO_DATA_DIR).

    python benchmarks/dbwork.py setup --cases 100000   migrate, demo county, seed the ledger
    python benchmarks/dbwork.py ledger --repeat 30     time case_list beside a plain query
    python benchmarks/dbwork.py count                  rows in the case and floor tables

Each step prints one JSON object on its last stdout line.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections import defaultdict
from datetime import timedelta
from typing import Any

from common import median_ms

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianluo.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from lianluo.cases.models import Case, Category, DeclineReason  # noqa: E402
from lianluo.cases.selectors import CaseFilters, case_list  # noqa: E402
from lianluo.cases.states import CaseStatus, Channel, Rating, Triage  # noqa: E402
from lianluo.core.models import Department, LedgerCounter, User  # noqa: E402
from lianluo.demo.seed import CASE_TEXTS, SURNAMES, seed_structure  # noqa: E402
from lianluo.stations.models import Station, StationMembership  # noqa: E402

# A ledger a year into service: most cases are done, a fifth still waits for something.
STATUS_WEIGHTS = {
    CaseStatus.SUBMITTED: 6,
    CaseStatus.ACCEPTED: 12,
    CaseStatus.DECLINED: 6,
    CaseStatus.ANSWERED_ON_SPOT: 8,
    CaseStatus.ASSIGNED: 10,
    CaseStatus.ESCALATED: 2,
    CaseStatus.CONVERTED: 2,
    CaseStatus.ANSWERED: 12,
    CaseStatus.FOLLOWED_UP: 6,
    CaseStatus.RATED: 6,
    CaseStatus.REOPENED: 2,
    CaseStatus.CLOSED: 28,
}
ACCEPTED_STATES = set(STATUS_WEIGHTS) - {CaseStatus.SUBMITTED, CaseStatus.DECLINED}
ANSWERED_STATES = {
    CaseStatus.ANSWERED_ON_SPOT,
    CaseStatus.ANSWERED,
    CaseStatus.FOLLOWED_UP,
    CaseStatus.RATED,
    CaseStatus.CLOSED,
}
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def _tracking_code(rng: random.Random) -> str:
    raw = "".join(rng.choice(_ALPHABET) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def seed_ledger(count: int, rng: random.Random) -> int:
    """`count` cases spread over the demo county's stations, statuses and the past year.

    Bulk-inserted (benchmark data), but shaped like case_submit's rows: numbered per congress
    and year without gaps, scope_path copied from the station's area, and the ledger counters
    set so that live submissions continue the numbering.
    """
    stations = list(Station.objects.select_related("area", "congress").order_by("code"))
    # Hubs receive more than the small contact stations.
    weights = [4 if s.kind == "hub" else 1 for s in stations]
    members: dict[int, list[int]] = defaultdict(list)
    for m in StationMembership.objects.all():
        members[m.station_id].append(m.deputy_id)
    # Every congress has its own catalog (the defaults, installed when it was created).
    categories: dict[int, list[Category]] = defaultdict(list)
    for category in Category.objects.all():
        categories[category.congress_id].append(category)
    reasons: dict[int, list[DeclineReason]] = defaultdict(list)
    for reason in DeclineReason.objects.all():
        reasons[reason.congress_id].append(reason)
    departments = list(Department.objects.all())
    statuses = list(STATUS_WEIGHTS)
    status_weights = list(STATUS_WEIGHTS.values())
    ratings = list(Rating.values)
    triages = list(Triage.values)

    now = timezone.now()
    moments = sorted(now - timedelta(seconds=rng.uniform(60, 365 * 86400)) for _ in range(count))
    counters: dict[tuple[int, int], int] = defaultdict(int)
    batch: list[Case] = []
    made = 0
    with transaction.atomic():
        for i, created in enumerate(moments):
            station = rng.choices(stations, weights)[0]
            congress = station.congress
            year = timezone.localtime(created).year
            counters[(congress.pk, year)] += 1
            seq = counters[(congress.pk, year)]
            status = rng.choices(statuses, status_weights)[0]
            cat_code, title, text, place = CASE_TEXTS[i % len(CASE_TEXTS)]
            deputy_ids = members.get(station.pk) or [None]
            accepted_at = created + timedelta(hours=rng.randint(1, 72))
            accepted = status in ACCEPTED_STATES
            triage = rng.choice(triages) if accepted else ""
            case = Case(
                number=f"{congress.number_prefix}-{year}-{seq:06d}",
                congress=congress,
                year=year,
                seq=seq,
                tracking_code=_tracking_code(rng),
                idempotency_key=None,
                channel=Channel.DEPUTY_QR if i % 4 == 1 else Channel.STATION_QR,
                station=station,
                deputy_id=rng.choice(deputy_ids) if i % 4 == 1 else None,
                responsible_deputy_id=rng.choice(deputy_ids) if accepted else None,
                scope_path=station.area.path,
                title=title,
                text=text,
                category=rng.choice(categories[congress.pk]),
                place=place,
                citizen_name=SURNAMES[i % len(SURNAMES)] + "女士" if i % 2 else "",
                citizen_phone=f"138{rng.randint(10000000, 99999999)}" if i % 3 else "",
                consent_publish=i % 2 == 0,
                status=status,
                triage=triage,
                deadline=accepted_at + timedelta(days=30) if accepted else None,
                department=rng.choice(departments)
                if status in (CaseStatus.ASSIGNED, CaseStatus.ANSWERED) and departments
                else None,
                decline_reason=rng.choice(reasons[congress.pk])
                if status == CaseStatus.DECLINED
                else None,
                rating=rng.choice(ratings)
                if status in (CaseStatus.RATED, CaseStatus.CLOSED)
                else "",
                created_at=created,
                accepted_at=accepted_at if accepted else None,
                answered_at=accepted_at + timedelta(days=3) if status in ANSWERED_STATES else None,
                closed_at=accepted_at + timedelta(days=10) if status == CaseStatus.CLOSED else None,
            )
            batch.append(case)
            if len(batch) >= 2000:
                Case.objects.bulk_create(batch)
                made += len(batch)
                batch = []
        if batch:
            Case.objects.bulk_create(batch)
            made += len(batch)
        for (congress_id, year), last in counters.items():
            LedgerCounter.objects.update_or_create(
                congress_id=congress_id, year=year, defaults={"last": last}
            )
    return made


def analyze() -> None:
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("VACUUM ANALYZE")
        else:
            cur.execute("ANALYZE")


def step_setup(args: argparse.Namespace) -> dict[str, Any]:
    t0 = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    t_migrate = time.perf_counter() - t0
    rng = random.Random(2026)
    seed_structure(rng)
    t1 = time.perf_counter()
    made = seed_ledger(args.cases, rng)
    t_seed = time.perf_counter() - t1
    analyze()
    stations = list(Station.objects.filter(active=True).values_list("code", flat=True))
    return {
        "vendor": connection.vendor,
        "outbox_mode": settings.LIANLUO_OUTBOX_MODE,
        "cases": made,
        "stations": stations,
        "migrate_s": round(t_migrate, 1),
        "seed_s": round(t_seed, 1),
        "total_s": round(time.perf_counter() - t0, 1),
    }


# ---- the staff ledger list -----------------------------------------------------------------

_PLAIN_SQL = """
SELECT c.id, c.number, c.title, c.status, c.created_at, c.deadline, s.name
FROM cases_case c LEFT JOIN stations_station s ON s.id = c.station_id
WHERE {where} AND c.status = %s
ORDER BY c.created_at DESC, c.id DESC
LIMIT 25
"""


def _product(user: User, status: str) -> list[int]:
    # A fresh request computes the viewer's scope once: count that query too.
    user.__dict__.pop("_lianluo_scope", None)
    return [c.pk for c in case_list(viewer=user, filters=CaseFilters(status=status))[:25]]


def _plain(where: str, params: list[Any], status: str) -> list[int]:
    with connection.cursor() as cur:
        cur.execute(_PLAIN_SQL.format(where=where), [*params, status])
        return [row[0] for row in cur.fetchall()]


def step_ledger(args: argparse.Namespace) -> dict[str, Any]:
    from lianluo.core.scope import scope_for

    results = []
    for username in ("staff", "liaison"):
        user = User.objects.get(username=username)
        scope = scope_for(user)
        if scope.staff_paths:
            where = "c.scope_path LIKE %s"
            params: list[Any] = [scope.staff_paths[0] + "%"]
        else:
            where = "c.station_id = %s"
            params = [next(iter(scope.station_ids))]
        for status in args.status:
            product_ids = _product(user, status)
            plain_ids = _plain(where, params, status)
            if product_ids != plain_ids:
                raise SystemExit(
                    f"case_list and the plain query disagree for {username}/{status}: "
                    f"{product_ids[:5]}… vs {plain_ids[:5]}…"
                )
            product_ms = median_ms(lambda u=user, s=status: _product(u, s), args.repeat, warmup=3)
            plain_ms = median_ms(
                lambda w=where, p=params, s=status: _plain(w, p, s), args.repeat, warmup=3
            )
            results.append(
                {
                    "viewer": username,
                    "status": status,
                    "rows": len(product_ids),
                    "visible": case_list(viewer=user, filters=CaseFilters(status=status)).count(),
                    "product_ms": round(product_ms, 2),
                    "plain_ms": round(plain_ms, 2),
                }
            )
    return {"total_cases": Case.objects.count(), "lists": results}


def step_count(args: argparse.Namespace) -> dict[str, Any]:
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM cases_case")
        cases = cur.fetchone()[0]
        try:
            with transaction.atomic():
                cur.execute("SELECT count(*) FROM floor_submission")
                floor = cur.fetchone()[0]
        except Exception:
            floor = None
    return {"cases": cases, "floor": floor}


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="step", required=True)
    p = sub.add_parser("setup")
    p.add_argument("--cases", type=int, default=100_000)
    p = sub.add_parser("ledger")
    p.add_argument("--repeat", type=int, default=30)
    p.add_argument("--status", nargs="+", default=["accepted"])
    sub.add_parser("count")
    args = parser.parse_args()
    step = {"setup": step_setup, "ledger": step_ledger, "count": step_count}[args.step]
    result = step(args)
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
