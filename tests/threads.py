"""Running work in threads released at the same moment: the race tests of cases (numbering,
idempotency, throttles) and activities (the last seat)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connection


def run_together(n: int, work: Callable[[int], Any]) -> tuple[list[Any], list[Exception]]:
    """Run work(0..n-1) in n threads released at the same moment; each thread closes its own
    database connection when done."""
    barrier = threading.Barrier(n)
    results: list[Any] = [None] * n
    errors: list[Exception] = []

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = work(i)
        except Exception as exc:  # reported by the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    return results, errors
