"""Memory and time of an Excel export of N rows (default 100,000) through `lianluo.core.xlsx`
(openpyxl write-only, a temporary file, FileResponse in chunks), beside openpyxl's ordinary
in-memory workbook writing the same rows, and beside a process that only loads Django.

    .venv/bin/python benchmarks/xlsx_export.py            # 100,000 rows
    .venv/bin/python benchmarks/xlsx_export.py --rows 20000

Each measurement runs in its own process (benchmarks/common.py) and reports its peak RSS
(VmHWM); the rows are generated on the fly like a queryset iterator gives them: a ledger
number, a title, a category, a status, a station, a deadline (date), a submitted-at (aware
datetime) and a number, every tenth row marked overdue. The last line is the streaming
export's peak RSS above the Django-only process, in MB.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from common import clean_env, log, result, run_step  # noqa: E402

SH = ZoneInfo("Asia/Shanghai")


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianluo.settings")
    import django

    django.setup()


def _rows(n: int, marked: type | None = None) -> Iterator[list]:
    start = datetime(2026, 1, 1, 9, 0, tzinfo=SH)
    for i in range(n):
        at = start + timedelta(minutes=7 * i)
        values = [
            f"430399100-2026-{i:06d}",
            f"村口路灯坏了，晚上看不见路（第{i}件）",
            "市政设施",
            "已受理",
            "城关镇社区代表联络站",
            date(2026, 1, 1) + timedelta(days=i % 365),
            at,
            i % 97,
        ]
        yield marked(values) if marked is not None and i % 10 == 0 else values


def step_baseline() -> None:
    _django()
    from lianluo.core import xlsx  # noqa: F401  (the same imports as the export)

    result(seconds=0.0)


def step_stream(n: int) -> None:
    _django()
    from lianluo.core.xlsx import DATE, DATETIME, Column, Marked, xlsx_response, xlsx_write

    columns = [Column(f"c{i}") for i in range(5)] + [
        Column("deadline", 12, DATE),
        Column("at", 17, DATETIME),
        Column("n", 8),
    ]
    t0 = time.perf_counter()
    file, count = xlsx_write(columns=columns, rows=_rows(n, Marked), sheet="bench", title="t")
    response = xlsx_response(file, filename="bench.xlsx")
    size = chunks = 0
    for chunk in response.streaming_content:  # what the server sends, chunk by chunk
        size += len(chunk)
        chunks += 1
    response.close()
    result(seconds=round(time.perf_counter() - t0, 2), rows=count, bytes=size, chunks=chunks)


def step_plain(n: int) -> None:
    _django()
    from openpyxl import Workbook

    t0 = time.perf_counter()
    wb = Workbook()
    ws = wb.active
    ws.append(["t"])
    ws.append([f"c{i}" for i in range(8)])
    for row in _rows(n):
        row[6] = row[6].replace(tzinfo=None)
        ws.append(row)
    with tempfile.TemporaryFile() as fh:
        wb.save(fh)
        size = fh.tell()
    result(seconds=round(time.perf_counter() - t0, 2), rows=n, bytes=size)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--step", nargs="+")
    args = parser.parse_args()
    if args.step:
        name, *rest = args.step
        {"baseline": step_baseline, "stream": step_stream, "plain": step_plain}[name](
            *map(int, rest)
        )
        return
    with tempfile.TemporaryDirectory() as data:
        env = {**clean_env(), "LIANLUO_DATA_DIR": data, "LIANLUO_DEV": "1"}
        base = run_step(__file__, env, "baseline")
        stream = run_step(__file__, env, "stream", str(args.rows))
        plain = run_step(__file__, env, "plain", str(args.rows))
    mb = 1024
    log(f"rows: {args.rows:,}")
    log(f"django only:               peak {base['peak_kb'] / mb:7.1f} MB")
    log(
        f"core.xlsx (streaming):     peak {stream['peak_kb'] / mb:7.1f} MB, "
        f"{stream['seconds']} s, {stream['bytes'] / mb / mb:.1f} MB file, "
        f"{stream['chunks']} chunks"
    )
    log(f"openpyxl in-memory (ref.): peak {plain['peak_kb'] / mb:7.1f} MB, {plain['seconds']} s")
    log(f"streaming export above django: {(stream['peak_kb'] - base['peak_kb']) / mb:.1f} MB")


if __name__ == "__main__":
    main()
