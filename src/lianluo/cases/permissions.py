"""Who may see, handle and act on a case — built on the one scope rule (core.scope)."""

from __future__ import annotations

from django.db.models import F, Q, QuerySet

from lianluo.cases.models import Category, DeclineReason
from lianluo.cases.states import Action, CaseStatus, allowed_actions, guard_passes
from lianluo.core.models import Department, User
from lianluo.core.scope import Scope, departments_serving, scope_for
from lianluo.deputies.models import Deputy, Mandate
from lianluo.stations.models import StationMembership

# What each kind of handler may do (congress staff in scope and the station's liaison officer
# may do everything; leaders only read).
# A deputy converts a case they handle by filing a suggestion from it (issue 9).
DEPUTY_ACTIONS = {Action.ANSWER_ON_SPOT, Action.ANSWER, Action.FOLLOW_UP, Action.CONVERT}
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


def actions_for(user: User, case) -> list[str]:
    """What the user may do to the case now: the actions open from its state (cases.states,
    with their guards) that are theirs to take. The ledger page and the API list exactly these;
    case_transition refuses the others."""
    return [
        action
        for action in allowed_actions(case.status)
        if guard_passes(action, case) and can_act(user, case, action)
    ]


# ---- records a case may refer to ------------------------------------------------------------
# The rules of what a transition may name (case_transition enforces them; the forms' choices
# and the API's look-ups use the same functions, so neither can offer or accept more). A
# reference outside them is answered as a missing one: the same code, field and message.


def responsible_deputies(case) -> QuerySet[Deputy]:
    """The deputies who may be made responsible for a case: those grouped into an active station
    of the case's congress within the case's area (编组进站), and those holding an active mandate
    of the case's congress. Not a deputy of another township, nor one of the congress above who
    is grouped elsewhere: they would read the case, see the citizen's phone and be credited
    points in a congress they do not belong to."""
    grouped = StationMembership.objects.filter(
        station__active=True,
        station__congress_id=case.congress_id,
        station__area__path__startswith=case.scope_path,
    ).values("deputy_id")
    mandated = Mandate.objects.filter(congress_id=case.congress_id, active=True).values("deputy_id")
    return Deputy.objects.filter(Q(pk__in=grouped) | Q(pk__in=mandated))


def may_be_responsible(deputy: Deputy, case) -> bool:
    return responsible_deputies(case).filter(pk=deputy.pk).exists()


def case_categories(case) -> QuerySet[Category]:
    """The categories a case may be filed under: its congress's own and the shared catalog, the
    active ones; a congress's own category comes first where both use a code."""
    return Category.objects.filter(
        Q(congress_id=case.congress_id) | Q(congress__isnull=True), active=True
    ).order_by(F("congress_id").asc(nulls_last=True), "code")


def case_category(case, code: str) -> Category | None:
    """The category a code names for this case (its congress's before the shared one), or None."""
    return case_categories(case).filter(code=code).first()


def case_departments(case) -> QuerySet[Department]:
    """The departments a case may be assigned to: on the line of the case's congress's area."""
    return departments_serving(case.congress.area.path)


def case_decline_reasons(case) -> QuerySet[DeclineReason]:
    """The active reasons a case may be declined with (its congress's own first)."""
    return DeclineReason.objects.filter(
        Q(congress_id=case.congress_id) | Q(congress__isnull=True), active=True
    ).order_by(F("congress_id").asc(nulls_last=True), "code")
