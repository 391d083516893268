"""Roster import benchmark: importing a generated N-deputy Excel roster, against a bare read.

On SQLite (WAL, the product's own settings, a file in a temporary LIANLUO_DATA_DIR), or on
the database of `--database-url`, each step in a fresh Python process so that its peak memory
is its own:

1. setup: migrate, build the demo county (lianluo.demo.seed.seed_structure: 25 stations, 64
   deputies) and a deputy group per township; write a roster of N new deputies, every column
   filled, one or two mandates each, spread over the 25 stations; a fifth of the rows without a
   code (found by phone on re-import). Not timed.
2. bare read (the floor): openpyxl opens the file read-only and reads every cell of the sheet
   — the least any import has to do. Best of `repeat` runs.
3. import: what the staff's upload and confirmation do, through the services —
   `import_upload` + the check (the preview: the workbook read once, with calamine where it
   reads what openpyxl reads; every row validated, counts of creations and updates; the rows
   kept) and `import_confirm` + the write (the kept rows validated again against the database,
   the file not read again, then written in one transaction). Verified: N deputies more, with
   their memberships and mandates.
4. re-import of the same file: every row found again, nothing created, nothing changed.

Time and peak RSS (VmHWM, and its growth over the process's own start) are printed for each
step. The last line is the ratio of the import's time (preview + write) to the bare read's:

    ratio import/bare-read: 1.3

    .venv/bin/python benchmarks/import.py --quick     # 1,000 deputies, under a minute
    .venv/bin/python benchmarks/import.py             # 10,000 deputies, a few minutes

See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

from common import clean_env, log, result, rss_kb, run_step

HEADERS = [
    "代表编码", "姓名", "性别", "民族", "出生年份", "政治面貌", "行业", "职业", "专长", "职务代表",
    "手机号码", "所在联络站", "联系网格", "代表小组",
    "层级1", "人大1", "届次1", "选区1", "层级2", "人大2", "届次2", "选区2",
]  # fmt: skip
SURNAMES = "王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢"
GIVEN = "建国秀英桂兰志强海燕红梅国平丽华春生德明淑芬永红玉兰新华卫东晓燕立新金凤振华雪梅"
COUNTY = "430399000000"


def django_setup() -> None:
    import django

    django.setup()
    from django.conf import settings

    settings.LIANLUO_IMPORT_MODE = "sync"  # the steps run in this process, timed


def step_setup(path: Path, deputies: int) -> None:
    django_setup()
    from django.core.management import call_command
    from openpyxl import Workbook

    from lianluo.core.models import Congress
    from lianluo.demo.seed import seed_structure
    from lianluo.deputies.models import DeputyGroup
    from lianluo.stations.models import Station

    call_command("migrate", verbosity=0)
    ctx = seed_structure(random.Random(2026))
    groups = {}
    for t in ctx["townships"]:
        name = f"{t.name[:2]}代表小组"
        DeputyGroup.objects.get_or_create(congress=Congress.objects.get(area=t), name=name)
        groups[t.code] = name
    stations = list(Station.objects.select_related("area").exclude(code="qx-hub").order_by("code"))
    rng = random.Random(7)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("代表")
    ws.append(HEADERS)
    for i in range(deputies):
        s = stations[i % len(stations)]
        other = stations[(i * 7 + 3) % len(stations)]
        township = s.area.code
        row = [
            f"bench-{i:06d}" if i % 5 else None,
            SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 2) % len(GIVEN) : (i * 2) % len(GIVEN) + 2],
            "女" if i % 3 == 0 else "男",
            "汉族" if i % 9 else "土家族",
            str(1955 + i % 45),
            ("中共党员", "群众", "民盟盟员")[i % 3],
            ("农业", "制造业", "教育", "医疗卫生", "商贸")[i % 5],
            "合作社理事长",
            "农业技术、乡村振兴",
            "是" if i % 10 == 0 else "否",
            f"15{i:09d}",
            s.code if other.code == s.code else f"{s.code};{other.code}",
            f"{township[:9]}200",
            groups[township],
            "乡镇级",
            township,
            "19",
            f"{s.area.name}第{rng.randint(1, 30)}选区",
        ]
        if i % 4 == 0:
            row += ["县级", COUNTY, "14", f"{s.area.name}选区"]
        ws.append(row)
    wb.save(path)
    result(rows=deputies, bytes=path.stat().st_size)


def step_bare(path: Path, repeat: int) -> None:
    from openpyxl import load_workbook

    base = rss_kb("VmRSS")
    best, cells = float("inf"), 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        wb = load_workbook(path, read_only=True, data_only=True)
        cells = sum(len(row) for row in wb.worksheets[0].iter_rows(values_only=True))
        wb.close()
        best = min(best, time.perf_counter() - t0)
    result(seconds=best, cells=cells, base_kb=base)


def step_import(path: Path, expect_new: int) -> None:
    django_setup()
    from django.core.files import File

    from lianluo.core.models import User
    from lianluo.deputies.models import Deputy, Mandate
    from lianluo.onboarding.models import ImportJob
    from lianluo.onboarding.services import import_confirm, import_upload
    from lianluo.onboarding.sheets import fast
    from lianluo.stations.models import StationMembership

    with path.open("rb") as fh:
        reader = "calamine" if fast.fits(fh) else "openpyxl"
    staff = User.objects.get(username="staff")
    before = (Deputy.objects.count(), Mandate.objects.count(), StationMembership.objects.count())
    base = rss_kb("VmRSS")
    t0 = time.perf_counter()
    with path.open("rb") as fh:
        job = import_upload(kind="deputies", upload=File(fh, path.name), actor=staff)
    job = ImportJob.objects.get(pk=job.pk)  # checked after the upload's commit (inline)
    t1 = time.perf_counter()
    if job.status != "ready":
        raise SystemExit(f"the preview found errors: {job.errors[:5]}")
    import_confirm(job=job, actor=staff)
    job = ImportJob.objects.get(pk=job.pk)
    t2 = time.perf_counter()
    after = (Deputy.objects.count(), Mandate.objects.count(), StationMembership.objects.count())
    result(
        status=job.status,
        check_seconds=t1 - t0,
        write_seconds=t2 - t1,
        seconds=t2 - t0,
        summary={k: job.summary.get(k) for k in ("create", "update", "changed")},
        created=after[0] - before[0],
        mandates=after[1] - before[1],
        memberships=after[2] - before[2],
        expect_new=expect_new,
        reader=reader,
        base_kb=base,
    )


# ---- driver ----------------------------------------------------------------------------------


def mb(kb: int) -> str:
    return f"{kb / 1024:.0f} MB"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="1,000 deputies instead of 10,000")
    parser.add_argument("--deputies", type=int, help="size of the generated roster")
    parser.add_argument("--repeat", type=int, default=3, help="bare reads (best of)")
    parser.add_argument("--database-url", help="a database to use instead of a SQLite file")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--step", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.step:
        name, *rest = args.step
        path = Path(rest[0])
        if name == "setup":
            step_setup(path, int(rest[1]))
        elif name == "bare":
            step_bare(path, int(rest[1]))
        elif name == "import":
            step_import(path, int(rest[1]))
        return 0

    deputies = args.deputies or (1_000 if args.quick else 10_000)
    tmp = Path(tempfile.mkdtemp(prefix="lianluo-import-bench-"))
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
    roster = tmp / "roster.xlsx"
    ok = True
    try:
        log(f"roster import benchmark: {deputies:,} deputies, data in {tmp}")
        log(f"database: {'DATABASE_URL' if args.database_url else 'SQLite (WAL) file'}")
        made = run_step(__file__, env, "setup", str(roster), str(deputies))
        log(f"generated {made['rows']:,} rows, {made['bytes'] / 1024:.0f} KB")

        bare = run_step(__file__, env, "bare", str(roster), str(args.repeat))
        log(
            f"bare read (openpyxl, read-only, every cell): {bare['seconds']:.2f} s "
            f"({bare['cells']:,} cells), peak RSS {mb(bare['peak_kb'])} "
            f"(+{mb(bare['peak_kb'] - bare['base_kb'])})"
        )

        first = run_step(__file__, env, "import", str(roster), str(deputies))
        log(
            f"import (preview + write): {first['seconds']:.2f} s = check "
            f"{first['check_seconds']:.2f} s + confirm {first['write_seconds']:.2f} s "
            f"(checks the kept rows again, then writes); read with {first['reader']}; "
            f"peak RSS {mb(first['peak_kb'])} "
            f"(+{mb(first['peak_kb'] - first['base_kb'])})"
        )
        log(
            f"  {first['summary']} → {first['created']:,} deputies, "
            f"{first['memberships']:,} memberships, {first['mandates']:,} mandates written"
        )
        if first["status"] != "done" or first["created"] != deputies:
            log(f"!! the import did not write {deputies} deputies: {first}")
            ok = False

        again = run_step(__file__, env, "import", str(roster), "0")
        log(
            f"re-import of the same file: {again['seconds']:.2f} s, {again['summary']}, "
            f"{again['created']} deputies created, peak RSS {mb(again['peak_kb'])}"
        )
        if again["created"] or again["summary"] != {
            "create": 0,
            "update": deputies,
            "changed": 0,
        }:
            log(f"!! the re-import was not all updates without changes: {again}")
            ok = False

        per_row = first["seconds"] / deputies * 1000
        log(f"per row: {per_row:.2f} ms imported, {bare['seconds'] / deputies * 1000:.3f} ms read")
        log(f"ratio import/bare-read: {first['seconds'] / bare['seconds']:.1f}")
    finally:
        if args.keep:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
