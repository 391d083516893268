"""Points benchmark: a congress's yearly ranking and one deputy's archive page, on a large
ledger, beside a single hand-written SQL aggregate over the same data.

On SQLite (WAL, the product's own settings, a file in a temporary LIANLUO_DATA_DIR) and on
PostgreSQL (a throwaway role and database on the local Debian cluster, started if it was down
and stopped again; or with --pg-private a throwaway cluster of its own: benchmarks/pg.py), one
after the other, each step in a fresh Python process:

1. setup: migrate, build the demo county (lianluo.demo.seed.seed_structure), install the
   default catalog for this year and last year at the county congress and every township
   congress, then bulk-insert N more county deputies (an active county mandate each, grouped
   into the 25 stations) and M ledger entries: over the two years (four in five this year),
   every deputy, the items in proportion to what the practice records (receptions and
   activities most), a skew so that some deputies have several times the average; 92 %
   counted, 5 % awaiting verification, 3 % rejected; 0.5 % of the counted ones reversed.
   ANALYZE (PostgreSQL: VACUUM ANALYZE). Not timed.
2. measure, the median of `repeat` runs of each, taken in turn (sql, ranking, archive, page,
   sql, …) so that the machine's load weighs on all alike:
   - sql: the floor — one hand-written aggregate, `SELECT deputy_id, SUM(points) FROM
     duty_pointentry WHERE year = %s AND status = 'approved' GROUP BY deputy_id`, fetched;
   - ranking: `duty.selectors.ranking(year, congress=county)` — the county's deputies (active
     mandates) with their totals, zeros included, sorted, ties sharing a rank; checked to give
     the same totals as the SQL;
   - archive: the busiest deputy's archive page, `GET /points/deputies/<code>/?year=` through
     Django's test client as the county staff user (session, middleware, selector, template:
     the latest 50 entries of the year, the totals by item), and
     `board.archive.archive_for` alone as the page calls it.

The last line is the ratio of the product's times to the SQL aggregate's, per database:

    ratio to sql: sqlite ranking 1.4, archive page 1.8; postgresql ranking 1.3, archive page 1.7

    .venv/bin/python benchmarks/points.py --quick    # 500 deputies, 50,000 entries: ~3 minutes
    .venv/bin/python benchmarks/points.py            # 5,000 deputies, 500,000 entries: ~15
    .venv/bin/python benchmarks/points.py --sqlite-only    # no PostgreSQL
    .venv/bin/python benchmarks/points.py --pg-private     # a PostgreSQL cluster of its own

Without --sqlite-only, a PostgreSQL that cannot be reached is an error (exit 2). See
benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from common import clean_env, log, medians_interleaved, result, run_step
from pg import Postgres, PostgresUnavailable, add_database_arguments, loud

# How often each item appears in the generated ledger (relative weights, by catalog code).
WEIGHTS = {
    "reception": 12,
    "activity": 10,
    "case_answered": 8,
    "case_closed": 5,
    "suggestion": 3,
    "visit": 8,
    "publicity": 5,
    "training": 5,
    "meeting": 4,
    "research": 3,
    "inspection": 3,
    "law_enforcement": 2,
    "group": 3,
    "family": 2,
    "idea": 2,
    "research_report": 1,
    "mediation": 1,
}


def step_setup(deputies: int, entries: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from lianluo.core.models import Congress
    from lianluo.demo.seed import seed_structure
    from lianluo.deputies.models import Deputy, Mandate
    from lianluo.duty.models import DutyItem, EntrySource, EntryStatus, PointEntry
    from lianluo.duty.services import catalog_install_default
    from lianluo.stations.models import Station, StationMembership

    call_command("migrate", verbosity=0)
    ctx = seed_structure(random.Random(2026))
    year = timezone.localdate().year
    county = ctx["county_congress"]
    for congress in Congress.objects.filter(stations__isnull=False).distinct():
        for y in (year - 1, year):
            catalog_install_default(congress=congress, year=y, actor=None)
    stations = list(Station.objects.order_by("code"))
    t0 = time.perf_counter()
    with transaction.atomic():
        people = Deputy.objects.bulk_create(
            [
                Deputy(code=f"bench-{i:05d}", name=f"代表{i:05d}", industry="农业")
                for i in range(deputies)
            ],
            batch_size=2000,
        )
        if people and people[0].pk is None:  # backends without RETURNING on bulk insert
            people = list(Deputy.objects.filter(code__startswith="bench-").order_by("code"))
        Mandate.objects.bulk_create(
            [
                Mandate(deputy=d, level="county", congress=county, term=14, active=True)
                for d in people
            ],
            batch_size=2000,
        )
        StationMembership.objects.bulk_create(
            [
                StationMembership(station=stations[i % len(stations)], deputy=d, primary=True)
                for i, d in enumerate(people)
            ],
            batch_size=2000,
        )
    station_of = {d.pk: stations[i % len(stations)] for i, d in enumerate(people)}
    items = {
        (i.congress_id, i.year, i.code): i for i in DutyItem.objects.filter(code__in=list(WEIGHTS))
    }
    codes = list(WEIGHTS)
    weights = [WEIGHTS[c] for c in codes]
    rng = random.Random(7)
    # A skew: a deputy's activity level between 0.2 and ~5 times the average.
    activity = [rng.paretovariate(2.5) for _ in people]
    total_activity = sum(activity)
    written = 0
    batch: list[PointEntry] = []
    for n, deputy in enumerate(people):
        share = round(entries * activity[n] / total_activity)
        if n == len(people) - 1:
            share = max(0, entries - written - len(batch))
        station = station_of[deputy.pk]
        for k in range(share):
            y = year if rng.random() < 0.8 else year - 1
            code = rng.choices(codes, weights)[0]
            item = items[(station.congress_id, y, code)]
            roll = rng.random()
            status = (
                EntryStatus.APPROVED
                if roll < 0.92
                else EntryStatus.PENDING
                if roll < 0.97
                else EntryStatus.REJECTED
            )
            auto = bool(item.auto_event)
            batch.append(
                PointEntry(
                    deputy=deputy,
                    item=item,
                    year=y,
                    occurred_on=date(y, 1, 1) + timedelta(days=rng.randint(0, 320)),
                    points=item.points,
                    source=EntrySource.AUTO
                    if auto
                    else (EntrySource.REGISTERED if k % 3 else EntrySource.SELF_REPORTED),
                    status=EntryStatus.APPROVED if auto else status,
                    source_key=f"bench:{deputy.pk}:{k}" if auto else None,
                    station=station,
                    note="",
                )
            )
            if len(batch) >= 10_000:
                PointEntry.objects.bulk_create(batch, batch_size=2_000)
                written += len(batch)
                batch = []
    if batch:
        PointEntry.objects.bulk_create(batch, batch_size=2_000)
        written += len(batch)
    # Corrections: 0.5 % of the counted entries are reversed.
    counted = list(
        PointEntry.objects.filter(status=EntryStatus.APPROVED).values_list(
            "pk", "deputy_id", "item_id", "year", "occurred_on", "points", "station_id"
        )
    )
    reversals = [
        PointEntry(
            deputy_id=d,
            item_id=i,
            year=y,
            occurred_on=on,
            points=-p,
            source=EntrySource.REVERSAL,
            status=EntryStatus.APPROVED,
            station_id=s,
            reverses_id=pk,
            reason="bench",
        )
        for pk, d, i, y, on, p, s in rng.sample(counted, len(counted) // 200)
    ]
    PointEntry.objects.bulk_create(reversals, batch_size=2_000)
    seconds = time.perf_counter() - t0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")
    result(
        deputies=Deputy.objects.count(),
        county_deputies=Mandate.objects.filter(congress=county, active=True).count(),
        entries=PointEntry.objects.count(),
        this_year=PointEntry.objects.filter(year=year).count(),
        reversals=len(reversals),
        seconds=seconds,
        vendor=connection.vendor,
    )


def step_measure(repeat: int) -> None:
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.utils import timezone

    from lianluo.board.archive import archive_for
    from lianluo.board.views.archive import ENTRIES_SHOWN
    from lianluo.core.models import Congress, User
    from lianluo.duty.models import PointEntry
    from lianluo.duty.selectors import ranking

    year = timezone.localdate().year
    county = Congress.objects.get(area__code="430399000000")
    staff = User.objects.get(username="staff")
    busiest = (
        PointEntry.objects.filter(year=year)
        .values("deputy__code")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    assert busiest is not None, "no entries this year"
    code = busiest["deputy__code"]
    table = connection.ops.quote_name(PointEntry._meta.db_table)
    sql = (
        f"SELECT deputy_id, SUM(points) FROM {table} "  # noqa: S608 (identifiers from the model)
        "WHERE year = %s AND status = 'approved' GROUP BY deputy_id"
    )

    def floor() -> list:
        with connection.cursor() as cursor:
            cursor.execute(sql, [year])
            return cursor.fetchall()

    def rank() -> list:
        return ranking(year=year, congress=county)

    def archive() -> object:
        # A fresh user object per call: the scope is read as in a request; the latest entries,
        # as the page asks for them.
        return archive_for(
            viewer=User.objects.get(pk=staff.pk), deputy_code=code, year=year, limit=ENTRIES_SHOWN
        )

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(staff)

    def page() -> None:
        response = client.get(f"/points/deputies/{code}/?year={year}")
        assert response.status_code == 200, response.status_code

    # Warm up (connections, templates, the session), and check the ranking against the SQL.
    totals = {pk: float(s) for pk, s in floor()}
    rows = rank()
    for row in rows:
        assert abs(float(row.points) - totals.get(row.deputy.pk, 0.0)) < 1e-6, row
    assert all(a.rank <= b.rank for a, b in zip(rows, rows[1:], strict=False))
    queries: list[str] = []

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        page()
    a = archive()
    ms = medians_interleaved(
        {"sql": floor, "ranking": rank, "archive": archive, "page": page}, repeat
    )
    result(
        sql_ms=ms["sql"],
        ranking_ms=ms["ranking"],
        archive_ms=ms["archive"],
        page_ms=ms["page"],
        ranked=len(rows),
        zero=sum(1 for r in rows if not r.points),
        busiest=code,
        busiest_entries=PointEntry.objects.filter(deputy__code=code, year=year).count(),
        shown=len(a.entries),  # type: ignore[attr-defined]
        page_bytes=len(client.get(f"/points/deputies/{code}/?year={year}").content),
        page_queries=len(queries),
    )


# ---- driver ----------------------------------------------------------------------------------


def bench_db(label: str, env: dict[str, str], deputies: int, entries: int, repeat: int) -> dict:
    """Seed and measure one database (each step in a fresh process); the figures measured."""
    log(f"{label}: seeding {deputies:,} deputies, {entries:,} ledger entries")
    made = run_step(__file__, env, "setup", str(deputies), str(entries), timeout=7200)
    log(
        f"  seeded ({made['vendor']}) in {made['seconds']:.0f} s: {made['deputies']:,} deputies "
        f"({made['county_deputies']:,} of the county), {made['entries']:,} entries "
        f"({made['this_year']:,} this year, {made['reversals']:,} reversals)"
    )
    m = run_step(__file__, env, "measure", str(repeat), timeout=7200)
    log(f"  median of {repeat} runs:")
    log(f"    sql aggregate (one GROUP BY, the floor): {m['sql_ms']:.1f} ms")
    log(
        f"    ranking of the county ({m['ranked']:,} deputies, {m['zero']:,} with no points): "
        f"{m['ranking_ms']:.1f} ms"
    )
    log(
        f"    archive of the busiest deputy ({m['busiest']}, {m['busiest_entries']} entries "
        f"this year, the latest {m['shown']} shown): selector {m['archive_ms']:.1f} ms, "
        f"page {m['page_ms']:.1f} ms ({m['page_bytes'] / 1024:.0f} KB of HTML, "
        f"{m['page_queries']} queries)"
    )
    m["label"] = label
    return m


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="500 deputies, 50,000 entries (a few minutes)"
    )
    parser.add_argument("--deputies", type=int, help="deputies added to the county")
    parser.add_argument("--entries", type=int, help="ledger entries generated")
    parser.add_argument("--repeat", type=int, help="runs of each measurement (median)")
    add_database_arguments(parser)
    parser.add_argument(
        "--database-url", help="measure this database only (instead of SQLite and PostgreSQL)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--step", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.step:
        name, *rest = args.step
        if name == "setup":
            step_setup(int(rest[0]), int(rest[1]))
        elif name == "measure":
            step_measure(int(rest[0]))
        return 0

    deputies = args.deputies or (500 if args.quick else 5_000)
    entries = args.entries or (50_000 if args.quick else 500_000)
    repeat = args.repeat or (5 if args.quick else 9)
    tmp = Path(tempfile.mkdtemp(prefix="lianluo-points-bench-"))
    base = clean_env()
    base.update(
        {
            "LIANLUO_DEV": "1",
            "LIANLUO_OUTBOX_MODE": "sync",
            "DJANGO_SETTINGS_MODULE": "lianluo.settings",
            "SECURE_HTTPS": "0",
            "PYTHONUNBUFFERED": "1",
        }
    )

    def env_for(label: str, url: str = "") -> dict[str, str]:
        data = tmp / label
        data.mkdir()
        env = {**base, "LIANLUO_DATA_DIR": str(data)}
        if url:
            env["DATABASE_URL"] = url
        return env

    pg = Postgres(private=args.pg_private)
    results: list[dict] = []
    failed: list[str] = []
    try:
        log(
            f"points benchmark: {deputies:,} deputies, {entries:,} ledger entries, "
            f"median of {repeat}, data in {tmp}"
        )
        targets: list[tuple[str, dict[str, str]]] = []
        if args.database_url:
            targets.append(("database", env_for("database", args.database_url)))
        else:
            targets.append(("sqlite", env_for("sqlite")))
            if not args.sqlite_only:
                try:
                    url = pg.prepare()
                except PostgresUnavailable as exc:
                    loud(
                        f"PostgreSQL is NOT reachable: {exc}\n"
                        "This benchmark measures SQLite AND PostgreSQL. Install/start "
                        "PostgreSQL (pg_ctlcluster 15 main start), use --pg-private,\n"
                        "or run with --sqlite-only."
                    )
                    return 2
                targets.append(("postgresql", env_for("postgresql", url)))
        for label, env in targets:
            try:
                results.append(bench_db(label, env, deputies, entries, repeat))
            except (SystemExit, subprocess.SubprocessError) as exc:
                why = str(exc)
                if label == "postgresql" and not pg.alive():
                    why = f"PostgreSQL stopped during the run (by someone else?)\n{why}"
                loud(f"{label}: the benchmark failed: {why}")
                failed.append(label)
    finally:
        pg.cleanup()
        if args.keep:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    log(
        "ratio to sql: "
        + "; ".join(
            f"{m['label']} ranking {m['ranking_ms'] / m['sql_ms']:.1f}, "
            f"archive page {m['page_ms'] / m['sql_ms']:.1f}"
            for m in results
        )
        + "".join(f"; {label} failed" for label in failed)
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
