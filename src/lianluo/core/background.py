"""A job run in a background thread of this process, after the commit that asked for it (the
outbox's and the SMS outbox's `thread` mode, when no Celery broker is configured)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from django.db import connections

log = logging.getLogger(__name__)

# How long a delivery thread waits for the next dispatch before it ends. A busy intake keeps
# one thread, and its database connection, per process: a new thread needs a new connection
# (on PostgreSQL a login, SCRAM included, holding the GIL against the request thread).
LINGER_SECONDS = 5.0
# How long a woken thread gathers dispatches before it runs the job: a burst of submissions is
# delivered in a few batches (one transaction each) instead of one per submission, each
# of which would queue for SQLite's write lock with the submissions themselves.
GATHER_SECONDS = 0.2


class ThreadRunner:
    """Runs `job` in at most one thread at a time; a `dispatch` while it runs asks for one more
    run, so nothing asked for is missed and no burst starts a thread per request."""

    def __init__(self, job: Callable[[], object], name: str) -> None:
        self.job, self.name = job, name
        self._lock = threading.Lock()
        self._pending = threading.Event()

    def dispatch(self) -> None:
        self._pending.set()
        if self._lock.acquire(blocking=False):
            threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        try:
            while self._pending.wait(timeout=LINGER_SECONDS):
                time.sleep(GATHER_SECONDS)
                self._pending.clear()
                try:
                    self.job()
                except Exception:
                    log.exception("%s failed; will retry on next dispatch", self.name)
        finally:
            # This thread's own connections: with CONN_MAX_AGE they would outlive the thread.
            connections.close_all()
            self._lock.release()
        # A dispatch that came while this thread was ending found the lock taken: take over.
        if self._pending.is_set() and self._lock.acquire(blocking=False):
            threading.Thread(target=self._run, daemon=True).start()
