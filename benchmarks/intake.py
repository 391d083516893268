"""Intake benchmark: citizen submissions per second, the product against a floor.

For SQLite (WAL, the product's own settings, a file in a temporary LIANLUO_DATA_DIR) and
PostgreSQL (a temporary role and database on 127.0.0.1), one after the other:

1. migrate, build the demo county (lianluo.demo.seed.seed_structure), seed the ledger with
   N cases and ANALYZE (VACUUM ANALYZE on PostgreSQL);
2. time the staff ledger list — case_list(viewer, CaseFilters(status=…))[:25] — beside a plain
   hand-written SQL query for the same 25 rows;
3. serve the product with gunicorn (DEBUG off) and drive POST /api/v1/public/cases with
   wrk (or Python threads), warm-up first, then the measured window; read the peak RSS of
   the web workers; stop it;
4. serve the floor (benchmarks/floor: a bare Django view, a Form with the same fields, one
   INSERT) with the same gunicorn configuration and the same database; same load; stop it.

The last line printed is the ratio line: `ratio product/floor: sqlite 0.78, postgresql 0.81`.

    .venv/bin/python benchmarks/intake.py --quick          # a few minutes
    .venv/bin/python benchmarks/intake.py                  # full size
    .venv/bin/python benchmarks/intake.py --sqlite-only    # no PostgreSQL

See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from common import ROOT, clean_env, log

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from loadgen import LoadResult, wrk_available  # noqa: E402
from loadgen import run as load_run  # noqa: E402
from pg import (  # noqa: E402
    Postgres,
    PostgresUnavailable,
    add_database_arguments,
    free_port,
    loud,
    port_open,
)

TARGET = 0.7
# Variables of the caller's shell that would change the product's configuration.


@dataclass
class Size:
    duration: float
    warmup: float
    connections: int
    cases: int
    workers: int
    repeat: int
    rounds: int  # product, floor, product, floor, …: the best run of each counts
    max_rate: int = 5000  # cap of requests per second of the window (bounded count)


QUICK = Size(duration=10, warmup=3, connections=8, cases=10_000, workers=4, repeat=20, rounds=1)
FULL = Size(duration=30, warmup=5, connections=16, cases=100_000, workers=4, repeat=50, rounds=2)


class Interrupted(Exception):
    pass


def _on_signal(signum, frame):
    raise Interrupted(signal.Signals(signum).name)


# ---- helpers -----------------------------------------------------------------------------


def base_env(extra: dict[str, str]) -> dict[str, str]:
    env = clean_env()
    env.update(
        {
            "SECRET_KEY": "bench-" + secrets.token_hex(32),
            "SECURE_HTTPS": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "LIANLUO_INTAKE_RATE": "1000000/m",
            "LIANLUO_BALLOT_CODE_RATE": "1000000/m",
            "PYTHONPATH": str(BENCH),  # the floor app (benchmarks/floor)
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(extra)
    return env


def dbwork(env: dict[str, str], *args: str, timeout: float = 3600) -> dict:
    proc = subprocess.run(
        [sys.executable, str(BENCH / "dbwork.py"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"dbwork {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def floor_migrate(env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "-m", "django", "migrate", "--run-syncdb", "-v0"],
        env={**env, "DJANGO_SETTINGS_MODULE": "floor.settings"},
        cwd=ROOT,
        check=True,
        timeout=600,
    )


# ---- gunicorn ------------------------------------------------------------------------------


class Server:
    """One gunicorn master with N sync workers on 127.0.0.1; stopped by its PIDs."""

    def __init__(self, name: str, app: str, settings: str, env: dict, workers: int, logdir: Path):
        self.name = name
        self.app = app
        self.env = {**env, "DJANGO_SETTINGS_MODULE": settings}
        self.workers = workers
        self.log_path = logdir / f"gunicorn-{name}.log"
        self.port = 0
        self.proc: subprocess.Popen | None = None
        self._worker_pids: set[int] = set()

    def start(self, timeout: float = 90) -> None:
        self.port = free_port()
        logf = open(self.log_path, "ab")  # noqa: SIM115  (closed with the process)
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                self.app,
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--worker-class",
                "sync",
                "--timeout",
                "60",
                "--graceful-timeout",
                "10",
                "--log-level",
                "warning",
            ],
            env=self.env,
            cwd=ROOT,
            stdout=logf,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a Ctrl-C reaches us, and we stop it in order
        )
        logf.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name}: gunicorn exited\n{self.log_tail()}")
            if len(self.worker_pids()) >= self.workers and port_open(self.port):
                return
            time.sleep(0.2)
        raise RuntimeError(f"{self.name}: gunicorn not ready in {timeout:.0f} s\n{self.log_tail()}")

    def worker_pids(self) -> list[int]:
        if self.proc is None:
            return []
        pid = self.proc.pid
        pids: list[int] = []
        try:
            text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
            pids = [int(p) for p in text.split()]
        except OSError:
            for stat in Path("/proc").glob("[0-9]*/stat"):
                try:
                    fields = stat.read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                if int(fields[1]) == pid:
                    pids.append(int(stat.parent.name))
        self._worker_pids.update(pids)
        return pids

    def peak_rss_mb(self) -> dict[int, float]:
        """VmHWM (peak resident set) of each live worker, in MB."""
        out = {}
        for pid in self.worker_pids():
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        out[pid] = int(line.split()[1]) / 1024
            except OSError:
                pass
        return out

    def stop(self) -> None:
        if self.proc is None:
            return
        self.worker_pids()
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        for pid in self._worker_pids:  # only the workers this master started
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.proc = None

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


# ---- one database ----------------------------------------------------------------------------


@dataclass
class Measured:
    load: LoadResult
    rss_mb: float
    rows_written: int
    warm_ok: int


@dataclass
class DbResult:
    label: str
    setup: dict = field(default_factory=dict)
    ledger: dict = field(default_factory=dict)
    runs: dict[str, Measured] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float | None:
        p, f = self.runs.get("product"), self.runs.get("floor")
        if not p or not f or not f.load.rps:
            return None
        return p.load.rps / f.load.rps


def measure(
    name: str,
    app: str,
    settings: str,
    env: dict,
    size: Size,
    tool: str,
    stations: list[str],
    logdir: Path,
    count_key: str,
) -> tuple[Measured, list[str]]:
    problems = []
    before = dbwork(env, "count")[count_key]
    server = Server(name, app, settings, env, size.workers, logdir)
    nonce = secrets.token_hex(4)
    try:
        server.start()
        common = {"connections": size.connections, "threads": 2, "stations": stations}
        # Warm up until the workers answer: each one imports the URLconf and the apps on its
        # first request, which takes seconds on a busy machine.
        warm_ok, windows = 0, 0
        give_up = time.monotonic() + max(90.0, 10 * size.warmup)
        while True:
            warm = load_run(
                tool,
                server.port,
                duration=size.warmup,
                nonce=f"w{windows}{nonce}",
                max_requests=int(size.max_rate * size.warmup),
                **common,
            )
            warm_ok += warm.ok
            windows += 1
            if warm.ok >= 2 * size.connections or time.monotonic() > give_up:
                break
        if windows > 1:
            log(f"   (warm-up took {windows} windows of {size.warmup:.0f} s)")
        load = load_run(
            tool,
            server.port,
            duration=size.duration,
            nonce=f"m{nonce}",
            max_requests=int(size.max_rate * size.duration),
            **common,
        )
        rss = server.peak_rss_mb()
    finally:
        server.stop()
    after = dbwork(env, "count")[count_key]
    rows = after - before
    if load.failed:
        problems.append(
            f"{name}: {load.failed} of {load.requests} requests failed {load.errors} "
            f"(first: {load.sample_error!r})"
        )
    if load.ok == 0:
        problems.append(f"{name}: no submission succeeded\n{server.log_tail()}")
    if rows < warm_ok + load.ok:
        problems.append(f"{name}: {warm_ok + load.ok} acknowledged but only {rows} rows written")
    return Measured(load, max(rss.values(), default=0.0), rows, warm_ok), problems


def bench_db(label: str, env: dict, size: Size, tool: str, logdir: Path) -> DbResult:
    res = DbResult(label)
    log(f"\n== {label}: migrate, demo county, seed {size.cases:,} cases …")
    res.setup = dbwork(env, "setup", "--cases", str(size.cases))
    floor_migrate(env)
    log(
        f"   seeded {res.setup['cases']:,} cases in {res.setup['seed_s']} s "
        f"(setup {res.setup['total_s']} s); outbox mode: {res.setup['outbox_mode']}"
    )
    log(f"== {label}: ledger list …")
    res.ledger = dbwork(env, "ledger", "--repeat", str(size.repeat))
    servers = (
        ("product", "lianluo.wsgi:application", "lianluo.settings", "cases"),
        ("floor", "floor.wsgi:application", "floor.settings", "floor"),
    )
    rounds: dict[str, list[Measured]] = {"product": [], "floor": []}
    for n in range(1, size.rounds + 1):
        for key, app, settings, table in servers:
            log(
                f"== {label}: {key} (round {n}/{size.rounds}): warm-up {size.warmup:.0f} s, "
                f"measure {size.duration:.0f} s …"
            )
            m, problems = measure(
                key, app, settings, env, size, tool, res.setup["stations"], logdir, table
            )
            rounds[key].append(m)
            res.problems += problems
            log(
                f"   {m.load.rps:8.1f} submissions/s   p50 {m.load.p50_ms:6.1f} ms   "
                f"p99 {m.load.p99_ms:6.1f} ms   errors {m.load.failed}   "
                f"peak worker RSS {m.rss_mb:.1f} MB"
            )
    # Noise from other work on the machine only ever slows a run down: keep each one's best.
    for key, runs in rounds.items():
        res.runs[key] = max(runs, key=lambda m: m.load.rps)
    return res


def report(results: list[DbResult], size: Size, tool: str) -> None:
    log("\n" + "=" * 78)
    log(
        f"Intake: POST /api/v1/public/cases, gunicorn {size.workers} sync workers, DEBUG off; "
        f"{tool}, {size.connections} connections, {size.duration:.0f} s after "
        f"{size.warmup:.0f} s warm-up, best of {size.rounds} round(s)"
    )
    for r in results:
        log(
            f"\n{r.label} (outbox mode {r.setup.get('outbox_mode')}, "
            f"{r.ledger.get('total_cases', 0):,} cases in the ledger)"
        )
        log(
            f"  {'':8} {'submissions/s':>14} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} "
            f"{'rows':>7} {'peak worker RSS':>16}"
        )
        for key in ("product", "floor"):
            m = r.runs.get(key)
            if m is None:
                continue
            log(
                f"  {key:8} {m.load.rps:14.1f} {m.load.p50_ms:8.1f} {m.load.p99_ms:8.1f} "
                f"{m.load.failed:7d} {m.rows_written:7d} {m.rss_mb:13.1f} MB"
            )
        if r.ratio is not None:
            verdict = "meets" if r.ratio >= TARGET else "BELOW"
            log(f"  ratio product/floor {r.ratio:.2f} ({verdict} the target {TARGET})")
        for item in r.ledger.get("lists", []):
            ratio = item["product_ms"] / item["plain_ms"] if item["plain_ms"] else 0
            log(
                f"  ledger list, {item['viewer']} status={item['status']} "
                f"({item['visible']:,} visible, {item['rows']} rows): case_list "
                f"{item['product_ms']:.2f} ms, plain SQL {item['plain_ms']:.2f} ms "
                f"(case_list/plain {ratio:.1f}×)"
            )
        for p in r.problems:
            log(f"  PROBLEM: {p}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small size: a few minutes")
    add_database_arguments(parser)
    parser.add_argument("--duration", type=float, help="seconds measured per server")
    parser.add_argument("--warmup", type=float, help="seconds of warm-up per server")
    parser.add_argument("--connections", type=int, help="concurrent connections")
    parser.add_argument("--cases", type=int, help="cases seeded for the ledger list")
    parser.add_argument("--workers", type=int, help="gunicorn sync workers")
    parser.add_argument("--rounds", type=int, help="alternating rounds product/floor (best)")
    parser.add_argument(
        "--loadgen",
        choices=["auto", "wrk", "python"],
        default="auto",
        help="wrk if installed (auto), else Python threads",
    )
    parser.add_argument(
        "--outbox-mode",
        choices=["thread", "sync", "celery"],
        help="diagnostic: override LIANLUO_OUTBOX_MODE (default: the product's own default)",
    )
    parser.add_argument(
        "--src",
        type=Path,
        help="diagnostic: import lianluo from this directory (e.g. an export of another "
        "commit's src/) to compare a change before and after",
    )
    args = parser.parse_args()
    size = QUICK if args.quick else FULL
    for name in ("duration", "warmup", "connections", "cases", "workers", "rounds"):
        if getattr(args, name) is not None:
            setattr(size, name, getattr(args, name))
    tool = args.loadgen
    if tool == "auto":
        tool = "wrk" if wrk_available() else "python"
    if tool == "wrk" and not wrk_available():
        loud("wrk is not installed (apt-get install -y wrk)")
        return 2
    if tool == "python":
        log("note: wrk not found; using the Python load generator (costlier on the same cores)")

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    workdir = Path(tempfile.mkdtemp(prefix="lianluo-bench-"))
    pg = Postgres(private=args.pg_private)
    results: list[DbResult] = []
    try:
        pg_url = ""
        if not args.sqlite_only:
            try:
                pg_url = pg.prepare()
            except PostgresUnavailable as exc:
                loud(
                    f"PostgreSQL is NOT reachable: {exc}\n"
                    "This benchmark measures SQLite AND PostgreSQL. Install/start PostgreSQL "
                    "(pg_ctlcluster 15 main start)\nor run with --sqlite-only."
                )
                return 2
        sqlite_dir = workdir / "sqlite"
        (sqlite_dir / "static").mkdir(parents=True)  # STATIC_ROOT (whitenoise warns if absent)
        extra = {"LIANLUO_OUTBOX_MODE": args.outbox_mode} if args.outbox_mode else {}
        if args.src:
            extra["PYTHONPATH"] = f"{args.src.resolve()}{os.pathsep}{BENCH}"
        targets = [("sqlite", base_env({"LIANLUO_DATA_DIR": str(sqlite_dir), **extra}))]
        if pg_url:
            pg_dir = workdir / "pg"
            (pg_dir / "static").mkdir(parents=True)
            targets.append(
                (
                    "postgresql",
                    base_env({"DATABASE_URL": pg_url, "LIANLUO_DATA_DIR": str(pg_dir), **extra}),
                )
            )
        for label, env in targets:
            try:
                results.append(bench_db(label, env, size, tool, workdir))
            except (RuntimeError, subprocess.SubprocessError) as exc:
                if label == "postgresql" and not pg.alive():
                    exc = RuntimeError(
                        f"PostgreSQL stopped during the run (by someone else?)\n{exc}"
                    )
                loud(f"{label}: the benchmark failed: {exc}")
                results.append(DbResult(label, problems=[str(exc)]))
    except Interrupted as exc:
        loud(f"interrupted ({exc}): cleaning up")
        return 130
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        pg.cleanup()
        shutil.rmtree(workdir, ignore_errors=True)
    report(results, size, tool)
    failed = any(r.problems for r in results) or any(r.ratio is None for r in results)
    log(
        "ratio product/floor: "
        + ", ".join(
            f"{r.label} {r.ratio:.2f}" if r.ratio is not None else f"{r.label} n/a" for r in results
        )
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
