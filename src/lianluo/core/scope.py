"""The one scoping rule: what a user's roles cover. Selectors of every app build on it.

A staff or leader role covers an area and everything below it (path prefix), never a sibling;
a liaison officer covers one station; a deputy what is addressed to or handled by them; a
department handler what is assigned to the department. The system administrator covers all.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lianluo.core.models import Role, User


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    staff_paths: tuple[str, ...] = ()  # staff: may act
    leader_paths: tuple[str, ...] = ()  # leaders: read only
    station_ids: frozenset[int] = field(default_factory=frozenset)
    deputy_ids: frozenset[int] = field(default_factory=frozenset)
    department_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def read_paths(self) -> tuple[str, ...]:
        return self.staff_paths + self.leader_paths

    @property
    def is_empty(self) -> bool:
        return not (
            self.everything
            or self.read_paths
            or self.station_ids
            or self.deputy_ids
            or self.department_ids
        )

    def covers_path(self, path: str, *, acting: bool = False) -> bool:
        paths = self.staff_paths if acting else self.read_paths
        return self.everything or any(path.startswith(p) for p in paths)


def scope_for(user: User | None) -> Scope:
    """The user's scope, computed once per user object (one query)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Scope()
    cached = getattr(user, "_lianluo_scope", None)
    if cached is not None:
        return cached
    staff, leader, stations, deputies, departments = [], [], set(), set(), set()
    rows = user.role_assignments.select_related("area").all()
    for row in rows:
        if row.role == Role.STAFF and row.area:
            staff.append(row.area.path)
        elif row.role == Role.LEADER and row.area:
            leader.append(row.area.path)
        elif row.role == Role.LIAISON and row.station_id:
            stations.add(row.station_id)
        elif row.role == Role.DEPUTY and row.deputy_id:
            deputies.add(row.deputy_id)
        elif row.role == Role.DEPARTMENT and row.department_id:
            departments.add(row.department_id)
    scope = Scope(
        everything=user.is_superuser,
        staff_paths=tuple(staff),
        leader_paths=tuple(leader),
        station_ids=frozenset(stations),
        deputy_ids=frozenset(deputies),
        department_ids=frozenset(departments),
    )
    user._lianluo_scope = scope  # type: ignore[attr-defined]
    return scope


def roles_of(user: User) -> list[str]:
    roles = sorted({row.role for row in user.role_assignments.all()})
    if user.is_superuser:
        roles.insert(0, "admin")
    return roles


def role_label(role: str) -> str:
    from django.utils.translation import gettext as _

    if role == "admin":
        return _("System administrator")
    return str(Role(role).label)
