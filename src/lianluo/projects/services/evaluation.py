"""The year-end satisfaction vote (满意度测评), grades and rectification lists."""

from __future__ import annotations

from lianluo.voting.models import Vote


def satisfaction_result_apply(vote: Vote) -> None:
    """Grade the rated projects from the closed satisfaction vote's result."""
