"""Writes for suggestions: filing (filing.py) and the workflow (transitions.py)."""

from lianluo.suggestions.services.filing import (
    congresses_of,
    suggestion_create,
    suggestion_new,
)
from lianluo.suggestions.services.transitions import suggestion_file, suggestion_transition

__all__ = [
    "congresses_of",
    "suggestion_create",
    "suggestion_file",
    "suggestion_new",
    "suggestion_transition",
]
