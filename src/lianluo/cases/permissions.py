"""Who may see, handle and act on a case — built on the one scope rule (core.scope)."""

from __future__ import annotations

from django.db.models import Q

from lianluo.cases.states import Action, CaseStatus
from lianluo.core.models import User
from lianluo.core.scope import Scope, scope_for

# What each kind of handler may do (congress staff in scope and the station's liaison officer
# may do everything; leaders only read).
DEPUTY_ACTIONS = {Action.ANSWER_ON_SPOT, Action.ANSWER, Action.FOLLOW_UP}
DEPARTMENT_ACTIONS = {Action.ANSWER}


def visible_q(scope: Scope) -> Q | None:
    """The Q that selects the cases a scope may see; None means everything."""
    if scope.everything:
        return None
    q = Q(pk__in=[])
    for path in scope.read_paths:
        q |= Q(scope_path__startswith=path)
    if scope.station_ids:
        q |= Q(station_id__in=scope.station_ids)
    if scope.deputy_ids:
        q |= Q(deputy_id__in=scope.deputy_ids) | Q(responsible_deputy_id__in=scope.deputy_ids)
    if scope.department_ids:
        q |= Q(department_id__in=scope.department_ids)
    return q


def _roles_on(user: User, case) -> set[str]:
    scope = scope_for(user)
    roles: set[str] = set()
    if scope.everything:
        roles.add("admin")
    if scope.covers_path(case.scope_path, acting=True) and scope.staff_paths:
        roles.add("staff")
    if any(case.scope_path.startswith(p) for p in scope.leader_paths):
        roles.add("leader")
    if case.station_id and case.station_id in scope.station_ids:
        roles.add("liaison")
    if scope.deputy_ids & {case.deputy_id, case.responsible_deputy_id}:
        roles.add("deputy")
    if case.department_id and case.department_id in scope.department_ids:
        roles.add("department")
    return roles


def can_see(user: User, case) -> bool:
    return bool(_roles_on(user, case))


def can_handle(user: User, case) -> bool:
    """People handling the case: they may reveal the citizen's phone (audited)."""
    return bool(_roles_on(user, case) & {"staff", "liaison", "deputy", "department"})


def can_act(user: User, case, action: str) -> bool:
    roles = _roles_on(user, case)
    if roles & {"admin", "staff", "liaison"}:
        return True
    if "deputy" in roles and action in DEPUTY_ACTIONS:
        return True
    # A department answers only what is currently assigned to it.
    return (
        "department" in roles
        and action in DEPARTMENT_ACTIONS
        and case.status == CaseStatus.ASSIGNED
    )
