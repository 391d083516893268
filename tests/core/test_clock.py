"""The run's clock is pinned (tests/conftest.py, docs/testing.md): no test reads the real date,
so the suite gives the same answer on any day; `--clock` moves it, as the CI date stages do."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest
from django.utils import timezone

from tests.conftest import clock_start


def test_the_run_starts_at_the_pinned_clock_not_the_real_one(request):
    # given the instant the run was pinned at (the default, or --clock in CI)
    pinned = clock_start(request.config.getoption("--clock"))
    # then every reading of the clock is that instant plus the time the run has taken so far
    assert pinned <= timezone.now() < pinned + timedelta(hours=2)
    assert timezone.localdate() in (pinned.date(), pinned.date() + timedelta(days=1))


@pytest.mark.parametrize(
    ("value", "utc"),
    [
        ("2027-01-01T00:30", "2026-12-31 16:30"),  # local time: UTC is still last year
        ("2026-12-31T23:30+00:00", "2026-12-31 23:30"),  # an explicit offset is kept
    ],
)
def test_clock_values_are_local_time_unless_they_say_otherwise(value, utc):
    assert clock_start(value).astimezone(UTC).strftime("%Y-%m-%d %H:%M") == utc
