"""The stable codes of insights refusals (clients depend on the strings)."""

from __future__ import annotations

from enum import StrEnum


class InsightsCode(StrEnum):
    """Codes of insights refusals; the message is translated where raised."""

    BAD_PERIOD = "bad_period"  # 422: a date unreadable or out of range, or the period reversed
    UNKNOWN_FIGURE = "unknown_figure"  # 422: a figure name the definitions do not have
