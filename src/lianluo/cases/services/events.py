"""What every case write appends: the event row, and the notifications through the outbox."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from lianluo.cases.addressees import addressee_of
from lianluo.cases.models import Case, CaseEvent
from lianluo.cases.selectors import role_users
from lianluo.core.inserts import insert_rows
from lianluo.core.models import Role, User
from lianluo.core.services import outbox_enqueue
from lianluo.deputies.models import Deputy
from lianluo.stations.models import Station


def liaison_recipients(*, station: Station | None, deputy: Deputy | None) -> list[User]:
    """Who hears of a new case: the station's liaison officers (those intake keeps with the
    station, when it came from there: cases.addressees) and the addressed deputy."""
    cached = addressee_of(station)
    if cached is not None:
        users = list(cached.officers)
    else:
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
    event = CaseEvent(
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
    insert_rows([event])  # the statement built once (core.inserts): every step writes one
    return event
