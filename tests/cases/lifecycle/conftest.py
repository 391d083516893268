"""The fixtures of the lifecycle tests: the demo county built once per module, and the frozen
moment every test runs at."""

from __future__ import annotations

import pytest
import time_machine

from tests.cases.lifecycle.steps import NOW


@pytest.fixture
def demo(demo_shared):
    """The demo county, built once for each module (see tests/conftest.py)."""
    return demo_shared


@pytest.fixture(autouse=True)
def _frozen():
    """Every test runs at NOW (the clock ticks on from there)."""
    with time_machine.travel(NOW, tick=True):
        yield
