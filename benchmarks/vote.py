"""Vote benchmark: N deputies casting their secret ballots at once over HTTP on a vote of 10
candidates, then closing and counting.

On SQLite (WAL, the product's own settings, a file in a temporary LIANLUO_DATA_DIR), or on the
database of `--database-url`:

1. setup (its own process, not timed): migrate, the demo county
   (lianluo.demo.seed.seed_structure), N more county deputies with an active mandate; a session
   vote of the county congress on 10 candidates (quota 5, at most 5 "for") through the voting
   services: the register filled, everyone marked present, a one-time ballot credential each
   (the slips), opened.
2. cast: the product under gunicorn (the intake benchmark's server: 4 sync workers, DEBUG off);
   `--clients` threads send every deputy's `POST /api/v1/votes/{id}/ballots` with its credential
   and random marks, all at once. Timed until the last answer: every ballot recorded.
3. close (its own process): `vote_close` (shuffle, count, publish, credit) and a recount of the
   published ballots (`voting.services.count`), timed; the receipts handed out are checked
   against the published list.

The last line is the ratio of the ballots counted to the ballots cast (every ballot counted
exactly once: 1.000):

    ratio ballots counted / ballots cast: 1.000

    .venv/bin/python benchmarks/vote.py --quick    # 200 deputies
    .venv/bin/python benchmarks/vote.py            # 1,000 deputies
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from common import log, result, run_step

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
    vote = vs.vote_create(
        actor=staff,
        kind="session",
        method="approve",
        congress=county,
        year=2027,
        title="基准 民生实事项目票决",
        options=[vs.OptionSpec(label=f"候选项目{i}", amount=100 + i) for i in range(CANDIDATES)],
        quota=QUOTA,
        max_for=QUOTA,
    )
    ids = [d for d in vote.voters.values_list("deputy_id", flat=True) if d is not None]
    vs.presence_mark(actor=staff, vote=vote, deputy_ids=ids)
    codes = vs.credentials_issue(actor=staff, vote=vote, deputy_ids=ids)
    vs.vote_open(actor=staff, vote=vote)
    options = [str(pk) for pk in vote.options.values_list("pk", flat=True)]
    Path(out).write_text(json.dumps({"codes": list(codes.values()), "options": options}))
    result(vote=vote.pk, register=len(ids), seconds=time.perf_counter() - t0)


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


def cast_all(port: int, vote_id: int, codes: list[str], options: list[str], clients: int):
    url = f"http://127.0.0.1:{port}/api/v1/votes/{vote_id}/ballots"
    rng = random.Random(7)
    bodies = []
    for code in codes:
        fors = set(rng.sample(options, rng.randint(0, QUOTA)))
        marks = {o: "for" if o in fors else rng.choice(("against", "abstain")) for o in options}
        bodies.append(json.dumps({"marks": marks, "credential": code}).encode())

    def send(body: bytes) -> tuple[int, str]:
        req = urllib.request.Request(
            url, data=body, headers={"Content-Type": "application/json"}, method="POST"
        )
        try:
            with urllib.request.urlopen(req, timeout=120) as resp:  # noqa: S310 - our http URL
                return resp.status, json.loads(resp.read())["receipt"]
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode(errors="replace")[:200]
        except OSError as exc:
            return 0, str(exc)

    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        answers = list(pool.map(send, bodies))
    return time.perf_counter() - t0, answers


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="200 deputies (about a minute)")
    parser.add_argument("--deputies", type=int, help="deputies added to the county")
    parser.add_argument("--clients", type=int, default=32, help="concurrent HTTP clients")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--database-url", help="a database to use instead of a SQLite file")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--step", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.step:
        name, *rest = args.step
        if name == "setup":
            step_setup(int(rest[0]), rest[1])
        elif name == "close":
            step_close(int(rest[0]), rest[1])
        return 0

    from intake import Server, base_env

    deputies = args.deputies or (200 if args.quick else 1_000)
    tmp = Path(tempfile.mkdtemp(prefix="lianluo-vote-bench-"))
    env = base_env({"LIANLUO_DATA_DIR": str(tmp), "DJANGO_SETTINGS_MODULE": "lianluo.settings"})
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    server = Server("vote", "lianluo.wsgi:application", "lianluo.settings", env, args.workers, tmp)
    status = 0
    try:
        log(
            f"vote benchmark: {deputies:,} more county deputies, {CANDIDATES} candidates, "
            f"data in {tmp}"
        )
        log(f"database: {'DATABASE_URL' if args.database_url else 'SQLite (WAL) file'}")
        slips = tmp / "slips.json"
        made = run_step(__file__, env, "setup", str(deputies), str(slips), timeout=3600)
        data = json.loads(slips.read_text())
        log(
            f"register: {made['register']:,} deputies present, credentials issued "
            f"({made['seconds']:.0f} s)"
        )
        server.start()
        seconds, answers = cast_all(
            server.port, made["vote"], data["codes"], data["options"], args.clients
        )
        server.stop()
        receipts = [body for code, body in answers if code == 201]
        errors = len(answers) - len(receipts)
        log(
            f"cast: {len(answers):,} ballots over HTTP by {args.clients} clients, "
            f"{args.workers} workers: all answered in {seconds:.1f} s "
            f"({len(answers) / seconds:.0f} ballots/s), errors {errors}"
        )
        for code, body in [a for a in answers if a[0] != 201][:5]:
            log(f"  error {code}: {body}")
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
        if errors or closed["receipts_found"] != len(receipts):
            status = 1
        ratio = closed["counted"] / len(receipts) if receipts else 0.0
        log(f"ratio ballots counted / ballots cast: {ratio:.3f}")
    finally:
        server.stop()
        if args.keep:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
