"""PostgreSQL for the benchmarks: a throwaway role and database on the local Debian cluster
(started if it was down, stopped again at the end unless others connected meanwhile), or with
`private=True` a throwaway cluster of its own (initdb in a temporary directory, a free port on
127.0.0.1), removed at the end. Commands run as the `postgres` system user (sudo -n, runuser or
su).

    pg = Postgres(private=args.pg_private)
    try:
        url = pg.prepare()  # postgres://role:password@127.0.0.1:port/db  (PostgresUnavailable)
        ...
    finally:
        pg.cleanup()

The same code as benchmarks/intake.py's (which keeps its own copy for now).
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import log


def loud(msg: str) -> None:
    bar = "!" * 78
    text = "\n".join(f"!! {line}" for line in msg.splitlines())
    print(f"{bar}\n{text}\n{bar}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


class PostgresUnavailable(Exception):
    pass


def as_postgres(cmd: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return ["sudo", "-n", "-u", "postgres", *cmd]
    if shutil.which("runuser"):
        return ["runuser", "-u", "postgres", "--", *cmd]
    return ["su", "postgres", "-c", " ".join(cmd)]


class Postgres:
    """A temporary role and database on the local cluster; the cluster is started if it was
    down (and stopped again at the end, unless others connected meanwhile), left running if it
    was running.

    With private=True: a throwaway cluster of its own instead (initdb in a temporary directory,
    Debian's binaries and defaults, a free port on 127.0.0.1), immune to others starting and
    stopping the shared one; removed at the end."""

    def __init__(self, private: bool = False) -> None:
        self.private = private
        self.cluster: tuple[str, str, int] | None = None  # version, name, port
        self.started = False
        self.name = ""
        self.url = ""
        self.datadir: Path | None = None

    def _bindir(self) -> Path:
        dirs = sorted(
            Path("/usr/lib/postgresql").glob("*/bin/initdb"),
            key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
        )
        if not dirs:
            raise PostgresUnavailable("PostgreSQL binaries not found under /usr/lib/postgresql")
        return dirs[-1].parent

    def _prepare_private(self) -> None:
        bindir = self._bindir()
        import pwd

        try:
            pg_user = pwd.getpwnam("postgres")
        except KeyError as exc:
            raise PostgresUnavailable("no postgres system user") from exc
        self.datadir = Path(tempfile.mkdtemp(prefix="lianluo-bench-pg-"))
        os.chown(self.datadir, pg_user.pw_uid, pg_user.pw_gid)
        port = free_port()
        self.cluster = (bindir.parent.name, str(self.datadir), port)
        steps = [
            [
                str(bindir / "initdb"),
                "-D",
                str(self.datadir / "data"),
                "-U",
                "postgres",
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ],
            [
                str(bindir / "pg_ctl"),
                "-D",
                str(self.datadir / "data"),
                "-w",
                "-t",
                "60",
                "-l",
                str(self.datadir / "log"),
                "-o",
                f"-p {port} -k {self.datadir} -c listen_addresses=127.0.0.1",
                "start",
            ],
        ]
        for cmd in steps:
            proc = subprocess.run(
                as_postgres(cmd), capture_output=True, text=True, check=False, timeout=180
            )
            if proc.returncode != 0:
                raise PostgresUnavailable(
                    f"{Path(cmd[0]).name} failed: {proc.stderr.strip() or proc.stdout.strip()}"
                )
        self.started = True

    def _clusters(self) -> list[tuple[str, str, int, str]]:
        if not shutil.which("pg_lsclusters"):
            return []
        out = subprocess.run(
            ["pg_lsclusters", "--no-header"], capture_output=True, text=True, check=False
        ).stdout
        rows = []
        for line in out.splitlines():
            parts = line.split()
            if len(parts) >= 4 and parts[2].isdigit():
                rows.append((parts[0], parts[1], int(parts[2]), parts[3]))
        return rows

    def psql(self, sql: str, *, tuples: bool = False) -> str:
        assert self.cluster is not None
        cmd = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-p", str(self.cluster[2])]
        if self.datadir is not None:
            cmd += ["-h", str(self.datadir), "-d", "postgres"]
        if tuples:
            cmd.append("-At")
        proc = subprocess.run(
            as_postgres(cmd), input=sql, capture_output=True, text=True, timeout=120, check=False
        )
        if proc.returncode != 0:
            raise PostgresUnavailable(f"psql failed: {proc.stderr.strip() or proc.stdout.strip()}")
        return proc.stdout

    def _start(self) -> None:
        assert self.cluster is not None
        version, name, port = self.cluster
        proc = subprocess.run(
            ["pg_ctlcluster", version, name, "start"],
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        if proc.returncode != 0 and not port_open(port):
            raise PostgresUnavailable(
                f"pg_ctlcluster {version} {name} start failed: {proc.stderr.strip()}"
            )
        for _ in range(150):
            if port_open(port):
                return
            time.sleep(0.2)
        raise PostgresUnavailable(f"nothing listens on 127.0.0.1:{port}")

    def _stop_if_unused(self) -> None:
        """Stop the cluster we started, unless someone else has connected to it meanwhile."""
        assert self.cluster is not None
        version, name, _port = self.cluster
        try:
            others = int(
                self.psql(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE backend_type = 'client backend' AND pid <> pg_backend_pid();",
                    tuples=True,
                ).strip()
                or 0
            )
        except (PostgresUnavailable, ValueError):
            others = 0
        if others:
            log(f"note: PostgreSQL {version}/{name} left running: {others} other client(s) use it")
            return
        subprocess.run(
            ["pg_ctlcluster", version, name, "stop"],
            check=False,
            timeout=120,
            capture_output=True,
        )

    def _drop_stale(self) -> None:
        """Databases of earlier runs that died before cleaning up (their PID is gone)."""
        rows = self.psql(
            "SELECT datname FROM pg_database WHERE datname LIKE 'lianluo\\_bench\\_%' "
            "UNION SELECT rolname FROM pg_roles WHERE rolname LIKE 'lianluo\\_bench\\_%';",
            tuples=True,
        )
        stale = set()
        for name in rows.split():
            parts = name.split("_")
            if len(parts) == 4 and parts[2].isdigit() and not Path(f"/proc/{parts[2]}").exists():
                stale.add(name)
        for name in sorted(stale):
            self.psql(
                f"DROP DATABASE IF EXISTS {name} WITH (FORCE);\nDROP ROLE IF EXISTS {name};\n"
            )
            log(f"note: dropped {name}, left behind by an earlier run")

    def prepare(self) -> str:
        if self.private:
            self._prepare_private()
        else:
            clusters = self._clusters()
            if not clusters:
                raise PostgresUnavailable(
                    "no PostgreSQL cluster found (pg_lsclusters): apt-get install postgresql"
                )
            self.cluster = next((c[:3] for c in clusters if c[3] == "online"), clusters[0][:3])
            if not port_open(self.cluster[2]):
                self._start()
                self.started = True
                log(
                    f"note: started PostgreSQL {self.cluster[0]}/{self.cluster[1]} "
                    "(stopped at the end)"
                )
            self._drop_stale()
        self.name = f"lianluo_bench_{os.getpid()}_{secrets.token_hex(3)}"
        password = secrets.token_hex(16)
        self.psql(
            f"CREATE ROLE {self.name} LOGIN PASSWORD '{password}';\n"
            f"CREATE DATABASE {self.name} OWNER {self.name};\n"
        )
        assert self.cluster is not None
        self.url = f"postgres://{self.name}:{password}@127.0.0.1:{self.cluster[2]}/{self.name}"
        return self.url

    def alive(self) -> bool:
        return self.cluster is not None and port_open(self.cluster[2])

    def cleanup(self) -> None:
        if self.cluster is None:
            return
        if self.private:
            if self.datadir is not None:
                subprocess.run(
                    as_postgres(
                        [
                            str(self._bindir() / "pg_ctl"),
                            "-D",
                            str(self.datadir / "data"),
                            "-m",
                            "immediate",
                            "-w",
                            "stop",
                        ]
                    ),
                    capture_output=True,
                    check=False,
                    timeout=120,
                )
                shutil.rmtree(self.datadir, ignore_errors=True)
                self.datadir = None
            self.cluster = None
            return
        restarted = False
        if self.name and not self.alive():
            # Someone stopped the cluster during the run: start it to drop our database.
            loud("PostgreSQL was stopped during the run; starting it to drop the benchmark DB")
            try:
                self._start()
                restarted = True
            except PostgresUnavailable as exc:
                loud(f"could not drop the benchmark database {self.name}: {exc}")
        if self.name and self.alive():
            try:
                self.psql(
                    f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE);\n"
                    f"DROP ROLE IF EXISTS {self.name};\n"
                )
            except PostgresUnavailable as exc:
                loud(f"could not drop the benchmark database {self.name}: {exc}")
        self.name = ""
        if (self.started or restarted) and self.alive():
            self._stop_if_unused()
        self.started = False


def add_database_arguments(parser: argparse.ArgumentParser) -> None:
    """--sqlite-only and --pg-private, as every benchmark that measures both databases takes
    them."""
    parser.add_argument("--sqlite-only", action="store_true", help="skip PostgreSQL")
    parser.add_argument(
        "--pg-private",
        action="store_true",
        help="a throwaway PostgreSQL cluster of its own (initdb in a temporary directory) "
        "instead of a database on the shared cluster that others may start and stop",
    )
