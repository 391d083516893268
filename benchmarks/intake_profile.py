"""The intake's cost in one process, without HTTP: the same POST /api/v1/public/cases through the
product's WSGI handler and through the floor's (benchmarks/floor), one after the other, on one
SQLite database seeded like intake.py's. No server, no load generator, no other worker: what is
left is each one's own CPU per submission, and their ratio (over HTTP, intake.py adds the same
fixed costs to both). With py-spy installed (`pip install py-spy`, not a dependency of the
product), `--flame FILE.svg` records the product's flame graph.

    .venv/bin/python benchmarks/intake_profile.py --quick
    .venv/bin/python benchmarks/intake_profile.py --flame docs/perf/intake-flame.svg
    .venv/bin/python benchmarks/intake_profile.py --quick --src /tmp/before/src   # another tree

The last line is the ratio of the product's submissions per second to the floor's.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from common import ROOT, clean_env, log

BENCH = Path(__file__).resolve().parent


def serve(which: str, count: int) -> None:
    """In the child: `count` submissions (after 50 unmeasured) through one WSGI handler."""
    sys.path.insert(0, str(BENCH))
    os.environ["DJANGO_SETTINGS_MODULE"] = (
        "floor.settings" if which == "floor" else "lianluo.settings"
    )
    if which == "floor":
        from floor.wsgi import application
    else:
        from lianluo.wsgi import application
    stations = json.loads(os.environ["BENCH_STATIONS"])

    def call(i: int) -> None:
        body = json.dumps(
            {
                "station": stations[i % len(stations)],
                "title": "路灯不亮",
                "text": "南门口路灯坏了很久了，晚上看不清路，请尽快修理。",
                "phone": "13800000000",
                "idempotency_key": uuid.uuid4().hex,
            }
        ).encode()
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": "/api/v1/public/cases",
            "SCRIPT_NAME": "",
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": "127.0.0.1:8000",
            "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": io.BytesIO(body),
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        status = {}

        def start_response(line: str, headers: list, exc_info: object = None) -> None:
            status["line"] = line

        b"".join(application(environ, start_response))
        if not status["line"].startswith("201"):
            raise SystemExit(f"{which}: {status['line']}")

    for i in range(50):
        call(i)
    t0 = time.perf_counter()
    for i in range(count):
        call(i)
    elapsed = time.perf_counter() - t0
    print(json.dumps({"per_s": count / elapsed, "ms": elapsed / count * 1000}))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1,000 submissions each")
    parser.add_argument("--count", type=int, default=0)
    parser.add_argument("--flame", metavar="SVG", help="record the product with py-spy")
    parser.add_argument(
        "--src", type=Path, help="import lianluo from this src directory (before/after)"
    )
    parser.add_argument("--serve", choices=["product", "floor"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    count = args.count or (1000 if args.quick else 3000)
    if args.serve:
        serve(args.serve, count)
        return 0
    data = Path(tempfile.mkdtemp(prefix="lianluo-intake-profile-"))
    env = clean_env()
    env.update(
        {
            "LIANLUO_DATA_DIR": str(data),
            "SECRET_KEY": "bench-" + secrets.token_hex(32),
            "SECURE_HTTPS": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "LIANLUO_INTAKE_RATE": "1000000/m",
            "PYTHONPATH": str(BENCH),
        }
    )
    if args.src:
        env["PYTHONPATH"] = f"{args.src.resolve()}{os.pathsep}{BENCH}"
    try:
        log("setup: migrate, demo county, 2,000 cases …")
        setup = subprocess.run(
            [sys.executable, str(BENCH / "dbwork.py"), "setup", "--cases", "2000"],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        env["BENCH_STATIONS"] = json.dumps(json.loads(setup.stdout.splitlines()[-1])["stations"])
        subprocess.run(
            [sys.executable, "-m", "django", "migrate", "--run-syncdb", "-v0"],
            env={**env, "DJANGO_SETTINGS_MODULE": "floor.settings"},
            cwd=ROOT,
            check=True,
        )
        results = {}
        for which in ("floor", "product", "floor", "product"):  # best of two each
            out = subprocess.run(
                [sys.executable, __file__, "--serve", which, "--count", str(count)],
                env=env,
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            )
            got = json.loads(out.stdout.splitlines()[-1])
            log(f"   {which:8s} {got['per_s']:8.0f} submissions/s   {got['ms']:.3f} ms each")
            if got["per_s"] > results.get(which, {}).get("per_s", 0):
                results[which] = got
        if args.flame:
            spy = shutil.which("py-spy")
            if spy is None:
                log("py-spy is not installed: no flame graph")
            else:
                subprocess.run(
                    [
                        spy,
                        "record",
                        "-r",
                        "400",
                        "-f",
                        "flamegraph",
                        "-o",
                        args.flame,
                        "--",
                        sys.executable,
                        __file__,
                        "--serve",
                        "product",
                        "--count",
                        str(count),
                    ],
                    env=env,
                    cwd=ROOT,
                    check=True,
                )
                log(f"flame graph: {args.flame}")
    finally:
        shutil.rmtree(data, ignore_errors=True)
    ratio = results["product"]["per_s"] / results["floor"]["per_s"]
    print(f"ratio product/floor (in process): {ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
