"""The one scoping rule: what a user's roles cover. Selectors of every app build on it.

A staff or leader role covers an area and everything below it (path prefix), never a sibling;
a liaison officer covers one station; a deputy what is addressed to or handled by them; a
department handler what is assigned to the department. The system administrator covers all.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from lianluo.core.models import Department, Role, User


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


# ---- references to other records in a write --------------------------------------------------
# A write that names another record (a deputy, a department, a station…) must name one that the
# record it changes may refer to; the check lives in the service, so the HTML forms and the API
# cannot differ. A reference outside the rule is refused exactly like a missing one.


def path_within(path: str, root: str) -> bool:
    """Whether the area at `path` is `root` or lies below it (the prefix rule of scopes)."""
    return path.startswith(root)


def ancestor_codes(path: str) -> list[str]:
    """The codes of the area at `path` and of every area above it, top first (a materialized
    path is the codes joined by slashes: "/44/4403/440305/")."""
    return [p for p in path.split("/") if p]


def ancestor_paths(path: str) -> list[str]:
    """The paths of the area at `path` and of every area above it, top first."""
    parts = ancestor_codes(path)
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def on_line_q(path: str, field: str = "area__path") -> Q:
    """Areas on the line of `path`: the area itself, those above it and those below it, never a
    sibling (a township's case goes to the county's or the township's own departments, never to
    those of the next township)."""
    return Q(**{f"{field}__in": ancestor_paths(path)}) | Q(**{f"{field}__startswith": path})


def departments_serving(path: str) -> QuerySet[Department]:
    """The departments a record of the area at `path` may be assigned to or name: active, on
    the area's line. The one rule behind case assignment, the officials of a reception record
    and the choices the forms and the API offer."""
    return Department.objects.filter(on_line_q(path), active=True).select_related("area")


def department_serves(department: Department, path: str) -> bool:
    return department.active and (
        path_within(department.area.path, path) or path_within(path, department.area.path)
    )
