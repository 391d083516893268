"""Reads of core records that several apps share: who holds a role, a user's notifications,
the area and departments a user works for."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, QuerySet
from django.utils.functional import Promise

from lianluo.core.errors import CoreCode, NotFound
from lianluo.core.models import Area, Department, Notification, Role, User
from lianluo.core.scope import scope_for

M = TypeVar("M", bound=Model)


def first_or_not_found(qs: QuerySet[M], message: str | Promise) -> M:
    """The first row of `qs`, or a NotFound with `message`: a selector's `*_get` in one line
    (missing and not-yours read the same)."""
    found = qs.first()
    if found is None:
        raise NotFound(CoreCode.NOT_FOUND, message)
    return found


def users_with_role(role: str, **binding: object) -> list[User]:
    """Active users who hold `role`, each once. `binding` narrows the role assignment itself
    (`deputy=…`, `station__in=…`, `deputy__memberships__station=…`), in the same join as the
    role, so a user's other roles never match for it."""
    lookups = {f"role_assignments__{key}": value for key, value in binding.items()}
    users = User.objects.filter(is_active=True, role_assignments__role=role, **lookups)
    return list(users.distinct())


def notifications_of(user: User) -> QuerySet[Notification]:
    """The user's notifications, newest first."""
    return Notification.objects.filter(user=user)


def unread_count(user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def office_area_of(user: User) -> Area | None:
    """The area of the user's first staff or leader role (the office they work in), if any."""
    row = (
        user.role_assignments.filter(role__in=[Role.STAFF, Role.LEADER])
        .select_related("area")
        .first()
    )
    return row.area if row is not None else None


def departments_of(user: User) -> QuerySet[Department]:
    """The departments the user handles cases for."""
    return Department.objects.filter(id__in=scope_for(user).department_ids)
