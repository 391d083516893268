"""What every case write appends: the event row, and the notifications through the outbox."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from lianluo.cases.models import Case, CaseEvent
from lianluo.core.models import Role, RoleAssignment, User
from lianluo.core.services import outbox_enqueue
from lianluo.deputies.models import Deputy
from lianluo.stations.models import Station


def role_users(role: str, **where: Any) -> list[User]:
    """The active users holding `role` where the assignment matches `where` (a station, a
    department, an area)."""
    rows = RoleAssignment.objects.filter(role=role, **where).select_related("user")
    return [ra.user for ra in rows if ra.user.is_active]


def liaison_recipients(*, station: Station | None, deputy: Deputy | None) -> list[User]:
    """Who hears of a new case: the station's liaison officers and the addressed deputy."""
    users = role_users(Role.LIAISON, station=station) if station is not None else []
    if deputy is not None and deputy.user_id and deputy.user is not None:
        users += [deputy.user] if deputy.user.is_active else []
    return users


def notify(case: Case, *, recipients: list[User], kind: str, subject: str) -> None:
    if recipients:
        outbox_enqueue(
            recipients=recipients,
            kind=kind,
            subject=subject,
            body=case.display_title,
            link=f"/ledger/{case.number}/",
        )


def event_append(
    case: Case,
    *,
    action: str,
    from_status: str,
    actor: User | None,
    public_note: str = "",
    staff_note: str = "",
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> CaseEvent:
    """The case's history row for a step just taken (to_status is the case's status now); `at`
    only for a matter recorded after the fact (its first event is dated when it occurred)."""
    return CaseEvent.objects.create(
        case=case,
        at=at or timezone.now(),
        action=action,
        from_status=from_status,
        to_status=case.status,
        actor=actor if actor is not None and actor.is_authenticated else None,
        public_note=public_note,
        staff_note=staff_note,
        data=data or {},
    )
