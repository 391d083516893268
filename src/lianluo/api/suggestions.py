"""API v1 for deputies, congress staff and departments: suggestions (代表建议) — file one (from
scratch or from citizens' cases), list what one may see, read one, and take its actions."""

from __future__ import annotations

import datetime as dt
from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from lianluo.api.common import Error, bearer, page_of
from lianluo.cases.selectors import case_get
from lianluo.cases.services.suggest import congress_for_cases, suggestion_file_from_cases
from lianluo.core.errors import DomainError
from lianluo.core.http import ApiRequest
from lianluo.core.models import User
from lianluo.deputies.models import Deputy
from lianluo.deputies.selectors import deputy_for_user
from lianluo.suggestions.errors import SuggestionCode
from lianluo.suggestions.models import Suggestion
from lianluo.suggestions.permissions import actions_for
from lianluo.suggestions.selectors import (
    is_overdue,
    ref,
    suggestion_for,
    suggestion_ledger,
    suggestion_record,
)
from lianluo.suggestions.services import suggestion_transition
from lianluo.suggestions.states import Kind, Period

router = Router(tags=["suggestions"])


class SuggestionIn(Schema):
    title: str
    content: str
    category: str | None = None
    co_signers: list[str] = []
    cases: list[str] = []
    kind: str = Kind.SUGGESTION
    period: str = Period.RECESS
    congress: str | None = None  # the congress's area code, when the deputy sits in several
    deputy: str | None = None  # staff filing for a deputy (a paper from the session)
    private: bool = False


class DepartmentRef(Schema):
    code: str
    name: str
    role: str
    active: bool
    leader: str
    officer: str


class SuggestionItem(Schema):
    number: str
    kind: str
    title: str
    status: str
    status_label: str
    congress: str
    lead: str | None
    deadline: date | None
    overdue: bool
    key: bool
    departments: list[DepartmentRef]


class SuggestionList(Schema):
    count: int
    page: int
    page_size: int
    results: list[SuggestionItem]


class ReplyOut(Schema):
    department: str
    round: int
    opinion: bool
    further: bool
    code: str
    text: str
    public_text: str
    at: datetime


class RatingOut(Schema):
    round: int
    rating: str
    comment: str
    at: datetime


class EventOut(Schema):
    at: datetime
    action: str
    from_status: str
    status: str
    actor: str
    note: str
    data: dict[str, Any]


class CoSigner(Schema):
    code: str
    name: str
    confirmed: bool
    refused: bool


class SuggestionOut(SuggestionItem):
    content: str
    category: str
    period: str
    co: list[CoSigner]
    mode: str
    difficult: bool
    round: int
    rate_due: date | None
    rating: str
    tracking: bool
    classification: str
    merged_into: str | None
    replies: list[ReplyOut]
    ratings: list[RatingOut]
    events: list[EventOut]
    actions: list[str]


class SuggestionQuery(Schema):
    status: str | None = None
    department: str | None = None
    overdue: bool | None = None
    kind: str | None = None
    page: int = 1
    page_size: int = 25


def _item(s: Suggestion) -> dict[str, Any]:
    return {
        "number": ref(s),
        "kind": s.kind,
        "title": s.title,
        "status": s.status,
        "status_label": str(s.get_status_display()),
        "congress": s.congress.area.code,
        "lead": s.deputy.code if s.deputy else None,
        "deadline": s.deadline,
        "overdue": is_overdue(s),
        "key": s.key,
        "departments": [
            {
                "code": a.department.code,
                "name": a.department.name,
                "role": a.role,
                "active": a.active,
                "leader": a.leader,
                "officer": a.officer,
            }
            for a in s.assignments.all()
        ],
    }


def _detail(s: Suggestion, user: User) -> dict[str, Any]:
    record = suggestion_record(s)
    return {
        **_item(s),
        "content": s.text,
        "category": s.category,
        "period": s.period,
        "co": [
            {
                "code": g.deputy.code,
                "name": g.deputy.name,
                "confirmed": g.confirmed_at is not None,
                "refused": g.refused_at is not None,
            }
            for g in record["signers"]
        ],
        "mode": s.mode,
        "difficult": s.difficult,
        "round": s.round,
        "rate_due": s.rate_due,
        "rating": s.last_rating,
        "tracking": s.tracking,
        "classification": s.reply_class,
        "merged_into": s.merged_into.number if s.merged_into else None,
        "replies": [
            {
                "department": r.assignment.department.code,
                "round": r.round,
                "opinion": r.opinion,
                "further": r.further,
                "code": r.code,
                "text": r.text,
                "public_text": r.public_text,
                "at": r.at,
            }
            for r in record["replies"]
        ],
        "ratings": [
            {"round": r.round, "rating": r.rating, "comment": r.comment, "at": r.at}
            for r in record["ratings"]
        ],
        "events": [
            {
                "at": e.at,
                "action": e.action,
                "from_status": e.from_status,
                "status": e.to_status,
                "actor": str(e.actor) if e.actor else "",
                "note": e.note,
                "data": e.data,
            }
            for e in record["events"]
        ],
        "actions": actions_for(user, s),
    }


def _deputies(codes: list[str], name: str) -> list[Deputy]:
    found = {d.code: d for d in Deputy.objects.filter(code__in=codes)}
    missing = [c for c in codes if c not in found]
    if missing:
        raise DomainError(
            SuggestionCode.INVALID_VALUE,
            _("Unknown deputy: %(codes)s.") % {"codes": ", ".join(missing)},
            field=name,
        )
    return [found[c] for c in codes]


@router.post(
    "/suggestions",
    response={201: SuggestionOut, 403: Error, 404: Error, 409: Error, 422: Error},
    auth=bearer,
    operation_id="suggestion_create",
)
def suggestion_create(request: ApiRequest, payload: SuggestionIn) -> tuple[int, dict[str, Any]]:
    """A deputy files a suggestion (or idea, or research report), from scratch or from citizens'
    cases (`cases`: their numbers; each moves to "converted" and follows the suggestion).
    `co_signers` are deputy codes; each confirms online before registration. Staff may file for
    a deputy by naming `deputy`. Answers 201 with the filed item and its number."""
    user = request.auth
    if payload.deputy:
        deputy = _deputies([payload.deputy], "deputy")[0]
    else:
        own = deputy_for_user(user)
        if own is None:
            raise DomainError(
                SuggestionCode.MISSING_FIELD, _("Name the deputy who files it."), field="deputy"
            )
        deputy = own
    cases = [case_get(viewer=user, number=n) for n in dict.fromkeys(payload.cases)]
    item = suggestion_file_from_cases(
        actor=user,
        deputy=deputy,
        cases=cases,
        congress=congress_for_cases(deputy, cases, payload.congress),
        title=payload.title,
        text=payload.content,
        kind=payload.kind,
        category=payload.category or "",
        period=payload.period,
        co_signers=_deputies(payload.co_signers, "co_signers"),
        private=payload.private,
    )
    return 201, _detail(suggestion_for(user, ref(item)), user)


@router.get("/suggestions", response=SuggestionList, auth=bearer, operation_id="suggestion_list")
def suggestion_list(request: ApiRequest, filters: Query[SuggestionQuery]) -> dict[str, Any]:
    """What the user may see: a deputy their own and co-signed items, a department what was
    assigned to it, staff their congress and below. Overdue first, then by deadline."""
    qs = suggestion_ledger(
        request.auth,
        status=filters.status,
        department=filters.department,
        overdue=filters.overdue,
        kind=filters.kind,
    ).prefetch_related("assignments__department")
    return page_of(qs, page=filters.page, page_size=filters.page_size, item=_item)


@router.get(
    "/suggestions/{number}",
    response={200: SuggestionOut, 404: Error},
    auth=bearer,
    operation_id="suggestion_detail",
)
def suggestion_detail(request: ApiRequest, number: str) -> dict[str, Any]:
    return _detail(suggestion_for(request.auth, number), request.auth)


class SuggestionTransitionIn(Schema):
    action: str
    reason: str | None = None
    outcome: str | None = None
    note: str | None = None
    into: str | None = None
    lead: str | None = None
    co: list[str] = []
    separate: bool = False
    difficult: bool = False
    accept: bool | None = None
    department: str | None = None
    method: str | None = None
    date: dt.date | None = None
    code: str | None = None
    text: str | None = None
    public: bool | None = None
    public_text: str | None = None
    until: dt.date | None = None
    rating: str | None = None
    comment: str | None = None
    leader: str | None = None
    committee: str | None = None
    officer: str | None = None
    officer_phone: str | None = None


@router.post(
    "/suggestions/{number}/transitions",
    response={200: SuggestionOut, 403: Error, 404: Error, 409: Error, 422: Error},
    auth=bearer,
    operation_id="suggestion_transitions",
)
def suggestion_transitions(
    request: ApiRequest, number: str, payload: SuggestionTransitionIn
) -> dict[str, Any]:
    """One step, in the style of cases: register, decline {reason, outcome?}, merge {into},
    assign {lead, co?, separate?, difficult?}, request_change {reason}, decide_change {accept,
    department?}, officer {leader, officer, officer_phone?}, contact {method:
    face|phone|meeting, date}, opinion {text}, request_extension
    {reason}, extend {until, reason}, reply {code, text, public?, public_text?}, further_reply
    {code, text}, rate {rating, comment?}, rehandle, meet {date, note}, mark_key {leader,
    committee?}, progress {text}, adopt, not_adopt {reason}, outcome {text}, close, withdraw
    {reason}, cosign, cosign_refuse, file. Refusals: 409 wrong state (`invalid_transition`,
    `no_contact`, `cosigners_pending`, `change_too_late`, `rating_open`), 403 not yours
    (`not_allowed`), 404 not visible, 422 a missing or wrong field."""
    user = request.auth
    item = suggestion_for(user, number)
    fields = payload.dict(exclude={"action"}, exclude_none=True)
    # Filing a draft numbers it: read it back by its new reference, not the draft's d<id>.
    item = suggestion_transition(actor=user, suggestion=item, action=payload.action, **fields)
    return _detail(suggestion_for(user, ref(item)), user)
