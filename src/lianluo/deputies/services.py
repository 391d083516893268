"""Writes of deputy groups (代表小组/专业小组): create and rename, members, leader.

Each write is one transaction with its audit row, by staff of the group's congress (their area
covers the congress's: `covers_path(..., acting=True)`); anyone else reads "no such group". A
member is a deputy with an active mandate in the group's congress; a deputy is in one group at
most (`Deputy.group`), so adding moves them from another group of the same congress and is
refused for a group of another congress. The leader is a member; removing the leader clears it.
Targets (五个一) stay with the board (lianluo.board.targets), which reads the members."""

from __future__ import annotations

from enum import StrEnum

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lianluo.core.errors import Conflict, CoreCode, DomainError, NotFound
from lianluo.core.models import Congress, User
from lianluo.core.scope import scope_for
from lianluo.core.services import audit_record
from lianluo.deputies.models import Deputy, DeputyGroup, GroupKind, Mandate


class GroupCode(StrEnum):
    """Stable codes of the groups' refusals (the message is translated where raised)."""

    MISSING_FIELD = "missing_field"  # 422: a name the group needs
    INVALID_VALUE = "invalid_value"  # 422: a kind that is not one
    NAME_TAKEN = "name_taken"  # 409: the congress has a group of this name
    NOT_OF_CONGRESS = "not_of_congress"  # 422: the deputy has no mandate in the congress
    IN_OTHER_GROUP = "in_other_group"  # 409: the deputy is in a group of another congress
    NOT_MEMBER = "not_member"  # 422: the leader must be a member


def group_staff_of(user: User | None, congress: Congress) -> bool:
    """Whether the user runs the deputy groups of this congress (its staff)."""
    return scope_for(user).covers_path(congress.area.path, acting=True)


def _require_staff(actor: User, congress: Congress) -> None:
    if not group_staff_of(actor, congress):
        raise NotFound(CoreCode.NOT_FOUND, _("No group has this number."))


def _locked(group: DeputyGroup) -> DeputyGroup:
    return DeputyGroup.objects.select_for_update().select_related("congress__area").get(pk=group.pk)


@transaction.atomic
def group_save(
    *,
    actor: User,
    congress: Congress,
    name: str,
    kind: str,
    group: DeputyGroup | None = None,
) -> DeputyGroup:
    """Create a group of the congress, or rename it and set its kind."""
    _require_staff(actor, group.congress if group is not None else congress)
    name = name.strip()
    if not name:
        raise DomainError(GroupCode.MISSING_FIELD, _("Give the group a name."), field="name")
    if kind not in GroupKind.values:
        raise DomainError(GroupCode.INVALID_VALUE, _("Choose the kind of group."), field="kind")
    taken = DeputyGroup.objects.filter(congress=group.congress if group else congress, name=name)
    if group is not None:
        taken = taken.exclude(pk=group.pk)
    if taken.exists():
        raise Conflict(
            GroupCode.NAME_TAKEN, _("This congress already has a group of this name."), field="name"
        )
    try:
        with transaction.atomic():
            if group is None:
                group = DeputyGroup.objects.create(congress=congress, name=name, kind=kind)
                verb = "group.create"
            else:
                group = _locked(group)
                group.name, group.kind = name, kind
                group.save(update_fields=["name", "kind"])
                verb = "group.change"
    except IntegrityError as exc:  # the same name saved at the same moment
        raise Conflict(
            GroupCode.NAME_TAKEN, _("This congress already has a group of this name."), field="name"
        ) from exc
    audit_record(actor=actor, verb=verb, target=group, data={"name": name, "kind": kind})
    return group


def deputies_of_congress(congress: Congress) -> list[Deputy]:
    """The deputies who may be members: an active mandate in the congress; by code."""
    return list(
        Deputy.objects.filter(
            pk__in=Mandate.objects.filter(congress=congress, active=True).values("deputy_id")
        )
        .select_related("group")
        .order_by("code")
    )


@transaction.atomic
def group_member_add(*, actor: User, group: DeputyGroup, deputy: Deputy) -> DeputyGroup | None:
    """Make the deputy a member; returns the group they left (of the same congress), if any."""
    _require_staff(actor, group.congress)
    group = _locked(group)
    if not Mandate.objects.filter(deputy=deputy, congress=group.congress, active=True).exists():
        raise DomainError(
            GroupCode.NOT_OF_CONGRESS,
            _("%(name)s is not a deputy of this congress.") % {"name": deputy.name},
            field="deputy",
        )
    deputy = Deputy.objects.select_for_update().get(pk=deputy.pk)
    left = DeputyGroup.objects.filter(pk=deputy.group_id).first() if deputy.group_id else None
    if left is not None and left.pk == group.pk:
        return None
    if left is not None and left.congress_id != group.congress_id:
        raise Conflict(
            GroupCode.IN_OTHER_GROUP,
            _("%(name)s is a member of “%(group)s” of another congress.")
            % {"name": deputy.name, "group": left.name},
            field="deputy",
        )
    if left is not None and left.leader_id == deputy.pk:
        DeputyGroup.objects.filter(pk=left.pk).update(leader=None)
    Deputy.objects.filter(pk=deputy.pk).update(group=group)
    audit_record(
        actor=actor,
        verb="group.member_add",
        target=group,
        data={"deputy": deputy.code, "left": left.pk if left else None},
    )
    return left


@transaction.atomic
def group_member_remove(*, actor: User, group: DeputyGroup, deputy: Deputy) -> None:
    """Take the deputy out of the group (and out of its lead)."""
    _require_staff(actor, group.congress)
    group = _locked(group)
    if not Deputy.objects.filter(pk=deputy.pk, group=group).exists():
        raise DomainError(
            GroupCode.NOT_MEMBER,
            _("%(name)s is not a member of this group.") % {"name": deputy.name},
            field="deputy",
        )
    Deputy.objects.filter(pk=deputy.pk).update(group=None)
    if group.leader_id == deputy.pk:
        group.leader = None
        group.save(update_fields=["leader"])
    audit_record(
        actor=actor, verb="group.member_remove", target=group, data={"deputy": deputy.code}
    )


@transaction.atomic
def group_leader_set(*, actor: User, group: DeputyGroup, deputy: Deputy | None) -> DeputyGroup:
    """Make a member the leader (None: no leader)."""
    _require_staff(actor, group.congress)
    group = _locked(group)
    if deputy is not None and not Deputy.objects.filter(pk=deputy.pk, group=group).exists():
        raise DomainError(
            GroupCode.NOT_MEMBER,
            _("The leader must be a member of the group: add %(name)s first.")
            % {"name": deputy.name},
            field="leader",
        )
    group.leader = deputy
    group.save(update_fields=["leader"])
    audit_record(
        actor=actor,
        verb="group.leader",
        target=group,
        data={"deputy": deputy.code if deputy else None},
    )
    return group
