"""What the benchmarks share: a clean environment for the product, and the step protocol
(each measured step runs in its own process and prints one `RESULT {json}` line)."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Variables of the caller's shell that would change the product's configuration.
SCRUB = (
    "DATABASE_URL",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "LIANLUO_OUTBOX_MODE",
    "LIANLUO_DEV",
    "LIANLUO_DATA_DIR",
    "DEBUG",
    "DJANGO_SETTINGS_MODULE",
    "TEST_DATABASE_NAME",
    "AXES_ENABLED",
    "EMAIL_BACKEND",
    "LOG_LEVEL",
    "SITE_URL",
    "PORT",
    "PYTHONPATH",
)


def clean_env() -> dict[str, str]:
    """The caller's environment without anything that configures the product."""
    return {k: v for k, v in os.environ.items() if k not in SCRUB}


def log(msg: str = "") -> None:
    print(msg, flush=True)


def rss_kb(field: str) -> int:
    """A memory figure of this process from /proc (VmHWM = peak RSS), in kB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def result(**data) -> None:
    """Report a step's figures to the driver (with this process's peak RSS)."""
    data.setdefault("peak_kb", rss_kb("VmHWM"))
    print("RESULT " + json.dumps(data), flush=True)


def run_step(script: str, env: dict[str, str], *args: str, timeout: float = 3600) -> dict:
    """Run `script --step ARGS` in a fresh process and return what its `result()` printed."""
    proc = subprocess.run(
        [sys.executable, str(Path(script).resolve()), "--step", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULT ")]
    if proc.returncode != 0 or not lines:
        raise SystemExit(f"step {args[0]} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return json.loads(lines[-1][len("RESULT ") :])


def median_ms(fn: Callable[[], object], repeat: int, warmup: int = 0) -> float:
    """Median wall time of `fn` in ms over `repeat` calls, after `warmup` untimed ones."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def medians_interleaved(fns: dict[str, Callable[[], object]], repeat: int) -> dict[str, float]:
    """Median wall time in ms of each of `fns`, called in turn `repeat` times (a, b, c, a, b,
    c, …): a change of the machine's load during the run weighs on all of them alike."""
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            t0 = time.perf_counter()
            fn()
            times[name].append((time.perf_counter() - t0) * 1000)
    return {name: statistics.median(ts) for name, ts in times.items()}
