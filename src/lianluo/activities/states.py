"""The activity workflow, declared once: the transition table and the named groups.

The states themselves are `models.ActivityStatus` (draft → published → done; draft or published
→ cancelled). Queries and pages use the groups below, never lists of states.
"""

from __future__ import annotations

from lianluo.activities.models import ActivityStatus

# action -> (states it may start from, state it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "publish": (frozenset({ActivityStatus.DRAFT}), ActivityStatus.PUBLISHED),
    "cancel": (
        frozenset({ActivityStatus.DRAFT, ActivityStatus.PUBLISHED}),
        ActivityStatus.CANCELLED,
    ),
    # Recording attendance and the summary marks the activity as held; it may be corrected later.
    "record": (frozenset({ActivityStatus.PUBLISHED, ActivityStatus.DONE}), ActivityStatus.DONE),
}

# Editable by the organising officer (title, time, place, capacity …).
EDITABLE = frozenset({ActivityStatus.DRAFT, ActivityStatus.PUBLISHED})
# Open for deputies' sign-up and check-in.
OPEN = frozenset({ActivityStatus.PUBLISHED})
# What deputies may see of their stations' activities (drafts are the officer's own).
VISIBLE_TO_DEPUTIES = frozenset(
    {ActivityStatus.PUBLISHED, ActivityStatus.DONE, ActivityStatus.CANCELLED}
)


def can_transition(status: str, action: str) -> bool:
    sources, _target = TRANSITIONS[action]
    return status in sources
