"""Django's SQLite backend, waiting for the write lock in short steps.

With several worker processes every `BEGIN IMMEDIATE` queues for SQLite's one write lock.
SQLite's own busy handler (the `timeout` option) sleeps 1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50,
then 100 ms between tries, whatever the lock's holder does meanwhile: a transaction that holds the
lock for 3 ms keeps the next writer asleep for tens of ms, and under a burst of writers (a
congress session voting at once) the workers spend most of their time asleep with the lock free.
Here `BEGIN IMMEDIATE` is tried with the busy handler off and retried after 0.1–2 ms (jittered,
so the waiters do not wake together), up to the same `timeout`; the handler is back on for every
other statement (autocommit writes outside a transaction keep SQLite's own wait)."""

from __future__ import annotations

import random
import sqlite3
import time

from django.db.backends.sqlite3 import base

_FIRST_S = 0.0001
_MAX_S = 0.002


class DatabaseWrapper(base.DatabaseWrapper):
    def _start_transaction_under_autocommit(self) -> None:
        if getattr(self, "transaction_mode", None) != "IMMEDIATE":
            super()._start_transaction_under_autocommit()  # type: ignore[misc]  # not in the stubs
            return
        timeout_s = float(self.settings_dict["OPTIONS"].get("timeout", 5))
        raw = self.connection
        with self.wrap_database_errors:
            raw.execute("PRAGMA busy_timeout = 0")
            try:
                deadline = time.monotonic() + timeout_s
                pause = _FIRST_S
                while True:
                    try:
                        raw.execute("BEGIN IMMEDIATE")
                        return
                    except sqlite3.OperationalError as exc:
                        busy = "locked" in str(exc) or "busy" in str(exc)
                        if not busy or time.monotonic() >= deadline:
                            raise
                    time.sleep(pause * random.uniform(0.5, 1.5))  # noqa: S311 - jitter
                    pause = min(pause * 2, _MAX_S)
            finally:
                raw.execute(f"PRAGMA busy_timeout = {int(timeout_s * 1000)}")
