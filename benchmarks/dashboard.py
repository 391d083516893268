"""Dashboard benchmark: a county's and a township's dashboard on five years of cases, beside one
hand-written SQL aggregate over the same data.

On SQLite (WAL, the product's own settings, a file in a temporary LIANLUO_DATA_DIR), or on the
database of `--database-url`, each step in a fresh Python process:

1. setup: migrate, the demo county (lianluo.demo.seed.seed_structure: 4 townships, 25 stations)
   grown to 20 townships of six stations each (121 stations), then N cases over the last five
   years (see benchmarks/dashboard_data.py: channels, statuses, deadlines, ratings, escalations
   and conversions in realistic shares, with their CaseEvents), reception days with their
   records and activities with check-ins. Written with COPY (PostgreSQL) or executemany
   (SQLite) in large transactions; ANALYZE. Timed apart, not part of the ratio.
2. measure, median of `repeat` runs each, for the last whole year:
   - sql: the floor — ONE hand-written statement giving the county's main case figures of the
     year (received, accepted, closed, closed on time, rated, satisfied, and the cases answered
     on the spot, assigned, escalated, converted from their events); checked equal to
     figures_of's;
   - county dashboard: `figures_of(county, year)` + `figures_of(county, previous year)` +
     `figures_of_targets(children_of(county), year)` (the sub-areas in one batch, the stations
     in another), as the dashboard page does;
   - township dashboard: the same for the busiest township.
   With `--compare-indexes`, the measurements run first without the indexes of migration
   cases 0005 (dropped), then with them (created again).
3. explain (`--explain`): the plans of figures_of's queries for the county and a township.

The last line is the ratio of the county dashboard's time to the one SQL aggregate's:

    ratio (county dashboard / one SQL aggregate): 4.2

    .venv/bin/python benchmarks/dashboard.py --quick    # 50,000 cases: a few minutes
    .venv/bin/python benchmarks/dashboard.py            # 1,000,000 cases
    .venv/bin/python benchmarks/dashboard.py --database-url postgres://…   # PostgreSQL

See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from common import clean_env, log, median_ms, result, run_step

# The indexes migration cases 0005 adds (compared with and without by --compare-indexes).
NEW_INDEXES = ("caseevent_period",)


def _setup_django() -> None:
    import django

    django.setup()


def step_setup(cases: int) -> None:
    _setup_django()
    from dashboard_data import seed
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    # The demo logins' passwords: a fast hash (setup only; nothing here logs in).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    t_migrate = time.perf_counter() - t0
    made = seed(cases)
    t1 = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    made["analyze_s"] = time.perf_counter() - t1
    made["migrate_s"] = t_migrate
    made["vendor"] = connection.vendor
    result(**made)


def _the_year() -> int:
    from django.utils import timezone

    return timezone.localdate().year - 1


BASELINE_SQL = """
SELECT c.*, e.*
FROM (
  SELECT
    SUM(CASE WHEN created_at >= %(since)s AND created_at < %(until)s THEN 1 ELSE 0 END),
    SUM(CASE WHEN accepted_at >= %(since)s AND accepted_at < %(until)s THEN 1 ELSE 0 END),
    SUM(CASE WHEN {closed} THEN 1 ELSE 0 END),
    SUM(CASE WHEN {closed} AND (deadline IS NULL OR answered_at <= deadline
        OR (merged_into_id IS NOT NULL AND closed_at <= deadline)) THEN 1 ELSE 0 END),
    SUM(CASE WHEN {closed} AND rating <> '' THEN 1 ELSE 0 END),
    SUM(CASE WHEN {closed} AND rating IN ('satisfied', 'basically_satisfied')
        THEN 1 ELSE 0 END)
  FROM {case}
  WHERE scope_path LIKE %(prefix)s AND channel <> 'escalation'
) c, (
  SELECT
    COUNT(DISTINCT CASE WHEN ev.action = 'answer_on_spot' THEN ev.case_id END),
    COUNT(DISTINCT CASE WHEN ev.action = 'assign' THEN ev.case_id END),
    COUNT(DISTINCT CASE WHEN ev.action = 'escalate' THEN ev.case_id END),
    COUNT(DISTINCT CASE WHEN ev.action = 'convert' THEN ev.case_id END)
  FROM {event} ev JOIN {case} k ON k.id = ev.case_id
  WHERE ev.at >= %(since)s AND ev.at < %(until)s
    AND ev.action IN ('answer_on_spot', 'assign', 'escalate', 'convert')
    AND k.scope_path LIKE %(prefix)s AND k.channel <> 'escalation'
) e
"""
BASELINE_FIELDS = (
    "received",
    "accepted",
    "closed",
    "closed_on_time",
    "rated",
    "satisfied_all",
    "answered_on_spot",
    "assigned",
    "escalated",
    "converted",
)


def _baseline():
    """The floor: one statement, the county's main case figures of the year."""
    from django.db import connection

    from lianluo.cases.models import Case, CaseEvent

    q = connection.ops.quote_name
    sql = BASELINE_SQL.format(
        case=q(Case._meta.db_table),
        event=q(CaseEvent._meta.db_table),
        closed="status = 'closed' AND closed_at >= %(since)s AND closed_at < %(until)s",
    )

    def run(area, period) -> dict[str, int]:
        adapt = connection.ops.adapt_datetimefield_value
        params = {
            "since": adapt(period.since),
            "until": adapt(period.until),
            "prefix": area.path + "%",
        }
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        return dict(zip(BASELINE_FIELDS, (int(v or 0) for v in row), strict=True))

    return run


def step_measure(repeat: int, compare: bool) -> None:
    _setup_django()
    from django.db import connection

    from lianluo.cases.models import Case
    from lianluo.core.models import Area
    from lianluo.insights.figures import Period, Target, figures_of, figures_of_targets
    from lianluo.insights.selectors import children_of

    year = _the_year()
    period, previous = Period.year(year), Period.year(year - 1)
    county = Area.objects.get(code="430399000000")
    townships = list(Area.objects.filter(parent=county).order_by("code"))
    busiest = max(
        townships,
        key=lambda t: Case.objects.filter(scope_path__startswith=t.path).count(),
    )
    baseline = _baseline()

    def dashboard(area) -> list:
        # As a request would: the target and its children read afresh each time.
        target = Target(area=Area.objects.get(pk=area.pk))
        out = [figures_of(target=target, period=period), figures_of(target=target, period=previous)]
        out += figures_of_targets(targets=children_of(target), period=period)
        return out

    # Check the floor against the product: the same numbers.
    figs = figures_of(target=Target(area=county), period=period)
    floor = baseline(county, period)
    product = {
        name: (figs.satisfied + figs.basically_satisfied)
        if name == "satisfied_all"
        else getattr(figs, name)
        for name in BASELINE_FIELDS
    }
    assert floor == product, (floor, product)

    # One untimed run first when there are several (the check above warmed the county's).
    warm = 1 if repeat > 1 else 0

    def measure() -> dict:
        return {
            "sql_ms": median_ms(lambda: baseline(county, period), repeat, warmup=warm),
            "county_ms": median_ms(lambda: dashboard(county), repeat, warmup=warm),
            "township_ms": median_ms(lambda: dashboard(busiest), repeat, warmup=warm),
            "figures_county_ms": median_ms(
                lambda: figures_of(target=Target(area=county), period=period), repeat
            ),
        }

    runs = {}
    if compare:
        from django.db import models

        indexes = [i for i in _model_indexes() if i[1].name in NEW_INDEXES]
        with connection.schema_editor() as editor:
            for model, index in indexes:
                editor.remove_index(model, index)
        _analyze()
        runs["before"] = measure()
        with connection.schema_editor() as editor:
            for model, index in indexes:
                editor.add_index(model, index)
        _analyze()
        assert all(isinstance(i, models.Index) for _m, i in indexes)
    runs["after"] = measure()
    n_county = 2 + len(children_of(Target(area=county)))
    n_township = 2 + len(children_of(Target(area=busiest)))
    result(
        year=year,
        cases=Case.objects.count(),
        county_calls=n_county,
        township=busiest.name,
        township_cases=Case.objects.filter(scope_path__startswith=busiest.path).count(),
        township_calls=n_township,
        figures=floor,
        runs=runs,
    )


def _model_indexes():
    from lianluo.cases.models import Case, CaseEvent

    return [(m, i) for m in (Case, CaseEvent) for i in m._meta.indexes]


def _analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def step_explain() -> None:
    """The plans of figures_of's queries (and the floor's) for the county and a township."""
    _setup_django()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from lianluo.core.models import Area
    from lianluo.insights.figures import Period, Target, figures_of

    period = Period.year(_the_year())
    county = Area.objects.get(code="430399000000")
    township = Area.objects.filter(parent=county).order_by("code").first()
    plans = []
    for area in (county, township):
        with CaptureQueriesContext(connection) as ctx:
            figures_of(target=Target(area=area), period=period)
        for query in ctx.captured_queries:
            sql = query["sql"]
            prefix = (
                "EXPLAIN (ANALYZE, BUFFERS) "
                if connection.vendor == "postgresql"
                else "EXPLAIN QUERY PLAN "
            )
            t0 = time.perf_counter()
            with connection.cursor() as cursor:
                # The captured SQL has its parameters inlined (as Django logs it), no params.
                cursor.execute(prefix + sql)
                rows = cursor.fetchall()
            plans.append(
                {
                    "area": area.name,
                    "ms": round((time.perf_counter() - t0) * 1000, 1),
                    "sql": sql[:400],
                    "plan": "\n".join(" ".join(str(c) for c in r) for r in rows),
                }
            )
    result(plans=plans)


# ---- driver ----------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="50,000 cases (a few minutes)")
    parser.add_argument("--cases", type=int, help="cases generated over five years")
    parser.add_argument("--repeat", type=int, help="runs of each measurement (median)")
    parser.add_argument("--database-url", help="a database to use instead of a SQLite file")
    parser.add_argument(
        "--compare-indexes",
        action="store_true",
        help="measure without the indexes of cases 0005, then with them",
    )
    parser.add_argument("--explain", action="store_true", help="print figures_of's query plans")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--step", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.step:
        name, *rest = args.step
        if name == "setup":
            step_setup(int(rest[0]))
        elif name == "measure":
            step_measure(int(rest[0]), rest[1] == "1")
        elif name == "explain":
            step_explain()
        return 0

    cases = args.cases or (50_000 if args.quick else 1_000_000)
    repeat = args.repeat or (5 if args.quick else 3)
    tmp = Path(tempfile.mkdtemp(prefix="lianluo-dashboard-bench-"))
    env = clean_env()
    env.update(
        {
            "LIANLUO_DEV": "1",
            "LIANLUO_DATA_DIR": str(tmp),
            "LIANLUO_OUTBOX_MODE": "sync",
            "DJANGO_SETTINGS_MODULE": "lianluo.settings",
            "SECURE_HTTPS": "0",
            "PYTHONUNBUFFERED": "1",
        }
    )
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    try:
        log(f"dashboard benchmark: {cases:,} cases over five years, data in {tmp}")
        log(f"database: {'DATABASE_URL' if args.database_url else 'SQLite (WAL) file'}")
        made = run_step(__file__, env, "setup", str(cases), timeout=7200)
        log(
            f"seeded ({made['vendor']}) in {made['seconds']:.0f} s (+ migrate "
            f"{made['migrate_s']:.0f} s, analyze {made['analyze_s']:.0f} s), peak RSS "
            f"{made['peak_kb'] / 1024:.0f} MB: {made['cases']:,} cases "
            f"(+ {made['copies']:,} escalated copies), {made['events']:,} events, "
            f"{made['stations']} stations in {made['townships']} townships, "
            f"{made['reception_days']:,} reception days, {made['activities']:,} activities"
        )
        if args.explain:
            plans = run_step(__file__, env, "explain", timeout=7200)
            for p in plans["plans"]:
                log(f"--- {p['area']} ({p['ms']} ms): {p['sql'][:160]}…")
                log(p["plan"])
        m = run_step(__file__, env, "measure", str(repeat), str(int(args.compare_indexes)))
        log(
            f"year {m['year']}: county {m['cases']:,} cases in all, figures of the year "
            f"{m['figures']}"
        )
        log(
            f"county dashboard: {m['county_calls']} targets; township dashboard "
            f"({m['township']}, {m['township_cases']:,} cases): {m['township_calls']} targets; "
            f"measure peak RSS {m['peak_kb'] / 1024:.0f} MB"
        )
        for label, r in m["runs"].items():
            if len(m["runs"]) > 1:
                log(f"{label} the indexes of cases 0005 (median of {repeat}):")
            else:
                log(f"median of {repeat} runs:")
            log(f"  one SQL aggregate (the floor):     {r['sql_ms']:9.1f} ms")
            log(f"  figures_of(county, year) alone:    {r['figures_county_ms']:9.1f} ms")
            log(f"  county dashboard:                  {r['county_ms']:9.1f} ms")
            log(f"  township dashboard:                {r['township_ms']:9.1f} ms")
            log(f"  ratio township dashboard / floor:  {r['township_ms'] / r['sql_ms']:9.1f}")
        r = m["runs"]["after"]
        log(f"ratio (county dashboard / one SQL aggregate): {r['county_ms'] / r['sql_ms']:.1f}")
    finally:
        if args.keep:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
