"""Who may see a suggestion and who may take which action on it.

Roles on an item: "author" (the lead deputy), "cosigner" (a co-signing deputy), "staff" (congress
staff acting for the congress's area or above), "department" (a department with an active
assignment), "reader" (leaders, and departments whose assignment was changed away), "signer"
(a deputy who declined to co-sign: reads it, takes no step).
"""

from __future__ import annotations

from lianluo.core.models import User
from lianluo.core.scope import scope_for
from lianluo.suggestions.models import Suggestion
from lianluo.suggestions.states import ACTORS, allowed_actions


def roles_on(user: User, item: Suggestion) -> set[str]:
    scope = scope_for(user)
    roles: set[str] = set()
    if item.deputy_id is not None and item.deputy_id in scope.deputy_ids:
        roles.add("author")
    for signer in item.signers.all():
        if signer.deputy_id in scope.deputy_ids:
            # One who declined to co-sign still reads it (as selectors.visible_q lists it).
            roles.add("cosigner" if signer.refused_at is None else "signer")
    path = item.congress.area.path
    if scope.covers_path(path, acting=True):
        roles.add("staff")
    elif scope.covers_path(path):
        roles.add("reader")
    # Every author of an item merged into this one is answered through it (并案).
    if (
        scope.deputy_ids
        and item.status != "draft"
        and any(m.deputy_id in scope.deputy_ids for m in item.merged.all())
    ):
        roles.add("reader")
    if scope.department_ids and item.status != "draft":
        for assignment in item.assignments.all():
            if assignment.department_id in scope.department_ids:
                roles.add("department" if assignment.active else "reader")
    return roles


def can_see(user: User, item: Suggestion) -> bool:
    """Drafts are their authors' and the acting staff's (who make drafts from cases and file
    papers for deputies) until filed; after that readers in scope and the departments it was
    assigned to see it too."""
    roles = roles_on(user, item)
    if item.status == "draft":
        return bool(roles & {"author", "cosigner", "signer", "staff"})
    return bool(roles)


def actions_for(user: User, item: Suggestion) -> list[str]:
    """The actions the user may take on the item now: the state allows them and the user holds
    the role each one needs. Pages and the API offer exactly these."""
    roles = roles_on(user, item)
    return [action for action in allowed_actions(item) if ACTORS[action] & roles]
