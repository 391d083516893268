"""The list of candidates (候选项目) and its session vote (票决)."""

from __future__ import annotations

from lianluo.voting.models import Vote


def session_result_apply(vote: Vote) -> None:
    """Mark the slate's candidates approved or not from the closed session vote's result."""
