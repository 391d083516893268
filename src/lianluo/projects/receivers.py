"""What the projects app does when one of its votes closes (connected in ProjectsConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from lianluo.projects.services.candidates import session_result_apply
from lianluo.projects.services.evaluation import satisfaction_result_apply
from lianluo.voting.models import Kind, Vote
from lianluo.voting.signals import vote_closed


@receiver(vote_closed, dispatch_uid="projects.vote_closed")
def _vote_closed(sender: Any, vote: Vote, **kwargs: Any) -> None:
    if vote.kind == Kind.SESSION:
        session_result_apply(vote)
    elif vote.kind == Kind.SATISFACTION:
        satisfaction_result_apply(vote)
