"""API v1 for the signed-in user: a bearer token for a username and password, who they are
(`/me`) and their notifications."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema

from lianluo.api.common import Error, bearer, deputy_brief
from lianluo.core.http import ApiRequest
from lianluo.core.scope import roles_of
from lianluo.core.selectors import departments_of, notifications_of, office_area_of, unread_count
from lianluo.core.services import api_token_issue
from lianluo.core.views import lockout_response
from lianluo.deputies.selectors import deputy_of_account
from lianluo.stations.selectors import stations_of

router = Router()

# First declared in lianluo.api.api: the operationIds clients know (see api.public).
_OP = "lianluo_api_api_"


class TokenIn(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str
    token_type: str = "bearer"
    expires_at: datetime


@router.post(
    "/auth/token",
    response={200: TokenOut, 401: Error, 429: Error},
    tags=["auth"],
    operation_id=_OP + "auth_token",
)
def auth_token(request: HttpRequest, payload: TokenIn):
    """Exchange a username and password for a bearer token. Throttled like the login page (one
    rule, lianluo.core.throttle): 429 `locked_out` says when to try again."""
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        until = getattr(request, "login_blocked_until", None)
        if until is not None:
            return lockout_response(request, until)
        return 401, {"code": "invalid_credentials", "message": _("Wrong username or password.")}
    raw, token = api_token_issue(user=user)
    return {"token": raw, "token_type": "bearer", "expires_at": token.expires_at}


class MeOut(Schema):
    username: str
    name: str
    roles: list[str]
    area: dict[str, str] | None
    stations: list[dict[str, str]]
    deputy: dict[str, Any] | None
    departments: list[dict[str, str]]


@router.get("/me", response=MeOut, auth=bearer, tags=["me"], operation_id=_OP + "me")
def me(request: ApiRequest) -> dict[str, Any]:
    user = request.auth
    office = office_area_of(user)
    area = {"code": office.code, "name": office.name} if office is not None else None
    deputy = deputy_of_account(user=user)
    return {
        "username": user.username,
        "name": str(user),
        "roles": roles_of(user),
        "area": area,
        "stations": [{"code": s.code, "name": s.name} for s in stations_of(user=user)],
        "deputy": deputy_brief(deputy) if deputy else None,
        "departments": [{"code": d.code, "name": d.name} for d in departments_of(user)],
    }


class NotificationOut(Schema):
    id: int
    created_at: datetime
    subject: str
    body: str
    link: str
    read: bool


class NotificationsOut(Schema):
    unread: int
    items: list[NotificationOut]


@router.get(
    "/me/notifications",
    response=NotificationsOut,
    auth=bearer,
    tags=["me"],
    operation_id=_OP + "my_notifications",
)
def my_notifications(request: ApiRequest, limit: int = 50) -> dict[str, Any]:
    user = request.auth
    items = notifications_of(user)[: max(1, min(limit, 200))]
    return {
        "unread": unread_count(user),
        "items": [
            {
                "id": n.id,
                "created_at": n.created_at,
                "subject": n.subject,
                "body": n.body,
                "link": n.link,
                "read": n.read_at is not None,
            }
            for n in items
        ],
    }
