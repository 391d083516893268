"""API v1 for staff: the ledger of cases (departments to assign to, the list, a case, its
transitions)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from lianluo.api.common import Error, bearer, with_status
from lianluo.cases.models import Case
from lianluo.cases.permissions import (
    can_act,
    can_handle,
    case_category,
    case_departments,
    responsible_deputies,
)
from lianluo.cases.selectors import CaseFilters, case_get, case_list, event_public_text
from lianluo.cases.services import case_transition
from lianluo.cases.states import Action, CaseStatus, allowed_actions
from lianluo.core.errors import DomainError, Forbidden
from lianluo.core.models import Department
from lianluo.core.scope import on_line_q, scope_for
from lianluo.core.text import mask_name, mask_phone
from lianluo.stations.selectors import stations_of

router = Router()

# First declared in lianluo.api.api: the operationIds clients know (see api.public).
_OP = "lianluo_api_api_"


class DepartmentOut(Schema):
    code: str
    name: str
    area: str


@router.get(
    "/departments",
    response=list[DepartmentOut],
    auth=bearer,
    tags=["ledger"],
    operation_id=_OP + "departments",
)
def departments(request: HttpRequest):
    """Departments the user may assign cases to: those in the areas they act for."""
    scope = scope_for(request.auth)
    qs = Department.objects.filter(active=True).select_related("area")
    if not scope.everything:
        paths = scope.staff_paths + tuple(
            s.area.path for s in stations_of(user=request.auth) if s.id in scope.station_ids
        )
        q = Q(pk__in=[])
        for path in paths:
            q |= on_line_q(path)  # the same rule as the assignment itself (core.scope)
        qs = qs.filter(q)
    return [{"code": d.code, "name": d.name, "area": d.area.name} for d in qs]


class CaseListItem(Schema):
    number: str
    title: str
    status: str
    status_label: str
    triage: str
    station: str | None
    category: str | None
    department: str | None
    created_at: datetime
    deadline: datetime | None
    deadline_state: str
    phone: str
    name: str


class CaseListOut(Schema):
    count: int
    page: int
    page_size: int
    results: list[CaseListItem]


MAX_PAGE = 100_000


class CaseListQuery(Schema):
    status: str = ""
    station: str = ""
    triage: str = ""
    category: str = ""
    deadline: str = ""
    q: str = ""
    # Bounded above: a page number past 64 bits made an OFFSET the database refused (a 500).
    page: int = Field(1, le=MAX_PAGE)
    page_size: int = 25


def _case_item(case: Case) -> dict[str, Any]:
    return {
        "number": case.number,
        "title": case.display_title,
        "status": case.status,
        "status_label": str(CaseStatus(case.status).label),
        "triage": case.triage,
        "station": case.station.code if case.station_id else None,
        "category": case.category.code if case.category_id else (case.category_text or None),
        "department": case.department.code if case.department_id else None,
        "created_at": case.created_at,
        "deadline": case.deadline,
        "deadline_state": case.deadline_state(),
        "phone": mask_phone(case.citizen_phone),
        "name": mask_name(case.citizen_name),
    }


@router.get(
    "/cases", response=CaseListOut, auth=bearer, tags=["ledger"], operation_id=_OP + "cases"
)
def cases(request: HttpRequest, filters: Query[CaseListQuery]):
    f = CaseFilters(
        status=filters.status,
        station=filters.station,
        triage=filters.triage,
        category=filters.category,
        deadline=filters.deadline,
        q=filters.q,
    )
    qs = case_list(viewer=request.auth, filters=f)
    size = max(1, min(filters.page_size, 100))
    page = max(1, filters.page)
    rows = list(qs[(page - 1) * size : page * size])
    return {
        "count": qs.count(),
        "page": page,
        "page_size": size,
        "results": [_case_item(c) for c in rows],
    }


class StaffEvent(Schema):
    at: datetime
    action: str
    from_status: str
    status: str
    status_label: str
    actor: str
    note: str
    staff_note: str


class CaseDetailOut(CaseListItem):
    text: str
    place: str
    tracking_code: str
    channel: str
    responsible_deputy: str | None
    consent_publish: bool
    rating: str
    reopened_count: int
    escalated_to: str | None
    escalated_from: str | None
    actions: list[str]
    events: list[StaffEvent]


def _case_detail(case: Case, user) -> dict[str, Any]:
    actions = [a for a in allowed_actions(case.status) if can_act(user, case, a)]
    if "reopen" in actions and (case.rating != "dissatisfied" or case.reopened_count >= 1):
        actions.remove("reopen")
    escalated_to = Case.objects.filter(escalated_from=case).values_list("number", flat=True)
    return {
        **_case_item(case),
        "text": case.text,
        "place": case.place,
        "tracking_code": case.tracking_code if can_handle(user, case) else "",
        "channel": case.channel,
        "responsible_deputy": case.responsible_deputy.code if case.responsible_deputy_id else None,
        "consent_publish": case.consent_publish,
        "rating": case.rating,
        "reopened_count": case.reopened_count,
        "escalated_to": escalated_to.first(),
        "escalated_from": case.escalated_from.number if case.escalated_from_id else None,
        "actions": actions,
        "events": [
            {
                "at": e.at,
                "action": e.action,
                "from_status": e.from_status,
                "status": e.to_status,
                "status_label": str(CaseStatus(e.to_status).label),
                "actor": str(e.actor) if e.actor else "",
                "note": event_public_text(e),
                "staff_note": e.staff_note,
            }
            for e in case.events.select_related("actor")
        ],
    }


@router.get(
    "/cases/{number}",
    response={200: CaseDetailOut, 404: Error},
    auth=bearer,
    tags=["ledger"],
    operation_id=_OP + "case_detail",
)
def case_detail(request: HttpRequest, number: str):
    return _case_detail(case_get(viewer=request.auth, number=number), request.auth)


class TransitionIn(Schema):
    action: str
    triage: str | None = None
    category: str | None = None
    deputy: str | None = None
    reason: str | None = None
    department: str | None = None
    text: str | None = None
    method: str | None = None
    note: str | None = None
    rating: str | None = None


@router.post(
    "/cases/{number}/transitions",
    response={200: CaseDetailOut, 403: Error, 404: Error, 409: Error, 422: Error},
    auth=bearer,
    tags=["ledger"],
    operation_id=_OP + "case_transitions",
)
def case_transitions(request: HttpRequest, number: str, payload: TransitionIn):
    """Apply one lifecycle action. Actions: accept (triage, category?, deputy?), decline (reason),
    answer_on_spot (text), assign (department), escalate (reason), convert, answer (text),
    follow_up (method, note), rate (rating), close, reopen. `deputy`, `category` and
    `department` name only records of the case's scope; any other code is 422 `invalid_value`
    as an unknown one."""
    user = request.auth
    case = case_get(viewer=user, number=number)
    if payload.action not in Action.values:
        raise DomainError(
            "invalid_value",
            _("Unknown action “%(action)s”.") % {"action": payload.action},
            field="action",
        )
    if not can_act(user, case, payload.action):
        # Before the codes are resolved: who may not act learns nothing about them.
        raise Forbidden("not_allowed", _("You may not do this on this case."))
    # Codes resolve only among the records this case may name (cases.permissions): one out of
    # the case's scope is as unknown as one that does not exist (the service checks it again).
    category = deputy = department = None
    if payload.category:
        category = case_category(case, payload.category)
        if category is None:
            raise DomainError("invalid_value", _("Unknown category."), field="category")
    if payload.deputy:
        deputy = responsible_deputies(case).filter(code=payload.deputy).first()
        if deputy is None:
            raise DomainError("invalid_value", _("Unknown deputy."), field="deputy")
    if payload.department:
        department = case_departments(case).filter(code=payload.department).first()
        if department is None:
            raise DomainError("invalid_value", _("Unknown department."), field="department")
    try:
        case = case_transition(
            case=case,
            actor=user,
            action=payload.action,
            triage=payload.triage,
            category=category,
            deputy=deputy,
            reason=payload.reason,
            department=department,
            text=payload.text,
            method=payload.method,
            note=payload.note,
            rating=payload.rating,
        )
    except DomainError as exc:
        with_status(exc)
        raise
    case = case_get(viewer=user, number=number)
    return _case_detail(case, user)
