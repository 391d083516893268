"""API v1 for staff: the ledger of cases (departments to assign to, the list, a case, its
transitions)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Field, Query, Router, Schema

from lianluo.api.common import Error, bearer, page_of
from lianluo.cases.models import Case, Category
from lianluo.cases.permissions import actions_for, can_handle
from lianluo.cases.record import FieldRecordForm, case_record
from lianluo.cases.selectors import (
    CaseFilters,
    case_escalated_to,
    case_get,
    case_list,
    case_references,
    case_staff_timeline,
    departments_assignable,
    event_public_text,
)
from lianluo.cases.services import case_action_check, case_transition
from lianluo.cases.states import CaseStatus
from lianluo.core.http import ApiRequest
from lianluo.core.models import Department, User
from lianluo.core.text import mask_name, mask_phone
from lianluo.deputies.models import Deputy
from lianluo.stations.models import Station

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
def departments(request: ApiRequest) -> list[dict[str, Any]]:
    """Departments the user may assign cases to: those in the areas they act for."""
    return [
        {"code": d.code, "name": d.name, "area": d.area.name}
        for d in departments_assignable(viewer=request.auth)
    ]


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
    channel: str = ""
    triage: str = ""
    category: str = ""
    deadline: str = ""
    q: str = ""
    # Bounded above: a page number past 64 bits made an OFFSET the database refused (a 500).
    page: int = Field(1, le=MAX_PAGE)
    page_size: int = 25


def _code(row: Station | Category | Department | Deputy | None) -> str | None:
    return row.code if row is not None else None


def _case_item(case: Case) -> dict[str, Any]:
    return {
        "number": case.number,
        "title": case.display_title,
        "status": case.status,
        "status_label": str(CaseStatus(case.status).label),
        "triage": case.triage,
        "station": _code(case.station),
        "category": _code(case.category) or case.category_text or None,
        "department": _code(case.department),
        "created_at": case.created_at,
        "deadline": case.deadline,
        "deadline_state": case.deadline_state(),
        "phone": mask_phone(case.citizen_phone),
        "name": mask_name(case.citizen_name),
    }


@router.get(
    "/cases", response=CaseListOut, auth=bearer, tags=["ledger"], operation_id=_OP + "cases"
)
def cases(request: ApiRequest, filters: Query[CaseListQuery]) -> dict[str, Any]:
    f = CaseFilters(**filters.dict(exclude={"page", "page_size"}))
    qs = case_list(viewer=request.auth, filters=f)
    return page_of(qs, page=filters.page, page_size=filters.page_size, item=_case_item)


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


def _case_detail(case: Case, user: User) -> dict[str, Any]:
    return {
        **_case_item(case),
        "text": case.text,
        "place": case.place,
        "tracking_code": case.tracking_code if can_handle(user, case) else "",
        "channel": case.channel,
        "responsible_deputy": _code(case.responsible_deputy),
        "consent_publish": case.consent_publish,
        "rating": case.rating,
        "reopened_count": case.reopened_count,
        "escalated_to": case_escalated_to(case=case),
        "escalated_from": case.escalated_from.number if case.escalated_from else None,
        "actions": actions_for(user, case),
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
            for e in case_staff_timeline(case=case)
        ],
    }


@router.get(
    "/cases/{number}",
    response={200: CaseDetailOut, 404: Error},
    auth=bearer,
    tags=["ledger"],
    operation_id=_OP + "case_detail",
)
def case_detail(request: ApiRequest, number: str) -> dict[str, Any]:
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
def case_transitions(request: ApiRequest, number: str, payload: TransitionIn) -> dict[str, Any]:
    """Apply one lifecycle action. Actions: accept (triage, category?, deputy?), decline (reason),
    answer_on_spot (text), assign (department), escalate (reason), convert, answer (text),
    follow_up (method, note), rate (rating), close, reopen. `deputy`, `category` and
    `department` name only records of the case's scope; any other code is 422 `invalid_value`
    as an unknown one."""
    user = request.auth
    case = case_get(viewer=user, number=number)
    case_action_check(case=case, actor=user, action=payload.action)
    category, deputy, department = case_references(
        case, category=payload.category, deputy=payload.deputy, department=payload.department
    )
    case_transition(
        case=case,
        actor=user,
        category=category,
        deputy=deputy,
        department=department,
        **payload.dict(exclude={"category", "deputy", "department"}),
    )
    case = case_get(viewer=user, number=number)
    return _case_detail(case, user)


class CaseRecordIn(Schema):
    station: str
    text: str | None = None
    title: str | None = None
    place: str | None = None
    channel: str
    occurred_at: date | datetime | None = None
    reception: int | None = None
    deputy: str | None = None
    name: str | None = None
    phone: str | None = None
    consent: bool = False


@router.post(
    "/cases",
    response={200: CaseDetailOut, 201: CaseDetailOut, 403: Error, 409: Error, 422: Error},
    auth=bearer,
    tags=["ledger"],
)
def case_record_create(request: ApiRequest, payload: CaseRecordIn) -> tuple[int, dict[str, Any]]:
    """Record a matter found on a deputy's visit, taken at a reception or typed in by staff
    (`channel`: visit, reception or staff): it becomes a numbered case like any other, credited
    to the deputy who brought it in. `occurred_at` (a date or a moment) may be up to
    LIANLUO_RECORD_PAST_DAYS days back (30 by default; later than now: 422 `date_in_future`,
    older: 422 `date_too_old`, both at `occurred_at`). A station the user may not record at is
    403 `not_allowed`; `deputy` names one of the station's deputies (a deputy records for
    themselves), `reception` one of its reception days. The `Idempotency-Key` header works as
    the public intake's key: the same submission again returns the case (200)."""
    data = payload.dict(exclude={"station", "occurred_at", "reception", "deputy", "consent"})
    data = {k: v for k, v in data.items() if v is not None}
    data["consent_publish"] = payload.consent
    case, created = case_record(
        actor=request.auth,
        form=FieldRecordForm(data),
        station_code=payload.station,
        deputy_code=payload.deputy,
        reception=payload.reception,
        occurred_at=payload.occurred_at,
        idempotency_key=request.headers.get("Idempotency-Key") or None,
    )
    case = case_get(viewer=request.auth, number=case.number)
    return (201 if created else 200), _case_detail(case, request.auth)
