"""The board's tests read the shared demo county (built once per session)."""

from __future__ import annotations

import pytest


@pytest.fixture
def demo(demo_shared):
    return demo_shared
