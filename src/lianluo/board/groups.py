"""Reads of the deputy-group pages: the groups a viewer runs (staff of their congress) and one
group with its members, the deputies who may join, and its progress on the year's targets
(lianluo.board.targets). The writes are lianluo.deputies.services."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from lianluo.board import targets as t
from lianluo.core.errors import CoreCode, NotFound
from lianluo.core.models import Congress, User
from lianluo.core.scope import scope_for
from lianluo.deputies.models import Deputy, DeputyGroup
from lianluo.deputies.services import deputies_of_congress, group_staff_of
from lianluo.duty.models import TargetScope


def congresses_run(*, viewer: User) -> list[Congress]:
    """The congresses whose groups the viewer runs (their staff area covers it)."""
    scope = scope_for(viewer)
    qs = Congress.objects.select_related("area").order_by("area__code")
    if scope.everything:
        return list(qs)
    q = Q(pk__in=[])
    for path in scope.staff_paths:
        q |= Q(area__path__startswith=path)
    return list(qs.filter(q))


def groups_run(*, viewer: User) -> list[DeputyGroup]:
    """The groups of those congresses, with their member count and leader; by congress, name."""
    return list(
        DeputyGroup.objects.filter(congress__in=congresses_run(viewer=viewer))
        .select_related("congress__area", "leader")
        .annotate(member_count=Count("members"))
        .order_by("congress__area__code", "name")
    )


def group_run_get(*, viewer: User, pk: int) -> DeputyGroup:
    """A group the viewer runs; missing and not-yours are the same NotFound."""
    group = DeputyGroup.objects.select_related("congress__area", "leader").filter(pk=pk).first()
    if group is None or not group_staff_of(viewer, group.congress):
        raise NotFound(CoreCode.NOT_FOUND, _("No group has this number."))
    return group


@dataclass
class GroupPage:
    group: DeputyGroup
    members: list[Deputy]
    candidates: list[Deputy]  # the congress's deputies not in this group (some in another)
    progress: list[tuple[str, t.Progress[DeputyGroup]]]  # (set name, progress) of the year
    year: int


def group_page(*, viewer: User, group: DeputyGroup, year: int) -> GroupPage:
    members = list(group.members.order_by("code"))
    ids = {d.pk for d in members}
    candidates = [d for d in deputies_of_congress(group.congress) if d.pk not in ids]
    sets = [
        s
        for s in t.target_sets_for(viewer=viewer, year=year)
        if s.congress_id == group.congress_id and s.scope == TargetScope.GROUP
    ]
    return GroupPage(
        group=group,
        members=members,
        candidates=candidates,
        progress=[(s.name, t.group_progress(target_set=s, groups=[group])[0]) for s in sets],
        year=year,
    )
