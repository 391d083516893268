"""Suggestions built through the services: filed with `suggestion_new`, then walked with
`suggestion_transition` — an item in a later state is never written with `status=`.

The demo county (tests/conftest.py `demo`) has one department login (`dept`, for
departments[0]) and one deputy login (`deputy`); `department_user` and `deputy_user` add more."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from django.utils import timezone

from lianluo.core.models import Congress, Department, Role, RoleAssignment, User
from lianluo.deputies.models import Deputy, Mandate
from lianluo.suggestions.models import Suggestion
from lianluo.suggestions.services import suggestion_new, suggestion_transition

Step = str | tuple[str, dict[str, Any]]


def department_user(department: Department, username: str | None = None) -> User:
    """A login acting for `department` (role "department")."""
    user = User.objects.create(
        username=username or f"dept-{department.code}", display_name=department.name
    )
    RoleAssignment.objects.create(user=user, role=Role.DEPARTMENT, department=department)
    return user


def deputy_user(deputy: Deputy, username: str | None = None) -> User:
    """A login for `deputy` (role "deputy"); the deputy's own when it has one."""
    if deputy.user is not None:
        return deputy.user
    user = User.objects.create(username=username or f"u-{deputy.code}", display_name=deputy.name)
    RoleAssignment.objects.create(user=user, role=Role.DEPUTY, deputy=deputy)
    deputy.user = user
    deputy.save(update_fields=["user"])
    return user


def staff_user(congress: Congress, username: str | None = None) -> User:
    """Congress staff acting for the congress's area (and below)."""
    user = User.objects.create(
        username=username or f"staff-{congress.area.code}", display_name="staff"
    )
    RoleAssignment.objects.create(user=user, role=Role.STAFF, area=congress.area)
    return user


def fellow_deputies(congress: Congress, *, but: Deputy, n: int = 1) -> list[Deputy]:
    """`n` other deputies holding an active seat in `congress` (co-signers)."""
    ids = (
        Mandate.objects.filter(congress=congress, active=True)
        .exclude(deputy=but)
        .values_list("deputy_id", flat=True)
        .order_by("deputy__code")
    )
    return list(Deputy.objects.filter(pk__in=list(ids)).order_by("code")[:n])


def today() -> date:
    return timezone.localdate()


@contextmanager
def on(day: str, hour: int = 10) -> Iterator[None]:
    """Stop the clock at `day` (ISO date), `hour` o'clock in China."""
    at = datetime.fromisoformat(day).replace(hour=hour, tzinfo=ZoneInfo("Asia/Shanghai"))
    with time_machine.travel(at, tick=False):
        yield


def walk(item: Suggestion, *steps: tuple[User, Step]) -> Suggestion:
    """Apply each (actor, action) or (actor, (action, fields)) in turn."""
    for actor, step in steps:
        action, fields = step if isinstance(step, tuple) else (step, {})
        item = suggestion_transition(actor=actor, suggestion=item, action=action, **fields)
    return item


def filed(
    *,
    actor: User,
    deputy: Deputy,
    congress: Congress,
    title: str = "城关小学门前道路拥堵",
    text: str = "上下学时段车辆拥堵，建议设置临时停车区。",
    **fields: Any,
) -> Suggestion:
    """A suggestion filed (and numbered) by `actor` for `deputy`."""
    return suggestion_new(
        actor=actor, congress=congress, deputy=deputy, title=title, text=text, **fields
    )


def registered(*, staff: User, **filing: Any) -> Suggestion:
    """Filed by the deputy's login (or staff), then registered by `staff`."""
    item = filed(**filing)
    return walk(item, (staff, "register"))


def assigned(
    *,
    staff: User,
    lead: Department,
    co: list[Department] | None = None,
    separate: bool = False,
    difficult: bool = False,
    item: Suggestion | None = None,
    **filing: Any,
) -> Suggestion:
    """Registered and assigned: `lead` leads (or, `separate`, every department replies for
    its part), `co` are co-departments."""
    item = item or registered(staff=staff, **filing)
    return walk(
        item,
        (
            staff,
            (
                "assign",
                {
                    "lead": lead.code,
                    "co": [d.code for d in co or []],
                    "separate": separate,
                    "difficult": difficult,
                },
            ),
        ),
    )


def contacted(item: Suggestion, department: User, method: str = "phone") -> Suggestion:
    return walk(item, (department, ("contact", {"method": method, "date": today()})))


def replied(
    item: Suggestion, department: User, code: str = "A", text: str = "已按建议办理。", **more: Any
) -> Suggestion:
    """The department records its contact with the deputy, then replies."""
    item = contacted(item, department)
    return walk(item, (department, ("reply", {"code": code, "text": text, **more})))


def rated(item: Suggestion, author: User, rating: str = "satisfied") -> Suggestion:
    return walk(item, (author, ("rate", {"rating": rating})))
