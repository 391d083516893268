"""Vote benchmark: N deputies casting their secret ballots at once over HTTP on a vote of 10
candidates, the product against a floor, then closing and counting.

On SQLite (WAL, the product's own settings, a file in a temporary LIANLUO_DATA_DIR), or on the
database of `--database-url` (e.g. postgres://…):

1. setup (its own processes, not timed): migrate, the demo county
   (lianluo.demo.seed.seed_structure), N more county deputies with an active mandate; two
   session votes of the county congress on 10 candidates (quota 5, at most 5 "for") through the
   voting services — one to warm the servers up, one to measure: the register filled, everyone
   marked present, a one-time ballot credential each (the slips), opened. The floor's register
   gets the same credentials (benchmarks/floor, `migrate --run-syncdb`).
2. cast, product: gunicorn (the intake benchmark's server: 4 sync workers, DEBUG off); a
   warm-up of a few dozen ballots on the warm-up vote, then `--clients` threads send every
   deputy's `POST /api/v1/votes/{id}/ballots` with its credential and random marks, all at
   once. Timed until the last answer: every ballot recorded.
3. cast, floor: the same requests, the same server command and database, against a bare Django
   view that does the same writes in one transaction — the register row spent by its
   credential (one conditional UPDATE), the ballot and a receipt INSERTed — and nothing else
   (no marks checked against the options, no lock of the vote, no shuffle).
4. close (its own process): `vote_close` (shuffle, count, publish, credit) and a recount of the
   published ballots (`voting.services.count`), timed; the receipts handed out are checked
   against the published list.

The last two lines are the ratio of the product's ballots/s to the floor's, and the ratio of
the ballots counted to the ballots cast (every ballot counted exactly once: 1.000):

    ratio product/floor (ballots/s): 0.45
    ratio ballots counted / ballots cast: 1.000

    .venv/bin/python benchmarks/vote.py --quick    # 200 more deputies (228 on the register)
    .venv/bin/python benchmarks/vote.py            # 1,000 more deputies (1,028)
    .venv/bin/python benchmarks/vote.py --database-url postgres://…   # another database

Exit status 0 when every ballot was answered 201 on both servers and counted once, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from common import log, result, run_step
from intake import Server, base_env, floor_migrate

BENCH = Path(__file__).resolve().parent

CANDIDATES = 10
QUOTA = 5


def step_setup(deputies: int, out: str) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from lianluo.core.models import User
    from lianluo.demo.seed import seed_structure
    from lianluo.deputies.models import Deputy, Mandate
    from lianluo.voting import services as vs

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    ctx = seed_structure(random.Random(2026))
    county = ctx["county_congress"]
    people = Deputy.objects.bulk_create(
        [Deputy(code=f"bench-{i:05d}", name=f"代表{i:05d}") for i in range(deputies)],
        batch_size=2000,
    )
    if people and people[0].pk is None:
        people = list(Deputy.objects.filter(code__startswith="bench-").order_by("code"))
    Mandate.objects.bulk_create(
        [Mandate(deputy=d, level="county", congress=county, term=14, active=True) for d in people],
        batch_size=2000,
    )
    staff = User.objects.get(username="staff")

    def session(title: str):
        vote = vs.vote_create(
            actor=staff,
            kind="session",
            method="approve",
            congress=county,
            year=2027,
            title=title,
            options=[
                vs.OptionSpec(label=f"候选项目{i}", amount=100 + i) for i in range(CANDIDATES)
            ],
            quota=QUOTA,
            max_for=QUOTA,
        )
        ids = [d for d in vote.voters.values_list("deputy_id", flat=True) if d is not None]
        vs.presence_mark(actor=staff, vote=vote, deputy_ids=ids)
        codes = vs.credentials_issue(actor=staff, vote=vote, deputy_ids=ids)
        vs.vote_open(actor=staff, vote=vote)
        options = [str(pk) for pk in vote.options.values_list("pk", flat=True)]
        return vote, list(codes.values()), options

    warm, warm_codes, warm_options = session("基准 预热")
    vote, codes, options = session("基准 民生实事项目票决")
    slips = {
        "codes": codes,
        "options": options,
        "warm": warm.pk,
        "warm_codes": warm_codes,
        "warm_options": warm_options,
    }
    Path(out).write_text(json.dumps(slips))
    result(vote=vote.pk, register=len(codes), seconds=time.perf_counter() - t0)


def step_floor_setup(slips_file: str) -> None:
    """The floor's register: the same credentials, for its votes 1 (measured) and 0 (warm-up)."""
    import django

    django.setup()
    from floor.models import Voter

    from lianluo.voting.codes import credential_hash

    slips = json.loads(Path(slips_file).read_text())
    Voter.objects.bulk_create(
        [Voter(vote=1, credential_hash=credential_hash(c)) for c in slips["codes"]]
        + [Voter(vote=0, credential_hash=credential_hash(c)) for c in slips["warm_codes"]],
        batch_size=2000,
    )
    from django.db import connection

    with connection.cursor() as cur:  # fresh statistics for the planner, after all the seeding
        cur.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    result(register=Voter.objects.filter(vote=1).count())


def step_floor_count() -> None:
    import django

    django.setup()
    from floor.models import Ballot, Receipt, Voter

    result(
        ballots=Ballot.objects.filter(vote=1).count(),
        receipts=Receipt.objects.filter(vote=1).count(),
        voted=Voter.objects.filter(vote=1, voted=True).count(),
    )


def step_close(vote_id: int, receipts_file: str) -> None:
    import django

    django.setup()
    from lianluo.core.models import User
    from lianluo.voting import selectors as sel
    from lianluo.voting import services as vs
    from lianluo.voting.models import Vote

    staff = User.objects.get(username="staff")
    vote = Vote.objects.get(pk=vote_id)
    t0 = time.perf_counter()
    vote = vs.vote_close(actor=staff, vote=vote)
    close_ms = (time.perf_counter() - t0) * 1000
    t0 = time.perf_counter()
    tally = vs.count(vote)
    recount_ms = (time.perf_counter() - t0) * 1000
    published = set(sel.receipts_of(vote))
    handed = json.loads(Path(receipts_file).read_text())
    result(
        close_ms=close_ms,
        recount_ms=recount_ms,
        counted=tally.ballots,
        invalid=tally.invalid,
        voted=vote.voted_count,
        receipts=len(published),
        receipts_found=sum(1 for r in handed if r in published),
        selected=sum(1 for r in tally.rows if r.selected),
    )


def ballots(codes: list[str], options: list[str], seed: int) -> list[bytes]:
    """One request body per credential: random marks, at most QUOTA "for"."""
    rng = random.Random(seed)
    bodies = []
    for code in codes:
        fors = set(rng.sample(options, rng.randint(0, QUOTA)))
        marks = {o: "for" if o in fors else rng.choice(("against", "abstain")) for o in options}
        bodies.append(json.dumps({"marks": marks, "credential": code}).encode())
    return bodies


@dataclass
class Cast:
    seconds: float
    answers: list[tuple[int, str]]
    latencies_ms: list[float]

    @property
    def receipts(self) -> list[str]:
        return [body for code, body in self.answers if code == 201]

    @property
    def errors(self) -> int:
        return len(self.answers) - len(self.receipts)

    @property
    def rate(self) -> float:
        return len(self.answers) / self.seconds if self.seconds else 0.0

    def pct_ms(self, q: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def cast_all(port: int, vote_id: int, bodies: list[bytes], clients: int) -> Cast:
    url = f"http://127.0.0.1:{port}/api/v1/votes/{vote_id}/ballots"

    def send(body: bytes) -> tuple[int, str, float]:
        req = urllib.request.Request(
            url, data=body, headers={"Content-Type": "application/json"}, method="POST"
        )
        t0 = time.perf_counter()
        try:
            with urllib.request.urlopen(req, timeout=120) as resp:  # noqa: S310 - our http URL
                answer = resp.status, json.loads(resp.read())["receipt"]
        except urllib.error.HTTPError as exc:
            answer = exc.code, exc.read().decode(errors="replace")[:200]
        except OSError as exc:
            answer = 0, str(exc)
        return (*answer, (time.perf_counter() - t0) * 1000)

    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        sent = list(pool.map(send, bodies))
    seconds = time.perf_counter() - t0
    return Cast(seconds, [(c, b) for c, b, _ in sent], [ms for _, _, ms in sent])


def serve_and_cast(
    server: Server, vote: int, bodies: list[bytes], warm: int, warm_bodies: list[bytes], clients
) -> Cast:
    """Start the server, warm it up on the warm-up vote (each worker imports the URLconf and
    the apps on its first request), cast every ballot, stop it."""
    server.start()
    try:
        warmed = cast_all(server.port, warm, warm_bodies, clients)
        if warmed.errors:
            code, body = next(a for a in warmed.answers if a[0] != 201)
            log(f"  warm-up: {warmed.errors} errors, first {code}: {body}")
        return cast_all(server.port, vote, bodies, clients)
    finally:
        server.stop()


def report_cast(name: str, cast: Cast, clients: int, workers: int) -> None:
    log(
        f"cast, {name}: {len(cast.answers):,} ballots over HTTP by {clients} clients, "
        f"{workers} workers: all answered in {cast.seconds:.1f} s ({cast.rate:.0f} ballots/s, "
        f"p50 {cast.pct_ms(0.5):.0f} ms, p99 {cast.pct_ms(0.99):.0f} ms), errors {cast.errors}"
    )
    for code, body in [a for a in cast.answers if a[0] != 201][:5]:
        log(f"  error {code}: {body}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="200 more deputies (a minute)")
    parser.add_argument("--deputies", type=int, help="deputies added to the county")
    parser.add_argument("--clients", type=int, default=32, help="concurrent HTTP clients")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--warm", type=int, default=64, help="warm-up ballots per server")
    parser.add_argument("--database-url", help="a database to use instead of a SQLite file")
    parser.add_argument("--src", type=Path, help="import lianluo from this tree (before/after)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--step", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.step:
        name, *rest = args.step
        if name == "setup":
            step_setup(int(rest[0]), rest[1])
        elif name == "floor_setup":
            step_floor_setup(rest[0])
        elif name == "floor_count":
            step_floor_count()
        elif name == "close":
            step_close(int(rest[0]), rest[1])
        return 0

    deputies = args.deputies or (200 if args.quick else 1_000)
    tmp = Path(tempfile.mkdtemp(prefix="lianluo-vote-bench-"))
    extra = {"LIANLUO_DATA_DIR": str(tmp), "DJANGO_SETTINGS_MODULE": "lianluo.settings"}
    if args.src:
        extra["PYTHONPATH"] = f"{args.src.resolve()}{os.pathsep}{BENCH}"
    env = base_env(extra)
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    floor_env = {**env, "DJANGO_SETTINGS_MODULE": "floor.settings"}
    product = Server("vote", "lianluo.wsgi:application", "lianluo.settings", env, args.workers, tmp)
    floor = Server("floor", "floor.wsgi:application", "floor.settings", env, args.workers, tmp)
    status = 0
    try:
        log(
            f"vote benchmark: {deputies:,} more county deputies, {CANDIDATES} candidates, "
            f"data in {tmp}"
        )
        log(f"database: {'DATABASE_URL' if args.database_url else 'SQLite (WAL) file'}")
        slips = tmp / "slips.json"
        made = run_step(__file__, env, "setup", str(deputies), str(slips), timeout=3600)
        floor_migrate(env)
        run_step(__file__, floor_env, "floor_setup", str(slips), timeout=600)
        data = json.loads(slips.read_text())
        log(
            f"register: {made['register']:,} deputies present, credentials issued "
            f"({made['seconds']:.0f} s); the floor's register: the same credentials"
        )
        bodies = ballots(data["codes"], data["options"], seed=7)
        n_warm = min(args.warm, len(data["warm_codes"]))
        warm = ballots(data["warm_codes"][:n_warm], data["warm_options"], seed=8)
        cast = serve_and_cast(product, made["vote"], bodies, data["warm"], warm, args.clients)
        report_cast("product", cast, args.clients, args.workers)
        floor_cast = serve_and_cast(floor, 1, bodies, 0, warm, args.clients)
        report_cast("floor  ", floor_cast, args.clients, args.workers)
        floor_rows = run_step(__file__, floor_env, "floor_count", timeout=600)

        receipts = cast.receipts
        handed = tmp / "receipts.json"
        handed.write_text(json.dumps(receipts))
        closed = run_step(__file__, env, "close", str(made["vote"]), str(handed), timeout=3600)
        log(
            f"close (shuffle, count, publish, credit): {closed['close_ms']:.0f} ms; "
            f"recount of the published ballots: {closed['recount_ms']:.0f} ms"
        )
        log(
            f"counted {closed['counted']:,} ballots ({closed['invalid']} invalid), register says "
            f"{closed['voted']:,} voted, {closed['receipts']:,} receipts published, "
            f"{closed['receipts_found']:,} of {len(receipts):,} handed out found; "
            f"{closed['selected']} candidates approved"
        )
        floor_ok = len(floor_cast.receipts)
        log(
            f"floor: {floor_rows['ballots']:,} ballots, {floor_rows['receipts']:,} receipts, "
            f"{floor_rows['voted']:,} voted for {floor_ok:,} answered 201"
        )
        if cast.errors or floor_cast.errors or closed["receipts_found"] != len(receipts):
            status = 1
        if {floor_rows["ballots"], floor_rows["receipts"], floor_rows["voted"]} != {floor_ok}:
            status = 1
        ratio = closed["counted"] / len(receipts) if receipts else 0.0
        if ratio != 1.0 or closed["voted"] != len(receipts):
            status = 1
        speed = cast.rate / floor_cast.rate if floor_cast.rate else 0.0
        log(f"ratio product/floor (ballots/s): {speed:.2f}")
        log(f"ratio ballots counted / ballots cast: {ratio:.3f}")
    finally:
        product.stop()
        floor.stop()
        if args.keep:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
